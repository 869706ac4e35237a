"""Search in a real headless Chromium (Debian's) against the live test server: a word, then the
agency filter, then the result's link. Run only these with ``pytest -m browser``."""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from config.urls import urlpatterns as project_urlpatterns

from .conftest import AGENCY_B

pytestmark = [pytest.mark.browser, pytest.mark.urls(__name__)]

SCREENSHOT = "/tmp/zhifa-public-search.png"  # noqa: S108 - a file for a human to look at


def decision_page(request: HttpRequest, publication_id: int) -> HttpResponse:
    # The indexed documents here are made up, not publications: a stand-in decision page.
    return HttpResponse(
        f"<!DOCTYPE html><title>决定 {publication_id}</title><h1>决定 {publication_id}</h1>"
    )


urlpatterns = [
    path("public/decisions/<int:publication_id>/", decision_page),
    *project_urlpatterns,
]


@pytest.mark.django_db(transaction=True)
def test_a_citizen_searches_filters_by_agency_and_opens_the_decision(
    browser: Browser, live_server: LiveServer, world: object
) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/public/search/")

    page.get_by_label("关键词").fill("罚款")
    page.get_by_role("button", name="检索").click()
    results = page.locator("ol.results > li")
    expect(results).to_have_count(4)  # 4, 5, 2, 1: both agencies
    expect(page.get_by_role("status")).to_have_text("共 4 条")
    expect(results.first.locator("mark").first).to_have_text("罚款")

    page.get_by_label("执法机关").select_option(label="示范市乙区生态环境分局")
    page.get_by_role("button", name="检索").click()
    expect(results).to_have_count(1)
    expect(results.first.get_by_role("heading")).to_have_text(
        "乙环罚〔2026〕5号 · 示范市东方化工有限公司 · 超过大气污染物排放标准排放废气"
    )
    expect(page).to_have_url(
        re.compile(rf"/public/search/\?q=%E7%BD%9A%E6%AC%BE&agency={AGENCY_B}")
    )
    page.screenshot(path=SCREENSHOT, full_page=True)

    results.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("决定 5")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_statistics_charts_draw_from_the_local_echarts(
    browser: Browser, live_server: LiveServer, world: object
) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/public/statistics/")
    for chart in ("#chart-month", "#chart-kind", "#chart-agency"):
        expect(page.locator(f"{chart} svg")).to_have_count(1)
    expect(page.get_by_role("table", name="每月决定数")).to_contain_text("2026-03")
    page.screenshot(path="/tmp/zhifa-public-statistics.png", full_page=True)  # noqa: S108
    assert all(url.startswith(live_server.url) for url in requested)  # nothing from a CDN
    context.close()
