"""The procedures as tables: from each state, which service may act and where it leads.

One row per (kind, state, service): ``Move(to, service, preconditions)``. ``to`` may equal the
state (a step that records without moving, e.g. a further 询问笔录 while investigating). The
preconditions are names of functions in ``guards.py`` (a test checks they exist); the service
named runs them. Pure: no database access.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import Case

K = Case.Kind
S = Case.State


@dataclass(frozen=True)
class Move:
    to: str
    service: str
    preconditions: tuple[str, ...] = ()


# What each service is called in Chinese (the "next actions" of a case workspace).
SERVICE_LABELS: dict[str, str] = {
    "case_open": "登记",
    "case_party_add": "添加当事人",
    "case_officer_assign": "指定承办人员",
    "case_register": "立案审批",
    "case_not_register": "不予立案",
    "case_investigate": "调查取证",
    "case_submit_review": "提交案件审核",
    "case_notify": "事先告知",
    "case_hearing_request": "登记听证申请",
    "case_hearing_notice": "通知听证",
    "case_hearing_hold": "举行听证",
    "case_statement_record": "记录陈述申辩",
    "case_decision_extend": "延长办案期限",
    "case_decide": "作出处罚决定",
    "case_not_penalise": "不予处罚",
    "case_withdraw": "撤销立案",
    "case_transfer": "移送司法机关",
    "case_serve": "送达",
    "case_payment_record": "登记缴款",
    "case_payment_arrange": "批准暂缓或分期缴纳",
    "case_court_apply": "申请人民法院强制执行",
    "case_file": "备案",
    "case_close": "结案",
    "case_archive": "归档",
    "case_inspect": "现场检查",
    "case_findings_record": "作出检查结论",
    "case_recheck": "复查",
    "case_penalty_open": "转立处罚案件",
    "case_seizure_approve": "批准查封扣押",
    "case_seizure_execute": "实施查封扣押",
    "case_seizure_ratify": "补办批准手续",
    "case_seizure_extend": "延长查封扣押期限",
    "case_seizure_release": "解除查封扣押",
    "case_seizure_handle": "依法处理查封扣押物",
    # 行政许可 (services in zhifa.licensing.services)
    "case_licence_correct": "一次告知补正材料",
    "case_licence_accept": "受理",
    "case_licence_not_accept": "不予受理",
    "case_licence_verify": "核查",
    "case_licence_pause": "开始不计入期限的程序",
    "case_licence_resume": "结束不计入期限的程序",
    "case_licence_hearing_tell": "告知听证权利",
    "case_licence_hearing_request": "登记听证申请",
    "case_licence_hearing_notice": "通知听证",
    "case_licence_hearing_hold": "举行听证",
    "case_licence_extend": "延长许可期限",
    "case_licence_grant": "准予行政许可",
    "case_licence_refuse": "不予行政许可",
    "case_licence_issue": "颁发、送达许可证件",
    "case_licence_serve": "送达不予许可决定",
    # 不予处罚 (第三十三条): see the block after TRANSITIONS.
    "case_credit_check_record": "登记信用信息公示系统查询",
    "case_education_record": "登记对当事人的教育",
}

HEAD = "actor_is_head"
OFFICER = "actor_is_officer"
TWO = "two_officers_may_act"


def _m(to: str, service: str, *pre: str) -> Move:
    return Move(to, service, tuple(pre))


# Steps that record without moving, allowed while the case is still being prepared.
_PARTY = "case_party_add"
_ASSIGN = "case_officer_assign"
_EXTEND = "case_decision_extend"

# A payment is made against one amount, never beyond what is outstanding of it; 当场收缴 only
# where 第六十八、六十九条 allow it, with the 专用票据 of 第七十条.
_PAY = ("payment_not_over", "on_the_spot_collection")
# The court only once the 复议 and 诉讼 periods passed unpaid, within 3 months (《行政强制法》
# 第五十三条).
_COURT = "court_application_timely"

# Before the decision a case may end without penalty, be transferred or withdrawn.
_BEFORE_DECISION = (S.INVESTIGATING, S.CASE_REVIEW, S.NOTIFIED, S.HEARING_HELD, S.STATEMENT)

PENALTY_GENERAL: dict[str, tuple[Move, ...]] = {
    S.CLUE: (
        _m(S.CLUE, _PARTY, OFFICER),
        _m(S.CLUE, _ASSIGN, OFFICER),
        _m(S.REGISTERED, "case_register", HEAD, "power_on_list", "within_limitation"),
        _m(S.NOT_REGISTERED, "case_not_register", HEAD),
    ),
    S.REGISTERED: (
        _m(S.REGISTERED, _PARTY, OFFICER),
        _m(S.REGISTERED, _ASSIGN, OFFICER),
        _m(S.REGISTERED, _EXTEND, HEAD),
        _m(S.INVESTIGATING, "case_investigate", OFFICER, TWO),
        _m(S.WITHDRAWN, "case_withdraw", HEAD),
        _m(S.TRANSFERRED, "case_transfer", HEAD),
    ),
    S.INVESTIGATING: (
        _m(S.INVESTIGATING, _PARTY, OFFICER),
        _m(S.INVESTIGATING, _ASSIGN, OFFICER),
        _m(S.INVESTIGATING, _EXTEND, HEAD),
        _m(S.INVESTIGATING, "case_investigate", OFFICER, TWO),
        _m(S.CASE_REVIEW, "case_submit_review", OFFICER, "has_investigation_record"),
        _m(S.NOT_PENALISED, "case_not_penalise", HEAD),
        _m(S.WITHDRAWN, "case_withdraw", HEAD),
        _m(S.TRANSFERRED, "case_transfer", HEAD),
    ),
    S.CASE_REVIEW: (
        _m(S.CASE_REVIEW, _EXTEND, HEAD),
        _m(S.INVESTIGATING, "case_investigate", OFFICER, TWO),  # 补充调查
        _m(S.NOTIFIED, "case_notify", OFFICER, "has_party", "notice_complete"),
        _m(S.NOT_PENALISED, "case_not_penalise", HEAD),
        _m(S.TRANSFERRED, "case_transfer", HEAD),
    ),
    S.NOTIFIED: (
        _m(S.NOTIFIED, _EXTEND, HEAD),
        _m(
            S.HEARING_REQUESTED,
            "case_hearing_request",
            OFFICER,
            "hearing_right_told",
            "hearing_request_in_time",
        ),
        _m(S.STATEMENT, "case_statement_record", OFFICER),
        # The party said nothing: once the period to request a hearing has passed.
        _m(
            S.DECIDED,
            "case_decide",
            HEAD,
            "rights_period_elapsed",
            "decision_in_time",
            "not_heavier_than_notified",
            "collective_discussion_held",
        ),
        _m(S.NOT_PENALISED, "case_not_penalise", HEAD),
        _m(S.TRANSFERRED, "case_transfer", HEAD),
    ),
    S.HEARING_REQUESTED: (
        _m(S.HEARING_REQUESTED, _EXTEND, HEAD),
        _m(S.HEARING_REQUESTED, "case_hearing_notice", OFFICER, "hearing_notice_in_time"),
        _m(
            S.HEARING_HELD,
            "case_hearing_hold",
            OFFICER,
            "hearing_notice_in_time",
            "presider_not_investigator",
        ),
    ),
    S.HEARING_HELD: (
        _m(S.HEARING_HELD, _EXTEND, HEAD),
        _m(
            S.DECIDED,
            "case_decide",
            HEAD,
            "decision_in_time",
            "not_heavier_than_notified",
            "collective_discussion_held",
        ),
        _m(S.NOT_PENALISED, "case_not_penalise", HEAD),
        _m(S.TRANSFERRED, "case_transfer", HEAD),
    ),
    S.STATEMENT: (
        _m(S.STATEMENT, _EXTEND, HEAD),
        _m(
            S.DECIDED,
            "case_decide",
            HEAD,
            "decision_in_time",
            "not_heavier_than_notified",
            "collective_discussion_held",
        ),
        _m(S.NOT_PENALISED, "case_not_penalise", HEAD),
        _m(S.TRANSFERRED, "case_transfer", HEAD),
    ),
    # Late service is allowed but flagged (第六十一条), so service_in_time is not a precondition.
    S.DECIDED: (_m(S.SERVED, "case_serve", OFFICER, "electronic_service_consented"),),
    S.SERVED: (
        _m(S.EXECUTING, "case_payment_record", OFFICER, *_PAY),
        _m(S.EXECUTING, "case_payment_arrange", HEAD),
        _m(S.EXECUTING, "case_court_apply", HEAD, _COURT),
        _m(S.CLOSED, "case_close", HEAD, "execution_complete"),
    ),
    S.EXECUTING: (
        _m(S.EXECUTING, "case_payment_record", OFFICER, *_PAY),
        _m(S.EXECUTING, "case_payment_arrange", HEAD),
        _m(S.EXECUTING, "case_court_apply", HEAD, _COURT),
        _m(S.CLOSED, "case_close", HEAD, "execution_complete"),
    ),
    S.CLOSED: (_m(S.ARCHIVED, "case_archive", HEAD),),
    S.NOT_REGISTERED: (_m(S.ARCHIVED, "case_archive", HEAD),),
    S.NOT_PENALISED: (_m(S.ARCHIVED, "case_archive", HEAD),),
    S.WITHDRAWN: (_m(S.ARCHIVED, "case_archive", HEAD),),
    S.TRANSFERRED: (_m(S.ARCHIVED, "case_archive", HEAD),),
    S.ARCHIVED: (),
}

# 简易程序: opened already decided (case_simple_decide), served at once, paid (on the spot
# where 第六十八条 allows it, else within 15 days: 第六十七条), filed, closed once paid.
PENALTY_SIMPLE: dict[str, tuple[Move, ...]] = {
    S.DECIDED: (_m(S.SERVED, "case_serve", OFFICER, "served_on_the_spot"),),
    # Late filing is allowed but flagged (第五十二条; the period is a setting).
    S.SERVED: (
        _m(S.SERVED, "case_payment_record", OFFICER, *_PAY),
        _m(S.FILED, "case_file", OFFICER),
    ),
    S.FILED: (
        _m(S.FILED, "case_payment_record", OFFICER, *_PAY),
        _m(S.FILED, "case_payment_arrange", HEAD),
        _m(S.FILED, "case_court_apply", HEAD, _COURT),
        _m(S.CLOSED, "case_close", HEAD, "execution_complete"),
    ),
    S.CLOSED: (_m(S.ARCHIVED, "case_archive", HEAD),),
    S.ARCHIVED: (),
}

INSPECTION: dict[str, tuple[Move, ...]] = {
    S.PLANNED: (
        _m(S.PLANNED, _PARTY, OFFICER),
        _m(S.PLANNED, _ASSIGN, OFFICER),
        _m(S.INSPECTED, "case_inspect", OFFICER, TWO),
        # an enterprise inspection the head refused, or one withdrawn before the visit
        # (inspections.services); the inspections app's step gate checks which
        _m(S.CLOSED, "case_close", HEAD, "inspection_not_carried_out"),
    ),
    S.INSPECTED: (
        _m(S.INSPECTED, _PARTY, OFFICER),
        _m(S.FINDINGS, "case_findings_record", OFFICER),
    ),
    S.FINDINGS: (
        _m(S.RECHECKED, "case_recheck", OFFICER, TWO, "rectification_ordered"),
        _m(S.FINDINGS, "case_penalty_open", OFFICER),
        _m(S.CLOSED, "case_close", HEAD, "inspection_complete"),
    ),
    S.RECHECKED: (
        _m(S.RECHECKED, "case_penalty_open", OFFICER),
        _m(S.CLOSED, "case_close", HEAD),
    ),
    S.CLOSED: (_m(S.ARCHIVED, "case_archive", HEAD),),
    S.ARCHIVED: (),
}

_SEIZURE_EXECUTE_CHECKS = (
    TWO,
    "audio_video_recorded",
    "enforcement_time_allowed",
    "on_site_record_signed",
)

SEIZURE: dict[str, tuple[Move, ...]] = {
    S.PROPOSED: (
        _m(S.PROPOSED, _PARTY, OFFICER),
        _m(S.PROPOSED, _ASSIGN, OFFICER),
        _m(S.APPROVED, "case_seizure_approve", HEAD),
        # 第十九条: in an emergency the measure is taken first, approved afterwards.
        _m(S.EMERGENCY_EXECUTED, "case_seizure_execute", OFFICER, *_SEIZURE_EXECUTE_CHECKS),
    ),
    S.APPROVED: (
        _m(S.APPROVED, _PARTY, OFFICER),
        _m(S.APPROVED, _ASSIGN, OFFICER),
        _m(S.EXECUTED, "case_seizure_execute", OFFICER, *_SEIZURE_EXECUTE_CHECKS),
    ),
    S.EMERGENCY_EXECUTED: (
        _m(S.EXECUTED, "case_seizure_ratify", HEAD, "emergency_report_in_time"),
        # Not approved: the measure is lifted at once.
        _m(S.RELEASED, "case_seizure_release", OFFICER),
    ),
    S.EXECUTED: (
        _m(
            S.EXTENDED,
            "case_seizure_extend",
            HEAD,
            "seizure_extension_once",
            "seizure_within_period",
        ),
        _m(S.RELEASED, "case_seizure_release", OFFICER),
        _m(S.HANDLED, "case_seizure_handle", HEAD),
    ),
    # No move from EXTENDED to EXTENDED: 第二十五条 allows one extension only.
    S.EXTENDED: (
        _m(S.RELEASED, "case_seizure_release", OFFICER),
        _m(S.HANDLED, "case_seizure_handle", HEAD),
    ),
    S.RELEASED: (_m(S.CLOSED, "case_close", HEAD),),
    S.HANDLED: (_m(S.CLOSED, "case_close", HEAD),),
    S.CLOSED: (_m(S.ARCHIVED, "case_archive", HEAD),),
    S.ARCHIVED: (),
}

# 行政许可 (《行政许可法》第二十九至五十条). The licensing app's services check the statutory
# rules of ``zhifa.licensing.guards`` themselves (each with its article); the table names who
# acts. Steps of 审查 record without moving: 核查, the 第四十五条 pauses, the hearing, the
# head's extension (第四十二条).
_LICENCE_PREPARE = (
    "case_party_add",
    "case_officer_assign",
)
_LICENCE_REVIEW = (
    "case_licence_verify",
    "case_licence_pause",
    "case_licence_resume",
    "case_licence_hearing_tell",
    "case_licence_hearing_request",
    "case_licence_hearing_notice",
    "case_licence_hearing_hold",
)

LICENSING: dict[str, tuple[Move, ...]] = {
    S.APPLIED: (
        *(_m(S.APPLIED, s, OFFICER) for s in _LICENCE_PREPARE),
        _m(S.CORRECTION, "case_licence_correct", OFFICER),
        _m(S.ACCEPTED, "case_licence_accept", OFFICER),
        _m(S.NOT_ACCEPTED, "case_licence_not_accept", HEAD),
    ),
    S.CORRECTION: (
        *(_m(S.CORRECTION, s, OFFICER) for s in _LICENCE_PREPARE),
        _m(S.ACCEPTED, "case_licence_accept", OFFICER),
        _m(S.NOT_ACCEPTED, "case_licence_not_accept", HEAD),
    ),
    S.ACCEPTED: (
        *(_m(S.ACCEPTED, s, OFFICER) for s in _LICENCE_PREPARE),
        *(_m(S.ACCEPTED, s, OFFICER) for s in _LICENCE_REVIEW if s != "case_licence_verify"),
        _m(S.ACCEPTED, "case_licence_verify", OFFICER, TWO),
        _m(S.ACCEPTED, "case_licence_extend", HEAD),
        _m(S.GRANTED, "case_licence_grant", HEAD),
        _m(S.REFUSED, "case_licence_refuse", HEAD),
    ),
    # Late issue is allowed but flagged (第四十四条).
    S.GRANTED: (_m(S.ISSUED, "case_licence_issue", OFFICER),),
    S.REFUSED: (_m(S.SERVED, "case_licence_serve", OFFICER),),
    S.ISSUED: (_m(S.CLOSED, "case_close", HEAD),),
    S.SERVED: (_m(S.CLOSED, "case_close", HEAD),),
    S.NOT_ACCEPTED: (_m(S.CLOSED, "case_close", HEAD),),
    S.CLOSED: (_m(S.ARCHIVED, "case_archive", HEAD),),
    S.ARCHIVED: (),
}

TRANSITIONS: dict[str, dict[str, tuple[Move, ...]]] = {
    K.PENALTY_GENERAL: PENALTY_GENERAL,
    K.PENALTY_SIMPLE: PENALTY_SIMPLE,
    K.INSPECTION: INSPECTION,
    K.SEIZURE: SEIZURE,
    K.LICENSING: LICENSING,
}

# -- 不予处罚 (《行政处罚法》第三十三条) ----------------------------------------------------------
# Wherever a case may end without penalty, the officer may record what the 国家企业信用信息公示
# 系统 showed of the party (zhifa sees only its own deployment's cases; a 首违 needs the
# confirmation, see guards.credit_check_confirmed). Once ended so, the party is educated
# (第三十三条第三款) before the case is closed or archived.
EDUCATION = "education_given"
for _table in TRANSITIONS.values():
    for _state, _moves in list(_table.items()):
        if any(m.service == "case_not_penalise" for m in _moves):
            _table[_state] = (*_moves, _m(_state, "case_credit_check_record", OFFICER))
    if S.NOT_PENALISED in _table:
        _table[S.NOT_PENALISED] = (
            _m(S.NOT_PENALISED, "case_education_record", OFFICER),
            _m(S.CLOSED, "case_close", HEAD, EDUCATION),
            _m(S.ARCHIVED, "case_archive", HEAD, EDUCATION),
        )

# Where each kind of case starts (case_open / case_simple_decide).
INITIAL_STATE: dict[str, str] = {
    K.PENALTY_GENERAL: S.CLUE,
    K.PENALTY_SIMPLE: S.DECIDED,
    K.INSPECTION: S.PLANNED,
    K.SEIZURE: S.PROPOSED,
    K.LICENSING: S.APPLIED,
}

FINAL_STATES = frozenset({S.ARCHIVED})


def action_of(service: str) -> str:
    """The record action a service writes: ``case_register`` → ``case.register``."""
    return f"case.{service.removeprefix('case_')}"


def moves_from(kind: str, state: str) -> tuple[Move, ...]:
    """Every move allowed from ``state`` in a case of ``kind`` (empty for unknown pairs)."""
    return TRANSITIONS.get(kind, {}).get(state, ())


def move_for(kind: str, state: str, service: str) -> Move | None:
    """The move ``service`` makes from ``state``, or None when the table does not allow it."""
    for move in moves_from(kind, state):
        if move.service == service:
            return move
    return None


def states_of(kind: str) -> frozenset[str]:
    """Every state a case of ``kind`` can be in."""
    table = TRANSITIONS[kind]
    reached: set[str] = set(table)
    for moves in table.values():
        reached.update(m.to for m in moves)
    return frozenset(reached)


def states_where(kind: str, service: str) -> frozenset[str]:
    """The states from which ``service`` may act on a case of ``kind``."""
    return frozenset(
        state
        for state, moves in TRANSITIONS[kind].items()
        if any(m.service == service for m in moves)
    )


def precondition_names() -> frozenset[str]:
    """Every precondition named in the tables (each is a function in ``guards.py``)."""
    names: set[str] = set()
    for table in TRANSITIONS.values():
        for moves in table.values():
            for move in moves:
                names.update(move.preconditions)
    return frozenset(names)


def services_named(
    tables: Iterable[dict[str, tuple[Move, ...]]] = TRANSITIONS.values(),
) -> frozenset[str]:
    """Every service the tables name."""
    return frozenset(m.service for table in tables for moves in table.values() for m in moves)


# Every record action the cases app writes (the services of the tables plus the two that open
# a case); the replay check reads only these.
CASE_ACTIONS: frozenset[str] = frozenset(
    {action_of(s) for s in services_named()}
    | {"case.open", "case.simple_decide", "case.deadlines_recount"}
)
