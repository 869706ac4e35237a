"""Look-back windows over a party's earlier violations (当事人违法记录的回溯期间).

Two rules read the party's history:

- 首违不罚 (《行政处罚法》第三十三条第一款 "初次违法"): the State Administration for Market
  Regulation defines a first violation as "两年内，经营主体无同类违法记录" (SAMR, on the
  《市场监管行政违法行为首违不罚清单》, 国市监法〔2025〕10号). Look-back: 2 years.
- 可以从重 for a repeat (国市监法规〔2022〕2号第十六条: "在一年内因同一种违法行为受过行政处罚的"):
  look-back 1 year, and only earlier *penalties* count.

Both windows are settings (``ZHIFA_HISTORY_LOOKBACK``, years) with their source; a deployment
whose sector or province defines another window changes the number and names its source.

Window: an earlier record dated on ``since(until)`` or later, up to ``until``, lies within the
look-back; one dated the day before ``since`` does not. ``since`` is the same calendar day
``years`` earlier (29 February → 28 February), the way 《民法典》第二百零二条 counts years.

Pure: no Django, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FIRST_VIOLATION = "first_violation"
REPEAT = "repeat"


@dataclass(frozen=True)
class Lookback:
    """How far back the party's history is read for one rule, and where that comes from."""

    key: str
    years: int
    source: str
    penalties_only: bool  # only earlier penalties count (not a 不予处罚 with the violation found)

    def since(self, until: date) -> date:
        """First day inside the window that ends on ``until``."""
        year = until.year - self.years
        try:
            return until.replace(year=year)
        except ValueError:  # 29 February in a year without one
            return date(year, 2, 28)

    @property
    def text(self) -> str:
        return f"{self.years}年（依据：{self.source}）"


DEFAULTS: dict[str, Lookback] = {
    FIRST_VIOLATION: Lookback(
        FIRST_VIOLATION,
        2,
        "国家市场监督管理总局《市场监管行政违法行为首违不罚清单》释义：首违是指两年内无同类违法记录",
        penalties_only=False,
    ),
    REPEAT: Lookback(
        REPEAT,
        1,
        "《关于规范市场监督管理行政处罚裁量权的指导意见》（国市监法规〔2022〕2号）第十六条",
        penalties_only=True,
    ),
}


def lookback(key: str, overrides: dict[str, dict[str, object]] | None = None) -> Lookback:
    """The window for ``key``, with a deployment's override (``years`` and ``source``)."""
    base = DEFAULTS[key]
    row = (overrides or {}).get(key)
    if not row:
        return base
    return Lookback(
        key,
        int(row.get("years", base.years)),  # type: ignore[call-overload]
        str(row.get("source", base.source)),
        base.penalties_only,
    )
