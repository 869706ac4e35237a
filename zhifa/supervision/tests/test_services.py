"""Supervision matters, service by service: who may act, the 条例 refusals, the time limits at
their boundaries (on the default and on a non-default province table) and the record entries."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.test import override_settings

from zhifa.cases.tests.conftest import World, entries_of
from zhifa.core.exceptions import RuleViolation
from zhifa.record.models import Entry
from zhifa.record.services import evidence_store
from zhifa.record.verification import replay_checkers
from zhifa.registry.models import Certificate
from zhifa.registry.selectors import officer_may_act
from zhifa.supervision import guards, services, transitions
from zhifa.supervision.models import Document, Matter, Objection, Step
from zhifa.supervision.selectors import (
    head_todos,
    matters_visible_to,
    rectifications_overdue,
    supervision_replay_check,
    supervisor_todos,
)

from .conftest import Bureau

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


ON = date(2026, 3, 2)  # a Monday


def last(action: str) -> Entry:
    entry = Entry.objects.filter(action=action).order_by("-seq").first()
    assert entry is not None, action
    return entry


def opened(b: Bureau, **kw: object) -> Matter:
    args: dict[str, object] = {
        "actor": b.sup1,
        "agency": b.p.agency_a,
        "origin": Matter.Origin.COMPLAINT,
        "origin_ref": "TS-1",
        "title": "甲区市场监管局对同一事实重复罚款",
        "summary": "群众投诉同一违法事实被两次罚款",
        "on": ON,
    }
    args.update(kw)
    return services.matter_open(**args)  # type: ignore[arg-type]


def investigating(b: Bureau) -> Matter:
    m = opened(b)
    services.matter_accept(actor=b.sup1, matter=m, on=ON)
    services.matter_measure_record(
        actor=b.sup1,
        matter=m,
        kind=Step.Kind.INSPECTION,
        text="调取执法记录仪视频，核对罚款决定",
        supervisors=[b.sup1, b.sup2],
        on=ON,
    )
    return Matter.objects.get(pk=m.pk)


def opinion(b: Bureau, m: Matter, on: date = ON) -> Document:
    return services.matter_document_issue(
        actor=b.sup1,
        matter=m,
        kind=Document.Kind.OPINION,
        findings="同一违法行为给予两次罚款",
        requirement="撤销第二次罚款决定并退还罚款",
        on=on,
    )


# -- the table --------------------------------------------------------------------------------


def test_every_precondition_of_the_table_is_a_guard() -> None:
    for moves in transitions.MATTER.values():
        for move in moves:
            assert move.service in transitions.SERVICE_LABELS
            for name in move.preconditions:
                assert callable(getattr(guards, name)), name


# -- 登记 -------------------------------------------------------------------------------------


def test_matter_open_numbers_records_and_puts_the_opener_on_the_team(bureau: Bureau) -> None:
    m = opened(bureau)
    assert m.state == Matter.State.REGISTERED
    assert m.number == "示范市司法局〔2026〕监1号"
    assert m.body == bureau.body
    entry = last("supervision.matter.open")
    assert entry.data["matter"] == m.pk
    assert entry.data["rows"][f"supervision.matter:{m.pk}"]["origin"] == "complaint"
    assert entry.actor_id == bureau.sup1.pk
    assert m.team.get().account == bureau.sup1
    assert opened(bureau).number == "示范市司法局〔2026〕监2号"


def test_matter_open_refuses_an_agency_outside_the_region(bureau: Bureau) -> None:
    with pytest.raises(RuleViolation, match="不在本监督机构的监督范围内"):
        opened(bureau, actor=bureau.far)


def test_matter_open_refuses_anyone_but_a_supervisor_of_a_body(bureau: Bureau) -> None:
    with pytest.raises(RuleViolation, match="第六条"):
        opened(bureau, actor=bureau.p.head)
    with pytest.raises(RuleViolation, match="第六条"):
        opened(bureau, actor=bureau.p.supervisor)  # a supervisor with no 司法局


def test_key_supervision_needs_its_method_and_special_needs_a_province(bureau: Bureau) -> None:
    with pytest.raises(RuleViolation, match="挂牌督办或者提级监督"):
        opened(bureau, kind=Matter.Kind.KEY)
    m = opened(bureau, kind=Matter.Kind.KEY, key_method=Matter.KeyMethod.LISTED)
    assert m.get_key_method_display() == "挂牌督办"
    plan = {
        "departments": "各市场监管部门",
        "focus": "重复罚款",
        "schedule": "2026年3月至6月",
        "requirements": "逐案核查",
        "approved_by": "示范市人民政府",
        "approved_on": "2026-02-20",
    }
    with pytest.raises(RuleViolation, match=r"省级以上.*第二十一条"):
        opened(bureau, kind=Matter.Kind.SPECIAL, plan=plan)


def test_special_supervision_of_a_province_needs_an_approved_plan(bureau: Bureau) -> None:
    bureau.body.level = "province"
    bureau.body.save()
    with pytest.raises(RuleViolation, match="监督重点"):
        opened(bureau, kind=Matter.Kind.SPECIAL, plan={"departments": "各部门"})
    plan = {
        "departments": "各部门",
        "focus": "重复罚款",
        "schedule": "三个月",
        "requirements": "逐案",
    }
    with pytest.raises(RuleViolation, match="报本级人民政府批准"):
        opened(bureau, kind=Matter.Kind.SPECIAL, plan=plan)
    m = opened(
        bureau,
        kind=Matter.Kind.SPECIAL,
        plan={**plan, "approved_by": "某省人民政府", "approved_on": "2026-02-20"},
    )
    assert m.kind == Matter.Kind.SPECIAL


# -- 受理 / 不予受理 / 移送 ----------------------------------------------------------------------


def test_a_dispute_under_review_or_litigation_is_refused_with_guidance(bureau: Bureau) -> None:
    m = opened(bureau)
    with pytest.raises(RuleViolation, match=r"行政复议程序.*不重复监督.*引导.*第三十三条"):
        services.matter_accept(actor=bureau.sup1, matter=m, on=ON, under_review=True)
    with pytest.raises(RuleViolation, match="行政诉讼程序"):
        services.matter_accept(actor=bureau.sup1, matter=m, on=ON, under_litigation=True)
    m = services.matter_refuse(actor=bureau.sup1, matter=m, reason="review_or_litigation", on=ON)
    assert m.state == Matter.State.REFUSED
    assert "引导当事人依法参加行政复议" in m.reason
    assert last("supervision.matter.refuse").data["to"] == "refused"
    with pytest.raises(RuleViolation, match=r"不予受理.*不能受理"):
        services.matter_accept(actor=bureau.sup1, matter=m, on=ON)


def test_refusal_needs_a_reason(bureau: Bureau) -> None:
    with pytest.raises(RuleViolation, match="请写明理由"):
        services.matter_refuse(actor=bureau.sup1, matter=opened(bureau), reason=" ", on=ON)


@pytest.mark.parametrize(
    ("limits", "due"),
    [
        ({}, date(2026, 3, 12)),  # 10 days (四川 31)
        (
            {"supervision.transfer": {"count": 5, "unit": "workdays", "source": "某省规定第五条"}},
            date(2026, 3, 9),
        ),
    ],
)
def test_transfer_is_due_by_the_configured_limit(
    bureau: Bureau, limits: dict[str, object], due: date
) -> None:
    with override_settings(ZHIFA_TIME_LIMITS=limits):
        m = services.matter_transfer(
            actor=bureau.sup1,
            matter=opened(bureau),
            transfer_to="示范市生态环境局",
            reason="不属于本机构管辖",
            on=ON,
        )
    assert (m.state, m.transfer_due) == (Matter.State.TRANSFERRED, due)
    assert last("supervision.matter.transfer").data["to"] == "transferred"


# -- the team: two certified supervisors, recusal ------------------------------------------------


def test_an_investigation_step_needs_two_certified_supervisors(bureau: Bureau) -> None:
    m = opened(bureau)
    services.matter_accept(actor=bureau.sup1, matter=m, on=ON)
    step_args = {"matter": m, "kind": Step.Kind.INSPECTION, "text": "现场检查", "on": ON}
    with pytest.raises(RuleViolation, match=r"两名以上.*广东省行政执法监督条例"):
        services.matter_measure_record(actor=bureau.sup1, supervisors=[bureau.sup1], **step_args)  # type: ignore[arg-type]
    with pytest.raises(RuleViolation, match=r"外市监督不是本监督机构的监督人员.*第二十二条"):
        services.matter_measure_record(
            actor=bureau.sup1,
            supervisors=[bureau.sup1, bureau.far],
            **step_args,  # type: ignore[arg-type]
        )
    with pytest.raises(RuleViolation, match="何无证未持有当日有效的行政执法监督证"):
        services.matter_measure_record(
            actor=bureau.sup1,
            supervisors=[bureau.sup1, bureau.sup3],
            **step_args,  # type: ignore[arg-type]
        )
    step = services.matter_measure_record(
        actor=bureau.sup1,
        supervisors=[bureau.sup1, bureau.sup2],
        **step_args,  # type: ignore[arg-type]
    )
    assert Matter.objects.get(pk=m.pk).state == Matter.State.INVESTIGATING
    entry = last("supervision.matter.measure")
    assert entry.data["from"] == "accepted" and entry.data["to"] == "investigating"
    assert [s["name"] for s in step.supervisors] == ["陈监督", "林监督"]


def test_a_certificate_expired_that_day_does_not_count(bureau: Bureau) -> None:
    m = opened(bureau)
    services.matter_accept(actor=bureau.sup1, matter=m, on=ON)
    with pytest.raises(RuleViolation, match="陈监督、林监督未持有"):
        services.matter_measure_record(
            actor=bureau.sup1,
            matter=m,
            kind=Step.Kind.TALK,
            text="约谈纪要",
            supervisors=[bureau.sup1, bureau.sup2],
            on=date(2029, 1, 2),
        )


def test_a_recused_supervisor_takes_no_further_part(bureau: Bureau) -> None:
    m = opened(bureau)
    services.matter_team_join(actor=bureau.sup1, matter=m, account=bureau.sup2, on=ON)
    services.matter_recuse(
        actor=bureau.sup2, matter=m, account=bureau.sup2, reason="与被投诉人系近亲属", on=ON
    )
    entry = last("supervision.matter.recuse")
    assert any(r["recusal_reason"] == "与被投诉人系近亲属" for r in entry.data["rows"].values())
    services.matter_accept(actor=bureau.sup1, matter=m, on=ON)
    with pytest.raises(RuleViolation, match="林监督已申请回避"):
        services.matter_measure_record(
            actor=bureau.sup1,
            matter=m,
            kind=Step.Kind.INTERVIEW,
            text="访谈",
            supervisors=[bureau.sup1, bureau.sup2],
            on=ON,
        )
    with pytest.raises(RuleViolation, match="林监督已申请回避"):
        services.matter_explanation_request(actor=bureau.sup2, matter=m, text="说明", on=ON)
    with pytest.raises(RuleViolation, match="已经回避"):
        services.matter_recuse(actor=bureau.sup1, matter=m, account=bureau.sup2, reason="x", on=ON)


# -- measures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limits", "due"),
    [
        ({}, date(2026, 3, 16)),  # 10 working days (上海 20)
        (
            {"supervision.explanation_answer": {"count": 10, "unit": "days", "source": "四川32"}},
            date(2026, 3, 12),
        ),
    ],
)
def test_an_explanation_is_due_by_the_configured_limit(
    bureau: Bureau, limits: dict[str, object], due: date
) -> None:
    m = investigating(bureau)
    with override_settings(ZHIFA_TIME_LIMITS=limits):
        req = services.matter_explanation_request(
            actor=bureau.sup1, matter=m, text="请说明两次罚款的依据", on=ON
        )
    assert req.due_on == due
    assert (
        last("supervision.matter.explanation_request").data["rows"][f"supervision.step:{req.pk}"][
            "due_on"
        ]
        == due.isoformat()
    )


@pytest.mark.parametrize(
    ("day", "late"),
    [(date(2026, 3, 13), False), (date(2026, 3, 16), False), (date(2026, 3, 17), True)],
)
def test_the_head_answers_a_request_late_after_its_last_day(
    bureau: Bureau, day: date, late: bool
) -> None:
    m = investigating(bureau)
    req = services.matter_explanation_request(actor=bureau.sup1, matter=m, text="请说明", on=ON)
    pdf = evidence_store(
        io.BytesIO(b"%PDF-1.4 explanation"), name="说明.pdf", media_type="application/pdf"
    )
    answer = services.matter_explanation_answer(
        actor=bureau.p.head, request=req, text="第二次罚款系录入错误", on=day, files=[pdf.ref]
    )
    entry = last("supervision.matter.explanation_answer")
    assert entry.data["late"] is late
    assert [f.sha256 for f in entry.file_refs] == [pdf.sha256]
    assert answer.answers == req
    with pytest.raises(RuleViolation, match="已经答复"):
        services.matter_explanation_answer(actor=bureau.p.head, request=req, text="再说明", on=day)


def test_only_the_agencys_head_answers(bureau: Bureau) -> None:
    m = investigating(bureau)
    req = services.matter_explanation_request(actor=bureau.sup1, matter=m, text="请说明", on=ON)
    with pytest.raises(RuleViolation, match="被监督机关的负责人"):
        services.matter_explanation_answer(actor=bureau.p.officer, request=req, text="x", on=ON)


def test_reading_a_case_file_is_an_entry_and_changes_nothing_of_the_case(
    bureau: Bureau, world: World
) -> None:
    case = world.clue(on=ON)
    before = entries_of(case)
    m = investigating(bureau)
    step = services.matter_case_file_read(actor=bureau.sup1, matter=m, case_id=case.pk, on=ON)
    assert step.case_id == case.pk
    assert last("supervision.matter.case_file_read").data["case"] == case.pk
    assert entries_of(case) == before  # the case itself is untouched (条例第八条)
    other = bureau.p.agency_b
    assert other != case.agency


def test_a_case_of_another_agency_is_not_read_from_the_matter(bureau: Bureau, world: World) -> None:
    case = world.clue(on=ON)
    m = opened(bureau, agency=bureau.p.agency_b)
    services.matter_accept(actor=bureau.sup1, matter=m, on=ON)
    with pytest.raises(RuleViolation, match="只能调阅被监督机关"):
        services.matter_case_file_read(actor=bureau.sup1, matter=m, case_id=case.pk, on=ON)


# -- outcomes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limits", "due"),
    [
        ({}, date(2026, 4, 1)),  # 30 days (广东 33)
        (
            {
                "supervision.opinion_rectify": {
                    "count": 30,
                    "unit": "workdays",
                    "source": "《吉林省行政执法监督条例》第二十九条",
                }
            },
            date(2026, 4, 14),
        ),
    ],
)
def test_an_opinion_is_numbered_and_due_by_the_configured_limit(
    bureau: Bureau, limits: dict[str, object], due: date
) -> None:
    m = investigating(bureau)
    with override_settings(ZHIFA_TIME_LIMITS=limits):
        doc = opinion(bureau, m)
    assert doc.number == "示范市司法局〔2026〕监意1号"
    assert doc.due_on == due
    assert Matter.objects.get(pk=m.pk).state == Matter.State.RECTIFYING
    entry = last("supervision.document.issue")
    assert entry.data["to"] == "rectifying"
    assert entry.data["limit"] == "supervision.opinion_rectify"


def test_a_decision_is_the_governments_and_needs_its_grounds(bureau: Bureau) -> None:
    m = investigating(bureau)
    args = {
        "matter": m,
        "kind": Document.Kind.DECISION,
        "findings": "f",
        "requirement": "r",
        "on": ON,
    }
    with pytest.raises(RuleViolation, match=r"报本级人民政府决定.*第二十九条"):
        services.matter_document_issue(actor=bureau.sup1, **args)  # type: ignore[arg-type]
    gov = {"approved_by": "示范市人民政府", "approved_on": "2026-03-01"}
    with pytest.raises(RuleViolation, match="涉及重大问题"):
        services.matter_document_issue(actor=bureau.sup1, fields=gov, **args)  # type: ignore[arg-type]
    doc = services.matter_document_issue(
        actor=bureau.sup1,
        fields={**gov, "grave": True},
        **args,  # type: ignore[arg-type]
    )
    assert doc.issuer == "示范市人民政府"
    assert doc.fields["proposed_by"] == "示范市司法局"
    assert doc.due_on == date(2026, 4, 1)
    # executed at once: the agency does not object to the government's decision here
    with pytest.raises(RuleViolation, match=r"立即执行.*第二十九条"):
        services.document_objection_file(actor=bureau.p.head, document=doc, reasons="r", on=ON)


def test_an_officer_recommendation_may_suspend_the_certificate_where_allowed(
    bureau: Bureau,
) -> None:
    m = investigating(bureau)
    officer = bureau.p.officer_record
    fields = {
        "officer_id": officer.pk,
        "measure": "off_duty_training",
        "to_body": "示范市市场监督管理局",
        "suspend": True,
    }
    args = {
        "matter": m,
        "kind": Document.Kind.OFFICER_RECOMMENDATION,
        "findings": "f",
        "requirement": "r",
        "on": ON,
    }
    with pytest.raises(RuleViolation, match=r"本地未授权.*第三十二条"):
        services.matter_document_issue(actor=bureau.sup1, fields=fields, **args)  # type: ignore[arg-type]
    assert officer_may_act(officer, bureau.p.domain, ON).allowed
    with override_settings(ZHIFA_SUPERVISION_MAY_SUSPEND=True):
        doc = services.matter_document_issue(actor=bureau.sup1, fields=fields, **args)  # type: ignore[arg-type]
    assert not officer_may_act(officer, bureau.p.domain, ON).allowed
    cert = Certificate.objects.get(officer=officer)
    assert cert.status == Certificate.Status.SUSPENDED
    assert doc.number in last("registry.certificate.status_change").data["reason"]
    services.document_outcome_record(
        actor=bureau.sup1, document=doc, outcome="已离岗培训一个月", on=ON
    )
    assert Document.objects.get(pk=doc.pk).status == Document.Status.DONE


def test_a_clue_transfer_has_its_report_back_date(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = services.matter_document_issue(
        actor=bureau.sup1,
        matter=m,
        kind=Document.Kind.CLUE_TRANSFER,
        findings="涉嫌收受好处后减轻处罚",
        requirement="移送审查",
        fields={"to_body": "示范市纪委监委"},
        on=ON,
    )
    assert doc.number == "示范市司法局〔2026〕线移1号"
    assert doc.due_on == date(2026, 3, 23)  # 20 days (内蒙古 26), the 22nd a Sunday
    services.document_outcome_record(actor=bureau.sup1, document=doc, outcome="已收到回执", on=ON)


# -- the agency's side: objection, report, check, close ------------------------------------------


def test_objection_window_at_its_boundary(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)  # issued 3-2: 15 days end 3-17 (a Tuesday)
    with pytest.raises(RuleViolation, match=r"2026年3月17日届满.*第三十条.*广东省"):
        services.document_objection_file(
            actor=bureau.p.head, document=doc, reasons="r", on=date(2026, 3, 18)
        )
    obj = services.document_objection_file(
        actor=bureau.p.head, document=doc, reasons="依据充分", on=date(2026, 3, 17)
    )
    assert obj.answer_due == date(2026, 4, 1)
    assert (
        last("supervision.objection.file").data["rows"][f"supervision.objection:{obj.pk}"][
            "reasons"
        ]
        == "依据充分"
    )


def test_objection_window_with_a_province_table(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    table = {
        "supervision.objection_file": {
            "count": 5,
            "unit": "workdays",
            "source": "《市场监督管理执法监督暂行规定》第二十条",
        }
    }
    with override_settings(ZHIFA_TIME_LIMITS=table):
        with pytest.raises(RuleViolation, match="2026年3月9日届满"):
            services.document_objection_file(
                actor=bureau.p.head, document=doc, reasons="r", on=date(2026, 3, 10)
            )
        services.document_objection_file(
            actor=bureau.p.head, document=doc, reasons="r", on=date(2026, 3, 9)
        )


def test_an_objection_does_not_stop_the_rectification_unless_configured(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    services.document_objection_file(actor=bureau.p.head, document=doc, reasons="r", on=ON)
    with (
        override_settings(ZHIFA_SUPERVISION_OBJECTION_SUSPENDS=True),
        pytest.raises(RuleViolation, match="暂停整改"),
    ):
        services.document_report(actor=bureau.p.head, document=doc, report="已整改", on=ON)
    services.document_report(actor=bureau.p.head, document=doc, report="已整改", on=ON)


def test_the_whole_way_to_a_closed_matter(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    obj = services.document_objection_file(
        actor=bureau.p.head, document=doc, reasons="我局认为处罚正确", on=ON
    )
    with pytest.raises(RuleViolation, match="被监督机关的负责人"):
        services.document_objection_file(actor=bureau.sup1, document=doc, reasons="x", on=ON)
    services.objection_answer(
        actor=bureau.sup1, objection=obj, upheld=False, answer="异议不成立", on=ON
    )
    assert Objection.objects.get(pk=obj.pk).status == Objection.Status.DISMISSED
    with pytest.raises(RuleViolation, match="尚未报送"):
        services.document_check(actor=bureau.sup1, document=doc, accepted=True, note="ok", on=ON)
    with pytest.raises(RuleViolation, match=r"整改尚未验收.*监意1号"):
        services.matter_close(actor=bureau.sup1, matter=m, reason="办结", on=ON)
    services.document_report(
        actor=bureau.p.head, document=doc, report="已撤销第二次罚款并退款", on=date(2026, 3, 20)
    )
    assert last("supervision.document.report").data["late"] is False
    services.document_check(
        actor=bureau.sup1, document=doc, accepted=False, note="未退款", on=date(2026, 3, 21)
    )
    services.document_report(
        actor=bureau.p.head, document=doc, report="已退款", on=date(2026, 3, 25)
    )
    services.document_check(
        actor=bureau.sup1, document=doc, accepted=True, note="整改到位", on=date(2026, 3, 26)
    )
    m = services.matter_close(actor=bureau.sup1, matter=m, reason="整改到位", on=date(2026, 3, 26))
    assert m.state == Matter.State.CLOSED
    assert last("supervision.matter.close").data["to"] == "closed"
    assert not list(supervision_replay_check([]))


def test_a_report_after_the_due_day_is_late_and_on_the_overdue_list(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)  # due 4-1
    assert not rectifications_overdue(bureau.sup1, date(2026, 4, 1)).exists()
    assert list(rectifications_overdue(bureau.sup1, date(2026, 4, 2))) == [doc]
    services.document_report(
        actor=bureau.p.head, document=doc, report="已整改", on=date(2026, 4, 2)
    )
    assert last("supervision.document.report").data["late"] is True


def test_terminate_when_nothing_wrong(bureau: Bureau) -> None:
    m = investigating(bureau)
    m = services.matter_terminate(actor=bureau.sup1, matter=m, reason="经核查未发现问题", on=ON)
    assert m.state == Matter.State.TERMINATED
    assert last("supervision.matter.terminate").data["from"] == "investigating"


# -- access and lists ----------------------------------------------------------------------------


def test_who_sees_which_matter(bureau: Bureau) -> None:
    m = opened(bureau)
    assert list(matters_visible_to(bureau.sup2)) == [m]
    assert not matters_visible_to(bureau.far).exists()
    assert not matters_visible_to(bureau.p.head).exists()  # not yet put to the agency
    services.matter_accept(actor=bureau.sup1, matter=m, on=ON)
    assert list(matters_visible_to(bureau.p.head)) == [m]
    assert not matters_visible_to(bureau.p.officer).exists()
    assert not matters_visible_to(bureau.p.anonymous).exists()  # type: ignore[arg-type]


def test_another_body_may_not_act_on_the_matter(bureau: Bureau) -> None:
    m = opened(bureau)
    with pytest.raises(RuleViolation, match="本监督机构"):
        services.matter_accept(actor=bureau.far, matter=m, on=ON)


def test_to_dos_show_countdowns_with_their_source(bureau: Bureau) -> None:
    m = investigating(bureau)
    services.matter_explanation_request(actor=bureau.sup1, matter=m, text="请说明", on=ON)
    doc = opinion(bureau, m)
    head = {t.key: t for t in head_todos(bureau.p.head, ON)}
    assert head[f"head-doc:{doc.pk}"].due_on == date(2026, 4, 1)
    assert "广东省行政执法监督条例" in head[f"head-doc:{doc.pk}"].article
    sup = supervisor_todos(bureau.sup1, ON)
    assert any("上海市行政执法监督办法" in t.article for t in sup)


def test_verify_reports_a_matter_changed_outside_the_services(bureau: Bureau) -> None:
    m = investigating(bureau)
    assert supervision_replay_check in replay_checkers()
    assert not list(supervision_replay_check([]))
    Matter.objects.filter(pk=m.pk).update(state=Matter.State.CLOSED)
    problems = list(supervision_replay_check([]))
    assert [p.kind for p in problems] == ["supervision_row_differs"]
    assert "state" in problems[0].message


def test_zhifa_verify_replays_matters_and_names_a_tampered_one(bureau: Bureau) -> None:
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    m = investigating(bureau)
    opinion(bureau, m)
    out = StringIO()
    call_command("verify", "--json", stdout=out)
    assert json.loads(out.getvalue())["ok"] is True
    Document.objects.filter(matter=m).update(due_on=date(2026, 12, 31))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify", "--json", stdout=out)
    (problem,) = json.loads(out.getvalue())["problems"]
    assert problem["kind"] == "supervision_row_differs"
    assert "due_on" in problem["message"]


def test_each_side_is_told_what_the_other_did(bureau: Bureau) -> None:
    from zhifa.notifications.models import Notification

    m = investigating(bureau)
    assert Notification.objects.filter(recipient=bureau.p.head, title__contains="受理").exists()
    req = services.matter_explanation_request(actor=bureau.sup1, matter=m, text="请说明", on=ON)
    services.matter_explanation_answer(actor=bureau.p.head, request=req, text="已说明", on=ON)
    assert Notification.objects.filter(recipient=bureau.sup1, title__contains="说明情况").exists()
    doc = opinion(bureau, m)
    assert Notification.objects.filter(recipient=bureau.p.head, title__contains=doc.number).exists()
    services.document_objection_file(actor=bureau.p.head, document=doc, reasons="r", on=ON)
    assert Notification.objects.filter(recipient=bureau.sup1, title__contains="异议").exists()
