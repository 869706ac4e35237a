"""Keeping the derived facts (``models.Fact``) equal to the counting rules applied to the cases.

``case_rows`` reads the narrow projection the rules need for many cases at once (a constant
number of queries per batch, through the other apps' models, read only); ``facts_refresh``
rewrites the facts of the given cases; the step listener calls it in the transaction of every
case step, so the figures are never stale; ``facts_rebuild`` recomputes every case (``zhifa
stats rebuild``) after a change of the counting settings. Facts are derived data like the
search index: they are not the record and are rewritten freely.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from zhifa.cases.models import Case, Challenge
from zhifa.record.models import Entry

from . import counting
from .aggregates import month_of, months_rebuild, months_refresh
from .models import Fact
from .penalty_order import ORDERS

BATCH = 2000

# The deployment's counting choices, with the rule each default comes from (shown on the pages).
ORDER_SETTING_SOURCE = "默认为2021年通行顺序（大同、庆元、广州样式）；可设为山东样式"
REVOKED_SOURCE = "广州市司法局行政执法数据统计说明（2019）：被撤销的处罚决定仍计入作出决定的年度"
INSPECTION_PENALTY_SOURCE = "大同市文物局行政执法统计说明（2024）；按本地统计口径设置"


def rules() -> counting.Rules:
    order = ORDERS.get(getattr(settings, "ZHIFA_STATISTICS_PENALTY_ORDER", "2021"), ORDERS["2021"])
    return counting.Rules(
        order=order,
        count_revoked=bool(getattr(settings, "ZHIFA_STATISTICS_COUNT_REVOKED", True)),
        inspection_leading_to_penalty=bool(
            getattr(settings, "ZHIFA_STATISTICS_COUNT_INSPECTIONS_WITH_PENALTY", True)
        ),
    )


FIELDS = (
    "pk",
    "agency_id",
    "agency__division_code",
    "kind",
    "state",
    "registered_on",
    "decided_on",
    "closed_on",
    "penalty_kinds",
    "fine",
    "confiscation",
    "confiscated_property_value",
    "notified_fine",
    "end_ground",
    "hearing_on",
    "seizure_measure",
    "seized_at",
    "seizure_outcome",
    "released_on",
    "paid_late_fee",
    "court_applied_on",
    "inspected_on",
    "inspection_outcome",
)


def _local_day(value: Any) -> date | None:
    if value is None:
        return None
    from django.utils import timezone

    return timezone.localtime(value).date()


def case_rows(case_ids: Sequence[int]) -> Iterator[tuple[int, str, counting.CaseRow]]:
    """(agency id, division code, row) for each of ``case_ids`` that exists."""
    from zhifa.discretion.models import Application as Discretion
    from zhifa.licensing.models import Application as LicenceApplication
    from zhifa.review.models import Submission

    ids = list(case_ids)
    challenges: dict[int, list[counting.ChallengeRow]] = defaultdict(list)
    for c in Challenge.objects.filter(case_id__in=ids).order_by("pk"):
        challenges[c.case_id].append(
            counting.ChallengeRow(c.kind, c.filed_on, c.concluded_on, c.outcome)
        )
    reviewed = set(
        Submission.objects.filter(case_id__in=ids, state=Submission.State.CONCLUDED).values_list(
            "case_id", flat=True
        )
    )
    mitigated = set(
        Discretion.objects.filter(case_id__in=ids, stage="decision", grade="mitigated").values_list(
            "case_id", flat=True
        )
    )
    led_to_penalty = set(
        Case.objects.filter(origin_id__in=ids, decided_on__isnull=False).values_list(
            "origin_id", flat=True
        )
    )
    licences = {
        a["case_id"]: a
        for a in LicenceApplication.objects.filter(case_id__in=ids).values(
            "case_id", "received_on", "accepted_on", "outcome"
        )
    }
    transfers = {
        e.case_id: e.data.get("on")
        for e in Entry.objects.filter(case_id__in=ids, action="case.transfer").order_by("seq")
    }
    for v in Case.objects.filter(pk__in=ids).values(*FIELDS):
        pk = v["pk"]
        not_penalised = bool(v["end_ground"]) and v["decided_on"] and not v["penalty_kinds"]
        transferred = transfers.get(pk)
        lic: dict[str, Any] = dict(licences.get(pk) or {})
        row = counting.CaseRow(
            case_id=pk,
            kind=v["kind"],
            state=v["state"],
            registered_on=v["registered_on"],
            decided_on=v["decided_on"],
            closed_on=v["closed_on"],
            penalty_kinds=tuple(v["penalty_kinds"] or ()),
            fine=v["fine"] or Decimal(0),
            confiscation=v["confiscation"] or Decimal(0),
            property_value=v["confiscated_property_value"],
            notified_fine=v["notified_fine"],
            not_penalised_on=v["decided_on"] if not_penalised else None,
            transferred_on=date.fromisoformat(transferred) if transferred else None,
            reviewed=pk in reviewed,
            hearing_held=v["hearing_on"] is not None,
            mitigated=pk in mitigated,
            seizure_measure=v["seizure_measure"] or "",
            seized_on=_local_day(v["seized_at"]),
            handled_on=v["released_on"] if v["seizure_outcome"] else None,
            late_fee_on=v["closed_on"] if (v["paid_late_fee"] or 0) > 0 else None,
            court_applied_on=v["court_applied_on"],
            inspected_on=v["inspected_on"],
            inspection_recorded=bool(v["inspected_on"] and v["inspection_outcome"]),
            inspection_led_to_penalty=pk in led_to_penalty,
            received_on=lic.get("received_on"),
            accepted_on=lic.get("accepted_on"),
            licence_outcome=lic.get("outcome") or "",
            challenges=tuple(challenges.get(pk, ())),
        )
        yield v["agency_id"], v["agency__division_code"], row


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for i in ids:
        batch.append(i)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _key(f: Fact) -> tuple[Any, ...]:
    amount = None if f.amount is None else Decimal(f.amount).normalize()  # 2E+4 == 20000.00
    return (f.case_id, f.agency_id, f.division_code, f.indicator, f.day, amount)


def facts_refresh(case_ids: Iterable[int], *, months: bool = True) -> int:
    """Rewrite the facts of ``case_ids`` from the counting rules; returns how many were written.
    Call inside the caller's transaction (a case step) or alone. With ``months`` the monthly
    sums the facts touched follow (``aggregates.months_refresh``). Most steps change nothing
    counted (an interview, a document): then nothing is written."""
    r = rules()
    written = 0
    for batch in _batches(case_ids):
        with transaction.atomic():
            old = list(Fact.objects.filter(case_id__in=batch))
            new = [
                Fact(
                    case_id=row.case_id,
                    agency_id=agency_id,
                    division_code=division,
                    indicator=f.indicator,
                    day=f.day,
                    amount=f.amount,
                )
                for agency_id, division, row in case_rows(batch)
                for f in counting.facts_of(row, r)
            ]
            if sorted(map(_key, old), key=repr) == sorted(map(_key, new), key=repr):
                continue
            Fact.objects.filter(case_id__in=batch).delete()
            Fact.objects.bulk_create(new, batch_size=BATCH)
            written += len(new)
            if months:
                months_refresh({(f.agency_id, month_of(f.day)) for f in (*old, *new)})
    return written


def facts_rebuild() -> int:
    """Recompute the facts of every case (after a change of the counting settings), then
    their monthly sums."""
    ids = Case.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=BATCH)
    written = facts_refresh(ids, months=False)
    months_rebuild()
    return written


def on_case_step(actor: Any, case: Case, service: str, entry: Any) -> None:
    """The step listener: the case's facts follow every step in the step's transaction; the
    origin inspection's facts too (a penalty opened from it may change whether it counts)."""
    del actor, service, entry
    ids = [case.pk] + ([case.origin_id] if case.origin_id else [])
    facts_refresh(ids)


def on_challenge(actor: Any, case: Case, challenge: Challenge) -> None:
    """The challenge listener: 被复议/复议纠错/被诉/败诉 follow a recorded 复议 or 诉讼."""
    del actor, challenge
    facts_refresh([case.pk])
