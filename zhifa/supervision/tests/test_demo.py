"""``zhifa demo`` loads the supervision matters: every state and every outcome, through the
services (so replayed by ``zhifa verify``), idempotent."""

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
from zhifa.registry.demo import REFERENCE_DAY
from zhifa.supervision.demo import demo_matters_load
from zhifa.supervision.models import Document, Matter
from zhifa.supervision.selectors import supervision_replay_check

LOADED_AT = datetime(
    REFERENCE_DAY.year, REFERENCE_DAY.month, REFERENCE_DAY.day, 20, tzinfo=ZoneInfo("Asia/Shanghai")
)


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: Any, demo_snapshot: DemoSnapshot
) -> Iterator[str]:
    with (
        demo_loaded(demo_snapshot, django_db_blocker) as output,
        django_db_blocker.unblock(),
        transaction.atomic(),
        time_machine.travel(LOADED_AT, tick=True),
        override_settings(ZHIFA_LATE_ENTRY_DAYS=3),
    ):
        yield output
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_demo_has_a_matter_in_every_state_and_every_outcome(loaded: str) -> None:
    assert "已加载监督事项" in loaded
    assert set(Matter.objects.values_list("state", flat=True)) == set(Matter.State.values)
    assert set(Document.objects.values_list("kind", flat=True)) == set(Document.Kind.values)
    assert Matter.objects.filter(body__name="示范市丙县司法局").exists()
    assert Matter.objects.filter(body__name="示范市司法局", steps__kind="inspection").exists()
    assert not list(supervision_replay_check([]))


def test_the_demo_loads_once(loaded: str) -> None:
    assert demo_matters_load(today=REFERENCE_DAY).already


# -- results published, rectifications escalated ------------------------------------------


def test_the_demo_publishes_a_notice_and_escalates_the_overdue_rectifications(loaded: str) -> None:
    from django.test import Client

    from zhifa.publicity.models import Publication
    from zhifa.supervision.models import Escalation

    # the matter's 通报 (the evaluation's 通报 goes the same way, waiting for the publisher)
    pub = Publication.objects.get(
        source=Publication.Source.SUPERVISION, state=Publication.State.PUBLISHED
    )
    assert pub.state == Publication.State.PUBLISHED and pub.agency.name == "示范市司法局"
    column = Client().get("/public/supervision-results/").content.decode()
    assert pub.decision_number in column
    escalated = Escalation.objects.select_related("document")
    assert any(e.document.kind == "urge_letter" for e in escalated)
    # a report checked and not accepted, overdue since, is escalated too
    assert any(e.document.status == Document.Status.REJECTED for e in escalated)
    assert not list(supervision_replay_check([]))


def test_the_demo_command_reports_the_complaints_in_chinese(loaded: str) -> None:
    assert "已加载示范投诉举报（待受理" in loaded
    for code in ("received", "accepted", "refused", "transferred", "concluded"):
        assert code not in loaded


# -- who supervises whom: a department's system (条例第四十二条), a 司法所 (第六条第二款) ----


def test_the_demo_has_a_department_supervising_its_system_and_an_assisting_office(
    loaded: str,
) -> None:
    from zhifa.registry.models import Account
    from zhifa.supervision.selectors import agencies_supervisable_by, matters_visible_to

    market = Account.objects.get(username="market_supervisor")
    assert market.supervision_scope == Account.SupervisionScope.SYSTEM
    (mine,) = matters_visible_to(market)
    assert mine.body == market.agency and mine.agency.parent_id == market.agency_id
    assert mine.agency in agencies_supervisable_by(market)
    assert market.agency not in agencies_supervisable_by(market)
    sfs = Account.objects.get(username="sfs_supervisor")
    assert sfs.supervision_scope == Account.SupervisionScope.ASSIST
    (helped,) = matters_visible_to(sfs)
    assert helped.body.name == "示范市丙县司法局" and helped.body_id == sfs.agency.parent_id
    assert helped.steps.filter(kind="inspection", actor=sfs).exists()
    assert not agencies_supervisable_by(sfs).exists()
    assert not list(supervision_replay_check([]))
