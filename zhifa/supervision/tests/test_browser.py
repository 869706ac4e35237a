"""A supervision matter in a real headless Chromium (Debian's), against the live test server:
the supervisor opens a matter, accepts it, requests an explanation and issues an 意见书; the
agency's head answers and objects; the supervisor answers the objection; the head rectifies and
reports; the supervisor accepts and closes. The 意见书 is downloaded through the browser as PDF
and DOCX and read back. Run only these with ``pytest -m browser``."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from docx import Document as Docx
from playwright.sync_api import Browser, Locator, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from zhifa.cases.tests.test_browser import log_in
from zhifa.core.testing import desktop_page, server_frozen_at
from zhifa.supervision.models import Document, Matter

from .conftest import Bureau

pytestmark = pytest.mark.browser
NOW = datetime(2026, 3, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen(settings: Any, tmp_path: Path) -> Iterator[None]:
    with server_frozen_at(settings, tmp_path, NOW):
        yield


@pytest.fixture
def sup(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


@pytest.fixture
def head(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


def section(page: Page, slot: str) -> Locator:
    box = page.locator(f'[id="step-{slot}"]')
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    return box


def act(page: Page, slot: str, label: str, **fields: str) -> None:
    box = section(page, slot)
    for name, value in fields.items():
        control = box.locator(f'[name="{name}"]')
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    box.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"已完成：{label}")


def download(page: Page, row: Locator, name: str) -> bytes:
    with page.expect_download() as info:
        row.get_by_role("link", name=name, exact=True).click()
    return Path(info.value.path()).read_bytes()


def squash(text: str) -> str:
    return "".join(text.split())


def test_a_matter_from_opening_to_closing_on_both_sides(
    sup: Page,
    head: Page,
    live_server: LiveServer,
    transactional_db: None,
    bureau: Bureau,
    frozen: None,
) -> None:
    log_in(sup, live_server, "s901")
    log_in(head, live_server, "p5")

    # The supervisor registers the matter and accepts it.
    sup.get_by_role("navigation", name="主导航").get_by_role("link", name="监督事项").click()
    sup.get_by_role("link", name="登记监督事项").click()
    form = sup.locator("#matter-open")
    # The body is found by typing part of its name (the supervisor's own lookup).
    sup.wait_for_load_state("load")
    sup.get_by_label("查找被监督机关（输入名称中的字词）").fill("甲区市场")
    expect(form.locator(".agency-search-status")).to_contain_text("找到1个")
    expect(form.locator('select[name="agency"]')).to_have_value(str(bureau.p.agency_a.pk))
    form.locator('[name="origin"]').select_option("complaint")
    form.locator('[name="title"]').fill("同一事实两次罚款")
    form.locator('[name="summary"]').fill("企业投诉同一违法事实被罚款两次")
    sup.get_by_role("button", name="登记").click()
    expect(sup.locator("#matter-state")).to_have_text("登记")
    matter = Matter.objects.get()
    act(sup, "matter_accept", "受理")
    expect(sup.locator("#matter-state")).to_have_text("受理")
    act(sup, "matter_explanation_request", "要求自查、说明情况", text="请说明两次罚款的事实和依据")
    expect(sup.locator("#matter-state")).to_have_text("调查")
    expect(sup.locator("#deadlines")).to_contain_text("上海市行政执法监督办法")
    act(
        sup,
        "matter_document_issue",
        "制发监督文书",
        kind="opinion",
        findings="同一违法行为给予两次罚款",
        requirement="撤销第二次罚款决定并退还罚款",
    )
    expect(sup.locator("#matter-state")).to_have_text("整改跟踪")
    doc = Document.objects.get()
    row = sup.locator(f"#document-{doc.pk}")
    pdf = download(sup, row, "PDF")
    text = squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for expected in (
        doc.number,
        "行政执法监督意见书",
        "撤销第二次罚款决定并退还罚款",
        "2026年4月9日",
    ):
        assert squash(expected) in text
    docx = Docx(io.BytesIO(download(sup, row, "DOCX")))
    assert doc.number in "".join(p.text for p in docx.paragraphs)

    # The agency's head answers the request and objects to the opinion.
    head.get_by_role("navigation", name="主导航").get_by_role("link", name="监督事项").click()
    head.get_by_role("link", name=matter.number).click()
    request = matter.steps.get(kind="explanation_request")
    act(head, f"answer:{request.pk}", "书面说明", text="第二次罚款系系统重复录入")
    act(head, f"objection:{doc.pk}", "提出异议", reasons="两次罚款针对不同违法行为")
    expect(head.locator("#documents")).to_contain_text("待答复")

    # The supervisor dismisses the objection.
    sup.reload()
    objection = doc.objections.get()
    act(
        sup,
        f"objection_answer:{objection.pk}",
        "答复异议",
        upheld="0",
        answer="系同一行为，异议不成立",
    )

    # The head rectifies and reports; the supervisor accepts and closes the matter.
    head.reload()
    expect(head.locator("#documents")).to_contain_text("异议不成立")
    act(head, f"report:{doc.pk}", "报送整改情况", report="已撤销第二次罚款决定并退款")
    sup.reload()
    expect(sup.locator("#documents")).to_contain_text("已撤销第二次罚款决定并退款")
    act(sup, f"document_check:{doc.pk}", "验收整改", accepted="1", note="整改到位")
    act(sup, "matter_close", "办结", reason="整改到位，办结")
    expect(sup.locator("#matter-state")).to_have_text("办结")
    expect(sup.locator("#timeline")).to_contain_text("办结监督事项")
    head.reload()
    expect(head.locator("#matter-state")).to_have_text("办结")
    pdf = download(head, head.locator(f"#document-{doc.pk}"), "PDF")
    assert pdf.startswith(b"%PDF")
