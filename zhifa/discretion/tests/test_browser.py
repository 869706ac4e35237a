"""In a real headless Chromium (Debian's): the officer applies the 基准 with two circumstances
and sees the band calculated live; the head's decision with a fine below that band is refused
until the head approves the deviation; the decision document, downloaded and read back, prints
the 基准 applied. Run only these with ``pytest -m browser``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.tests.conftest import World
from zhifa.cases.tests.test_browser import (
    act,
    downloaded_pdf,
    expect_state,
    generate,
    log_in,
)
from zhifa.core.testing import desktop_page, server_frozen_at
from zhifa.discretion.models import Application
from zhifa.discretion.tests.conftest import entry_for

pytestmark = pytest.mark.browser
NOW = datetime(2026, 4, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen(settings: Any, tmp_path: Path) -> Iterator[None]:
    with server_frozen_at(settings, tmp_path, NOW):
        yield


@pytest.fixture
def officer(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


@pytest.fixture
def head(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


def test_fine_from_the_benchmark_deviation_refused_then_approved_and_printed(
    officer: Page,
    head: Page,
    live_server: LiveServer,
    transactional_db: None,
    world: World,
    frozen: None,
) -> None:
    entry_for(world)
    case = world.stated(date(2026, 3, 4), date(2026, 4, 1), date(2026, 4, 2), fine=Decimal(60000))
    url = f"{live_server.url}/cases/{case.pk}/"
    log_in(officer, live_server, "p1")
    log_in(head, live_server, "p5")

    # The officer opens the 基准 from the workspace: the entry is proposed from the power item.
    officer.goto(url)
    officer.locator("#discretion").get_by_role("link", name="运用裁量基准").click()
    officer.wait_for_load_state("load")  # htmx is a deferred script
    form = officer.locator("#discretion-form")
    expect(form.locator("#id_benchmark")).to_contain_text("经营超过保质期的食品")
    for code in ("removed_harm", "gave_evidence"):
        form.locator(f'[name="f_{code}"]').check()
        form.locator(f'[name="e_{code}"]').select_option(index=1)
    calc = officer.locator("#discretion-calc")
    expect(calc).to_contain_text("从轻处罚（50,000元至65,000元）")
    form.get_by_label("适用裁量阶次").select_option("lighter")
    form.get_by_label("拟处罚款（元）").fill("45000")
    form.get_by_role("button", name="记录裁量基准适用").click()
    expect(officer.locator("#discretion-form")).to_contain_text("国办发〔2022〕27号（十二）")
    expect(officer.get_by_label("拟处罚款（元）")).to_have_value("45000")  # kept as typed
    officer.get_by_label("偏离裁量基准的理由").fill("货值极小且已全部召回，当事人经营困难")
    officer.get_by_role("button", name="记录裁量基准适用").click()
    expect(officer.locator("#applied")).to_contain_text("待主要负责人批准或集体讨论决定")
    app = Application.objects.get(case=case)
    assert app.deviates and [c["code"] for c in app.circumstances] == [
        "removed_harm",
        "gave_evidence",
    ]

    # The head's decision at 45,000 元 is refused: the deviation is not approved yet.
    head.goto(url)
    act(
        head,
        "case_decide",
        "作出处罚决定",
        fill={"fine": "45000", "opinion": "同意"},
        check=("penalty_kinds=warning", "penalty_kinds=fine"),
        done=False,
    )
    expect(head.locator("#action-case_decide")).to_contain_text(
        "偏离裁量基准须经本机关主要负责人批准"
    )
    expect_state(head, "陈述申辩")

    # The head approves the deviation on the 基准 page, then decides.
    head.goto(f"{live_server.url}/discretion/case/{case.pk}/")
    approve = head.locator(f"#approve-form-{app.pk}")
    approve.get_by_label("主要负责人批准").check()
    approve.get_by_label("批准理由").fill("同意减轻至四万五千元")
    approve.get_by_role("button", name="批准偏离").click()
    expect(head.locator(f"#approval-{app.pk}")).to_contain_text("主要负责人批准")
    head.goto(url)
    act(
        head,
        "case_decide",
        "作出处罚决定",
        fill={"fine": "45000", "opinion": "同意"},
        check=("penalty_kinds=warning", "penalty_kinds=fine"),
    )
    expect_state(head, "决定")

    officer.goto(url)
    text = downloaded_pdf(officer, generate(officer, "行政处罚决定书"))
    for part in (
        "裁量基准适用情况",
        "经营超过保质期的食品",
        "法定处罚幅度为50,000元以上100,000元以下罚款",
        "主动消除或者减轻违法行为危害后果的",
        "积极配合调查并主动提供证据材料的",
        "适用裁量阶次为从轻处罚（50,000元至65,000元）",
        "经本机关主要负责人批准",
        "肆万伍仟元整",
    ):
        assert part in text, part
