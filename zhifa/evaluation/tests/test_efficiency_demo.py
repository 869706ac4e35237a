"""The demo's 效能评价 loads on the registry's city and the supervision demo's accounts, and a
second load changes nothing."""

from __future__ import annotations

import pytest

from zhifa.evaluation import demo_efficiency
from zhifa.evaluation.models import EfficiencyResult, EfficiencyScheme, SurveyAnswer
from zhifa.evaluation.recording import evaluation_replay_check
from zhifa.record.models import Entry
from zhifa.registry.demo import REFERENCE_DAY, city_load

pytestmark = pytest.mark.django_db


def test_the_demo_evaluation_loads_once_with_answers_and_a_computed_result() -> None:
    city_load()
    lines = demo_efficiency.load(REFERENCE_DAY)
    assert "2026年度行政执法效能评价" in lines[0]
    scheme = EfficiencyScheme.objects.get(body__name="示范市司法局", year=2026)
    assert scheme.state == EfficiencyScheme.State.COMPUTED
    assert SurveyAnswer.objects.count() == 8
    ranked = EfficiencyResult.objects.filter(scheme=scheme, run=scheme.run, rank=1).first()
    assert ranked is not None and ranked.satisfaction is not None
    assert list(evaluation_replay_check([])) == []
    before = Entry.objects.count()
    assert demo_efficiency.load(REFERENCE_DAY) == ["示范效能评价已加载，未做改动。"]
    assert Entry.objects.count() == before
