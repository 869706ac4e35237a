"""The "major" test of 重大行政处罚决定备案: table-driven, at its thresholds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.filings.major_penalties import (
    DEFAULT_ROWS,
    Criterion,
    Decision,
    Row,
    TableError,
    is_major,
    lowest_amounts,
    major_reasons,
    rows_from_setting,
)

PERSON, ORG = "natural_person", "organisation"


def fined(party: str, amount: str) -> Decision:
    return Decision(frozenset({party}), frozenset({"fine"}), fine=Decimal(amount))


@pytest.mark.parametrize(
    ("party", "amount", "major"),
    [
        (PERSON, "9999.99", False),
        (PERSON, "10000.00", True),
        (PERSON, "10000.01", True),
        (ORG, "10000.00", False),
        (ORG, "99999.99", False),
        (ORG, "100000.00", True),
        (ORG, "100000.01", True),
    ],
)
def test_a_fine_is_major_at_or_above_the_threshold_of_its_party_kind(
    party: str, amount: str, major: bool
) -> None:
    assert is_major(fined(party, amount), DEFAULT_ROWS) is major


@pytest.mark.parametrize(
    ("party", "amount", "major"),
    [
        (PERSON, "9999.99", False),
        (PERSON, "10000.00", True),
        (PERSON, "10000.01", True),
        (ORG, "99999.99", False),
        (ORG, "100000.00", True),
    ],
)
def test_a_confiscation_is_major_at_or_above_the_threshold(
    party: str, amount: str, major: bool
) -> None:
    decision = Decision(
        frozenset({party}), frozenset({"confiscation_of_gains"}), confiscation=Decimal(amount)
    )
    assert is_major(decision, DEFAULT_ROWS) is major


def test_a_fine_and_a_confiscation_are_not_added_together() -> None:
    decision = Decision(
        frozenset({PERSON}),
        frozenset({"fine", "confiscation_of_gains"}),
        fine=Decimal("6000"),
        confiscation=Decimal("6000"),
    )
    assert not is_major(decision, DEFAULT_ROWS)


@pytest.mark.parametrize(
    ("kind", "major"),
    [
        ("order_to_suspend", True),
        ("order_to_close", True),
        ("licence_revocation", True),
        ("qualification_downgrade", True),
        ("business_restriction", True),
        ("occupational_ban", True),
        ("warning", False),
        ("licence_suspension", False),
    ],
)
def test_the_listed_penalty_kinds_are_major_whatever_the_amount(kind: str, major: bool) -> None:
    decision = Decision(frozenset({ORG}), frozenset({kind}))
    assert is_major(decision, DEFAULT_ROWS) is major


def test_every_reason_names_its_source() -> None:
    decision = Decision(
        frozenset({PERSON}), frozenset({"fine", "licence_revocation"}), fine=Decimal(20000)
    )
    reasons = major_reasons(decision, DEFAULT_ROWS)
    assert [r.source for r in reasons] == ["《辽宁省行政执法监督规定》第十六条"] * 2
    assert reasons[0].text == "对自然人罚款20,000.00元，达到10,000.00元的备案标准"
    assert reasons[1].text == "作出“吊销许可证件”的行政处罚"


def test_a_fine_not_decided_as_a_fine_does_not_count() -> None:
    decision = Decision(frozenset({PERSON}), frozenset({"warning"}), fine=Decimal(50000))
    assert not is_major(decision, DEFAULT_ROWS)


def test_a_deployment_replaces_the_table_with_its_own_rows_and_sources() -> None:
    rows = rows_from_setting(
        [
            {"test": "fine_person", "amount": "5000", "source": "某市重大行政处罚备案办法第五条"},
            {"test": "penalty_kind", "penalty_kind": "detention", "source": "山西省政府令第206号"},
        ]
    )
    assert rows == (
        Row(Criterion.FINE_PERSON, "某市重大行政处罚备案办法第五条", amount=Decimal(5000)),
        Row(Criterion.PENALTY_KIND, "山西省政府令第206号", penalty_kind="detention"),
    )
    assert is_major(fined(PERSON, "5000"), rows)
    assert not is_major(fined(PERSON, "4999.99"), rows)
    assert not is_major(Decision(frozenset({ORG}), frozenset({"order_to_close"})), rows)
    assert (
        rows[0].text
        == "对自然人罚款数额达到标准：5,000.00元以上（依据：某市重大行政处罚备案办法第五条）"
    )


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ({"test": "fine_person", "amount": "5000"}, "须写明依据"),
        ({"test": "fine_person", "amount": "0", "source": "某规定"}, "amount须大于零"),
        ({"test": "fine_person", "amount": "abc", "source": "某规定"}, "amount须为金额"),
        ({"test": "penalty_kind", "penalty_kind": "jail", "source": "某规定"}, "第九条"),
        ({"test": "size", "source": "某规定"}, "test须为"),
        ({"test": "fine_person", "amount": "1", "source": "某规定", "x": 1}, "未知字段"),
    ],
)
def test_a_row_that_cannot_be_used_is_named(row: dict[str, str], says: str) -> None:
    with pytest.raises(TableError, match=says):
        rows_from_setting([row])


def test_lowest_amounts_narrow_the_query() -> None:
    assert lowest_amounts(DEFAULT_ROWS) == (Decimal(10000), Decimal(10000))
    assert lowest_amounts(()) == (None, None)
