"""扫码入企 in a real headless Chromium (Debian's), on a phone-sized screen: the QR printed on an
approved inspection's 行政检查通知书 is scanned (its address opened on a 375-pixel phone), and the
page shows each officer's certificate checked live — one valid, one expired yesterday; the
officer, signed in on the phone, records the arrival; the enterprise rates the inspection
anonymously. Run only these with ``pytest -m browser``."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.documents import document_generate
from zhifa.cases.models import CaseDocument
from zhifa.cases.tests.test_browser import log_in
from zhifa.core.testing import Personas, server_frozen_at
from zhifa.inspections.models import Rating, Visit
from zhifa.record.evidence import evidence_open

from .codes_world import SH, codes_world_build, inspection_make

pytestmark = pytest.mark.browser
NOW = datetime(2026, 7, 1, 9, tzinfo=SH)  # the day after 王过期's certificate expired
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _pdf_text(doc: CaseDocument) -> str:
    with evidence_open(doc.pdf.sha256) as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return "".join(p.extract_text() for p in reader.pages).replace("\n", "")


def test_an_approved_inspections_code_scanned_on_a_phone_shows_live_certificates(
    browser: Browser,
    phone: Page,
    live_server: LiveServer,
    transactional_db: None,
    personas: Personas,
    settings: Any,
    tmp_path: Path,
) -> None:
    p = personas
    with server_frozen_at(settings, tmp_path, NOW):
        settings.ZHIFA_SITE_URL = live_server.url
        world = codes_world_build(p)
        inspection = inspection_make(
            world,
            opened_on=date(2026, 6, 15),
            planned_on=date(2026, 7, 1),
            officers=(p.officer, p.expired_officer),
        )
        notice = document_generate(
            actor=p.officer,
            case=inspection.case,
            kind=CaseDocument.Kind.INSPECTION_NOTICE,
            on=date(2026, 7, 1),
        )
        found = re.search(
            r"(http://[^\s]+/public/inspections/code/[A-Za-z0-9_-]+/)", _pdf_text(notice)
        )
        assert found is not None

        # The enterprise scans the notice's QR code.
        phone.goto(found.group(1))
        expect(phone.get_by_test_id("code-status")).to_contain_text("本次检查已经批准并赋码")
        rows = phone.get_by_test_id("code-officer")
        expect(rows).to_have_count(2)
        valid = rows.filter(has_text="张执法")
        expect(valid.locator("td").nth(1)).to_have_text(re.compile(r"^有效"))
        expect(valid.locator("td").nth(2)).to_have_text("是")
        expired = rows.filter(has_text="王过期")
        expect(expired.locator("td").nth(1)).to_contain_text("无效")
        expect(expired.locator("td").nth(2)).to_contain_text("证件已于2026年6月30日过期")
        expect(phone.get_by_test_id("code-count")).to_contain_text("本年度本机关对该单位第1次检查")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        # The enterprise rates it anonymously.
        rating = phone.get_by_test_id("code-rating")
        rating.get_by_label("5分").check()
        rating.get_by_role("button", name="提交评价").click()
        expect(phone.get_by_test_id("code-rating")).to_contain_text("评价已提交")
        assert Rating.objects.get().score == 5

        # The officer, signed in on the phone, scans the same code on arrival.
        log_in(phone, live_server, p.officer.username)
        phone.goto(found.group(1))
        expect(phone.get_by_test_id("code-qr")).to_be_visible()  # 亮码: shown for the enterprise
        phone.get_by_role("button", name="登记到达").click()
        expect(phone.get_by_role("status")).to_contain_text("已登记到达")
        expect(phone.get_by_test_id("code-visits")).to_contain_text("张执法 到达")
        expect(phone.get_by_role("button", name="登记离开")).to_be_visible()
        assert Visit.objects.get().officer_id == p.officer.officer_id
