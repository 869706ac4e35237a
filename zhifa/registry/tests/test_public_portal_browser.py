"""The public portal in a real headless Chromium (Debian's), as a citizen uses it.

Run only these with ``pytest -m browser``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.core.testing import make_personas
from zhifa.registry.tests.test_public_portal import INSPECTION_STEPS, NOW, Portal, build_portal

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def clock() -> Iterator[None]:
    # Time runs (the browser and server need it to) from a fixed day, so 王过期's certificate
    # (valid until 2026-06-30) is expired whatever today is.
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def portal(transactional_db: None, clock: None) -> Portal:
    # The live server runs in another thread: the data must be committed.
    return build_portal(make_personas())


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def tab_to(page: Page, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element's text is ``text`` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.innerText")
        if focused and focused.strip() == text:
            return
    raise AssertionError(f"{text!r} not reachable by Tab")


def test_citizen_checks_an_officer_by_number_and_by_name_then_reads_a_power_by_keyboard(
    page: Page, live_server: LiveServer, portal: Portal
) -> None:
    page.goto(f"{live_server.url}/public/")
    expect(page.get_by_role("heading", name="行政执法公示", level=1)).to_be_visible()
    expect(page.get_by_text("最后更新：2026年11月20日").first).to_be_visible()

    # The skip link is the first stop of the keyboard and shows itself when focused.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    # By certificate number: the officer in front of me holds a valid certificate.
    page.get_by_label("证件编号或执法人员姓名").fill("130300000001")
    page.get_by_role("button", name="核验").click()
    expect(page).to_have_url(re.compile(r"/check/\?q=130300000001$"))
    card = page.locator("article.certificate")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading", name="张执法")).to_be_visible()
    expect(card.get_by_text("有效", exact=True)).to_be_visible()
    expect(card.get_by_text("示范市甲区市场监督管理局")).to_be_visible()

    # By name: this one's certificate has expired.
    page.goto(f"{live_server.url}/public/")
    page.get_by_label("证件编号或执法人员姓名").fill("王过期")
    page.keyboard.press("Enter")
    card = page.locator("article.certificate")
    expect(card.get_by_role("heading", name="王过期")).to_be_visible()
    badge = card.get_by_text("已过期", exact=True)
    expect(badge).to_be_visible()
    expect(badge).to_have_css("background-color", "rgb(180, 35, 24)")  # red, not green
    expect(card.get_by_text("有效", exact=True)).to_have_count(0)
    expect(card.get_by_text("持证人不得凭此证件执法")).to_be_visible()

    # Keyboard only: portal → power list → the inspection item → its flowchart.
    page.goto(f"{live_server.url}/public/")
    tab_to(page, "权责清单")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/public/powers/")
    tab_to(page, "对食品生产经营的监督检查")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/public/powers/{portal.inspection.pk}/")
    flow = page.get_by_role("list", name="办理流程图")
    expect(flow).to_be_visible()
    expect(flow.get_by_role("listitem")).to_have_text(
        [re.compile(rf"\d{step}$") for step in INSPECTION_STEPS]
    )
    expect(page.get_by_role("heading", name="办事指南")).to_be_visible()


def test_on_a_phone_the_officer_list_fits_the_screen_in_one_column(
    browser: Browser, live_server: LiveServer, portal: Portal
) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740})
    phone = context.new_page()
    try:
        phone.goto(f"{live_server.url}/public/officers/")
        expect(phone.get_by_role("table", name="持证执法人员名单")).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
        name = phone.get_by_label("姓名或证件编号").bounding_box()
        domain = phone.get_by_label("执法领域").bounding_box()
        assert name and domain and domain["y"] > name["y"]  # stacked, not side by side
    finally:
        context.close()
