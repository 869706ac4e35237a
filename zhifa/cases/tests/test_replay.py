"""The case tables equal the replay of their record entries; ``zhifa verify`` finds a row
changed behind the log's back."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zhifa.cases import services
from zhifa.cases.models import Case, CaseStep, Party
from zhifa.cases.selectors import cases_replay_check
from zhifa.record.models import Entry
from zhifa.record.verification import Problem, case_groups, log_verify, replay_checkers

from .conftest import COMPANY, SEIZURE_CODE, FileIn, World, upload

pytestmark = pytest.mark.django_db
BJ = ZoneInfo("Asia/Shanghai")


def _problems() -> list[Problem]:
    return list(cases_replay_check(case_groups()))


def _a_full_history(world: World, video: FileIn) -> Case:
    case = services.case_serve(
        actor=world.p.officer, case=world.decided(), on=date(2026, 5, 8), method="direct"
    )
    services.case_payment_record(
        actor=world.p.officer, case=case, on=date(2026, 5, 9), amount=Decimal(5000)
    )
    seizure = services.case_open(
        actor=world.p.officer,
        kind=Case.Kind.SEIZURE,
        power_code=SEIZURE_CODE,
        title="扣押",
        on=date(2026, 6, 10),
        parties=[COMPANY],
    )
    seizure = services.case_seizure_execute(
        actor=world.p.officer,
        case=seizure,
        at=datetime(2026, 6, 10, 10, tzinfo=BJ),
        officers=[world.o1, world.o2],
        measure="seal",
        items=[services.SeizedItem("冷柜", "1台")],
        files=upload(world.p.officer, seizure, video),
        party_signed=True,
        emergency_reason="冷柜内食品正在被转移",
    )
    services.case_seizure_ratify(
        actor=world.p.head, case=seizure, at=datetime(2026, 6, 10, 18, tzinfo=BJ)
    )
    services.case_seizure_extend(
        actor=world.p.head, case=seizure, on=date(2026, 7, 1), reason="检测"
    )
    return case


def test_the_cases_app_registers_its_replay_checker() -> None:
    assert cases_replay_check in replay_checkers()


def test_untouched_cases_replay_to_their_rows(world: World, video: FileIn) -> None:
    _a_full_history(world, video)
    assert _problems() == []
    report = log_verify(check_files=False)
    assert [p for p in report.problems if p.kind.startswith("case")] == []


def test_a_fine_changed_behind_the_logs_back_is_found(world: World, video: FileIn) -> None:
    case = _a_full_history(world, video)
    Case.objects.filter(pk=case.pk).update(fine=Decimal(200))
    problems = _problems()
    assert [(p.kind, p.case_id) for p in problems] == [("case_replay_mismatch", case.pk)]
    assert "fine" in problems[0].message and f"案件{case.pk}" in problems[0].message
    report = log_verify(check_files=False)
    assert any(p.case_id == case.pk for p in report.problems)


def test_a_state_changed_behind_the_logs_back_is_found(world: World, video: FileIn) -> None:
    case = _a_full_history(world, video)
    Case.objects.filter(pk=case.pk).update(state=Case.State.CLOSED)
    assert any("状态" in p.message and p.case_id == case.pk for p in _problems())


def test_edited_parties_and_steps_are_found(world: World, video: FileIn) -> None:
    case = _a_full_history(world, video)
    Party.objects.filter(case=case).update(name="张冒名")
    CaseStep.objects.filter(case=case, kind="interview_record").delete()
    messages = [p.message for p in _problems()]
    assert any("当事人" in m for m in messages) and any("办案步骤" in m for m in messages)


def test_a_case_created_behind_the_logs_back_is_found(world: World) -> None:
    rogue = Case.objects.create(
        agency=world.p.agency_a,
        kind=Case.Kind.PENALTY_GENERAL,
        power_item=world.penalty_item,
        domain=world.p.domain,
        title="绕过记录",
        state=Case.State.DECIDED,
        clue_on=date(2026, 1, 1),
        created_by=world.p.officer,
    )
    assert [(p.kind, p.case_id) for p in _problems()] == [("case_unrecorded", rogue.pk)]


def test_every_service_of_every_procedure_appends_its_entry(world: World, video: FileIn) -> None:
    """Runs every service once and checks each left exactly one entry with from/to."""
    p, on = world.p, date(2026, 3, 5)
    calls = 0

    def did(case: Case, action: str) -> None:
        nonlocal calls
        calls += 1
        last = Entry.objects.filter(case_id=case.pk).order_by("-seq").first()
        assert last is not None and last.action == action
        assert {"from", "to"} <= set(last.data)

    a = world.clue()
    did(a, "case.open")
    services.case_party_add(actor=p.officer, case=a, on=on, party=COMPANY)
    did(a, "case.party_add")
    services.case_officer_assign(
        actor=p.officer, case=a, on=on, officer=world.expired, role="assistant"
    )
    did(a, "case.officer_assign")
    b = services.case_not_register(actor=p.head, case=world.clue(), on=on, reason="不属于管辖")
    did(b, "case.not_register")
    c = services.case_withdraw(actor=p.head, case=world.registered(), on=on, reason="重复")
    did(c, "case.withdraw")
    d = services.case_transfer(
        actor=p.head, case=world.registered(), on=on, organ="公安", reason="涉罪"
    )
    did(d, "case.transfer")
    e = services.case_credit_check_record(
        actor=p.officer,
        case=world.in_review(date(2026, 3, 4), date(2026, 3, 20)),
        on=date(2026, 3, 21),
        checked_by="张三",
        seen="未显示行政处罚信息",
        none_found=True,
    )
    did(e, "case.credit_check_record")
    e = services.case_not_penalise(actor=p.head, case=e, on=date(2026, 3, 21), ground="no_fault")
    did(e, "case.not_penalise")
    e = services.case_education_record(
        actor=p.officer, case=e, on=date(2026, 3, 22), method="约谈", content="告知依法经营"
    )
    did(e, "case.education_record")
    f = services.case_decision_extend(
        actor=p.head, case=world.registered(), on=on, reason="检测"
    ).case
    did(f, "case.decision_extend")
    g = services.case_serve(
        actor=p.officer, case=world.decided(), on=date(2026, 5, 8), method="direct"
    )
    did(g, "case.serve")
    services.case_payment_arrange(
        actor=p.head,
        case=g,
        on=date(2026, 5, 9),
        kind="payment_deferral",
        reason="困难",
        due_on=date(2026, 6, 30),
    )
    did(g, "case.payment_arrange")
    # 《行政强制法》第五十三条: once the six months to sue (to 2026-11-09) have passed unpaid.
    services.case_court_apply(actor=p.head, case=g, on=date(2026, 11, 10), court="甲区人民法院")
    did(g, "case.court_apply")
    g = services.case_close(actor=p.head, case=g, on=date(2026, 11, 11))
    did(g, "case.close")
    services.case_archive(actor=p.head, case=g, on=date(2026, 11, 12))
    did(g, "case.archive")
    # hearing, inspection, simple and seizure services are walked in their own tests; here the
    # whole set of actions written must be the whole set of services of the tables.
    from zhifa.cases import transitions

    written = set(Entry.objects.values_list("action", flat=True))
    untested_here = transitions.CASE_ACTIONS - written
    assert untested_here <= {
        "case.hearing_request",
        "case.hearing_notice",
        "case.hearing_hold",
        "case.payment_record",
        "case.file",
        "case.simple_decide",
        "case.inspect",
        "case.findings_record",
        "case.recheck",
        "case.penalty_open",
        "case.seizure_approve",
        "case.seizure_execute",
        "case.seizure_ratify",
        "case.seizure_extend",
        "case.seizure_release",
        "case.seizure_handle",
        "case.deadlines_recount",  # test_deadlines_recount.py
    } | {a for a in transitions.CASE_ACTIONS if a.startswith("case.licence_")}  # licensing app
    assert calls == 15
    assert _problems() == []
