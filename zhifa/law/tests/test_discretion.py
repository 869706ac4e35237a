"""The 裁量基准 calculator: each band at its boundary (one fen below, at, above), for an amount
range and for a multiple of a base; the circumstances leading to a grade; the parent's band."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from zhifa.law import discretion as dz
from zhifa.law.discretion import Grade, GradeBand, RangeKind, StatutoryRange

AMOUNT = StatutoryRange(RangeKind.AMOUNT, D("1000"), D("10000"))
# 货值金额 1–5 倍 of 12,345.67: 从轻 up to 2.2 × base, 从重 from 3.8 × base.
MULTIPLE = StatutoryRange(RangeKind.MULTIPLE, D("1"), D("5"), "货值金额")
BASE = D("12345.67")


@pytest.mark.parametrize(
    ("fine", "grade"),
    [
        ("999.99", Grade.MITIGATED),  # below the minimum: 减轻
        ("1000.00", Grade.LIGHTER),  # the minimum is 从轻
        ("3699.99", Grade.LIGHTER),
        ("3700.00", Grade.LIGHTER),  # min + 30 %: still 从轻 (inclusive)
        ("3700.01", Grade.STANDARD),  # one fen above: 一般
        ("7299.99", Grade.STANDARD),
        ("7300.00", Grade.HEAVIER),  # max − 30 %: 从重 (inclusive)
        ("7300.01", Grade.HEAVIER),
        ("10000.00", Grade.HEAVIER),
        ("10000.01", None),  # above the statutory maximum: no grade
    ],
)
def test_amount_range_bands_at_their_boundaries(fine: str, grade: Grade | None) -> None:
    assert dz.grade_of(D(fine), dz.bands(AMOUNT)) == grade


@pytest.mark.parametrize(
    ("fine", "grade"),
    [
        ("12345.66", Grade.MITIGATED),
        ("12345.67", Grade.LIGHTER),  # 1 × base
        ("27160.47", Grade.LIGHTER),  # 2.2 × base = 27,160.474 rounded down: still 从轻
        ("27160.48", Grade.STANDARD),
        ("46913.54", Grade.STANDARD),  # 3.8 × base = 46,913.546 rounded up: 从重 from .55
        ("46913.55", Grade.HEAVIER),
        ("61728.35", Grade.HEAVIER),  # 5 × base
        ("61728.36", None),
    ],
)
def test_multiple_is_split_on_the_multiple_then_multiplied(fine: str, grade: Grade) -> None:
    assert dz.grade_of(D(fine), dz.bands(MULTIPLE, base=BASE)) == grade


def test_multiple_needs_its_base() -> None:
    with pytest.raises(ValueError, match="货值金额"):
        dz.bands(MULTIPLE)


def test_entry_own_bands_override_the_30_percent_defaults() -> None:
    own = [
        GradeBand(Grade.LIGHTER, D("1000"), D("2000")),
        GradeBand(Grade.HEAVIER, D("8000"), D("10000")),
    ]
    table = dz.bands(AMOUNT, own=own)
    assert dz.grade_of(D("2000.00"), table) == Grade.LIGHTER
    assert dz.grade_of(D("2000.01"), table) is None  # the default 一般 still starts above 3,700
    assert not dz.fine_within(AMOUNT, Grade.LIGHTER, D("2000.01"), own=own)
    assert dz.fine_within(AMOUNT, Grade.HEAVIER, D("8000.00"), own=own)
    assert not dz.fine_within(AMOUNT, Grade.HEAVIER, D("7999.99"), own=own)


def test_no_circumstance_proposes_the_middle_band() -> None:
    p = dz.propose(AMOUNT, [])
    assert p.grade == Grade.STANDARD
    assert p.band is not None and p.band.text == "3,700元（不含）至7,300元（不含）"


def test_lighter_circumstances_propose_the_lowest_30_percent_and_allow_mitigation() -> None:
    p = dz.propose(MULTIPLE, ["removed_harm", "gave_evidence"], base=BASE)
    assert p.grade == Grade.LIGHTER
    assert Grade.MITIGATED in p.allowed
    assert p.band is not None and (p.band.low, p.band.high) == (D("12345.67"), D("27160.47"))
    assert "第三十二条第（一）项" in p.reasons[0]


def test_repeat_within_a_year_proposes_the_highest_30_percent() -> None:
    p = dz.propose(AMOUNT, [dz.REPEAT_FACTOR])
    assert p.grade == Grade.HEAVIER
    assert p.band is not None and p.band.low == D("7300.00")
    assert "第十六条第（三）项" in p.reasons[0]


def test_mixed_circumstances_give_no_arithmetic_the_officer_judges() -> None:
    p = dz.propose(AMOUNT, ["confessed", "repeat"])
    assert p.grade is None and p.needs_judgement
    assert "综合考虑" in p.text


def test_a_must_not_circumstance_leaves_only_no_penalty() -> None:
    p = dz.propose(AMOUNT, ["minor_corrected", "repeat"])
    assert p.grade == Grade.NO_PENALTY and p.allowed == (Grade.NO_PENALTY,)


def test_first_violation_proposes_no_penalty_but_allows_a_fine() -> None:
    p = dz.propose(AMOUNT, ["first_violation"])
    assert p.grade == Grade.NO_PENALTY and Grade.LIGHTER in p.allowed


def test_kinds_only_range_has_no_bands_and_no_fine() -> None:
    kinds = StatutoryRange(RangeKind.KINDS)
    assert dz.bands(kinds) == {}
    assert dz.fine_within(kinds, Grade.STANDARD, None)
    assert not dz.fine_within(kinds, Grade.STANDARD, D("1"))


def test_every_factor_cites_its_article_of_document_2() -> None:
    assert all("国市监法规〔2022〕2号第十" in f.article for f in dz.FACTORS)
    assert {f.group for f in dz.FACTORS} == set(dz.Group)


def test_a_lower_level_entry_outside_its_parent_band_is_named() -> None:
    city = StatutoryRange(RangeKind.AMOUNT, D("1000"), D("10000"))
    assert dz.band_outside(StatutoryRange(RangeKind.AMOUNT, D("1000"), D("10000")), city) is None
    assert dz.band_outside(StatutoryRange(RangeKind.AMOUNT, D("999.99"), D("5000")), city)
    assert dz.band_outside(StatutoryRange(RangeKind.AMOUNT, D("1000"), D("10000.01")), city)
    within = GradeBand(Grade.LIGHTER, D("1000"), D("3700"))
    assert dz.grade_band_outside(within, city, []) is None
    beyond = GradeBand(Grade.LIGHTER, D("1000"), D("3700.01"))
    assert "超出上级" in (dz.grade_band_outside(beyond, city, []) or "")
    mult = StatutoryRange(RangeKind.MULTIPLE, D("1"), D("5"), "货值金额")
    assert dz.grade_band_outside(GradeBand(Grade.HEAVIER, D("3.8"), D("5")), mult, []) is None
    assert dz.grade_band_outside(GradeBand(Grade.HEAVIER, D("3.7"), D("5")), mult, [])


def test_mitigation_may_be_a_lighter_kind_without_a_fine() -> None:
    assert dz.fine_within(AMOUNT, Grade.MITIGATED, None)
    assert dz.fine_within(AMOUNT, Grade.MITIGATED, D("999.99"))
    assert not dz.fine_within(AMOUNT, Grade.MITIGATED, D("1000.00"))
    assert not dz.fine_within(AMOUNT, Grade.LIGHTER, None)
