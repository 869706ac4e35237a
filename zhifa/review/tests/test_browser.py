"""A major case through legal review in a real headless Chromium (Debian's), against the live
test server: 送审, the reviewer's queue, the checklist, an opinion asking for supplementary
investigation (market regulation's vocabulary), the supplementary investigation, a second
round that agrees, and the decision — which the case page refused, naming 第五十八条, while no
review had agreed. The officer (张执法), the reviewer (赵审核) and the head (钱局长) work side
by side in three browser contexts of one browser. Run only these with ``pytest -m browser``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import World
from zhifa.cases.tests.test_browser import (
    act,
    expect_state,
    field,
    log_in,
    step_form,
)
from zhifa.core.testing import desktop_page
from zhifa.record.models import Entry
from zhifa.review.checklist import POINTS
from zhifa.review.models import Submission

from .conftest import rule

pytestmark = pytest.mark.browser

NOW = datetime(2026, 4, 7, 9, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Tuesday after 清明
SCREENSHOT = "/tmp/zhifa-review-workspace.png"  # noqa: S108 - a file for a human to look at


@pytest.fixture
def frozen(settings: Any, tmp_path: Path) -> Iterator[None]:
    # The server's clock is frozen, the browser's is not: no cookie may carry an expiry date.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def officer(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


@pytest.fixture
def reviewer(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


@pytest.fixture
def head(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


def submit_for_review(page: Page, live_server: LiveServer, case: Case, *, proposal: bool) -> None:
    """送审 from the case page; ``proposal``: state the proposed penalty (before 事先告知)."""
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator("#review-submit-link").click()
    if proposal:
        page.get_by_role("checkbox", name="警告").check()
        page.get_by_role("checkbox", name="罚款").check()
        page.get_by_label("拟罚款（元）").fill("20000")
    page.get_by_label("认定的事实").fill("当事人于2026年3月1日销售超过保质期的牛奶12盒")
    page.get_by_label("法律依据").fill("《中华人民共和国食品安全法》第一百二十四条第一款第（五）项")
    page.get_by_label("裁量基准适用说明").fill("适用本局裁量基准第3档，在幅度中间偏下处罚")
    page.get_by_role("button", name="送审", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已送审")


def review_step(page: Page, name: str, label: str, **fill: str) -> None:
    section = page.locator(f"#step-{name}")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    for key, value in fill.items():
        target = section.locator(f'[name="{name}-{key}"]')
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(label=value)
        else:
            target.fill(value)
    section.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"已完成：{label}")


def take_and_review(
    page: Page, live_server: LiveServer, title: str, outcome: str, problems: dict[str, str]
) -> None:
    """The reviewer finds the round in the queue, takes it, answers all ten points (a problem
    where ``problems`` says, with its comment) and gives ``outcome``."""
    page.goto(f"{live_server.url}/workbench/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="法制审核").click()
    queue = page.locator("#review-queue")
    expect(queue).to_contain_text("达到10,000.00元的审核标准")
    expect(queue).to_contain_text("工作日")
    queue.get_by_role("link", name=title).first.click()
    review_step(page, "assign", "分配审核人员", reviewer="赵审核")
    expect(page.locator("#review-state")).to_have_text("审核中")
    for point in POINTS:  # one form: every point chosen, then one submit
        item = page.locator(f"#point-{point.value}")
        verdict = "problem" if point.value in problems else "pass"
        item.locator(f'[name="point-{point.value}-verdict"]').select_option(verdict)
        if point.value in problems:
            item.locator(f'[name="point-{point.value}-comment"]').fill(problems[point.value])
    page.get_by_role("button", name="保存审核要点").click()
    expect(page.get_by_role("status")).to_contain_text("已完成")
    for point in POINTS:
        expect(page.locator(f"#point-{point.value} h3 .badge")).to_be_visible()


def test_a_major_case_comes_back_for_supplementary_investigation_passes_and_is_decided(
    officer: Page,
    reviewer: Page,
    head: Page,
    live_server: LiveServer,
    transactional_db: None,
    world: World,
    frozen: None,
) -> None:
    rule(world, "fine_person", amount=Decimal(10000))  # fines of 10,000 元 on a person
    case = world.in_review(date(2026, 3, 4), date(2026, 4, 1))
    title = case.title
    url = f"{live_server.url}/cases/{case.pk}/"
    log_in(officer, live_server, "p1")
    log_in(reviewer, live_server, "p4")
    log_in(head, live_server, "p5")

    # Round 1: sent before 事先告知, with the proposed penalty.
    submit_for_review(officer, live_server, case, proposal=True)
    expect(officer.locator("h1")).to_contain_text("第1轮法制审核")
    expect(officer.locator("#submission")).to_contain_text("罚款、警告；罚款 20000.00 元")

    take_and_review(
        reviewer, live_server, title, "建议补充调查", {"facts": "货值未经鉴定，进货来源不明"}
    )
    reviewer.screenshot(path=SCREENSHOT, full_page=True)
    review_step(
        reviewer,
        "conclude",
        "出具审核意见",
        outcome="建议补充调查",
        opinion="经审核，违法事实基本清楚，但货值和进货来源证据不足",
        required_changes="补充货值鉴定意见\n调取进货凭证",
    )
    expect(reviewer.locator("#opinion")).to_contain_text("建议补充调查")
    expect(reviewer.locator("#opinion")).to_contain_text("补充货值鉴定意见")

    # The handling unit investigates again, goes back to 案件审核, notifies, hears the party.
    officer.goto(url)
    expect(officer.locator("#legal-review")).to_contain_text("建议补充调查")
    section = step_form(officer, "case_investigate")
    field(section, "case_investigate", "kind").select_option(label="证据材料")
    act(officer, "case_investigate", "调查取证", fill={"summary": "补充货值鉴定意见及进货凭证"})
    act(officer, "case_submit_review", "提交案件审核", fill={"report": "已按审核意见补充调查"})
    act(
        officer,
        "case_notify",
        "事先告知",
        fill={
            "facts": "2026年3月1日销售超过保质期的牛奶12盒，货值经鉴定为360元",
            "reasons": "违反《食品安全法》第三十四条第（十）项",
            "basis": "《食品安全法》第一百二十四条第一款第（五）项",
            "fine": "20000",
        },
        check=("penalty_kinds=warning", "penalty_kinds=fine"),
    )
    act(
        officer,
        "case_statement_record",
        "记录陈述申辩",
        fill={"content": "当事人称系店员疏忽", "adoption_reasons": "店员的行为由当事人承担责任"},
        select={"adoption": "rejected"},
    )
    expect_state(officer, "陈述申辩")

    # The head cannot decide: the only review asked for changes, the page says so.
    head.goto(url)
    decide = head.locator("#action-case_decide")
    expect(decide).to_contain_text("暂不能办理")
    expect(decide).to_contain_text("第1轮法制审核意见为“建议补充调查”")
    expect(decide).to_contain_text("《行政处罚法》第五十八条")
    expect(decide.get_by_role("button", name="作出处罚决定")).to_be_disabled()

    # Round 2: the proposal is the notified one; the reviewer agrees.
    submit_for_review(officer, live_server, case, proposal=False)
    expect(officer.locator("h1")).to_contain_text("第2轮法制审核")
    take_and_review(reviewer, live_server, title, "同意", {})
    review_step(
        reviewer,
        "conclude",
        "出具审核意见",
        outcome="同意",
        opinion="经审核，事实清楚，证据确凿，适用依据正确，同意承办机构的处理意见",
    )
    expect(reviewer.locator("#opinion")).to_contain_text("同意")
    # Round 1 still shows what changed after it was submitted.
    reviewer.locator("#rounds").get_by_role("link", name="第1轮").click()
    expect(reviewer.locator("#changes")).to_contain_text("调查取证")

    head.goto(url)
    expect(head.locator("#action-case_decide")).not_to_contain_text("暂不能办理")
    act(
        head,
        "case_decide",
        "作出处罚决定",
        fill={"fine": "20000", "opinion": "同意"},
        check=("penalty_kinds=warning", "penalty_kinds=fine"),
    )
    expect_state(head, "决定")

    rounds = list(Submission.objects.filter(case=case).order_by("round"))
    assert [(r.round, r.outcome_label) for r in rounds] == [(1, "建议补充调查"), (2, "同意")]
    actions = list(Entry.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert actions.count("review.submit") == 2 and actions.count("review.conclude") == 2
    assert actions[-1] == "case.decide"
