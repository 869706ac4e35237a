"""Statistical periods and their filing deadlines; pure.

A filing covers a quarter (季报, 1–4) or a year (年报, quarter 0). Deadlines are the deployment's
settings with their sources (supervision.md §3.1): the quarterly filing by the 15th day after
the quarter (天津 art 26 and 鄂州 require quarterly filing and name no day; the 15th is this
deployment's default), the annual report published before 31 January of the next year
(国办发〔2018〕118号（六）).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

ANNUAL = 0
QUARTER_DUE_DAYS = 15
QUARTER_DUE_SOURCE = (
    "季度统计报送（《天津市行政执法监督规定》第二十六条；鄂州市实施方案）：季后第15日为本部署设定"
)
ANNUAL_DUE_SOURCE = (
    "国办发〔2018〕118号（六）：每年1月31日前公开本机关上年度行政执法总体情况有关数据"
)


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int  # 0: the whole year

    @property
    def start(self) -> date:
        return (
            date(self.year, 1, 1)
            if self.quarter == ANNUAL
            else date(self.year, 3 * self.quarter - 2, 1)
        )

    @property
    def end(self) -> date:
        if self.quarter in (ANNUAL, 4):
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}年" if self.quarter == ANNUAL else f"{self.year}年第{self.quarter}季度"

    def previous_year(self) -> Period:
        return Period(self.year - 1, self.quarter)

    def due_on(
        self, *, quarter_days: int = QUARTER_DUE_DAYS, annual: tuple[int, int] = (1, 31)
    ) -> date:
        """The filing deadline: ``quarter_days`` calendar days after the quarter ends; the annual
        report by ``annual`` (month, day) of the next year."""
        if self.quarter == ANNUAL:
            return date(self.year + 1, *annual)
        return self.end + timedelta(days=quarter_days)


def period_of(year: int, quarter: int = ANNUAL) -> Period:
    if not 1900 < year < 3000 or quarter not in (0, 1, 2, 3, 4):
        raise ValueError("统计期应为某一年度或该年度的第1至4季度")
    return Period(year, quarter)
