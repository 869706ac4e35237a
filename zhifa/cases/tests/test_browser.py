"""A penalty case in a real headless Chromium (Debian's), against the live test server: the
officer opens it, the head approves 立案 from the approval queue, the officers record an
interview. Run only these with ``pytest -m browser``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.models import Case
from zhifa.core.testing import PASSWORD
from zhifa.registry.tests.test_browser import CHROMIUM, CHROMIUM_ARGS

from .conftest import PENALTY_CODE, PERSON, World

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/zhifa-case-workspace.png"  # noqa: S108 - a file for a human to look at
NOW = datetime(2026, 3, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; Django would then refuse the
    # ORM calls the test itself makes as "async-unsafe".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def frozen(settings: Any, tmp_path: Path) -> Iterator[None]:
    # The server's clock is frozen, the browser's is not: cookies must not carry an expiry date
    # the browser would judge against its own clock.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    with time_machine.travel(NOW, tick=True):
        yield


def log_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/workbench/")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()


def test_officer_opens_head_registers_officers_record_an_interview(
    page: Page, live_server: LiveServer, transactional_db: None, world: World, frozen: None
) -> None:
    log_in(page, live_server, "p1")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="案件").click()
    page.get_by_role("link", name="登记新案件").click()
    page.get_by_label("案件类别").select_option("penalty_general")
    page.get_by_label("权责清单事项").select_option(PENALTY_CODE)
    page.get_by_label("案由").fill("销售超过保质期的牛奶")
    page.get_by_label("违法行为发生（终了）日期").fill("2026-03-01")
    page.locator('[name="party-0-name"]').fill(PERSON.name)
    page.locator('[name="party-0-id_number"]').fill(PERSON.id_number)
    page.locator('[name="party-0-phone"]').fill(PERSON.phone)
    page.get_by_role("checkbox", name="李执法").check()
    page.get_by_role("button", name="登记").click()

    expect(page.get_by_role("heading", name="销售超过保质期的牛奶")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("登记")
    case = Case.objects.get(title="销售超过保质期的牛奶")
    log_out(page)

    log_in(page, live_server, "p5")  # the head
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="待审批").click()
    queue = page.locator("#approval-table")
    expect(queue).to_contain_text("立案审批")
    queue.get_by_role("link", name="销售超过保质期的牛奶").click()
    register = page.locator("#action-case_register")
    register.locator("summary").click()
    register.get_by_label("负责人意见").fill("同意立案")
    register.get_by_role("button", name="立案审批").click()
    expect(page.get_by_role("status")).to_contain_text("已完成：立案审批")
    expect(page.locator("h1 .badge")).to_have_text("立案")
    log_out(page)

    log_in(page, live_server, "p1")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    investigate = page.locator("#action-case_investigate")
    investigate.locator("summary").click()
    investigate.get_by_label("取证类别").select_option(label="询问笔录")
    expect(investigate.get_by_role("checkbox", name="张执法")).to_be_checked()
    expect(investigate.get_by_role("checkbox", name="李执法")).to_be_checked()
    investigate.get_by_label("内容摘要").fill("询问当事人刘某某，承认销售过期牛奶12盒")
    investigate.get_by_role("button", name="调查取证").click()

    timeline = page.locator("#timeline")
    expect(timeline.locator(".timeline-entry")).to_have_count(3)
    last = timeline.locator(".timeline-entry").last
    expect(last).to_contain_text("询问笔录")
    expect(last).to_contain_text("张执法、李执法")
    expect(page.locator("h1 .badge")).to_have_text("调查取证")
    expect(page.locator("#deadlines")).to_contain_text("作出处罚决定 还剩")
    page.screenshot(path=SCREENSHOT, full_page=True)
