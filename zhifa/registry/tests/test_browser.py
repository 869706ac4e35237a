"""The registry pages in a real headless Chromium (Debian's), against the live test server.

Run only these with ``pytest -m browser``; they are few on purpose (one browser per module).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.core.testing import PASSWORD, Personas, make_personas

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/zhifa-officers.png"  # noqa: S108 - a file for a human to look at


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def people(transactional_db: None) -> Personas:
    # The live server runs in another thread: the personas must be committed, hence
    # transactional_db rather than the shared ``personas`` fixture (which uses ``db``).
    return make_personas()


def log_in(page: Page, live_server: LiveServer, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_officer_logs_in_searches_with_htmx_and_opens_an_officer(
    page: Page, live_server: LiveServer, people: Personas
) -> None:
    log_in(page, live_server, "p1", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/workbench/")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="执法人员").click()
    expect(page).to_have_url(f"{live_server.url}/registry/officers/")
    rows = page.locator("#officer-table tbody tr")
    expect(rows).to_have_count(5)
    page.screenshot(path=SCREENSHOT, full_page=True)

    # A marker on window survives an HTMX swap but not a full page load.
    # The search is wired by deferred scripts (htmx); type only once they have run.
    page.wait_for_load_state("load")
    page.evaluate("window.zhifaMarker = 'same page'")
    search = page.locator("#officer-search")
    search.press_sequentially("李")
    # Typing Chinese ends with a key release (the IME commit); Playwright's insertText does not
    # send one, so release a modifier as the IME would.
    search.press("Shift")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("李执法")
    expect(page).to_have_url(re.compile(r"/registry/officers/\?.*q=%E6%9D%8E"))  # pushed
    assert page.evaluate("window.zhifaMarker") == "same page"

    page.get_by_role("link", name="李执法").click()
    expect(page.get_by_role("heading", name="李执法")).to_be_visible()
    certificate = page.locator("article.certificate").first
    expect(certificate).to_contain_text("130300000002")
    expect(certificate.locator(".badge").first).to_have_text("有效")


def test_wrong_password_shows_a_chinese_error(
    page: Page, live_server: LiveServer, people: Personas
) -> None:
    log_in(page, live_server, "p1", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    expect(page).to_have_url(f"{live_server.url}/login/")


def test_public_certificate_check_finds_an_officer_by_number(
    page: Page, live_server: LiveServer, people: Personas
) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="执法证件查询").first.click()
    page.get_by_role("searchbox").fill("130300000006")
    page.keyboard.press("Enter")
    card = page.locator("article.certificate")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("周乙区")
    expect(card).to_contain_text("示范市乙区生态环境分局")
    expect(card).to_contain_text("有效")
