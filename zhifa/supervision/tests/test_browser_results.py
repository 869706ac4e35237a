"""Issue 12's routed flows in a real headless Chromium (Debian's), against the live test server,
on worlds built with the services:

- 条例第三十一条: a supervisor issues a 通报 with "向社会公布"; the 司法局's own publisher confirms
  the proposed removals of the complainant's and the party's personal values and publishes; an
  anonymous visitor finds the result in the portal's 执法监督结果公开 column without them and
  verifies its proof.
- 条例第三十条 routed upward (ZHIFA_SUPERVISION_OBJECTION_TO_UPPER): the agency's head objects
  to an 意见书, the province's supervisor answers it from the to-dos, the issuing city bureau
  reads the answer, the head sees it in the inbox.
- The daily escalation job: an overdue rectification shows its days overdue with the basis on
  both sides and the supervisor's to-do proposes the next legal step.

Run only these with ``pytest -m browser``."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.core.testing import PASSWORD, desktop_page, server_frozen_at
from zhifa.publicity.models import Publication
from zhifa.publicity.tests.publication_world import PERSON, World, world
from zhifa.publicity.verify import verify_bundle
from zhifa.registry import services as registry
from zhifa.registry.models import Account
from zhifa.supervision.models import Document, Objection

from .conftest import Bureau
from .test_objection_routing import province
from .test_result_publication import COMPLAINANT, FINDINGS, matter_from_a_complaint
from .test_services import investigating, opinion

__all__ = ["province", "world"]

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def pages(browser: Browser) -> Iterator[Any]:
    """``pages()`` opens one more page in a context of its own (one person each)."""
    opened: list[Iterator[Page]] = []

    def new() -> Page:
        gen = desktop_page(browser)
        opened.append(gen)
        return next(gen)

    yield new
    for gen in opened:
        next(gen, None)


def log_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(f"{live_server.url}/login/")


def section(page: Page, slot: str) -> Locator:
    box = page.locator(f'[id="step-{slot}"]')
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    return box


# -- 条例第三十一条: a 通报 published through the body's redaction review --------------------------


def test_a_notice_is_published_without_personal_values_and_verifies(
    pages: Any,
    live_server: LiveServer,
    transactional_db: None,
    bureau: Bureau,
    world: World,
    settings: Any,
    tmp_path: Path,
) -> None:
    with server_frozen_at(settings, tmp_path, datetime(2026, 10, 12, 10, tzinfo=SHANGHAI)):
        matter, _ = matter_from_a_complaint(bureau, world)
        registry.account_create(
            actor=bureau.p.admin,
            username="sfj-publisher",
            password=PASSWORD,
            role=Account.Role.PUBLISHER,
            agency=bureau.body,
        )
        findings = f"{FINDINGS}当事人身份证号码{PERSON.id_number}。"
        personal = (PERSON.name, PERSON.id_number, PERSON.phone, *COMPLAINANT)

        # The supervisor issues the 通报 on the matter and ticks "向社会公布".
        sup = pages()
        log_in(sup, live_server, bureau.sup1.username)
        sup.goto(f"{live_server.url}/supervision/matters/{matter.pk}/")
        box = section(sup, "matter_document_issue")
        box.locator('[name="kind"]').select_option("notice")
        box.locator('[name="findings"]').fill(findings)
        box.locator('[name="requirement"]').fill("全市执法机关对照检查，严格执行执法公示制度")
        box.locator('[name="scope"]').fill("全市各行政执法机关")
        box.locator('[name="publish"]').check()
        box.get_by_role("button", name="制发监督文书", exact=True).click()
        expect(sup.get_by_role("status")).to_contain_text("已完成：制发监督文书")
        doc = Document.objects.get(matter=matter, kind=Document.Kind.NOTICE)
        expect(sup.locator(f"#publication-{doc.pk}")).to_contain_text("待审核")

        # The body's publisher finds it among the drafts; the personal values are proposed for
        # removal; they confirm each and publish.
        pub_page = pages()
        log_in(pub_page, live_server, "sfj-publisher")
        pub_page.goto(f"{live_server.url}/publish/")
        pub_page.get_by_role("link", name=doc.number).click()
        original, redacted = pub_page.locator("#original"), pub_page.locator("#redacted")
        for value in personal:
            expect(original).to_contain_text(value)
        spans = pub_page.locator("#spans")
        pending = spans.locator("tr", has=pub_page.get_by_role("button", name="删除", exact=True))
        for value in personal:  # each value listed for removal (删除 or 待确认)
            expect(spans.locator("tr", has_text=value)).to_have_count(1)
        while pending.count():  # those the engine left pending: the publisher decides
            before = pending.count()
            pending.first.get_by_role("button", name="删除", exact=True).click()
            expect(pending).to_have_count(before - 1)
        for value in personal:
            expect(spans.locator("tr", has_text=value)).to_contain_text("删除")
            expect(redacted).not_to_contain_text(value)
        expect(redacted).to_contain_text("欧阳某")
        pub_page.get_by_role("button", name="确认公开").click()
        expect(pub_page.locator(".messages")).to_contain_text("已公开")
        publication = Publication.objects.get(decision_number=doc.number)
        assert publication.state == Publication.State.PUBLISHED

        # The supervisor's workspace links the public page.
        sup.reload()
        expect(sup.locator(f"#publication-{doc.pk}")).to_contain_text("已公开")

        # Anyone finds it in the column, without the personal values, and verifies it.
        anon = pages()
        anon.goto(f"{live_server.url}/public/supervision-results/")
        rows = anon.locator("#supervision-results")
        expect(rows).to_contain_text(bureau.body.name)
        expect(rows).to_contain_text("2026-10-12")
        rows.get_by_role("link", name=doc.number).click()
        expect(anon.locator("#result-title")).to_contain_text(doc.number)
        main = anon.locator("main")
        expect(main).to_contain_text("全市执法机关对照检查")
        for value in personal:
            expect(main).not_to_contain_text(value)
        anon.wait_for_load_state("load")
        anon.get_by_role("button", name="在浏览器中校验").click()
        output = anon.locator("#verify-output")
        expect(output).to_contain_text("包含证明成立")
        expect(output).not_to_contain_text("✗")
        # The proof.json the page offers checks offline too.
        href = anon.get_by_role("link", name="proof.json").first.get_attribute("href")
        assert href is not None
        response = anon.request.get(f"{live_server.url}{href}")
        assert response.ok
        assert verify_bundle(json.loads(response.text())).ok


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


# -- 条例第三十条 routed one level up ----------------------------------------------------------


def test_an_objection_routed_up_is_answered_by_the_province_and_read_below(
    pages: Any,
    live_server: LiveServer,
    transactional_db: None,
    bureau: Bureau,
    province: Account,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.ZHIFA_SUPERVISION_OBJECTION_TO_UPPER = True
    with server_frozen_at(settings, tmp_path, datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)):
        matter = investigating(bureau)
        doc = opinion(bureau, matter)

        # The agency's head objects to the 意见书 in the inbox; it goes to the province.
        head = pages()
        log_in(head, live_server, bureau.p.head.username)
        head.goto(f"{live_server.url}/supervision/inbox/{matter.pk}/")
        expect(head.locator("#objection-rule")).to_contain_text("示范省司法厅")
        act(head, f"objection:{doc.pk}", "提出异议", reasons="两次罚款针对不同违法行为")
        expect(head.locator("#documents")).to_contain_text("已转上一级行政执法监督机构示范省司法厅")
        objection = Objection.objects.get(document=doc)

        # The province's supervisor has it among the to-dos, opens it and answers.
        prov = pages()
        log_in(prov, live_server, province.username)
        prov.goto(f"{live_server.url}/todos/")
        row = prov.locator("#todo-table tr", has_text=doc.number)
        expect(row).to_contain_text("答复下级监督文书的异议")
        expect(row).to_contain_text("《广东省行政执法监督条例》第三十三条")
        row.get_by_role("link", name="去办理：答复下级监督文书的异议").click()
        act(
            prov,
            f"objection_answer:{objection.pk}",
            "答复异议",
            upheld="0",
            answer="系同一违法行为，异议不成立，继续整改",
        )
        objection.refresh_from_db()
        assert objection.status == Objection.Status.DISMISSED

        # The issuing city bureau reads the answer and has no form to answer it.
        city = pages()
        log_in(city, live_server, bureau.sup1.username)
        city.goto(f"{live_server.url}/supervision/matters/{matter.pk}/")
        answer = city.locator(f"#objection-{objection.pk}")
        expect(answer).to_contain_text("系同一违法行为，异议不成立，继续整改")
        expect(answer).to_contain_text("示范省司法厅")
        expect(city.locator(f'[id="step-objection_answer:{objection.pk}"]')).to_have_count(0)

        # The head sees the answer in the inbox.
        head.reload()
        expect(head.locator(f"#objection-{objection.pk}")).to_contain_text(
            "系同一违法行为，异议不成立，继续整改"
        )


# -- the daily escalation of an overdue rectification -----------------------------------------


def test_an_overdue_rectification_escalated_shows_on_both_sides_with_the_next_step(
    pages: Any,
    live_server: LiveServer,
    transactional_db: None,
    bureau: Bureau,
    settings: Any,
    tmp_path: Path,
) -> None:
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        matter = investigating(bureau)
        doc = opinion(bureau, matter)  # rectify within 30 days: due 2026-04-01
    with server_frozen_at(settings, tmp_path, datetime(2026, 4, 5, 9, tzinfo=SHANGHAI)):
        call_command("supervision_escalate", "--on", "2026-04-05", stdout=io.StringIO())
        overdue = "已逾期4日（依据：《广东省行政执法监督条例》第三十三条）"

        sup = pages()
        log_in(sup, live_server, bureau.sup1.username)
        sup.goto(f"{live_server.url}/supervision/matters/{matter.pk}/")
        row = sup.locator(f"#overdue-{doc.pk}")
        expect(row).to_contain_text(overdue)
        expect(row).to_contain_text("2026-04-05 已升级")
        expect(row).to_contain_text("行政执法监督决定书")
        sup.goto(f"{live_server.url}/todos/")
        todo = sup.locator("#todo-table tr", has_text="逾期整改升级")
        expect(todo).to_contain_text(doc.number)
        expect(todo).to_contain_text("报请本级人民政府制发行政执法监督决定书")
        expect(todo).to_contain_text(
            "建议措施的依据：《行政执法监督条例》（国务院令第825号）第二十九条"
        )
        todo.get_by_role("link", name="去办理：逾期整改升级").click()
        expect(sup).to_have_url(f"{live_server.url}/supervision/matters/{matter.pk}/")

        head = pages()
        log_in(head, live_server, bureau.p.head.username)
        head.goto(f"{live_server.url}/supervision/inbox/{matter.pk}/")
        expect(head.locator(f"#overdue-{doc.pk}")).to_contain_text(overdue)
