"""In a real headless Chromium (Debian's): the publisher opens a draft, sees the removed spans
highlighted side by side, marks one more by selecting it, publishes; the public decision page
shows the text without the party's data and the in-browser verifier says the proof checks.
Run only these with ``pytest -m browser``."""

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

from zhifa.core.testing import PASSWORD
from zhifa.publicity.models import Publication

from .publication_world import PERSON, World, publication_of, world

__all__ = ["world"]

pytestmark = pytest.mark.browser
NOW = datetime(2026, 10, 9, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def select_text(page: Page, selector: str, text: str) -> None:
    """Select the first occurrence of ``text`` inside the element, as a mouse drag would."""
    # The selection handler is attached by a deferred script; a real user cannot select before
    # the page has loaded either.
    page.wait_for_load_state("load")
    page.evaluate(
        """([selector, text]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(text);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + text.length);
                    const sel = window.getSelection();
                    sel.removeAllRanges();
                    sel.addRange(range);
                    document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                    return;
                }
            }
            throw new Error("text not found: " + text);
        }""",
        [selector, text],
    )


def test_the_publisher_reviews_publishes_and_the_public_verifies(
    world: World, frozen: None, live_server: LiveServer, page: Page
) -> None:
    publication = publication_of(world.on_the_spot())
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(world.p.publisher.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(f"{live_server.url}/publish/")
    page.get_by_role("link", name=publication.decision_number).click()
    original, redacted = page.locator("#original"), page.locator("#redacted")
    expect(original).to_contain_text(PERSON.id_number)
    expect(original.locator("mark.span-remove").first).to_be_visible()
    expect(redacted).not_to_contain_text(PERSON.id_number)
    expect(redacted).not_to_contain_text(PERSON.phone)
    expect(redacted.locator("mark.replacement").first).to_be_visible()

    # One more span: the market's name, selected with the mouse, marked as an address.
    select_text(page, "#original", "幸福路菜市场")
    expect(page.locator("#span-selected")).to_contain_text("幸福路菜市场")
    page.locator("#span-kind").select_option("address")
    page.get_by_role("button", name="标注删除").click()
    expect(page.locator("#redaction [role=status]")).to_contain_text("已标注")
    expect(page.locator("#redacted")).not_to_contain_text("幸福路菜市场")
    expect(page.locator("#spans")).to_contain_text("人工标注")

    page.get_by_role("button", name="确认公开").click()
    expect(page.locator(".messages")).to_contain_text("已公开")
    assert publication_of(publication.case).state == Publication.State.PUBLISHED

    # The public page, as anyone sees it.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/decisions/{publication.pk}/")
    body = page.locator("main")
    expect(page.locator("#public-text")).to_contain_text("欧阳某")
    for value in (PERSON.name, PERSON.id_number, PERSON.phone, PERSON.address):
        expect(body).not_to_contain_text(value)
    expect(page.locator("#public-text")).not_to_contain_text("幸福路菜市场")
    page.get_by_role("button", name="在浏览器中校验").click()
    output = page.locator("#verify-output")
    expect(output).to_contain_text("包含证明成立")
    expect(output).not_to_contain_text("✗")
    expect(output).to_contain_text("Ed25519 签名有效")
