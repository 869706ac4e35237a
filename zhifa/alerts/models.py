"""Early warnings (预警, 《行政执法监督条例》第三十七条): one row per rule and subject.

A warning is opened by the scheduled run when its rule fires, kept up to date while it fires,
and resolved when it no longer does (``services.warnings_refresh``); a supervisor may dismiss it
with a reason, or open a supervision matter from it. Nothing is deleted: a resolved warning
that fires again is opened again, its history in the record (``alerts.*`` entries).
"""

from __future__ import annotations

from django.db import models

from zhifa.registry.models import Account, Agency


class Warning(models.Model):
    """One rule firing (or having fired) on one subject: a case, an agency, an officer …"""

    class State(models.TextChoices):
        OPEN = "open", "预警中"  # the rule fires on the subject
        DISMISSED = "dismissed", "已排除"  # a supervisor found nothing to act on (reason kept)
        RESOLVED = "resolved", "已消除"  # the rule no longer fires

    rule = models.CharField("预警规则", max_length=40)
    subject = models.CharField("预警对象", max_length=100)
    agency = models.ForeignKey(
        Agency, verbose_name="涉及的执法主体", on_delete=models.PROTECT, related_name="+"
    )
    # The agency's division, copied so that a region's counts read one index.
    division_code = models.CharField("行政区划代码", max_length=6)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.OPEN)
    title = models.CharField("预警内容", max_length=300)
    measure = models.DecimalField("指标值", max_digits=14, decimal_places=2)
    facts = models.JSONField("依据的事实", default=list)
    first_seen_on = models.DateField("首次预警日期")
    last_seen_on = models.DateField("最近一次预警日期")
    resolved_on = models.DateField("消除日期", null=True, blank=True)
    times_opened = models.PositiveIntegerField("预警次数", default=1)

    dismissed_reason = models.TextField("排除理由", blank=True)
    dismissed_by = models.ForeignKey(
        Account,
        verbose_name="排除人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dismissed_at = models.DateTimeField("排除时间", null=True, blank=True)
    dismissed_facts = models.JSONField("排除时的事实", default=list, blank=True)

    # The supervision matter opened from the warning (supervision app; kept as its id so that
    # alerts does not depend on it).
    matter_id = models.BigIntegerField("监督事项", null=True, blank=True)
    matter_opened_by = models.ForeignKey(
        Account,
        verbose_name="立项人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter_opened_at = models.DateTimeField("立项时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预警"
        ordering = ["-last_seen_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject"], name="warning_rule_subject"),
        ]
        indexes = [
            # The dashboard: open warnings of a region, counted per agency and per rule.
            models.Index(
                fields=["state", "division_code", "agency", "rule"], name="warning_state_region"
            ),
            models.Index(fields=["agency", "state"], name="warning_agency_state"),
        ]

    def __str__(self) -> str:
        return self.title


class WarningRun(models.Model):
    """One run of the rules (for the dashboard's "as of" and the bench)."""

    ran_on = models.DateField("预警日期")
    started_at = models.DateTimeField("开始时间")
    seconds = models.DecimalField("用时（秒）", max_digits=10, decimal_places=3)
    counts = models.JSONField("各规则结果", default=dict)
    entry_seq = models.BigIntegerField("记录序号", null=True, blank=True)
    # Per rule: whether it was evaluated in full or only over what changed since the rule's
    # previous run, and the high-water marks it read up to (``rules.Rule.marks``), which the
    # next incremental run of the rule starts from.
    modes = models.JSONField("各规则运行方式", default=dict)
    marks = models.JSONField("各规则已读取至", default=dict)
    # Whether the run wrote a new snapshot of the dashboard's counts (``WarningCount``).
    counted = models.BooleanField("写入统计", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "预警运行"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.ran_on} {self.seconds}s"


class WarningCount(models.Model):
    """The dashboard's figures, append-only: a run whose counts differ from those shown writes
    a snapshot (one row per agency and rule with open warnings, ``run`` that run); a dismissal
    or a matter opened afterwards appends its change (−1 open, +1 with a matter …) under the
    same run. The dashboard sums the rows of the latest counted run — a few thousand rows
    instead of a province's warnings — and nothing is ever deleted or overwritten."""

    run = models.ForeignKey(
        WarningRun,
        verbose_name="预警运行",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    division_code = models.CharField("行政区划代码", max_length=6)
    rule = models.CharField("预警规则", max_length=40)
    open = models.IntegerField("预警中")
    with_matter = models.IntegerField("已立监督事项")

    class Meta:
        verbose_name = verbose_name_plural = "预警统计"
        indexes = [
            models.Index(
                fields=["run", "division_code", "rule", "open", "with_matter"],
                name="warning_count_run_region",
            ),
            models.Index(
                fields=["run", "division_code", "agency", "open"], name="warning_count_run_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.rule}: {self.open}"
