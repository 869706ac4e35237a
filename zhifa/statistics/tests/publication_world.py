"""Filings for the publication tests, made directly (the filings part generates them through
its services): an agency's annual report with frozen figures, accepted or published."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhifa.core.testing import Personas
from zhifa.registry.models import Agency
from zhifa.statistics.models import Filing

A_FIGURES: dict[str, dict[str, Any]] = {
    "penalty.kind.warning": {"count": 3, "amount": None},
    "penalty.kind.fine": {"count": 5, "amount": None},
    "penalty.total": {"count": 8, "amount": None},
    "penalty.amount": {"count": 5, "amount": "12345.50"},
    "penalty.not_penalised": {"count": 1, "amount": "2000.00"},
    "inspection.count": {"count": 40, "amount": None},
}
B_FIGURES: dict[str, dict[str, Any]] = {
    "penalty.kind.fine": {"count": 2, "amount": None},
    "penalty.total": {"count": 2, "amount": None},
    "penalty.amount": {"count": 2, "amount": "1000"},
}


def filing(
    p: Personas,
    agency: Agency,
    figures: dict[str, dict[str, Any]],
    *,
    state: str = Filing.State.ACCEPTED,
    year: int = 2026,
    quarter: int = 0,
    published_on: date | None = None,
) -> Filing:
    return Filing.objects.create(
        agency=agency,
        year=year,
        quarter=quarter,
        origin=Filing.Origin.COMPUTED,
        state=state,
        figures=figures,
        figures_sha256="ab" * 32,
        due_on=date(year + 1, 1, 31),
        submitted_on=date(year + 1, 1, 10),
        decided_on=date(year + 1, 1, 15),
        published_on=published_on,
        updated_by=p.admin,
    )
