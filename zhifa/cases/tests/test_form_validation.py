"""Forms that help: an officer who may not act is marked in the pickers and refused at
assignment and at 立案 (《行政处罚法》第四十二条); the power items offered fit the kind of case;
dates that cannot be in the future, and ends before starts, are said beside the field with the
article."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case, CaseOfficer
from zhifa.core.exceptions import RuleViolation

from .conftest import INSPECTION_CODE, PENALTY_CODE, PERSON, World, entered_on
from .test_views import action_url, client_for, detail_url, open_case_data, text

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
# The expired officer's certificate expires on 2026-06-30 (core.testing).
EXPIRES = date(2026, 6, 30)


def _clue(world: World, on: date, *officers: tuple[Any, str]) -> Case:
    with entered_on(on):
        return services.case_open(
            actor=world.p.officer,
            kind=Case.Kind.PENALTY_GENERAL,
            power_code=PENALTY_CODE,
            title="经营超过保质期的食品",
            on=on,
            act_ended_on=date(2026, 6, 1),
            parties=[PERSON],
            officers=list(officers),
        )


# -- assignment ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "allowed"),
    [(date(2026, 6, 29), True), (EXPIRES, True), (date(2026, 7, 1), False)],
    ids=["day-before-expiry", "expiry-day", "day-after"],
)
def test_an_officer_is_assigned_only_while_the_certificate_is_valid(
    world: World, on: date, allowed: bool
) -> None:
    case = _clue(world, date(2026, 6, 29), (world.o1, CaseOfficer.Role.LEAD))
    with entered_on(on):
        if allowed:
            services.case_officer_assign(
                actor=world.p.officer, case=case, on=on, officer=world.expired, role="assistant"
            )
            assert CaseOfficer.objects.filter(case=case, officer=world.expired).exists()
            return
        with pytest.raises(RuleViolation) as refused:
            services.case_officer_assign(
                actor=world.p.officer, case=case, on=on, officer=world.expired, role="assistant"
            )
    assert refused.value.field == "officer"
    assert "第四十二条" in refused.value.article
    assert world.expired.name in str(refused.value) and "过期" in str(refused.value)
    assert not CaseOfficer.objects.filter(case=case, officer=world.expired).exists()


def test_a_case_is_not_opened_with_an_expired_lead(world: World) -> None:
    with pytest.raises(RuleViolation) as refused:
        _clue(
            world,
            date(2026, 7, 1),
            (world.expired, CaseOfficer.Role.LEAD),
            (world.o2, CaseOfficer.Role.ASSISTANT),
        )
    assert "第四十二条" in refused.value.article
    assert not Case.objects.exists()


# -- 立案 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "allowed"),
    [(EXPIRES, True), (date(2026, 7, 1), False)],
    ids=["expiry-day", "day-after"],
)
def test_registration_needs_two_assigned_officers_who_may_act(
    world: World, on: date, allowed: bool
) -> None:
    case = _clue(
        world,
        date(2026, 6, 29),
        (world.o1, CaseOfficer.Role.LEAD),
        (world.expired, CaseOfficer.Role.ASSISTANT),
    )
    with entered_on(on):
        if allowed:
            assert services.case_register(actor=world.p.head, case=case, on=on).registered_on
            return
        with pytest.raises(RuleViolation) as refused:
            services.case_register(actor=world.p.head, case=case, on=on)
    assert "第四十二条" in refused.value.article
    assert "只有1人" in str(refused.value) and world.expired.name in str(refused.value)
    assert Case.objects.get(pk=case.pk).registered_on is None


def test_with_two_valid_officers_the_expired_one_is_a_warning_in_the_workspace(
    world: World,
) -> None:
    case = _clue(
        world,
        date(2026, 6, 29),
        (world.o1, CaseOfficer.Role.LEAD),
        (world.o2, CaseOfficer.Role.ASSISTANT),
        (world.expired, CaseOfficer.Role.ASSISTANT),
    )
    with entered_on(date(2026, 7, 1)):
        page = html.unescape(text(client_for(world.p.head).get(detail_url(case))))
        registered = services.case_register(actor=world.p.head, case=case, on=date(2026, 7, 1))
    assert registered.registered_on == date(2026, 7, 1)
    assert "今日不能执法" in page and "2026-06-30" in page and "第四十二条" in page


def test_the_pickers_mark_an_officer_whose_certificate_expired(world: World) -> None:
    with entered_on(date(2026, 7, 1)):
        page = html.unescape(text(client_for(world.p.officer).get(reverse("case_new"))))
    assert f"{world.expired.name}（不能执法：执法证已于2026-06-30过期）" in page
    assert f"{world.o1.name}（不能执法" not in page


# -- the power item fits the kind of case ---------------------------------------------------------


@pytest.fixture
def march() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=SH), tick=False):
        yield


def test_the_power_items_are_grouped_by_category_for_the_kind_filter(
    world: World, march: None
) -> None:
    page = html.unescape(text(client_for(world.p.officer).get(reverse("case_new"))))
    assert '<optgroup label="行政处罚">' in page and '<optgroup label="行政检查">' in page
    assert "data-kind-categories=" in page and '"penalty_general": "行政处罚"' in page
    assert "js/case-new.js" in page


def test_a_power_item_of_another_category_is_refused_beside_the_field(
    world: World, march: None
) -> None:
    response = client_for(world.p.officer).post(
        reverse("case_new"), open_case_data(world, kind=Case.Kind.INSPECTION)
    )
    page = html.unescape(text(response))
    assert response.status_code == 400
    field = page.split('name="power_code"')[1].split("</label>")[0]
    assert "请选择“行政检查”类事项" in field and "清单之外无权力" in field
    assert not Case.objects.exists()
    ok = client_for(world.p.officer).post(
        reverse("case_new"),
        open_case_data(world, kind=Case.Kind.INSPECTION, power_code=INSPECTION_CODE),
    )
    assert ok.status_code == 302


# -- dates beside their fields -----------------------------------------------------------------


def _error_of(page: str, name: str) -> str:
    return page.split(f'name="{name}"')[1].split("</label>")[0]


@pytest.mark.parametrize(
    ("over", "field", "says"),
    [
        ({"on": "2099-01-01"}, "on", "晚于今天"),
        ({"act_ended_on": "2099-01-01"}, "act_ended_on", "晚于今天"),
        ({"act_ended_on": "2026-03-10", "on": "2026-03-09"}, "act_ended_on", "晚于案件登记"),
    ],
    ids=["registered-2099", "act-2099", "act-after-registration"],
)
def test_a_new_case_s_impossible_dates_are_said_beside_the_field(
    world: World, march: None, over: dict[str, str], field: str, says: str
) -> None:
    response = client_for(world.p.officer).post(reverse("case_new"), open_case_data(world, **over))
    page = html.unescape(text(response))
    assert response.status_code == 400
    beside = _error_of(page, field)
    assert says in beside
    if says == "晚于今天":
        assert "第四十七条" in beside
    assert 'value="销售过期食品"' in page  # what was typed is kept
    assert not Case.objects.exists()


def test_a_record_ending_before_it_starts_is_said_beside_the_end_time(
    world: World, march: None
) -> None:
    case = world.registered(date(2026, 3, 4))
    response = client_for(world.p.officer).post(
        action_url(case, "case_investigate"),
        {
            "case_investigate-on": "2026-03-09",
            "case_investigate-kind": "interview_record",
            "case_investigate-officers": [world.o1.pk, world.o2.pk],
            "case_investigate-summary": "询问当事人",
            "case_investigate-place": "本局第一询问室",
            "case_investigate-started_at": "10:00",
            "case_investigate-ended_at": "09:30",
        },
    )
    page = html.unescape(text(response))
    assert response.status_code == 400
    beside = _error_of(page, "case_investigate-ended_at")
    assert "结束时间09:30须晚于开始时间10:00" in beside and "第四十七条" in beside
    assert 'value="本局第一询问室"' in page


def test_the_api_leaves_the_dates_to_the_service_which_names_the_article(
    world: World, march: None
) -> None:
    from .conftest import bearer

    case = world.registered(date(2026, 3, 4))
    response = client_for(world.p.officer).post(
        f"/api/v1/cases/{case.pk}/actions/case_investigate",
        {
            "on": "2026-03-09",
            "kind": "interview_record",
            "officers": [world.o1.pk, world.o2.pk],
            "summary": "询问当事人",
            "started_at": "10:00",
            "ended_at": "09:30",
        },
        content_type="application/json",
        headers=bearer(world.p.officer),
    )
    assert response.status_code == 409
    assert "第四十七条" in response.json()["detail"]
