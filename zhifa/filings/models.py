"""Filings of major penalty decisions (重大行政处罚决定备案) and their review (备案审查).

A decision that meets the configured "major" test (``major_penalties``) is filed by its agency
with the supervisory body of its region within the configured period; the filing references
the record (``package``), it copies nothing. The supervisor reviews it within the configured
period: 予以备案 (登记存档), 建议纠正 (opens a supervision matter), or 移送; the review ends
without an outcome when the decision is under 行政复议 or 行政诉讼 (《行政执法监督条例》第三十三条:
不重复监督). Decisions not yet filed are not rows: they are read from the cases
(``selectors.decisions_unfiled``).

A filing changes only through ``filings.services``; each change appends a ``filing.*`` entry
on the case's record in the same transaction, and ``zhifa verify`` replays the rows.
"""

from __future__ import annotations

from django.db import models

from zhifa.cases.models import Case
from zhifa.registry.models import Account, Agency


class Filing(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", "待审查"  # filed; the supervisor's review period runs
        REGISTERED = "registered", "予以备案"  # lawful: registered and kept (登记存档)
        CORRECTION = "correction", "建议纠正"  # defects: a supervision matter was opened
        TRANSFERRED = "transferred", "移送"  # handed to the competent body (e.g. a crime clue)
        CLOSED = "closed", "终止审查"  # the decision is under 行政复议 or 行政诉讼

    class Proceeding(models.TextChoices):
        RECONSIDERATION = "reconsideration", "行政复议"
        LITIGATION = "litigation", "行政诉讼"

    case = models.OneToOneField(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="major_filing"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="报送机关", on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField("备案审查机关所在区域", max_length=6)
    supervisory_body = models.ForeignKey(
        Agency,
        verbose_name="备案审查机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_number = models.CharField("决定书文号", max_length=64, blank=True)
    decided_on = models.DateField("决定日期")
    reasons = models.JSONField("属于重大行政处罚的理由", default=list)  # [{"text","source"}]
    package = models.JSONField("备案材料", default=list)  # see package.py
    report = models.TextField("备案报告（说明）", blank=True)
    due_on = models.DateField("备案期限")
    due_basis = models.CharField("备案期限依据", max_length=200)
    filed_on = models.DateField("报送日期")
    late = models.BooleanField("逾期报送", default=False)
    late_reason = models.TextField("逾期说明", blank=True)
    filed_by = models.ForeignKey(
        Account, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("报送时间")
    review_due_on = models.DateField("审查期限")
    review_basis = models.CharField("审查期限依据", max_length=200)
    state = models.CharField("状态", max_length=16, choices=State.choices)
    reviewed_by = models.ForeignKey(
        Account,
        verbose_name="审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    opinion = models.TextField("审查意见", blank=True)
    transferred_to = models.CharField("移送机关", max_length=128, blank=True)
    matter_id = models.BigIntegerField("监督事项", null=True, blank=True)
    proceeding = models.CharField(
        "复议或诉讼", max_length=16, choices=Proceeding.choices, blank=True
    )
    proceeding_body = models.CharField("复议机关或人民法院", max_length=128, blank=True)
    proceeding_on = models.DateField("受理日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "重大行政处罚决定备案"
        ordering = ["-filed_on", "-id"]
        indexes = [
            models.Index(fields=["region_code", "state"], name="filing_region_state"),
            models.Index(fields=["agency", "state"], name="filing_agency_state"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number or self.case_id} 备案"
