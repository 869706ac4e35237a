"""Writes to core's own tables: the statutory calendar the system administrator keeps up to date
(next year's State Council notice entered without a release). Each service is one transaction
and records itself through :mod:`zhifa.core.recording` (actions ``core.calendar_year.save``,
``core.calendar_override.save``, ``core.calendar_override.delete``, ``core.calendar_year.delete``),
with the row before and after; the Django admin's save and delete call these.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import CalendarOverride, CalendarYear
from .recording import record_core_change

ACTIONS = (
    "core.calendar_year.save",
    "core.calendar_year.delete",
    "core.calendar_override.save",
    "core.calendar_override.delete",
)
_YEAR_FIELDS = ("year", "notice", "declared_complete")
_OVERRIDE_FIELDS = ("date", "is_workday", "note", "notice")


def _plain(row: CalendarYear | CalendarOverride | None, fields: tuple[str, ...]) -> Any:
    return None if row is None else {f: getattr(row, f) for f in fields}


def _stored(model: Any, pk: int | None, fields: tuple[str, ...]) -> Any:
    if pk is None:
        return None
    return _plain(model.objects.select_for_update().filter(pk=pk).first(), fields)


def _save(actor: Any, row: Any, fields: tuple[str, ...], action: str) -> None:
    """Save ``row`` and record it with its stored values before and after (one transaction)."""
    model = type(row)
    before = _stored(model, row.pk, fields)
    row.save()
    to = _plain(row, fields)
    record_core_change(
        actor, action, {"model": model._meta.label_lower, "id": row.pk, "from": before, "to": to}
    )


def _delete(actor: Any, row: Any, fields: tuple[str, ...], action: str) -> None:
    """Delete ``row`` and record it with the values it had."""
    model = type(row)
    before = _stored(model, row.pk, fields)
    pk = row.pk
    row.delete()
    record_core_change(
        actor, action, {"model": model._meta.label_lower, "id": pk, "from": before, "to": None}
    )


@transaction.atomic
def calendar_year_save(*, actor: Any, year: CalendarYear) -> CalendarYear:
    """Save ``year`` (new or changed) and record it with its previous values."""
    _save(actor, year, _YEAR_FIELDS, "core.calendar_year.save")
    return year


@transaction.atomic
def calendar_year_delete(*, actor: Any, year: CalendarYear) -> None:
    _delete(actor, year, _YEAR_FIELDS, "core.calendar_year.delete")


@transaction.atomic
def calendar_override_save(*, actor: Any, override: CalendarOverride) -> CalendarOverride:
    """Save ``override`` (a day made a working or a rest day) and record it."""
    _save(actor, override, _OVERRIDE_FIELDS, "core.calendar_override.save")
    return override


@transaction.atomic
def calendar_override_delete(*, actor: Any, override: CalendarOverride) -> None:
    _delete(actor, override, _OVERRIDE_FIELDS, "core.calendar_override.delete")
