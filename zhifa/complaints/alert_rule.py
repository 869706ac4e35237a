"""The early warning 同一执法人员被投诉较多, registered with the alerts app: an officer named in at
least ``threshold`` complaints received in the last ``period`` days (complaints refused as
duplicates not counted). The 条例 names the warning (第三十七条) but no number; the default is
zhifa's, and a deployment sets its own with its source (``ZHIFA_ALERT_RULES``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from zhifa.alerts.rules import Fact, Finding, Rule, RuleSetting, fires

from .models import Complaint

CODE = "complaints_against_officer"
ARTICLE = "《行政执法监督条例》第三十七条（投诉举报集中的预警；次数为本系统默认）"


@dataclass(frozen=True)
class Named:
    """A complaint naming an officer (what the rule counts)."""

    complaint_id: int
    number: str
    received_on: date
    officer_id: int
    officer_name: str
    agency_id: int
    division_code: str


def evaluate(rows: Sequence[Named], *, today: date, setting: RuleSetting) -> list[Finding]:
    """One finding per officer with at least the threshold of complaints in the period. Pure."""
    since = today - timedelta(days=setting.period)
    by_officer: dict[int, list[Named]] = defaultdict(list)
    for r in rows:
        if since < r.received_on <= today:
            by_officer[r.officer_id].append(r)
    out = []
    for officer_id, named in sorted(by_officer.items()):
        if not fires(len(named), setting, "at_least"):
            continue
        first = named[0]
        out.append(
            Finding(
                subject=f"officer:{officer_id}",
                agency_id=first.agency_id,
                division_code=first.division_code,
                title=f"{first.officer_name}：近{setting.period}日被投诉{len(named)}次",
                measure=Decimal(len(named)),
                facts=(
                    Fact("officer", officer_id, first.officer_name),
                    *(
                        Fact("complaint", n.complaint_id, n.number, n.received_on.isoformat())
                        for n in sorted(named, key=lambda n: (n.received_on, n.complaint_id))
                    ),
                ),
            )
        )
    return out


def collect(setting: RuleSetting, today: date) -> Iterable[Finding]:
    rows = (
        Complaint.objects.filter(
            officer__isnull=False,
            received_on__gt=today - timedelta(days=setting.period),
            received_on__lte=today,
        )
        .exclude(state=Complaint.State.REFUSED, refusal_reason="duplicate")
        .values_list(
            "pk",
            "number",
            "received_on",
            "officer_id",
            "officer__name",
            "officer__agency_id",
            "officer__agency__division_code",
        )
    )
    return evaluate([Named(*row) for row in rows], today=today, setting=setting)


RULE = Rule(
    code=CODE,
    label="同一执法人员被投诉较多",
    article=ARTICLE,
    measure_label="投诉次数",
    default=RuleSetting(enabled=True, threshold=Decimal(3), period=365, source=ARTICLE),
    collect=collect,
    period_label="统计期间（日）",
    order=70,
)
