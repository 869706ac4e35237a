"""The demo filings of ``zhifa demo``: on time, late, each review outcome, unfiled ones overdue;
all recorded (the log verifies) and a second run adds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from zhifa.demo.testing import DemoSnapshot, demo_loaded
from zhifa.filings import demo
from zhifa.filings.models import Filing
from zhifa.filings.selectors import filings_replay_check
from zhifa.record.verification import case_groups, log_verify
from zhifa.registry import demo as city

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


def test_the_demo_files_and_reviews_major_decisions(loaded: str) -> None:
    states = set(Filing.objects.values_list("state", flat=True))
    assert {"registered", "correction"} <= states, loaded
    assert Filing.objects.filter(late=True).exists()
    assert Filing.objects.filter(late=False).exists()
    correction = Filing.objects.get(state="correction")
    assert correction.matter_id is not None
    assert "已加载重大行政处罚决定备案" in loaded
    assert list(filings_replay_check(case_groups())) == []
    report = log_verify(workers=1)  # `zhifa verify`: the whole log, every replay checker
    assert report.ok, [p.message for p in report.problems]


def test_a_second_run_adds_nothing(loaded: str) -> None:
    before = Filing.objects.count()
    assert demo.load(today=city.REFERENCE_DAY).already
    assert Filing.objects.count() == before
