"""The forms in a real headless Chromium: the new-case form offers only the power items of the
chosen kind of case (js/case-new.js), and the on-the-spot form takes the place and time its
decision prints. Run only these with ``pytest -m browser``."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.models import Case
from zhifa.record.models import Entry

from .conftest import INSPECTION_CODE, PENALTY_CODE, World
from .test_browser import frozen, log_in, officer

__all__ = ["frozen", "officer"]

pytestmark = pytest.mark.browser


def _offered(page: Page) -> list[str]:
    """The power items the select offers (those of visible, enabled groups)."""
    values: list[str] = page.locator('select[name="power_code"]').evaluate(
        "s => Array.from(s.querySelectorAll('optgroup:not([disabled]) option')).map(o => o.value)"
    )
    return values


def test_the_new_case_form_offers_only_the_power_items_of_the_kind(
    officer: Page, live_server: LiveServer, transactional_db: None, world: World, frozen: None
) -> None:
    log_in(officer, live_server, "p1")
    officer.goto(f"{live_server.url}/cases/new/")
    officer.get_by_label("案件类别").select_option("penalty_general")
    assert PENALTY_CODE in _offered(officer) and INSPECTION_CODE not in _offered(officer)
    officer.get_by_label("权责清单事项").select_option(PENALTY_CODE)
    officer.get_by_label("案件类别").select_option("inspection")
    assert INSPECTION_CODE in _offered(officer) and PENALTY_CODE not in _offered(officer)
    # the penalty item chosen before no longer fits: the choice is cleared
    expect(officer.get_by_label("权责清单事项")).to_have_value("")


def test_the_on_the_spot_form_takes_the_place_and_time(
    officer: Page, live_server: LiveServer, transactional_db: None, world: World, frozen: None
) -> None:
    log_in(officer, live_server, "p1")
    officer.goto(f"{live_server.url}/cases/simple/new/")
    officer.get_by_label("权责清单事项（行政处罚）").select_option(PENALTY_CODE)
    officer.get_by_label("案由").fill("店外占道经营")
    officer.get_by_label("处罚时间").fill("08:40")
    officer.get_by_label("执法地点").fill("示范市甲区幸福路12号门前")
    officer.get_by_label("警告").check()
    officer.get_by_label("违法事实").fill("当事人在店外摆放货架占用人行道")
    officer.get_by_label("姓名或名称").fill("刘某某")
    officer.get_by_label("居民身份证号码（自然人）").fill("130302198003015019")
    officer.get_by_label("李执法").check()
    officer.get_by_role("button", name="当场作出处罚决定").click()
    expect(officer.get_by_role("status")).to_contain_text("已当场作出处罚决定")
    case = Case.objects.get(title="店外占道经营")
    assert case.kind == Case.Kind.PENALTY_SIMPLE
    opening = Entry.objects.get(case_id=case.pk, action="case.simple_decide")
    assert opening.data["place"] == "示范市甲区幸福路12号门前"
    assert opening.data["at"].startswith("2026-03-10T00:40")  # 08:40 Beijing time, in UTC
