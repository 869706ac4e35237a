"""Cases (案件) and what belongs to them: parties, acting officers, steps, extensions, counters.

A case changes only through ``cases.services``; each change appends a record entry in the same
transaction (STYLE rule 2), so the row can be rebuilt by replaying the case's entries. The
states and their allowed moves are the tables of ``transitions.py``; the rules that refuse a
move are the pure functions of ``guards.py``.

Personal fields (parties' 身份证号, phone, address) never leave the agency's scope: every read
goes through ``selectors.cases_visible_to`` / ``access.access_case``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhifa.registry.models import Account, Agency, Domain, Officer, PowerItem


class Case(models.Model):
    """One case of one procedure: a penalty (general or simple), an inspection, a seizure or a
    licence application (行政许可)."""

    class Kind(models.TextChoices):
        PENALTY_GENERAL = "penalty_general", "行政处罚（普通程序）"
        PENALTY_SIMPLE = "penalty_simple", "行政处罚（简易程序）"
        INSPECTION = "inspection", "行政检查"
        SEIZURE = "seizure", "行政强制措施（查封、扣押）"
        LICENSING = "licensing", "行政许可"

    class State(models.TextChoices):
        # 行政处罚 普通程序
        CLUE = "clue", "线索登记"  # a clue is recorded; not yet a case
        REGISTERED = "registered", "立案"  # the head approved opening the case
        INVESTIGATING = "investigating", "调查取证"  # records and evidence are being gathered
        CASE_REVIEW = "case_review", "案件审核"  # the investigation report is under review
        NOTIFIED = "notified", "事先告知"  # the party was told the intended penalty and rights
        HEARING_REQUESTED = "hearing_requested", "申请听证"  # the party asked for a hearing
        HEARING_HELD = "hearing_held", "听证"  # the hearing took place (or was waived by absence)
        STATEMENT = "statement", "陈述申辩"  # the party's statement and defence are recorded
        DECIDED = "decided", "决定"  # the penalty decision is made
        SERVED = "served", "送达"  # the decision reached the party
        EXECUTING = "executing", "执行"  # payment, instalments, or the court is applied to
        FILED = "filed", "备案"  # an on-the-spot decision is filed with the agency
        # 行政检查
        PLANNED = "planned", "检查计划"  # the inspection is planned
        INSPECTED = "inspected", "现场检查"  # the on-site check was made
        FINDINGS = "findings", "检查结论"  # no problem, or rectification ordered
        RECHECKED = "rechecked", "复查"  # the rectification was checked again
        # 行政强制措施（查封、扣押）
        PROPOSED = "proposed", "呈请审批"  # officers ask the head to approve the measure
        APPROVED = "approved", "批准实施"  # the head approved beforehand (第十八条)
        EMERGENCY_EXECUTED = "emergency_executed", "紧急实施待补批"  # taken first (第十九条)
        EXECUTED = "executed", "实施"  # seized or sealed, decision and item list delivered
        EXTENDED = "extended", "延长期限"  # the one extension of 第二十五条 was approved
        RELEASED = "released", "解除"  # the measure was lifted
        HANDLED = "handled", "依法处理"  # confiscated by decision, transferred or destroyed
        # 行政许可 (the licensing app keeps the application's own rows)
        APPLIED = "applied", "申请"  # the application was received (online or at the window)
        CORRECTION = "correction", "补正材料"  # told once of every missing material (第三十二条)
        ACCEPTED = "accepted", "受理审查"  # accepted; the materials are being examined
        NOT_ACCEPTED = "not_accepted", "不予受理"  # refused at acceptance (第三十二条)
        GRANTED = "granted", "准予许可"  # the decision grants the licence (第三十八条)
        REFUSED = "refused", "不予许可"  # the decision refuses it, with reasons and remedies
        ISSUED = "issued", "颁发送达"  # the licence was issued and served (第四十四条)
        # ends and the archive
        NOT_REGISTERED = "not_registered", "不予立案"  # the clue did not lead to a case
        NOT_PENALISED = "not_penalised", "不予处罚"  # ended without penalty, ground recorded
        WITHDRAWN = "withdrawn", "撤销立案"  # the registration was withdrawn
        TRANSFERRED = "transferred", "移送司法机关"  # handed over as a suspected crime
        CLOSED = "closed", "结案"  # the case is finished
        ARCHIVED = "archived", "归档"  # filed away; read-only from now on

    class NotPenalisedGround(models.TextChoices):
        MINOR_CORRECTED = (
            "minor_corrected",
            "违法行为轻微并及时改正，没有造成危害后果（第三十三条第一款）",
        )
        FIRST_VIOLATION = (
            "first_violation",
            "初次违法且危害后果轻微并及时改正（首违不罚，第三十三条第一款）",
        )
        NO_FAULT = "no_fault", "当事人有证据足以证明没有主观过错（第三十三条第二款）"
        UNDER_AGE = "under_age", "不满十四周岁的未成年人（第三十条）"
        FACTS_NOT_ESTABLISHED = (
            "facts_not_established",
            "违法事实不能成立（第五十七条第一款第三项）",
        )

    class ServiceMethod(models.TextChoices):
        ON_THE_SPOT = "on_the_spot", "当场交付"
        DIRECT = "direct", "直接送达"
        LEFT = "left", "留置送达"
        MAIL = "mail", "邮寄送达"
        ELECTRONIC = "electronic", "电子送达"  # only with the party's consent (第六十一条)
        ENTRUSTED = "entrusted", "委托送达"
        ANNOUNCEMENT = "announcement", "公告送达"

    class InspectionOutcome(models.TextChoices):
        NO_PROBLEM = "no_problem", "未发现问题"
        RECTIFY = "rectify", "责令整改"

    class SeizureMeasure(models.TextChoices):
        SEAL = "seal", "查封"
        SEIZE = "seize", "扣押"

    class SeizureOutcome(models.TextChoices):
        CONFISCATED = "confiscated", "依法没收"
        TRANSFERRED = "transferred", "移送有关机关"
        DESTROYED = "destroyed", "依法销毁"

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="cases"
    )
    kind = models.CharField("案件类别", max_length=24, choices=Kind.choices)
    power_item = models.ForeignKey(
        PowerItem, verbose_name="权责清单事项", on_delete=models.PROTECT, related_name="cases"
    )
    domain = models.ForeignKey(
        Domain, verbose_name="执法领域", on_delete=models.PROTECT, related_name="cases"
    )
    origin = models.ForeignKey(
        "self",
        verbose_name="来源检查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opened_cases",
    )
    title = models.CharField("案由", max_length=200)
    summary = models.TextField("简要案情", blank=True)
    number = models.CharField("案件编号", max_length=64, blank=True)
    state = models.CharField("状态", max_length=24, choices=State.choices)
    officers = models.ManyToManyField(
        Officer, verbose_name="承办人员", through="CaseOfficer", related_name="cases"
    )

    # 立案 (第三十六条 limitation)
    clue_on = models.DateField("线索登记日期")
    registered_on = models.DateField("立案日期", null=True, blank=True)
    act_ended_on = models.DateField("违法行为发生（终了）日期", null=True, blank=True)
    serious = models.BooleanField(
        "涉及公民生命健康安全、金融安全且有危害后果", default=False
    )  # five-year limitation of 第三十六条
    complex_or_grave = models.BooleanField("情节复杂或重大违法", default=False)  # 第五十七条

    # deadlines: computed with the statutory calendar whose version is kept beside them
    calendar_version = models.CharField("计算期限的日历版本", max_length=40, blank=True)
    deadlines_provisional = models.BooleanField("期限为暂定（跨未公布节假日的年度）", default=False)
    decision_deadline = models.DateField("作出决定期限", null=True, blank=True)  # 第六十条

    # 事先告知 (第四十四、四十五、六十三、六十四条)
    notified_on = models.DateField("告知日期", null=True, blank=True)
    notice_number = models.CharField("告知书文号", max_length=64, blank=True)
    notified_penalty_kinds = models.JSONField("拟处罚种类", default=list, blank=True)
    notified_fine = models.DecimalField(
        "拟罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    notified_confiscation = models.DecimalField(
        "拟没收违法所得（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    notified_confiscated_property = models.TextField("拟没收非法财物", blank=True)
    notified_confiscated_property_value = models.DecimalField(
        "拟没收非法财物估值（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    statement_deadline = models.DateField("陈述申辩期限", null=True, blank=True)
    hearing_right = models.BooleanField("告知听证权利", default=False)
    hearing_request_deadline = models.DateField("申请听证期限", null=True, blank=True)
    hearing_requested_on = models.DateField("申请听证日期", null=True, blank=True)
    hearing_notice_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    hearing_presider = models.ForeignKey(
        Officer,
        verbose_name="听证主持人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="presided_cases",
    )

    # 决定 (第五十七、五十九、六十、六十二条)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_number = models.CharField("决定书文号", max_length=64, blank=True)
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine = models.DecimalField(
        "罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    confiscation = models.DecimalField(
        "没收违法所得（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    confiscated_property = models.TextField("没收非法财物", blank=True)  # names and quantities
    confiscated_property_value = models.DecimalField(
        "没收非法财物估值（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )  # where known; it counts toward the hearing threshold of 第六十三条
    collective_discussion = models.BooleanField("经集体讨论", default=False)
    end_ground = models.CharField(
        "不予处罚理由", max_length=32, choices=NotPenalisedGround.choices, blank=True
    )
    end_reason = models.TextField("结束说明", blank=True)

    # 送达 (第六十一条) and 执行 (第六十六、六十七、七十二条)
    service_deadline = models.DateField("送达期限", null=True, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    service_method = models.CharField(
        "送达方式", max_length=16, choices=ServiceMethod.choices, blank=True
    )
    service_late = models.BooleanField("逾期送达", default=False)
    payment_due_on = models.DateField("缴款期限", null=True, blank=True)
    # What was paid of each amount (each payment is a PAYMENT step naming its amount). Before
    # amounts were kept apart every payment counted against the fine: ``paid_amount`` is the
    # fine's.
    paid_amount = models.DecimalField("已缴罚款（元）", max_digits=14, decimal_places=2, default=0)
    paid_confiscation = models.DecimalField(
        "已缴没收违法所得（元）", max_digits=14, decimal_places=2, default=0
    )
    paid_late_fee = models.DecimalField(
        "已缴加处罚款（元）", max_digits=14, decimal_places=2, default=0
    )
    # 第七十二条 surcharge owed as of the last payment; the workspace counts it to today.
    late_fee = models.DecimalField("加处罚款（元）", max_digits=14, decimal_places=2, default=0)
    court_applied_on = models.DateField("申请法院强制执行日期", null=True, blank=True)

    # 简易程序 filing (第五十二条)
    filing_deadline = models.DateField("备案期限", null=True, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    filing_late = models.BooleanField("逾期备案", default=False)

    # 行政检查
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    inspection_outcome = models.CharField(
        "检查结论", max_length=16, choices=InspectionOutcome.choices, blank=True
    )
    rectification_due_on = models.DateField("整改期限", null=True, blank=True)
    rechecked_on = models.DateField("复查日期", null=True, blank=True)

    # 查封、扣押 (《行政强制法》第十八、十九、二十四、二十五条)
    seizure_measure = models.CharField(
        "强制措施", max_length=8, choices=SeizureMeasure.choices, blank=True
    )
    seizure_approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    seizure_emergency = models.BooleanField("情况紧急当场实施", default=False)
    seized_at = models.DateTimeField("实施时间", null=True, blank=True)
    seizure_deadline = models.DateField("查封扣押期限", null=True, blank=True)
    seizure_extended = models.BooleanField("已延长", default=False)
    seizure_outcome = models.CharField(
        "处理结果", max_length=16, choices=SeizureOutcome.choices, blank=True
    )
    released_on = models.DateField("解除（处理）日期", null=True, blank=True)

    closed_on = models.DateField("结案日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)

    created_by = models.ForeignKey(
        Account, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "案件"
        ordering = ["-clue_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"],
                condition=~Q(number=""),
                name="case_number_unique_per_agency",
            ),
            models.CheckConstraint(
                name="case_amounts_not_negative",
                condition=(Q(fine__isnull=True) | Q(fine__gte=0))
                & (Q(notified_fine__isnull=True) | Q(notified_fine__gte=0))
                & Q(paid_amount__gte=0)
                & Q(paid_confiscation__gte=0)
                & Q(paid_late_fee__gte=0)
                & Q(late_fee__gte=0),
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state"], name="case_agency_state"),
            models.Index(fields=["state", "decision_deadline"], name="case_state_decision_dl"),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_display()}（线索{self.pk}）"

    @property
    def is_archived(self) -> bool:
        return self.state == Case.State.ARCHIVED


class CaseOfficer(models.Model):
    """An officer acting on a case (承办人员), as lead (主办) or assistant (协办)."""

    class Role(models.TextChoices):
        LEAD = "lead", "主办"
        ASSISTANT = "assistant", "协办"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="assignments"
    )
    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    assigned_on = models.DateField("指定日期")

    class Meta:
        verbose_name = verbose_name_plural = "承办人员"
        ordering = ["case_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "officer"], name="case_officer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.officer}（{self.get_role_display()}）"


class Party(models.Model):
    """A party (当事人): a natural person or an organisation. Personal fields stay in scope."""

    class Kind(models.TextChoices):
        # The values are those of ``zhifa.law.penalty.PartyKind``.
        NATURAL_PERSON = "natural_person", "自然人"
        ORGANISATION = "organisation", "法人或其他组织"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="parties"
    )
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    name = models.CharField("姓名或名称", max_length=128)
    id_number = models.CharField("居民身份证号码", max_length=18, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("住所（地址）", max_length=200, blank=True)
    is_minor = models.BooleanField("未成年人", default=False)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人（负责人）", max_length=64, blank=True)
    added_on = models.DateField("登记日期")

    class Meta:
        verbose_name = verbose_name_plural = "当事人"
        ordering = ["case_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="party_fields_match_kind",
                condition=(
                    Q(kind="natural_person", credit_code="", legal_representative="")
                    & ~Q(id_number="")
                )
                | (Q(kind="organisation", id_number="", is_minor=False) & ~Q(credit_code="")),
            ),
        ]
        indexes = [
            # A party's cases by its identifier (the early-warning rule on repeated fines,
            # re-examining only the parties of what changed since its previous run).
            models.Index(
                fields=["credit_code"], condition=~Q(credit_code=""), name="party_credit_code"
            ),
            models.Index(fields=["id_number"], condition=~Q(id_number=""), name="party_id_number"),
        ]

    def __str__(self) -> str:
        return self.name


class CaseStep(models.Model):
    """A recorded step with its documents and evidence: 笔录, 证据, 听证, 送达, 缴款 …

    ``evidence`` lists the attached files as the record entry carries them (sha256, name, size,
    media_type); the bytes are in the record's evidence store. ``entry_seq`` is the record
    entry that recorded the step.
    """

    class Kind(models.TextChoices):
        INSPECTION_RECORD = "inspection_record", "现场检查（勘验）笔录"
        INTERVIEW_RECORD = "interview_record", "询问笔录"
        EVIDENCE = "evidence", "证据材料"
        ON_SITE_INSPECTION = "on_site_inspection", "现场检查"
        RECHECK = "recheck", "复查"
        SEIZURE_RECORD = "seizure_record", "查封扣押现场笔录"
        HEARING_NOTICE = "hearing_notice", "听证通知"
        HEARING_RECORD = "hearing_record", "听证笔录"
        STATEMENT = "statement", "陈述申辩"
        SERVICE = "service", "送达回证"
        PAYMENT = "payment", "缴款"  # of the fine, the confiscated gains or the surcharge
        COURT_APPLICATION = "court_application", "申请人民法院强制执行"
        # 不予处罚 (第三十三条): what the 国家企业信用信息公示系统 showed of the party's record,
        # beyond this deployment's cases; and the party's education (第三十三条第三款).
        CREDIT_CHECK = "credit_check", "国家企业信用信息公示系统查询确认"
        EDUCATION = "education", "教育当事人"

    # Steps that need two acting officers with valid certificates (《行政处罚法》第四十二条、
    # 第五十五条; 《行政强制法》第十八条).
    TWO_OFFICER_KINDS = frozenset(
        {
            Kind.INSPECTION_RECORD,
            Kind.INTERVIEW_RECORD,
            Kind.EVIDENCE,
            Kind.ON_SITE_INSPECTION,
            Kind.RECHECK,
            Kind.SEIZURE_RECORD,
        }
    )

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="steps"
    )
    kind = models.CharField("类别", max_length=24, choices=Kind.choices)
    on = models.DateField("日期")
    at = models.DateTimeField("时间", null=True, blank=True)
    summary = models.TextField("内容摘要", blank=True)
    data = models.JSONField("详细内容", default=dict, blank=True)
    evidence = models.JSONField("附件", default=list, blank=True)
    officers = models.ManyToManyField(
        Officer, verbose_name="执法人员", related_name="case_steps", blank=True
    )
    created_by = models.ForeignKey(
        Account, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    entry_seq = models.BigIntegerField("记录序号", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办案步骤"
        ordering = ["case_id", "on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class PaymentItem(models.TextChoices):
    """The amount a payment (a PAYMENT step's ``data["item"]``) is made against."""

    FINE = "fine", "罚款"
    CONFISCATION = "confiscation", "没收违法所得"
    LATE_FEE = "late_fee", "加处罚款"


class PaymentChannel(models.TextChoices):
    """How the money was paid (《行政处罚法》第六十七至七十条)."""

    BANK = "bank", "银行缴款"  # at the designated bank (第六十七条)
    ELECTRONIC = "electronic", "电子缴款"  # through the electronic payment system (第六十七条)
    ON_THE_SPOT = "on_the_spot", "当场收缴"  # only where 第六十八、六十九条 allow it


class Extension(models.Model):
    """An approved extension or payment arrangement: who approved, when, why, the new date."""

    class Kind(models.TextChoices):
        DECISION = "decision", "延长作出处罚决定期限（《行政处罚法》第六十条）"
        SEIZURE = "seizure", "延长查封扣押期限（《行政强制法》第二十五条）"
        PAYMENT_DEFERRAL = "payment_deferral", "暂缓缴纳罚款（《行政处罚法》第六十六条）"
        PAYMENT_INSTALMENT = "payment_instalment", "分期缴纳罚款（《行政处罚法》第六十六条）"
        LICENCE_DECISION = (
            "licence_decision",
            "延长作出行政许可决定期限（《行政许可法》第四十二条）",
        )

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="extensions"
    )
    kind = models.CharField("类别", max_length=24, choices=Kind.choices)
    approved_by = models.ForeignKey(
        Account, verbose_name="批准人", on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField("批准日期")
    reason = models.TextField("理由")
    collective_discussion = models.BooleanField("经集体讨论", default=False)
    previous_deadline = models.DateField("原期限", null=True, blank=True)
    new_deadline = models.DateField("新期限")
    instalments = models.JSONField("分期计划", default=list, blank=True)
    # A payment arrangement replaces the schedule of what was outstanding: the fine already
    # paid and the 第七十二条 surcharge already owed when it was approved.
    paid_before = models.DecimalField(
        "批准时已缴罚款（元）", max_digits=14, decimal_places=2, default=0
    )
    late_fee_carried = models.DecimalField(
        "批准时已产生的加处罚款（元）", max_digits=14, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = verbose_name_plural = "期限延长与缴款安排"
        ordering = ["case_id", "approved_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.new_deadline}"


class DocumentCounter(models.Model):
    """The last number issued per (agency, document kind, year); locked to stay gap-free."""

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("文书类别", max_length=32)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用最大号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "文书编号计数"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "year"], name="document_counter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.kind} {self.year}: {self.last}"


class NumberingPrefix(models.Model):
    """The agency's short name used in document numbers (机关代字), e.g. 示范市监."""

    agency = models.OneToOneField(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    short_name = models.CharField("机关代字", max_length=32)

    class Meta:
        verbose_name = verbose_name_plural = "文书机关代字"

    def __str__(self) -> str:
        return self.short_name


class CaseDocument(models.Model):
    """One generated version of one enforcement document (执法文书) of a case.

    Its PDF and DOCX are evidence files (stored by SHA-256) attached to the record entry that
    generated them (``entry_seq``). Regenerating adds a version and never replaces one; the
    document number (``number``) is the same for every version of the same document.
    """

    class Kind(models.TextChoices):
        REGISTER_APPROVAL = "register_approval", "立案审批表"
        INSPECTION_RECORD = "inspection_record", "现场检查笔录"
        INTERVIEW_RECORD = "interview_record", "询问笔录"
        EVIDENCE_LIST = "evidence_list", "证据清单"
        PENALTY_NOTICE = "penalty_notice", "行政处罚事先告知书"
        HEARING_RIGHT_NOTICE = "hearing_right_notice", "听证告知书"
        HEARING_NOTICE = "hearing_notice", "听证通知书"
        HEARING_RECORD = "hearing_record", "听证笔录"
        PENALTY_DECISION = "penalty_decision", "行政处罚决定书"
        SERVICE_RECEIPT = "service_receipt", "送达回证"
        SEIZURE_DECISION = "seizure_decision", "查封（扣押）决定书"
        CLOSE_APPROVAL = "close_approval", "结案审批表"
        SIMPLE_DECISION = "simple_decision", "当场行政处罚决定书"
        NO_PENALTY_DECISION = "no_penalty_decision", "不予行政处罚决定书"
        REVIEW_OPINION = "review_opinion", "法制审核意见书"  # its values come from the review app
        # 行政许可: their values come from the licensing app (documents.DocumentSource)
        LICENCE_ACCEPTANCE = "licence_acceptance", "受理通知书"
        LICENCE_NON_ACCEPTANCE = "licence_non_acceptance", "不予受理决定书"
        LICENCE_CORRECTION = "licence_correction", "补正材料通知书"
        LICENCE_HEARING_RIGHT = "licence_hearing_right", "行政许可听证告知书"
        LICENCE_EXTENSION = "licence_extension", "延期通知书"
        LICENCE_PAUSE = "licence_pause", "特别程序告知书"  # 第四十五条: told in writing
        LICENCE_DECISION = "licence_decision", "行政许可决定书"
        LICENCE = "licence", "行政许可证件"
        # 涉企行政检查: their values come from the inspections app (documents.DocumentSource)
        INSPECTION_APPROVAL = "inspection_approval", "行政检查审批表"
        INSPECTION_NOTICE = "inspection_notice", "行政检查通知书"
        INSPECTION_RESULT = "inspection_result", "检查结果告知书"
        RECTIFICATION_NOTICE = "rectification_notice", "责令整改通知书"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField("文书种类", max_length=32, choices=Kind.choices)
    step = models.ForeignKey(
        CaseStep,
        verbose_name="所依据的办案步骤",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )  # 笔录 and 送达回证 are generated from one step
    version = models.PositiveIntegerField("版本")
    number = models.CharField("文书编号", max_length=64, blank=True)
    title = models.CharField("标题", max_length=64)
    generated_on = models.DateField("生成日期")
    pdf = models.ForeignKey(
        "record.EvidenceFile", verbose_name="PDF文件", on_delete=models.PROTECT, related_name="+"
    )
    docx = models.ForeignKey(
        "record.EvidenceFile", verbose_name="DOCX文件", on_delete=models.PROTECT, related_name="+"
    )
    template_source = models.CharField("模板来源", max_length=16)  # "default" or "agency"
    created_by = models.ForeignKey(
        Account, verbose_name="生成人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("生成时间")
    entry_seq = models.BigIntegerField("记录序号")

    class Meta:
        verbose_name = verbose_name_plural = "执法文书"
        ordering = ["case_id", "kind", "step_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "version"],
                condition=Q(step__isnull=True),
                name="case_document_version_unique",
            ),
            models.UniqueConstraint(
                fields=["step", "kind", "version"],
                condition=Q(step__isnull=False),
                name="case_document_step_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}（第{self.version}版）".strip()


class DocumentTemplate(models.Model):
    """An agency's own wording of one kind of document (文书模板), replacing the default file
    ``templates/cases/documents/<kind>.txt``. Written only by
    ``documents.document_template_set``."""

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("文书种类", max_length=32, choices=CaseDocument.Kind.choices)
    body = models.TextField("模板内容")
    updated_by = models.ForeignKey(
        Account, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间")

    class Meta:
        verbose_name = verbose_name_plural = "文书模板"
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="document_template_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.get_kind_display()}"


class RetentionPolicy(models.Model):
    """How long the case files (案卷) of one case kind are kept after archiving (保管期限).

    A setting kept as data: a row overrides the default of ``settings.ZHIFA_RETENTION_YEARS``
    for its kind; ``years`` empty means permanent (永久). Written only by
    ``archive.retention_policy_set``; read through ``archive.case_retention``.
    """

    kind = models.CharField("案件类别", max_length=24, choices=Case.Kind.choices, unique=True)
    years = models.PositiveSmallIntegerField("保管期限（年）", null=True, blank=True)
    basis = models.TextField("依据")
    updated_by = models.ForeignKey(
        Account, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间")

    class Meta:
        verbose_name = verbose_name_plural = "案卷保管期限"
        constraints = [
            models.CheckConstraint(
                name="retention_years_positive",
                condition=Q(years__isnull=True) | Q(years__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{'永久' if self.years is None else f'{self.years}年'}"


class Challenge(models.Model):
    """A challenge to a case's decision (行政复议 or 行政诉讼): the body, the dates and the
    outcome, recorded as steps of the case (``cases.services_challenges``). The statistics count
    被复议/被诉 by ``filed_on`` and 纠错/败诉 by ``concluded_on``; the evaluation reads them."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", "行政复议"
        LITIGATION = "litigation", "行政诉讼"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "维持"  # 复议维持 / 判决驳回诉讼请求
        REVOKED = "revoked", "撤销"
        VARIED = "varied", "变更"
        CONFIRMED_ILLEGAL = "confirmed_illegal", "确认违法"
        ORDERED_TO_ACT = "ordered_to_act", "责令履行"
        DISMISSED = "dismissed", "驳回申请（起诉）"
        WITHDRAWN = "withdrawn", "申请人撤回（终止）"
        SETTLED = "settled", "调解、和解结案"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="challenges"
    )
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    body = models.CharField("复议机关（人民法院）", max_length=200)
    reference = models.CharField("案号", max_length=100, blank=True)
    filed_on = models.DateField("申请（起诉）日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    concluded_on = models.DateField("决定（裁判）日期", null=True, blank=True)
    outcome = models.CharField("结果", max_length=24, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField("结果说明", blank=True)
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "复议诉讼"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(concluded_on__isnull=True) | ~models.Q(outcome=""),
                name="cases_challenge_outcome_when_concluded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference or self.pk}"
