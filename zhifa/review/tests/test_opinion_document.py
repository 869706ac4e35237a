"""The written opinion (法制审核意见书): generated from a concluded round into the case file."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases import documents
from zhifa.cases.documents import document_generate, documents_available
from zhifa.cases.models import Case, CaseDocument
from zhifa.cases.tests.test_documents import (
    TRICKY,
    assert_plain_text_for_the_party,
    assert_reads,
    entry_of,
    pdf_text,
)
from zhifa.core.exceptions import RuleViolation
from zhifa.review import services
from zhifa.review.checklist import LABELS
from zhifa.review.models import CatalogRule, Submission

from .conftest import Review, World

pytestmark = pytest.mark.django_db

KIND = CaseDocument.Kind.REVIEW_OPINION
AT = datetime(2026, 4, 9, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
CONCLUDED = date(2026, 4, 8)


def _opinion(world: World, case: Case, on: date = date(2026, 4, 9)) -> CaseDocument:
    return document_generate(actor=world.p.reviewer, case=case, kind=KIND, on=on, at=AT)


def _corrected(world: World, flow: Review, case: Case) -> Submission:
    """Round 1 concluded 建议补充调查 with two changes asked."""
    sub = flow.assign(flow.submit(case))
    flow.answer_all(sub, CONCLUDED, facts="problem")
    return services.review_conclude(
        actor=world.p.reviewer,
        submission=sub,
        on=CONCLUDED,
        outcome="supplement",
        opinion="经审核，案件事实尚需补充调查",
        required_changes=["补充涉案牛奶的货值鉴定意见", "补充当事人进货台账"],
    )


def test_the_opinion_is_not_offered_before_a_round_is_concluded(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = flow.stated()
    flow.assign(flow.submit(case))
    assert KIND not in dict(documents_available(case))
    with pytest.raises(RuleViolation, match="须在法制审核机构出具审核意见之后生成"):
        _opinion(world, case)


def test_the_agreeing_opinion_reads_back_with_every_checklist_point(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    sub = flow.passed(flow.stated())
    case = Case.objects.get(pk=sub.case_id)
    assert KIND in dict(documents_available(case))

    doc = _opinion(world, case)

    assert doc.title == "法制审核意见书" and doc.version == 1
    assert doc.number == "示范市监法审〔2026〕1号"
    assert_reads(
        doc,
        "法制审核意见书",
        doc.number,
        case.number,
        "第1轮",
        "审核结论：同意",
        "经审核，同意承办机构的处理意见",
        "警告、罚款，罚款20000.00元",
        "的审核标准（甲区市场监管局重大执法决定法制审核目录清单（2026年版）第1项）",
        world.reviewer_officer.name,
        "2026年4月8日",
        *LABELS.values(),
    )
    assert "需要纠正或者补充的事项" not in pdf_text(doc)


def test_a_non_agreeing_opinion_lists_what_must_change(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    sub = _corrected(world, flow, flow.stated())

    doc = _opinion(world, sub.case)

    assert_reads(
        doc,
        "审核结论：建议补充调查",
        "经审核，案件事实尚需补充调查",
        "事实是否清楚，证据是否确凿、充分、合法",
        "存在问题",
        "须补充货值鉴定",  # the point's comment
        "需要纠正或者补充的事项",
        "1.补充涉案牛奶的货值鉴定意见",
        "2.补充当事人进货台账",
    )


def test_the_opinion_is_stored_as_evidence_and_recorded_with_its_round(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    sub = flow.passed(flow.stated())

    doc = _opinion(world, sub.case)

    entry = entry_of(doc)
    assert entry.action == "document.generate" and entry.case_id == sub.case_id
    assert entry.actor_id == world.p.reviewer.pk
    assert entry.data["kind"] == KIND and entry.data["subject"] == "round 1"
    assert entry.data["number"] == doc.number
    assert {entry.data["pdf"], entry.data["docx"]} == {doc.pdf.sha256, doc.docx.sha256}
    assert {r.sha256 for r in entry.file_refs} == {doc.pdf.sha256, doc.docx.sha256}


def test_each_round_has_its_own_number_and_regenerating_keeps_it(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    first = _corrected(world, flow, flow.stated())
    round_1 = _opinion(world, first.case)
    again = _opinion(world, first.case, on=date(2026, 4, 10))
    second = flow.conclude(
        flow.assign(flow.submit(first.case, on=date(2026, 4, 13)), on=date(2026, 4, 13)),
        on=date(2026, 4, 15),
    )

    round_2 = _opinion(world, second.case, on=date(2026, 4, 16))

    assert again.number == round_1.number == "示范市监法审〔2026〕1号"
    assert round_2.number == "示范市监法审〔2026〕2号"
    assert [round_1.version, again.version, round_2.version] == [1, 2, 3]
    assert_reads(round_2, "第2轮", "审核结论：同意", "2026年4月15日")


def test_an_officer_of_another_agency_cannot_generate_the_opinion(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    sub = flow.passed(flow.stated())
    with pytest.raises(RuleViolation, match="只有本机关的执法人员"):
        document_generate(
            actor=world.p.officer_b, case=sub.case, kind=KIND, on=date(2026, 4, 9), at=AT
        )
    assert not CaseDocument.objects.filter(kind=KIND).exists()


def test_the_opinion_is_dated_the_day_of_the_opinion_not_before(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    sub = flow.passed(flow.stated())
    with pytest.raises(RuleViolation, match="文书生成日期不能早于2026年4月8日"):
        _opinion(world, sub.case, on=date(2026, 4, 7))
    assert Decimal(sub.proposal_fine or 0) == Decimal(20000)


def test_the_reviewer_generates_the_opinion_from_the_case_page(
    world: World, flow: Review, fine_catalog: CatalogRule, client: Client
) -> None:
    case = Case.objects.get(pk=_corrected(world, flow, flow.stated()).case_id)
    client.force_login(world.p.reviewer)
    response = client.post(
        reverse("case_document_generate", kwargs={"pk": case.pk}),
        {"document-kind": KIND, "document-on": "2026-04-09"},
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get(case=case, kind=KIND)
    assert document.title == "法制审核意见书"
    # A reviewer generates the opinion, not the handling unit's documents.
    response = client.post(
        reverse("case_document_generate", kwargs={"pk": case.pk}),
        {"document-kind": CaseDocument.Kind.REGISTER_APPROVAL, "document-on": "2026-04-09"},
    )
    assert response.status_code == 409


def test_the_opinion_prints_the_party_s_name_as_entered(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    """The review app's document goes through the same rendering path as the cases' own; with
    cases' test of the same name, every kind that can be generated is covered."""
    from zhifa.inspections.documents_codes import SOURCES as INSPECTION_SOURCES
    from zhifa.licensing.documents import SOURCES as LICENSING_SOURCES  # read back in its tests

    others = set(documents.SPECS) | set(LICENSING_SOURCES) | set(INSPECTION_SOURCES)
    assert set(documents.document_kinds()) - others == {KIND}
    sub = flow.passed(flow.stated(party=TRICKY))
    doc = _opinion(world, Case.objects.get(pk=sub.case_id))
    assert_plain_text_for_the_party(doc, TRICKY.name)
