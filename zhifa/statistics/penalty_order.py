"""Which column a penalty decision counts under in the 行政处罚 table: one decision with several
penalties counts once, under the heaviest type, by a configurable order; pure.

Sources (supervision.md §3.2): 广州 2019, 庆元 2024, 大同 2021/2024 counting rules — "一个处罚决定
同时有多种处罚的，按最重的处罚种类统计一次"; "没收违法所得，并处罚款" counts as 没收; a named type
beats 其他 ("处罚款，并处其他行政处罚" counts as 罚款). The order of severity is the deployment's:

- ``ORDER_2021`` (default; 大同 2021, after 《行政处罚法》(2021) 第九条): 警告, 通报批评, 罚款,
  没收违法所得/没收非法财物, 暂扣许可证件, 降低资质等级, 限制开展生产经营活动, 责令停产停业,
  责令关闭/限制从业, 吊销许可证件, 行政拘留;
- ``ORDER_SHANDONG`` (沂源交通 2021, the Shandong 13-type table): 没收违法所得 and 没收非法财物
  apart, 责令关闭 and 限制从业 apart, and 吊销许可证件 before 限制开展生产经营活动.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from zhifa.law.penalty import PenaltyKind as P

OTHER = "other"  # the 其他 column: only when no named type is in the decision


@dataclass(frozen=True)
class Group:
    """One column of the table: a code, its heading, the penalty kinds it counts."""

    code: str
    name: str
    kinds: tuple[P, ...]


@dataclass(frozen=True)
class Order:
    code: str
    name: str
    source: str
    groups: tuple[Group, ...]  # lightest first

    def group_of(self, kind: str) -> Group | None:
        for g in self.groups:
            if kind in g.kinds:
                return g
        return None


def _g(code: str, name: str, *kinds: P) -> Group:
    return Group(code, name, kinds)


ORDER_2021 = Order(
    code="2021",
    name="2021年通行顺序（大同、庆元、广州样式）",
    source="《行政处罚法》第九条；大同市行政执法统计年报填报说明（2021）",
    groups=(
        _g("warning", "警告", P.WARNING),
        _g("circulated_criticism", "通报批评", P.CIRCULATED_CRITICISM),
        _g("fine", "罚款", P.FINE),
        _g(
            "confiscation",
            "没收违法所得、没收非法财物",
            P.CONFISCATION_OF_GAINS,
            P.CONFISCATION_OF_PROPERTY,
        ),
        _g("licence_suspension", "暂扣许可证件", P.LICENCE_SUSPENSION),
        _g("qualification_downgrade", "降低资质等级", P.QUALIFICATION_DOWNGRADE),
        _g("business_restriction", "限制开展生产经营活动", P.BUSINESS_RESTRICTION),
        _g("order_to_suspend", "责令停产停业", P.ORDER_TO_SUSPEND),
        _g("order_to_close", "责令关闭、限制从业", P.ORDER_TO_CLOSE, P.OCCUPATIONAL_BAN),
        _g("licence_revocation", "吊销许可证件", P.LICENCE_REVOCATION),
        _g("detention", "行政拘留", P.DETENTION),
    ),
)

ORDER_SHANDONG = Order(
    code="shandong",
    name="山东样式（十三类）",
    source="沂源县交通运输局行政执法统计年报（2021）；曲阜市行政执法数据统计表（2021）",
    groups=(
        _g("warning", "警告", P.WARNING),
        _g("circulated_criticism", "通报批评", P.CIRCULATED_CRITICISM),
        _g("fine", "罚款", P.FINE),
        _g("confiscation_of_gains", "没收违法所得", P.CONFISCATION_OF_GAINS),
        _g("confiscation_of_property", "没收非法财物", P.CONFISCATION_OF_PROPERTY),
        _g("licence_suspension", "暂扣许可证件", P.LICENCE_SUSPENSION),
        _g("qualification_downgrade", "降低资质等级", P.QUALIFICATION_DOWNGRADE),
        _g("licence_revocation", "吊销许可证件", P.LICENCE_REVOCATION),
        _g("business_restriction", "限制开展生产经营活动", P.BUSINESS_RESTRICTION),
        _g("order_to_suspend", "责令停产停业", P.ORDER_TO_SUSPEND),
        _g("order_to_close", "责令关闭", P.ORDER_TO_CLOSE),
        _g("occupational_ban", "限制从业", P.OCCUPATIONAL_BAN),
        _g("detention", "行政拘留", P.DETENTION),
    ),
)

ORDERS = {o.code: o for o in (ORDER_2021, ORDER_SHANDONG)}


def heaviest(kinds: Iterable[str], order: Order = ORDER_2021) -> str | None:
    """The column code ``kinds`` (one decision's penalty kinds) count under: the heaviest named
    group by ``order``; ``OTHER`` when only 其他 (or kinds the order does not name) were imposed;
    None for a decision without any penalty."""
    kinds = [str(k) for k in kinds]
    if not kinds:
        return None
    best = -1
    for kind in kinds:
        for n, g in enumerate(order.groups):
            if kind in g.kinds and n > best:
                best = n
    return order.groups[best].code if best >= 0 else OTHER


def column_codes(order: Order) -> Sequence[str]:
    return [g.code for g in order.groups] + [OTHER]
