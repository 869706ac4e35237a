"""Who may inspect what, on which day (国办发〔2024〕54号 二、三): pure checks, each raising
``RuleViolation`` naming its rule and source. No Django, no ``now()``.

- the acting body is a confirmed enforcement body whose qualification was announced
  (54号（二）: "行政检查主体资格要依法确认并向社会公告");
- the inspection item is on the agency's published list on the day
  (54号（三）: "行政检查事项未经公布的，不得实施");
- at least two officers holding a valid certificate act (《行政处罚法》第四十二条; 54号（二）);
- no officer has a recorded conflict with the entity (回避, 《行政处罚法》第四十三条).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from zhifa.core.exceptions import RuleViolation

SOURCE_BODY = "国办发〔2024〕54号（二）"
SOURCE_ITEM = "国办发〔2024〕54号（三）"
SOURCE_OFFICERS = "《行政处罚法》第四十二条；国办发〔2024〕54号（二）"
SOURCE_RECUSAL = "《行政处罚法》第四十三条"
MIN_OFFICERS = 2  # 《行政处罚法》第四十二条: 执法人员不得少于两人


def _d(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class BodyFacts:
    """The acting body as the registry has it."""

    name: str
    active: bool
    status_label: str
    announced_on: date | None  # 主体资格确认公告日期


def body_confirmed(body: BodyFacts, *, on: date) -> None:
    """Only a confirmed enforcement body, announced to the public by ``on``, may inspect."""
    if not body.active:
        raise RuleViolation(
            f"{body.name}的执法主体资格为“{body.status_label}”，不能实施行政检查",
            article=SOURCE_BODY,
        )
    if body.announced_on is None or body.announced_on > on:
        raise RuleViolation(
            f"{body.name}的行政检查主体资格在{_d(on)}尚未确认并向社会公告，不能实施行政检查",
            article=SOURCE_BODY,
        )


@dataclass(frozen=True)
class ItemVersion:
    """One version of a power-list item: when it was published and when it stopped being in
    force (superseded by the next version or repealed), if it did."""

    category_ok: bool  # a 行政检查 item
    published_on: date | None
    ended_on: date | None  # the day the next version was published, or it was repealed


def item_in_force(versions: Sequence[ItemVersion], on: date) -> bool:
    """Was some version of the item published and in force on ``on``? The day of publication
    counts; the day it was superseded or repealed does not."""
    return any(
        v.category_ok
        and v.published_on is not None
        and v.published_on <= on
        and (v.ended_on is None or on < v.ended_on)
        for v in versions
    )


def item_published(
    *, agency_name: str, code: str, versions: Sequence[ItemVersion], on: date
) -> None:
    """An inspection item not on the agency's published list on the day may not be inspected."""
    if not item_in_force(versions, on):
        raise RuleViolation(
            f"检查事项“{code}”在{_d(on)}不在{agency_name}公布的行政检查事项清单内，不得实施",
            article=SOURCE_ITEM,
            field="power_code",
        )


def enough_officers(names: Sequence[str]) -> None:
    """At least two officers (each already found valid for the item's domain on the day)."""
    if len(set(names)) < MIN_OFFICERS:
        raise RuleViolation(
            f"行政检查须由两名以上持有有效执法证件的执法人员实施，现仅指派{len(set(names))}名",
            article=SOURCE_OFFICERS,
            field="officers",
        )


def no_conflicts(*, entity_name: str, conflicts: Sequence[tuple[str, str]]) -> None:
    """``conflicts``: (officer name, reason) of every named officer with a conflict in force."""
    if conflicts:
        who = "；".join(f"{name}（{reason}）" for name, reason in conflicts)
        raise RuleViolation(
            f"以下执法人员与{entity_name}有利害关系，应当回避：{who}",
            article=SOURCE_RECUSAL,
            field="officers",
        )
