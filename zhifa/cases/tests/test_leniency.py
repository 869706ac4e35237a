"""不予处罚 (《行政处罚法》第三十三条): the 首违 history check, the 公示系统 confirmation, the list
entry and its conditions, the education before closing, the 不予行政处罚决定书 and its
publication."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from zhifa.cases import services
from zhifa.cases.models import Case, CaseDocument, CaseStep
from zhifa.cases.todo_source import officer_todos
from zhifa.core.exceptions import RuleViolation
from zhifa.publicity.models import Publication
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import LenientListItem

from .conftest import COMPANY, World, entered_on
from .test_documents import _generate, assert_plain_text_for_the_party, assert_reads
from .test_history import _earlier

pytestmark = pytest.mark.django_db

FIRST = Case.NotPenalisedGround.FIRST_VIOLATION
REVIEW_ON, CHECK_ON, DECIDE_ON, EDUCATE_ON = (
    date(2026, 3, 20),
    date(2026, 3, 23),
    date(2026, 3, 25),
    date(2026, 3, 26),
)
CONDITIONS = ["初次违法（两年内无同类违法记录）", "危害后果轻微", "及时改正"]


def _case(world: World) -> Case:
    return world.in_review(date(2026, 3, 4), REVIEW_ON, party=COMPANY)


def _credit_check(world: World, case: Case, *, none_found: bool = True) -> None:
    with entered_on(CHECK_ON):
        services.case_credit_check_record(
            actor=world.p.officer,
            case=case,
            on=CHECK_ON,
            checked_by="张三",
            seen="行政处罚信息栏为空" if none_found else "2025年有一条行政处罚信息",
            none_found=none_found,
        )


def _not_penalise(world: World, case: Case, **kw: Any) -> Case:
    kw.setdefault("ground", FIRST)
    with entered_on(DECIDE_ON):
        return services.case_not_penalise(actor=world.p.head, case=case, on=DECIDE_ON, **kw)


def _todo_of(world: World, case: Case) -> str:
    (todo,) = [t for t in officer_todos(world.p.officer, EDUCATE_ON) if t.case_id == case.pk]
    return todo.what


def _list_item(world: World) -> LenientListItem:
    item = registry.lenient_item_create(
        actor=world.p.admin,
        kind=LenientListItem.Kind.FIRST_VIOLATION,
        agency=world.p.agency_a,
        issuer="国家市场监督管理总局",
        domain=world.p.domain,
        violation="经营超过保质期的食品（首违）",
        violated_provision="《中华人民共和国食品安全法》第三十四条第十项",
        basis="《中华人民共和国食品安全法》第一百二十四条第一款第五项",
        conditions=CONDITIONS,
        standard="不予行政处罚",
        measures=["stop", "recall"],
        source="国市监法〔2025〕10号",
        power_items=[world.penalty_item],
    )
    return registry.lenient_item_publish(actor=world.p.admin, item=item, on=date(2026, 1, 5))


def test_first_violation_refused_for_another_agencys_similar_case_without_its_file(
    world: World,
) -> None:
    _earlier(world, date(2025, 9, 1), agency=world.p.agency_b, number="示范市乙环罚〔2025〕3号")
    case = _case(world)
    _credit_check(world, case)
    with pytest.raises(RuleViolation) as refused:
        _not_penalise(world, case, reason="初次违法")
    message = str(refused.value)
    assert "不属于初次违法" in message
    assert f"{world.p.agency_b.name} 示范市乙环罚〔2025〕3号（2025年9月1日" in message
    assert "第三十三条第一款" in message and "首违是指两年内" in message  # rule and its source
    assert "不得外泄" not in message  # nothing of the other agency's file
    assert Case.objects.get(pk=case.pk).state == Case.State.CASE_REVIEW


def test_first_violation_needs_the_credit_system_confirmation(world: World) -> None:
    case = _case(world)
    with pytest.raises(RuleViolation, match="国家企业信用信息公示系统"):
        _not_penalise(world, case, reason="初次违法")
    _credit_check(world, case, none_found=False)
    with pytest.raises(RuleViolation, match="国家企业信用信息公示系统"):
        _not_penalise(world, case, reason="初次违法")
    _credit_check(world, case)
    case = _not_penalise(world, case, reason="初次违法")
    check = CaseStep.objects.filter(case=case, kind=CaseStep.Kind.CREDIT_CHECK).last()
    assert check is not None and check.data["checked_by"] == "张三"
    assert case.state == Case.State.NOT_PENALISED


def test_a_list_entry_needs_every_condition_ticked_and_outside_the_lists_a_reason(
    world: World,
) -> None:
    item = _list_item(world)
    case = _case(world)
    _credit_check(world, case)
    with pytest.raises(RuleViolation, match="尚未确认：及时改正"):
        _not_penalise(world, case, list_item=item.pk, conditions=["0", "1"])
    with pytest.raises(RuleViolation, match="写明不予处罚的具体理由"):
        _not_penalise(world, case)
    case = _not_penalise(world, case, list_item=item.pk, conditions=["0", "1", "2"])
    entry = Entry.objects.filter(case_id=case.pk, action="case.not_penalise").get()
    assert entry.data["leniency"]["list_item"]["source"] == "国市监法〔2025〕10号"
    assert entry.data["leniency"]["conditions"] == CONDITIONS


def test_education_is_required_before_closing_and_the_decision_reads_back(world: World) -> None:
    item = _list_item(world)
    case = _case(world)
    _credit_check(world, case)
    case = _not_penalise(world, case, list_item=item.pk, conditions=["0", "1", "2"])
    with entered_on(EDUCATE_ON), pytest.raises(RuleViolation, match="第三十三条第三款"):
        services.case_close(actor=world.p.head, case=case, on=EDUCATE_ON)
    assert _todo_of(world, case) == "下一步：登记对当事人的教育"
    with entered_on(EDUCATE_ON):
        services.case_education_record(
            actor=world.p.officer,
            case=case,
            on=EDUCATE_ON,
            method="当面批评教育",
            content="告知当事人不得经营超过保质期的食品，建立临期食品检查制度",
        )
        # Educated: the case now waits for the head to close it.
        assert _todo_of(world, case) == "待负责人审批：结案、归档"
        case = services.case_close(actor=world.p.head, case=case, on=EDUCATE_ON)
    assert case.state == Case.State.CLOSED
    doc = _generate(world, case, CaseDocument.Kind.NO_PENALTY_DECISION, EDUCATE_ON)
    assert doc.number == case.decision_number == "示范市监不罚〔2026〕1号"
    assert_reads(
        doc,
        "不予行政处罚决定书",
        "“经营超过保质期的食品（首违）”（首违不罚）",
        "《中华人民共和国行政处罚法》第三十三条第一款",
        "初次违法（两年内无同类违法记录）；危害后果轻微；及时改正",
        "2年内无同类违法记录（本平台范围内）",
        "履行召回义务",
        "第三十三条第三款",
        "以当面批评教育的方式对当事人进行了教育",
    )
    assert_plain_text_for_the_party(doc, COMPANY.name)  # no doubled stop, no placeholder


def test_the_decision_not_to_penalise_is_drafted_for_publication_where_the_deployment_publishes(
    world: World, settings: Any
) -> None:
    case = _case(world)
    _credit_check(world, case)
    case = _not_penalise(world, case, reason="初次违法，危害后果轻微并及时改正")
    publication = Publication.objects.get(case=case)
    assert publication.state == Publication.State.DRAFT  # the same redaction review
    assert publication.draft_fields["conclusion"].startswith("不予行政处罚")
    assert "不予行政处罚决定书" in publication.original_text
    settings.ZHIFA_PUBLISH_NOT_PENALISED = False
    other = world.in_review(date(2026, 3, 5), REVIEW_ON)
    other = _not_penalise(world, other, ground="no_fault")
    assert not Publication.objects.filter(case=other).exists()
