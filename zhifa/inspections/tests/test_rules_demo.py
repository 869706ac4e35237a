"""The rules' demo on the demo city after the directory's demo: caps and the quiet period with
their sources, and example inspections inside and outside the quiet days."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.cases.tests.conftest import entered_on
from zhifa.inspections import demo_directory, demo_rules
from zhifa.inspections.models import Inspection
from zhifa.record.models import Entry
from zhifa.registry import demo as registry_demo

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 6)


def test_demo_shows_an_exception_a_filing_a_refusal_and_a_repeat() -> None:
    with entered_on(TODAY):
        registry_demo.city_load()
        demo_directory.load(TODAY)
        line = demo_rules.load(TODAY)
        assert "新建8项" in line and "示例检查4项" in line, line
        rows = Inspection.objects.filter(decision_note__endswith=demo_rules.EXAMPLE_MARK)
        states = sorted(rows.values_list("state", flat=True))
        assert states == ["approved", "approved", "approved", "refused"]
        assert rows.filter(quiet_exception="hazard", planned_on=date(2026, 6, 10)).exists()
        assert rows.filter(filed_on=TODAY, planned_on=date(2026, 6, 25)).exists()
        again = rows.get(planned_on=date(2026, 6, 26))
        entry = Entry.objects.filter(case_id=again.case_id, action="inspection.approve").get()
        assert any("重复检查" in n["message"] for n in entry.data["notices"])
        assert demo_rules.load(TODAY).endswith("已存在")
