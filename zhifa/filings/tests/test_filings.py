"""重大行政处罚决定备案审查: a major decision is filed from the record within the configured
period, addressed to the region's supervisors, reviewed within theirs; each step is recorded
on the case and replayed by ``zhifa verify``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from zhifa.alerts.services import warnings_refresh
from zhifa.cases.documents import document_generate
from zhifa.cases.models import Case, CaseDocument
from zhifa.cases.tests.conftest import World, entered_on
from zhifa.core.exceptions import RuleViolation
from zhifa.filings import services
from zhifa.filings.models import Filing
from zhifa.filings.selectors import (
    decisions_unfiled,
    filings_replay_check,
    supervision_region_of,
)
from zhifa.notifications.models import Notification
from zhifa.record.models import Entry
from zhifa.record.verification import case_groups
from zhifa.registry import services as registry
from zhifa.registry.models import Account
from zhifa.todos.items import todos_for

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
DECIDED = date(2026, 4, 28)  # a Tuesday; 1–5 May are the Labour Day holiday
F = Filing.State
TIANJIN = {"filings.file": {"count": 10, "source": "《天津市行政执法监督规定》第十四条"}}


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    # After every date the tests file or review on (none may lie after today).
    with time_machine.travel(datetime(2026, 6, 30, 10, tzinfo=SH), tick=False):
        yield


def decided(world: World, fine: str = "20000", *, document: bool = True) -> Case:
    case = world.decided(DECIDED, fine=Decimal(fine))
    if document:
        with entered_on(DECIDED):
            document_generate(actor=world.p.officer, case=case, kind="penalty_decision", on=DECIDED)
    return Case.objects.get(pk=case.pk)


def submit(world: World, case: Case, on: date, **kw: Any) -> Filing:
    return services.filing_submit(actor=world.p.officer, case=case, on=on, **kw)


def client_for(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def page(account: Account, url: str) -> tuple[int, str]:
    response = client_for(account).get(url)
    return response.status_code, response.content.decode()


# -- filing ---


def test_a_major_decision_is_filed_with_the_package_read_from_the_record(
    world: World, evidence_dir: Path
) -> None:
    case = decided(world)
    doc = CaseDocument.objects.get(case=case, kind="penalty_decision")
    filing = submit(world, case, date(2026, 5, 6), report="罚款二万元")
    assert filing.state == F.SUBMITTED
    assert not filing.late
    assert filing.region_code == "130300"  # the supervisor of 示范市 covers 甲区
    assert filing.reasons == [
        {
            "text": "对自然人罚款20,000.00元，达到10,000.00元的备案标准",
            "source": "《辽宁省行政执法监督规定》第十六条",
        }
    ]
    items = {p["item"]: p for p in filing.package}
    assert items["decision"]["documents"] == [
        {
            "id": doc.pk,
            "kind": "penalty_decision",
            "title": doc.title,
            "number": doc.number,
            "version": 1,
            "pdf_sha256": doc.pdf.sha256,
            "docx_sha256": doc.docx.sha256,
            "entry_seq": doc.entry_seq,
        }
    ]
    decide = Entry.objects.get(case_id=case.pk, action="case.decide")
    assert items["decision"]["entries"] == [
        {"seq": decide.seq, "action": "case.decide", "leaf_sha256": decide.leaf_hash_hex}
    ]
    assert [e["action"] for e in items["investigation_report"]["entries"]] == ["case.submit_review"]
    assert [e["action"] for e in items["notices"]["entries"]] == ["case.notify"]
    entry = Entry.objects.filter(case_id=case.pk).order_by("seq").last()
    assert entry is not None and entry.action == "filing.submit"
    assert entry.data["filing"] == services.filing_plain(filing)
    note = Notification.objects.get(recipient=world.p.supervisor)
    assert note.kind == Notification.Kind.FILING and "报送重大行政处罚决定备案" in note.title
    assert list(filings_replay_check(case_groups())) == []


def test_a_decision_below_the_threshold_need_not_be_filed(world: World, evidence_dir: Path) -> None:
    case = decided(world, "9999.99")
    with pytest.raises(RuleViolation, match="不属于应当备案") as refused:
        submit(world, case, date(2026, 5, 6))
    assert refused.value.article == "《四川省行政执法监督条例》第三十六条"
    assert decisions_unfiled(world.p.supervisor, date(2026, 6, 1)) == []


def test_the_decision_document_must_be_generated_first(world: World, evidence_dir: Path) -> None:
    case = decided(world, document=False)
    with pytest.raises(RuleViolation, match="请先生成行政处罚决定书"):
        submit(world, case, date(2026, 5, 6))


def test_only_the_agencys_officers_and_head_file_and_only_once(
    world: World, evidence_dir: Path
) -> None:
    case = decided(world)
    for actor in (world.p.officer_b, world.p.supervisor, world.p.publisher):
        with pytest.raises(RuleViolation, match="只有本机关"):
            services.filing_submit(actor=actor, case=case, on=date(2026, 5, 6))
    services.filing_submit(actor=world.p.head, case=case, on=date(2026, 5, 6))
    with pytest.raises(RuleViolation, match="已报送备案"):
        submit(world, case, date(2026, 5, 6))


# -- the filing period at its boundary ---


@pytest.mark.parametrize(
    ("on", "late"),
    [(date(2026, 5, 12), False), (date(2026, 5, 13), False), (date(2026, 5, 14), True)],
)
def test_the_default_period_is_15_days_from_the_decision(
    world: World, evidence_dir: Path, on: date, late: bool
) -> None:
    case = decided(world)
    if late:
        with pytest.raises(RuleViolation, match="已超过备案期限（2026-05-13") as refused:
            submit(world, case, on)
        assert refused.value.field == "late_reason"
    filing = submit(world, case, on, late_reason="承办人出差" if late else "")
    assert filing.due_on == date(2026, 5, 13)
    assert filing.late is late
    assert filing.due_basis == "15日（依据：《四川省行政执法监督条例》第三十六条）"


@override_settings(ZHIFA_TIME_LIMITS=TIANJIN)
@pytest.mark.parametrize(
    ("on", "late"),
    [(date(2026, 5, 7), False), (date(2026, 5, 8), False), (date(2026, 5, 9), True)],
)
def test_a_province_with_10_days_moves_the_boundary(
    world: World, evidence_dir: Path, on: date, late: bool
) -> None:
    case = decided(world)
    filing = submit(world, case, on, late_reason="逾期原因" if late else "")
    assert filing.due_on == date(2026, 5, 8)
    assert filing.late is late
    assert filing.due_basis == "10日（依据：《天津市行政执法监督规定》第十四条）"


@override_settings(ZHIFA_TIME_LIMITS=TIANJIN)
def test_the_case_page_shows_the_configured_period_and_its_source(
    world: World, evidence_dir: Path
) -> None:
    case = decided(world)
    with time_machine.travel(datetime(2026, 5, 6, 10, tzinfo=SH), tick=False):
        status, html = page(world.p.officer, reverse("case_detail", kwargs={"pk": case.pk}))
    assert status == 200
    assert 'id="major-filing"' in html
    assert "10日（依据：《天津市行政执法监督规定》第十四条）" in html
    assert "备案期限：2026年5月8日" in html and "还剩2日" in html
    assert "一键报送备案" in html
    status, html = page(world.p.supervisor, reverse("case_detail", kwargs={"pk": case.pk}))
    assert 'id="major-filing"' in html and "一键报送备案" not in html


def test_a_filing_or_review_dated_after_today_is_refused(world: World, evidence_dir: Path) -> None:
    case = decided(world)
    with pytest.raises(RuleViolation, match="不能晚于今天"):
        submit(world, case, date(2026, 7, 1))
    filing = submit(world, case, date(2026, 5, 6))
    with pytest.raises(RuleViolation, match="不能晚于今天"):
        services.filing_review(
            actor=world.p.supervisor, filing=filing, outcome=F.REGISTERED, on=date(2026, 7, 1)
        )


# -- unfiled on both sides ---


def test_an_unfiled_decision_is_on_the_agencys_list_and_when_overdue_on_the_supervisors(
    world: World, evidence_dir: Path
) -> None:
    case = decided(world)

    def kinds(account: Account, today: date) -> list[tuple[str, int | None]]:
        return [
            (t.kind, t.case_id)
            for t in todos_for(account, today)
            if t.kind.startswith(("major", "filing"))
        ]

    assert kinds(world.p.head, date(2026, 5, 13)) == [("major_filing", case.pk)]
    assert kinds(world.p.officer, date(2026, 5, 13)) == [("major_filing", case.pk)]
    assert kinds(world.p.officer_b, date(2026, 5, 13)) == []
    # The supervisor's item is per agency, from the daily warning run (a province holds tens of
    # thousands of such decisions): not overdue on the last day, overdue the day after.
    warnings_refresh(today=date(2026, 5, 13))
    assert kinds(world.p.supervisor, date(2026, 5, 13)) == []
    warnings_refresh(today=date(2026, 5, 14))
    (item,) = [
        t for t in todos_for(world.p.supervisor, date(2026, 5, 14)) if t.kind == "major_unfiled"
    ]
    assert item.what == f"{case.agency.name}有1件重大行政处罚决定逾期未报送备案"
    assert item.url == reverse("filing_list") + f"?agency={case.agency_id}#unfiled"
    assert item.overdue
    (head_item,) = [
        t for t in todos_for(world.p.head, date(2026, 5, 14)) if t.kind == "major_filing"
    ]
    assert head_item.overdue and head_item.deadline_text == "备案期限已逾期1日"
    with time_machine.travel(datetime(2026, 5, 14, 10, tzinfo=SH), tick=False):
        for account in (world.p.head, world.p.supervisor):
            status, html = page(account, reverse("filing_list"))
            assert status == 200 and "逾期1件" in html and case.title in html
        # the supervisor's item leads to the agency's own list; another agency's has none
        status, html = page(world.p.supervisor, item.url.split("#")[0])
        assert status == 200 and case.title in html
        other = reverse("filing_list") + f"?agency={world.p.agency_b.pk}"
        assert case.title not in page(world.p.supervisor, other)[1]
    submit(world, case, date(2026, 5, 14), late_reason="漏报")
    assert kinds(world.p.head, date(2026, 5, 14)) == []
    warnings_refresh(today=date(2026, 5, 14))  # the job's next run ends the warning
    assert kinds(world.p.supervisor, date(2026, 5, 14)) == [("filing_review", case.pk)]


# -- review ---


def test_the_supervisor_registers_the_filing(world: World, evidence_dir: Path) -> None:
    filing = submit(world, decided(world), date(2026, 5, 6))
    assert filing.review_due_on == date(2026, 6, 5)
    reviewed = services.filing_review(
        actor=world.p.supervisor, filing=filing, outcome=F.REGISTERED, on=date(2026, 5, 20)
    )
    assert reviewed.state == F.REGISTERED and reviewed.reviewed_on == date(2026, 5, 20)
    entry = Entry.objects.filter(case_id=filing.case_id).order_by("seq").last()
    assert entry is not None and entry.action == "filing.review"
    assert entry.data["filing"]["state"] == "registered"
    assert Notification.objects.filter(recipient=world.p.head, kind="filing").exists()
    with pytest.raises(RuleViolation, match="已予以备案，不能再审查"):
        services.filing_review(
            actor=world.p.supervisor, filing=filing, outcome=F.REGISTERED, on=date(2026, 5, 21)
        )
    assert list(filings_replay_check(case_groups())) == []


def test_a_transfer_names_the_body_and_the_reason(world: World, evidence_dir: Path) -> None:
    filing = submit(world, decided(world), date(2026, 5, 6))
    with pytest.raises(RuleViolation, match="须写明审查意见"):
        services.filing_review(
            actor=world.p.supervisor, filing=filing, outcome=F.TRANSFERRED, on=date(2026, 5, 7)
        )
    with pytest.raises(RuleViolation, match="请写明移送的机关") as refused:
        services.filing_review(
            actor=world.p.supervisor,
            filing=filing,
            outcome=F.TRANSFERRED,
            opinion="涉嫌犯罪",
            on=date(2026, 5, 7),
        )
    assert "第三十三条" in refused.value.article
    row = services.filing_review(
        actor=world.p.supervisor,
        filing=filing,
        outcome=F.TRANSFERRED,
        opinion="涉嫌犯罪",
        transferred_to="示范市公安局",
        on=date(2026, 5, 7),
    )
    assert (row.state, row.transferred_to) == (F.TRANSFERRED, "示范市公安局")


def test_only_the_addressed_bodys_supervisors_review(world: World, evidence_dir: Path) -> None:
    filing = submit(world, decided(world), date(2026, 5, 6))
    province = registry.account_create(
        actor=world.p.admin,
        username="prov",
        password="x-Long-pass-123",
        role=Account.Role.SUPERVISOR,
        region_code="130000",
    )
    for actor in (world.p.head, world.p.officer, province):
        with pytest.raises(RuleViolation, match="只有备案审查机关") as refused:
            services.filing_review(
                actor=actor, filing=filing, outcome=F.REGISTERED, on=date(2026, 5, 7)
            )
        assert "第六条" in refused.value.article


def test_the_nearest_supervisors_body_receives_the_filing(world: World) -> None:
    registry.account_create(
        actor=world.p.admin,
        username="prov",
        password="x-Long-pass-123",
        role=Account.Role.SUPERVISOR,
        region_code="130000",
    )
    assert supervision_region_of(world.p.agency_a) == ("130300", None)
    registry.account_create(
        actor=world.p.admin,
        username="county",
        password="x-Long-pass-123",
        role=Account.Role.SUPERVISOR,
        region_code="130302",
    )
    assert supervision_region_of(world.p.agency_a) == ("130302", None)
    assert supervision_region_of(world.p.agency_b) == ("130300", None)


def test_a_decision_under_reconsideration_closes_the_review(
    world: World, evidence_dir: Path
) -> None:
    filing = submit(world, decided(world), date(2026, 5, 6))
    with pytest.raises(RuleViolation, match="受理的复议机关或人民法院"):
        services.filing_close(
            actor=world.p.supervisor,
            filing=filing,
            proceeding="reconsideration",
            body=" ",
            accepted_on=date(2026, 5, 10),
        )
    row = services.filing_close(
        actor=world.p.supervisor,
        filing=filing,
        proceeding="reconsideration",
        body="示范市人民政府",
        accepted_on=date(2026, 5, 10),
    )
    assert row.state == F.CLOSED and row.get_proceeding_display() == "行政复议"
    entry = Entry.objects.filter(case_id=filing.case_id).order_by("seq").last()
    assert entry is not None and entry.action == "filing.close"
    with pytest.raises(RuleViolation, match="已终止审查"):
        services.filing_review(
            actor=world.p.supervisor, filing=row, outcome=F.REGISTERED, on=date(2026, 5, 11)
        )


# -- verify ---


def test_verify_finds_a_filing_changed_behind_the_records_back(
    world: World, evidence_dir: Path
) -> None:
    filing = submit(world, decided(world), date(2026, 5, 6))
    Filing.objects.filter(pk=filing.pk).update(state=F.REGISTERED)
    problems = list(filings_replay_check(case_groups()))
    assert [p.kind for p in problems] == ["filing_replay_mismatch"]


def test_verify_finds_a_package_reference_that_no_longer_holds(
    world: World, evidence_dir: Path
) -> None:
    filing = submit(world, decided(world), date(2026, 5, 6))
    doc = CaseDocument.objects.get(case_id=filing.case_id, kind="penalty_decision")
    CaseDocument.objects.filter(pk=doc.pk).update(docx=doc.pdf)
    problems = list(filings_replay_check(case_groups()))
    assert [p.kind for p in problems] == ["filing_reference_changed"]
    assert "行政处罚决定书" in problems[0].message


def test_verify_finds_a_filing_without_an_entry(world: World, evidence_dir: Path) -> None:
    filing = submit(world, decided(world), date(2026, 5, 6))
    Entry.objects.filter(action="filing.submit").update(action="filing.other")
    assert [p.kind for p in filings_replay_check(case_groups())] == ["filing_unrecorded"]
    del filing


# -- pages and access ---


def test_the_supervisor_reviews_from_the_filing_page(world: World, evidence_dir: Path) -> None:
    filing = submit(world, decided(world), date(2026, 5, 6))
    url = reverse("filing_detail", kwargs={"pk": filing.pk})
    status, html = page(world.p.supervisor, url)
    assert status == 200 and 'id="review-form"' in html and "行政处罚决定书" in html
    client = client_for(world.p.supervisor)
    review = reverse("filing_review", kwargs={"pk": filing.pk})
    refused = client.post(review, {"outcome": "correction", "on": "2026-05-07", "opinion": ""})
    assert refused.status_code == 409
    assert "须写明审查意见" in refused.content.decode()
    assert re.search(r'value="correction"[^>]*checked', refused.content.decode())
    done = client.post(review, {"outcome": "registered", "on": "2026-05-07"})
    assert done.status_code == 302
    assert Filing.objects.get(pk=filing.pk).state == F.REGISTERED
    status, html = page(world.p.head, url)
    assert status == 200 and "予以备案" in html and 'id="review-form"' not in html


def test_the_filing_is_submitted_with_one_click_from_the_case_page(
    world: World, evidence_dir: Path
) -> None:
    case = decided(world)
    client = client_for(world.p.officer)
    url = reverse("filing_submit", kwargs={"pk": case.pk})
    response = client.post(url, {"on": "2026-05-06", "report": ""})
    filing = Filing.objects.get(case=case)
    assert response.status_code == 302 and response.url == f"/filings/{filing.pk}/"
    again = client.post(url, {"on": "2026-05-06", "report": "再次报送"})
    assert again.status_code == 409 and "再次报送" in again.content.decode()


def test_access_to_a_filing(world: World, evidence_dir: Path) -> None:
    filing = submit(world, decided(world), date(2026, 5, 6))
    url = reverse("filing_detail", kwargs={"pk": filing.pk})
    other = registry.account_create(
        actor=world.p.admin,
        username="other_city",
        password="x-Long-pass-123",
        role=Account.Role.SUPERVISOR,
        region_code="130400",
    )
    assert page(world.p.officer_b, url)[0] == 404
    assert page(other, url)[0] == 404
    assert page(world.p.officer_b, "/filings/999999/")[0] == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous.url
    review = reverse("filing_review", kwargs={"pk": filing.pk})
    assert client_for(world.p.head).post(review, {"outcome": "registered"}).status_code == 403
    assert client_for(other).post(review, {"outcome": "registered"}).status_code == 404
    submit_url = reverse("filing_submit", kwargs={"pk": filing.case_id})
    assert client_for(world.p.officer_b).post(submit_url, {}).status_code == 404
    assert client_for(world.p.supervisor).post(submit_url, {}).status_code == 403
    assert Filing.objects.get(pk=filing.pk).state == F.SUBMITTED


# -- 建议纠正 opens a supervision matter ---


def test_a_correction_opens_a_supervision_matter_of_the_bureau(
    world: World, evidence_dir: Path
) -> None:
    from zhifa.supervision.models import Matter
    from zhifa.supervision.tests.conftest import make_bureau

    bureau = make_bureau(world.p)
    filing = submit(world, decided(world), date(2026, 5, 6))
    assert filing.supervisory_body == bureau.body  # the 司法局 of the supervisors' accounts
    row = services.filing_review(
        actor=bureau.sup1,
        filing=filing,
        outcome=F.CORRECTION,
        opinion="罚款未适用本地区裁量基准",
        on=date(2026, 5, 20),
    )
    matter = Matter.objects.get(pk=row.matter_id)
    assert (matter.origin, matter.origin_ref, matter.agency_id) == (
        "major_filing",
        str(filing.pk),
        world.p.agency_a.pk,
    )
    assert "罚款未适用本地区裁量基准" in matter.summary
    actions = list(
        Entry.objects.filter(action__in=["filing.review", "supervision.matter.open"])
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["supervision.matter.open", "filing.review"]
    assert list(filings_replay_check(case_groups())) == []


def test_the_supervisor_opens_the_filed_decision_and_the_opening_is_recorded(
    world: World, evidence_dir: Path
) -> None:
    filing = submit(world, decided(world), date(2026, 5, 6))
    doc = CaseDocument.objects.get(case_id=filing.case_id, kind="penalty_decision")
    url = reverse("filing_document_file", kwargs={"pk": filing.pk, "doc_id": doc.pk, "fmt": "pdf"})
    # The case's own file gate keeps supervisors out; the filing is what was sent to them.
    case_url = reverse(
        "case_document_file", kwargs={"pk": filing.case_id, "doc_id": doc.pk, "fmt": "pdf"}
    )
    assert client_for(world.p.supervisor).get(case_url).status_code == 403
    response = client_for(world.p.supervisor).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    entry = Entry.objects.filter(case_id=filing.case_id).order_by("seq").last()
    assert entry is not None and entry.action == "filing.document_open"
    assert entry.actor_id == world.p.supervisor.pk
    assert entry.data["document"]["pdf_sha256"] == doc.pdf.sha256
    other_doc = url.replace(f"/{doc.pk}/", "/999999/")
    assert client_for(world.p.supervisor).get(other_doc).status_code == 404
    assert client_for(world.p.officer_b).get(url).status_code == 404
    assert list(filings_replay_check(case_groups())) == []


@pytest.mark.parametrize(
    ("today", "text"),
    [
        (date(2026, 6, 4), "审查期限还剩1日"),
        (date(2026, 6, 5), "审查期限今日到期"),
        (date(2026, 6, 6), "审查期限已逾期1日"),
    ],
)
def test_the_review_period_is_30_days_from_the_filing(
    world: World, evidence_dir: Path, today: date, text: str
) -> None:
    filing = submit(world, decided(world), date(2026, 5, 6))
    assert filing.review_due_on == date(2026, 6, 5)
    (item,) = [t for t in todos_for(world.p.supervisor, today) if t.kind == "filing_review"]
    assert item.deadline_text == text
    assert "第十六条为60日" in item.note


@override_settings(
    ZHIFA_TIME_LIMITS={"filings.review": {"count": 20, "source": "《江西省某规定》第十六条"}}
)
def test_a_province_with_a_20_day_review(world: World, evidence_dir: Path) -> None:
    filing = submit(world, decided(world), date(2026, 5, 6))
    assert filing.review_due_on == date(2026, 5, 26)
    assert filing.review_basis == "20日（依据：《江西省某规定》第十六条）"


def test_the_supervisors_list_filters_by_state_and_lateness(
    world: World, evidence_dir: Path
) -> None:
    filing = submit(world, decided(world), date(2026, 5, 14), late_reason="漏报")
    base = reverse("filing_list")
    status, html = page(world.p.supervisor, f"{base}?state=submitted&late=1")
    assert status == 200 and f"/filings/{filing.pk}/" in html
    status, html = page(world.p.supervisor, f"{base}?state=registered")
    assert f"/filings/{filing.pk}/" not in html and "没有符合条件的备案" in html
    status, html = page(world.p.officer_b, base)
    assert f"/filings/{filing.pk}/" not in html
