"""Every record action has a Chinese name, and the timeline shows no internal one (issue 11:
"the record in plain Chinese" — evaluators and courts read the timeline)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhifa.record.action_labels import action_label, action_labelled
from zhifa.record.models import Entry

from .matrix_world import NOW, world_build

pytestmark = pytest.mark.django_db

ZHIFA = Path(__file__).resolve().parent.parent
# An action as services write it: "<app>.<name>[.<name>]" in a string literal.
ACTION = re.compile(
    r"[\"']((?:case|review|publicity|registry|login|evidence|document|record|core)"
    r"\.[a-z_]+(?:\.[a-z_]+)?)[\"']"
)
# Literals of that shape that are not actions: model labels, the f-string prefix of publishing.
NOT_ACTIONS = {"registry.officer", "core.calendaryear", "core.calendaroverride"}
PUBLISHING = ("publish", "correct", "update", "withdraw")  # f"publicity.{kind}"


def written_actions() -> set[str]:
    found: set[str] = set()
    for path in ZHIFA.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "record_append" not in text and "_record(" not in text and "action=" not in text:
            continue
        found.update(m[1] for m in ACTION.finditer(text))
    return (found - NOT_ACTIONS) | {f"publicity.{kind}" for kind in PUBLISHING}


def test_every_action_the_services_write_has_a_chinese_name() -> None:
    actions = written_actions()
    assert len(actions) > 80  # the scan finds the services' actions at all
    unnamed = sorted(a for a in actions if not action_labelled(a))
    assert not unnamed, f"record actions without a Chinese name: {unnamed}"
    for action in actions:
        assert re.search(r"[\u4e00-\u9fff]", action_label(action)), action


def test_a_case_timeline_with_review_publicity_and_uploads_names_every_entry_in_chinese() -> None:
    with time_machine.travel(NOW, tick=False):
        world = world_build()
        actions = set(Entry.objects.filter(case_id=world.a.case).values_list("action", flat=True))
        assert {"review.submit", "evidence.upload", "document.generate"} <= actions
        assert all(action_labelled(a) for a in Entry.objects.values_list("action", flat=True))
        client = Client()
        client.force_login(world.p.officer)
        page = client.get(reverse("case_detail", kwargs={"pk": world.a.case})).content.decode()
        timeline = page.split('id="timeline"', 1)[1]
        for action in actions:
            assert action not in timeline, f"the timeline shows {action!r}"
            assert action_label(action) in timeline
