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


@transaction.atomic
def calendar_year_save(*, actor: Any, year: CalendarYear) -> CalendarYear:
    """Save ``year`` (new or changed) and record it with its previous values."""
    before = _stored(CalendarYear, year.pk, _YEAR_FIELDS)
    year.save()
    record_core_change(
        actor,
        "core.calendar_year.save",
        {
            "model": CalendarYear._meta.label_lower,
            "id": year.pk,
            "from": before,
            "to": _plain(year, _YEAR_FIELDS),
        },
    )
    return year


@transaction.atomic
def calendar_year_delete(*, actor: Any, year: CalendarYear) -> None:
    before = _stored(CalendarYear, year.pk, _YEAR_FIELDS)
    pk = year.pk
    year.delete()
    record_core_change(
        actor,
        "core.calendar_year.delete",
        {"model": CalendarYear._meta.label_lower, "id": pk, "from": before, "to": None},
    )


@transaction.atomic
def calendar_override_save(*, actor: Any, override: CalendarOverride) -> CalendarOverride:
    """Save ``override`` (a day made a working or a rest day) and record it."""
    before = _stored(CalendarOverride, override.pk, _OVERRIDE_FIELDS)
    override.save()
    record_core_change(
        actor,
        "core.calendar_override.save",
        {
            "model": CalendarOverride._meta.label_lower,
            "id": override.pk,
            "from": before,
            "to": _plain(override, _OVERRIDE_FIELDS),
        },
    )
    return override


@transaction.atomic
def calendar_override_delete(*, actor: Any, override: CalendarOverride) -> None:
    before = _stored(CalendarOverride, override.pk, _OVERRIDE_FIELDS)
    pk = override.pk
    override.delete()
    record_core_change(
        actor,
        "core.calendar_override.delete",
        {"model": CalendarOverride._meta.label_lower, "id": pk, "from": before, "to": None},
    )
