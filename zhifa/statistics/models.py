"""行政执法统计: the facts each case contributes (derived, rebuildable), the tables a deployment
defines, and the agencies' quarterly and annual filings (frozen when submitted).

``Fact`` rows are derived from the cases by ``counting.facts_of`` — like the search index they
are not the record: ``facts.facts_refresh`` rewrites a case's facts in the transaction of every
step (a step listener), and ``zhifa stats rebuild`` recomputes them all. A filing, once
submitted, keeps its own figures and the ids of the cases it counted (``Filing.figures``,
``Filing.counted``) and is recorded; a later change to a case shows as a difference against the
live figures, never as a silently changed report.
"""

from __future__ import annotations

from django.db import models

from zhifa.cases.models import Case
from zhifa.registry.models import Account, Agency


class Fact(models.Model):
    """One case's contribution to one indicator, on the day it counts (derived)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        Agency, verbose_name="执法机关", on_delete=models.PROTECT, related_name="+"
    )
    division_code = models.CharField("行政区划代码", max_length=6)  # the agency's, copied
    indicator = models.CharField("指标", max_length=64)
    day = models.DateField("计入日期")
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2, null=True)

    class Meta:
        verbose_name = verbose_name_plural = "统计事实"
        indexes = [
            models.Index(fields=["division_code", "day", "indicator"], name="stat_fact_region"),
            models.Index(fields=["agency", "day", "indicator"], name="stat_fact_agency"),
            models.Index(fields=["case"], name="stat_fact_case"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}@{self.day}"


class TableDefinition(models.Model):
    """A deployment's own table, or a standard table with columns hidden or added: an ordered
    list of indicator codes (``catalogue.INDICATORS``). Recorded; a change is a new version."""

    code = models.CharField("表代码", max_length=64)
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("表名", max_length=200)
    columns = models.JSONField("栏目（指标代码）", default=list)
    active = models.BooleanField("启用", default=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    source = models.CharField("依据", max_length=300, blank=True)
    created_by = models.ForeignKey(
        Account, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "统计表定义"
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="stat_table_version"),
        ]

    def __str__(self) -> str:
        return self.name


class Filing(models.Model):
    """One agency's quarterly filing (季报, ``quarter`` 1–4) or annual report (年报,
    ``quarter`` 0) for a year, computed from zhifa's cases or filed by form/upload."""

    class State(models.TextChoices):
        DRAFT = "draft", "编制中"  # generated, being reviewed by the agency
        SUBMITTED = "submitted", "已报送"  # frozen; with the supervisory body
        RETURNED = "returned", "已退回"  # returned with comments; the agency revises and resubmits
        ACCEPTED = "accepted", "已接收"  # accepted by the supervisory body
        PUBLISHED = "published", "已公开"  # the annual figures are on the portal

    class Origin(models.TextChoices):
        COMPUTED = "computed", "系统生成"  # counted from the record
        FILED = "filed", "填报"  # typed or uploaded by an agency whose work is not in zhifa

    agency = models.ForeignKey(
        Agency, verbose_name="执法机关", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")  # 0: the annual report
    origin = models.CharField("来源", max_length=16, choices=Origin.choices)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.DRAFT)
    # {indicator: {"count": n, "amount": "123.45"|None}} as generated/filed and, once
    # submitted, frozen; ``counted``: {indicator: [case ids]} for computed filings.
    figures = models.JSONField("数据", default=dict)
    counted = models.JSONField("计入案件", default=dict)
    figures_sha256 = models.CharField("数据摘要", max_length=64, blank=True)
    narrative = models.TextField("情况说明", blank=True)
    special_notes = models.JSONField("专项说明", default=dict, blank=True)  # table code -> text
    due_on = models.DateField("报送期限")
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    decided_on = models.DateField("接收/退回日期", null=True, blank=True)
    comments = models.TextField("审查意见", blank=True)
    published_on = models.DateField("公开日期", null=True, blank=True)
    updated_by = models.ForeignKey(
        Account, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "统计报送"
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "quarter"], name="stat_filing_once"),
            models.CheckConstraint(condition=models.Q(quarter__lte=4), name="stat_filing_quarter"),
        ]

    def __str__(self) -> str:
        period = f"{self.year}年年报" if self.quarter == 0 else f"{self.year}年第{self.quarter}季度"
        return f"{self.agency} {period}"


# -- statistics publication (issue 16): the facts summed per agency and month --------------------


class FactMonth(models.Model):
    """The facts of one agency, month and indicator, summed (derived from ``Fact``, kept with
    it by ``aggregates``). Every statistical period is whole months (a quarter, a year), so a
    region's annual figures read some hundred thousand of these rows instead of millions of
    facts (bench/statistics_bench.py)."""

    agency = models.ForeignKey(
        Agency, verbose_name="执法机关", on_delete=models.PROTECT, related_name="+"
    )
    division_code = models.CharField("行政区划代码", max_length=6)
    month = models.DateField("月份")  # its first day
    indicator = models.CharField("指标", max_length=64)
    n = models.PositiveIntegerField("件数")
    amount = models.DecimalField("金额（元）", max_digits=18, decimal_places=2, null=True)

    class Meta:
        verbose_name = verbose_name_plural = "统计事实（按月汇总）"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month", "indicator"], name="stat_factmonth_once"
            ),
        ]
        indexes = [
            models.Index(fields=["division_code", "month"], name="stat_factmonth_region"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}@{self.month:%Y-%m}"
