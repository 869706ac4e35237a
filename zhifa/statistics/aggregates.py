"""The facts summed per agency, month and indicator (``models.FactMonth``): derived from the
facts and kept with them, so the figures of a region's year read a few hundred thousand rows
instead of millions (bench/statistics_bench.py: the region's annual report of 1,000,000 cases).

Every statistical period is whole months (``periods.Period``: a quarter or a year), so the sum
over its months is exactly the count over its days. ``months_refresh`` recomputes the cells a
change touched from the facts (called by ``facts.facts_refresh`` in the same transaction);
``months_rebuild`` recomputes them all (``facts.facts_rebuild``, ``zhifa stats rebuild``, and a
bench that inserts facts directly). The drill-down to the cases stays on the facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from .models import Fact, FactMonth

BATCH = 5000


def month_of(day: date) -> date:
    return day.replace(day=1)


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def months_refresh(cells: Iterable[tuple[int, date]]) -> None:
    """Recompute the (agency id, first day of month) cells from the facts."""
    by_month: dict[date, set[int]] = defaultdict(set)
    for agency_id, month in cells:
        by_month[month_of(month)].add(agency_id)
    for month, agencies in by_month.items():
        FactMonth.objects.filter(month=month, agency_id__in=agencies).delete()
        rows = (
            Fact.objects.filter(agency_id__in=agencies, day__gte=month, day__lte=_month_end(month))
            .values("agency_id", "division_code", "indicator")
            .annotate(n=Count("id"), total=Sum("amount"))
            .order_by()
        )
        FactMonth.objects.bulk_create(
            [
                FactMonth(
                    agency_id=r["agency_id"],
                    division_code=r["division_code"],
                    month=month,
                    indicator=r["indicator"],
                    n=r["n"],
                    amount=r["total"],
                )
                for r in rows
            ],
            batch_size=BATCH,
        )


@transaction.atomic
def months_rebuild() -> int:
    """Recompute every cell from the facts; returns how many cells were written."""
    FactMonth.objects.all().delete()
    rows = (
        Fact.objects.annotate(m=TruncMonth("day"))
        .values("agency_id", "division_code", "m", "indicator")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by()
    )
    written = 0
    batch: list[FactMonth] = []
    for r in rows.iterator(chunk_size=BATCH):
        m = r["m"]
        batch.append(
            FactMonth(
                agency_id=r["agency_id"],
                division_code=r["division_code"],
                month=m.date() if hasattr(m, "date") else m,
                indicator=r["indicator"],
                n=r["n"],
                amount=r["total"],
            )
        )
        if len(batch) >= BATCH:
            FactMonth.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    FactMonth.objects.bulk_create(batch)
    return written + len(batch)
