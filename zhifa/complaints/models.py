"""Complaints about enforcement (投诉举报) taken by the supervisory body, and the external
supervisors (行政执法监督员) it appoints.

A complaint's state changes only through ``services``; each change is an event row and a record
entry. The complainant's identity (name, contact) is personal data: it leaves this app only
through ``selectors.complaint_identity_for`` (supervisors, or the agency when the complainant
consented), never in a published text.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhifa.registry.models import Account, Agency, Officer


class ComplaintChannel(models.Model):
    """How a supervisory body (a 司法局) takes complaints — published on the portal
    (《广东省行政执法监督条例》第二十条: 公布投诉举报电话、通信地址、电子邮箱)."""

    body = models.OneToOneField(
        Agency, verbose_name="监督机构", on_delete=models.PROTECT, related_name="complaint_channel"
    )
    phone = models.CharField("投诉举报电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    hours = models.CharField("受理时间", max_length=100, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "投诉举报渠道"

    def __str__(self) -> str:
        return self.body.name


class Complaint(models.Model):
    """One complaint or report about an enforcement act or officer."""

    class Origin(models.TextChoices):
        PORTAL = "portal", "网上投诉"  # the public page
        HOTLINE = "hotline_12345", "12345热线转办"  # imported work orders
        EXTERNAL_SUPERVISOR = "external_supervisor", "行政执法监督员反映"

    class State(models.TextChoices):
        RECEIVED = "received", "已收到，待受理"  # within the acceptance period
        ACCEPTED = "accepted", "已受理，办理中"  # being handled
        REFUSED = "refused", "不予受理"  # with a reason (final)
        TRANSFERRED = "transferred", "已移送"  # to the competent body (final)
        CONCLUDED = "concluded", "已办结"  # result given (final)

    number = models.CharField("投诉编号", max_length=24, unique=True)
    code_hash = models.CharField("查询码摘要", max_length=128, blank=True)
    origin = models.CharField("来源", max_length=24, choices=Origin.choices)
    source_ref = models.CharField("来源编号", max_length=64, blank=True)  # 12345 工单号
    agency = models.ForeignKey(
        Agency, verbose_name="被投诉执法主体", on_delete=models.PROTECT, related_name="complaints"
    )
    officer = models.ForeignKey(
        Officer,
        verbose_name="被投诉执法人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    officer_given = models.CharField("投诉人所述执法人员", max_length=64, blank=True)
    certificate_number = models.CharField("执法证件编号", max_length=32, blank=True)
    facts = models.TextField("投诉事项")
    happened_on = models.DateField("发生日期")
    anonymous = models.BooleanField("匿名", default=False)
    complainant_name = models.CharField("投诉人姓名", max_length=64, blank=True)
    complainant_contact = models.CharField("联系方式", max_length=128, blank=True)
    consent_share = models.BooleanField("同意向被投诉机关提供身份", default=False)
    submitted_by = models.ForeignKey(
        Account,
        verbose_name="提交账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_submitted",
    )
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.RECEIVED)
    received_on = models.DateField("收到日期")
    accept_due = models.DateField("受理期限")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    handle_due = models.DateField("办结期限", null=True, blank=True)
    extended = models.BooleanField("已延长办理期限", default=False)
    closed_on = models.DateField("终结日期", null=True, blank=True)
    refusal_reason = models.CharField("不予受理理由", max_length=32, blank=True)
    transferred_to = models.CharField("移送机关", max_length=128, blank=True)
    result = models.TextField("办理结果", blank=True)
    result_told_on = models.DateField("告知投诉人日期", null=True, blank=True)
    matter_id = models.BigIntegerField("监督事项", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_entry_seq = models.BigIntegerField("最近记录", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "投诉举报"
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["state", "accept_due"], name="complaint_state_due")]
        constraints = [
            models.CheckConstraint(
                name="complaint_anonymous_has_no_identity",
                condition=Q(anonymous=False)
                | (Q(complainant_name="") & Q(complainant_contact="") & Q(consent_share=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.RECEIVED, self.State.ACCEPTED)


class ComplaintAttachment(models.Model):
    """A file the complainant attached (stored in the evidence store by its SHA-256)."""

    complaint = models.ForeignKey(
        Complaint, verbose_name="投诉", on_delete=models.PROTECT, related_name="attachments"
    )
    sha256 = models.CharField(max_length=64)
    name = models.CharField("文件名", max_length=200)
    size = models.BigIntegerField("大小")
    media_type = models.CharField("类型", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "投诉附件"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ComplaintEvent(models.Model):
    """One step of a complaint, as the status page lists it (kind and day only: the note is
    for the supervisors)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "收到投诉"
        ACCEPTED = "accepted", "受理"
        REFUSED = "refused", "不予受理"
        TRANSFERRED = "transferred", "移送有权机关"
        EXTENDED = "extended", "延长办理期限"
        MATTER_OPENED = "matter_opened", "立为监督事项"
        CONCLUDED = "concluded", "办结"
        TOLD = "told", "告知投诉人办理结果"

    complaint = models.ForeignKey(
        Complaint, verbose_name="投诉", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField("环节", max_length=16, choices=Kind.choices)
    on = models.DateField("日期")
    note = models.TextField("说明", blank=True)
    actor = models.ForeignKey(
        Account, verbose_name="办理人", null=True, blank=True, on_delete=models.PROTECT
    )
    entry_seq = models.BigIntegerField("记录")

    class Meta:
        verbose_name = verbose_name_plural = "投诉办理环节"
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"


# -- 行政执法监督员 (external supervisors) ---------------------------------------------------


class Appointment(models.Model):
    """The appointment of an external supervisor (行政执法监督员) by the government, kept by its
    supervisory body: who, from which walk of life, for which term."""

    class Sector(models.TextChoices):
        LAWYER = "lawyer", "律师"
        DEPUTY = "deputy", "人大代表、政协委员"
        EXPERT = "expert", "专家学者"
        JOURNALIST = "journalist", "新闻工作者"
        CITIZEN = "citizen", "群众代表"

    account = models.ForeignKey(
        Account, verbose_name="监督员账号", on_delete=models.PROTECT, related_name="appointments"
    )
    body = models.ForeignKey(
        Agency, verbose_name="监督机构", on_delete=models.PROTECT, related_name="appointments"
    )
    sector = models.CharField("界别", max_length=16, choices=Sector.choices)
    document = models.CharField("聘任文件", max_length=100)
    term_start = models.DateField("聘期起")
    term_end = models.DateField("聘期止")
    ended_on = models.DateField("解聘日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_entry_seq = models.BigIntegerField("最近记录", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "行政执法监督员聘任"
        ordering = ["-term_start", "pk"]
        constraints = [
            models.CheckConstraint(
                name="appointment_term_ordered", condition=Q(term_end__gt=models.F("term_start"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.term_start}–{self.term_end}"


class HearingObservation(models.Model):
    """An external supervisor's registration to observe a scheduled hearing."""

    appointment = models.ForeignKey(
        Appointment, verbose_name="聘任", on_delete=models.PROTECT, related_name="observations"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="+"
    )
    hearing_on = models.DateField("听证日期")
    registered_on = models.DateField("登记日期")
    entry_seq = models.BigIntegerField("记录")

    class Meta:
        verbose_name = verbose_name_plural = "旁听听证登记"
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "case", "hearing_on"], name="observation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.case_id} {self.hearing_on}"


class AgencyRating(models.Model):
    """An external supervisor's rating of an agency in a campaign (评议), once per campaign."""

    appointment = models.ForeignKey(
        Appointment, verbose_name="聘任", on_delete=models.PROTECT, related_name="ratings"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="ratings"
    )
    campaign = models.CharField("评议活动", max_length=64)
    score = models.PositiveSmallIntegerField("评分（1—5）")
    comment = models.TextField("意见", blank=True)
    rated_on = models.DateField("评议日期")
    entry_seq = models.BigIntegerField("记录")

    class Meta:
        verbose_name = verbose_name_plural = "监督员评议"
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "agency", "campaign"], name="rating_once_per_campaign"
            ),
            models.CheckConstraint(
                name="rating_score_1_5", condition=Q(score__gte=1, score__lte=5)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.campaign} {self.score}"


class MatterInvitation(models.Model):
    """A 监督员 invited to take part in a supervision matter (《行政执法监督条例》第二十三条):
    they then see the matter's number, title, agency and state — not its file."""

    appointment = models.ForeignKey(
        Appointment, verbose_name="聘任", on_delete=models.PROTECT, related_name="invitations"
    )
    matter = models.ForeignKey(
        "supervision.Matter", verbose_name="监督事项", on_delete=models.PROTECT, related_name="+"
    )
    invited_on = models.DateField("邀请日期")
    entry_seq = models.BigIntegerField("记录")

    class Meta:
        verbose_name = verbose_name_plural = "监督员参与监督事项"
        constraints = [
            models.UniqueConstraint(fields=["appointment", "matter"], name="invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.matter_id}"
