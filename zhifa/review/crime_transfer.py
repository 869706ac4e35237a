"""The deadlines of a 两法衔接 transfer (国务院令第310号《行政执法机关移送涉嫌犯罪案件的规定》).

- 第五条: the head decides whether to transfer within 3 days of the report (calendar days);
- 第五条: once approved, the case is transferred within 24 hours;
- 第六条: the package — 涉嫌犯罪案件移送书, 涉嫌犯罪案件情况的调查报告, 涉案物品清单, 有关检验报告
  或者鉴定结论, other material;
- 第八条: the police answer within 3 days of receiving the transfer whether they open a case.

Missing a deadline does not stop the transfer (a late transfer is still owed): it is flagged.
Pure: given the dates and the calendar.
"""

from __future__ import annotations

from datetime import date, datetime

from zhifa.law.periods import Calendar, Period, Unit, deadline, deadline_at

ORDER = "国务院令第310号"


def article(number: str) -> str:
    return f"《行政执法机关移送涉嫌犯罪案件的规定》（{ORDER}）第{number}条"


HEAD_DECISION = Period(3, Unit.CALENDAR_DAYS, article("五"), "机关负责人决定是否移送")
TRANSFER = Period(24, Unit.HOURS, article("五"), "批准后移送")
POLICE_ANSWER = Period(3, Unit.CALENDAR_DAYS, article("八"), "公安机关决定是否立案")

# 第六条: what must be in the package (the others are added "where there are any").
REQUIRED_DOCUMENTS = ("涉嫌犯罪案件移送书", "涉嫌犯罪案件情况的调查报告")
OPTIONAL_DOCUMENTS = ("涉案物品清单", "有关检验报告或者鉴定结论", "其他有关材料")


def head_decision_due(reported_on: date, calendar: Calendar) -> date:
    return deadline(HEAD_DECISION, reported_on, calendar)


def transfer_due(approved_at: datetime) -> datetime:
    return deadline_at(TRANSFER, approved_at)


def police_answer_due(transferred_on: date, calendar: Calendar) -> date:
    return deadline(POLICE_ANSWER, transferred_on, calendar)


def missing_documents(documents: list[str]) -> list[str]:
    return [d for d in REQUIRED_DOCUMENTS if d not in documents]
