"""The 裁量基准 applied to a case (国办发〔2022〕27号（十二）、（十四）): what the officer found and
chose at 事先告知 and at 决定, and the approval of a deviation.

Rows are appended, never edited: a new application of the same stage replaces the earlier one
for what follows (the latest counts), the earlier stays in the file. Each row points at the
record entry that wrote it and holds the SHA-256 of what that entry says (``zhifa verify``).
"""

from __future__ import annotations

from django.db import models

from zhifa.cases.models import Case
from zhifa.law.discretion import GRADE_LABELS
from zhifa.registry.models import Account, DiscretionBenchmark


class Application(models.Model):
    """One application of a 基准 entry to a case at one stage."""

    class Stage(models.TextChoices):
        NOTICE = "notice", "事先告知"  # 《行政处罚法》第四十四条: the proposed penalty told
        DECISION = "decision", "处罚决定"  # 第五十七条: the decision

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="discretion_applications"
    )
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    benchmark = models.ForeignKey(
        DiscretionBenchmark,
        verbose_name="裁量基准",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # [{"code", "group", "text", "article", "evidence", "evidence_label"}]: each circumstance
    # found with the record entry, document or history finding it rests on.
    circumstances = models.JSONField("认定的裁量情节", default=list)
    base_amount = models.DecimalField(
        "倍数基数金额（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    proposed_grade = models.CharField("建议裁量阶次", max_length=16, blank=True)
    grade = models.CharField("适用裁量阶次", max_length=16)
    range_text = models.CharField("法定幅度", max_length=200)
    band_text = models.CharField("阶次幅度", max_length=200, blank=True)
    judgement = models.TextField("综合裁量理由", blank=True)
    fine = models.DecimalField(
        "拟处罚款（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    penalty_kinds = models.JSONField("拟处罚种类", default=list, blank=True)
    deviates = models.BooleanField("偏离裁量基准", default=False)
    deviation_reason = models.TextField("偏离理由", blank=True)
    recorded_by = models.ForeignKey(
        Account, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField("日期")
    entry_seq = models.BigIntegerField("记录序号")
    digest = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "裁量基准适用"
        ordering = ["case_id", "stage", "-pk"]
        indexes = [models.Index(fields=["case", "stage"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_stage_display()} {self.grade}"

    def get_grade_label(self) -> str:
        return str(GRADE_LABELS.get(self.grade, self.grade))  # type: ignore[call-overload]


class DeviationApproval(models.Model):
    """The approval of a deviation from the 基准 (国办发〔2022〕27号（十二）; 国市监法规〔2022〕2号
    第八条): by the agency head or decided in 集体讨论, with the reason; where the 基准 is an
    upper level's, that body's approval as received."""

    class Way(models.TextChoices):
        HEAD = "head", "主要负责人批准"
        COLLECTIVE = "collective", "集体讨论决定"

    application = models.ForeignKey(
        Application, verbose_name="裁量基准适用", on_delete=models.PROTECT, related_name="approvals"
    )
    way = models.CharField("批准方式", max_length=16, choices=Way.choices)
    reason = models.TextField("偏离理由")
    minutes = models.CharField("集体讨论记录", max_length=200, blank=True)
    fine = models.DecimalField(
        "批准的罚款（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    approved_by = models.ForeignKey(
        Account, verbose_name="批准人", on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField("批准日期")
    upper_body = models.CharField("上级制定机关", max_length=128, blank=True)
    upper_document = models.CharField("上级批准文号", max_length=128, blank=True)
    upper_received_on = models.DateField("上级批准收到日期", null=True, blank=True)
    entry_seq = models.BigIntegerField("记录序号")
    digest = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "偏离裁量基准的批准"
        ordering = ["application_id", "-pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_way_display()}"
