"""The scoring rules of a template at their boundaries: each deduction rule kind, 扣完为止 per
section, both veto kinds, the grade bands of 《广东省行政执法案卷评查办法》第十六条."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.evaluation import scoring
from zhifa.evaluation.tests.conftest import small_content

SPEC = scoring.parse_template(small_content())
ZERO_SPEC = scoring.parse_template(small_content(), veto_effect=scoring.VETO_ZERO)


def total(items: dict | None = None, vetoes: dict | None = None, spec=SPEC) -> scoring.Result:
    return scoring.score(spec, {"items": items or {}, "vetoes": vetoes or {}})


def test_an_unmarked_file_scores_full_points_and_grade_excellent() -> None:
    r = total()
    assert (r.total, r.grade, r.vetoed) == (Decimal("100.00"), "优秀", False)


@pytest.mark.parametrize(("occurrences", "deducted"), [(0, "0"), (1, "2"), (3, "2")])
def test_a_fixed_item_deducts_its_points_once_whatever_the_count(
    occurrences: int, deducted: str
) -> None:
    r = total({"A1": {"occurrences": occurrences}})
    assert r.deductions["A1"] == Decimal(deducted)


@pytest.mark.parametrize(
    ("occurrences", "deducted"), [(0, "0"), (1, "1"), (3, "3"), (4, "4"), (5, "4"), (9, "4")]
)
def test_a_per_occurrence_item_deducts_per_occurrence_up_to_its_cap(
    occurrences: int, deducted: str
) -> None:
    r = total({"A2": {"occurrences": occurrences}})
    assert r.deductions["A2"] == Decimal(deducted)


@pytest.mark.parametrize("chosen", ["5", "9.5", "15"])
def test_a_range_item_deducts_what_the_reviewer_chose_within_its_range(chosen: str) -> None:
    r = total({"B1": {"occurrences": 1, "deduction": chosen}})
    assert r.deductions["B1"] == Decimal(chosen)


@pytest.mark.parametrize("chosen", ["4.99", "15.01", "", "x"])
def test_a_range_item_refuses_a_deduction_outside_its_range(chosen: str) -> None:
    with pytest.raises(scoring.MarkError, match="5～15"):
        total({"B1": {"occurrences": 1, "deduction": chosen}})


def test_a_range_item_not_applying_deducts_nothing_whatever_was_typed() -> None:
    assert total({"B1": {"occurrences": 0, "deduction": "99"}}).deductions["B1"] == 0


@pytest.mark.parametrize(("occurrences", "section_b"), [(2, "20"), (3, "0"), (4, "0")])
def test_a_section_never_goes_below_zero(occurrences: int, section_b: str) -> None:
    # 扣完为止，不计负分: 3 × 30 = 90 deducted from 80 leaves 0, not −10.
    r = total({"B2": {"occurrences": occurrences}})
    assert r.sections["B"] == Decimal(section_b)
    assert r.total == Decimal(section_b) + 20


def test_an_item_never_deducts_more_than_its_own_points() -> None:
    spec = scoring.parse_template(
        small_content(
            sections=[
                {
                    "code": "A",
                    "name": "卷面",
                    "max_points": "100",
                    "items": [
                        {
                            "code": "A1",
                            "text": "x",
                            "max_points": "10",
                            "rule": {"kind": "per_occurrence", "points": "3"},
                        }
                    ],
                }
            ]
        )
    )
    assert total({"A1": {"occurrences": 4}}, spec=spec).deductions["A1"] == Decimal(10)
    assert total({"A1": {"occurrences": 3}}, spec=spec).deductions["A1"] == Decimal(9)


def test_a_fail_veto_makes_the_file_fail_whatever_its_score() -> None:
    # 《广东省行政执法案卷评查办法》第十七条: the score stays, the grade is 不合格.
    r = total(vetoes={"V1": {"hit": True}})
    assert (r.total, r.grade, r.vetoed_by) == (Decimal("100.00"), "不合格", ("V1",))
    assert total(vetoes={"V1": {"hit": False}}).grade == "优秀"


def test_a_zero_veto_sets_the_total_to_zero() -> None:
    # 河南2022版基础标准 / 测绘 基本标准: failing one basic item scores the file 0.
    r = total({"A2": {"occurrences": 1}}, vetoes={"V1": {"hit": True}}, spec=ZERO_SPEC)
    assert (r.total, r.grade) == (Decimal(0), "不合格")
    assert total(vetoes={"V1": {"hit": False}}, spec=ZERO_SPEC).total == Decimal(100)


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("0", "不合格"),
        ("59.9", "不合格"),
        ("60", "合格"),
        ("74.9", "合格"),
        ("75", "良好"),
        ("89.9", "良好"),
        ("90", "优秀"),
        ("100", "优秀"),
    ],
)
def test_grade_bands_of_guangdong_article_16(value: str, grade: str) -> None:
    assert scoring.grade_of(Decimal(value), SPEC.bands) == grade


def test_a_scored_total_lands_in_the_band_at_its_boundary() -> None:
    # 100 − 2 (A1) − 4 (A2) − 4 (B1 range) = 90 → 优秀; one more point → 良好.
    at = total(
        {
            "A1": {"occurrences": 1},
            "A2": {"occurrences": 4},
            "B1": {"occurrences": 1, "deduction": "5"},
        }
    )
    assert (at.total, at.grade) == (Decimal(89), "良好")
    edge = total(
        {
            "A1": {"occurrences": 1},
            "A2": {"occurrences": 3},
            "B1": {"occurrences": 1, "deduction": "5"},
        }
    )
    assert (edge.total, edge.grade) == (Decimal(90), "优秀")


def test_marks_for_unknown_items_or_vetoes_are_refused() -> None:
    with pytest.raises(scoring.MarkError, match="Z9"):
        total({"Z9": {"occurrences": 1}})
    with pytest.raises(scoring.MarkError, match="V9"):
        total(vetoes={"V9": {"hit": True}})


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"sections": []}, "至少应有一个"),
        ({"grade_bands": [{"from": "60", "grade": "合格"}]}, "起点分应为0分"),
        (
            {"grade_bands": [{"from": "0", "grade": "不合格"}, {"from": "0", "grade": "合格"}]},
            "不能重复",
        ),
    ],
)
def test_a_template_that_cannot_be_used_is_refused_with_its_place(
    patch: dict, message: str
) -> None:
    with pytest.raises(scoring.TemplateError, match=message):
        scoring.parse_template(small_content(**patch))


def test_an_item_rule_beyond_its_points_is_refused_naming_the_item() -> None:
    content = small_content()
    content["sections"][0]["items"][0]["rule"] = {"kind": "fixed", "points": "3"}
    with pytest.raises(scoring.TemplateError, match="第1部分第1项"):
        scoring.parse_template(content)
    content["sections"][0]["items"][0]["rule"] = {"kind": "range", "min": "2", "max": "1"}
    with pytest.raises(scoring.TemplateError, match="扣分区间"):
        scoring.parse_template(content)
    content["sections"][0]["items"][0]["rule"] = {
        "kind": "per_occurrence",
        "points": "1",
        "cap": "3",
    }
    with pytest.raises(scoring.TemplateError, match="上限"):
        scoring.parse_template(content)


def test_duplicate_codes_are_refused() -> None:
    content = small_content()
    content["sections"][1]["items"][0]["code"] = "A1"
    with pytest.raises(scoring.TemplateError, match=r"A1.*重复"):
        scoring.parse_template(content)


@pytest.mark.parametrize(
    ("a", "b", "threshold", "combined"),
    [("80", "85", "5", "82.50"), ("80", "85.01", "5", None), ("80", "80", "0", "80.00")],
)
def test_two_scorings_combine_unless_they_differ_beyond_the_threshold(
    a: str, b: str, threshold: str, combined: str | None
) -> None:
    ra = scoring.Result(total=Decimal(a), grade="", vetoed_by=())
    rb = scoring.Result(total=Decimal(b), grade="", vetoed_by=())
    out = scoring.combine([ra, rb], SPEC, Decimal(threshold))
    assert (out.total if out else None) == (Decimal(combined) if combined else None)


def test_scorings_that_disagree_on_a_veto_go_to_the_leader() -> None:
    ra = scoring.Result(total=Decimal(100), grade="不合格", vetoed_by=("V1",))
    rb = scoring.Result(total=Decimal(100), grade="优秀", vetoed_by=())
    assert scoring.combine([ra, rb], SPEC, Decimal(5)) is None


def test_a_number_too_large_for_a_template_is_refused_not_crashed() -> None:
    content = small_content()
    content["sections"][0]["max_points"] = "1e30"
    with pytest.raises(scoring.TemplateError, match="过大"):
        scoring.parse_template(content)
