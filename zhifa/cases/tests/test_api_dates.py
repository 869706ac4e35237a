"""Issue 10, findings 7 and 8, reproduced through the API and the pages: dates of 1999, 2099
and 9999 are refused naming the rule (and number nothing); a step is not dated before the
case's previous one; a late entry (补录) needs its reason, which the record keeps and the
timeline shows; non-string dates and moments, and a moment with no place on the clock, are 422
naming the field; every error under /api/ is JSON."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case, CaseOfficer, DocumentCounter
from zhifa.core.exceptions import RuleViolation
from zhifa.registry import services as registry
from zhifa.registry.models import Account

from .conftest import (
    INSPECTION_CODE,
    PENALTY_CODE,
    PERSON,
    SEIZURE_CODE,
    World,
    entered_on,
    entries_of,
)

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 5, 6, 10, tzinfo=SH)
API = "/api/v1/cases"


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def bearer(account: Account) -> dict[str, str]:
    _, raw = registry.api_token_issue(actor=account, name="测试")
    return {"Authorization": f"Bearer {raw}"}


def post(client: Client, path: str, account: Account, body: Any) -> Any:
    return client.post(
        f"{API}{path}", body, content_type="application/json", headers=bearer(account)
    )


def open_inspection(client: Client, world: World, on: str) -> Any:
    return post(
        client,
        "/",
        world.p.officer,
        {"kind": "inspection", "power_code": INSPECTION_CODE, "title": "日常检查", "on": on},
    )


def seizure(world: World) -> Case:
    return services.case_open(
        actor=world.p.officer,
        kind=Case.Kind.SEIZURE,
        power_code=SEIZURE_CODE,
        title="扣押过期食品",
        on=date(2026, 5, 6),
        officers=[(world.o1, CaseOfficer.Role.LEAD), (world.o2, CaseOfficer.Role.ASSISTANT)],
    )


# -- finding 7: dates of 1999, 2099, 9999 ---------------------------------------------------


def test_an_inspection_dated_1999_is_refused_and_numbers_nothing(
    client: Client, world: World
) -> None:
    response = open_inspection(client, world, "1999-06-01")
    assert response.status_code == 409
    body = response.json()
    # 示范市甲区市场监督管理局's qualification was announced on 2024-03-01 (the personas).
    assert body["article"] == "《行政处罚法》第十七条"
    assert "1999年6月1日早于示范市甲区市场监督管理局执法主体资格确认公告的日期" in body["detail"]
    assert body["field"] == "on"
    assert not Case.objects.exists()
    assert not DocumentCounter.objects.filter(year=1999).exists()


def test_an_inspection_dated_2099_is_refused_and_numbers_nothing(
    client: Client, world: World
) -> None:
    response = open_inspection(client, world, "2099-06-01")
    assert response.status_code == 409
    body = response.json()
    assert "2099年6月1日晚于今天（2026年5月6日）" in body["detail"]
    assert "第四十七条" in body["article"] and body["field"] == "on"
    assert not Case.objects.exists()
    assert not DocumentCounter.objects.filter(year=2099).exists()


def test_an_inspection_dated_today_is_numbered_in_this_year(client: Client, world: World) -> None:
    response = open_inspection(client, world, "2026-05-06")
    assert response.status_code == 201
    assert response.json()["number"] == "示范市监检〔2026〕1号"


def test_not_registering_on_9999_12_31_is_refused_naming_the_rule(
    client: Client, world: World
) -> None:
    with entered_on(date(2026, 5, 6)):
        case = world.clue(on=date(2026, 5, 6), act_ended_on=date(2026, 5, 1))
    response = post(
        client,
        f"/{case.pk}/actions/case_not_register",
        world.p.head,
        {"on": "9999-12-31", "reason": "不属实"},
    )
    assert response.status_code == 409
    assert "9999年12月31日晚于今天" in response.json()["detail"]
    assert "第四十七条" in response.json()["article"]
    case.refresh_from_db()
    assert case.state == Case.State.CLUE and not case.end_reason


def test_approving_a_seizure_at_9999_12_31_23_59_is_refused_naming_the_rule(
    client: Client, world: World
) -> None:
    case = seizure(world)
    response = post(
        client, f"/{case.pk}/actions/case_seizure_approve", world.p.head, {"at": "9999-12-31T23:59"}
    )
    assert response.status_code == 409
    body = response.json()
    assert "时间9999-12-31 23:59晚于当前时间（2026-05-06 10:00）" in body["detail"]
    assert body["field"] == "at" and "第四十七条" in body["article"]
    case.refresh_from_db()
    assert case.seizure_approved_at is None


def test_a_step_dated_before_the_previous_step_is_refused(client: Client, world: World) -> None:
    with entered_on(date(2026, 5, 4)):
        case = world.registered(date(2026, 5, 4), act_ended_on=date(2026, 5, 1))
    response = post(
        client,
        f"/{case.pk}/actions/case_investigate",
        world.p.officer,
        {
            "on": "2026-05-03",
            "kind": "interview_record",
            "officers": [world.o1.pk, world.o2.pk],
            "summary": "询问当事人",
        },
    )
    assert response.status_code == 409
    assert "早于本案上一步骤“立案审批”的日期（2026年5月4日）" in response.json()["detail"]
    assert [e.action for e in entries_of(case)][-1] == "case.register"


# -- 补录 ------------------------------------------------------------------------------------


@pytest.fixture
def three_day_window(settings: Any) -> None:
    settings.ZHIFA_LATE_ENTRY_DAYS = 3  # the production default (services.late_entry_window)


def test_a_step_entered_past_the_window_without_a_reason_is_refused(
    client: Client, world: World, three_day_window: None
) -> None:
    with entered_on(date(2026, 4, 20)):
        case = world.clue(on=date(2026, 4, 20), act_ended_on=date(2026, 4, 1))
    response = post(client, f"/{case.pk}/actions/case_register", world.p.head, {"on": "2026-04-30"})
    assert response.status_code == 409
    body = response.json()
    assert body["field"] == "late_reason"
    assert "今天补录已晚6日（超过3日），须写明补录理由" in body["detail"]
    case.refresh_from_db()
    assert case.state == Case.State.CLUE


def test_the_reason_of_a_late_entry_is_recorded_and_shown_on_the_timeline(
    client: Client, world: World, three_day_window: None
) -> None:
    with entered_on(date(2026, 4, 20)):
        case = world.clue(on=date(2026, 4, 20), act_ended_on=date(2026, 4, 1))
    reason = "负责人在纸质立案审批表上签批，出差回来后补录"
    response = post(
        client,
        f"/{case.pk}/actions/case_register",
        world.p.head,
        {"on": "2026-04-30", "late_reason": reason},
    )
    assert response.status_code == 200
    entry = response.json()["entry"]
    assert entry["payload"]["late_entry"] == {"days": 6, "reason": reason}
    assert entries_of(case)[-1].data["late_entry"] == {"days": 6, "reason": reason}
    browser = Client()
    browser.force_login(world.p.officer)
    page = browser.get(reverse("case_detail", kwargs={"pk": case.pk})).content.decode()
    assert "补录" in page and f"发生后6日录入；理由：{reason}" in page


def test_within_the_window_no_reason_is_asked_and_nothing_is_noted(
    client: Client, world: World, three_day_window: None
) -> None:
    with entered_on(date(2026, 5, 1)):
        case = world.clue(on=date(2026, 5, 1), act_ended_on=date(2026, 4, 1))
    response = post(client, f"/{case.pk}/actions/case_register", world.p.head, {"on": "2026-05-03"})
    assert response.status_code == 200
    assert "late_entry" not in response.json()["entry"]["payload"]


def test_a_late_entry_after_new_year_takes_the_year_of_its_legal_date(
    client: Client, world: World, three_day_window: None
) -> None:
    with entered_on(date(2026, 12, 28)):
        case = world.clue(on=date(2026, 12, 28), act_ended_on=date(2026, 12, 1))
    with time_machine.travel(datetime(2027, 1, 6, 9, tzinfo=SH), tick=False):
        response = post(
            client,
            f"/{case.pk}/actions/case_register",
            world.p.head,
            {"on": "2026-12-30", "late_reason": "年底纸质审批表，节后补录"},
        )
    assert response.status_code == 200
    assert response.json()["case"]["number"] == "示范市监立〔2026〕1号"
    assert not DocumentCounter.objects.filter(year=2027).exists()


def test_the_case_form_page_asks_for_the_reason_and_shows_the_window(
    world: World, three_day_window: None
) -> None:
    browser = Client()
    browser.force_login(world.p.officer)
    page = browser.get(reverse("case_new")).content.decode()
    assert "补录理由（步骤发生3日后才录入的须填写）" in page


# -- finding 8: what JSON may carry ----------------------------------------------------------

NON_STRINGS = [False, 12, [], {}, 1.5]


@pytest.mark.parametrize("value", NON_STRINGS, ids=["false", "12", "[]", "{}", "1.5"])
def test_a_day_that_is_not_text_is_422_naming_the_field(
    client: Client, world: World, value: Any
) -> None:
    with entered_on(date(2026, 5, 6)):
        case = world.clue(on=date(2026, 5, 6), act_ended_on=date(2026, 5, 1))
    response = post(client, f"/{case.pk}/actions/case_register", world.p.head, {"on": value})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["field"] == "on"
    assert body["errors"] == {"on": ["须为日期文本 YYYY-MM-DD，如 2026-03-07"]}
    assert body["detail"].startswith("请求参数有误：on：")
    assert [e.action for e in entries_of(case)] == ["case.open"]


@pytest.mark.parametrize("value", NON_STRINGS, ids=["false", "12", "[]", "{}", "1.5"])
def test_a_moment_that_is_not_text_is_422_naming_the_field(
    client: Client, world: World, value: Any
) -> None:
    case = seizure(world)
    response = post(client, f"/{case.pk}/actions/case_seizure_approve", world.p.head, {"at": value})
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "at"
    assert body["errors"]["at"][0].startswith("须为时间文本（ISO 8601）")


def test_a_moment_with_no_place_on_the_clock_is_422(client: Client, world: World) -> None:
    case = seizure(world)
    response = post(
        client,
        f"/{case.pk}/actions/case_seizure_approve",
        world.p.head,
        {"at": "0001-01-01T00:00"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"at": ["不是可以记录的时间：0001-01-01T00:00"]}


def test_the_same_moment_on_the_page_is_refused_in_the_form(world: World) -> None:
    case = seizure(world)
    browser = Client()
    browser.force_login(world.p.head)
    response = browser.post(
        reverse("case_action", kwargs={"pk": case.pk, "service": "case_seizure_approve"}),
        {"case_seizure_approve-at": "0001-01-01T00:00"},
    )
    assert response.status_code == 400
    assert "不是可以记录的时间" in response.content.decode()


def test_a_new_case_with_a_day_that_is_not_text_is_422(client: Client, world: World) -> None:
    response = post(
        client,
        "/",
        world.p.officer,
        {"kind": "inspection", "power_code": INSPECTION_CODE, "title": "检查", "on": 20260506},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "on"


def test_a_field_the_step_does_not_have_is_422(client: Client, world: World) -> None:
    with entered_on(date(2026, 5, 6)):
        case = world.clue(on=date(2026, 5, 6), act_ended_on=date(2026, 5, 1))
    response = post(
        client, f"/{case.pk}/actions/case_register", world.p.head, {"late_resaon": "拼错"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"late_resaon": ["不接受该字段"]}


def test_a_body_that_is_not_json_is_400_in_json(client: Client, world: World) -> None:
    case = seizure(world)
    response = client.post(
        f"{API}/{case.pk}/actions/case_seizure_approve",
        b"\x00{",
        content_type="application/json",
        headers=bearer(world.p.head),
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "请求体无法解析：须为 JSON（UTF-8），Content-Type: application/json"
    }


# -- JSON errors under /api/ ----------------------------------------------------------------


def test_an_unknown_path_under_the_api_is_a_json_404(client: Client, settings: Any) -> None:
    assert settings.DEBUG is False  # as in production: Django would answer its HTML page
    for path in ("/api/v1/nosuch", "/api/v1/cases", "/api/v2/", "/api/"):
        response = client.post(path) if path == "/api/v1/cases" else client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "未找到"}


def test_a_method_the_path_does_not_take_is_a_json_405(client: Client, world: World) -> None:
    response = client.put(f"{API}/", headers=bearer(world.p.officer))
    assert response.status_code == 405
    assert response["Allow"]
    assert response.json()["detail"].startswith("不支持 PUT 请求；可用：")


def test_an_unknown_step_is_a_json_404(client: Client, world: World) -> None:
    case = seizure(world)
    response = post(client, f"/{case.pk}/actions/case_nosuch", world.p.head, {})
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到"}


def test_an_unexpected_error_is_logged_and_answered_500_in_json(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr("zhifa.registry.api.selectors.domains_all", broken)
    with caplog.at_level(logging.ERROR, logger="zhifa.api"):
        response = client.get("/api/v1/domains", headers=bearer(world.p.officer))
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误，已记录；请稍后重试或联系系统管理员"}
    assert "a bug" not in response.content.decode()
    record = next(r for r in caplog.records if r.name == "zhifa.api")
    assert "GET /api/v1/domains" in record.getMessage()
    assert record.exc_info is not None and "a bug" in str(record.exc_info[1])


# -- every kind of step: the services ---------------------------------------------------------


def test_opening_a_case_late_records_the_reason_in_its_open_entry(
    world: World, three_day_window: None
) -> None:
    case = services.case_open(
        actor=world.p.officer,
        kind=Case.Kind.INSPECTION,
        power_code=INSPECTION_CODE,
        title="日常检查（纸质记录补录）",
        on=date(2026, 4, 28),
        late_reason="检查当日系统停机",
    )
    assert entries_of(case)[-1].data["late_entry"] == {"days": 8, "reason": "检查当日系统停机"}
    assert case.number == "示范市监检〔2026〕1号"


def test_an_on_the_spot_decision_entered_late_needs_and_keeps_its_reason(
    world: World, three_day_window: None
) -> None:
    kwargs: dict[str, Any] = {
        "actor": world.p.officer,
        "power_code": PENALTY_CODE,
        "title": "经营超过保质期的食品",
        "on": date(2026, 5, 1),
        "party": PERSON,
        "penalty_kind": "warning",
        "officers": [world.o1, world.o2],
        "facts": "销售过期牛奶1盒",
        "place": "幸福路菜市场门前",
    }
    with pytest.raises(RuleViolation) as refused:
        services.case_simple_decide(**kwargs)
    assert refused.value.field == "late_reason"
    assert not Case.objects.exists()
    case = services.case_simple_decide(**kwargs, late_reason="现场开具纸质决定书，回单位补录")
    entry = entries_of(case)[-1]
    assert entry.action == "case.simple_decide"
    assert entry.data["late_entry"] == {"days": 5, "reason": "现场开具纸质决定书，回单位补录"}


def test_a_seizure_approved_on_paper_is_entered_late_with_its_reason(
    world: World, three_day_window: None
) -> None:
    with entered_on(date(2026, 4, 27)):
        case = services.case_open(
            actor=world.p.officer,
            kind=Case.Kind.SEIZURE,
            power_code=SEIZURE_CODE,
            title="扣押过期食品",
            on=date(2026, 4, 27),
        )
    approved_at = datetime(2026, 4, 28, 9, 30, tzinfo=SH)
    with pytest.raises(RuleViolation, match="须写明补录理由"):
        services.case_seizure_approve(actor=world.p.head, case=case, at=approved_at)
    services.case_seizure_approve(
        actor=world.p.head, case=case, at=approved_at, late_reason="负责人在呈请表上签批"
    )
    entry = entries_of(case)[-1]
    assert entry.action == "case.seizure_approve"
    assert entry.data["late_entry"] == {"days": 8, "reason": "负责人在呈请表上签批"}


def test_on_the_page_a_late_step_asks_for_its_reason_then_shows_it(
    world: World, three_day_window: None
) -> None:
    with entered_on(date(2026, 4, 27)):
        case = world.registered(date(2026, 4, 27), act_ended_on=date(2026, 4, 1))
    browser = Client()
    browser.force_login(world.p.officer)
    url = reverse("case_action", kwargs={"pk": case.pk, "service": "case_investigate"})
    fields = {
        "case_investigate-on": "2026-04-28",
        "case_investigate-kind": "interview_record",
        "case_investigate-officers": [world.o1.pk, world.o2.pk],
        "case_investigate-summary": "询问当事人（纸质笔录）",
    }
    refused = browser.post(url, fields)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "今天补录已晚8日（超过3日），须写明补录理由" in page
    assert 'name="case_investigate-late_reason"' in page
    done = browser.post(url, {**fields, "case_investigate-late_reason": "询问笔录为纸质，次周补录"})
    assert done.status_code == 302
    timeline = browser.get(reverse("case_detail", kwargs={"pk": case.pk})).content.decode()
    assert "发生后8日录入；理由：询问笔录为纸质，次周补录" in timeline
