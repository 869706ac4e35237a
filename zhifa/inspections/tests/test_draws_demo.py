"""The demo's 双随机 tasks: a joint task of three agencies drawn from a real signed head (its JSON
verifies), one frozen and waiting, one draft; recorded (the log verifies); a second run adds
nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from zhifa.demo.testing import DemoSnapshot, demo_loaded
from zhifa.inspections import demo_draws, draw, selectors_draws
from zhifa.inspections.models import RandomTask
from zhifa.record.models import SignedHead
from zhifa.record.services import public_verifier_key
from zhifa.record.verification import log_verify
from zhifa.registry.demo import REFERENCE_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: Any, demo_snapshot: DemoSnapshot
) -> Iterator[str]:
    with (
        demo_loaded(demo_snapshot, django_db_blocker),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield demo_draws.load(REFERENCE_DAY)
        transaction.set_rollback(True)


def test_the_demo_draws_a_joint_task_of_three_agencies_from_a_real_head(loaded: str) -> None:
    # ``zhifa demo`` loaded the tasks (through demo_core); a second run adds nothing.
    assert loaded == "双随机抽查示范任务已加载，未做改动。", loaded
    joint = RandomTask.objects.get(title=demo_draws.JOINT_TITLE)
    assert joint.state == RandomTask.State.DRAWN
    assert joint.participants.count() == 2
    head = SignedHead.objects.filter(size__gte=joint.seed_size).order_by("size").first()
    assert head is not None and head.note == joint.checkpoint
    doc = selectors_draws.draw_document_for(joint)
    assert draw.verify_document(doc, key=public_verifier_key()).ok
    assert len(doc["pools"]) == sum(1 for p in doc["pools"] if p["pool"])
    states = set(RandomTask.objects.values_list("state", flat=True))
    assert states == {"draft", "frozen", "drawn"}
    report = log_verify(workers=1)
    assert report.ok, [p.message for p in report.problems]
    # The lead agency asked for the inspections of the entities drawn, each linked to the task.
    assert joint.inspections.filter(ground="random", agency=joint.agency).exists()


def test_demo_inspection_parties_mirror_the_directory(loaded: str) -> None:
    from zhifa.inspections.models import Inspection

    rows = list(Inspection.objects.select_related("entity", "case")[:50])
    assert rows
    for row in rows:
        party = row.case.parties.get()
        assert (party.name, party.credit_code) == (row.entity.name, row.entity.credit_code)
        assert party.address == row.entity.address
