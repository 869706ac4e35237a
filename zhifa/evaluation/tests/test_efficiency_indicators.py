"""The indicator language and the hard rule: no indicator may reward fines, confiscations or the
number of penalties (《行政处罚法》第七十四条; 纲要 "严禁下达或者变相下达罚没指标")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.evaluation import indicators as ind

D = Decimal
WEIGHTS = {"quality": D(30), "duty": D(50), "satisfaction": D(20)}


def one(formula: str, name: str = "测试指标", **over: str) -> dict[str, str]:
    return {"code": "X1", "component": "duty", "name": name, "formula": formula, **over}


@pytest.mark.parametrize(
    "formula",
    [
        "fine_amount",  # the amount of fines
        "confiscation_amount / 1000",  # confiscations, scaled
        "fine_amount / cases_decided",  # a ratio of fines: fines per case
        "forfeiture_amount / (files_scored + 1)",
        "penalty_decisions",  # a count of penalty decisions
        "penalty_count / cases_decided",  # the share of cases ending in a penalty
        "penalty_cases * 2",
        "total_fines_yuan / 2",  # an unknown name that hides a fine
        "min(penalty_decisions, 10)",
        "cases_decided",  # the number of decisions itself
        "cases_decided / files_scored",  # decisions per scored file: grows with decisions
        "cases_decided_in_time * 1",
        "100 - publications_due",
    ],
)
def test_the_editor_refuses_fine_and_penalty_count_formulas_naming_article_74(
    formula: str,
) -> None:
    with pytest.raises(ind.IndicatorError) as exc:
        ind.indicator_check(one(formula))
    assert exc.value.article == ind.FINES_RULE
    assert "第七十四条" in exc.value.message
    assert "严禁下达或者变相下达罚没指标" in exc.value.message


@pytest.mark.parametrize("name", ["罚没收入完成率", "罚款到位率", "行政处罚案件数", "处罚金额"])
def test_the_editor_refuses_a_fine_indicator_by_its_name(name: str) -> None:
    with pytest.raises(ind.IndicatorError) as exc:
        ind.indicator_check(one("files_failed / files_scored", name=name))
    assert exc.value.article == ind.FINES_RULE


@pytest.mark.parametrize(
    "formula",
    [
        "cases_decided_in_time / cases_decided",
        "(cases_decided - cases_decided_in_time) / cases_decided",
        "publications_on_time / publications_due",
        "file_score_sum / files_scored",
        "min(100, survey_score_sum / survey_answers)",
    ],
)
def test_rates_and_quality_measures_are_accepted(formula: str) -> None:
    assert ind.indicator_check(one(formula)).formula == formula


@pytest.mark.parametrize(
    "formula", ["__import__('os')", "files_scored ** 2", "files_scored.real", "unknown_figure", ""]
)
def test_anything_but_the_small_language_is_refused_without_running(formula: str) -> None:
    with pytest.raises(ind.IndicatorError) as exc:
        ind.indicator_check(one(formula))
    assert exc.value.article == ind.SCHEME_RULE


def test_the_default_indicators_pass_and_their_formulas_read_in_words() -> None:
    checked = ind.indicators_check(ind.DEFAULT_INDICATORS)
    assert {i.component for i in checked} == set(ind.COMPONENTS)
    d1 = next(i for i in checked if i.code == "D1")
    assert ind.formula_text(d1.formula) == "按期公示的行政执法决定数 ÷ 应公示的行政执法决定数"
    d4 = next(i for i in checked if i.code == "D4")  # the statistics filings, now connected
    assert not d4.unconnected
    assert ind.formula_text(d4.formula) == (
        "按期报送的行政执法统计季报数 ÷ 应报送的行政执法统计季报数"
    )


def test_weights_must_sum_to_100() -> None:
    assert ind.weights_check({"quality": 30, "duty": 50, "satisfaction": 20})["duty"] == 50
    with pytest.raises(ind.IndicatorError, match="之和应为100"):
        ind.weights_check({"quality": 30, "duty": 50, "satisfaction": 21})
    with pytest.raises(ind.IndicatorError):
        ind.weights_check({"quality": -10, "duty": 90, "satisfaction": 20})


def test_the_total_is_the_weighted_components_rescaled_over_those_with_data() -> None:
    checked = ind.indicators_check(ind.DEFAULT_INDICATORS)
    figures = {
        "files_scored": D(2),
        "file_score_sum": D(170),  # average 85
        "files_failed": D(0),
        "files_vetoed": D(0),
        "publications_due": D(4),
        "publications_on_time": D(3),  # 75 %
        "cases_decided": D(0),  # no data: left out
        "cases_decided_in_time": D(0),
        "plan_inspections": D(0),
        "plan_inspections_done": D(0),
        "statistics_due": D(0),  # no quarter due yet: left out
        "statistics_on_time": D(0),
        "survey_answers": D(0),
        "survey_score_sum": D(0),
        "third_party_score": D(0),
        "third_party_count": D(0),
    }
    out = ind.evaluate(checked, WEIGHTS, figures)
    # 执法质量: (2·85 + 1·100 + 1·100) / 4 = 92.5; 监管履行率: only D1 = 75
    assert out.components == {"quality": D("92.50"), "duty": D("75.00"), "satisfaction": None}
    # 社会满意度 has no data: (30·92.5 + 50·75) / 80
    assert out.total == D("81.56")
    assert out.values["D1"].numerator == 3 and out.values["D1"].denominator == 4
    assert out.values["D4"].score is None  # nothing due: no data, not a zero
    full = dict(figures, survey_answers=D(1), survey_score_sum=D(50))
    assert ind.evaluate(checked, WEIGHTS, full).total == D("75.25")  # (2775 + 3750 + 1000) / 100


def test_lower_is_better_scores_the_complement_and_ranks_share_places() -> None:
    failure = ind.indicator_check(
        one("files_failed / files_scored", unit="rate", better="lower", component="quality")
    )
    v = ind.indicator_value(failure, {"files_failed": D(1), "files_scored": D(4)})
    assert (v.value, v.score) == (D("0.2500"), D("75.00"))
    assert ind.ranks([(1, D(90)), (2, D(95)), (3, D(90)), (4, None)]) == {2: 1, 1: 2, 3: 2}
