"""In a real headless Chromium (Debian's): the supervisor reads an entity's inspections by two
agencies, finds them proposed for 综合查一次, merges them into one visit with the documents
requested once, and the public reads the annual plans with whether each was on time. Run only
these with ``pytest -m browser``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.tests.test_browser import log_in
from zhifa.core.testing import credit_code, desktop_page, make_personas
from zhifa.inspections import services_directory as svc
from zhifa.inspections.models import Inspection, JointInspection, Plan

from .directory_world import inspection_of, item_of

pytestmark = pytest.mark.browser

NOW = datetime(2026, 5, 4, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


def test_supervisor_merges_two_agencies_inspections_into_one_visit(
    transactional_db: None, live_server: LiveServer, frozen: None, page: Page
) -> None:
    p = make_personas()
    entity = svc.entity_create(
        actor=p.admin,
        name="示范市甲区青禾食品有限公司",
        credit_code=credit_code(880, prefix="91"),
        division_code="130302",
        industry="食品制造业",
        risk_class="B",
    )
    a = inspection_of(p, p.agency_a, entity, date(2026, 5, 11), name="食品生产日常监督检查")
    b = inspection_of(
        p, p.agency_b, entity, date(2026, 5, 20), code="HB-1", name="排污许可执行情况检查"
    )
    plan = svc.plan_create(
        actor=p.head,
        agency=p.agency_a,
        kind=Plan.Kind.ANNUAL,
        year=2026,
        title="甲区市场监管局2026年度行政检查计划",
        items=[item_of(p, p.agency_a, "JC-900", "食品生产日常监督检查")],
        subjects="辖区内食品生产经营者",
        method="双随机抽查",
        ratio="B类10%",
        frequency="每年1次",
    )
    svc.plan_publish(actor=p.head, plan=plan, on=date(2026, 3, 31))

    log_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/inspections/entities/?q=青禾")
    page.get_by_role("link", name="示范市甲区青禾食品有限公司").click()
    table = page.locator("#entity-inspections")
    expect(table).to_contain_text("示范市甲区市场监督管理局")
    expect(table).to_contain_text("示范市乙区生态环境分局")
    expect(table).to_contain_text("2026-05-20")

    page.goto(f"{live_server.url}/inspections/joint/")
    expect(page.locator("#joint-window")).to_contain_text("30日")
    proposal = page.locator(f"#proposal-{a.pk}-{b.pk}")
    expect(proposal).to_contain_text("排污许可执行情况检查")
    proposal.get_by_label("联合检查日期").fill("2026-05-13")
    proposal.get_by_label("一次性调取的资料（每行一项）").fill("营业执照\n排污许可证")
    proposal.get_by_role("button", name="确定联合检查").click()
    expect(page.locator("#joint")).to_contain_text("2026-05-13")
    expect(page.locator("#checklist")).to_contain_text("排污许可执行情况检查")
    expect(page.locator("#documents")).to_contain_text("排污许可证")
    joint = JointInspection.objects.get()
    assert set(Inspection.objects.filter(joint=joint).values_list("pk", flat=True)) == {a.pk, b.pk}

    page.goto(f"{live_server.url}/inspections/joint/rate/?year=2026")
    expect(page.locator("#region-rate")).to_contain_text("100.0%")

    public = page.context.browser.new_page()  # type: ignore[union-attr]
    public.goto(f"{live_server.url}/public/inspections/plans/?year=2026")
    row = public.locator("#public-plans tbody tr").filter(has_text=plan.title)
    expect(row).to_contain_text("按期公布")
    public.close()
