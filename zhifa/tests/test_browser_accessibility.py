"""Accessibility in a real browser (Debian's Chromium), on the demo city: axe-core's WCAG 2 A and
AA rules on every public page and the main pages of each role, and the phone layout (390 px).

Government websites are held to GB/T 37668-2019 (信息技术 互联网内容无障碍可访问性技术要求与
测试方法), which follows WCAG 2; WCAG 2.1's 1.4.10 Reflow asks for no sideways scrolling at
320 CSS px, and officers open the case workspace on site, on a phone.

axe-core is a test-only dependency (``package.json`` devDependencies, copied to
``zhifa/tests/vendor/``, never under ``zhifa/static/``): it is injected into each page by the
browser context (an init script, which the Content-Security-Policy does not apply to) and never
served by zhifa.

Each test that reads the demo loads it (``zhifa demo --cases sample``, committed: the live server
reads it from another connection) and walks all its pages in one go, so that a failure lists every
violation of every page at once (rule, elements, why); pytest-django's ``live_server`` flushes the
database after each test. Run only these with ``pytest zhifa/tests/test_browser_accessibility.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.models import Case
from zhifa.core.testing import PASSWORD, make_personas
from zhifa.demo.testing import DemoSnapshot
from zhifa.publicity.models import Publication
from zhifa.registry import demo as city
from zhifa.registry.models import Account, Agency, Certificate, PowerItem
from zhifa.review.models import Submission

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: what GB/T 37668 asks of a government site.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}  # a common phone's CSS viewport
DESKTOP = {"width": 1280, "height": 900}
SH = ZoneInfo("Asia/Shanghai")
TODAY = city.REFERENCE_DAY
# The demo is loaded, and the pages are read, on the evening of the demo's own day.
LOADED_AT = datetime(TODAY.year, TODAY.month, TODAY.day, 20, tzinfo=SH)
PASSWORDS = {
    "officer": "zhifa-officer",
    "head": "zhifa-head",
    "reviewer": "zhifa-reviewer",
    "publisher": "zhifa-publisher",
    "supervisor": "zhifa-supervisor",
    "admin": "zhifa-admin",
}


@dataclass(frozen=True)
class Demo:
    """The live server and the ids of the demo objects the pages show."""

    url: str
    market: int  # 示范市市场监督管理局
    power_item: int
    decision: int  # a published decision
    valid_certificate: str  # 李明's certificate number
    expired_certificate: str  # 刘洋's, expired on 2026-06-30
    cases: dict[str, int]  # one market-bureau case per state, "kind:state" → id
    submission: int  # a review round of the market bureau
    draft: int  # a publication awaiting the publisher


def _ids(url: str) -> Demo:
    market = Agency.objects.get(name="示范市市场监督管理局")
    cases: dict[str, int] = {}
    for case in Case.objects.filter(agency=market).order_by("pk"):
        cases.setdefault(f"{case.kind}:{case.state}", case.pk)

    def certificate(username: str) -> str:
        officer = Account.objects.get(username=username).officer
        return Certificate.objects.filter(officer=officer).order_by("-pk")[0].number

    return Demo(
        url=url,
        market=market.pk,
        power_item=PowerItem.objects.filter(agency=market, status="published").order_by("pk")[0].pk,
        decision=Publication.objects.filter(state="published").order_by("pk")[0].pk,
        valid_certificate=certificate("officer"),
        expired_certificate=certificate("expired"),
        cases=cases,
        submission=Submission.objects.filter(case__agency=market).order_by("pk")[0].pk,
        draft=Publication.objects.filter(agency=market, state="draft").order_by("pk")[0].pk,
    )


@pytest.fixture
def demo(
    transactional_db: None, live_server: LiveServer, demo_snapshot: DemoSnapshot
) -> Iterator[Demo]:
    # The server's clock runs from the demo's day, the browser's does not: cookies must carry no
    # expiry date the browser would judge against its own clock.
    with (
        demo_snapshot.loaded(),
        time_machine.travel(LOADED_AT, tick=True),
        override_settings(
            ZHIFA_LATE_ENTRY_DAYS=3, SESSION_EXPIRE_AT_BROWSER_CLOSE=True, CSRF_COOKIE_AGE=None
        ),
    ):
        yield _ids(live_server.url)


def _context(browser: Browser, viewport: dict[str, int]) -> BrowserContext:
    context = browser.new_context(locale="zh-CN", viewport=viewport)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    # An init script runs before the page's own and is not subject to the page's
    # Content-Security-Policy, which would refuse an inline <script> carrying axe.
    context.add_init_script(path=AXE)
    return context


def log_in(page: Page, demo: Demo, username: str) -> None:
    page.goto(f"{demo.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{demo.url}/workbench/")


# -- axe ---------------------------------------------------------------------------------------


def axe_violations(page: Page) -> list[str]:
    """axe's WCAG 2 A/AA violations on the page as it is: per rule its id, help, every element
    (target) and why the first one fails."""
    result = page.evaluate(
        """async (tags) => {
          const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
          return r.violations.map(v => ({id: v.id, help: v.help,
            targets: v.nodes.map(n => n.target.join(" ")),
            why: v.nodes[0].failureSummary}));
        }""",
        WCAG_TAGS,
    )
    lines = []
    for v in result:
        targets = v["targets"]
        shown = f"{len(targets)} element(s): " + "; ".join(targets)
        why = v["why"].replace("\n", " ")
        lines.append(f"{v['id']}: {v['help']}\n      at {shown}\n      {why}")
    return lines


def check_pages(
    page: Page, demo: Demo, paths: list[str], found: dict[str, list[str]], who: str = "anonymous"
) -> None:
    """Open each page as ``who`` and add its violations, if any, to ``found``."""
    for path in paths:
        response = page.goto(f"{demo.url}{path}")
        assert response is not None
        expected_status = 404 if "no-such" in path else 200
        assert response.status == expected_status, path
        violations = axe_violations(page)
        if violations:
            found[f"{path} ({who})"] = violations


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{path}:\n" + "\n".join(f"  - {v}" for v in violations)
        for path, violations in found.items()
    )


def public_paths(demo: Demo) -> list[str]:
    return [
        "/",
        "/login/",
        "/check/",
        f"/check/?q={demo.valid_certificate}",
        f"/check/?q={demo.expired_certificate}",
        "/check/?q=没有这个人",
        "/public/",
        "/public/agencies/",
        f"/public/agencies/{demo.market}/",
        "/public/officers/",
        "/public/powers/",
        f"/public/powers/{demo.power_item}/",
        "/public/inspection-items/",
        "/public/discretion/",
        "/public/lenient-lists/",
        "/public/decisions/",
        f"/public/decisions/{demo.decision}/",
        "/public/decisions/verify/",
        "/public/search/",
        "/public/search/?q=罚款",
        "/public/statistics/",
        "/public/no-such-page/",
    ]


def role_paths(demo: Demo) -> dict[str, list[str]]:
    c = demo.cases
    workspaces = [f"/cases/{pk}/" for pk in c.values()]
    return {
        "officer": [
            "/workbench/",
            "/cases/",
            "/cases/new/",
            "/cases/simple/new/",
            "/cases/overdue/",
            *workspaces,
            f"/review/submit/{c['penalty_general:investigating']}/",
            f"/review/flag/{c['penalty_general:investigating']}/",
            "/cases/no-such-page/",
            "/todos/",
            "/notifications/",
            "/notifications/settings/",
        ],
        "head": ["/workbench/", "/cases/approvals/", "/todos/", "/review/"],
        "reviewer": [
            "/todos/",
            "/review/",
            f"/review/{demo.submission}/",
            "/review/catalog/",
            "/review/stats/",
        ],
        "publisher": [
            "/todos/",
            "/publish/",
            f"/publish/{demo.draft}/",
            "/publish/statistics/",
        ],
        "supervisor": [
            "/workbench/",
            "/cases/",
            "/cases/overdue/",
            "/review/stats/",
            "/publish/",
            "/publish/statistics/",
        ],
        "admin": [
            "/workbench/",
            "/registry/agencies/",
            f"/registry/agencies/{demo.market}/",
            "/registry/officers/",
            "/registry/power-items/",
            f"/registry/power-items/{demo.power_item}/",
            "/registry/transfer/",
            "/registry/logins/",
        ],
    }


def test_every_page_passes_axe_wcag_2_a_and_aa(browser: Browser, demo: Demo) -> None:
    found: dict[str, list[str]] = {}
    context = _context(browser, DESKTOP)
    check_pages(context.new_page(), demo, public_paths(demo), found)
    context.close()
    for username, paths in role_paths(demo).items():
        context = _context(browser, DESKTOP)
        page = context.new_page()
        log_in(page, demo, username)
        check_pages(page, demo, paths, found, who=username)
        context.close()
    assert not found, "axe-core (WCAG 2 A/AA) found:\n" + _report(found)


# -- the phone ---------------------------------------------------------------------------------

# Cases of the market bureau in states where the officer has next steps, on site or at the desk.
PHONE_CASES = [
    "penalty_general:registered",
    "penalty_general:investigating",
    "penalty_general:notified",
    "penalty_general:served",
    "penalty_general:executing",
    "penalty_simple:decided",
    "inspection:findings",
    "seizure:proposed",
    "seizure:executed",
]


def page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def wider_than_the_screen(page: Page) -> list[str]:
    """The elements sticking out past the right edge of the screen (to name them on failure)."""
    return list(
        page.evaluate(
            """(w) => Array.from(document.querySelectorAll("main *"))
                .filter(e => e.getBoundingClientRect().right > w + 0.5
                             && !e.closest(".table-scroll"))
                .slice(0, 8)
                .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
                          + (e.className ? "." + String(e.className).split(" ").join(".") : "")
                          + " → " + Math.round(e.getBoundingClientRect().right) + "px")""",
            PHONE["width"],
        )
    )


def test_the_workspace_and_step_forms_fit_a_phone_with_the_next_step_on_the_first_screen(
    browser: Browser, demo: Demo
) -> None:
    context = _context(browser, PHONE)
    page = context.new_page()
    log_in(page, demo, "officer")
    found: dict[str, list[str]] = {}
    for key in PHONE_CASES:
        path = f"/cases/{demo.cases[key]}/"
        page.goto(f"{demo.url}{path}")
        first = page.locator("#next-actions details.action summary").first
        box = first.bounding_box()
        assert box is not None, f"{key}: no next step on {path}"
        # Measured at the top of the page, as it opens.
        assert box["y"] < PHONE["height"], f"{key}: the first next step is at {box['y']} px"
        assert page_width(page) <= PHONE["width"], (key, wider_than_the_screen(page))
        # Every step form unfolded, as the officer fills them in on site.
        page.evaluate("document.querySelectorAll('details.action').forEach(d => d.open = true)")
        assert page_width(page) <= PHONE["width"], (key, wider_than_the_screen(page))
        violations = axe_violations(page)
        if violations:
            found[f"{path} ({key}, 390 px)"] = violations
    for path in ["/cases/new/", "/cases/simple/new/", "/cases/", "/workbench/"]:
        page.goto(f"{demo.url}{path}")
        assert page_width(page) <= PHONE["width"], (path, wider_than_the_screen(page))
        violations = axe_violations(page)
        if violations:
            found[f"{path} (390 px)"] = violations
    context.close()
    assert not found, "axe-core (WCAG 2 A/AA) found at 390 px:\n" + _report(found)


def test_public_pages_fit_a_phone(browser: Browser, demo: Demo) -> None:
    context = _context(browser, PHONE)
    page = context.new_page()
    found: dict[str, list[str]] = {}
    for path in public_paths(demo):
        page.goto(f"{demo.url}{path}")
        assert page_width(page) <= PHONE["width"], (path, wider_than_the_screen(page))
        violations = axe_violations(page)
        if violations:
            found[f"{path} (390 px)"] = violations
    context.close()
    assert not found, "axe-core (WCAG 2 A/AA) found at 390 px:\n" + _report(found)


@pytest.mark.django_db(transaction=True)
def test_the_menu_folds_behind_a_button_on_a_phone(
    browser: Browser, live_server: LiveServer
) -> None:
    username = make_personas().officer.username
    context = browser.new_context(locale="zh-CN", viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/workbench/")
    menu = page.get_by_role("navigation", name="主导航")
    button = page.get_by_role("button", name="菜单")

    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    # The page starts right below the bar, not under a screenful of links.
    box = page.locator("main h1").bounding_box()
    assert box is not None and box["y"] < 150, box
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    menu.get_by_role("link", name="案件").focus()
    page.keyboard.press("Escape")  # closes it and returns to the button
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    button.click()
    expect(menu).to_be_hidden()

    # On a wide screen the menu is always there and the button is not.
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    expect(menu).to_be_visible()
    expect(button).to_be_hidden()
    context.close()

    # Without scripts the menu stays open on a phone, and there is no button that does nothing.
    context = browser.new_context(locale="zh-CN", viewport=PHONE, java_script_enabled=False)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    expect(page.get_by_role("button", name="菜单")).to_be_hidden()
    context.close()
