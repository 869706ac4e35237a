"""The campaign's documents are generated as PDF and DOCX through the cases' rendering machinery
and read back here; the overall report and 通报 publish through the publicity app after the
body's publisher's redaction review."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from docx import Document as Docx
from pypdf import PdfReader

from zhifa.cases.tests.conftest import World
from zhifa.core.exceptions import RuleViolation
from zhifa.evaluation import services_outcomes as services
from zhifa.evaluation.models import Report
from zhifa.evaluation.recording import evaluation_replay_check
from zhifa.evaluation.tests.outcomes_world import (
    BETTER,
    Outcomes,
    body_publisher,
    campaign_with_files,
)
from zhifa.publicity import services as publicity
from zhifa.publicity.models import Publication, PublicationVersion
from zhifa.publicity.selectors import publication_of_source
from zhifa.publicity.tests.publication_world import reviewed
from zhifa.record.evidence import evidence_open
from zhifa.record.models import Entry, EvidenceFile
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-11-17 10:00 +08:00", tick=False):
        yield


def _bytes(row: EvidenceFile | None) -> bytes:
    assert row is not None
    with evidence_open(row.sha256) as stream:
        return stream.read()


def _squash(text: str) -> str:
    return "".join(text.split())


def pdf_text(r: Report) -> str:
    return _squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(_bytes(r.pdf))).pages))


def docx_text(r: Report) -> str:
    doc = Docx(io.BytesIO(_bytes(r.docx)))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return _squash("".join([p.text for p in doc.paragraphs] + cells))


def assert_reads(r: Report, *texts: str) -> None:
    in_pdf, in_docx = pdf_text(r), docx_text(r)
    for text in texts:
        assert _squash(text) in in_pdf, f"{text!r} not in the PDF of {r}"
        assert _squash(text) in in_docx, f"{text!r} not in the DOCX of {r}"


def closed(b: Bureau, o: Outcomes, *, publish: bool = False) -> tuple[Report, Report]:
    services.campaign_report_team(actor=b.sup1, campaign=o.campaign, on=date(2026, 10, 30))
    services.campaign_feedback(actor=b.sup1, campaign=o.campaign, on=date(2026, 11, 2))
    up = services.objection_file(
        actor=b.p.head, file=o.failing, reasons="送达回证在副卷", on=date(2026, 11, 5)
    )
    services.objection_answer(
        actor=b.sup1,
        objection=up,
        upheld=True,
        answer="副卷有送达回证",
        marks=BETTER,
        on=date(2026, 11, 6),
    )
    return services.campaign_close(
        actor=b.sup1, campaign=o.campaign, on=date(2026, 11, 17), publish=publish
    )


def test_every_document_reads_back_in_pdf_and_docx(
    bureau: Bureau, world: World, template: object
) -> None:
    o = campaign_with_files(bureau, world, template)  # type: ignore[arg-type]
    overall, notice = closed(bureau, o)
    team = Report.objects.get(kind=Report.Kind.TEAM)
    assert_reads(
        team,
        "评查小组报告",
        team.number,
        "一、评查对象",
        "示范市甲区市场监督管理局",
        "王教授（专家学者）",
        o.failing.case.number,
        "无送达手续（1件案卷）",  # the main problem, from the deductions
        "处罚决定书和告知书均无送达回证",  # and its reason
        "示范市司法局",
    )
    feedback = Report.objects.get(kind=Report.Kind.FEEDBACK)
    assert_reads(
        feedback,
        "评查结果反馈意见",
        "示范市甲区市场监督管理局：",
        "得分：40分；等次：不合格",
        "《广东省行政执法案卷评查办法》第十二条第（七）项",
        "2026年11月16日",
    )
    answer = Report.objects.get(kind=Report.Kind.ANSWER)
    assert_reads(answer, "异议复核答复书", "异议成立", "复核后得分：98分（优秀）", "送达回证在副卷")
    assert_reads(overall, "评查总体报告", "共评查1个单位的案卷3件", "异议成立", "第十八条")
    assert_reads(notice, "评查结果通报", "各有关行政执法机关", "第二十五条", "主要问题")
    # the entry carries the files it made
    close = Entry.objects.get(action="evaluation.campaign.close")
    assert {f.sha256 for f in close.file_refs} == {
        r.sha256 for r in (overall.pdf, overall.docx, notice.pdf, notice.docx) if r is not None
    }


def test_the_notice_publishes_after_the_bodys_redaction_review(
    bureau: Bureau, world: World, template: object
) -> None:
    o = campaign_with_files(bureau, world, template)  # type: ignore[arg-type]
    publisher = body_publisher(bureau)
    overall, notice = closed(bureau, o, publish=True)
    pub = publication_of_source(services.publication_ref(notice))
    assert pub is not None and pub.source == Publication.Source.SUPERVISION
    assert pub.agency == bureau.body and pub.state == Publication.State.DRAFT
    assert "评查结果通报" in pub.original_text and notice.number in pub.original_text
    assert pub.known_cases == sorted([o.failing.case_id, o.good.case_id, o.vetoed.case_id])
    assert (
        Entry.objects.get(action="evaluation.report.publish_propose").data["publication"] == pub.pk
    )
    with pytest.raises(RuleViolation, match="已提出公开"):
        services.report_publication_propose(actor=bureau.sup1, report=notice, on=date(2026, 11, 17))
    with pytest.raises(RuleViolation, match="只有评查总体报告和通报"):
        services.report_publication_propose(
            actor=bureau.sup1,
            report=Report.objects.get(kind=Report.Kind.TEAM),
            on=date(2026, 11, 17),
        )
    with pytest.raises(RuleViolation, match="评查主体"):
        services.report_publication_propose(actor=bureau.far, report=overall, on=date(2026, 11, 17))
    services.report_publication_propose(actor=bureau.sup1, report=overall, on=date(2026, 11, 17))
    published = publicity.publication_publish(
        actor=publisher, publication=reviewed(pub), on=date(2026, 11, 17)
    )
    assert published.state == Publication.State.PUBLISHED
    version = PublicationVersion.objects.get(publication=published)
    assert "评查结果通报" in version.text and version.fields["number"] == notice.number
    assert not list(evaluation_replay_check([]))
