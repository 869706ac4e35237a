"""Decision publication (事后公开): one ``Publication`` per decision, its public versions, and
the public's error reports (纠错).

A publication changes only through ``publicity.services``; each change appends a record entry
in the same transaction. A published version is never overwritten: a correction, an update
after the decision was changed, or a withdrawal adds a ``PublicationVersion`` and marks the
previous one superseded, so the page can show the history (《行政处罚法》第四十八条第二款).

The draft's working state (``original_text``, ``spans``, ``draft_fields``) holds the party's
personal data and never leaves the agency: the public pages read only published versions.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhifa.cases.models import Case
from zhifa.registry.models import Account, Agency, Domain


class Publication(models.Model):
    """The publication of one enforcement decision (行政执法决定公示) — or of a supervisory
    body's own result (执法监督结果公开, 《行政执法监督条例》第三十一条): ``source`` says which.

    A decision's publication belongs to its case (``case``; the agency's publisher reviews it).
    A supervision result has no case: ``source_ref`` names the supervision document it
    publishes, ``agency`` is the supervisory body (its own publisher reviews it — supervisors
    never edit an agency's publication, 条例第八条), and the personal values the review must
    remove are those of ``known_cases`` (the cases the matter read) and ``known_extra`` (e.g.
    a complainant's identity). Both go through the same draft → redaction review → publish →
    versions → proof."""

    class Source(models.TextChoices):
        DECISION = "decision", "行政执法决定公示"  # a case's decision (事后公开)
        SUPERVISION = "supervision", "执法监督结果公开"  # 条例第三十一条: 通报、向社会公布

    class Kind(models.TextChoices):
        PENALTY = "penalty", "行政处罚"
        LICENSING = "licensing", "行政许可"
        COERCION = "coercion", "行政强制"
        LEVY = "levy", "行政征收"
        INSPECTION = "inspection", "行政检查结果"
        OTHER = "other", "其他"
        SUPERVISION = "supervision", "行政执法监督结果"  # a supervision result (source)

    class State(models.TextChoices):
        DRAFT = "draft", "待审核"  # prepared at the decision; the publisher reviews it
        HELD = "held", "不予公开"  # must not be published; the reason is recorded
        PUBLISHED = "published", "已公开"  # online; its current version is public
        WITHDRAWN = "withdrawn", "已撤回"  # the decision was revoked or annulled: taken down
        EXPIRED = "expired", "已到期下线"  # the online period ended (retention setting)

    class HoldReason(models.TextChoices):
        MINOR = "minor", "当事人为未成年人"
        CRIME = "crime", "案件涉嫌犯罪已移送司法机关"
        SECRET = "secret", "涉及国家秘密、商业秘密"
        PRIVACY = "privacy", "涉及个人隐私"

    agency = models.ForeignKey(
        Agency, verbose_name="执法机关", on_delete=models.PROTECT, related_name="publications"
    )
    source = models.CharField(
        "公开类别", max_length=16, choices=Source.choices, default=Source.DECISION
    )
    case = models.OneToOneField(
        Case,
        verbose_name="案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publication",
    )
    source_ref = models.CharField(
        "公开的文书", max_length=64, blank=True
    )  # "supervision.document:7"
    kind = models.CharField("决定类别", max_length=16, choices=Kind.choices)
    domain = models.ForeignKey(
        Domain,
        verbose_name="执法领域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    decided_on = models.DateField("决定日期")
    decision_number = models.CharField("决定文号", max_length=64, blank=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.DRAFT)

    # due date (国办发〔2018〕118号: 7 working days for 许可/处罚, 20 for the others; settings)
    due_workdays = models.PositiveSmallIntegerField("公示期限（工作日）")
    due_on = models.DateField("公示期限")
    due_provisional = models.BooleanField("期限为暂定（跨未公布节假日的年度）", default=False)
    calendar_version = models.CharField("计算期限的日历版本", max_length=40)

    # the draft's working state (personal data: never public)
    original_text = models.TextField("决定书原文")
    spans = models.JSONField("删除的个人信息片段", default=list, blank=True)
    draft_fields = models.JSONField("公开字段（草稿）", default=dict, blank=True)
    redaction_done = models.BooleanField("已自动识别个人信息", default=False)
    # a supervision result's personal values (the draft's working state, never public)
    known_cases = models.JSONField("涉及的案件", default=list, blank=True)
    known_extra = models.JSONField("其他个人信息", default=list, blank=True)

    # held back
    hold_reason = models.CharField(
        "不予公开理由", max_length=16, choices=HoldReason.choices, blank=True
    )
    hold_note = models.TextField("不予公开说明", blank=True)
    held_by = models.ForeignKey(
        Account,
        verbose_name="决定不予公开的人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_at = models.DateTimeField("决定不予公开时间", null=True, blank=True)

    # published
    published_on = models.DateField("公开日期", null=True, blank=True)
    on_time = models.BooleanField("按期公开", null=True, blank=True)
    online_until = models.DateField("公示截止日期", null=True, blank=True)

    # withdrawn after the decision was revoked, changed or annulled (第四十八条第二款)
    change_kind = models.CharField("决定变化情形", max_length=16, blank=True)
    changed_on = models.DateField("决定被撤销、变更的日期", null=True, blank=True)
    change_due_on = models.DateField("撤回或更新期限", null=True, blank=True)
    change_reason = models.TextField("撤回或更新说明", blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)

    expired_on = models.DateField("下线日期", null=True, blank=True)
    created_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = verbose_name_plural = "行政执法决定公示"
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="publication_held_has_reason",
                condition=~Q(state="held") | ~Q(hold_reason=""),
            ),
            models.CheckConstraint(
                name="publication_source_has_its_subject",
                condition=(Q(source="decision") & Q(case__isnull=False) & Q(domain__isnull=False))
                | (Q(source="supervision") & Q(case__isnull=True) & ~Q(source_ref="")),
            ),
            models.UniqueConstraint(
                fields=["source_ref"],
                condition=~Q(source_ref=""),
                name="publication_source_ref_once",
            ),
            models.CheckConstraint(
                name="publication_published_has_date",
                condition=Q(state__in=["draft", "held"]) | Q(published_on__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "due_on"], name="publication_agency_due"),
            models.Index(fields=["state", "decided_on"], name="publication_state_decided"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision_number}".strip()


class PublicationVersion(models.Model):
    """One public version: its fields, redacted text, SHA-256 and record entry. Never changed
    after it is written, except ``superseded_on`` when a later version replaces it."""

    class Kind(models.TextChoices):
        PUBLISH = "publish", "公开"
        CORRECT = "correct", "更正"
        UPDATE = "update", "决定变更后更新"
        WITHDRAW = "withdraw", "撤回"

    publication = models.ForeignKey(
        Publication, verbose_name="公示", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    fields = models.JSONField("公开字段")
    text = models.TextField("公开文本")
    notice = models.TextField("更正或撤回说明", blank=True)
    content_sha256 = models.CharField("内容SHA-256", max_length=64)
    entry_seq = models.BigIntegerField("记录序号")
    on = models.DateField("日期")
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        Account, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    superseded_on = models.DateField("被替代日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示版本"
        ordering = ["publication_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "number"], name="publication_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} 第{self.number}版（{self.get_kind_display()}）"


class CorrectionReport(models.Model):
    """An error reported by the public on a published decision (纠错). The reporter's contact
    is seen only by the agency's publisher."""

    class State(models.TextChoices):
        OPEN = "open", "待处理"  # the publisher has not answered yet
        CORRECTED = "corrected", "已更正"  # a corrected version was published
        REJECTED = "rejected", "经核实无误"  # checked: the publication is right

    publication = models.ForeignKey(
        Publication, verbose_name="公示", on_delete=models.PROTECT, related_name="reports"
    )
    text = models.TextField("错误内容")
    contact = models.CharField("联系方式", max_length=100, blank=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.OPEN)
    reported_at = models.DateTimeField("提交时间")
    answer = models.TextField("处理说明", blank=True)
    handled_by = models.ForeignKey(
        Account,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    entry_seq = models.BigIntegerField("记录序号", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示纠错"
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.get_state_display()}"
