"""In a real headless Chromium (Debian's), the whole workflow of 《广东省行政执法案卷评查办法》
第十二条:
the 示范市司法局's supervisor plans a campaign, forms the team and draws a file at random; two
reviewers score it independently with the record's proposal in view (neither sees the other's
before both signed), their totals differ beyond the threshold, and the leader reconciles them;
the team report is made and the results fed back; the agency's head objects within the window,
the re-check answers, and the overall report and 通报 are made — every document downloaded and
read back. Run only these with ``pytest -m browser``."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Locator, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.tests.conftest import World
from zhifa.cases.tests.test_browser import log_in
from zhifa.core.testing import desktop_page
from zhifa.evaluation.models import Campaign, File, Template
from zhifa.evaluation.tests.campaigns_support import decided_cases
from zhifa.record.models import Entry
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.browser

NOW = datetime(2026, 5, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def at_scoring_time(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def leader(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


@pytest.fixture
def first(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


@pytest.fixture
def second(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


@pytest.fixture
def agency_head(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


def downloaded_pdf(page: Page, row: Locator) -> str:
    """The row's PDF downloaded through the browser, its text without whitespace."""
    with page.expect_download() as info:
        row.get_by_role("link", name="PDF").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_a_campaign_from_plan_and_draw_to_objection_re_check_and_reports(
    leader: Page,
    first: Page,
    second: Page,
    agency_head: Page,
    live_server: LiveServer,
    transactional_db: None,
    world: World,
    bureau: Bureau,
    template: Template,
    at_scoring_time: None,
) -> None:
    decided_cases(world, 2)
    url = live_server.url

    # -- the plan
    log_in(leader, live_server, "s901")
    leader.goto(f"{url}/evaluation/campaigns/")
    leader.get_by_role("link", name="制定评查工作方案").click()
    expect(leader.get_by_test_id("per-file-source")).to_contain_text("第十条")
    leader.get_by_label("评查活动名称").fill("2026年度处罚案卷评查")
    leader.get_by_label("示范市甲区市场监督管理局").check()
    leader.get_by_label("行政处罚（普通程序）").check()
    leader.get_by_label("案卷决定日期自").fill("2026-01-01")
    leader.get_by_label("案卷决定日期至").fill("2026-04-30")
    leader.get_by_label("评查开始日期").fill("2026-05-18")
    leader.get_by_label("评查结束日期").fill("2026-06-30")
    leader.get_by_label("抽取方式").select_option("random")
    leader.get_by_label("每个机关抽取件数（随机抽查）").fill("1")
    leader.get_by_role("button", name="保存工作方案").click()
    expect(leader.get_by_test_id("number")).to_have_text("示范市司法局〔2026〕评查1号")
    campaign = Campaign.objects.get()

    # -- the team, then the draw
    for account, is_leader in ((bureau.sup1, True), (bureau.sup2, False), (bureau.sup3, False)):
        leader.locator("details.action summary").click()
        leader.get_by_label("身份").select_option("supervisor")
        leader.get_by_label("平台账号（评分须有账号）").select_option(str(account.pk))
        if is_leader:
            leader.get_by_label("评查组长").check()
        leader.get_by_role("button", name="加入", exact=True).click()
        expect(leader.get_by_role("row", name=account.display_name)).to_be_visible()
    leader.get_by_role("button", name="随机抽取案卷").click()
    expect(leader.get_by_test_id("state")).to_have_text("评查打分")
    campaign.refresh_from_db()
    expect(leader.get_by_test_id("seed")).to_have_text(campaign.seed)
    expect(leader.get_by_test_id("population-sha")).to_have_text(campaign.population_sha256)
    entries = list(
        Entry.objects.filter(action__startswith="evaluation.campaign.").values_list(
            "action", flat=True
        )
    )
    assert entries.index("evaluation.campaign.population") < entries.index(
        "evaluation.campaign.draw"
    )
    file = File.objects.get(campaign=campaign)

    # -- the first reviewer: the proposal in view, a live total, signed with a reason
    log_in(first, live_server, "s902")
    first.goto(f"{url}/evaluation/my-files/")
    first.get_by_role("link", name=file.case.number).click()
    expect(first.get_by_test_id("proposal-V1")).to_contain_text(
        "均由两名以上持有效执法证的执法人员实施"
    )
    first.locator('input[name="occ-B1"]').fill("1")
    first.locator('input[name="ded-B1"]').fill("12")
    expect(first.get_by_test_id("live-total")).to_have_text("88.00")
    first.get_by_test_id("sign").click()
    expect(first.locator(".form-errors")).to_contain_text("未写明理由")
    expect(first.locator('input[name="ded-B1"]')).to_have_value("12")
    first.locator('input[name="reason-B1"]').fill("扣押财物未制作清单")
    first.locator('input[name="reason-B1"]').press("Enter")  # Enter saves the draft
    expect(first.locator(".messages")).to_contain_text("评分已保存")
    first.get_by_test_id("sign").click()
    expect(first.locator(".messages")).to_contain_text("已签名")

    # -- the second reviewer sees nothing of the first's until signing
    log_in(second, live_server, "s903")
    second.goto(f"{url}/evaluation/files/{file.pk}/score/")
    expect(second.get_by_test_id("other-scoring")).to_have_count(0)
    expect(second.locator("body")).not_to_contain_text("88.00")
    second.get_by_test_id("case-link").click()
    expect(second.get_by_test_id("read-note")).to_contain_text("调阅")
    assert Entry.objects.filter(action="evaluation.file.read", case_id=file.case_id).count() == 1
    second.go_back()
    second.get_by_test_id("sign").click()
    expect(second.get_by_test_id("other-scoring")).to_have_count(1)
    expect(second.get_by_test_id("file-state")).to_have_text("待组长核定")

    # -- the leader reconciles, the differences highlighted
    leader.goto(f"{url}/evaluation/campaigns/{campaign.pk}/")
    leader.get_by_role("link", name="核定").click()
    expect(leader.get_by_test_id("differs")).to_have_count(1)
    leader.locator('input[name="occ-B1"]').fill("1")
    leader.locator('input[name="ded-B1"]').fill("6")
    leader.locator('input[name="reason-B1"]').fill("扣押清单缺失，情节较轻")
    leader.get_by_test_id("reason").fill("两名评查人员对B1认定不一，组长查阅案卷后核定扣6分")
    leader.get_by_role("button", name="核定").click()
    row = leader.get_by_test_id("file-row")
    expect(row).to_contain_text("已评定")
    expect(row).to_contain_text("94.00")
    expect(row).to_contain_text("优秀")
    file.refresh_from_db()
    assert file.result_basis == "组长核定" and file.result_by == bureau.sup1

    # -- the team report (第十二条（四）、第十三条), then the results fed back to the agency
    leader.get_by_test_id("outcomes-link").click()
    leader.wait_for_load_state("load")
    leader.get_by_label("整改建议（每行一条）").fill("规范扣押财物清单的制作")
    leader.get_by_role("button", name="制作评查小组报告").click()
    team = leader.locator("#reports tr", has_text="评查小组报告")
    expect(team).to_have_count(1)
    text = downloaded_pdf(leader, team)
    assert campaign.name in text and file.case.number in text and "优秀" in text
    assert "扣押清单缺失，情节较轻" in text  # the reconciled deduction's reason, not a draft
    leader.get_by_role("button", name="反馈评查结果").click()
    expect(leader.locator("#reports tr", has_text="评查结果反馈意见")).to_have_count(1)

    # -- the agency's head objects within 10 working days (第十二条（七）)
    log_in(agency_head, live_server, "p5")
    agency_head.goto(f"{url}/evaluation/agency/")
    agency_head.wait_for_load_state("load")
    expect(agency_head.locator("body")).to_contain_text("扣押清单缺失，情节较轻")  # the reason
    agency_head.locator("summary", has_text="提出异议").click()
    agency_head.get_by_label("异议理由").fill("扣押财物清单附于案卷第12页，评查时未查见")
    agency_head.get_by_role("button", name="提出异议").click()
    expect(agency_head.locator("body")).to_contain_text("扣押财物清单附于案卷第12页")

    # -- the re-check answers: rejected, with its letter
    leader.reload()
    objection = leader.locator("#objections tr", has_text="扣押财物清单附于案卷第12页")
    objection.get_by_label("异议不成立，维持原结果").check()
    objection.get_by_label("复核意见").fill("第12页为物品照片，不是清单，维持原评分")
    objection.get_by_role("button", name="答复").click()
    expect(leader.locator("#objections")).to_contain_text("不成立")
    answer = leader.locator("#reports tr", has_text="异议复核答复书")
    assert "维持原评分" in downloaded_pdf(leader, answer)

    # -- once the objection window has passed: the overall report and the 通报 (第十二条（八）)
    with time_machine.travel(datetime(2026, 6, 8, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        log_in(leader, live_server, "s901")  # the session of three weeks ago has expired
        leader.goto(f"{url}/evaluation/campaigns/{campaign.pk}/outcomes/")
        leader.wait_for_load_state("load")
        leader.get_by_label("下一步工作（每行一条）").fill("对不合格案卷较多的单位开展专项整改")
        leader.get_by_role("button", name="制作总体报告和通报").click()
        overall = leader.locator("#reports tr", has_text="评查总体报告")
        expect(overall).to_have_count(1)
        assert campaign.name in downloaded_pdf(leader, overall)
        notice = leader.locator("#reports tr", has_text="评查结果通报")
        assert re.search("示范市甲区市场监督管理局", downloaded_pdf(leader, notice))
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CLOSED
