"""Fixtures for the review tests: the cases' ``world`` (agency A's power list and a ``Flow``),
a catalog, and helpers that walk a case through a review round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zhifa.cases import services as cases
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import (  # noqa: F401 - fixtures
    COMPANY,
    PERSON,
    World,
    entered_on,
    evidence_dir,
    world,
)
from zhifa.record.models import Entry
from zhifa.registry.models import Officer
from zhifa.review import services
from zhifa.review.checklist import POINTS
from zhifa.review.models import CatalogRule, Submission

CATALOG = "甲区市场监管局重大执法决定法制审核目录清单（2026年版）"

REGISTERED = date(2026, 3, 4)
NOTIFIED = date(2026, 4, 1)
STATED = date(2026, 4, 2)
SUBMITTED = date(2026, 4, 3)
DECIDED = date(2026, 4, 28)


def rule(w: World, kind: str, item: int = 1, **kw: Any) -> CatalogRule:
    return services.catalog_rule_add(
        actor=w.p.admin,
        agency=w.p.agency_a,
        on=date(2026, 1, 5),
        kind=kind,
        source=f"{CATALOG}第{item}项",
        **kw,
    )


def actions_after(case: Case, seq: int) -> list[str]:
    return list(
        Entry.objects.filter(case_id=case.pk, seq__gt=seq)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def last_entry(case: Case) -> Entry:
    entry = Entry.objects.filter(case_id=case.pk).order_by("-seq").first()
    assert entry is not None
    return entry


@dataclass
class Review:
    """Walks a case through review rounds with agency A's personas."""

    world: World

    @property
    def reviewer(self) -> Officer:
        return self.world.reviewer_officer

    def stated(self, fine: Decimal = Decimal(20000), **kw: Any) -> Case:
        """A person notified of a 20,000 元 fine who stated a defence (ready to decide)."""
        return self.world.stated(REGISTERED, NOTIFIED, STATED, fine=fine, **kw)

    def submit(self, case: Case, on: date = SUBMITTED, **kw: Any) -> Submission:
        args: dict[str, Any] = {
            "facts": "当事人于2026年2月20日销售超过保质期的牛奶12盒",
            "legal_basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
            "discretion": "适用本局裁量基准第3档：货值较小、及时改正，在幅度中间偏下处罚",
        }
        args.update(kw)
        return services.review_submit(actor=self.world.p.officer, case=case, on=on, **args)

    def assign(self, sub: Submission, on: date = SUBMITTED) -> Submission:
        return services.review_assign(
            actor=self.world.p.reviewer, submission=sub, reviewer=self.reviewer, on=on
        )

    def answer_all(self, sub: Submission, on: date, verdict: str = "pass", **special: str) -> None:
        for point in POINTS:
            v = special.get(point.value, verdict)
            services.review_checklist_answer(
                actor=self.world.p.reviewer,
                submission=sub,
                on=on,
                point=point.value,
                verdict=v,
                comment="须补充货值鉴定" if v == "problem" else "",
            )

    def conclude(
        self,
        sub: Submission,
        outcome: str = "agree",
        on: date = date(2026, 4, 8),
        changes: tuple[str, ...] = (),
        **special: str,
    ) -> Submission:
        self.answer_all(sub, on, **special)
        return services.review_conclude(
            actor=self.world.p.reviewer,
            submission=sub,
            on=on,
            outcome=outcome,
            opinion="经审核，" + ("同意承办机构的处理意见" if outcome == "agree" else "存在问题"),
            required_changes=changes,
        )

    def passed(self, case: Case, on: date = SUBMITTED, **kw: Any) -> Submission:
        return self.conclude(self.assign(self.submit(case, on=on, **kw), on=on))

    def decide(self, case: Case, fine: Decimal = Decimal(20000), on: date = DECIDED) -> Case:
        with entered_on(on):
            return cases.case_decide(
                actor=self.world.p.head,
                case=case,
                on=on,
                penalty_kinds=["warning", "fine"],
                fine=fine,
            )


@pytest.fixture
def flow(world: World) -> Review:  # noqa: F811 - the imported fixture
    return Review(world)


@pytest.fixture
def fine_catalog(world: World) -> CatalogRule:  # noqa: F811
    """Agency A reviews fines of 10,000 元 or more on a natural person."""
    return rule(world, "fine_person", amount=Decimal(10000))
