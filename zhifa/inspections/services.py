"""Writes of the inspections app (涉企行政检查). Every service runs in one transaction, locks what
it changes, checks its rules (``eligibility`` and the registered approval checks), appends its
record entry on the inspection's case, and returns the row it wrote."""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {}


def register() -> None:
    """Register the inspections' gates and listeners with cases (called from AppConfig.ready)."""
