"""The to-do list of every role, sorted by urgency, and the deadline reminders at their
boundaries (3 working days before, the day, the day after)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhifa.cases import services as cases
from zhifa.cases.models import Case, CaseOfficer
from zhifa.cases.tests.conftest import PENALTY_CODE, World, entered_on
from zhifa.core.calendar import current_calendar
from zhifa.notifications.models import Notification
from zhifa.registry.models import Account
from zhifa.todos.items import Todo, todos_for, urgency
from zhifa.todos.jobs import reminders_send
from zhifa.todos.reminders import Stage, reminder_stage

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 10, tzinfo=SH)


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


# -- reminder stages (pure) ---------------------------------------------------------------------

# 2026-03-26 is a Thursday: 3 working days before is Monday 2026-03-23, 4 the Friday before.
DUE = date(2026, 3, 26)


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2026, 3, 20), None),  # 4 working days before
        (date(2026, 3, 21), None),  # Saturday: still 4 working days (Mon–Thu) to go
        (date(2026, 3, 23), Stage.SOON),  # 3 working days before
        (date(2026, 3, 25), Stage.SOON),  # the day before
        (DUE, Stage.DUE),  # the day
        (date(2026, 3, 27), Stage.OVERDUE),  # the day after
    ],
)
def test_reminder_stage_boundaries(db: None, today: date, stage: Stage | None) -> None:
    assert reminder_stage(DUE, today, current_calendar()) == stage


def test_reminder_stage_counts_the_statutory_calendar(db: None) -> None:
    # 2026-10-09 (Friday) after the National Day holiday; 2026-10-08 is a holiday, so the third
    # working day before it is in September.
    assert reminder_stage(date(2026, 10, 9), date(2026, 9, 30), current_calendar()) == Stage.SOON
    assert reminder_stage(date(2026, 10, 9), date(2026, 9, 28), current_calendar()) is None


def test_urgency_puts_overdue_first_and_no_deadline_last() -> None:
    def t(key: str, due: date | None) -> Todo:
        return Todo(key=key, kind="k", kind_label="k", what=key, url="/", due_on=due)

    items = [t("none", None), t("later", date(2026, 4, 1)), t("overdue", date(2026, 3, 1))]
    assert [i.key for i in sorted(items, key=urgency)] == ["overdue", "later", "none"]


# -- the reminders job ----------------------------------------------------------------------------


def reminders_of(account: Account) -> list[str]:
    return list(
        Notification.objects.filter(recipient=account, kind=Notification.Kind.REMINDER)
        .order_by("id")
        .values_list("title", flat=True)
    )


def test_reminders_are_sent_at_each_stage_once(world: World) -> None:
    clue = world.clue(date(2026, 3, 2))  # 立案 to decide by 2026-03-23 (15 working days)
    head = world.p.head
    assert reminders_send(today=date(2026, 3, 17)) == 0  # 4 working days before
    assert reminders_send(today=date(2026, 3, 18)) >= 1  # 3 working days before
    assert reminders_send(today=date(2026, 3, 18)) == 0  # sent once
    assert any(t.startswith("即将到期：立案审批") for t in reminders_of(head))
    reminders_send(today=date(2026, 3, 23))
    assert any(t.startswith("今日到期：立案审批") for t in reminders_of(head))
    reminders_send(today=date(2026, 3, 24))
    reminders_send(today=date(2026, 3, 25))
    overdue = [t for t in reminders_of(head) if t.startswith("已逾期：立案审批")]
    assert len(overdue) == 1 and clue.title in overdue[0]


# -- the lists of each role -----------------------------------------------------------------------


def test_officer_sees_my_cases_with_next_steps_and_deadlines(world: World) -> None:
    case = world.investigated(world.registered(date(2026, 3, 4)), date(2026, 3, 5))
    items = todos_for(world.p.officer, NOW.date())
    mine = next(i for i in items if i.case_id == case.pk)
    assert "提交案件审核" in mine.what
    assert mine.due_on is not None and "第六十条" in mine.article
    page = text(client_for(world.p.officer).get(reverse("todo_list")))
    assert "我的案件" in page and case.title in page and "第六十条" in page
    # Not assigned: another agency's officer sees nothing of it.
    assert todos_for(world.p.officer_b, NOW.date()) == []


def test_reviewer_is_told_of_a_case_submitted_for_review_and_has_it_to_do(world: World) -> None:
    case = world.in_review(date(2026, 3, 4), date(2026, 3, 6))
    told = Notification.objects.get(recipient=world.p.reviewer)
    assert told.kind == Notification.Kind.REVIEW_REQUESTED and case.title in told.title
    items = todos_for(world.p.reviewer, NOW.date())
    assert [i.kind for i in items if i.case_id == case.pk] == ["case_review"]


def test_todo_page_needs_a_login(db: None) -> None:
    response = Client().get(reverse("todo_list"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_supervisor_list_is_empty_until_supervision_registers(world: World) -> None:
    world.clue()
    page = text(client_for(world.p.supervisor).get(reverse("todo_list")))
    assert "没有待办事项" in page


def test_publisher_has_the_decision_due_for_publication_with_its_working_day_deadline(
    world: World, evidence_dir: object
) -> None:
    case = world.decided()
    items = [i for i in todos_for(world.p.publisher, date(2026, 4, 29)) if i.case_id == case.pk]
    assert [i.kind for i in items] == ["publication"]
    assert items[0].unit == "工作日" and "118号" in items[0].article


def test_case_list_filters_my_cases(world: World) -> None:
    mine = world.clue()
    with entered_on(date(2026, 3, 3)):
        other = cases.case_open(
            actor=world.p.officer2,
            kind=Case.Kind.PENALTY_GENERAL,
            power_code=PENALTY_CODE,
            title="另一名执法人员承办的案件",
            on=date(2026, 3, 3),
            officers=[(world.o2, CaseOfficer.Role.LEAD)],
        )
    page = text(client_for(world.p.officer).get(reverse("case_list"), {"mine": "on"}))
    assert f"/cases/{mine.pk}/" in page and f"/cases/{other.pk}/" not in page
