"""In a real headless Chromium (Debian's): an officer asks for 立案 with a note, the head finds
it first on the to-do list with its deadline and legal basis and approves it, and the officer
sees the unread count and the notification. Run only these with ``pytest -m browser``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.approvals.models import ApprovalRequest
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import World
from zhifa.cases.tests.test_browser import (  # noqa: F401 - fixtures (frozen) and helpers
    act,
    expect_state,
    frozen,
    log_in,
    step_form,
)
from zhifa.core.testing import desktop_page

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


@pytest.fixture
def head(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


def test_officer_requests_register_the_head_approves_it_first_on_the_list_and_the_officer_is_told(
    officer: Page,
    head: Page,
    live_server: LiveServer,
    transactional_db: None,
    world: World,
    frozen: None,  # noqa: F811
) -> None:
    # Two clues wait for 立案; the one asked for is the older, whose period ends first.
    asked = world.clue(date(2026, 3, 2))
    world.clue(date(2026, 3, 9))
    log_in(officer, live_server, "p1")
    log_in(head, live_server, "p5")

    officer.goto(f"{live_server.url}/cases/{asked.pk}/")
    panel = officer.locator("#approval-request-case_register")
    panel.locator("summary").click()
    panel.get_by_label("提请说明").fill("举报属实，现场已核实，建议立案")
    panel.get_by_role("button", name="提请立案审批").click()
    expect(officer.get_by_role("status")).to_contain_text("已提请负责人审批：立案审批")
    expect(officer.locator("#approval-requests")).to_contain_text("待审批")

    # The head: a notification, and the request first on the to-do list with its deadline.
    head.goto(f"{live_server.url}/workbench/")
    expect(head.locator("#notifications-link")).to_contain_text("1 条未读")
    head.get_by_role("navigation", name="主导航").get_by_role("link", name="待办").click()
    first = head.locator("#todo-table tbody tr").first
    expect(first).to_contain_text(asked.title)
    expect(first).to_contain_text("张执法提请")
    expect(first).to_contain_text("举报属实")
    expect(first).to_contain_text("2026-03-23")  # 15 working days from 2026-03-02
    expect(first).to_contain_text("第十八条")
    first.get_by_role("link", name=asked.title).click()
    expect(head.locator("#approval-requests")).to_contain_text("举报属实，现场已核实，建议立案")
    act(head, "case_register", "立案审批", fill={"opinion": "同意立案"})
    expect_state(head, "立案")
    assert ApprovalRequest.objects.get(case=asked).state == ApprovalRequest.State.APPROVED

    # The officer: the unread count in the header, the notification, the case registered.
    officer.goto(f"{live_server.url}/todos/")
    link = officer.locator("#notifications-link")
    expect(link).to_contain_text("1 条未读")
    link.click()
    row = officer.locator("#notifications tbody tr").first
    expect(row).to_contain_text("立案审批已批准")
    expect(row).to_contain_text("未读")
    row.get_by_role("button", name="打开").click()
    expect_state(officer, "立案")
    expect(officer.locator("#notifications-link")).not_to_contain_text("未读")
    assert Case.objects.get(pk=asked.pk).state == Case.State.REGISTERED
