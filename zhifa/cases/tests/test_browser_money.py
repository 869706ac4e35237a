"""Money in a real headless Chromium (Debian's): a fine collected on the spot with its
receipt, and a general-procedure case with a fine and confiscated gains paid in two
instalments, the second late, whose 第七十二条 surcharge is computed and paid. Run only these
with ``pytest -m browser``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.cases import services
from zhifa.cases.models import Case
from zhifa.record.models import Entry

from .conftest import PENALTY_CODE, PERSON, World, entered_on
from .test_browser import (
    act,
    expect_state,
    field,
    frozen,
    head,
    log_in,
    officer,
    step_form,
)
from .test_money import _notified

pytestmark = pytest.mark.browser

SH = ZoneInfo("Asia/Shanghai")
SCREENSHOT = "/tmp/zhifa-case-money.png"  # noqa: S108 - a file for a human to look at
__all__ = ["frozen", "head", "officer"]  # the fixtures, shared with test_browser


def on(day: date, hour: int = 10) -> time_machine.travel:
    """The server's clock on ``day`` (the browser's own clock does not matter)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SH), tick=True)


def money_row(page: Page, item: str) -> list[str]:
    return [c.strip() for c in page.locator(f"#money-{item} td").all_inner_texts()]


def test_a_simple_procedure_fine_is_collected_on_the_spot_with_its_receipt(
    officer: Page,
    head: Page,
    live_server: LiveServer,
    transactional_db: None,
    world: World,
    frozen: None,
) -> None:
    log_in(officer, live_server, "p1")
    officer.goto(f"{live_server.url}/cases/simple/new/")
    officer.get_by_label("权责清单事项").select_option(PENALTY_CODE)
    officer.get_by_label("案由").fill("店外占道经营")
    officer.get_by_label("执法地点").fill("示范市甲区幸福路12号门前")
    officer.get_by_label("罚款", exact=True).check()
    officer.locator('[name="fine"]').fill("50")
    officer.locator('[name="facts"]').fill("当事人在店外摆放货架占用人行道")
    officer.locator('[name="name"]').fill(PERSON.name)
    officer.locator('[name="id_number"]').fill(PERSON.id_number)
    officer.get_by_role("checkbox", name="李执法").check()
    officer.get_by_role("button", name="当场作出处罚决定").click()
    expect(officer.get_by_role("status")).to_contain_text("已当场作出处罚决定")
    act(
        officer,
        "case_serve",
        "送达",
        select={"method": "on_the_spot"},
        fill={"recipient": PERSON.name},
    )
    expect(officer.locator("#money-fine")).to_contain_text("50.00")
    # 当场收缴 without the 专用票据 number is refused (第七十条); what was typed stays.
    section = act(
        officer,
        "case_payment_record",
        "登记缴款",
        select={"item": "fine", "channel": "on_the_spot"},
        fill={"amount": "50"},
        done=False,
    )
    expect(officer.locator("#action-case_payment_record [role=alert]")).to_contain_text("第七十条")
    section = step_form(officer, "case_payment_record")
    expect(field(section, "case_payment_record", "amount")).to_have_value("50")
    act(
        officer,
        "case_payment_record",
        "登记缴款",
        select={"channel": "on_the_spot"},
        fill={"receipt": "罚没款收据No.0012345"},
    )
    assert money_row(officer, "fine") == ["50.00", "50.00", "0.00"]
    expect(officer.locator("#action-case_payment_record")).to_have_count(0)  # nothing owed
    act(officer, "case_file", "备案")
    case = Case.objects.get(kind=Case.Kind.PENALTY_SIMPLE)
    log_in(head, live_server, "p5")
    head.goto(f"{live_server.url}/cases/{case.pk}/")
    act(head, "case_close", "结案")
    expect_state(head, "结案")
    payment = Entry.objects.filter(case_id=case.pk, action="case.payment_record").get()
    assert '"receipt":"罚没款收据No.0012345"' in payment.payload
    assert '"channel":"on_the_spot"' in payment.payload


def test_fine_and_confiscation_paid_in_two_instalments_with_the_late_fee(
    officer: Page,
    head: Page,
    live_server: LiveServer,
    transactional_db: None,
    world: World,
    frozen: None,
) -> None:
    case = _notified(world)  # fine 30,000, gains 3,000, property 过期牛奶12盒
    with entered_on(date(2026, 4, 2)):
        services.case_statement_record(
            actor=world.p.officer, case=case, on=date(2026, 4, 2), content="", waived=True
        )
    url = f"{live_server.url}/cases/{case.pk}/"
    with on(date(2026, 4, 10)):
        log_in(head, live_server, "p5")
        log_in(officer, live_server, "p1")
        head.goto(url)
        # Prefilled from the notice: the head only confirms.
        section = step_form(head, "case_decide")
        expect(field(section, "case_decide", "fine")).to_have_value("30000.00")
        expect(field(section, "case_decide", "confiscation")).to_have_value("3000.00")
        act(head, "case_decide", "作出处罚决定", fill={"opinion": "同意"})
        officer.goto(url)
        act(officer, "case_serve", "送达", select={"method": "direct"}, fill={"recipient": "陈某"})
        assert money_row(officer, "fine") == ["30000.00", "0.00", "30000.00"]
        assert money_row(officer, "confiscation") == ["3000.00", "0.00", "3000.00"]
        expect(officer.locator("#money-property")).to_contain_text("过期牛奶12盒")
    with on(date(2026, 4, 13)):
        head.goto(url)  # three days later: the sessions still hold
        act(
            head,
            "case_payment_arrange",
            "批准暂缓或分期缴纳",
            select={"kind": "payment_instalment"},
            fill={
                "reason": "当事人经营困难，申请分两期缴纳",
                "due_on": "2026-06-10",
                "instalments": "2026-05-11 15000\n2026-06-10 15000",
            },
        )
        expect(head.locator("#money-schedule tbody tr")).to_have_count(2)
    with on(date(2026, 5, 11)):
        log_in(officer, live_server, "p1")  # a month on: the session has expired
        officer.goto(url)
        act(
            officer,
            "case_payment_record",
            "登记缴款",
            fill={"amount": "15000", "receipt": "非税0511A"},
        )
        act(
            officer,
            "case_payment_record",
            "登记缴款",
            select={"item": "confiscation", "channel": "electronic"},
            fill={"amount": "3000", "receipt": "非税0511B"},
        )
        assert money_row(officer, "confiscation") == ["3000.00", "3000.00", "0.00"]
    with on(date(2026, 6, 12)):
        log_in(officer, live_server, "p1")
        log_in(head, live_server, "p5")
        officer.goto(url)
        # The second instalment is two days late: 2 × 3 % × 15,000 (第七十二条).
        assert money_row(officer, "late_fee") == ["900.00", "0.00", "900.00"]
        officer.locator("#money").screenshot(path=SCREENSHOT)
        # Paying more than is owed is refused, naming what is owed.
        act(
            officer,
            "case_payment_record",
            "登记缴款",
            fill={"amount": "15900", "receipt": "非税0612A"},
            done=False,
        )
        expect(officer.locator("#action-case_payment_record [role=alert]")).to_contain_text(
            "超过罚款尚欠的15,000.00元"
        )
        act(officer, "case_payment_record", "登记缴款", fill={"amount": "15000"})
        act(
            officer,
            "case_payment_record",
            "登记缴款",
            select={"item": "late_fee"},
            fill={"amount": "900", "receipt": "非税0612B"},
        )
        assert money_row(officer, "fine") == ["30000.00", "30000.00", "0.00"]
        assert money_row(officer, "late_fee") == ["900.00", "900.00", "0.00"]
        expect(officer.locator("#action-case_payment_record")).to_have_count(0)
        expect(officer.locator("#action-case_court_apply")).to_have_count(0)
        head.goto(url)
        act(head, "case_close", "结案", fill={"opinion": "执行完毕"})
        expect_state(head, "结案")
    case.refresh_from_db()
    assert case.paid_amount == Decimal(30000) and case.paid_confiscation == Decimal(3000)
    assert case.paid_late_fee == Decimal(900)
