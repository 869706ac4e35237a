"""The counting rules at their edges, table-driven: the year a fact falls in, the heaviest type,
amounts, revoked decisions per the setting, 没收 without amount, coercion executions at
completion, the inspection rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from zhifa.statistics.counting import CaseRow, ChallengeRow, Fact, Rules, facts_of
from zhifa.statistics.penalty_order import ORDER_SHANDONG
from zhifa.statistics.periods import Period, period_of

DECIDED = CaseRow(
    case_id=1,
    kind="penalty_general",
    state="closed",
    registered_on=date(2026, 3, 4),
    decided_on=date(2026, 12, 31),
    closed_on=date(2027, 1, 5),
    penalty_kinds=("warning", "fine"),
    fine=Decimal(20000),
)


def in_period(
    row: CaseRow, period: Period, rules: Rules | None = None
) -> dict[str, tuple[int, Decimal]]:
    out: dict[str, tuple[int, Decimal]] = {}
    for f in facts_of(row, rules or Rules()):
        if period.start <= f.day <= period.end:
            n, a = out.get(f.indicator, (0, Decimal(0)))
            out[f.indicator] = (n + 1, a + (f.amount or 0))
    return out


@pytest.mark.parametrize(
    ("decided_on", "in_2026", "in_2027"),
    [(date(2026, 12, 31), 1, 0), (date(2027, 1, 1), 0, 1), (date(2026, 1, 1), 1, 0)],
)
def test_a_decision_counts_in_the_year_of_its_decision_day(
    decided_on: date, in_2026: int, in_2027: int
) -> None:
    row = replace(DECIDED, decided_on=decided_on)
    assert in_period(row, period_of(2026)).get("penalty.total", (0, 0))[0] == in_2026
    assert in_period(row, period_of(2027)).get("penalty.total", (0, 0))[0] == in_2027


@pytest.mark.parametrize(
    ("decided_on", "quarter"),
    [(date(2026, 3, 31), 1), (date(2026, 4, 1), 2), (date(2026, 9, 30), 3), (date(2026, 10, 1), 4)],
)
def test_a_decision_counts_in_the_quarter_of_its_decision_day(
    decided_on: date, quarter: int
) -> None:
    row = replace(DECIDED, decided_on=decided_on)
    for q in (1, 2, 3, 4):
        counted = in_period(row, period_of(2026, q)).get("penalty.total", (0, 0))[0]
        assert counted == (1 if q == quarter else 0)


def test_one_decision_with_several_penalties_counts_once_under_the_heaviest() -> None:
    figures = in_period(DECIDED, period_of(2026))
    assert figures["penalty.kind.fine"][0] == 1
    assert "penalty.kind.warning" not in figures
    assert figures["penalty.total"][0] == 1


def test_the_shandong_order_puts_the_decision_in_its_own_column() -> None:
    row = replace(DECIDED, penalty_kinds=("licence_revocation", "business_restriction"))
    assert "penalty.kind.licence_revocation" in in_period(row, period_of(2026))
    shandong = in_period(row, period_of(2026), Rules(order=ORDER_SHANDONG))
    assert "penalty.kind.business_restriction" in shandong


@pytest.mark.parametrize(
    ("property_value", "amount"),
    [(None, Decimal(25000)), (Decimal(3000), Decimal(28000))],
)
def test_confiscated_property_counts_in_the_amount_only_when_its_value_is_known(
    property_value: Decimal | None, amount: Decimal
) -> None:
    row = replace(
        DECIDED,
        penalty_kinds=("fine", "confiscation_of_gains", "confiscation_of_property"),
        confiscation=Decimal(5000),
        property_value=property_value,
    )
    figures = in_period(row, period_of(2026))
    assert figures["penalty.amount"] == (1, amount)
    assert figures["penalty.kind.confiscation"][0] == 1


@pytest.mark.parametrize(("count_revoked", "counted"), [(True, 1), (False, 0)])
def test_a_decision_revoked_later_counts_in_its_year_as_the_setting_says(
    count_revoked: bool, counted: int
) -> None:
    row = replace(
        DECIDED,
        challenges=(
            ChallengeRow("reconsideration", date(2027, 1, 20), date(2027, 3, 1), "revoked"),
        ),
    )
    figures = in_period(row, period_of(2026), Rules(count_revoked=count_revoked))
    assert figures.get("penalty.total", (0, 0))[0] == counted
    later = in_period(row, period_of(2027))
    assert later["penalty.reconsidered"][0] == 1
    assert later["penalty.reconsideration_corrected"][0] == 1


@pytest.mark.parametrize(
    ("outcome", "lost"), [("upheld", 0), ("dismissed", 0), ("varied", 1), ("confirmed_illegal", 1)]
)
def test_litigation_counts_when_filed_and_a_loss_when_concluded_against_the_agency(
    outcome: str, lost: int
) -> None:
    row = replace(
        DECIDED,
        challenges=(ChallengeRow("litigation", date(2027, 2, 1), date(2027, 6, 1), outcome),),
    )
    figures = in_period(row, period_of(2027))
    assert figures["penalty.litigated"][0] == 1
    assert figures.get("penalty.litigation_lost", (0, 0))[0] == lost


def test_a_pending_challenge_counts_as_filed_only() -> None:
    row = replace(DECIDED, challenges=(ChallengeRow("litigation", date(2027, 2, 1)),))
    figures = in_period(row, period_of(2027))
    assert figures["penalty.litigated"][0] == 1 and "penalty.litigation_lost" not in figures


def test_registration_and_closing_count_by_their_own_days() -> None:
    assert in_period(DECIDED, period_of(2026))["penalty.registered"][0] == 1
    assert "penalty.closed" not in in_period(DECIDED, period_of(2026))
    assert in_period(DECIDED, period_of(2027))["penalty.closed"][0] == 1


def test_not_penalised_counts_with_the_notified_amount() -> None:
    row = replace(
        DECIDED,
        penalty_kinds=(),
        fine=Decimal(0),
        notified_fine=Decimal(5000),
        not_penalised_on=date(2026, 6, 1),
    )
    figures = in_period(row, period_of(2026))
    assert figures["penalty.not_penalised"] == (1, Decimal(5000))
    assert "penalty.total" not in figures


def test_mitigated_counts_with_the_fine_imposed() -> None:
    figures = in_period(replace(DECIDED, mitigated=True), period_of(2026))
    assert figures["penalty.mitigated"] == (1, Decimal(20000))


SEIZURE = CaseRow(
    case_id=2,
    kind="seizure",
    state="handled",
    seizure_measure="seize",
    seized_on=date(2026, 12, 30),
)


@pytest.mark.parametrize(
    ("handled_on", "executed_2026"), [(None, 0), (date(2026, 12, 31), 1), (date(2027, 1, 1), 0)]
)
def test_a_coercion_measure_counts_when_taken_and_its_execution_when_completed(
    handled_on: date | None, executed_2026: int
) -> None:
    figures = in_period(replace(SEIZURE, handled_on=handled_on), period_of(2026))
    assert figures["coercion.measure.seize"][0] == 1
    assert figures.get("coercion.execution.disposal", (0, 0))[0] == executed_2026


INSPECTION = CaseRow(
    case_id=3,
    kind="inspection",
    state="findings",
    inspected_on=date(2026, 5, 6),
    inspection_recorded=True,
)


@pytest.mark.parametrize(
    ("row", "rules", "counted"),
    [
        (INSPECTION, Rules(), 1),
        (replace(INSPECTION, inspection_recorded=False), Rules(), 0),  # no complete record
        (replace(INSPECTION, inspected_on=None), Rules(), 0),  # planned, not carried out
        (replace(INSPECTION, inspection_led_to_penalty=True), Rules(), 1),
        (
            replace(INSPECTION, inspection_led_to_penalty=True),
            Rules(inspection_leading_to_penalty=False),
            0,
        ),
    ],
)
def test_the_inspection_counting_rule(row: CaseRow, rules: Rules, counted: int) -> None:
    assert in_period(row, period_of(2026), rules).get("inspection.count", (0, 0))[0] == counted


def test_licensing_counts_each_stage_by_its_own_day() -> None:
    row = CaseRow(
        case_id=4,
        kind="licensing",
        state="issued",
        received_on=date(2026, 12, 28),
        accepted_on=date(2026, 12, 31),
        decided_on=date(2027, 1, 8),
        licence_outcome="granted",
    )
    assert set(in_period(row, period_of(2026))) == {"licensing.applied", "licensing.accepted"}
    assert set(in_period(row, period_of(2027))) == {"licensing.granted"}


def test_periods_and_their_deadlines() -> None:
    assert period_of(2026, 1).end == date(2026, 3, 31) and period_of(2026, 3).start == date(
        2026, 7, 1
    )
    assert period_of(2026, 1).due_on() == date(2026, 4, 15)
    assert period_of(2026).due_on() == date(2027, 1, 31)
    with pytest.raises(ValueError, match="季度"):
        period_of(2026, 5)


def test_facts_are_plain_values() -> None:
    assert facts_of(replace(DECIDED, decided_on=None, closed_on=None, registered_on=None)) == []
    assert Fact("x", date(2026, 1, 1)) == Fact("x", date(2026, 1, 1))
