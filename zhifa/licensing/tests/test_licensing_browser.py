"""A 行政许可 application in a real headless Chromium (Debian's), through the pages: registered
at the window, told once to complete its materials (补正), accepted, extended by the head
(延期通知书), granted, published in full by the publisher, the licence issued and its QR
verification page opened by anyone: valid today. Run only these with ``pytest -m browser``."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.models import Case, CaseDocument
from zhifa.cases.tests.test_browser import log_in
from zhifa.core.testing import Personas
from zhifa.publicity.models import Publication
from zhifa.record.evidence import evidence_open
from zhifa.registry.models import PowerItem

from .conftest import COMPANY, LICENCE_CODE

pytestmark = pytest.mark.browser
SH = ZoneInfo("Asia/Shanghai")


def _at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, tzinfo=SH)


def _page(browser: Browser) -> Page:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    return context.new_page()


def _step(page: Page, service: str, label: str, fill: dict[str, str]) -> None:
    # the workspace as it is now (another person may have moved the case)
    page.goto(re.sub(r"/(cases|licensing)/(\d+)/.*$", r"/licensing/\2/", page.url))
    form = page.locator(f'form[data-testid="{service}"]')
    for name, value in fill.items():
        form.locator(f'[name="{service}-{name}"]').fill(value)
    form.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"已完成：{label}")


def _generate(page: Page, case: Case, label: str) -> CaseDocument:
    page.goto(page.url.split("/licensing/")[0] + f"/licensing/{case.pk}/")
    page.locator('select[name="document-kind"]').select_option(label=label)
    page.get_by_role("button", name="生成文书").click()
    expect(page.get_by_role("status")).to_contain_text("已生成")
    kind = next(k for k, name in CaseDocument.Kind.choices if name == label)
    return CaseDocument.objects.filter(case=case, kind=kind).latest("id")


def _pdf_text(doc: CaseDocument) -> str:
    with evidence_open(doc.pdf.sha256) as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return "".join(p.extract_text() for p in reader.pages).replace("\n", "")


def test_an_application_corrected_accepted_extended_granted_published_and_verified(
    browser: Browser,
    live_server: LiveServer,
    transactional_db: None,
    personas: Personas,
    licence_item: PowerItem,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.ZHIFA_SITE_URL = live_server.url
    officer, head, publisher = _page(browser), _page(browser), _page(browser)
    with time_machine.travel(_at(9, 28), tick=True) as clock:
        log_in(officer, live_server, "p1")
        officer.goto(f"{live_server.url}/licensing/new/")
        officer.get_by_label("权责清单事项编码").fill(LICENCE_CODE)
        officer.get_by_label("申请事项").fill("食品经营许可（新办）")
        officer.get_by_label("申请方式").select_option("window")
        officer.get_by_label("收到申请材料日期").fill("2026-09-28")
        officer.get_by_label("申请人类别").select_option("organisation")
        officer.get_by_label("申请人姓名或名称").fill(COMPANY.name)
        officer.get_by_label("统一社会信用代码").fill(COMPANY.credit_code)
        officer.get_by_label("法定代表人（负责人）").fill(COMPANY.legal_representative)
        officer.get_by_label("已提交材料（每行一项）").fill("食品经营许可申请书\n营业执照复印件")
        officer.get_by_role("button", name="登记申请").click()
        expect(officer.get_by_role("status")).to_contain_text("已登记行政许可申请")
        expect(officer.get_by_test_id("licence-state")).to_have_text("申请")
        case = Case.objects.get(title="食品经营许可（新办）")

        # 补正: every missing material at once (第三十二条), with its notice.
        clock.move_to(_at(9, 29))
        _step(
            officer,
            "case_licence_correct",
            "一次告知补正材料",
            {"on": "2026-09-29", "missing": "从业人员健康证明\n经营场所平面图"},
        )
        expect(officer.get_by_test_id("licence-state")).to_have_text("补正材料")
        notice = _generate(officer, case, "补正材料通知书")
        assert "经营场所平面图" in _pdf_text(notice)

        # 受理 once complete: 20 working days from 9 October (10 October worked) end 5 November.
        clock.move_to(_at(10, 9))
        _step(
            officer,
            "case_licence_accept",
            "受理",
            {"on": "2026-10-09", "completed_on": "2026-10-08"},
        )
        expect(officer.get_by_test_id("licence-countdown")).to_contain_text("2026年11月5日")

        # The head extends by 10 working days (第四十二条), told by a 延期通知书.
        log_in(head, live_server, "p5")
        head.goto(f"{live_server.url}/licensing/{case.pk}/")
        _step(
            head,
            "case_licence_extend",
            "延长许可期限",
            {"on": "2026-10-09", "reason": "需专家论证"},
        )
        expect(head.get_by_test_id("licence-countdown")).to_contain_text("2026年11月19日")
        extension = _generate(head, case, "延期通知书")
        assert "延长至2026年11月19日" in _pdf_text(extension)

        # 准予 by the head; the decision is published in full by the publisher.
        clock.move_to(_at(10, 12))
        head.goto(f"{live_server.url}/licensing/{case.pk}/")
        _step(
            head,
            "case_licence_grant",
            "准予行政许可",
            {
                "on": "2026-10-12",
                "content": "预包装食品销售，热食类食品制售",
                "valid_from": "2026-10-12",
                "valid_until": "2031-10-11",
            },
        )
        expect(head.get_by_test_id("licence-outcome")).to_contain_text("准予行政许可")
        case.refresh_from_db()
        log_in(publisher, live_server, personas.publisher.username)
        publisher.goto(f"{live_server.url}/publish/")
        publisher.get_by_role("link", name=case.decision_number).click()
        expect(publisher.locator("#original")).to_contain_text("准予行政许可决定书")
        publisher.get_by_role("button", name="确认公开").click()
        expect(publisher.locator(".messages")).to_contain_text("已公开")
        publication = Publication.objects.get(case=case)
        assert publication.state == Publication.State.PUBLISHED
        publisher.context.clear_cookies()
        publisher.goto(f"{live_server.url}/public/decisions/{publication.pk}/")
        expect(publisher.locator("#public-text")).to_contain_text("预包装食品销售")
        expect(publisher.locator("main")).not_to_contain_text(COMPANY.phone)

        # 颁发: the licence with its QR code; the address printed under it opened by anyone.
        log_in(officer, live_server, "p1")  # a new working day: signed in again
        officer.goto(f"{live_server.url}/licensing/{case.pk}/")
        _step(officer, "case_licence_issue", "颁发、送达许可证件", {"on": "2026-10-12"})
        licence = _generate(officer, case, "行政许可证件")
        text = _pdf_text(licence)
        found = re.search(r"(http://[^\s]+/public/licences/[A-Za-z0-9_-]+/)", text)
        assert found is not None, text
        publisher.goto(found.group(1))
        expect(publisher.get_by_test_id("licence-status")).to_contain_text("今日有效")
        expect(publisher.locator("main")).to_contain_text(COMPANY.name)
        expect(publisher.locator("main")).to_contain_text("2031年10月11日")
