"""The documents of a governed inspection, generated as PDF and DOCX and read back: the 审批表,
the 通知书 (basis, acting body, ground, this year's count and the cap, the discipline rules, the
right to ask for recusal, the QR of the code page), the 现场检查笔录 with its discipline
checklist, the 检查结果告知书 and the 责令整改通知书, each numbered like the other 文书."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from zhifa.cases import services as cs
from zhifa.cases.documents import document_generate, documents_available
from zhifa.cases.models import Case, CaseDocument
from zhifa.cases.tests.conftest import entered_on
from zhifa.cases.tests.test_documents import (
    assert_plain_text_for_the_party,
    assert_reads,
    docx_text,
    pdf_text,
)
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.inspections.models import Ground, Inspection

from .codes_world import SH, CodesWorld, codes_world_build, evidence_in, inspection_make

pytestmark = pytest.mark.django_db

D = CaseDocument.Kind
AT = datetime(2026, 3, 20, 10, tzinfo=SH)
BASIS = "《中华人民共和国食品安全法》第一百一十条"


@pytest.fixture
def codes(personas: Personas, settings: Any, tmp_path: Path) -> CodesWorld:
    evidence_in(settings, tmp_path)
    return codes_world_build(personas)


def _generate(w: CodesWorld, case: Case, kind: str, on: date = date(2026, 3, 20)) -> CaseDocument:
    return document_generate(actor=w.p.officer, case=case, kind=kind, on=on, at=AT)


def test_the_notice_shows_basis_body_ground_count_cap_discipline_recusal_and_code(
    codes: CodesWorld, settings: object
) -> None:
    settings.ZHIFA_SITE_URL = "https://zhifa.example.cn"  # type: ignore[attr-defined]
    inspection_make(codes, opened_on=date(2026, 3, 2))  # this agency's first this year
    second = inspection_make(
        codes, opened_on=date(2026, 3, 10), ground=Ground.CLUE, ground_reference="12345-0310"
    )
    notice = _generate(codes, second.case, D.INSPECTION_NOTICE)
    assert notice.number == second.case.number == "示范市监检〔2026〕2号"
    assert_reads(
        notice,
        "行政检查通知书",
        "示范市监检〔2026〕2号",
        f"依据{BASIS}",
        "本机关（示范市甲区市场监督管理局）",
        "执法主体：示范市甲区市场监督管理局",
        "检查类型及任务来源：个案线索核查（12345-0310）",
        "本年度本机关对该单位实施行政检查第2次，尚未公布年度检查频次上限",
        "严禁逐利检查",
        "不得接受被检查企业任何馈赠、报酬、福利待遇",
        "不得刻意要求法定代表人到场",
        "不得以观摩、督导、考察等名义行检查之实",
        "国办发〔2024〕54号",
        "被检查人有权申请回避",
        "《中华人民共和国行政处罚法》第四十三条",
        f"检查码：{second.code}",
        f"https://zhifa.example.cn/public/inspections/code/{second.code}/",
    )
    # the eight 不得 in both files
    for text in (pdf_text(notice), docx_text(notice)):
        assert text.count("不得") >= 8
    assert_plain_text_for_the_party(notice, codes.entity.name)  # no placeholder, no doubling


def test_the_notice_waits_for_the_heads_approval_the_approval_form_does_not(
    codes: CodesWorld,
) -> None:
    requested = inspection_make(
        codes, opened_on=date(2026, 3, 10), state=Inspection.State.REQUESTED
    )
    kinds = [k for k, _ in documents_available(requested.case)]
    assert D.INSPECTION_APPROVAL in kinds and D.INSPECTION_NOTICE not in kinds
    with pytest.raises(RuleViolation, match="须在负责人批准检查"):
        _generate(codes, requested.case, D.INSPECTION_NOTICE)
    form = _generate(codes, requested.case, D.INSPECTION_APPROVAL)
    assert form.number == requested.case.number
    assert_reads(
        form,
        "行政检查审批表",
        "检查对象 示范市甲区某某食品有限公司",
        f"检查依据 {BASIS}",
        "检查类型及任务来源 日常检查",
        "审批状态 待审批",
        "本年度本机关对该单位实施行政检查第0次",
        "行政检查须事先经行政执法主体负责人批准",
    )


def test_the_on_site_record_carries_the_discipline_checklist_and_results_are_numbered(
    codes: CodesWorld,
) -> None:
    p = codes.p
    inspection = inspection_make(codes, opened_on=date(2026, 3, 10))
    case = inspection.case
    with entered_on(date(2026, 3, 12)):
        cs.case_inspect(
            actor=p.officer,
            case=case,
            on=date(2026, 3, 12),
            officers=[p.officer.officer, p.officer2.officer],  # type: ignore[list-item]
            summary="检查食品贮存场所，发现部分食品未按标签标示条件贮存。",
            place="示范市甲区工业路8号",
        )
    record = _generate(codes, case, D.INSPECTION_RECORD)
    assert_reads(
        record,
        "现场检查笔录",
        "检查纪律执行情况（五个严禁、八个不得）",
        "严禁逐利检查：不得强制企业接受指定的中介机构提供服务",
        "严禁下达检查指标：不得将考核考评、预算项目绩效与检查频率、罚款数额挂钩",
        "□遵守□未遵守",
    )
    assert pdf_text(record).count("□遵守") == 8
    with pytest.raises(RuleViolation, match="须在记录检查结论之后生成"):
        _generate(codes, case, D.INSPECTION_RESULT)
    with entered_on(date(2026, 3, 13)):
        cs.case_findings_record(
            actor=p.officer,
            case=case,
            on=date(2026, 3, 13),
            outcome=Case.InspectionOutcome.RECTIFY,
            findings="部分食品未按标签标示条件贮存",
            rectification_due_on=date(2026, 3, 27),
        )
    result = _generate(codes, case, D.INSPECTION_RESULT)
    order = _generate(codes, case, D.RECTIFICATION_NOTICE)
    assert result.number == "示范市监检结〔2026〕1号"
    assert order.number == "示范市监责改〔2026〕1号"
    assert_reads(
        result,
        "检查结果告知书",
        "检查结论：责令整改",
        "部分食品未按标签标示条件贮存",
        "《责令整改通知书》（示范市监责改〔2026〕1号）",
        "2026年3月27日前整改完毕",
        "本年度本机关对该单位实施行政检查第1次",
    )
    assert_reads(
        order,
        "责令整改通知书",
        "示范市监责改〔2026〕1号",
        "2026年3月27日前整改完毕",
        "可以在收到本通知书之日起六十日内",
    )
    for doc in (record, result, order):
        assert_plain_text_for_the_party(doc, codes.entity.name)
    again = _generate(codes, case, D.INSPECTION_RESULT, on=date(2026, 3, 21))
    assert (again.version, again.number) == (2, result.number)


def test_a_plain_inspection_case_has_none_of_the_governed_documents(codes: CodesWorld) -> None:
    p = codes.p
    with entered_on(date(2026, 3, 10)):
        case = cs.case_open(
            actor=p.officer,
            kind=Case.Kind.INSPECTION,
            power_code="JC-101",
            title="未纳入检查管理的检查",
            on=date(2026, 3, 10),
        )
    with pytest.raises(RuleViolation, match="不是涉企行政检查"):
        _generate(codes, case, D.INSPECTION_APPROVAL)
