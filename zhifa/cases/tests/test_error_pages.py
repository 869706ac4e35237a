"""Error pages: in Chinese, in the site's layout, saying why (issue 11, "Errors")."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.registry.models import Account

from .conftest import World

pytestmark = pytest.mark.django_db

LAYOUT = "执法 · zhifa"  # the top bar's brand: the page is in the site's layout


def client_for(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def page(response: Any) -> str:
    return str(response.content.decode())


def test_a_refusal_of_permission_says_the_reason_the_gate_gave_in_the_layout(
    world: World,
) -> None:
    case = world.clue()
    response = client_for(world.p.supervisor).post(
        reverse("case_action", kwargs={"pk": case.pk, "service": "case_register"}), {}
    )
    assert response.status_code == 403
    body = page(response)
    assert "执法监督人员只能查看案件，不能办理" in body
    assert "无权办理" in body and LAYOUT in body
    assert "Forbidden" not in body


def test_a_missing_page_and_a_missing_case_are_one_chinese_page(world: World) -> None:
    client = client_for(world.p.officer)
    for url in ("/no-such-page/", reverse("case_detail", kwargs={"pk": 987654})):
        response = client.get(url)
        assert response.status_code == 404
        body = page(response)
        assert "未找到" in body and "不在您的查看范围内" in body and LAYOUT in body
        assert "Not Found" not in body


def test_an_unexpected_error_is_a_chinese_page_naming_the_request_id_of_the_log(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> list[Any]:
        raise RuntimeError("the health check broke")

    monkeypatch.setattr("zhifa.core.views.health_checks", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/healthz")
    assert response.status_code == 500
    body = page(response)
    assert "服务器内部错误" in body and LAYOUT in body
    request_id = response["X-Request-ID"]
    assert request_id and f"请求编号 {request_id}" in body
    assert "RuntimeError" not in body and "Traceback" not in body


def test_a_form_with_more_text_than_a_request_may_carry_is_told_the_limit_in_chinese(
    world: World,
) -> None:
    too_much = "经" * (2_621_440 // 3 + 1)  # 3 bytes a character in UTF-8: past 2.5 MB
    response = Client().post(reverse("login"), {"username": "officer", "password": too_much})
    assert response.status_code == 400
    body = page(response)
    assert "提交的内容过大：表单文字合计不得超过2.5 MB" in body
    assert "后退" in body and LAYOUT in body
