"""The 事先告知书 and 行政处罚决定书 print the 基准 applied, read back from PDF and DOCX
(国办发〔2022〕27号（十二）: "在行政执法决定书中对行政裁量权基准的适用情况予以明确")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from zhifa.cases.documents import document_generate
from zhifa.cases.models import CaseDocument
from zhifa.cases.tests.conftest import World
from zhifa.cases.tests.test_documents import docx_text, pdf_text
from zhifa.discretion import services
from zhifa.discretion.tests.test_services import apply, decide, stated
from zhifa.registry.models import DiscretionBenchmark

pytestmark = pytest.mark.django_db
DECIDED = date(2026, 4, 28)


def test_decision_document_prints_entry_circumstances_grade_and_approved_deviation(
    world: World, benchmark: DiscretionBenchmark, evidence_dir: object
) -> None:
    case = stated(world)
    app = apply(world, case, benchmark, fine=D(45000), deviation_reason="货值极小且已全部召回")
    services.discretion_deviation_approve(
        actor=world.p.head, application=app, way="head", reason="同意", on=DECIDED
    )
    case = decide(world, case, D(45000))
    doc = document_generate(
        actor=world.p.officer, case=case, kind=CaseDocument.Kind.PENALTY_DECISION, on=DECIDED
    )
    for text in (pdf_text(doc), docx_text(doc)):
        assert "裁量基准适用情况：适用" in text
        assert "“经营超过保质期的食品”行政处罚裁量基准（第1版）" in text
        assert "法定处罚幅度为50,000元以上100,000元以下罚款" in text
        assert "主动消除或者减轻违法行为危害后果的" in text
        assert "积极配合调查并主动提供证据材料的" in text
        assert "适用裁量阶次为从轻处罚（50,000元至65,000元）" in text
        assert "偏离裁量基准，理由：货值极小且已全部召回" in text
        assert "经本机关主要负责人批准（2026年4月28日）" in text


def test_notice_prints_the_notice_stage_application(
    world: World, benchmark: DiscretionBenchmark, evidence_dir: object
) -> None:
    case = stated(world)
    apply(world, case, benchmark, stage="notice")
    doc = document_generate(
        actor=world.p.officer, case=case, kind=CaseDocument.Kind.PENALTY_NOTICE, on=DECIDED
    )
    assert "适用裁量阶次为从轻处罚" in pdf_text(doc)
