"""In a real headless Chromium (Debian's): a citizen complains about the officer who showed a
card, from the portal, and follows it by tracking number; the supervisor accepts it and opens a
supervision matter; the citizen sees the progress. Run only these with ``pytest -m browser``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.complaints.models import Complaint
from zhifa.core.testing import PASSWORD

from .conftest import NOW, World

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def frozen(settings: Any) -> Iterator[None]:  # overrides the package's: the clock ticks here
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NOW, tick=True):
        yield


def new_page(browser: Browser) -> Page:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    return context.new_page()


def status_of(page: Page, base: str, number: str, code: str) -> None:
    page.goto(f"{base}/public/complaints/status/")
    page.get_by_label("投诉编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()


def test_a_citizen_complains_and_follows_it_the_supervisor_accepts_and_opens_a_matter(
    world: World, live_server: LiveServer, browser: Browser
) -> None:
    base = live_server.url
    citizen = new_page(browser)
    citizen.goto(f"{base}/public/")
    citizen.get_by_role("link", name="投诉举报", exact=True).click()
    expect(citizen.get_by_role("heading", name="行政执法投诉举报")).to_be_visible()
    # The search is wired by a deferred script; a person types once the page has loaded.
    citizen.wait_for_load_state("load")
    # A province lists thousands of bodies: type part of the name, pick among the matches.
    citizen.get_by_label("查找被投诉的执法主体（输入名称中的字词）").fill("甲区市场")
    expect(citizen.locator(".agency-search-status")).to_contain_text("找到1个")
    expect(citizen.locator('select[name="agency"]')).to_have_value(
        str(world.p.agency_a.pk)
    )  # the only match is chosen
    citizen.get_by_label("查找被投诉的执法主体（输入名称中的字词）").fill("区")
    expect(citizen.locator(".agency-search-status")).to_contain_text("找到2个")
    citizen.locator('select[name="agency"]').select_option(label=world.p.agency_a.name)
    citizen.get_by_label("被投诉的执法人员（姓名或执法证件编号，选填）").fill("130300000001")
    citizen.get_by_label("投诉事项（发生了什么）").fill("检查时执法人员出示证件后态度粗暴。")
    citizen.get_by_label("发生日期").fill("2026-02-27")
    citizen.get_by_label("姓名（实名投诉）").fill("陈投诉")
    citizen.get_by_label("联系方式：电话或电子邮箱（实名投诉）").fill("chen@example.com")
    citizen.get_by_role("button", name="提交投诉").click()
    expect(citizen.get_by_role("heading", name="投诉已提交")).to_be_visible()
    number = citizen.locator("#tracking-number").inner_text().strip()
    code = citizen.locator("#secret-code").inner_text().strip()
    assert Complaint.objects.get(number=number).officer == world.p.officer_record

    status_of(citizen, base, number, code)
    expect(citizen.locator("#complaint-state")).to_have_text("已收到，待受理")

    supervisor = new_page(browser)
    supervisor.goto(f"{base}/login/")
    supervisor.get_by_label("用户名").fill(world.supervisor.username)
    supervisor.get_by_label("密码").fill(PASSWORD)
    supervisor.get_by_role("button", name="登录").click()
    supervisor.goto(f"{base}/todos/")
    expect(supervisor.get_by_text(number)).to_be_visible()
    supervisor.goto(f"{base}/complaints/")
    supervisor.get_by_role("link", name=number).click()
    expect(supervisor.locator("#complainant")).to_contain_text("陈投诉")
    expect(supervisor.get_by_text("5个工作日").first).to_be_visible()
    supervisor.locator("#accept-form").get_by_role("button", name="受理").click()
    expect(supervisor.locator("#complaint-state")).to_have_text("已受理，办理中")
    supervisor.locator("#matter-form").get_by_role("button", name="立为监督事项").click()
    supervisor.get_by_role("link", name="查看监督事项").click()
    expect(supervisor.get_by_text(number).first).to_be_visible()

    status_of(citizen, base, number, code)
    expect(citizen.locator("#complaint-state")).to_have_text("已受理，办理中")
    expect(citizen.get_by_text("立为监督事项")).to_be_visible()
    expect(citizen.get_by_text("陈投诉")).to_have_count(0)
