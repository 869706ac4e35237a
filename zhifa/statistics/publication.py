"""When an annual report may go on the portal (年度数据公开); pure.

Only the annual report (年报) is published — quarterly filings go to the supervisory body
only (天津 art 26; 鄂州) — and only once that body has accepted it: the portal shows the
figures the supervisor checked, frozen (国办发〔2018〕118号（六）: "每年1月31日前公开本机关
上年度行政执法总体情况有关数据"). Publishing twice is refused, not repeated.
"""

from __future__ import annotations

from datetime import date

from zhifa.core.exceptions import RuleViolation

from .periods import ANNUAL

ARTICLE = "国办发〔2018〕118号（六）"


def check_publishable(*, state: str, quarter: int, year: int, on: date) -> None:
    """Raises ``RuleViolation`` naming the rule when the filing may not be published on ``on``."""
    if quarter != ANNUAL:
        raise RuleViolation(
            "季度统计只报送监督机关，不向社会公开；公开的是年度数据", article=ARTICLE
        )
    if state == "published":
        raise RuleViolation("该年度数据已公开", article=ARTICLE)
    if state != "accepted":
        raise RuleViolation(
            "年度统计须经监督机关接收后方可公开（公开的是经审核、已冻结的数据）", article=ARTICLE
        )
    if on.year <= year:
        raise RuleViolation("年度数据须在统计年度结束后公开", article=ARTICLE)


def is_on_time(*, published_on: date, due_on: date) -> bool:
    """Published by the deadline: "1月31日前" is read, as in administrative usage, as *by* 31
    January, the day included (the page shows the deadline with its source)."""
    return published_on <= due_on
