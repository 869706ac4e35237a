"""A filing as JSON for the upper-level platforms: ``{"tables": [{"code", "name", "columns":
[...], "rows": [{"agency", "values": {column_code: number}}]}]}`` (the shape of ``zhifa stats
report``), with the filing's period, state, origin and the SHA-256 of its frozen figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .catalogue import INDICATORS
from .models import Filing
from .selectors_filings import amount_of, count_of, tables_for


def number_of(figs: dict[str, Any], code: str) -> int | float:
    ind = INDICATORS[code]
    if ind.unit == "元":
        return float(amount_of(figs, code) or Decimal(0))
    if code == "officers.certified_rate":
        posts = count_of(figs, "officers.posts")
        return round(count_of(figs, "officers.certified") * 100 / posts, 1) if posts else 0
    return count_of(figs, code)


def filing_json(filing: Filing, *, cases: bool = False) -> dict[str, Any]:
    figs = filing.figures or {}
    tables = []
    for t in tables_for(filing.agency):
        cols = [c for c in t.columns if c in INDICATORS]
        row: dict[str, Any] = {
            "agency": filing.agency.name,
            "agency_id": filing.agency_id,
            "values": {c: number_of(figs, c) for c in cols},
        }
        if cases:
            row["cases"] = {c: (filing.counted or {}).get(c, []) for c in cols}
        tables.append(
            {
                "code": t.code,
                "name": t.name,
                "columns": [
                    {"code": c, "name": INDICATORS[c].name, "unit": INDICATORS[c].unit}
                    for c in cols
                ],
                "rows": [row],
            }
        )
    return {
        "filing": {
            "id": filing.pk,
            "agency": filing.agency.name,
            "agency_id": filing.agency_id,
            "year": filing.year,
            "quarter": filing.quarter,
            "state": filing.state,
            "state_label": filing.get_state_display(),
            "origin": filing.origin,
            "origin_label": filing.get_origin_display(),
            "due_on": filing.due_on.isoformat(),
            "submitted_on": filing.submitted_on.isoformat() if filing.submitted_on else None,
            "figures_sha256": filing.figures_sha256,
        },
        "tables": tables,
    }
