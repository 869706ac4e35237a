"""Helpers of the campaigns tests: a world with decided cases, a planned campaign with a team."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import World
from zhifa.evaluation import services_campaigns as sc
from zhifa.evaluation.models import Campaign, File, Scoring, TeamMember, Template
from zhifa.supervision.tests.conftest import Bureau

PLANNED_ON = date(2026, 5, 10)
DRAWN_ON = date(2026, 5, 12)
SCORED_ON = date(2026, 5, 20)


@dataclass
class Setup:
    b: Bureau
    w: World
    template: Template
    cases: list[Case]
    campaign: Campaign
    leader: TeamMember
    members: list[TeamMember] = field(default_factory=list)


def decided_cases(w: World, n: int) -> list[Case]:
    return [w.decided() for _ in range(n)]


def plan(b: Bureau, **over: Any) -> Campaign:
    kw: dict[str, Any] = {
        "actor": b.sup1,
        "name": "2026年度行政处罚案卷评查",
        "agencies": [b.p.agency_a, b.p.agency_b],
        "kinds": [Case.Kind.PENALTY_GENERAL],
        "decided_from": date(2026, 1, 1),
        "decided_to": date(2026, 4, 30),
        "starts_on": date(2026, 5, 10),
        "ends_on": date(2026, 6, 30),
        "sampling_mode": Campaign.Sampling.RANDOM,
        "sample_count": 2,
        "steps": "抽取、评查、报告",
        "requirements": "独立评分",
        "on": PLANNED_ON,
    }
    kw.update(over)
    return sc.campaign_plan(**kw)


def team(b: Bureau, campaign: Campaign) -> tuple[TeamMember, list[TeamMember]]:
    leader = sc.campaign_member_add(
        actor=b.sup1,
        campaign=campaign,
        kind=TeamMember.Kind.SUPERVISOR,
        account=b.sup1,
        is_leader=True,
        on=PLANNED_ON,
    )
    members = [
        sc.campaign_member_add(
            actor=b.sup1,
            campaign=campaign,
            kind=TeamMember.Kind.SUPERVISOR,
            account=acc,
            on=PLANNED_ON,
        )
        for acc in (b.sup2, b.sup3)
    ]
    return leader, members


def scoring_of(file: File, account: Any) -> Scoring:
    return Scoring.objects.get(file=file, reviewer__account=account)


def marks(b1: str | None = None, *, reason: str = "扣分理由", veto: bool = False) -> dict[str, Any]:
    """Marks deducting ``b1`` on the range item B1 (5–15), with a reason."""
    items: dict[str, Any] = {}
    if b1 is not None:
        items["B1"] = {"occurrences": 1, "deduction": b1, "reason": reason}
    out: dict[str, Any] = {"items": items}
    if veto:
        out["vetoes"] = {
            "V1": {"hit": True, "reason": "仅一名执法人员", "override_reason": "笔录仅一人签名"}
        }
    return out


def total(value: str) -> Decimal:
    return Decimal(value)
