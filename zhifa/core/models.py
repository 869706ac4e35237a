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
