"""Supervision matters (监督事项): what a supervisory body (a 司法局) examines about an agency,
from the first signal to a closed matter, under the 《行政执法监督条例》 (国务院令第825号).

A matter refers to the supervised agency's cases, officers and publications read-only (条例第八条:
不得以监督代替行政执法). Every row here is written by a service in ``services.py`` that records
itself; ``entry_seq`` points at the record entry that created or last moved it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.registry.models import Agency


class Matter(models.Model):
    """One supervision matter (监督事项) of a supervisory body about one agency."""

    class State(models.TextChoices):
        REGISTERED = "registered", "登记"  # a clue entered, not yet decided on
        ACCEPTED = "accepted", "受理"  # taken on: investigation may start
        REFUSED = "refused", "不予受理"  # final: with a reason (e.g. 复议/诉讼 pending)
        TRANSFERRED = "transferred", "移送"  # final here: sent to the competent body
        INVESTIGATING = "investigating", "调查"  # measures of 条例第二十二条 under way
        HANDLING = "handling", "处理"  # findings made; outcome documents issued
        RECTIFYING = "rectifying", "整改跟踪"  # waiting for and checking rectification
        CLOSED = "closed", "办结"  # final: handled
        TERMINATED = "terminated", "终止"  # final: nothing wrong found

    class Kind(models.TextChoices):
        ROUTINE = "routine", "日常监督"  # 条例第十五条
        KEY = "key", "重点监督"  # 条例第二十条: 挂牌督办, 提级监督
        SPECIAL = "special", "专项监督"  # 条例第二十一条: provinces only, plan approved

    class KeyMethod(models.TextChoices):
        NONE = "", "—"
        LISTED = "listed", "挂牌督办"
        ELEVATED = "elevated", "提级监督"

    class Origin(models.TextChoices):
        COMPLAINT = "complaint", "投诉举报"
        HOTLINE = "hotline_12345", "12345热线转办"
        NPC_CPPCC = "npc_cppcc", "人大建议、政协提案"
        SUGGESTION = "supervision_suggestion", "监察、检察、复议建议"
        MEDIA = "media", "媒体反映"
        MAJOR_FILING = "major_filing", "重大行政处罚决定备案审查"
        EVALUATION = "evaluation", "案卷评查"
        WARNING = "warning", "统计分析、预警"
        EXTERNAL = "external_supervisor", "行政执法监督员反映"
        SELF_FOUND = "self_found", "监督机构自行发现"

    number = models.CharField("编号", max_length=64, unique=True)
    body = models.ForeignKey(
        Agency, verbose_name="监督机构", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="被监督机关",
        on_delete=models.PROTECT,
        related_name="supervision_matters",
    )
    kind = models.CharField("监督方式", max_length=16, choices=Kind.choices, default=Kind.ROUTINE)
    key_method = models.CharField(
        "重点监督方式", max_length=16, choices=KeyMethod.choices, blank=True, default=""
    )
    origin = models.CharField("来源", max_length=32, choices=Origin.choices)
    origin_ref = models.CharField("来源编号", max_length=100, blank=True)
    title = models.CharField("事项名称", max_length=200)
    summary = models.TextField("基本情况")
    state = models.CharField(
        "状态", max_length=16, choices=State.choices, default=State.REGISTERED, db_index=True
    )
    opened_on = models.DateField("登记日期")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField("受理决定日期", null=True, blank=True)
    reason = models.TextField("理由", blank=True)  # 不予受理 / 移送 / 终止 / 办结
    transfer_to = models.CharField("移送机关", max_length=200, blank=True)
    transfer_due = models.DateField("移送期限", null=True, blank=True)
    # 专项监督 (条例第二十一条): the plan and the government's approval.
    plan = models.JSONField("专项监督工作方案", default=dict, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    entry_seq = models.BigIntegerField("最近记录序号")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "监督事项"
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="supervision_matter_key_method_only_key",
                condition=Q(kind="key") | Q(key_method=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


FINAL_STATES = frozenset(
    {
        Matter.State.REFUSED,
        Matter.State.TRANSFERRED,
        Matter.State.CLOSED,
        Matter.State.TERMINATED,
    }
)


class MatterSupervisor(models.Model):
    """A supervisor on the matter's team; recused when a conflict is declared (recorded)."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="team")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="监督人员",
        on_delete=models.PROTECT,
        related_name="+",
    )
    recused = models.BooleanField("已回避", default=False)
    recusal_reason = models.CharField("回避理由", max_length=200, blank=True)
    entry_seq = models.BigIntegerField("最近记录序号")

    class Meta:
        verbose_name = verbose_name_plural = "监督人员"
        constraints = [
            models.UniqueConstraint(fields=["matter", "account"], name="supervision_team_once")
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}:{self.account_id}"


class Step(models.Model):
    """A recorded step of a matter: a measure of 条例第二十二条, a request to the agency and its
    answer, a 调阅 of a case file — with its attachments (by hash, in the record)."""

    class Kind(models.TextChoices):
        EXPLANATION_REQUEST = "explanation_request", "要求自查、说明情况"
        EXPLANATION_ANSWER = "explanation_answer", "机关书面说明"
        INSPECTION = "inspection", "现场检查"
        INTERVIEW = "interview", "访谈"
        UNANNOUNCED = "unannounced", "暗访"
        CASE_FILE_READ = "case_file_read", "调阅案卷"
        TALK = "talk", "约谈"
        MEETING = "meeting", "座谈、听证、统计、评估"
        NOTE = "note", "其他工作记录"

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField("类别", max_length=32, choices=Kind.choices)
    on = models.DateField("日期")
    text = models.TextField("内容")
    # The supervisors who took the step (investigation steps need two with a valid 监督证).
    supervisors = models.JSONField("参加人员", default=list, blank=True)
    case_id = models.BigIntegerField("调阅案件", null=True, blank=True)
    due_on = models.DateField("答复期限", null=True, blank=True)  # a request: the agency answers
    answers = models.ForeignKey(
        "self",
        verbose_name="答复的请求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answered_by",
    )
    files = models.JSONField("附件", default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    entry_seq = models.BigIntegerField("记录序号")

    class Meta:
        verbose_name = verbose_name_plural = "监督工作记录"
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class Document(models.Model):
    """An outcome of a matter, issued as a numbered 文书 (PDF and DOCX generated from it)."""

    class Kind(models.TextChoices):
        URGE_LETTER = "urge_letter", "行政执法监督督办函"  # 条例第二十七条
        OPINION = "opinion", "行政执法监督意见书"  # 条例第二十八条
        DECISION = "decision", "行政执法监督决定书"  # 条例第二十九条 (the government's)
        NOTICE = "notice", "行政执法监督通报"  # 条例第三十一条
        OFFICER_RECOMMENDATION = "officer_recommendation", "执法人员处理建议书"  # 第三十二条
        CLUE_TRANSFER = "clue_transfer", "问题线索移送函"  # 条例第三十三条

    class Status(models.TextChoices):
        ISSUED = "issued", "已制发"  # waiting for the agency (report, rectification)
        REPORTED = "reported", "已报送整改情况"  # the agency reported; to be checked
        ACCEPTED = "accepted", "整改已验收"  # the supervisor accepted the rectification
        REJECTED = "rejected", "整改未通过"  # not accepted: a further 意见书 or a 决定书 follows
        DONE = "done", "已办结"  # nothing to track (通报, a transfer with its report-back)

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("文书种类", max_length=32, choices=Kind.choices)
    number = models.CharField("文号", max_length=64, unique=True)
    issued_on = models.DateField("制发日期")
    issuer = models.CharField("制发机关", max_length=200)
    # What the document says (filled into the template); ``fields`` keeps the kind's extras
    # (officer and measure, recipient body, government approval …).
    findings = models.TextField("查明的问题")
    requirement = models.TextField("处理意见、要求")
    fields = models.JSONField("其他内容", default=dict, blank=True)
    due_on = models.DateField("整改、报告期限", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ISSUED)
    report = models.TextField("整改情况报告", blank=True)
    reported_on = models.DateField("报告日期", null=True, blank=True)
    report_files = models.JSONField("报告附件", default=list, blank=True)
    checked_on = models.DateField("验收日期", null=True, blank=True)
    check_note = models.TextField("验收意见", blank=True)
    outcome = models.TextField("处理结果", blank=True)  # a recommendation's or transfer's outcome
    pdf = models.ForeignKey(
        "record.EvidenceFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    docx = models.ForeignKey(
        "record.EvidenceFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    template_source = models.CharField("模板来源", max_length=16, blank=True)
    entry_seq = models.BigIntegerField("最近记录序号")

    class Meta:
        verbose_name = verbose_name_plural = "监督文书"
        ordering = ["issued_on", "pk"]

    def __str__(self) -> str:
        return self.number


class Objection(models.Model):
    """The agency's objection to a 督办函/意见书 (条例第三十条) and the supervisor's answer."""

    class Status(models.TextChoices):
        FILED = "filed", "待答复"
        UPHELD = "upheld", "异议成立"  # the document is withdrawn
        DISMISSED = "dismissed", "异议不成立"  # rectification stands

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="objections")
    filed_on = models.DateField("提出日期")
    reasons = models.TextField("异议理由")
    files = models.JSONField("附件", default=list, blank=True)
    answer_due = models.DateField("答复期限")
    # Who answers (条例第三十条; ZHIFA_SUPERVISION_OBJECTION_TO_UPPER): empty — the supervisory
    # body that issued the document; else the upper-level body the deployment routes it to.
    answer_body = models.ForeignKey(
        Agency,
        verbose_name="答复机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.FILED)
    answer = models.TextField("答复意见", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    entry_seq = models.BigIntegerField("最近记录序号")

    class Meta:
        verbose_name = verbose_name_plural = "异议"
        ordering = ["filed_on", "pk"]

    def __str__(self) -> str:
        return f"异议 {self.filed_on}"


class Escalation(models.Model):
    """An overdue rectification escalated by the scheduled job (``supervision.escalate``), once
    per document: the agency did not report by the due day on the configured calendar.

    What it proposes (条例第二十九条, 第二十七条): a 督办函 or 意见书 not acted on → the bureau
    proposes that the government issue a 行政执法监督决定书; a 决定书 not executed → the bureau
    issues a 督办函 urging the agency to perform it."""

    class Proposal(models.TextChoices):
        DECISION = "decision", "提出处理建议，报请本级人民政府制发行政执法监督决定书"
        URGE_LETTER = "urge_letter", "制发行政执法监督督办函"

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="escalations")
    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, related_name="escalation", verbose_name="逾期文书"
    )
    on = models.DateField("升级日期")
    due_on = models.DateField("整改、报告期限")
    overdue_days = models.PositiveIntegerField("升级时已逾期")
    unit = models.CharField("计日方式", max_length=16)  # "days" or "workdays", the row's unit
    basis = models.CharField("期限依据", max_length=200)
    proposal = models.CharField("建议措施", max_length=16, choices=Proposal.choices)
    entry_seq = models.BigIntegerField("记录序号")

    class Meta:
        verbose_name = verbose_name_plural = "逾期整改升级"
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.on}"


class Counter(models.Model):
    """The last serial issued per (body, kind, year): 示范市司法局〔2026〕督办3号, gap-free."""

    body = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("文书种类", max_length=32)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用最大号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "监督文书编号计数"
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind", "year"], name="supervision_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class DocumentTemplate(models.Model):
    """A supervisory body's own wording of one document kind (set by a recorded service)."""

    body = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("文书种类", max_length=32, choices=Document.Kind.choices)
    text = models.TextField("模板")
    updated_at = models.DateTimeField("修改时间")

    class Meta:
        verbose_name = verbose_name_plural = "监督文书模板"
        constraints = [
            models.UniqueConstraint(fields=["body", "kind"], name="supervision_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body_id} {self.kind}"
