"""The money of a case as the workspace shows and takes it: the decision prefilled from the
notice, the kinds the agency may decide, errors beside the field, due / paid / outstanding."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case

from .conftest import World, bearer, entered_on
from .test_money import PROPERTY, _notified, _pay, _served

pytestmark = pytest.mark.django_db


def _client(account: Any) -> Client:
    client = Client()
    client.force_login(account)
    return client


def _stated(world: World) -> Case:
    case = _notified(world)
    with entered_on(date(2026, 4, 2)):
        return services.case_statement_record(
            actor=world.p.officer, case=case, on=date(2026, 4, 2), content="", waived=True
        )


def _decide_form(page: str) -> str:
    return page.split('id="action-case_decide"')[1].split("</form>")[0]


def test_the_decision_form_is_prefilled_from_the_notice(world: World) -> None:
    case = _stated(world)
    with entered_on(date(2026, 4, 10)):
        page = _client(world.p.head).get(reverse("case_detail", args=[case.pk])).content.decode()
    form = _decide_form(page)
    for kind in ("fine", "confiscation_of_gains", "confiscation_of_property"):
        assert re.search(rf'value="{kind}"[^>]*checked', form), kind
    assert 'name="case_decide-fine" value="30000.00"' in form
    assert 'name="case_decide-confiscation" value="3000.00"' in form
    assert PROPERTY in form
    assert 'value="96.50"' in form


def test_detention_is_not_offered_to_a_market_bureau(world: World) -> None:
    case = _stated(world)
    with entered_on(date(2026, 4, 10)):
        page = _client(world.p.head).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "行政拘留" not in _decide_form(page)
    assert "罚款" in _decide_form(page)


def test_a_fine_of_zero_is_marked_beside_the_field_with_its_article(world: World) -> None:
    case = _stated(world)
    with entered_on(date(2026, 4, 10)):
        response = _client(world.p.head).post(
            reverse("case_action", args=[case.pk, "case_decide"]),
            {
                "case_decide-on": "2026-04-10",
                "case_decide-penalty_kinds": ["fine"],
                "case_decide-fine": "0",
                "case_decide-opinion": "同意处罚",
            },
        )
    assert response.status_code == 400
    form = _decide_form(response.content.decode())
    assert "选择了罚款，罚款金额须大于0元（《行政处罚法》第五十九条第一款第三项）" in form
    assert "同意处罚" in form  # what was typed stays
    assert Case.objects.get(pk=case.pk).state == Case.State.STATEMENT


def test_the_workspace_shows_due_paid_and_outstanding_per_amount(world: World) -> None:
    case = _pay(world, _served(world), date(2026, 5, 20), "10000")
    with entered_on(date(2026, 5, 20)):
        page = _client(world.p.officer).get(reverse("case_detail", args=[case.pk])).content
    html = page.decode()
    money = html.split('id="money"')[1].split("</section>")[0]
    fine_row = money.split('id="money-fine"')[1].split("</tr>")[0]
    assert "30000.00" in fine_row and "10000.00" in fine_row and "20000.00" in fine_row
    gains_row = money.split('id="money-confiscation"')[1].split("</tr>")[0]
    assert "没收违法所得" in gains_row and gains_row.count("3000.00") == 2
    assert PROPERTY in money and "96.50" in money
    form = html.split('id="action-case_payment_record"')[1].split("</form>")[0]
    assert 'name="case_payment_record-amount" value="20000.00"' in form  # what is still owed


def test_an_overpayment_posted_keeps_the_form_and_names_the_outstanding_amount(
    world: World,
) -> None:
    case = _served(world)
    with entered_on(date(2026, 5, 20)):
        response = _client(world.p.officer).post(
            reverse("case_action", args=[case.pk, "case_payment_record"]),
            {
                "case_payment_record-on": "2026-05-20",
                "case_payment_record-item": "fine",
                "case_payment_record-amount": "33000",
                "case_payment_record-channel": "bank",
                "case_payment_record-receipt": "非税0001",
            },
        )
    assert response.status_code == 409
    html = response.content.decode()
    assert "缴款33,000.00元超过罚款尚欠的30,000.00元" in html
    assert 'value="非税0001"' in html
    assert Case.objects.get(pk=case.pk).paid_amount == 0


def test_the_court_application_posted_too_early_cites_article_53(world: World) -> None:
    case = _served(world)
    with entered_on(date(2026, 6, 1)):
        response = _client(world.p.head).post(
            reverse("case_action", args=[case.pk, "case_court_apply"]),
            {"case_court_apply-on": "2026-06-01", "case_court_apply-court": "示范市甲区人民法院"},
        )
    assert response.status_code == 409
    assert "《行政强制法》第五十三条" in response.content.decode()


def test_the_api_takes_a_payment_per_amount_and_shows_each_amount(world: World) -> None:
    case = _served(world)
    client, api = Client(), f"/api/v1/cases/{case.pk}"
    headers = bearer(world.p.officer)
    body = {
        "on": "2026-05-20",
        "item": "confiscation",
        "amount": "3000.00",
        "channel": "electronic",
        "receipt": "非税0520",
    }
    with entered_on(date(2026, 5, 20)):
        over = client.post(
            f"{api}/actions/case_payment_record",
            {**body, "amount": "3000.01"},
            content_type="application/json",
            headers=headers,
        )
        assert over.status_code == 409
        assert "没收违法所得尚欠的3,000.00元" in over.json()["detail"]
        done = client.post(
            f"{api}/actions/case_payment_record",
            body,
            content_type="application/json",
            headers=headers,
        )
        assert done.status_code == 200, done.content
        detail = client.get(api, headers=headers).json()
    assert detail["confiscated_property"] == PROPERTY
    lines = {m["item"]: m for m in detail["money"]}
    assert lines["confiscation"]["outstanding"] == "0.00"
    assert lines["fine"]["outstanding"] == "30000.00"
    court = next(a for a in detail["next_actions"] if a["service"] == "case_court_apply")
    assert "《行政强制法》第五十三条" in court["unavailable"]
