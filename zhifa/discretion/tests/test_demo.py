"""The demo's 基准 with ranges: an amount range, a multiple, a district entry refining the
city's; recorded (the log verifies) and a second run adds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from zhifa.demo.testing import DemoSnapshot, demo_loaded
from zhifa.discretion import demo
from zhifa.record.verification import log_verify
from zhifa.registry.models import DiscretionBenchmark

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: Any, demo_snapshot: DemoSnapshot
) -> Iterator[str]:
    with (
        demo_loaded(demo_snapshot, django_db_blocker) as output,
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield output
        transaction.set_rollback(True)


def test_the_demo_has_a_range_a_multiple_and_a_refined_district_entry(loaded: str) -> None:
    published = DiscretionBenchmark.objects.filter(status="published")
    amount = published.get(range_kind="amount", parent__isnull=True)
    assert (amount.range_min, amount.range_max) == (5000, 50000)
    assert amount.power_items.filter(code="XZCF-01-005").exists()
    assert published.get(range_kind="multiple").base_name == "货值金额"
    district = published.get(parent=amount)
    assert district.agency is not None and district.agency.name.endswith("区市场监督管理局")
    assert "已加载裁量基准的法定幅度" in loaded
    report = log_verify(workers=1)
    assert report.ok, [p.message for p in report.problems]
    assert demo.load() == 0
