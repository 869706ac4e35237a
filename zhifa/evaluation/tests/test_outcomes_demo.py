"""The outcomes demo: on the demo campaign, the team report, feedback, an objection upheld and
one rejected, the overall report and 通报 (proposed for publication), two accountability
records; a second run changes nothing; without the campaign it says so and does nothing."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from zhifa.cases.tests.conftest import World
from zhifa.evaluation import demo_outcomes
from zhifa.evaluation.models import Accountability, Campaign, Objection, Report
from zhifa.evaluation.recording import evaluation_replay_check
from zhifa.evaluation.tests.outcomes_world import campaign_with_files
from zhifa.publicity.models import Publication
from zhifa.record.models import Entry
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


def test_without_the_campaign_the_demo_does_nothing(bureau: Bureau) -> None:
    lines = demo_outcomes.load(TODAY)
    assert "未找到" in lines[0] and not Report.objects.exists()


def test_the_demo_runs_the_outcomes_once(bureau: Bureau, world: World, template: object) -> None:
    with time_machine.travel("2026-11-30 10:00 +08:00", tick=False):
        o = campaign_with_files(
            bureau,
            world,
            template,
            name=demo_outcomes.DEMO_CAMPAIGN,  # type: ignore[arg-type]
        )
        lines = demo_outcomes.load(TODAY)
    assert Campaign.objects.get(pk=o.campaign.pk).state == Campaign.State.CLOSED
    kinds = sorted(Report.objects.values_list("kind", flat=True))
    assert kinds == sorted(["team", "feedback", "answer", "answer", "overall", "notice"])
    outcomes = sorted(Objection.objects.values_list("outcome", flat=True))
    assert outcomes == ["rejected", "upheld"]
    assert Accountability.objects.count() == 2
    assert Publication.objects.filter(source_ref__startswith="evaluation.report:").count() == 1
    assert any("异议成立" in line for line in lines)
    seen = Entry.objects.count()
    again = demo_outcomes.load(TODAY)
    assert "未做改动" in again[0] and Entry.objects.count() == seen
    assert not list(evaluation_replay_check([]))
