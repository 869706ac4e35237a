from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhifa.core import services
from zhifa.core.jobs import job_named
from zhifa.core.models import CalendarOverride, CalendarYear, JobRun

if TYPE_CHECKING:
    _YearAdmin = admin.ModelAdmin[CalendarYear]
    _OverrideAdmin = admin.ModelAdmin[CalendarOverride]
    _JobRunAdmin = admin.ModelAdmin[JobRun]
else:  # ModelAdmin is not subscriptable at runtime without django-stubs-ext
    _YearAdmin = _OverrideAdmin = _JobRunAdmin = admin.ModelAdmin


@admin.register(CalendarYear)
class CalendarYearAdmin(_YearAdmin):
    """Edited here by design (next year's notice without a release); every save and delete goes
    through ``core.services`` and is recorded."""

    list_display = ("year", "declared_complete", "notice", "updated_at")
    list_filter = ("declared_complete",)

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        services.calendar_year_save(actor=request.user, year=obj)

    def delete_model(self, request: HttpRequest, obj: CalendarYear) -> None:
        services.calendar_year_delete(actor=request.user, year=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        for year in queryset:
            services.calendar_year_delete(actor=request.user, year=year)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(_OverrideAdmin):
    """Edited here by design; every save and delete goes through ``core.services`` and is
    recorded."""

    list_display = ("date", "is_workday", "note", "notice", "updated_at")
    list_filter = ("is_workday",)
    search_fields = ("note", "notice")
    date_hierarchy = "date"

    def save_model(
        self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool
    ) -> None:
        services.calendar_override_save(actor=request.user, override=obj)

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        services.calendar_override_delete(actor=request.user, override=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        for override in queryset:
            services.calendar_override_delete(actor=request.user, override=override)


@admin.register(JobRun)
class JobRunAdmin(_JobRunAdmin):
    """The scheduled jobs' log (``zhifa cron``), read-only: rows are written by the runs alone
    and never changed nor deleted."""

    list_display = ("started_at", "job", "job_label", "outcome", "forced", "message", "host")
    list_filter = ("outcome", "job", "forced")
    search_fields = ("job", "summary", "error")
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in JobRun._meta.fields]

    @admin.display(description=_("任务名称"))
    def job_label(self, run: JobRun) -> str:
        job = job_named(run.job)
        return "" if job is None else str(job.label)

    @admin.display(description=_("摘要或错误"))
    def message(self, run: JobRun) -> str:
        return (run.error or run.summary).split("\n", 1)[0]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: JobRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: JobRun | None = None) -> bool:
        return False
