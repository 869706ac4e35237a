"""The rules of a filing (季报/年报): who prepares and submits it, who reviews it, in which state
each step may be taken, and its deadline; pure (given the roles, states and days).

- The agency's head (机关负责人) or its publisher (公示管理员, who publishes the annual
  data) prepares and submits: the 年报 is the agency's report to its 司法行政部门 and is
  published by it (国办发〔2018〕118号（六）; 《大同市行政执法统计年报制度》第三条).
- A supervisor (执法监督人员) of the agency's region accepts or returns it (天津规定 art 26:
  districts and departments report to the city's 司法行政部门).
- The deadlines: the quarterly filing by the 15th calendar day after the quarter, the annual
  report by 31 January (settings ``ZHIFA_STATISTICS_QUARTER_DUE_DAYS`` /
  ``ZHIFA_STATISTICS_ANNUAL_DUE`` with their ``_SOURCE``; defaults from ``periods``). The
  deadline day itself is on time.
"""

from __future__ import annotations

from datetime import date

from zhifa.core.exceptions import RuleViolation

from .periods import ANNUAL_DUE_SOURCE, QUARTER_DUE_SOURCE

REPORT_RULE = "国办发〔2018〕118号（六）；《天津市行政执法监督规定》第二十六条"
PREPARERS = ("head", "publisher")


def _d(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def actor_prepares(*, role: str, actor_agency_id: int | None, agency_id: int) -> None:
    """Generate, edit and submit: the agency's head or publisher."""
    if role not in PREPARERS or actor_agency_id != agency_id:
        raise RuleViolation("统计报送由本机关负责人或公示管理员编制和报送", article=REPORT_RULE)


def actor_reviews(*, role: str, region_prefix: str | None, division_code: str) -> None:
    """Accept or return: a supervisor whose region covers the agency."""
    if role != "supervisor" or not region_prefix or not division_code.startswith(region_prefix):
        raise RuleViolation(
            "只有该机关所在区域的司法行政（执法监督）部门可以接收或退回统计报送",
            article=REPORT_RULE,
        )


def editable(*, state: str) -> None:
    """Generate again, edit the narrative and the notes, submit: while a draft or returned."""
    if state not in ("draft", "returned"):
        raise RuleViolation(
            "已报送的统计数据已固定，不能再修改；如需更正，请由监督部门退回",
            article=REPORT_RULE,
            field="state",
        )


def reviewable(*, state: str) -> None:
    if state != "submitted":
        raise RuleViolation(
            "只有已报送、待接收的统计报送可以接收或退回", article=REPORT_RULE, field="state"
        )


def comments_given(*, comments: str) -> None:
    if not comments.strip():
        raise RuleViolation("退回须写明审查意见", article=REPORT_RULE, field="comments")


def source_of(quarter: int, *, quarter_source: str = "", annual_source: str = "") -> str:
    if quarter == 0:
        return annual_source or ANNUAL_DUE_SOURCE
    return quarter_source or QUARTER_DUE_SOURCE


def is_late(*, due_on: date, submitted_on: date | None, today: date) -> bool:
    """Late: submitted after the deadline day, or not submitted and the deadline day has
    passed. The deadline day itself is on time (calendar days)."""
    day = submitted_on if submitted_on is not None else today
    return day > due_on


def lateness(*, due_on: date, submitted_on: date | None, today: date) -> str:
    if submitted_on is not None:
        if submitted_on > due_on:
            return f"逾期{(submitted_on - due_on).days}日报送（期限{_d(due_on)}）"
        return "按期报送"
    if today > due_on:
        return f"已逾期{(today - due_on).days}日（期限{_d(due_on)}）"
    return f"未报送，期限{_d(due_on)}"
