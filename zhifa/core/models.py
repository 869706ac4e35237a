"""The admin-editable statutory calendar: next year's State Council notice is entered here,
without a release. ``zhifa.core.calendar.current_calendar()`` reads these rows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose holiday notice has been entered; ``declared_complete`` makes it known."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    notice = models.CharField(
        _("依据通知"), max_length=200, blank=True, help_text=_("如：国办发明电〔2026〕x号")
    )
    declared_complete = models.BooleanField(
        _("已完整录入"),
        default=False,
        help_text=_(
            "该年度全部放假和调休上班日均已作为“法定节假日调整”录入后勾选；未勾选的年度无法计算工作日。"
        ),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("法定节假日年度")
        verbose_name_plural = _("法定节假日年度")
        ordering = ("-year",)

    def __str__(self) -> str:
        return gettext("%(year)s年") % {"year": self.year}


class CalendarOverride(models.Model):
    """One day made a working day (调休上班) or a rest day (放假), overriding the package."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"), help_text=_("勾选：调休上班；不勾选：放假。"))
    note = models.CharField(
        _("说明"), max_length=100, blank=True, help_text=_("如：春节、国庆节调休")
    )
    notice = models.CharField(
        _("依据通知"), max_length=200, blank=True, help_text=_("如：国办发明电〔2026〕x号")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("法定节假日调整")
        verbose_name_plural = _("法定节假日调整")
        ordering = ("date",)

    def __str__(self) -> str:
        status = gettext("工作日") if self.is_workday else gettext("休息日")
        return f"{self.date.isoformat()} {status}"


class JobRun(models.Model):
    """One run of a scheduled job (``zhifa cron``, see ``zhifa.core.jobs``) that was due, or was
    forced with ``--run``. Written once when the run ends; never changed nor deleted: it is the
    job's log, and its latest successful row is what tells when the job is due again."""

    class Outcome(models.TextChoices):
        OK = "ok", _("成功")  # the job did its work; counts as its latest success
        FAILED = (
            "failed",
            _("失败"),
        )  # it raised: ``error`` holds the message, the log the traceback
        SKIPPED_LOCKED = "skipped_locked", _("正在运行，跳过")  # another run held the job's lock

    job = models.CharField(_("任务"), max_length=100)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"))
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices)
    forced = models.BooleanField(_("手动运行"), default=False, help_text=_("zhifa cron --run"))
    summary = models.TextField(_("摘要"), blank=True)
    error = models.TextField(_("错误"), blank=True)
    host = models.CharField(_("运行主机"), max_length=200, blank=True, help_text=_("主机名:进程号"))

    class Meta:
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")
        ordering = ("-started_at", "-id")
        indexes = [
            # "the latest successful run of this job", asked for every job every minute
            models.Index(fields=["job", "outcome", "-started_at"], name="core_jobrun_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at.isoformat()} {self.outcome}"


class ThrottleWindow(models.Model):
    """How many requests one client (``key``: a network address) made for one purpose
    (``scope``: ``publicity.report``, ``api.token_failure`` …) in one fixed window of time.

    Kept in the database, not in a per-process cache, so every server process and every
    application server counts the same requests (``zhifa.core.throttling``). Rows are scratch:
    ``zhifa cron`` deletes them once ``expires_at`` has passed (two windows after they began).
    """

    scope = models.CharField(_("用途"), max_length=64)
    key = models.CharField(_("来源"), max_length=128)
    window_start = models.DateTimeField(_("时段开始"))
    hits = models.PositiveIntegerField(_("次数"), default=0)
    expires_at = models.DateTimeField(_("过期时间"))

    class Meta:
        verbose_name = _("频率限制计数")
        verbose_name_plural = _("频率限制计数")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="core_throttle_window_unique"
            )
        ]
        indexes = [models.Index(fields=["expires_at"], name="core_throttle_expiry")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.window_start.isoformat()} ×{self.hits}"
