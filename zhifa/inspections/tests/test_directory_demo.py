"""The directory part's demo loads on the demo city, fast and idempotent."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.cases.tests.conftest import entered_on
from zhifa.inspections import demo_directory
from zhifa.inspections.models import Entity, JointInspection, Plan
from zhifa.inspections.selectors_directory import entities_replay_check, joint_proposals
from zhifa.registry import demo as registry_demo
from zhifa.registry.models import Account

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 6)


def test_demo_loads_directory_plans_and_a_joint_inspection() -> None:
    with entered_on(TODAY):
        registry_demo.city_load()
        line = demo_directory.load(TODAY)
        assert "检查对象3000户" in line
        assert Entity.objects.count() == 3000
        assert set(Entity.objects.values_list("risk_class", flat=True)) == {"A", "B", "C", "D"}
        assert Entity.objects.filter(status="closed").exists()
        assert Entity.objects.exclude(scale_category="").count() > 500
        assert len({e.division_code for e in Entity.objects.all()}) == 3
        assert Plan.objects.filter(kind="annual", status="published").count() >= 5
        assert Plan.objects.filter(kind="annual", status="draft").exists()
        assert Plan.objects.filter(kind="special", status="published").count() == 1
        assert JointInspection.objects.filter(state="agreed").count() == 1, line
        supervisor = Account.objects.get(username="supervisor")
        assert len(joint_proposals(supervisor, TODAY)) == 1
        assert list(entities_replay_check([])) == []
        assert "未做改动" in demo_directory.load(TODAY)
