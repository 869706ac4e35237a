"""Legal review of major enforcement decisions (重大执法决定法制审核).

- ``CatalogRule``: a line of an agency's catalog (法制审核目录清单), or a floor laid down for a
  whole region by a higher body; data an administrator edits, evaluated by
  ``major_decisions.evaluate``.
- ``MajorFlag``: an officer's flag on a case (重大公共利益, 疑难复杂 …) with the reason.
- ``Assessment``: the catalog's verdict on a case when it changed (no row: nothing matched).
- ``Submission``: one review round (送审): the frozen submission (its record entry and SHA-256),
  the reviewer, the time limit, the checklist answers and the outcome. Rounds are never replaced:
  a correction is a new round.
- ``ReviewPause``: the clock stopped while waiting for supplementary material.
- ``ReviewDispute`` and ``CollectiveDiscussion``: the handling unit does not accept the opinion.
- ``CrimeTransfer``: a suspected crime found in review, tracked to the police's answer.

Every row is written by ``review.services`` together with a record entry.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhifa.cases.models import Case
from zhifa.law.penalty import PenaltyKind
from zhifa.registry.models import Account, Agency, Officer

from .checklist import LABELS, Verdict
from .major_decisions import Flag, LawCategory, RuleKind

VERDICTS = [(v.value, v.label) for v in Verdict]


class CatalogRule(models.Model):
    """One line of a catalog: an agency's own (``agency``) or a region's floor (``region_code``:
    every agency of the region is bound by it and may only be stricter)."""

    agency = models.ForeignKey(
        Agency,
        verbose_name="执法主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_catalog",
    )
    region_code = models.CharField("适用区域（上级设定）", max_length=6, blank=True)
    kind = models.CharField("情形", max_length=24, choices=[(k.value, k.label) for k in RuleKind])
    amount = models.DecimalField(
        "数额标准（元，达到即审核）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    penalty_kind = models.CharField("处罚种类", max_length=32, blank=True)
    flag = models.CharField(
        "标注情形", max_length=24, blank=True, choices=[(f.value, f.label) for f in Flag]
    )
    category = models.CharField(
        "第五十八条情形",
        max_length=2,
        blank=True,
        choices=[(c.value, f"第{c.value}项") for c in LawCategory],
    )
    source = models.CharField("来源（目录清单及条目）", max_length=200)
    active = models.BooleanField("有效", default=True)
    created_by = models.ForeignKey(
        Account, verbose_name="设定人", on_delete=models.PROTECT, related_name="+"
    )
    created_on = models.DateField("设定日期")
    retired_on = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法制审核目录清单"
        ordering = ["region_code", "agency_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                name="catalog_rule_agency_or_region",
                condition=(Q(agency__isnull=False) & Q(region_code=""))
                | (Q(agency__isnull=True) & ~Q(region_code="")),
            ),
            models.CheckConstraint(
                name="catalog_rule_amount_for_amount_kinds",
                condition=~Q(kind__in=["fine_person", "fine_organisation", "confiscation"])
                | Q(amount__gte=0),
            ),
        ]
        indexes = [models.Index(fields=["agency", "active"], name="catalog_agency_active")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.source}）"

    @property
    def penalty_kind_label(self) -> str:
        """The statutory name of ``penalty_kind`` (第九条), empty when the rule names none."""
        try:
            return PenaltyKind(self.penalty_kind).label if self.penalty_kind else ""
        except ValueError:
            return self.penalty_kind


class MajorFlag(models.Model):
    """An officer's flag that the case is major for a reason the catalog cannot compute."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="major_flags"
    )
    flag = models.CharField("情形", max_length=24, choices=[(f.value, f.label) for f in Flag])
    reason = models.TextField("理由")
    on = models.DateField("标注日期")
    flagged_by = models.ForeignKey(
        Account, verbose_name="标注人", on_delete=models.PROTECT, related_name="+"
    )
    entry_seq = models.BigIntegerField("记录序号")

    class Meta:
        verbose_name = verbose_name_plural = "重大情形标注"
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.get_flag_display()}：{self.reason}"


class Assessment(models.Model):
    """The catalog's verdict on a case, stored each time it changes (the latest row is in
    force; a case without rows was never found major)."""

    class Trigger(models.TextChoices):
        SUBMITTED = "submitted", "提交案件审核"  # the case reached 案件审核
        NOTIFIED = "notified", "事先告知（拟处罚内容变化）"  # the proposed penalty changed
        HEARING_HELD = "hearing_held", "举行听证"
        FLAGGED = "flagged", "承办人员标注"
        REVIEW_SUBMITTED = "review_submitted", "送审"  # a submission stated its own proposal

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="assessments"
    )
    on = models.DateField("认定日期")
    trigger = models.CharField("触发", max_length=24, choices=Trigger.choices)
    major = models.BooleanField("属于重大执法决定")
    matches = models.JSONField("符合的目录条目", default=list)
    facts = models.JSONField("据以认定的事实", default=dict)
    entry_seq = models.BigIntegerField("记录序号")

    class Meta:
        verbose_name = verbose_name_plural = "重大执法决定认定"
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {'重大' if self.major else '非重大'}"


class Submission(models.Model):
    """One review round (送审): frozen as the record entry ``entry_seq`` whose payload holds the
    submission, ``digest`` = SHA-256 of its canonical JSON. The reviewer reviews exactly that."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "待分配"  # sent to the review body, no reviewer yet
        REVIEWING = "reviewing", "审核中"  # a reviewer is assigned; the clock runs
        PAUSED = "paused", "待补充材料"  # waiting for supplementary material; the clock stops
        CONCLUDED = "concluded", "已出具意见"  # the opinion is written

    OPEN_STATES = (State.SUBMITTED, State.REVIEWING, State.PAUSED)
    AGREE = "agree"  # the agreeing outcome code of every vocabulary

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="review_rounds"
    )
    round = models.PositiveSmallIntegerField("轮次")
    state = models.CharField("状态", max_length=16, choices=State.choices)
    submitted_by = models.ForeignKey(
        Account, verbose_name="送审人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField("送审日期")
    proposal_kinds = models.JSONField("拟处罚种类", default=list)
    proposal_fine = models.DecimalField(
        "拟罚款（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    proposal_confiscation = models.DecimalField(
        "拟没收（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    major = models.BooleanField("送审时属于重大执法决定", default=False)
    entry_seq = models.BigIntegerField("送审记录序号")
    digest = models.CharField("送审内容SHA-256", max_length=64)
    last_case_seq = models.BigIntegerField("送审时案卷最后记录序号", null=True, blank=True)
    tree_size = models.BigIntegerField("送审时日志大小")
    tree_root = models.CharField("送审时日志根哈希", max_length=64)

    reviewer = models.ForeignKey(
        Officer,
        verbose_name="审核人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_rounds",
    )
    assigned_on = models.DateField("分配日期", null=True, blank=True)

    time_limit_workdays = models.PositiveSmallIntegerField("审核期限（工作日）")
    due_on = models.DateField("审核期限届满日")
    due_provisional = models.BooleanField("期限为暂定", default=False)
    calendar_version = models.CharField("计算期限的日历版本", max_length=40)
    extended = models.BooleanField("已延长", default=False)
    extension_reason = models.TextField("延长理由", blank=True)

    outcome = models.CharField("审核意见", max_length=24, blank=True)
    outcome_label = models.CharField("审核意见（文字）", max_length=32, blank=True)
    opinion = models.TextField("审核意见书正文", blank=True)
    required_changes = models.JSONField("需纠正或补充的事项", default=list, blank=True)
    suspected_crime = models.BooleanField("涉嫌犯罪需移送", default=False)
    concluded_on = models.DateField("出具意见日期", null=True, blank=True)
    opinion_entry_seq = models.BigIntegerField("意见记录序号", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法制审核（送审轮次）"
        ordering = ["case_id", "round"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="review_round_unique"),
            models.CheckConstraint(
                name="review_concluded_has_outcome",
                condition=~Q(state="concluded") | (~Q(outcome="") & Q(concluded_on__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="review_state_due")]

    def __str__(self) -> str:
        return f"{self.case} 第{self.round}轮法制审核"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def agreed(self) -> bool:
        return self.state == self.State.CONCLUDED and self.outcome == self.AGREE


class ChecklistAnswer(models.Model):
    """One checklist point of one round: the proposal from the data and the reviewer's answer."""

    submission = models.ForeignKey(
        Submission, verbose_name="送审轮次", on_delete=models.PROTECT, related_name="checklist"
    )
    point = models.CharField(
        "审核要点", max_length=16, choices=[(p.value, p.label) for p in LABELS]
    )
    position = models.PositiveSmallIntegerField("顺序")
    prefill_verdict = models.CharField("系统预填结论", max_length=8, blank=True, choices=VERDICTS)
    prefill_evidence = models.JSONField("预填依据", default=list, blank=True)
    verdict = models.CharField("审核结论", max_length=8, blank=True, choices=VERDICTS)
    comment = models.TextField("审核意见", blank=True)
    answered_by = models.ForeignKey(
        Account,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_on = models.DateField("审核日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法制审核要点"
        ordering = ["submission_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "point"], name="checklist_point_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_point_display()}：{self.get_verdict_display() or '未审核'}"


class ReviewPause(models.Model):
    """The clock stopped on ``paused_on`` waiting for material; restarted on ``resumed_on``."""

    submission = models.ForeignKey(
        Submission, verbose_name="送审轮次", on_delete=models.PROTECT, related_name="pauses"
    )
    paused_on = models.DateField("中止计时日期")
    reason = models.TextField("需补充的材料")
    paused_by = models.ForeignKey(
        Account, verbose_name="中止人", on_delete=models.PROTECT, related_name="+"
    )
    due_before = models.DateField("中止前的期限")
    resumed_on = models.DateField("恢复计时日期", null=True, blank=True)
    resumed_by = models.ForeignKey(
        Account,
        verbose_name="恢复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    material = models.TextField("补充的材料", blank=True)
    due_after = models.DateField("恢复后的期限", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法制审核中止计时"
        ordering = ["submission_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(resumed_on__isnull=True),
                name="review_one_open_pause",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paused_on}–{self.resumed_on or '…'}"


class ReviewDispute(models.Model):
    """The handling unit does not accept a non-agreeing opinion: coordination, then the head
    decides alone or by collective discussion (国办发〔2018〕118号)."""

    class State(models.TextChoices):
        RAISED = "raised", "有异议"  # the handling unit objected in writing
        COORDINATED = "coordinated", "已协调未达成一致"  # coordination failed: the head decides
        RESOLVED = "resolved", "已解决"  # settled by coordination, the head or the collective

    class Resolution(models.TextChoices):
        OPINION_ACCEPTED = "opinion_accepted", "经协调，承办机构接受审核意见"
        OPINION_UPHELD = "opinion_upheld", "维持审核意见，承办机构纠正后重新送审"
        PROPOSAL_UPHELD = "proposal_upheld", "采纳承办机构意见，按拟处理意见作出决定"

    class DecidedBy(models.TextChoices):
        COORDINATION = "coordination", "协调"
        HEAD = "head", "机关负责人决定"
        COLLECTIVE = "collective", "集体讨论决定"

    submission = models.OneToOneField(
        Submission, verbose_name="送审轮次", on_delete=models.PROTECT, related_name="dispute"
    )
    state = models.CharField("状态", max_length=16, choices=State.choices)
    raised_by = models.ForeignKey(
        Account, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField("提出日期")
    reason = models.TextField("异议理由")
    coordinated_on = models.DateField("协调日期", null=True, blank=True)
    coordination = models.TextField("协调情况", blank=True)
    resolution = models.CharField("处理结果", max_length=24, choices=Resolution.choices, blank=True)
    decided_by = models.CharField("决定方式", max_length=16, choices=DecidedBy.choices, blank=True)
    resolved_on = models.DateField("解决日期", null=True, blank=True)
    resolution_reason = models.TextField("理由", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法制审核意见分歧"

    def __str__(self) -> str:
        return f"{self.submission} {self.get_state_display()}"


class CollectiveDiscussion(models.Model):
    """集体讨论: the heads present, the quorum, each one's opinion and the conclusion."""

    dispute = models.OneToOneField(
        ReviewDispute,
        verbose_name="意见分歧",
        on_delete=models.PROTECT,
        related_name="collective_discussion",
    )
    held_on = models.DateField("讨论日期")
    chair = models.CharField("主持人", max_length=64)
    members_total = models.PositiveSmallIntegerField("机关负责人总数")
    members = models.JSONField("出席人员及意见")  # [{"name", "position", "opinion"}]
    quorum = models.CharField("法定人数规则", max_length=16)
    conclusion = models.TextField("讨论结论")
    entry_seq = models.BigIntegerField("记录序号")

    class Meta:
        verbose_name = verbose_name_plural = "集体讨论"

    def __str__(self) -> str:
        return f"集体讨论 {self.held_on}"


class CrimeTransfer(models.Model):
    """A suspected crime found in review (两法衔接, 国务院令第310号), from the report to the head
    to the police's answer. Late steps are flagged, never refused."""

    class State(models.TextChoices):
        REPORTED = "reported", "待机关负责人决定"  # reported to the head; 3 days to decide
        NOT_APPROVED = "not_approved", "不批准移送"  # the head decided not to transfer
        APPROVED = "approved", "批准移送"  # 24 hours to transfer
        TRANSFERRED = "transferred", "已移送"  # the police have 3 days to answer
        ACCEPTED = "accepted", "公安机关已立案"
        DECLINED = "declined", "公安机关不予立案"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="crime_transfers"
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name="发现涉嫌犯罪的审核",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="crime_transfers",
    )
    state = models.CharField("状态", max_length=16, choices=State.choices)
    finding = models.TextField("涉嫌犯罪的情形")
    reported_on = models.DateField("报告日期")
    decision_due_on = models.DateField("决定期限")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_late = models.BooleanField("逾期决定", default=False)
    decision_reason = models.TextField("决定理由", blank=True)
    transfer_due_at = models.DateTimeField("移送期限", null=True, blank=True)
    transferred_at = models.DateTimeField("移送时间", null=True, blank=True)
    transfer_late = models.BooleanField("逾期移送", default=False)
    organ = models.CharField("接收机关", max_length=128, blank=True)
    documents = models.JSONField("移送材料", default=list, blank=True)
    answer_due_on = models.DateField("公安机关答复期限", null=True, blank=True)
    answered_on = models.DateField("公安机关答复日期", null=True, blank=True)
    answer = models.TextField("答复内容", blank=True)
    answer_late = models.BooleanField("公安机关逾期答复", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "涉嫌犯罪案件移送"
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_state_display()}"
