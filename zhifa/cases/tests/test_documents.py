"""执法文书: each document generated as PDF and DOCX, read back, stored as evidence and recorded."""

from __future__ import annotations

import hashlib
import io
import json
import re
import time as clock
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.template import Context
from docx import Document
from pypdf import PdfReader

from zhifa.cases import documents, services
from zhifa.cases.amount_words import amount_in_words
from zhifa.cases.documents import case_documents, document_generate, document_template_set
from zhifa.cases.models import Case, CaseDocument, CaseStep
from zhifa.cases.rendering.markup import BlockKind, clean, parse
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import credit_code
from zhifa.record.evidence import evidence_open
from zhifa.record.models import Entry, EvidenceFile

from .conftest import (
    COMPANY,
    PENALTY_CODE,
    PERSON,
    SEIZURE_CODE,
    FileIn,
    World,
    entries_of,
    upload,
)

pytestmark = pytest.mark.django_db

D = CaseDocument.Kind
BJ = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 6, 30, 10, tzinfo=BJ)
REMEDIES = "可以在收到本决定书之日起六十日内向示范市甲区人民政府申请行政复议"
LITIGATION = "六个月内依法向人民法院提起行政诉讼"


# -- reading the files back ---------------------------------------------------------------


def _bytes(row: EvidenceFile) -> bytes:
    with evidence_open(row.sha256) as stream:
        return stream.read()


def _squash(text: str) -> str:
    """Text without whitespace: wrapped lines and table cells break anywhere."""
    return "".join(text.split())


FOOTER = re.compile(r"第\d+页共\d+页")


def pdf_pages(doc: CaseDocument) -> list[str]:
    """Each page's text, whitespace and the page-number footer removed."""
    reader = PdfReader(io.BytesIO(_bytes(doc.pdf)))
    return [FOOTER.sub("", _squash(page.extract_text())) for page in reader.pages]


def pdf_text(doc: CaseDocument) -> str:
    """The PDF's text, pages joined (a sentence running over a page break reads whole)."""
    return "".join(pdf_pages(doc))


def pdf_fonts_embedded(doc: CaseDocument) -> list[bool]:
    """For every font of every page: is its font file embedded (FontFile2 or FontFile3)?"""
    reader = PdfReader(io.BytesIO(_bytes(doc.pdf)))
    answers = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font: Any = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            answers.append("/FontFile2" in descriptor or "/FontFile3" in descriptor)
    return answers


def docx_text(doc: CaseDocument) -> str:
    document = Document(io.BytesIO(_bytes(doc.docx)))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return _squash("".join(parts))


def assert_reads(doc: CaseDocument, *texts: str) -> None:
    """Both files contain every text (whitespace ignored)."""
    in_pdf, in_docx = pdf_text(doc), docx_text(doc)
    for text in texts:
        assert _squash(text) in in_pdf, f"{text!r} not in the PDF of {doc}"
        assert _squash(text) in in_docx, f"{text!r} not in the DOCX of {doc}"


def entry_of(doc: CaseDocument) -> Entry:
    return Entry.objects.get(seq=doc.entry_seq)


# -- walking cases -------------------------------------------------------------------------


def _generate(world: World, case: Case, kind: str, on: date, **kw: Any) -> CaseDocument:
    return document_generate(actor=world.p.officer, case=case, kind=kind, on=on, at=AT, **kw)


def _penalty_case(
    world: World,
    photo: FileIn,
    *,
    fine: Decimal = Decimal(12000),
    texts: tuple[str, str, str, str] = (
        "货架上有超过保质期的牛奶12盒",
        "当事人于2026年2月20日销售超过保质期的牛奶12盒",
        "当事人的行为违反了《中华人民共和国食品安全法》第三十四条第（十）项",
        "当事人申辩系店员疏忽",
    ),
    recipient: str = "刘某某",
    **party: Any,
) -> Case:
    """A case walked through the hearing path to 结案, with a photo as evidence; ``texts`` are
    the officer's (inspection summary, facts, reasons, hearing record), ``party`` goes to
    ``world.registered``."""
    p = world.p
    summary, facts, reasons, record = texts
    case = world.registered(date(2026, 3, 4), **party)
    services.case_investigate(
        actor=p.officer,
        case=case,
        on=date(2026, 3, 5),
        kind=CaseStep.Kind.INSPECTION_RECORD,
        officers=[world.o1, world.o2],
        summary=summary,
        files=upload(p.officer, case, photo),
        place="示范市甲区幸福路1号超市内",
        started_at=time(9, 30),
        ended_at=time(10, 15),
    )
    case = world.investigated(case, date(2026, 3, 6))
    case = services.case_submit_review(actor=p.officer, case=case, on=date(2026, 3, 20))
    case = services.case_notify(
        actor=p.officer,
        case=case,
        on=date(2026, 4, 1),
        facts=facts,
        reasons=reasons,
        basis="《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        penalty_kinds=["warning", "fine"],
        fine=fine,
    )
    case = services.case_hearing_request(actor=p.officer, case=case, on=date(2026, 4, 3))
    case = services.case_hearing_notice(
        actor=p.officer,
        case=case,
        on=date(2026, 4, 8),
        hearing_on=date(2026, 4, 20),
        presider=world.reviewer_officer,
        place="本局三楼听证室",
    )
    case = services.case_hearing_hold(
        actor=p.officer,
        case=case,
        on=date(2026, 4, 20),
        record=record,
        adoption="rejected",
        adoption_reasons="店员的行为由当事人承担责任",
    )
    case = services.case_decide(
        actor=p.head,
        case=case,
        on=date(2026, 4, 28),
        penalty_kinds=["warning", "fine"],
        fine=fine,
    )
    case = services.case_serve(
        actor=p.officer,
        case=case,
        on=date(2026, 5, 8),
        method=Case.ServiceMethod.DIRECT,
        recipient=recipient,
    )
    case = services.case_payment_record(
        actor=p.officer, case=case, on=date(2026, 5, 20), amount=fine
    )
    return services.case_close(actor=p.head, case=case, on=date(2026, 5, 28), opinion="同意结案")


def _seizure_case(world: World, video: FileIn) -> Case:
    case = services.case_open(
        actor=world.p.officer,
        kind=Case.Kind.SEIZURE,
        power_code=SEIZURE_CODE,
        title="扣押过期食品",
        on=date(2026, 6, 10),
        parties=[COMPANY],
    )
    case = services.case_seizure_approve(
        actor=world.p.head, case=case, at=datetime(2026, 6, 10, 9, tzinfo=BJ)
    )
    return services.case_seizure_execute(
        actor=world.p.officer,
        case=case,
        at=datetime(2026, 6, 10, 10, tzinfo=BJ),
        officers=[world.o1, world.o2],
        measure=Case.SeizureMeasure.SEIZE,
        items=[services.SeizedItem("过期牛奶", "12盒"), services.SeizedItem("进货单据", "3张")],
        files=upload(world.p.officer, case, video),
        party_signed=True,
    )


def _simple_case(world: World) -> Case:
    case = services.case_simple_decide(
        actor=world.p.officer,
        power_code=PENALTY_CODE,
        title="未按规定公示食品经营许可证",
        on=date(2026, 6, 10),
        party=PERSON,
        penalty_kind="fine",
        fine=Decimal(200),
        officers=[world.o1, world.o2],
        place="幸福路菜市场门前",
        facts="当事人未在经营场所显著位置悬挂食品经营许可证",
        basis="《中华人民共和国食品安全法实施条例》第七十五条",
    )
    return services.case_serve(
        actor=world.p.officer, case=case, on=date(2026, 6, 10), method="on_the_spot"
    )


# -- amounts in words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.5", "伍角整"),
        ("1.05", "壹元零伍分"),
        ("10", "壹拾元整"),
        ("10.5", "壹拾元伍角整"),
        ("200", "贰佰元整"),
        ("12000", "壹万贰仟元整"),
        ("100000", "壹拾万元整"),
        ("1000010", "壹佰万零壹拾元整"),
        ("1004.56", "壹仟零肆元伍角陆分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("100010000", "壹亿零壹万元整"),
        ("10001000", "壹仟万壹仟元整"),
    ],
)
def test_amount_in_words_follows_the_bank_rules(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


@pytest.mark.parametrize("amount", ["-1", "0.001", "1e20", "NaN", "abc"])
def test_amount_in_words_refuses_what_is_not_an_amount_in_fen(amount: str) -> None:
    with pytest.raises(ValueError):
        amount_in_words(amount)


# -- markup --------------------------------------------------------------------------------


def test_markup_parses_blocks_and_case_values_cannot_start_a_block() -> None:
    text = (
        "# 标题\n\n^ 编号\n- 当事人："
        + clean("刘某\n# 假标题 | x")
        + "\n| a | b |\n|---|---|\n| 1 | 2 |\n@seal"
    )
    blocks = parse(text)
    assert [b.kind for b in blocks] == [
        BlockKind.TITLE,
        BlockKind.CENTRE,
        BlockKind.LINE,
        BlockKind.TABLE,
        BlockKind.SEAL,
    ]
    assert blocks[2].text == "当事人：刘某 # 假标题 ｜ x"
    assert blocks[3].header and blocks[3].rows == (("a", "b"), ("1", "2"))


# -- the documents of a penalty case --------------------------------------------------------


def test_every_document_of_a_penalty_case_reads_back_from_pdf_and_docx(
    world: World, photo: FileIn
) -> None:
    case = _penalty_case(world, photo)
    on = date(2026, 6, 1)
    made = {kind: _generate(world, case, kind, on) for kind in documents.SPECS if kind in _GENERAL}

    common = ("示范市甲区市场监督管理局", "刘某某")
    assert_reads(made[D.REGISTER_APPROVAL], "立案审批表", "示范市监立〔2026〕1号", *common)
    assert_reads(
        made[D.INSPECTION_RECORD],
        "现场检查笔录",
        "货架上有超过保质期的牛奶12盒",
        "现场.jpg",
        "执法证号",
    )
    assert_reads(made[D.INTERVIEW_RECORD], "询问笔录", "询问当事人，承认销售过期牛奶12盒")
    assert_reads(made[D.EVIDENCE_LIST], "证据清单", "现场.jpg", photo.sha256[:16])
    assert_reads(
        made[D.PENALTY_NOTICE],
        "行政处罚事先告知书",
        "示范市监罚告〔2026〕1号",
        "罚款人民币12000.00元（大写：壹万贰仟元整）",
        "有权要求举行听证",
        *common,
    )
    assert_reads(made[D.HEARING_RIGHT_NOTICE], "听证告知书", "示范市监罚告〔2026〕1号")
    assert_reads(made[D.HEARING_NOTICE], "听证通知书", "示范市监听通〔2026〕1号", "2026年4月20日")
    assert_reads(made[D.HEARING_RECORD], "听证笔录", "当事人申辩系店员疏忽")
    decision = made[D.PENALTY_DECISION]
    assert_reads(
        decision,
        "行政处罚决定书",
        "示范市监罚〔2026〕1号",
        *common,
        "示范市甲区幸福路1号",  # 第五十九条 (一) name and address
        "当事人于2026年2月20日销售超过保质期的牛奶12盒",  # (二) facts
        "现场检查（勘验）笔录（2026年3月5日）",  # (二) evidence
        "警告、罚款",  # (三) kind
        "第一百二十四条第一款第（五）项",  # (三) basis
        "罚款人民币12000.00元（大写：壹万贰仟元整）",
        "自收到本决定书之日起15日内",  # (四) how and by when
        REMEDIES,  # (五) remedies and their periods
        LITIGATION,
        "2026年4月28日",  # (六) agency and date
        "（印章）",
    )
    assert_reads(
        made[D.SERVICE_RECEIPT], "送达回证", "示范市监罚〔2026〕1号", "直接送达", "2026年5月8日"
    )
    assert_reads(
        made[D.CLOSE_APPROVAL],
        "结案审批表",
        "示范市监结〔2026〕1号",
        "已缴纳12000.00元（大写：壹万贰仟元整）",
        "同意结案",
    )
    for doc in made.values():
        assert all(pdf_fonts_embedded(doc)), doc
        assert doc.version == 1
        assert doc.pdf.media_type == "application/pdf"


# A penalised case has every document of its procedure but the 不予行政处罚决定书 (a case ends
# one way or the other: that document is read back in test_leniency).
_GENERAL = {
    k
    for k, spec in documents.SPECS.items()
    if Case.Kind.PENALTY_GENERAL in spec.case_kinds and k != D.NO_PENALTY_DECISION
}


def test_officers_appear_with_their_certificate_numbers(world: World, photo: FileIn) -> None:
    case = _penalty_case(world, photo)
    doc = _generate(world, case, D.REGISTER_APPROVAL, date(2026, 6, 1))
    numbers = [
        world.o1.certificates.order_by("-expires_on").first(),
        world.o2.certificates.order_by("-expires_on").first(),
    ]
    assert_reads(doc, *(f"{c.officer.name}（执法证号：{c.number}）" for c in numbers if c))


def test_each_file_is_evidence_and_its_sha256_is_in_the_record_entry(
    world: World, photo: FileIn
) -> None:
    case = _penalty_case(world, photo)
    doc = _generate(world, case, D.PENALTY_DECISION, date(2026, 6, 1))
    entry = entry_of(doc)
    assert entry.action == "document.generate" and entry.case_id == case.pk
    assert [ref.sha256 for ref in entry.file_refs] == [doc.pdf.sha256, doc.docx.sha256]
    for row in (doc.pdf, doc.docx):
        assert hashlib.sha256(_bytes(row)).hexdigest() == row.sha256
    payload = json.loads(entry.payload)
    assert payload["number"] == "示范市监罚〔2026〕1号"
    assert payload["version"] == 1 and payload["template"] == "default"
    assert entries_of(case)[-1].seq == entry.seq


def test_regenerating_adds_a_version_with_new_files_and_the_same_number(
    world: World, photo: FileIn
) -> None:
    case = _penalty_case(world, photo)
    first = _generate(world, case, D.CLOSE_APPROVAL, date(2026, 6, 1))
    second = _generate(world, case, D.CLOSE_APPROVAL, date(2026, 6, 2))
    assert (first.version, second.version) == (1, 2)
    assert first.number == second.number == "示范市监结〔2026〕1号"
    assert first.pdf_id != second.pdf_id and first.docx_id != second.docx_id
    assert first.entry_seq < second.entry_seq
    assert list(case_documents(case)) == [first, second]
    assert _bytes(first.pdf)  # the first version's file is still there


def test_numbers_taken_by_documents_are_gap_free(world: World, photo: FileIn) -> None:
    first = _penalty_case(world, photo)
    second = services.case_close(
        actor=world.p.head,
        case=services.case_payment_record(
            actor=world.p.officer,
            case=services.case_serve(
                actor=world.p.officer,
                case=world.decided(),
                on=date(2026, 5, 6),
                method=Case.ServiceMethod.DIRECT,
            ),
            on=date(2026, 5, 7),
            amount=Decimal(20000),
        ),
        on=date(2026, 5, 29),
    )
    numbers = [
        _generate(world, case, D.CLOSE_APPROVAL, date(2026, 6, 1)).number
        for case in (first, second, first)
    ]
    assert numbers == ["示范市监结〔2026〕1号", "示范市监结〔2026〕2号", "示范市监结〔2026〕1号"]
    decisions = [
        _generate(world, case, D.PENALTY_DECISION, date(2026, 6, 1)).number
        for case in (first, second)
    ]
    assert decisions == ["示范市监罚〔2026〕1号", "示范市监罚〔2026〕2号"]


def test_a_decision_cannot_be_generated_before_the_decision(world: World) -> None:
    case = world.notified(date(2026, 3, 4), date(2026, 4, 1))
    with pytest.raises(RuleViolation, match="行政处罚决定书须在作出行政处罚决定之后生成") as exc:
        _generate(world, case, D.PENALTY_DECISION, date(2026, 4, 2))
    assert "事先告知" in exc.value.message  # names the state the case is in
    assert not CaseDocument.objects.exists()


def test_documents_are_refused_where_the_procedure_has_none(world: World, video: FileIn) -> None:
    seizure = _seizure_case(world, video)
    with pytest.raises(RuleViolation, match="没有行政处罚决定书"):
        _generate(world, seizure, D.PENALTY_DECISION, date(2026, 6, 11))
    clue = world.clue()
    with pytest.raises(RuleViolation, match="尚无询问笔录"):
        _generate(world, clue, D.INTERVIEW_RECORD, date(2026, 3, 3))
    with pytest.raises(RuleViolation, match="不属于当事人可以要求听证的情形"):
        _generate(
            world,
            world.notified(date(2026, 3, 4), date(2026, 4, 1), fine=Decimal(500)),
            D.HEARING_RIGHT_NOTICE,
            date(2026, 4, 2),
        )


def test_an_archived_case_gets_no_new_document(world: World, photo: FileIn) -> None:
    case = services.case_archive(
        actor=world.p.head, case=_penalty_case(world, photo), on=date(2026, 6, 1)
    )
    with pytest.raises(RuleViolation, match="案件已归档"):
        _generate(world, case, D.PENALTY_DECISION, date(2026, 6, 2))


def test_only_the_agency_s_officers_generate_documents(world: World, photo: FileIn) -> None:
    case = _penalty_case(world, photo)
    for actor in (world.p.officer_b, world.p.supervisor, world.p.reviewer):
        with pytest.raises(RuleViolation, match="只有本机关的执法人员"):
            document_generate(
                actor=actor, case=case, kind=D.PENALTY_DECISION, on=date(2026, 6, 1), at=AT
            )


def test_a_document_cannot_be_dated_before_its_act(world: World, photo: FileIn) -> None:
    case = _penalty_case(world, photo)
    with pytest.raises(RuleViolation, match="不能早于2026年4月28日"):
        _generate(world, case, D.PENALTY_DECISION, date(2026, 4, 27))


# -- the other procedures -------------------------------------------------------------------


def test_a_seizure_decision_lists_the_items(world: World, video: FileIn) -> None:
    case = _seizure_case(world, video)
    doc = _generate(world, case, D.SEIZURE_DECISION, date(2026, 6, 10))
    assert doc.number == "示范市监强〔2026〕1号"
    assert_reads(
        doc,
        "查封（扣押）决定书",
        "示范市监强〔2026〕1号",
        "示范市甲区某某食品有限公司",
        COMPANY.credit_code,
        "过期牛奶",
        "12盒",
        "进货单据",
        "2026年7月10日",  # 30 days (第二十五条)
        REMEDIES,
    )
    assert all(pdf_fonts_embedded(doc))


def test_an_on_the_spot_decision_and_its_service_receipt(world: World) -> None:
    case = _simple_case(world)
    decision = _generate(world, case, D.SIMPLE_DECISION, date(2026, 6, 10))
    assert_reads(
        decision,
        "当场行政处罚决定书",
        "示范市监简罚〔2026〕1号",
        "刘某某",
        "罚款人民币200.00元（大写：贰佰元整）",
        "食品安全法实施条例》第七十五条",
        REMEDIES,
    )
    receipt = _generate(world, case, D.SERVICE_RECEIPT, date(2026, 6, 10))
    assert_reads(receipt, "送达回证", "当场交付", "示范市监简罚〔2026〕1号")


def test_an_inspection_record_of_an_inspection(world: World) -> None:
    case = services.case_open(
        actor=world.p.officer,
        kind=Case.Kind.INSPECTION,
        power_code="JC-001",
        title="食品经营日常监督检查",
        on=date(2026, 6, 1),
        parties=[COMPANY],
    )
    services.case_inspect(
        actor=world.p.officer,
        case=case,
        on=date(2026, 6, 2),
        officers=[world.o1, world.o2],
        summary="冷藏柜温度超标",
    )
    doc = _generate(world, case, D.INSPECTION_RECORD, date(2026, 6, 2))
    assert_reads(doc, "现场检查笔录", "示范市监检〔2026〕1号", "冷藏柜温度超标")


# -- templates -----------------------------------------------------------------------------


def test_an_agency_template_changes_the_output(world: World, photo: FileIn) -> None:
    case = _penalty_case(world, photo)
    body = documents.default_template(D.PENALTY_DECISION).replace(
        "## 一、违法事实和证据", "## 一、经本局依法查明的违法事实"
    )
    document_template_set(
        actor=world.p.head, agency=world.p.agency_a, kind=D.PENALTY_DECISION, body=body, at=AT
    )
    doc = _generate(world, case, D.PENALTY_DECISION, date(2026, 6, 1))
    assert doc.template_source == "agency"
    assert_reads(doc, "一、经本局依法查明的违法事实", REMEDIES)
    assert "一、违法事实和证据" not in pdf_text(doc)
    logged = Entry.objects.filter(action="document.template_set").get()
    assert json.loads(logged.payload)["body"] == body


def test_an_agency_template_must_compile_and_have_a_title(world: World) -> None:
    agency = world.p.agency_a
    with pytest.raises(RuleViolation, match="文书模板有误"):
        document_template_set(
            actor=world.p.head, agency=agency, kind=D.PENALTY_DECISION, body="# 标题\n{% if %}"
        )
    with pytest.raises(RuleViolation, match="须有标题行"):
        document_template_set(
            actor=world.p.head, agency=agency, kind=D.PENALTY_DECISION, body="没有标题"
        )


def test_only_the_head_or_an_administrator_sets_templates(world: World) -> None:
    for actor in (world.p.officer, world.p.officer_b):
        with pytest.raises(RuleViolation, match="修改文书模板"):
            document_template_set(
                actor=actor, agency=world.p.agency_a, kind=D.PENALTY_DECISION, body="# 标题"
            )
    document_template_set(
        actor=world.p.admin, agency=world.p.agency_a, kind=D.PENALTY_DECISION, body="# 标题"
    )


def test_every_kind_has_a_default_template_with_a_title() -> None:
    for kind in D.values:
        path = documents.default_template_path(kind)
        assert path.is_file(), path
        rendered = documents._compile(path.read_text(encoding="utf-8")).render(
            Context({"title": "标题"})
        )
        assert any(b.kind is BlockKind.TITLE for b in parse(rendered)), kind


def test_the_default_font_is_a_truetype_file_on_disk() -> None:
    font = documents.document_font()
    assert Path(font.path).is_file()
    with open(font.path, "rb") as f:
        assert f.read(4) in (b"ttcf", b"\x00\x01\x00\x00")


def test_generation_time_per_document(world: World, photo: FileIn) -> None:
    """Not a limit: prints the time per PDF and per DOCX (run with -s to see it)."""
    from zhifa.cases.rendering import DocumentMeta
    from zhifa.cases.rendering.docx import render_docx
    from zhifa.cases.rendering.pdf import render_pdf

    case = _penalty_case(world, photo)
    values, _ = documents._context(
        case, D.PENALTY_DECISION, "示范市监罚〔2026〕1号", AT.date(), None
    )
    blocks = documents.document_blocks(documents.default_template(D.PENALTY_DECISION), values)
    meta = DocumentMeta("行政处罚决定书", "x", "y", AT, 1, "z")
    runs = 5
    start = clock.perf_counter()
    for _ in range(runs):
        render_pdf(blocks, font=documents.document_font(), meta=meta)
    pdf_ms = (clock.perf_counter() - start) / runs * 1000
    start = clock.perf_counter()
    for _ in range(runs):
        render_docx(blocks, meta=meta)
    docx_ms = (clock.perf_counter() - start) / runs * 1000
    start = clock.perf_counter()
    _generate(world, case, D.PENALTY_DECISION, date(2026, 6, 1))
    total_ms = (clock.perf_counter() - start) * 1000
    print(
        f"\n决定书: PDF {pdf_ms:.0f} ms, DOCX {docx_ms:.0f} ms, document_generate {total_ms:.0f} ms"
    )
    assert pdf_ms < 2000 and docx_ms < 2000


# -- what a party receives: plain text, no doubled words or marks, numbers whole -----------

TRICKY = services.PartyInput(
    kind="organisation",
    name='示范市乙区A&B贸易有限公司 <测试> "引号"',
    credit_code=credit_code(502, prefix="91"),
    legal_representative="王某",
    address="示范市乙区商贸路2号",
)
FACTS = "经查，当事人于2026年2月20日销售超过保质期的牛奶12盒。"
FINE = Decimal(130000)
ENTITIES = ("&amp;", "&lt;", "&gt;", "&quot;", "&#x27;", "&#39;")


def _tricky_penalty_case(world: World, photo: FileIn) -> Case:
    """A case of the tricky party through every step a general-procedure document needs; the
    officer's texts begin with 经查 and end with their own full stops; a 130,000 元 fine (above
    an organisation's hearing threshold)."""
    texts = (
        "经查，货架上有超过保质期的牛奶12盒。",
        FACTS,
        "当事人的行为违反了《中华人民共和国食品安全法》第三十四条第（十）项。",
        "当事人申辩系店员疏忽。",
    )
    return _penalty_case(world, photo, fine=FINE, texts=texts, recipient="", party=TRICKY)


def _tricky_documents(world: World, photo: FileIn, video: FileIn) -> list[CaseDocument]:
    """Every kind cases builds, each generated for a case of the tricky party."""
    general = _tricky_penalty_case(world, photo)
    made = [_generate(world, general, kind, date(2026, 6, 1)) for kind in _GENERAL]
    seizure = services.case_open(
        actor=world.p.officer,
        kind=Case.Kind.SEIZURE,
        power_code=SEIZURE_CODE,
        title="扣押过期食品",
        on=date(2026, 6, 10),
        parties=[TRICKY],
    )
    seizure = services.case_seizure_approve(
        actor=world.p.head, case=seizure, at=datetime(2026, 6, 10, 9, tzinfo=BJ)
    )
    seizure = services.case_seizure_execute(
        actor=world.p.officer,
        case=seizure,
        at=datetime(2026, 6, 10, 10, tzinfo=BJ),
        officers=[world.o1, world.o2],
        measure=Case.SeizureMeasure.SEIZE,
        items=[services.SeizedItem("过期牛奶", "12盒")],
        files=upload(world.p.officer, seizure, video),
        party_signed=True,
    )
    made.append(_generate(world, seizure, D.SEIZURE_DECISION, date(2026, 6, 10)))
    simple = services.case_simple_decide(
        actor=world.p.officer,
        power_code=PENALTY_CODE,
        title="未按规定公示食品经营许可证",
        on=date(2026, 6, 10),
        party=TRICKY,
        penalty_kind="fine",
        fine=Decimal(200),
        officers=[world.o1, world.o2],
        place="幸福路菜市场门前",
        facts="经查，当事人未在经营场所显著位置悬挂食品经营许可证。",
        basis="《中华人民共和国食品安全法实施条例》第七十五条",
    )
    simple = services.case_serve(
        actor=world.p.officer, case=simple, on=date(2026, 6, 10), method="on_the_spot"
    )
    made += [_generate(world, simple, kind, date(2026, 6, 10)) for kind in _SIMPLE]
    return made


_SIMPLE = (D.SIMPLE_DECISION, D.SERVICE_RECEIPT)  # the others of a simple case are _GENERAL's


# Text a template prints when a value is missing, or template syntax left unrendered.
PLACEHOLDERS = ("（执法地点）", "（地点）", "（时间）", "None", "{{", "}}", "{%", "%}")
# What a page may hold besides the body: the signature lines, the agency, the date, the seal.
CLOSING_TEXT = re.compile(r"[^：。，；]{1,20}：_+_+年_+月_+日|\d{4}年\d{1,2}月\d{1,2}日|（印章）")


def assert_plain_text_for_the_party(doc: CaseDocument, name: str) -> None:
    """The exact name (whitespace aside: lines break anywhere), no HTML entity, no doubled
    lead-in, no doubled full stop, no placeholder — in the PDF and in the DOCX."""
    for label, text in (("PDF", pdf_text(doc)), ("DOCX", docx_text(doc))):
        assert _squash(name) in text, f"the party's name is not in the {label} of {doc}"
        for entity in ENTITIES:
            assert entity not in text, f"{entity} in the {label} of {doc}"
        assert "经查，经查" not in text, f"doubled 经查 in the {label} of {doc}"
        assert "。。" not in text, f"doubled full stop in the {label} of {doc}"
        for placeholder in PLACEHOLDERS:
            assert placeholder not in text, f"placeholder {placeholder} in the {label} of {doc}"


def assert_last_page_holds_more_than_the_closing(doc: CaseDocument, agency: str) -> None:
    """The PDF's last page has body text besides the signature lines, agency, date and seal."""
    last = pdf_pages(doc)[-1]
    rest = CLOSING_TEXT.sub("", last.replace(_squash(agency), ""))
    assert rest, f"the last page of {doc} holds only its closing: {last}"


def test_every_document_prints_the_party_s_name_as_entered_and_no_doubled_words(
    world: World, photo: FileIn, video: FileIn
) -> None:
    made = _tricky_documents(world, photo, video)

    assert {doc.kind for doc in made} == set(documents.SPECS) - {D.NO_PENALTY_DECISION}
    for doc in made:
        assert_plain_text_for_the_party(doc, TRICKY.name)
        assert_last_page_holds_more_than_the_closing(doc, world.p.agency_a.name)
    decision = next(doc for doc in made if doc.kind == D.PENALTY_DECISION)
    assert_reads(
        decision,
        "一、违法事实和证据经查，当事人于2026年2月20日销售超过保质期的牛奶12盒。",
        "本机关依法举行了听证：当事人申辩系店员疏忽。经复核，本机关不予采纳当事人的听证意见，"
        "理由：店员的行为由当事人承担责任。本案现已调查终结。",
        "第三十四条第（十）项。依据",
        "罚款人民币130000.00元（大写：壹拾叁万元整）",
    )
    notice = next(doc for doc in made if doc.kind == D.PENALTY_NOTICE)
    assert_reads(notice, "一、违法事实" + FACTS + "二、理由和依据")


def pdf_lines(doc: CaseDocument) -> list[str]:
    """The PDF's text line by line, as pypdf reads it back."""
    reader = PdfReader(io.BytesIO(_bytes(doc.pdf)))
    return [line for page in reader.pages for line in page.extract_text().splitlines()]


def test_an_amount_is_never_split_across_lines_of_the_decision(world: World, photo: FileIn) -> None:
    case = _tricky_penalty_case(world, photo)
    decision = _generate(world, case, D.PENALTY_DECISION, date(2026, 6, 1))
    whole = pdf_text(decision).count("130000.00元")
    assert whole >= 1
    assert sum(line.count("130000.00元") for line in pdf_lines(decision)) == whole


def test_numbers_stay_whole_wherever_a_line_ends_in_paragraphs_and_tables() -> None:
    """The amount is moved one character further along each paragraph and table row, so that
    some line ends fall inside it: each is read back whole from one line of the PDF."""
    from zhifa.cases.rendering import DocumentMeta
    from zhifa.cases.rendering.markup import Block
    from zhifa.cases.rendering.pdf import render_pdf

    amount = "30000.00元"
    blocks = [Block(BlockKind.TITLE, "标题")]
    for lead in range(30):
        blocks.append(
            Block(BlockKind.PARAGRAPH, "甲" * lead + f"罚款人民币{amount}（大写：叁万元整）。")
        )
        blocks.append(
            Block(
                BlockKind.TABLE, rows=(("处罚内容", "乙" * lead + f"罚款{amount}，已缴纳{amount}"),)
            )
        )
    meta = DocumentMeta("标题", "x", "y", AT, 1, "z")
    pdf = render_pdf(blocks, font=documents.document_font(), meta=meta)
    lines = [
        line
        for page in PdfReader(io.BytesIO(pdf)).pages
        for line in page.extract_text().splitlines()
    ]
    assert sum(line.count(amount) for line in lines) == 30 * 3
