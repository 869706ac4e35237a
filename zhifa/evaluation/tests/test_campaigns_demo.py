"""The campaigns demo: a random 抽查 of three demo agencies with files in every grade, a veto
and a reconciliation, and a 自行选送 campaign; replayed by ``zhifa verify``; idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from zhifa.demo.testing import DemoSnapshot, demo_loaded
from zhifa.evaluation import demo_campaigns
from zhifa.evaluation.models import Campaign, File
from zhifa.evaluation.recording import evaluation_replay_check
from zhifa.registry.demo import REFERENCE_DAY

LOADED_AT = datetime(
    REFERENCE_DAY.year, REFERENCE_DAY.month, REFERENCE_DAY.day, 20, tzinfo=ZoneInfo("Asia/Shanghai")
)


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: Any, demo_snapshot: DemoSnapshot
) -> Iterator[list[str]]:
    with (
        demo_loaded(demo_snapshot, django_db_blocker),
        django_db_blocker.unblock(),
        transaction.atomic(),
        time_machine.travel(LOADED_AT, tick=True),
        override_settings(ZHIFA_LATE_ENTRY_DAYS=3),
    ):
        yield demo_campaigns.load(REFERENCE_DAY)
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_demo_campaign_has_files_in_every_grade_a_veto_and_a_reconciliation(
    loaded: list[str],
) -> None:
    campaign = Campaign.objects.get(name=demo_campaigns.RANDOM_NAME)
    assert campaign.agencies.count() == 3 and campaign.seed == demo_campaigns.SEED
    files = File.objects.filter(campaign=campaign)
    assert set(files.exclude(grade="").values_list("grade", flat=True)) == {
        "优秀",
        "良好",
        "合格",
        "不合格",
    }
    assert files.filter(vetoed=True).exists()
    assert files.filter(result_basis="组长核定").count() == 1
    assert not files.filter(state=File.State.ASSIGNED).exists()  # all scored: ready to report
    submitted = Campaign.objects.get(name=demo_campaigns.SUBMITTED_NAME)
    assert submitted.files.filter(origin=File.Origin.SUBMITTED).count() == 2
    assert submitted.files.filter(state=File.State.ASSIGNED).count() == 2  # still to score
    assert not list(evaluation_replay_check([]))


def test_the_demo_loads_once(loaded: list[str]) -> None:
    assert demo_campaigns.load(REFERENCE_DAY) == ["示范评查活动已加载，未做改动。"]
