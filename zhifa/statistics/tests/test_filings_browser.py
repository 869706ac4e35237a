"""In a real headless Chromium (Debian's): an agency head generates the 2026 annual report,
opens the cases behind a figure, writes the 专项说明 and the 情况说明 and submits; the supervisor
returns it once with comments, the head resubmits, the supervisor accepts; the head publishes it
and the figures appear on the public portal. Run only these with ``pytest -m browser``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.tests.conftest import World
from zhifa.cases.tests.test_browser import log_in
from zhifa.core.testing import desktop_page
from zhifa.statistics.models import Filing

pytestmark = pytest.mark.browser

NOW = datetime(2027, 1, 12, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def in_january(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def head(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


@pytest.fixture
def supervisor(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


def test_an_agency_files_its_annual_report_returned_once_then_accepted_and_published(
    head: Page,
    supervisor: Page,
    live_server: LiveServer,
    transactional_db: None,
    world: World,
    in_january: None,
) -> None:
    case = world.decided()

    log_in(head, live_server, "p5")  # 钱局长, the agency's head
    head.goto(f"{live_server.url}/statistics/filings/")
    form = head.locator("#generate")
    form.get_by_label("年度").fill("2026")
    form.get_by_label("统计期").select_option(label="年报")
    form.get_by_role("button", name="生成").click()
    expect(head.locator("#filing-state")).to_have_text("编制中")
    total = head.locator('#table-penalty td[data-indicator="penalty.total"]')
    expect(total).to_have_text("1")
    total.get_by_role("link").click()
    expect(head.locator("#counted-cases")).to_contain_text(case.title)
    head.go_back()

    # the agency holds inspection and coercion powers but recorded none: notes first
    head.get_by_role("button", name="报送").click()
    expect(head.locator("#refusal")).to_contain_text("第十七条")
    for table in ("inspection", "coercion"):
        note = head.locator(f"#note-{table}")
        note.get_by_label("专项说明").fill("本年度未发现需要实施的情形。")
        note.get_by_role("button", name="保存专项说明").click()
    narrative = head.locator("#narrative")
    expect(narrative.locator("textarea")).to_contain_text("作出行政处罚决定1件")
    narrative.locator("textarea").fill("2026年度本局作出行政处罚决定1件，罚没金额20,000.00元。")
    narrative.get_by_role("button", name="保存情况说明").click()
    head.get_by_role("button", name="报送", exact=True).click()
    expect(head.locator("#filing-state")).to_have_text("已报送")
    filing = Filing.objects.get()

    log_in(supervisor, live_server, "supervisor")
    supervisor.goto(f"{live_server.url}/statistics/filings/{filing.pk}/")
    review = supervisor.locator("#review")
    review.locator("#return-comments").fill("请补充罚没金额的变化原因。")
    review.get_by_role("button", name="退回").click()
    expect(supervisor.locator("#filing-state")).to_have_text("已退回")

    head.reload()
    expect(head.locator("#comments")).to_contain_text("请补充罚没金额的变化原因")
    narrative.locator("textarea").fill(
        "2026年度作出行政处罚决定1件；罚没金额较上年增加，系查处过期食品案件。"
    )
    narrative.get_by_role("button", name="保存情况说明").click()
    head.get_by_role("button", name="报送", exact=True).click()
    expect(head.locator("#filing-state")).to_have_text("已报送")

    supervisor.reload()
    supervisor.locator("#review").get_by_role("button", name="接收").click()
    expect(supervisor.locator("#filing-state")).to_have_text("已接收")
    expect(supervisor.locator("#narrative-text")).to_contain_text("查处过期食品案件")

    # -- 年度数据公开 before 31 January: the frozen figures on the portal, no login needed
    head.reload()
    head.get_by_role("button", name="在门户网站公开").click()
    head.wait_for_load_state("load")
    expect(head.locator("main")).to_contain_text("行政处罚实施情况统计表")
    portal = head.context.browser.new_page() if head.context.browser else head
    portal.goto(f"{live_server.url}/public/statistics/annual/2026/agency/{case.agency_id}/")
    expect(portal.locator("main")).to_contain_text(case.agency.name)
    expect(portal.locator("main")).to_contain_text("20000.00")  # 罚没金额 as filed
    filing.refresh_from_db()
    assert filing.state == Filing.State.PUBLISHED
