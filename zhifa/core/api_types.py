"""Scalar types of the JSON API's bodies and parameters, strict about what JSON may carry.

A date is the text ``YYYY-MM-DD`` and nothing else (not a number of seconds, not ``false``); a
moment is ISO 8601 text, Beijing time when it has no offset, and must have a place on the clock
in UTC and in Beijing time; an amount is a JSON number or decimal text with at most two
decimals; an id is a positive integer a database row can have. Each refuses anything else with
a Chinese reason, which the API answers as 422 naming the field (``core.api_errors``). Whether
a date is *legal* (not after today, not before the case's previous step …) is a rule, not a
type: ``cases.legal_dates``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from ninja import Field
from pydantic import BeforeValidator, StrictInt, WithJsonSchema

BEIJING = ZoneInfo("Asia/Shanghai")

# The largest id a database row can have (SQLite's INTEGER, PostgreSQL's bigint).
MAX_ID = 2**63 - 1
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MOMENT_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$"
MONEY_PATTERN = r"^\d{1,12}(\.\d{1,2})?$"
MAX_MONEY = Decimal("999999999999.99")


def _legal_date(value: Any) -> date:
    if not isinstance(value, str) or not DATE_PATTERN.match(value):
        raise ValueError("须为日期文本 YYYY-MM-DD，如 2026-03-07")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"不是有效的日期：{value}") from None


def _legal_moment(value: Any) -> datetime:
    """ISO 8601 text; without an offset, Beijing time. The moment must have a place on the
    clock in both UTC and Beijing time (``0001-01-01T00:00`` has none)."""
    if not isinstance(value, str) or not re.match(MOMENT_PATTERN, value):
        raise ValueError("须为时间文本（ISO 8601），如 2026-03-07T09:00 或 2026-03-07T09:00+08:00")
    try:
        moment = datetime.fromisoformat(value)
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=BEIJING)
        moment.astimezone(UTC)
        moment.astimezone(BEIJING)
    except (ValueError, OverflowError):
        raise ValueError(f"不是可以记录的时间：{value}") from None
    return moment


def _money(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError('须为金额（元），如 20000 或 "20000.00"')
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"不是有效的金额：{value}") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise ValueError(f"金额须在0至{MAX_MONEY}元之间")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("金额最多两位小数")
    return amount


LegalDate = Annotated[
    date,
    BeforeValidator(_legal_date),
    WithJsonSchema({"type": "string", "format": "date", "description": "日期，YYYY-MM-DD"}),
]
LegalMoment = Annotated[
    datetime,
    BeforeValidator(_legal_moment),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MOMENT_PATTERN,
            "description": "时间，ISO 8601；不带时区时按北京时间",
        }
    ),
]
Money = Annotated[
    Decimal,
    BeforeValidator(_money),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": float(MAX_MONEY)},
                {"type": "string", "pattern": MONEY_PATTERN},
            ],
            "description": "金额（元），最多两位小数",
        }
    ),
]
# Text of a query parameter (a search, a code to filter by): no NUL character, which PostgreSQL
# cannot hold in a text value (SQLite can), so the two databases refuse the same requests (422).
QUERY_TEXT_PATTERN = r"^[^\x00]*$"
QueryText = Annotated[str, Field(max_length=200, pattern=QUERY_TEXT_PATTERN)]

# An id in a JSON body (a JSON integer) and in a path or query (text that reads as one).
ObjectId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
IdParam = Annotated[int, Field(ge=1, le=MAX_ID)]
