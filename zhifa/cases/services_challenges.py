"""行政复议 and 行政诉讼 of a case's decision, recorded as entries of the case.

Contract of both services:

- they lock the case row and act only on a decided case (``decided_on`` set) of the actor's
  agency; the actor is one of its officers or its head (``guards.actor_is_officer``) — the
  agency answers the challenge, its legal staff are officers; the publisher does not;
- they do NOT refuse an archived case: a challenge often comes after the file is archived, and
  the statistics and the evaluation need it — as a licence's 变更/撤销 after archiving
  (``licensing.services.licence_*``), the entry joins the case's record and the case row itself
  is not touched;
- the dates are checked by ``challenge_periods`` (not before the decision day, not after the
  day of entry ``on``); a filing after the 60-day / 6-month period is recorded with a note
  (``late_note``), never refused — the body accepted it;
- each appends one entry, ``case.challenge.record`` or ``case.challenge.conclude``, whose
  payload carries the row (``"challenge": challenge_plain(row)``), in the same transaction;
  ``challenges_replay_check`` compares each row with the last copy its entries carry;
- a concluded challenge never changes again (a second conclusion is refused);
- then every registered challenge listener is told (the statistics refresh their facts).

Both return the row, fresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from django.db import transaction

from zhifa.core.calendar import counted
from zhifa.core.exceptions import RuleViolation
from zhifa.record.models import Entry
from zhifa.record.services import record_append
from zhifa.record.verification import Problem
from zhifa.registry.models import Account

from . import challenge_periods, guards, legal_dates
from .models import Case, Challenge
from .services import _actor_name, _dated, plain

ACTION_LABELS = {
    "case.challenge.record": "登记行政复议或行政诉讼",
    "case.challenge.conclude": "登记复议决定或裁判结果",
}

ChallengeListener = Callable[[Account, Case, Challenge], None]
_listeners: list[ChallengeListener] = []


def register_challenge_listener(listener: ChallengeListener) -> ChallengeListener:
    """``listener(actor, case, challenge)`` is told, in the service's transaction after its
    entry, that a challenge of ``case`` was recorded or concluded. Registering twice is
    harmless."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def challenge_plain(row: Challenge) -> dict[str, Any]:
    """The row as its entries carry it (``entry_seq`` is the link back, not part of it)."""
    names = [f.attname for f in Challenge._meta.concrete_fields if f.name != "entry_seq"]
    return plain({name: getattr(row, name) for name in names})  # type: ignore[no-any-return]


def _locked_case(actor: Account, case: Case) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    guards.actor_is_officer(
        role=actor.role, actor_agency_id=actor.agency_id, agency_id=locked.agency_id
    )
    return locked


def _known_on(case: Case) -> date:
    """The day the party knew the decision: served, or (当场) the decision day."""
    assert case.decided_on is not None
    return case.served_on or case.decided_on


def _entered(case: Case, on: date, late_reason: str) -> legal_dates.LateEntry | None:
    """The day a challenge is entered for: not in the future, and explained when entered after
    the 补录 window like every step of the case (``legal_dates.step_dated``); the challenge is
    not a step of the procedure, so no previous-step order applies."""
    return _dated(case.agency, on, late_reason, previous=None)


def _record(
    actor: Account, case: Case, row: Challenge, action: str, on: date, **data: Any
) -> Entry:
    entry = record_append(
        actor_id=actor.pk,
        actor_name=_actor_name(actor),
        role=actor.role,
        action=action,
        payload={"on": on, **data, "challenge": challenge_plain(row)},
        case_id=case.pk,
    )
    row.entry_seq = entry.seq
    row.save(update_fields=["entry_seq"])
    for listener in _listeners:
        listener(actor, case, row)
    return entry


@transaction.atomic
def case_challenge_record(
    *,
    actor: Account,
    case: Case,
    kind: str,
    body: str,
    filed_on: date,
    reference: str = "",
    accepted_on: date | None = None,
    on: date,
    late_reason: str = "",
) -> Challenge:
    """Record that the party applied for 复议 or sued (``kind``) against the case's decision.

    Raises RuleViolation: not an officer/head of the agency, no decision, a date before the
    decision or after ``on``, no body, ``on`` in the future or entered after the 补录 window
    without ``late_reason``. A filing after its period is recorded with its note."""
    locked = _locked_case(actor, case)
    late = _entered(locked, on, late_reason)
    if kind not in Challenge.Kind.values:
        raise RuleViolation("请选择行政复议或行政诉讼", field="kind")
    if not body.strip():
        raise RuleViolation("请写明复议机关或人民法院", field="body")
    challenge_periods.challenge_filed_after_decision(
        decided_on=locked.decided_on, filed_on=filed_on, on=on
    )
    challenge_periods.accepted_after_filing(filed_on=filed_on, accepted_on=accepted_on)
    if accepted_on is not None and accepted_on > on:
        raise RuleViolation("受理日期不能晚于登记日期", field="accepted_on")
    known_on = _known_on(locked)
    note, provisional = counted(
        lambda cal: challenge_periods.late_note(
            kind, known_on=known_on, filed_on=filed_on, calendar=cal
        ),
        from_year=known_on.year,
    )
    row = Challenge.objects.create(
        case=locked,
        kind=kind,
        body=body.strip(),
        reference=reference.strip(),
        filed_on=filed_on,
        accepted_on=accepted_on,
    )
    data: dict[str, Any] = {"late_note": note} if note else {}
    if note and provisional:
        data["late_note_provisional"] = True
    if late is not None:
        data["late_entry"] = late.as_payload()
    _record(actor, locked, row, "case.challenge.record", on, **data)
    return Challenge.objects.get(pk=row.pk)


@transaction.atomic
def case_challenge_conclude(
    *,
    actor: Account,
    challenge: Challenge,
    outcome: str,
    concluded_on: date,
    note: str = "",
    on: date,
    late_reason: str = "",
) -> Challenge:
    """Record the 复议决定 or the judgment (``outcome``) of ``challenge``; once only.

    Raises RuleViolation: not an officer/head of the agency, already concluded, an unknown
    outcome, a conclusion before the filing (or acceptance) or after ``on``, ``on`` entered
    after the 补录 window without ``late_reason``."""
    locked = _locked_case(actor, challenge.case)
    late = _entered(locked, on, late_reason)
    row = Challenge.objects.select_for_update().get(pk=challenge.pk, case=locked)
    if row.concluded_on is not None:
        raise RuleViolation(
            f"该{row.get_kind_display()}已于{row.concluded_on.isoformat()}登记结果，记录不再更改",
            article=f"{guards.RECORDING_RULE}（全过程记录：更正以新记录为之）",
        )
    if outcome not in Challenge.Outcome.values:
        raise RuleViolation("请选择复议决定或裁判结果", field="outcome")
    challenge_periods.challenge_concluded_after_filing(
        filed_on=row.filed_on, accepted_on=row.accepted_on, concluded_on=concluded_on, on=on
    )
    row.outcome, row.concluded_on, row.outcome_note = outcome, concluded_on, note.strip()
    row.save(update_fields=["outcome", "concluded_on", "outcome_note"])
    data = {"late_entry": late.as_payload()} if late is not None else {}
    _record(actor, locked, row, "case.challenge.conclude", on, **data)
    return Challenge.objects.get(pk=row.pk)


def challenges_of(case: Case) -> list[Challenge]:
    return list(Challenge.objects.filter(case=case).order_by("filed_on", "pk"))


def challenge_late_notes(case: Case) -> dict[int, str]:
    """challenge id -> the late-filing note its record entry keeps."""
    out: dict[int, str] = {}
    for entry in Entry.objects.filter(case_id=case.pk, action="case.challenge.record"):
        data = entry.data
        if data.get("late_note"):
            out[data["challenge"]["id"]] = data["late_note"]
    return out


def challenges_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """Each challenge row equals the last copy its case's entries carry; a row no entry
    carries is reported too (``zhifa verify``)."""
    seen: set[int] = set()
    for case_id, entries in groups:
        rows: dict[int, tuple[int, dict[str, Any]]] = {}
        for entry in entries:
            if entry.action.startswith("case.challenge.") and isinstance(
                entry.data.get("challenge"), dict
            ):
                rows[entry.data["challenge"]["id"]] = (entry.seq, entry.data["challenge"])
        for row_id, (seq, replayed) in rows.items():
            seen.add(row_id)
            row = Challenge.objects.filter(pk=row_id).first()
            if row is None or challenge_plain(row) != replayed:
                yield Problem(
                    kind="challenge_replay_mismatch",
                    case_id=case_id,
                    seq=seq,
                    message=f"案件{case_id}的复议诉讼记录（{row_id}）与全过程记录不一致",
                )
    for row_id, case_id in Challenge.objects.exclude(pk__in=seen).values_list("pk", "case_id"):
        yield Problem(
            kind="challenge_unrecorded",
            case_id=case_id,
            seq=None,
            message=f"案件{case_id}的复议诉讼记录（{row_id}）没有全过程记录",
        )
