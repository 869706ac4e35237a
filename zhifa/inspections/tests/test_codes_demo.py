"""The demo's scanned codes and ratings: loaded on the approved and emergency-started
inspections there are, through the services, once."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from zhifa.core.testing import Personas
from zhifa.inspections import demo_codes
from zhifa.inspections.models import Rating, Visit
from zhifa.inspections.selectors_codes import visits_replay_check
from zhifa.record.verification import case_groups

from .codes_world import codes_world_build, evidence_in, inspection_make

pytestmark = pytest.mark.django_db


def test_the_demo_scans_codes_enters_emergencies_late_and_rates_once(
    personas: Personas, settings: Any, tmp_path: Path
) -> None:
    evidence_in(settings, tmp_path)
    assert "没有已批准" in demo_codes.load(date(2026, 3, 20))
    world = codes_world_build(personas)
    inspection_make(world, opened_on=date(2026, 3, 2), planned_on=date(2026, 3, 5))
    inspection_make(world, opened_on=date(2026, 3, 9), state="emergency")
    inspection_make(world, opened_on=date(2026, 3, 9), state="requested")
    inspection_make(world, opened_on=date(2026, 3, 9), planned_on=date(2026, 4, 1))  # not yet
    text = demo_codes.load(date(2026, 3, 20))
    assert text == "扫码入企：2次检查，入企记录8条，企业评价2条。"
    assert Visit.objects.filter(scanned=True).count() == 4
    assert Visit.objects.filter(scanned=False).count() == 4
    assert Rating.objects.count() == 2
    assert list(visits_replay_check(case_groups())) == []
    assert "已加载" in demo_codes.load(date(2026, 3, 20))
    assert Visit.objects.count() == 8
