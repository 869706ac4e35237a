"""One decision counts once, under its heaviest type, by each shipped order; a named type beats
其他 (广州 2019; 大同 2021; 沂源 2021)."""

from __future__ import annotations

import pytest

from zhifa.statistics.penalty_order import ORDER_2021, ORDER_SHANDONG, OTHER, heaviest


@pytest.mark.parametrize(
    ("kinds", "by_2021", "by_shandong"),
    [
        (["warning"], "warning", "warning"),
        (["warning", "fine"], "fine", "fine"),
        # "没收违法所得，并处罚款" counts as 没收.
        (["fine", "confiscation_of_gains"], "confiscation", "confiscation_of_gains"),
        (["fine", "confiscation_of_property"], "confiscation", "confiscation_of_property"),
        (
            ["confiscation_of_gains", "confiscation_of_property"],
            "confiscation",
            "confiscation_of_property",
        ),
        # The orders differ: 2021 puts 吊销 above 限制开展生产经营活动, Shandong below.
        (
            ["licence_revocation", "business_restriction"],
            "licence_revocation",
            "business_restriction",
        ),
        (["order_to_close", "occupational_ban"], "order_to_close", "occupational_ban"),
        (["fine", "detention"], "detention", "detention"),
        # A named type beats 其他 ("处罚款，并处其他行政处罚" counts as 罚款).
        (["other", "fine"], "fine", "fine"),
        (["other"], OTHER, OTHER),
        ([], None, None),
    ],
)
def test_heaviest_type_by_each_order(
    kinds: list[str], by_2021: str | None, by_shandong: str | None
) -> None:
    assert heaviest(kinds, ORDER_2021) == by_2021
    assert heaviest(kinds, ORDER_SHANDONG) == by_shandong


def test_every_penalty_kind_has_a_column_in_both_orders() -> None:
    from zhifa.law.penalty import PenaltyKind

    for order in (ORDER_2021, ORDER_SHANDONG):
        named = {k for g in order.groups for k in g.kinds}
        assert named == set(PenaltyKind) - {PenaltyKind.OTHER}
