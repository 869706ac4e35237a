"""Demo publications (``zhifa demo``, after the cases): the market-regulation bureau's decided
cases on the portal.

The decision listener has already prepared a draft for every decision of the demo cases. Here
the bureau's publisher (``publisher``) reviews and publishes the drafts whose due day has
passed — on time, except one published late and two left overdue — corrects one, withdraws
one whose decision was revoked, and an on-the-spot warning to a minor is added (held back at
once). Drafts still within their period stay in the due list. Everything goes through
``publicity.services`` (and ``cases.services``), so each step is a record entry.

Idempotent: when the bureau has a published version or the minor's case, nothing is written.
One transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.db import transaction

from zhifa.cases import services as cases
from zhifa.cases.demo import LATE_REASON
from zhifa.cases.models import Case
from zhifa.cases.selectors import case_officers
from zhifa.core.calendar import current_calendar
from zhifa.core.exceptions import CalendarUnknown, RuleViolation
from zhifa.core.testing import id_number
from zhifa.registry.models import Account

from . import services
from .models import Publication, PublicationVersion

S = Publication.State
MINOR_NAME = "林小华"
MINOR_TITLE = "未成年人在校园周边销售散装食品"


class _Out(Protocol):
    def write(self, msg: str) -> object: ...


@dataclass(frozen=True)
class DemoPublicityResult:
    already: bool = False
    published: int = 0
    late: int = 0
    corrected: int = 0
    withdrawn: int = 0
    held: int = 0
    due: int = 0
    overdue: int = 0
    refused: int = 0  # drafts the publish check refused (personal data left): stay drafts


def _publisher() -> tuple[Account, int]:
    account = Account.objects.filter(username="publisher", role=Account.Role.PUBLISHER).first()
    if account is None or account.agency_id is None:
        raise RuntimeError("the demo publisher account is not loaded (registry.demo.city_load)")
    return account, account.agency_id


def demo_publicity_loaded() -> bool:
    publisher = Account.objects.filter(username="publisher").first()
    if publisher is None or publisher.agency_id is None:
        return False
    agency_id: int = publisher.agency_id
    return (
        PublicationVersion.objects.filter(publication__agency_id=agency_id).exists()
        or Case.objects.filter(agency_id=agency_id, title=MINOR_TITLE).exists()
    )


def _add_workdays(day: date, n: int) -> date:
    try:
        return current_calendar().add_workdays(day, n)
    except CalendarUnknown:
        return day


def _publish(publisher: Account, publication: Publication, on: date) -> Publication | None:
    for s in list(publication.spans):
        if s["state"] == "pending":
            publication = services.publication_span_resolve(
                actor=publisher, publication=publication, span_id=s["id"], remove=True
            )
    try:
        return services.publication_publish(actor=publisher, publication=publication, on=on)
    except RuleViolation:
        return None


def _minor_case(agency_id: int) -> None:
    """An on-the-spot warning to a minor (第三十条: 14–18 punished lighter): held back."""
    sample = (
        Case.objects.filter(agency_id=agency_id, kind=Case.Kind.PENALTY_SIMPLE)
        .order_by("id")
        .first()
    )
    officer = Account.objects.filter(
        agency_id=agency_id, role=Account.Role.OFFICER, officer__isnull=False
    ).first()
    if sample is None or officer is None or sample.decided_on is None:
        return
    cases.case_simple_decide(
        actor=officer,
        power_code=sample.power_item.code,
        title=MINOR_TITLE,
        on=sample.decided_on,
        party=cases.PartyInput(
            kind="natural_person",
            name=MINOR_NAME,
            id_number=id_number(777, division=sample.agency.division_code, born=date(2010, 4, 2)),
            phone="13700007777",
            address=f"{sample.agency.name[:3]}和平街2号",
            is_minor=True,
        ),
        penalty_kind="warning",
        officers=[a.officer for a in case_officers(sample)][:2],
        place="幸福路菜市场门前",
        facts="在校园周边销售无标签散装食品",
        late_reason=LATE_REASON,
    )


def load(*, today: date, stdout: _Out | None = None) -> DemoPublicityResult:
    """Publish, correct, withdraw and hold the demo bureau's decisions as of ``today`` (the
    demo's reference day). Raises ``RuntimeError`` when the demo city is not loaded."""
    publisher, agency_id = _publisher()
    if demo_publicity_loaded():
        return DemoPublicityResult(already=True)
    counts = {"published": 0, "late": 0, "corrected": 0, "withdrawn": 0, "refused": 0}
    with transaction.atomic():
        drafts = list(
            Publication.objects.filter(
                agency_id=agency_id, state=S.DRAFT, decided_on__lte=today
            ).order_by("due_on", "id")
        )
        past = [p for p in drafts if p.due_on < today]
        keep_overdue = past[-2:]  # the two most recently due stay overdue
        done: list[Publication] = []
        for i, publication in enumerate(p for p in past if p not in keep_overdue):
            late = i == 0
            on = _add_workdays(publication.due_on, 2) if late else publication.due_on
            on = min(_add_workdays(publication.decided_on, 5), on) if not late else on
            if on > today:
                continue
            made = _publish(publisher, publication, on)
            if made is None:
                counts["refused"] += 1
                continue
            counts["published"] += 1
            counts["late"] += 0 if made.on_time else 1
            done.append(made)
        if len(done) >= 3:
            corrected, withdrawn = done[1], done[2]
            assert corrected.published_on is not None and withdrawn.published_on is not None
            services.publication_correct(
                actor=publisher,
                publication=corrected,
                on=min(_add_workdays(corrected.published_on, 2), today),
                notice="经当事人反映，更正执法结论中的罚款金额表述",
                fields={"conclusion": f"{corrected.draft_fields.get('conclusion', '')}（已更正）"},
            )
            counts["corrected"] = 1
            changed_on = min(_add_workdays(withdrawn.published_on, 5), today)
            services.publication_withdraw(
                actor=publisher,
                publication=withdrawn,
                on=min(_add_workdays(changed_on, 2), today),
                change_kind="revoked",
                changed_on=changed_on,
                reason="经示范市人民政府行政复议决定撤销",
            )
            counts["withdrawn"] = 1
        _minor_case(agency_id)
    mine = Publication.objects.filter(agency_id=agency_id)
    result = DemoPublicityResult(
        published=counts["published"],
        late=counts["late"],
        corrected=counts["corrected"],
        withdrawn=counts["withdrawn"],
        refused=counts["refused"],
        held=mine.filter(state=S.HELD).count(),
        due=mine.filter(state=S.DRAFT, due_on__gte=today).count(),
        overdue=mine.filter(state=S.DRAFT, due_on__lt=today).count(),
    )
    if stdout is not None:
        stdout.write(
            f"公示：已公开{result.published}项（逾期公开{result.late}项），更正{result.corrected}项，"
            f"撤回{result.withdrawn}项，不予公开{result.held}项，待公开{result.due}项，"
            f"逾期未公开{result.overdue}项。\n"
        )
    return result
