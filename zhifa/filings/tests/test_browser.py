"""In a real headless Chromium (Debian's): an officer files a major penalty decision with one
click from the case page, the supervisor finds it on the to-do list with its review deadline
and source, registers it (予以备案), and the case page shows the outcome. Run only these with
``pytest -m browser``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.documents import document_generate
from zhifa.cases.tests.conftest import World, entered_on
from zhifa.cases.tests.test_browser import log_in
from zhifa.core.testing import desktop_page
from zhifa.filings.models import Filing

pytestmark = pytest.mark.browser

NOW = datetime(2026, 5, 6, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
DECIDED = date(2026, 4, 28)


@pytest.fixture
def at_filing_time(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def officer(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


@pytest.fixture
def supervisor(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


def test_a_major_decision_is_filed_from_the_case_page_and_reviewed_by_the_supervisor(
    officer: Page,
    supervisor: Page,
    live_server: LiveServer,
    transactional_db: None,
    world: World,
    at_filing_time: None,
) -> None:
    case = world.decided(DECIDED)
    with entered_on(DECIDED):
        document_generate(actor=world.p.officer, case=case, kind="penalty_decision", on=DECIDED)

    log_in(officer, live_server, "p1")
    officer.goto(f"{live_server.url}/cases/{case.pk}/")
    panel = officer.locator("#major-filing")
    expect(panel).to_contain_text("对自然人罚款20,000.00元，达到10,000.00元的备案标准")
    expect(panel).to_contain_text("15日（依据：《四川省行政执法监督条例》第三十六条）")
    expect(panel).to_contain_text("还剩7日")
    panel.get_by_label("备案报告").fill("销售过期食品，罚款二万元")
    panel.get_by_role("button", name="一键报送备案").click()
    expect(officer.locator("#filing-state")).to_have_text("待审查")
    expect(officer.locator("#package-table")).to_contain_text("行政处罚决定书")
    filing = Filing.objects.get(case=case)

    log_in(supervisor, live_server, "supervisor")
    supervisor.goto(f"{live_server.url}/todos/")
    row = supervisor.locator("#todo-table tbody tr").filter(has_text="重大行政处罚决定备案")
    expect(row).to_contain_text("2026-06-05")  # 30 days from the filing
    row.get_by_role("link").first.click()
    expect(supervisor).to_have_url(f"{live_server.url}/filings/{filing.pk}/")
    form = supervisor.locator("#review-form")
    form.get_by_label("予以备案（登记存档）").check()
    form.get_by_role("button", name="作出审查结论").click()
    expect(supervisor.locator("#filing-state")).to_have_text("予以备案")

    officer.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(officer.locator("#major-filing")).to_contain_text("予以备案")
    assert Filing.objects.get(pk=filing.pk).state == Filing.State.REGISTERED
