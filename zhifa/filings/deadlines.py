"""The two time limits of a filing, rows of ``core.time_limits`` (registered in ``apps.ready``).

Neither 《行政处罚法》 nor 《行政执法监督条例》 sets them (supervision.md §0, §6): the provinces
do, and differently, so each is a row a deployment may replace with its own number and source.

- ``filings.file``: the agency files within 15 calendar days of the decision — 《四川省行政执法
  监督条例》第三十六条 (the same in 辽宁 16, 江西 13); 天津 14 says 10 days.
- ``filings.review``: the supervisor reviews within 30 calendar days of the filing — the issue's
  default; the rules read say 20 days (江西实施办法 16) or 60 days (辽宁 16), so a deployment
  should configure its own row.
"""

from __future__ import annotations

from zhifa.core.time_limits import TimeLimit

FILE = "filings.file"
REVIEW = "filings.review"

TIME_LIMITS = (
    TimeLimit(FILE, "报送重大行政处罚决定备案", 15, "days", "《四川省行政执法监督条例》第三十六条"),
    TimeLimit(
        REVIEW,
        "审查重大行政处罚决定备案",
        30,
        "days",
        "各地重大行政处罚备案审查规定（默认30日；《辽宁省行政执法监督规定》第十六条为60日）",
    ),
)
