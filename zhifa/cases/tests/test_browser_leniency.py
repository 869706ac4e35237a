"""A 首违不罚 case in a real headless Chromium: the party's history shown beside the form, the
国家企业信用信息公示系统 confirmation, the list entry with its conditions ticked, the education,
the case closed and its 不予行政处罚决定书 read back. Run with ``pytest -m browser``."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.models import Case
from zhifa.registry import services as registry
from zhifa.registry.models import LenientListItem

from .conftest import PENALTY_CODE, World
from .test_browser import (  # noqa: F401  (fixtures)
    act,
    company_party,
    downloaded_pdf,
    expect_state,
    field,
    frozen,
    generate,
    head,
    log_in,
    officer,
    open_case,
    register,
    step_form,
)

pytestmark = pytest.mark.browser


def _list_item(world: World) -> LenientListItem:
    item = registry.lenient_item_create(
        actor=world.p.admin,
        kind=LenientListItem.Kind.FIRST_VIOLATION,
        agency=world.p.agency_a,
        issuer="国家市场监督管理总局",
        domain=world.p.domain,
        violation="经营超过保质期的食品（首违）",
        violated_provision="《中华人民共和国食品安全法》第三十四条第十项",
        basis="《中华人民共和国食品安全法》第一百二十四条第一款第五项",
        conditions=["初次违法（两年内无同类违法记录）", "危害后果轻微", "及时改正"],
        standard="不予行政处罚",
        measures=["stop", "recall"],
        source="国市监法〔2025〕10号",
        power_items=[world.penalty_item],
    )
    return registry.lenient_item_publish(actor=world.p.admin, item=item, on=date(2026, 1, 5))


def test_a_first_violation_is_closed_with_a_no_penalty_decision_after_the_history_check(
    officer: Page,  # noqa: F811
    head: Page,  # noqa: F811
    live_server: LiveServer,
    transactional_db: None,
    world: World,
    frozen: None,  # noqa: F811
) -> None:
    item = _list_item(world)
    log_in(officer, live_server, "p1")
    log_in(head, live_server, "p5")
    open_case(officer, live_server, "penalty_general", PENALTY_CODE, "销售超过保质期的牛奶（首违）")
    officer.get_by_label("违法行为发生（终了）日期").fill("2026-03-01")
    company_party(officer)
    case = register(officer, "销售超过保质期的牛奶（首违）")
    url = f"{live_server.url}/cases/{case.pk}/"
    head.goto(url)
    act(head, "case_register", "立案审批", fill={"opinion": "同意立案"})
    officer.goto(url)
    field(step_form(officer, "case_investigate"), "case_investigate", "kind").select_option(
        label="询问笔录"
    )
    act(officer, "case_investigate", "调查取证", fill={"summary": "当事人承认销售过期牛奶2盒"})

    # Beside the 不予处罚 form: the party's history on this deployment, and the list entry.
    panel = officer.locator("#leniency-panel")
    expect(panel).to_contain_text("2年内无同类违法记录（本平台范围内）")
    expect(panel).to_contain_text("尚未登记国家企业信用信息公示系统的查询结果")
    expect(panel).to_contain_text("经营超过保质期的食品（首违）")
    act(
        officer,
        "case_credit_check_record",
        "登记信用信息公示系统查询",
        fill={"checked_by": "张执法", "seen": "行政处罚信息栏为空"},
        check=("none_found",),
    )
    expect(officer.locator("#leniency-panel")).to_contain_text("确认无同类违法记录")

    head.goto(url)
    act(
        head,
        "case_not_penalise",
        "不予处罚",
        select={"ground": "first_violation", "list_item": str(item.pk)},
        check=tuple(f"conditions={item.pk}:{n}" for n in range(3)),
    )
    expect_state(head, "不予处罚")
    # Closing waits for the education (第三十三条第三款).
    act(head, "case_close", "结案", done=False)
    expect(head.get_by_role("alert")).to_contain_text("第三十三条第三款")

    officer.goto(url)
    act(
        officer,
        "case_education_record",
        "登记对当事人的教育",
        select={"method": "当面批评教育"},
        fill={"content": "告知当事人不得经营超过保质期的食品"},
    )
    head.goto(url)
    act(head, "case_close", "结案")
    expect_state(head, "结案")

    officer.goto(url)
    decision = generate(officer, "不予行政处罚决定书")
    text = downloaded_pdf(officer, decision)
    case = Case.objects.get(pk=case.pk)
    assert case.decision_number.startswith("示范市监不罚〔2026〕")
    for part in (
        case.decision_number,
        "第三十三条第一款",
        "经营超过保质期的食品（首违）",
        "国市监法〔2025〕10号",
        "第三十三条第三款",
    ):
        assert part in text, part
