"""The core of 涉企行政检查 in a real headless Chromium (Debian's): an officer's request for an
inspection on a quiet day is refused until an exception ground is given; a drawn (双随机)
inspection is approved by the head on its page, its code opened on a phone shows the officers'
certificates checked live, and its result, once recorded, is published on the portal. Run only
these with ``pytest -m browser``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.cases import services as cs
from zhifa.cases.models import Case, CaseOfficer
from zhifa.cases.tests.test_browser import log_in
from zhifa.core.testing import Personas, desktop_page, server_frozen_at
from zhifa.inspections import services_draws, services_rules
from zhifa.inspections.models import Entity, Inspection, ScaleCategory
from zhifa.publicity import services as publicity
from zhifa.publicity.models import Publication
from zhifa.record.selectors import log_size
from zhifa.record.services import head_sign
from zhifa.registry.models import PowerItem

from .conftest import make_entity
from .draws_fixtures import TODAY, grow_log, joint

pytestmark = pytest.mark.browser
SH = ZoneInfo("Asia/Shanghai")
PHONE = {"width": 375, "height": 740}
QUIET_SOURCE = "交口县双池镇《“企业安静期”制度（试行）》第三条"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _request_form(
    page: Page, live_server: LiveServer, p: Personas, entity: Entity, item: PowerItem
) -> None:
    assert p.officer.officer is not None and p.officer2.officer is not None
    page.goto(f"{live_server.url}/inspections/new/")
    page.wait_for_load_state("load")
    form = page.get_by_test_id("inspection-request")
    form.get_by_label("检查对象统一社会信用代码").fill(entity.credit_code)
    form.get_by_label("检查事项（本机关公布的行政检查事项）").select_option(str(item.pk))
    form.get_by_label("检查类型").select_option("routine")
    form.get_by_label("计划检查日期").fill("2026-06-10")
    form.get_by_label("提请日期").fill("2026-06-08")
    form.get_by_label("主办执法人员").select_option(str(p.officer.officer.pk))
    form.get_by_role("checkbox", name=p.officer2.officer.name).check()


def test_a_request_on_a_quiet_day_is_refused_without_an_exception_ground_and_allowed_with_one(
    page: Page,
    live_server: LiveServer,
    transactional_db: None,
    personas: Personas,
    inspection_item: PowerItem,
    settings: Any,
    tmp_path: Path,
) -> None:
    p = personas
    with server_frozen_at(settings, tmp_path, datetime(2026, 6, 8, 9, tzinfo=SH)):
        entity = make_entity(811, scale_category=ScaleCategory.INDUSTRY)
        services_rules.quiet_period_create(
            actor=p.admin,
            name="示范市企业安静期",
            region_code="130300",
            days=[[1, 20]],
            source=QUIET_SOURCE,
            valid_from=date(2026, 1, 1),
            exception_grounds=[c for c, _ in Inspection.QuietException.choices],
            categories=[ScaleCategory.INDUSTRY],
        )
        log_in(page, live_server, p.officer.username)
        _request_form(page, live_server, p, entity, inspection_item)
        page.get_by_role("button", name="提请审批").click()
        refusal = page.get_by_test_id("refusal")
        expect(refusal).to_contain_text("安静期")
        expect(refusal).to_contain_text(QUIET_SOURCE)
        assert not Inspection.objects.exists()
        # What was typed is kept: the officer adds the exception ground and its reason.
        form = page.get_by_test_id("inspection-request")
        expect(form.get_by_label("检查对象统一社会信用代码")).to_have_value(entity.credit_code)
        form.get_by_label("企业安静期例外情形（在安静期内检查的）").select_option("hazard")
        form.get_by_label("例外情形说明").fill("企业报告特种设备隐患，需现场核查整改")
        page.get_by_role("button", name="提请审批").click()
        expect(page.get_by_test_id("inspection-state")).to_have_text("待审批")
        row = Inspection.objects.get()
        assert row.quiet_exception == "hazard" and row.planned_on == date(2026, 6, 10)


def test_a_drawn_inspection_is_approved_scanned_on_a_phone_and_its_result_published(
    page: Page,
    phone: Page,
    live_server: LiveServer,
    transactional_db: None,
    personas: Personas,
    settings: Any,
    tmp_path: Path,
) -> None:
    p = personas
    with server_frozen_at(settings, tmp_path, datetime(2026, 9, 1, 10, tzinfo=SH)):
        settings.ZHIFA_SITE_URL = live_server.url
        world = joint(p, entities=12)
        task = services_draws.random_task_create(
            actor=p.officer,
            title="2026年度食品经营双随机抽查",
            items=world.items[:1],
            participants=[],
            today=TODAY,
            planned_on=date(2026, 9, 1),
        )
        task = services_draws.random_task_freeze(actor=p.officer, task=task, today=TODAY)
        assert task.seed_size is not None
        grow_log(task.seed_size - log_size())
        head_sign()
        task = services_draws.random_task_draw(actor=p.officer, task=task, today=TODAY)
        requested, refused = services_draws.random_task_inspections_request(
            actor=p.officer, task=task, on=TODAY
        )
        assert requested >= 1 and not refused
        row = Inspection.objects.filter(task=task).order_by("pk").first()
        assert row is not None and row.ground == "random"

        # The head approves it on its page.
        log_in(page, live_server, p.head.username)
        page.goto(f"{live_server.url}/inspections/{row.pk}/")
        page.wait_for_load_state("load")
        approve = page.get_by_test_id("inspection-approve")
        approve.get_by_role("button", name="批准", exact=True).click()
        expect(page.get_by_test_id("inspection-state")).to_have_text("已批准")
        row.refresh_from_db()
        assert row.state == Inspection.State.APPROVED and row.coded

        # The enterprise scans the code on a phone: the officers' certificates, checked live.
        phone.goto(f"{live_server.url}/public/inspections/code/{row.code}/")
        expect(phone.get_by_test_id("code-status")).to_contain_text("本次检查已经批准并赋码")
        names = [a.officer.name for a in CaseOfficer.objects.filter(case_id=row.case_id)]
        rows = phone.get_by_test_id("code-officer")
        expect(rows).to_have_count(len(names))
        for name in names:
            expect(rows.filter(has_text=name).locator("td").nth(1)).to_have_text(
                re.compile(r"^有效")
            )
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        # The officers inspect and record the result; the publisher publishes it.
        officers = [a.officer for a in CaseOfficer.objects.filter(case_id=row.case_id)]
        case = cs.case_inspect(
            actor=p.officer, case=row.case, on=TODAY, officers=officers, summary="现场检查"
        ).case
        cs.case_findings_record(
            actor=p.officer,
            case=case,
            on=TODAY,
            outcome=Case.InspectionOutcome.NO_PROBLEM,
            findings="抽查未发现问题",
        )
        publication = Publication.objects.get(case_id=row.case_id)
        publicity.publication_publish(actor=p.publisher, publication=publication, on=TODAY)

        phone.goto(f"{live_server.url}/public/decisions/{publication.pk}/")
        expect(phone.locator("main")).to_contain_text(row.entity.name)
        expect(phone.locator("main")).to_contain_text("抽查未发现问题")
