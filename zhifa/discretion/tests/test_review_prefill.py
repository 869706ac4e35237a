"""The legal review's "裁量基准运用是否适当" is proposed from the 基准 applied."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from zhifa.cases.tests.conftest import World
from zhifa.discretion.tests.test_services import apply, stated
from zhifa.registry.models import DiscretionBenchmark
from zhifa.review import services as review

pytestmark = pytest.mark.django_db


def submit(w: World, case: object) -> dict[str, object]:
    sub = review.review_submit(
        actor=w.p.officer,
        case=case,  # type: ignore[arg-type]
        on=date(2026, 4, 3),
        facts="销售过期牛奶12盒",
        legal_basis="《中华人民共和国食品安全法》第一百二十四条",
        discretion="见裁量基准适用记录",
    )
    return {a.point: a for a in sub.checklist.all()}


def test_a_deviation_without_approval_is_proposed_as_a_problem(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    apply(world, case, benchmark, stage="notice", fine=D(45000), deviation_reason="货值极小")
    row = submit(world, case)["discretion"]
    assert row.prefill_verdict == "problem"  # type: ignore[attr-defined]
    assert "适用裁量阶次为从轻处罚" in row.prefill_evidence[0]  # type: ignore[attr-defined]
    assert "尚未经主要负责人批准" in row.prefill_evidence[1]  # type: ignore[attr-defined]


def test_a_grade_within_the_entry_is_proposed_as_fitting(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    apply(world, case, benchmark, stage="notice")
    assert submit(world, case)["discretion"].prefill_verdict == "pass"  # type: ignore[attr-defined]
