from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

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
    list_display = ("year", "declared_complete", "notice", "updated_at")
    list_filter = ("declared_complete",)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(_OverrideAdmin):
    list_display = ("date", "is_workday", "note", "notice", "updated_at")
    list_filter = ("is_workday",)
    search_fields = ("note", "notice")
    date_hierarchy = "date"


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
