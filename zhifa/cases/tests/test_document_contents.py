"""What the documents state (read back from the PDF and the DOCX): the review of what the
party said (复核, 第四十五条), the place and time of an on-the-spot decision (第五十二条) and of
records (笔录), and the seal in its own space on a page that holds more than the seal."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
import time_machine
from docx import Document
from pypdf import PdfReader

from zhifa.cases import documents, services
from zhifa.cases.models import Case, CaseDocument, CaseStep
from zhifa.cases.rendering import DocumentMeta
from zhifa.cases.rendering.markup import Block, BlockKind
from zhifa.cases.rendering.pdf import SEAL_RADIUS, render_pdf, signature_layout
from zhifa.core.exceptions import RuleViolation

from .conftest import PENALTY_CODE, PERSON, World, entered_on
from .test_documents import (
    AT,
    BJ,
    CLOSING_TEXT,
    _bytes,
    _generate,
    _squash,
    assert_reads,
    pdf_pages,
    pdf_text,
)

pytestmark = pytest.mark.django_db

D = CaseDocument.Kind


# -- 复核: the decision says whether what the party said was adopted ------------------------


def test_the_decision_states_that_the_statement_was_not_adopted_and_why(world: World) -> None:
    case = world.decided()
    decision = _generate(world, case, D.PENALTY_DECISION, date(2026, 4, 28))
    assert_reads(
        decision,
        "当事人进行了陈述、申辩：当事人称系店员疏忽。经复核，本机关不予采纳当事人的陈述、申辩意见，"
        "理由：店员的行为由当事人承担责任。本案现已调查终结。",
    )


def _decide(world: World, case: Case) -> Case:
    with entered_on(date(2026, 4, 28)):
        return services.case_decide(
            actor=world.p.head,
            case=case,
            on=date(2026, 4, 28),
            penalty_kinds=["warning", "fine"],
            fine=Decimal(20000),
        )


def test_the_decision_states_a_partly_adopted_statement(world: World) -> None:
    case = world.notified(date(2026, 3, 4), date(2026, 4, 1))
    with entered_on(date(2026, 4, 2)):
        services.case_statement_record(
            actor=world.p.officer,
            case=case,
            on=date(2026, 4, 2),
            content="当事人称系初次违法",
            adoption="partly",
            adoption_reasons="初次违法属实，但不符合不予处罚的条件。",
        )
    decision = _generate(world, _decide(world, case), D.PENALTY_DECISION, date(2026, 4, 28))
    assert_reads(
        decision,
        "经复核，本机关部分采纳当事人的陈述、申辩意见，理由：初次违法属实，但不符合不予处罚的条件。",
    )


def test_the_decision_states_that_the_party_waived_the_statement(world: World) -> None:
    case = world.notified(date(2026, 3, 4), date(2026, 4, 1))
    with entered_on(date(2026, 4, 2)):
        services.case_statement_record(
            actor=world.p.officer, case=case, on=date(2026, 4, 2), content="", waived=True
        )
    decision = _generate(world, _decide(world, case), D.PENALTY_DECISION, date(2026, 4, 28))
    assert_reads(decision, "当事人明确表示放弃陈述、申辩权利。本案现已调查终结。")
    assert "经复核" not in pdf_text(decision)


def test_the_decision_states_that_nothing_was_said_within_the_period(world: World) -> None:
    case = world.notified(date(2026, 3, 4), date(2026, 4, 1))
    decision = _generate(world, _decide(world, case), D.PENALTY_DECISION, date(2026, 4, 28))
    assert_reads(decision, "当事人在规定期限内未提出陈述、申辩，视为放弃此权利。本案现已调查终结。")


@pytest.mark.parametrize(
    ("adoption", "reasons", "field"),
    [
        ("", "", "adoption"),
        ("rejected", "", "adoption_reasons"),
        ("partly", " ", "adoption_reasons"),
    ],
)
def test_a_statement_is_refused_without_its_review(
    world: World, adoption: str, reasons: str, field: str
) -> None:
    case = world.notified(date(2026, 3, 4), date(2026, 4, 1))
    with entered_on(date(2026, 4, 2)), pytest.raises(RuleViolation) as refused:
        services.case_statement_record(
            actor=world.p.officer,
            case=case,
            on=date(2026, 4, 2),
            content="当事人称系店员疏忽",
            adoption=adoption,
            adoption_reasons=reasons,
        )
    assert refused.value.field == field
    assert "第四十五条第一款" in refused.value.article


def test_an_adopted_statement_needs_no_reasons_and_is_recorded(world: World) -> None:
    case = world.notified(date(2026, 3, 4), date(2026, 4, 1))
    with entered_on(date(2026, 4, 2)):
        services.case_statement_record(
            actor=world.p.officer,
            case=case,
            on=date(2026, 4, 2),
            content="当事人称已下架",
            adoption="adopted",
        )
    step = CaseStep.objects.get(case=case, kind=CaseStep.Kind.STATEMENT)
    assert step.data["adoption"] == "adopted"


# -- 当场行政处罚决定书: place and time --------------------------------------------------------


def _simple(world: World, **kw: object) -> Case:
    args: dict[str, object] = {
        "actor": world.p.officer,
        "power_code": PENALTY_CODE,
        "title": "占道经营",
        "on": date(2026, 6, 10),
        "party": PERSON,
        "penalty_kind": "fine",
        "fine": Decimal(100),
        "officers": [world.o1, world.o2],
        "facts": "当事人在幸福路占道摆摊",
        "place": "示范市甲区幸福路12号门前",
        "at": datetime(2026, 6, 10, 15, 20, tzinfo=BJ),
    }
    args.update(kw)
    with entered_on(date(2026, 6, 10)):
        return services.case_simple_decide(**args)  # type: ignore[arg-type]


def test_the_on_the_spot_decision_prints_its_place_and_time(world: World) -> None:
    case = _simple(world)
    doc = _generate(world, case, D.SIMPLE_DECISION, date(2026, 6, 10))
    assert_reads(doc, "处罚时间：2026年6月10日15时20分", "执法地点：示范市甲区幸福路12号门前")
    assert "（执法地点）" not in pdf_text(doc)


def test_the_on_the_spot_decision_is_refused_without_a_place(world: World) -> None:
    with pytest.raises(RuleViolation) as refused:
        _simple(world, place=" ")
    assert refused.value.field == "place"
    assert "第五十二条" in refused.value.article
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "moment",
    [datetime(2026, 6, 11, 9, 0, tzinfo=BJ), datetime(2026, 6, 9, 9, 0, tzinfo=BJ)],
    ids=["next-day", "day-before"],
)
def test_the_on_the_spot_time_is_on_the_decision_s_day(world: World, moment: datetime) -> None:
    with pytest.raises(RuleViolation) as refused:
        _simple(world, at=moment)
    assert refused.value.field == "at"


def test_the_on_the_spot_time_is_not_in_the_future(world: World) -> None:
    with (
        time_machine.travel(datetime(2026, 6, 10, 15, 0, tzinfo=BJ), tick=False),
        pytest.raises(RuleViolation) as refused,
    ):
        services.case_simple_decide(
            actor=world.p.officer,
            power_code=PENALTY_CODE,
            title="占道经营",
            on=date(2026, 6, 10),
            party=PERSON,
            penalty_kind="warning",
            officers=[world.o1, world.o2],
            place="幸福路",
            at=datetime(2026, 6, 10, 15, 30, tzinfo=BJ),
        )
    assert refused.value.field == "at"


# -- 笔录: place and time of day --------------------------------------------------------------


def _interview(world: World, case: Case, **kw: object) -> CaseStep:
    with time_machine.travel(datetime(2026, 3, 5, 18, 0, tzinfo=BJ), tick=False):
        return services.case_investigate(
            actor=world.p.officer,
            case=case,
            on=date(2026, 3, 5),
            kind=CaseStep.Kind.INTERVIEW_RECORD,
            officers=[world.o1, world.o2],
            summary="询问当事人，承认销售过期牛奶12盒",
            **kw,  # type: ignore[arg-type]
        )


def test_the_interview_record_prints_its_place_and_start_and_end_time(world: World) -> None:
    case = world.registered()
    step = _interview(
        world, case, place="本局第一询问室", started_at=time(9, 5), ended_at=time(10, 40)
    )
    assert step.data["place"] == "本局第一询问室"
    doc = _generate(world, case, D.INTERVIEW_RECORD, date(2026, 3, 5))
    assert_reads(doc, "时间：2026年3月5日9时05分至10时40分", "地点：本局第一询问室")


@pytest.mark.parametrize(
    ("started", "ended", "field"),
    [
        (time(10, 0), time(9, 0), "ended_at"),
        (time(10, 0), time(10, 0), "ended_at"),
        (None, time(10, 0), "started_at"),
        (time(17, 0), time(18, 6), "ended_at"),  # six minutes after now
        (time(18, 6), None, "started_at"),
    ],
    ids=["end-before-start", "end-at-start", "end-without-start", "end-future", "start-future"],
)
def test_a_record_s_times_are_refused_when_impossible(
    world: World, started: time | None, ended: time | None, field: str
) -> None:
    case = world.registered()
    with pytest.raises(RuleViolation) as refused:
        _interview(world, case, started_at=started, ended_at=ended)
    assert refused.value.field == field
    assert "第四十七条" in refused.value.article


def test_a_record_ending_now_is_accepted(world: World) -> None:
    case = world.registered()
    step = _interview(world, case, started_at=time(17, 0), ended_at=time(18, 0))
    assert (step.data["started_at"], step.data["ended_at"]) == ("17:00", "18:00")


def test_the_inspection_record_prints_its_place_and_times(world: World) -> None:
    case = world.registered()
    with time_machine.travel(datetime(2026, 3, 5, 18, 0, tzinfo=BJ), tick=False):
        services.case_investigate(
            actor=world.p.officer,
            case=case,
            on=date(2026, 3, 5),
            kind=CaseStep.Kind.INSPECTION_RECORD,
            officers=[world.o1, world.o2],
            summary="货架上有超过保质期的牛奶12盒",
            place="示范市甲区幸福路1号超市内",
            started_at=time(14, 0),
            ended_at=time(14, 45),
        )
    doc = _generate(world, case, D.INSPECTION_RECORD, date(2026, 3, 5))
    assert_reads(doc, "时间：2026年3月5日14时00分至14时45分", "地点：示范市甲区幸福路1号超市内")


# -- the seal: its own space, never alone on a page -------------------------------------------


def test_the_seal_s_space_starts_below_the_text_and_holds_the_signature() -> None:
    for top in (40.0, 120.5, 200.0):
        layout = signature_layout(top, 2)
        assert layout.circle_top > top  # nothing above is covered
        assert layout.bottom >= layout.circle_top + 2 * SEAL_RADIUS
        # the agency and the date are inside the circle, a little below its centre
        assert layout.circle_top < layout.text_top < layout.centre_y
        assert layout.text_top + 2 * 8.0 < layout.circle_top + 2 * SEAL_RADIUS
        assert layout.label_top >= layout.text_top + 2 * 8.0


def _closing(blocks: list[Block]) -> list[Block]:
    return [
        *blocks,
        Block(BlockKind.SIGN, "当事人签收"),
        Block(BlockKind.RIGHT, "示范市甲区市场监督管理局"),
        Block(BlockKind.RIGHT, "2026年6月10日"),
        Block(BlockKind.SEAL),
    ]


def test_no_page_holds_only_the_closing_however_long_the_body() -> None:
    """The body grows line by line, so that the page ends at every point of the closing: the
    last page always holds the body's last paragraph too."""
    meta = DocumentMeta("标题", "x", "y", AT, 1, "z")
    font = documents.document_font()
    for lines in range(18, 34):
        blocks = _closing(
            [Block(BlockKind.TITLE, "标题")]
            + [Block(BlockKind.PARAGRAPH, f"第{i}段正文。") for i in range(lines)]
            + [Block(BlockKind.PARAGRAPH, "最后一段正文。")]
        )
        pdf = render_pdf(blocks, font=font, meta=meta)
        pages = [_squash(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
        assert "最后一段正文。" in pages[-1], (lines, pages[-1])
        assert "（印章）" in pages[-1] and "当事人签收" in pages[-1]


def test_the_docx_keeps_the_closing_with_the_last_paragraph(world: World) -> None:
    case = world.decided()
    decision = _generate(world, case, D.PENALTY_DECISION, date(2026, 4, 28))
    paragraphs = Document(io.BytesIO(_bytes(decision.docx))).paragraphs
    texts = [p.text for p in paragraphs]
    last_body = next(
        i for i, t in enumerate(texts) if t.startswith("申请行政复议或者提起行政诉讼期间")
    )
    kept = [p.paragraph_format.keep_with_next for p in paragraphs[last_body:-1]]
    assert kept and all(kept)
    assert texts[-1] == "（印章）"


def test_every_page_of_a_long_decision_holds_body_text(world: World) -> None:
    case = world.decided()
    decision = _generate(world, case, D.PENALTY_DECISION, date(2026, 4, 28))
    for page in pdf_pages(decision):
        assert CLOSING_TEXT.sub("", page.replace("示范市甲区市场监督管理局", ""))
