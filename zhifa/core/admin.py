from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from zhifa.core.models import CalendarOverride, CalendarYear

if TYPE_CHECKING:
    _YearAdmin = admin.ModelAdmin[CalendarYear]
    _OverrideAdmin = admin.ModelAdmin[CalendarOverride]
else:  # ModelAdmin is not subscriptable at runtime without django-stubs-ext
    _YearAdmin = _OverrideAdmin = admin.ModelAdmin


@admin.register(CalendarYear)
class CalendarYearAdmin(_YearAdmin):
    list_display = ("year", "declared_complete", "notice", "updated_at")
    list_filter = ("declared_complete",)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(_OverrideAdmin):
    list_display = ("date", "is_workday", "note", "notice", "updated_at")
    list_filter = ("is_workday",)
    search_fields = ("note", "notice")
    date_hierarchy = "date"
