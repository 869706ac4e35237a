"""The period within which the head decides whether to 立案 (pure).

《行政处罚法》 sets no national period for 立案; the sector rules do — market regulation:
《市场监督管理行政处罚程序规定》第十八条, 15 working days from discovering the clue (extendable
by 15 with approval). It is a *setting* (``ZHIFA_REGISTER_WORKDAYS`` with its source
``ZHIFA_REGISTER_SOURCE``); the to-do list shows the source beside the countdown.
"""

from __future__ import annotations

from zhifa.law.periods import Period, Unit

DEFAULT_REGISTER_WORKDAYS = 15
DEFAULT_REGISTER_SOURCE = "《市场监督管理行政处罚程序规定》第十八条"


def register_period(
    workdays: int = DEFAULT_REGISTER_WORKDAYS, source: str = DEFAULT_REGISTER_SOURCE
) -> Period:
    """决定是否立案: ``workdays`` working days from the clue's registration (start day not
    counted)."""
    return Period(workdays, Unit.WORKING_DAYS, source, "决定是否立案")
