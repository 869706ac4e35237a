"""The Content-Security-Policy in a real browser: zhifa's pages satisfy it (scripts and styles
from files only), and a page that breaks it fails its browser test (``zhifa/conftest.py``'s
guard watches every browser context of every ``-m browser`` test)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.conftest import CspGuard
from zhifa.core.testing import PASSWORD, make_personas

pytestmark = pytest.mark.browser

ANONYMOUS = [
    "/",
    "/login/",
    "/check/",
    "/public/",
    "/public/decisions/",
    "/public/decisions/verify/",
    "/public/search/?q=罚款",
    "/public/statistics/",
    "/api/v1/docs",
]
ADMIN = [
    "/workbench/",
    "/registry/officers/",
    "/registry/power-items/",
    "/registry/transfer/",
    "/registry/logins/",
    "/cases/",
    "/admin/",
    "/admin/registry/account/",
    "/admin/registry/account/1/change/",
]


def test_a_policy_violation_fails_a_browser_test(
    browser: Browser,
    live_server: LiveServer,
    csp_guard: CspGuard,
) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "window.injected = 1";
          document.body.appendChild(s);
        }"""
    )
    page.wait_for_function("() => window.zhifaCspViolations.length > 0")
    assert page.evaluate("() => window.injected") is None  # the inline script did not run
    assert any("script-src" in v for v in csp_guard.violations), csp_guard.violations
    with pytest.raises(pytest.fail.Exception, match="Content-Security-Policy"):
        csp_guard.check()
    csp_guard.clear()  # the violation was this test's purpose
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_pages_satisfy_the_policy(browser: Browser, live_server: LiveServer) -> None:
    make_personas()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    for url in ANONYMOUS:
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.ok, url
    expect(page.locator("#swagger-ui .info")).to_be_visible()  # the API page ran its scripts

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/workbench/")
    for url in ADMIN:
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.ok, url
    context.close()
