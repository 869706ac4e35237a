"""Reads of licence applications and licences: the countdown, the public status of a licence,
and the replay check of ``zhifa verify``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from zhifa.cases.models import Case
from zhifa.law import licensing as law
from zhifa.record.models import Entry
from zhifa.record.verification import Problem

from .models import Application, ExcludedPeriod, Licence


@dataclass(frozen=True)
class Status:
    """A licence's standing on one day, as the public verification page shows it."""

    valid: bool
    label: str
    note: str = ""


def licence_status(licence: Licence, today: date) -> Status:
    """Valid today, or not yet, expired, withdrawn, revoked, cancelled. A renewal applied for
    in time and not decided by the expiry is deemed granted (第五十条第二款)."""
    if licence.state != Licence.State.VALID:
        return Status(False, licence.get_state_display(), f"自{licence.ended_on}起")
    if today < licence.valid_from:
        return Status(False, "尚未生效")
    if today > licence.valid_until:
        if law.deemed_renewed(
            expires_on=licence.valid_until,
            renewal_applied_on=licence.renewal_applied_on,
            renewal_decided=licence.renewal_decided_on is not None,
            today=today,
        ):
            return Status(
                True, "有效", "延续申请逾期未决定，视为准予延续（《行政许可法》第五十条）"
            )
        return Status(False, "已过有效期")
    return Status(True, "有效")


def licence_by_token(token: str) -> Licence | None:
    """The licence of a verification page (the token is unguessable; no other way in)."""
    if not token or len(token) > 32:
        return None
    return Licence.objects.filter(token=token).first()


def masked_holder(licence: Licence) -> str:
    """An organisation by name; a natural person as surname + 某 (no personal data)."""
    if not licence.holder_is_person:
        return licence.holder
    from zhifa.publicity.policy import public_person_name

    return public_person_name(licence.holder, "surname")


def application_of(case: Case) -> Application | None:
    return Application.objects.filter(case_id=case.pk).first()


@dataclass(frozen=True)
class Countdown:
    """The decision period of an accepted application (第四十二、四十五条)."""

    deadline: date | None
    extended: bool
    excluded_workdays: int
    running_pause: ExcludedPeriod | None
    pauses: list[ExcludedPeriod]


def countdown(app: Application) -> Countdown:
    pauses = list(app.pauses.all())
    case = app.case
    return Countdown(
        deadline=case.decision_deadline,
        extended=case.extensions.filter(kind="licence_decision").exists(),
        excluded_workdays=sum(p.workdays for p in pauses if p.ended_on is not None),
        running_pause=next((p for p in pauses if p.ended_on is None), None),
        pauses=pauses,
    )


# -- replay -----------------------------------------------------------------------------------


def licensing_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """Each application, excluded period and licence row equals the last copy its case's
    entries carry; a row no entry carries is reported too."""
    from .services import application_plain, licence_plain, pause_plain

    seen: dict[str, set[int]] = {"application": set(), "pause": set(), "licence": set()}
    for case_id, entries in groups:
        rows: dict[str, dict[int, Any]] = {"application": {}, "pause": {}, "licence": {}}
        last = entries[-1].seq if entries else None
        for entry in entries:
            if not (
                entry.action.startswith("case.licence_") or entry.action.startswith("licensing.")
            ):
                continue
            data = entry.data
            for key in rows:
                if isinstance(data.get(key), dict):
                    rows[key][data[key]["id"]] = data[key]
        models: dict[str, tuple[Any, Any]] = {
            "application": (Application, application_plain),
            "pause": (ExcludedPeriod, pause_plain),
            "licence": (Licence, licence_plain),
        }
        for key, (model, plain) in models.items():
            for row_id, replayed in rows[key].items():
                seen[key].add(row_id)
                row = model.objects.filter(pk=row_id).first()
                if row is None or plain(row) != replayed:
                    yield Problem(
                        kind="licensing_replay_mismatch",
                        case_id=case_id,
                        seq=last,
                        message=f"案件{case_id}的行政许可记录（{key} {row_id}）与全过程记录不一致",
                    )
    for key, model in (
        ("application", Application),
        ("pause", ExcludedPeriod),
        ("licence", Licence),
    ):
        for row_id in model.objects.exclude(pk__in=seen[key]).values_list("pk", flat=True):
            yield Problem(
                kind="licensing_unrecorded",
                case_id=None,
                seq=None,
                message=f"行政许可记录（{key} {row_id}）没有全过程记录",
            )
