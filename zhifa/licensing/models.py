"""行政许可: what a licence application has beyond its case, and the licence it leads to.

The application is a :class:`~zhifa.cases.models.Case` of kind ``licensing`` (its state, its
party — the applicant —, its officers, steps, extensions, documents and record are the case's).
What only a licence application has lives here, one row per case (``Application``), with the
periods excluded by 第四十五条 (``ExcludedPeriod``) and the licence issued (``Licence``), so the
case table does not grow columns for one procedure. Every row changes only through
``licensing.services``, whose record entries carry the rows (``licensing.selectors`` replays
them for ``zhifa verify``).
"""

from __future__ import annotations

import secrets

from django.db import models

from zhifa.cases.models import Case


def _token() -> str:
    return secrets.token_urlsafe(18)


class Application(models.Model):
    """One licence application (申请) with its acceptance, examination and decision facts."""

    class Channel(models.TextChoices):
        ONLINE = "online", "网上申请"
        WINDOW = "window", "窗口申请"

    class Outcome(models.TextChoices):
        GRANTED = "granted", "准予行政许可"
        REFUSED = "refused", "不予行政许可"

    case = models.OneToOneField(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="licence_application"
    )
    channel = models.CharField("申请方式", max_length=8, choices=Channel.choices)
    received_on = models.DateField("收到申请材料日期")
    matter = models.CharField("申请事项", max_length=200)
    materials = models.JSONField("已提交材料", default=list, blank=True)
    missing = models.JSONField("需补正材料", default=list, blank=True)  # told once (第三十二条)
    completeness_deadline = models.DateField("告知补正期限", null=True, blank=True)
    correction_notified_on = models.DateField("告知补正日期", null=True, blank=True)
    correction_number = models.CharField("补正材料通知书文号", max_length=64, blank=True)
    completed_on = models.DateField("材料补齐日期", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    acceptance_deemed = models.BooleanField("逾期未告知视为受理", default=False)
    acceptance_number = models.CharField("受理通知书文号", max_length=64, blank=True)
    not_accepted_reason = models.TextField("不予受理理由", blank=True)
    non_acceptance_number = models.CharField("不予受理决定书文号", max_length=64, blank=True)
    verification_required = models.BooleanField("须实地核查", default=False)  # 第三十四条第三款
    hearing_required = models.BooleanField(
        "法律规定或本机关认为须听证", default=False
    )  # 第四十六条
    hearing_right_number = models.CharField("听证告知书文号", max_length=64, blank=True)
    extension_number = models.CharField("延期通知书文号", max_length=64, blank=True)
    extension_reason = models.TextField("延期理由", blank=True)
    outcome = models.CharField("决定", max_length=8, choices=Outcome.choices, blank=True)
    decision_late = models.BooleanField("逾期作出决定", default=False)
    content = models.TextField("许可内容（范围）", blank=True)
    reasons = models.TextField("理由", blank=True)  # a refusal's reasons (第三十八条第二款)
    valid_from = models.DateField("有效期自", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "行政许可申请"
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.matter}（{self.case_id}）"


class ExcludedPeriod(models.Model):
    """A period not counted in the decision period (第四十五条): hearing, testing, expert review
    … Its working days (both ends counted) push the decision deadline; ``ended_on`` empty while
    it runs."""

    class Kind(models.TextChoices):
        HEARING = "hearing", "听证"
        TENDER = "tender", "招标、拍卖"
        TESTING = "testing", "检验、检测、检疫"
        APPRAISAL = "appraisal", "鉴定"
        EXPERT = "expert", "专家评审"

    application = models.ForeignKey(
        Application, verbose_name="许可申请", on_delete=models.PROTECT, related_name="pauses"
    )
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    workdays = models.PositiveIntegerField("不计入的工作日", default=0)
    note = models.CharField("说明（所需时间）", max_length=200, blank=True)
    notice_number = models.CharField("特别程序告知书文号", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "不计入许可期限的期间"
        ordering = ["application_id", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}–{self.ended_on or ''}"


class Licence(models.Model):
    """The licence issued (行政许可证件) and what became of it (第四十九、五十、七十条)."""

    class State(models.TextChoices):
        VALID = "valid", "有效"
        WITHDRAWN = "withdrawn", "已撤回"  # 第八条
        REVOKED = "revoked", "已撤销"  # 第六十九条
        CANCELLED = "cancelled", "已注销"  # 第七十条

    application = models.OneToOneField(
        Application, verbose_name="许可申请", on_delete=models.PROTECT, related_name="licence"
    )
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="licences"
    )
    number = models.CharField("许可证编号", max_length=64, unique=True)
    token = models.CharField("核验码", max_length=32, unique=True, default=_token)
    holder = models.CharField("持证人", max_length=128)
    holder_is_person = models.BooleanField("持证人为自然人", default=False)
    item = models.CharField("许可事项", max_length=200)
    content = models.TextField("许可内容（范围）", blank=True)
    issued_on = models.DateField("颁发日期")
    valid_from = models.DateField("有效期自")
    valid_until = models.DateField("有效期至")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.VALID)
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.TextField("终止理由", blank=True)
    renewal_applied_on = models.DateField("申请延续日期", null=True, blank=True)
    renewal_decided_on = models.DateField("延续决定日期", null=True, blank=True)
    renewal_granted = models.BooleanField("准予延续", null=True, blank=True)
    changes = models.JSONField("变更记录", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "行政许可证件"
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number
