"""The three procedures in a real headless Chromium (Debian's), against the live test server,
each from its start to 归档 through the pages: a penalty case (普通程序), an inspection and a
seizure. The documents are generated in the workspace, downloaded through the browser and read
back with pypdf. The officer (张执法) and the head (钱局长) work side by side in two browser
contexts of one browser. Run only these with ``pytest -m browser``."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.models import Case, CaseDocument
from zhifa.core.testing import PASSWORD, desktop_page, server_frozen_at
from zhifa.record.models import Entry, EvidenceFile

from .conftest import COMPANY, INSPECTION_CODE, PENALTY_CODE, PERSON, SEIZURE_CODE, World

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/zhifa-case-workspace.png"  # noqa: S108 - a file for a human to look at
NOW = datetime(2026, 3, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Tuesday morning


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


def log_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/workbench/")


# -- working in the workspace -----------------------------------------------------------------


def step_form(page: Page, service: str) -> Locator:
    """The form of one next step, unfolded."""
    section = page.locator(f"#action-{service}")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    return section


def field(section: Locator, service: str, name: str) -> Locator:
    return section.locator(f'[name="{service}-{name}"]')


def act(
    page: Page,
    service: str,
    label: str,
    *,
    fill: dict[str, str] | None = None,
    select: dict[str, str] | None = None,
    check: tuple[str, ...] = (),
    done: bool = True,
) -> Locator:
    """Fill one step's form (``check``: "name" or "name=value") and submit it; by default
    expect the success message."""
    section = step_form(page, service)
    for name, value in (select or {}).items():
        field(section, service, name).select_option(value)
    for name, value in (fill or {}).items():
        field(section, service, name).fill(value)
    for name in check:
        key, _, value = name.partition("=")
        box = field(section, service, key)
        (box.and_(section.locator(f'[value="{value}"]')) if value else box).check()
    section.get_by_role("button", name=label, exact=True).click()
    if done:
        expect(page.get_by_role("status")).to_contain_text(f"已完成：{label}")
    return section


def expect_state(page: Page, label: str) -> None:
    expect(page.locator("h1 .badge")).to_have_text(label)


def generate(page: Page, title: str) -> Locator:
    """Generate ``title`` in the documents panel; its row in the list."""
    panel = page.locator("#documents")
    panel.get_by_label("生成文书").select_option(label=title)
    panel.get_by_role("button", name="生成").click()
    expect(page.get_by_role("status")).to_contain_text(f"已生成{title}")
    row = page.locator("#documents tbody tr").filter(has_text=title).last
    expect(row).to_be_visible()
    return row


def downloaded_pdf(page: Page, row: Locator) -> str:
    """Download the row's PDF through the browser; its text without whitespace."""
    with page.expect_download() as info:
        row.get_by_role("link", name="PDF").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def open_case(page: Page, live_server: LiveServer, kind: str, code: str, title: str) -> None:
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_label("案件类别").select_option(kind)
    page.get_by_label("权责清单事项").select_option(code)
    page.get_by_label("案由").fill(title)


def company_party(page: Page) -> None:
    page.locator('[name="party-0-party_kind"]').select_option(COMPANY.kind)
    page.locator('[name="party-0-name"]').fill(COMPANY.name)
    page.locator('[name="party-0-credit_code"]').fill(COMPANY.credit_code)
    page.locator('[name="party-0-legal_representative"]').fill(COMPANY.legal_representative)


def register(page: Page, title: str) -> Case:
    page.get_by_role("checkbox", name="李执法").check()
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    return Case.objects.get(title=title)


# -- the three procedures -----------------------------------------------------------------------


def test_penalty_case_runs_from_clue_to_archive_with_notice_and_decision_read_back(
    officer: Page,
    head: Page,
    live_server: LiveServer,
    transactional_db: None,
    world: World,
    frozen: None,
) -> None:
    log_in(officer, live_server, "p1")
    log_in(head, live_server, "p5")
    officer.get_by_role("navigation", name="主导航").get_by_role("link", name="案件").click()
    officer.get_by_role("link", name="登记新案件").click()
    officer.get_by_label("案件类别").select_option("penalty_general")
    officer.get_by_label("权责清单事项").select_option(PENALTY_CODE)
    officer.get_by_label("案由").fill("销售超过保质期的牛奶")
    officer.get_by_label("违法行为发生（终了）日期").fill("2026-03-01")
    officer.locator('[name="party-0-name"]').fill(PERSON.name)
    officer.locator('[name="party-0-id_number"]').fill(PERSON.id_number)
    officer.locator('[name="party-0-phone"]').fill(PERSON.phone)
    case = register(officer, "销售超过保质期的牛奶")
    expect(officer.locator("#timeline")).to_contain_text("登记")
    url = f"{live_server.url}/cases/{case.pk}/"

    # The head finds the clue in the approval queue and approves 立案.
    head.get_by_role("navigation", name="主导航").get_by_role("link", name="待审批").click()
    queue = head.locator("#approval-table")
    expect(queue).to_contain_text("立案审批")
    queue.get_by_role("link", name="销售超过保质期的牛奶").click()
    act(head, "case_register", "立案审批", fill={"opinion": "同意立案"})
    expect_state(head, "立案")

    # Two officers record an interview, then the investigation goes to review.
    officer.goto(url)
    section = step_form(officer, "case_investigate")
    field(section, "case_investigate", "kind").select_option(label="询问笔录")
    expect(section.get_by_role("checkbox", name="张执法")).to_be_checked()
    expect(section.get_by_role("checkbox", name="李执法")).to_be_checked()
    act(
        officer,
        "case_investigate",
        "调查取证",
        fill={"summary": "询问当事人刘某某，承认销售过期牛奶12盒"},
    )
    last = officer.locator("#timeline .timeline-entry").last
    expect(last).to_contain_text("询问笔录")
    expect(last).to_contain_text("张执法、李执法")
    expect(officer.locator("#deadlines")).to_contain_text("作出处罚决定 还剩")
    act(officer, "case_submit_review", "提交案件审核", fill={"report": "事实清楚，证据确凿"})
    act(
        officer,
        "case_notify",
        "事先告知",
        fill={
            "facts": "2026年3月1日销售超过保质期的牛奶12盒",
            "reasons": "违反《食品安全法》第三十四条第（十）项",
            "basis": "《食品安全法》第一百二十四条第一款第（五）项",
            "fine": "20000",
        },
        check=("penalty_kinds=warning", "penalty_kinds=fine"),
    )
    expect_state(officer, "事先告知")
    notice = generate(officer, "行政处罚事先告知书")
    notice_text = downloaded_pdf(officer, notice)
    case.refresh_from_db()
    assert case.notice_number and case.notice_number in notice_text
    assert PERSON.name in notice_text and "贰万元整" in notice_text
    act(
        officer,
        "case_statement_record",
        "记录陈述申辩",
        fill={"content": "当事人称系店员疏忽", "adoption_reasons": "店员的行为由当事人承担责任"},
        select={"adoption": "rejected"},
    )

    # The head decides; the officer generates the decision, serves it, records the payment.
    head.goto(url)
    act(
        head,
        "case_decide",
        "作出处罚决定",
        fill={"fine": "20000", "opinion": "同意"},
        check=("penalty_kinds=warning", "penalty_kinds=fine"),
    )
    expect_state(head, "决定")
    officer.goto(url)
    decision = generate(officer, "行政处罚决定书")
    number = decision.locator("td").nth(1).inner_text()
    decision_text = downloaded_pdf(officer, decision)
    case.refresh_from_db()
    assert number == case.decision_number and number.startswith("示范市监罚〔2026〕")
    for text in (PERSON.name, number, "警告、罚款", "贰万元整", "20000.00元"):
        assert text in decision_text, text
    officer.locator("#documents").scroll_into_view_if_needed()
    officer.screenshot(path=SCREENSHOT, full_page=True)
    act(
        officer,
        "case_serve",
        "送达",
        select={"method": "direct"},
        fill={"recipient": PERSON.name},
    )
    act(officer, "case_payment_record", "登记缴款", fill={"amount": "20000", "receipt": "PJ-001"})
    expect_state(officer, "执行")

    head.goto(url)
    act(head, "case_close", "结案", fill={"opinion": "执行完毕，同意结案"})
    act(head, "case_archive", "归档")
    expect_state(head, "归档")
    expect(head.locator("#next-actions")).to_contain_text("案件已归档，只能查看")
    expect(head.locator("#documents tbody tr")).to_have_count(2)  # still listed, read-only
    expect(head.locator("#documents form")).to_have_count(0)
    actions = list(Entry.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert actions[-2:] == ["case.close", "case.archive"]
    assert actions.count("document.generate") == 2


def test_inspection_runs_from_plan_to_archive_with_the_inspection_record_read_back(
    officer: Page,
    head: Page,
    live_server: LiveServer,
    transactional_db: None,
    world: World,
    frozen: None,
) -> None:
    log_in(officer, live_server, "p1")
    log_in(head, live_server, "p5")
    open_case(officer, live_server, "inspection", INSPECTION_CODE, "食品经营日常监督检查")
    company_party(officer)
    case = register(officer, "食品经营日常监督检查")
    expect_state(officer, "检查计划")
    act(
        officer,
        "case_inspect",
        "现场检查",
        fill={"summary": "检查冷藏柜温度及进货查验记录，未见过期食品"},
    )
    act(
        officer,
        "case_findings_record",
        "作出检查结论",
        select={"outcome": "no_problem"},
        fill={"findings": "未发现违法行为"},
    )
    expect_state(officer, "检查结论")
    record = generate(officer, "现场检查笔录")
    record_text = downloaded_pdf(officer, record)
    for text in (COMPANY.name, "检查冷藏柜温度及进货查验记录", "张执法", "李执法"):
        assert text in record_text, text

    head.goto(f"{live_server.url}/cases/{case.pk}/")
    act(head, "case_close", "结案", fill={"opinion": "检查完毕"})
    act(head, "case_archive", "归档")
    expect_state(head, "归档")
    assert CaseDocument.objects.filter(case=case).count() == 1
    # The archived case is read-only, and its documents can still be downloaded.
    assert downloaded_pdf(head, head.locator("#documents tbody tr").first) == record_text


def test_seizure_needs_its_video_then_runs_to_archive_with_the_decision_read_back(
    officer: Page,
    head: Page,
    live_server: LiveServer,
    transactional_db: None,
    world: World,
    frozen: None,
) -> None:
    log_in(officer, live_server, "p1")
    log_in(head, live_server, "p5")
    open_case(officer, live_server, "seizure", SEIZURE_CODE, "扣押过期牛奶")
    company_party(officer)
    case = register(officer, "扣押过期牛奶")
    url = f"{live_server.url}/cases/{case.pk}/"

    head.goto(url)
    act(
        head,
        "case_seizure_approve",
        "批准查封扣押",
        fill={"at": "2026-03-10T08:30", "opinion": "同意扣押"},
    )
    expect_state(head, "批准实施")

    # Executing without the audio/video record is refused, naming 国办发〔2018〕118号.
    officer.goto(url)
    service = "case_seizure_execute"
    section = act(
        officer,
        service,
        "实施查封扣押",
        select={"measure": "seize"},
        fill={
            "at": "2026-03-10T08:40",
            "items": "过期牛奶｜12盒｜保质期至2026-02-28\n进货单据｜3张",
            "record": "当场清点，当事人签名确认",
        },
        check=("party_signed",),
        done=False,
    )
    refusal = section.get_by_role("alert")
    expect(refusal).to_contain_text("查封、扣押须全程音像记录")
    expect(refusal).to_contain_text("国办发〔2018〕118号")
    expect_state(officer, "批准实施")
    expect(field(section, service, "items")).to_have_value(
        "过期牛奶｜12盒｜保质期至2026-02-28\n进货单据｜3张"
    )

    # With the video of the scene (执法记录仪) it goes through.
    video = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8
    field(section, service, "files").set_input_files(
        {"name": "扣押现场.mp4", "mimeType": "video/mp4", "buffer": video}
    )
    expect(section.locator(f"#rec-{service}")).to_be_visible()
    act(
        officer,
        service,
        "实施查封扣押",
        fill={
            "rec_device": "DSJ-07",
            "rec_started_at": "2026-03-10T08:38",
            "rec_ended_at": "2026-03-10T08:55",
            "rec_place": "示范市甲区工业路8号仓库",
        },
        check=("party_signed",),
    )
    expect_state(officer, "实施")
    expect(officer.get_by_role("status")).to_contain_text("已保存证据“扣押现场.mp4”")
    stored = EvidenceFile.objects.get(original_name="扣押现场.mp4")
    assert stored.media_type == "video/mp4" and not stored.late_upload
    assert stored.recording_device == "DSJ-07"

    decision = generate(officer, "查封（扣押）决定书")
    decision_text = downloaded_pdf(officer, decision)
    case.refresh_from_db()
    for text in (COMPANY.name, case.decision_number, "过期牛奶", "12盒", "进货单据", "扣押"):
        assert text in decision_text, text

    # Opening the video (调阅) is itself recorded.
    with officer.expect_download() as info:
        officer.locator("#timeline").get_by_role("link", name="扣押现场.mp4").first.click()
    assert Path(info.value.path()).read_bytes() == video
    officer.goto(url)
    expect(officer.locator("#timeline .timeline-entry").last).to_contain_text("调阅证据文件")
    executed = officer.locator("#timeline .timeline-entry").filter(has_text="实施查封扣押")
    expect(executed).to_contain_text("实施时间2026-03-10 08:40")  # Beijing time, not UTC
    expect(executed).not_to_contain_text("T00:40")
    expect(executed.locator(".files")).to_contain_text("音视频")

    act(officer, "case_seizure_release", "解除查封扣押", fill={"reason": "经检验，物品合格"})
    head.goto(url)
    act(head, "case_close", "结案", fill={"opinion": "已解除"})
    act(head, "case_archive", "归档")
    expect_state(head, "归档")
    actions = list(Entry.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert actions == [
        "case.open",
        "case.seizure_approve",
        "evidence.upload",  # the video, stored and bound to the case before the step
        "case.seizure_execute",
        "document.generate",
        "evidence.view",
        "case.seizure_release",
        "case.close",
        "case.archive",
    ]
