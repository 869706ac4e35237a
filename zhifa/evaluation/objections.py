"""The objection and re-check rules of a campaign's results, pure: no Django, no clock.

- an evaluated agency may object to a file's result within the time limit counted from the day
  the results were fed back to it; the last day is allowed, the day after is refused
  (《广东省行政执法案卷评查办法》第十二条第（七）项: "十个工作日内", a setting with its source);
- the re-check answers within its own limit counted from the objection; an answer after it is
  still given (the agency must have it) and marked late;
- a 复评 is made of a failed file only (第十二条第（五）项: "对不合格的案卷进行复评");
- "repeated failures" (第二十五条: "不合格案卷较多的") is a count of failed files reaching the
  deployment's threshold.
"""

from __future__ import annotations

from datetime import date

from zhifa.core.exceptions import RuleViolation

GD = "《广东省行政执法案卷评查办法》"
RECHECK_ARTICLE = f"{GD}第十二条第（五）项"
OBJECTION_ARTICLE = f"{GD}第十二条第（七）项"
REPEATED_ARTICLE = f"{GD}第二十五条"


def objection_in_time(
    *, filed_on: date, fed_back_on: date | None, last_day: date, source: str
) -> None:
    """Refuse an objection before the feedback or after the limit's last day (that day allowed)."""
    if fed_back_on is None or filed_on < fed_back_on:
        raise RuleViolation("评查结果尚未反馈，不能提出异议", article=source)
    if filed_on > last_day:
        raise RuleViolation(
            f"提出异议的期限已于{last_day.isoformat()}届满，不能再提出异议", article=source
        )


def answer_late(*, answered_on: date, last_day: date) -> bool:
    """The re-check answered after its last day (the day itself is in time)."""
    return answered_on > last_day


def recheck_allowed(*, grade: str, failing_grade: str) -> None:
    """A 复评 is made of a failed file only."""
    if grade != failing_grade:
        raise RuleViolation("只有评定为不合格的案卷可以复评", article=RECHECK_ARTICLE)


def is_repeated(failed: int, threshold: int) -> bool:
    """Failed files reaching the threshold are "repeated failures" (第二十五条)."""
    return threshold > 0 and failed >= threshold
