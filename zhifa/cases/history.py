"""A party's earlier violations of the same kind, across every agency of the deployment.

Read by the 首违不罚 check (two years without a similar violation) and by the 可以从重 repeat
factor (a penalty for the same violation within one year); the windows and their sources are in
``zhifa.law.history``.

What comes back is only the facts those rules need — the earlier case's number, its date, the
agency that decided it and how it ended — never the other agency's file: no case id unless the
earlier case belongs to the asking agency, no parties, no amounts, no text.

"Same violation" is the same power-list item code (权责清单事项编码): agencies of one
deployment list the same statutory item under the same code, whatever their own item's version.
A violation is on record when a penalty was decided (普通程序 or 简易程序), or when a decision
not to penalise found the violation (轻微不罚 or 首违不罚 under 第三十三条第一款); a case whose
facts were not established, whose party had no fault or was under age, or that was withdrawn,
is no record of a violation.

The query starts from the party's identifier (indexed: ``party_credit_code``,
``party_id_number``), so its cost follows the party's own cases, not the province's.
``bench/history_bench.py`` measures it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from zhifa.law import history

from .models import Case, Party

PENALTY_KINDS = (Case.Kind.PENALTY_GENERAL, Case.Kind.PENALTY_SIMPLE)
# Decisions not to penalise that still found the violation (第三十三条第一款).
VIOLATION_FOUND_GROUNDS = (
    Case.NotPenalisedGround.MINOR_CORRECTED,
    Case.NotPenalisedGround.FIRST_VIOLATION,
)


@dataclass(frozen=True)
class PriorViolation:
    """One earlier violation of the party: as much as the rules need, nothing of the file."""

    number: str  # the decision's number (决定书文号), else the case number
    decided_on: date
    agency_name: str
    penalised: bool
    outcome: str  # Chinese: 行政处罚 / 不予行政处罚（…）
    case_id: int | None  # only when the earlier case is the asking agency's own


@dataclass(frozen=True)
class HistoryCheck:
    """The answer for one rule: its window and what was found in it."""

    lookback: history.Lookback
    since: date
    until: date
    found: tuple[PriorViolation, ...]

    @property
    def clear(self) -> bool:
        return not self.found

    @property
    def summary(self) -> str:
        if self.clear:
            return f"{self.lookback.years}年内无同类违法记录（本平台范围内）"
        first = self.found[0]
        on = f"{first.decided_on.year}年{first.decided_on.month}月{first.decided_on.day}日"
        return (
            f"{self.lookback.years}年内有同类违法记录：{first.agency_name} {first.number}（{on}）"
        )


def lookback(key: str) -> history.Lookback:
    return history.lookback(key, getattr(settings, "ZHIFA_HISTORY_LOOKBACK", None))


def party_key(party: Party) -> tuple[str, str]:
    """The identifier a party is known by across cases: (field, value)."""
    if party.credit_code:
        return ("credit_code", party.credit_code)
    return ("id_number", party.id_number)


def prior_violations(
    *,
    identifier: tuple[str, str],
    item_code: str,
    until: date,
    key: str,
    exclude_case_id: int | None = None,
    asking_agency_id: int | None = None,
) -> HistoryCheck:
    """Earlier violations of ``item_code`` by the party ``identifier`` within the look-back of
    rule ``key`` (``history.FIRST_VIOLATION`` or ``history.REPEAT``) ending on ``until``."""
    window = lookback(key)
    since = window.since(until)
    field, value = identifier
    if field not in ("credit_code", "id_number") or not value:
        return HistoryCheck(window, since, until, ())
    rows = (
        # The exclusion restates the condition of the partial index on the identifier
        # (party_credit_code / party_id_number): SQLite uses a partial index only when the
        # query's WHERE implies the index's condition, and cannot infer "<> ''" from "= %s".
        # Without it SQLite starts from the power item's cases: bench/history_bench.py at
        # 1,000,000 cases, p95 66.9 ms before, 1.4 ms after (bench/README.md). PostgreSQL
        # proves the condition itself and is unchanged (p95 2.6–3.0 ms).
        Party.objects.filter(**{field: value})
        .exclude(**{field: ""})
        .filter(
            case__kind__in=PENALTY_KINDS,
            case__power_item__code=item_code,
            case__decided_on__gte=since,
            case__decided_on__lte=until,
        )
        .exclude(case__state__in=(Case.State.WITHDRAWN, Case.State.TRANSFERRED))
        .values_list(
            "case_id",
            "case__agency_id",
            "case__agency__name",
            "case__decision_number",
            "case__number",
            "case__decided_on",
            "case__end_ground",
        )
        .order_by("-case__decided_on", "-case_id")
    )
    found: list[PriorViolation] = []
    seen: set[int] = set()
    labels = dict(Case.NotPenalisedGround.choices)
    for case_id, agency_id, agency_name, decision_number, number, decided_on, ground in rows:
        if case_id in seen or case_id == exclude_case_id:
            continue
        seen.add(case_id)
        penalised = not ground
        if not penalised and (window.penalties_only or ground not in VIOLATION_FOUND_GROUNDS):
            continue
        found.append(
            PriorViolation(
                number=decision_number or number,
                decided_on=decided_on,  # type: ignore[arg-type]  # filtered on a range
                agency_name=agency_name,
                penalised=penalised,
                outcome="行政处罚" if penalised else f"不予行政处罚（{labels[ground]}）",
                case_id=case_id if agency_id == asking_agency_id else None,
            )
        )
    return HistoryCheck(window, since, until, tuple(found))


def case_history(case: Case, key: str, *, until: date | None = None) -> list[HistoryCheck]:
    """``prior_violations`` for each party of ``case``, ending on ``until`` (default: the day
    the violation ended, else the day the case was registered or recorded)."""
    end = until or case.act_ended_on or case.registered_on or case.clue_on
    code = case.power_item.code
    return [
        prior_violations(
            identifier=party_key(party),
            item_code=code,
            until=end,
            key=key,
            exclude_case_id=case.pk,
            asking_agency_id=case.agency_id,
        )
        for party in case.parties.all()
    ]
