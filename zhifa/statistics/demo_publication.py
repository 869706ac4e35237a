"""Demo of the 年度数据公开: the 示范市 agencies' accepted annual reports on the portal.

The filings part's demo generates, submits and has accepted the agencies' annual reports
through its recorded services; this one publishes the accepted ones through
``filing_publish`` — on 20 January of the next year, one late (3 February) so the page shows
the mark, and the last left accepted and unpublished. Idempotent: a published report stays.
"""

from __future__ import annotations

from datetime import date

from zhifa.registry import demo as registry_demo
from zhifa.registry.models import Account

from .models import Filing
from .periods import ANNUAL
from .services_publication import filing_publish


def load(today: date) -> list[str]:
    admin = Account.objects.filter(username="admin").first()
    if admin is None:
        return []
    prefix = registry_demo.CITY_CODE[:4]
    filings = list(
        Filing.objects.filter(
            quarter=ANNUAL, year__lt=today.year, agency__division_code__startswith=prefix
        )
        .exclude(state=Filing.State.DRAFT)
        .order_by("year", "agency__division_code", "agency__name")
    )
    left = filings[-1] if len(filings) > 1 else None  # stays accepted, for the visitor
    accepted = [f for f in filings if f.state == Filing.State.ACCEPTED and f != left]
    if not filings:
        return ["示范年度数据公开：没有可公开的年度统计（须先经监督机关接收），未做改动。"]
    if not accepted:
        return ["示范年度数据公开已加载，未做改动。"]
    published = late = 0
    for i, filing in enumerate(accepted):
        on = date(filing.year + 1, 2, 3) if i == 1 else date(filing.year + 1, 1, 20)
        filing_publish(actor=admin, filing=filing, on=on)
        published += 1
        late += on.month == 2
    return [f"已公开年度行政执法统计数据：{published}个机关（其中逾期公开{late}个）。"]
