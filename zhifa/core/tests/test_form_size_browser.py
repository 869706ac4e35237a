"""A form with more text than one request may carry is kept in the page, not sent and lost:
the officer who pasted a whole document into 简要案情 is told the size and the limit beside
the form, and what was typed is still there. A form within the limit is sent as before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.core.testing import PASSWORD, Personas, make_personas
from zhifa.registry.tests.test_browser import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def people(transactional_db: None) -> Personas:
    return make_personas()


def test_a_form_past_the_request_limit_stays_in_the_page_with_the_limit_said(
    page: Page, live_server: LiveServer, people: Personas
) -> None:
    log_in(page, live_server, "p1", PASSWORD)
    page.goto(f"{live_server.url}/cases/new/")
    summary = page.get_by_label("简要案情")
    pasted = "经查，当事人" * 300_000  # 3.6 million characters: about 21 MB url-encoded
    summary.fill(pasted)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.method == "POST" else None)

    page.locator("form").filter(has=summary).get_by_role("button", name="登记").click()

    alert = page.locator(".form-size-error")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("超过一次提交的上限 2.5 MB")
    expect(alert).to_contain_text("已填内容仍在本页")
    assert requests == []  # nothing was sent
    expect(page).to_have_url(f"{live_server.url}/cases/new/")
    assert summary.input_value() == pasted


def test_a_form_within_the_limit_is_sent(
    page: Page, live_server: LiveServer, people: Personas
) -> None:
    log_in(page, live_server, "p1", PASSWORD)
    page.goto(f"{live_server.url}/cases/new/")
    summary = page.get_by_label("简要案情")
    summary.fill("经查，当事人")
    with page.expect_request(lambda r: r.method == "POST") as sent:
        page.locator("form").filter(has=summary).get_by_role("button", name="登记").click()
    assert sent.value.url == f"{live_server.url}/cases/new/"
    expect(page.locator(".form-size-error")).to_have_count(0)
