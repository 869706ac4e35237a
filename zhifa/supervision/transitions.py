"""A supervision matter as a table: from each state, which service may act and where it leads.

Same shape as ``cases/transitions.py``: one row per (state, service), ``Move(to, service,
preconditions)``; ``to`` may equal the state (a step that records without moving). The
preconditions are names of functions in ``guards.py`` (a test checks they exist); the service
named runs them. Pure: no database access.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Matter

S = Matter.State


@dataclass(frozen=True)
class Move:
    to: str
    service: str
    preconditions: tuple[str, ...] = ()


SERVICE_LABELS: dict[str, str] = {
    "matter_open": "登记",
    "matter_accept": "受理",
    "matter_refuse": "不予受理",
    "matter_transfer": "移送",
    "matter_team_join": "加入监督人员",
    "matter_recuse": "回避",
    "matter_measure_record": "记录监督措施",
    "matter_explanation_request": "要求自查、说明情况",
    "matter_case_file_read": "调阅案卷",
    "matter_document_issue": "制发监督文书",
    "matter_terminate": "终止",
    "matter_close": "办结",
}

SUP = "actor_is_supervisor"
TWO = "two_certified_supervisors"
NOT_RECUSED = "not_recused"
REASON = "reason_given"


def _m(to: str, service: str, *pre: str) -> Move:
    return Move(to, service, tuple(pre))


def _team(state: str) -> tuple[Move, ...]:
    return (_m(state, "matter_team_join", SUP), _m(state, "matter_recuse", SUP))


def _investigation(state: str) -> tuple[Move, ...]:
    """The measures of 条例第二十二条; the first one moves an accepted matter to 调查."""
    to = S.INVESTIGATING if state == S.ACCEPTED else state
    return (
        _m(to, "matter_measure_record", SUP, TWO, NOT_RECUSED),
        _m(to, "matter_explanation_request", SUP, NOT_RECUSED),
        _m(to, "matter_case_file_read", SUP, NOT_RECUSED, "case_of_agency"),
    )


MATTER: dict[str, tuple[Move, ...]] = {
    S.REGISTERED: (
        *_team(S.REGISTERED),
        _m(S.ACCEPTED, "matter_accept", SUP, "not_under_review_or_litigation"),
        _m(S.REFUSED, "matter_refuse", SUP, REASON),
        _m(S.TRANSFERRED, "matter_transfer", SUP, REASON),
    ),
    S.ACCEPTED: (
        *_team(S.ACCEPTED),
        *_investigation(S.ACCEPTED),
        _m(S.TERMINATED, "matter_terminate", SUP, REASON),
    ),
    S.INVESTIGATING: (
        *_team(S.INVESTIGATING),
        *_investigation(S.INVESTIGATING),
        _m(S.HANDLING, "matter_document_issue", SUP, NOT_RECUSED),
        _m(S.TERMINATED, "matter_terminate", SUP, REASON),
    ),
    S.HANDLING: (
        *_team(S.HANDLING),
        *_investigation(S.HANDLING),
        _m(S.HANDLING, "matter_document_issue", SUP, NOT_RECUSED),
        _m(S.CLOSED, "matter_close", SUP, REASON, "nothing_open"),
    ),
    S.RECTIFYING: (
        *_team(S.RECTIFYING),
        *_investigation(S.RECTIFYING),
        _m(S.RECTIFYING, "matter_document_issue", SUP, NOT_RECUSED),
        _m(S.CLOSED, "matter_close", SUP, REASON, "nothing_open"),
    ),
    S.REFUSED: (),
    S.TRANSFERRED: (),
    S.CLOSED: (),
    S.TERMINATED: (),
}

# Documents that ask the agency to act move the matter to 整改跟踪; the others leave it in 处理.
RECTIFYING_KINDS = frozenset({"urge_letter", "opinion", "decision"})


def move_for(state: str, service: str) -> Move | None:
    """The row for ``service`` from ``state``, or None when the table has none."""
    for move in MATTER.get(state, ()):
        if move.service == service:
            return move
    return None


def services_from(state: str) -> list[str]:
    """The services open from ``state``, in table order (a workspace's next steps)."""
    seen: list[str] = []
    for move in MATTER.get(state, ()):
        if move.service not in seen:
            seen.append(move.service)
    return seen
