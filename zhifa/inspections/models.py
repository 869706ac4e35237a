"""涉企行政检查 (国办发〔2024〕54号): the inspected entities, the inspections that govern the
inspection cases, plans, caps, quiet periods, 双随机 tasks and their draws, joint inspections,
the visits officers record by scanning and the enterprises' ratings.

An inspection is a :class:`~zhifa.cases.models.Case` of kind ``inspection`` (its state, its
party, its officers, its steps, documents and record are the case's). What only a governed
inspection has — its entity, ground, approval, code, quiet-period exception, cap override —
lives in :class:`Inspection`, one row per case. Every row changes only through
``inspections.services``, whose record entries carry the rows.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q

from zhifa.cases.models import Case
from zhifa.registry.models import Account, Agency, Domain, Officer, PowerItem


def _code() -> str:
    return secrets.token_urlsafe(12)


class ScaleCategory(models.TextChoices):
    """The categories quiet periods name (交口县双池镇《"企业安静期"制度（试行）》第二条)."""

    INDUSTRY = "industry", "规模以上工业企业"
    CONSTRUCTION = "construction", "资质等级建筑业企业"
    TRADE = "trade", "限额以上批零住餐企业"
    SERVICES = "services", "规模以上服务业企业"
    KEY_PROJECT = "key_project", "重点项目企业"


class RiskClass(models.TextChoices):
    """Credit/risk class (企业信用风险分类, A lowest risk … D highest)."""

    A = "A", "A类（低风险）"
    B = "B", "B类（一般风险）"
    C = "C", "C类（较高风险）"
    D = "D", "D类（高风险）"


class Ground(models.TextChoices):
    """Why an inspection is made (司法部《有关问题解答》: 日常、个案、专项; 重庆令第375号第三条)."""

    ROUTINE = "routine", "日常检查"  # on the annual plan
    RANDOM = "random", "双随机抽查"  # drawn by a 双随机 task
    SPECIAL = "special", "专项检查"  # under an approved 专项检查 plan
    CLUE = "clue", "个案线索核查"  # a complaint, referral or data alert, with its reference
    UPPER = "upper", "上级部署"  # deployed by an upper level
    REQUEST = "request", "企业申请"  # the enterprise asked (授益性)


class Entity(models.Model):
    """One inspected entity of the directory (检查对象名录库, 国办发〔2015〕58号（二）)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "存续"  # in business
        ABNORMAL = "abnormal", "经营异常"  # on the 经营异常名录
        CLOSED = "closed", "注销/吊销"  # gone; kept for history

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200, db_index=True)
    legal_representative = models.CharField("法定代表人", max_length=64, blank=True)
    address = models.CharField("注册地址", max_length=200, blank=True)
    division_code = models.CharField("行政区划代码", max_length=6, db_index=True)
    industry = models.CharField("行业", max_length=64, blank=True)
    scale_category = models.CharField(
        "规模类别", max_length=16, choices=ScaleCategory.choices, blank=True
    )
    risk_class = models.CharField("信用风险分类", max_length=1, choices=RiskClass.choices)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查对象"
        ordering = ["credit_code"]
        indexes = [models.Index(fields=["division_code", "industry", "risk_class"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.credit_code}）"


class Conflict(models.Model):
    """An officer's recorded conflict with an entity (回避): the officer may not inspect it."""

    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="conflicts"
    )
    entity = models.ForeignKey(
        Entity, verbose_name="检查对象", on_delete=models.PROTECT, related_name="conflicts"
    )
    reason = models.CharField("回避事由", max_length=200)
    declared_on = models.DateField("登记日期")
    ended_on = models.DateField("解除日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        Account, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "回避登记"
        indexes = [models.Index(fields=["entity", "officer"])]

    def __str__(self) -> str:
        return f"{self.officer} 回避 {self.entity}"


class Plan(models.Model):
    """An agency's annual inspection plan (年度检查计划, 北京条例第六十七条, 上海条例第六十二条) or
    a 专项检查 plan (国办发〔2024〕54号（六）; 重庆令第375号第二十六至二十八条)."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "年度检查计划"
        SPECIAL = "special", "专项检查计划"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"  # being prepared
        APPROVED = "approved", "已批准"  # a 专项 plan approved by the government level set
        PUBLISHED = "published", "已公布"  # public on the portal
        WITHDRAWN = "withdrawn", "已撤回"  # taken down with a reason; kept

    agency = models.ForeignKey(
        Agency, verbose_name="检查主体", on_delete=models.PROTECT, related_name="inspection_plans"
    )
    kind = models.CharField("计划类别", max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("计划名称", max_length=200)
    items = models.ManyToManyField(
        PowerItem, verbose_name="检查事项", related_name="inspection_plans"
    )
    subjects = models.TextField("检查对象范围")
    method = models.CharField("检查方式", max_length=200)
    ratio = models.CharField("检查比例", max_length=200, blank=True)
    frequency = models.CharField("检查频次", max_length=200, blank=True)
    starts_on = models.DateField("开始日期", null=True, blank=True)
    ends_on = models.DateField("结束日期", null=True, blank=True)
    # 专项 only
    necessity = models.TextField("必要性评估", blank=True)
    region = models.CharField("地域范围", max_length=200, blank=True)
    approved_by_body = models.CharField("批准机关", max_length=200, blank=True)
    approval_document = models.CharField("批准文号", max_length=100, blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField("公布日期", null=True, blank=True)
    withdrawal_reason = models.CharField("撤回原因", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查计划"
        ordering = ["-year", "agency_id", "kind"]
        indexes = [models.Index(fields=["agency", "year", "kind"])]

    def __str__(self) -> str:
        return self.title


class RandomTask(models.Model):
    """A 双随机 task (国办发〔2015〕58号; 国发〔2019〕5号): items, the entity pool's filters, the
    count per risk class, inspectors per entity, the participating agencies (部门联合)."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"  # being prepared; pools not frozen
        FROZEN = "frozen", "名录已冻结"  # pools published with the seed size; awaiting the head
        DRAWN = "drawn", "已抽取"  # drawn from the first signed head of at least the seed size

    agency = models.ForeignKey(
        Agency, verbose_name="发起部门", on_delete=models.PROTECT, related_name="random_tasks"
    )
    participants = models.ManyToManyField(
        Agency, verbose_name="参与部门", related_name="joined_random_tasks", blank=True
    )
    title = models.CharField("任务名称", max_length=200)
    items = models.ManyToManyField(PowerItem, verbose_name="抽查事项", related_name="random_tasks")
    plan = models.ForeignKey(
        Plan,
        verbose_name="所属计划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="random_tasks",
    )
    filters = models.JSONField("对象范围", default=dict, blank=True)  # industry, division, classes
    counts = models.JSONField("各类抽取数量", default=dict, blank=True)  # {"A": k, …}
    ratios = models.JSONField("各类抽取比例", default=dict, blank=True)  # {"A": "0.05", …}
    inspectors_per_entity = models.PositiveSmallIntegerField("每户检查人员数", default=2)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.DRAFT)
    seed_size = models.PositiveBigIntegerField("种子树规模", null=True, blank=True)
    frozen_at = models.DateTimeField("冻结时间", null=True, blank=True)
    frozen_seq = models.PositiveBigIntegerField("冻结记录序号", null=True, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    seed = models.CharField("种子", max_length=64, blank=True)
    checkpoint = models.TextField("签名树头", blank=True)
    planned_on = models.DateField("计划检查日期", null=True, blank=True)
    created_by = models.ForeignKey(
        Account, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # draws part: the seq of the draw entry (``zhifa verify`` replays the task against it)
    drawn_seq = models.PositiveBigIntegerField("抽取记录序号", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "双随机抽查任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class DrawPool(models.Model):
    """One frozen pool of a task: the entities of one risk class, or one agency's inspectors.

    ``members`` is the exact published list: identifiers sorted ascending, UTF-8, one per line,
    each ending in "\\n"; ``sha256`` is its hash.
    """

    class Kind(models.TextChoices):
        ENTITIES = "entities", "检查对象"
        INSPECTORS = "inspectors", "检查人员"

    task = models.ForeignKey(
        RandomTask, verbose_name="任务", on_delete=models.PROTECT, related_name="pools"
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    risk_class = models.CharField("信用风险分类", max_length=1, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name="部门", null=True, blank=True, on_delete=models.PROTECT
    )
    members = models.TextField("名录")
    sha256 = models.CharField("名录哈希", max_length=64)
    size = models.PositiveIntegerField("名录数量")
    count = models.PositiveIntegerField("抽取数量")
    selected = models.JSONField("抽中", default=list, blank=True)
    skipped = models.JSONField("跳过", default=list, blank=True)  # [{"id":…, "reason":…}]
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "抽取名录"
        ordering = ["task_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "name"], name="draw_pool_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class JointInspection(models.Model):
    """综合查一次: one visit by several agencies to one entity, one team, one checklist, the
    documents requested once (北京条例第七十条; 浙江条例第十三条)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "拟合并"  # a merge proposal from planned inspections
        AGREED = "agreed", "已确定联合检查"  # the agencies agreed; one visit
        DECLINED = "declined", "不合并"  # not merged, with a reason

    entity = models.ForeignKey(
        Entity, verbose_name="检查对象", on_delete=models.PROTECT, related_name="joint_inspections"
    )
    lead_agency = models.ForeignKey(
        Agency, verbose_name="牵头部门", on_delete=models.PROTECT, related_name="+"
    )
    visit_on = models.DateField("检查日期")
    checklist = models.JSONField("合并检查表", default=list, blank=True)
    documents_requested = models.JSONField("一次性调取资料", default=list, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices)
    decline_reason = models.CharField("不合并理由", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "联合检查"

    def __str__(self) -> str:
        return f"联合检查 {self.entity} {self.visit_on}"


class Inspection(models.Model):
    """One governed inspection of one entity by one agency: what an inspection case has beyond
    the case (its entity, item, ground, approval, code, exceptions)."""

    class State(models.TextChoices):
        REQUESTED = "requested", "待审批"  # awaiting the head's prior approval
        APPROVED = "approved", "已批准"  # approved; the code is issued
        EMERGENCY = "emergency", "紧急实施待补办"  # inspected first; approval to follow
        REFUSED = "refused", "不予批准"  # the head refused; the case ends
        CANCELLED = "cancelled", "已取消"  # withdrawn before the visit, with a reason

    class QuietException(models.TextChoices):
        """Exception grounds of a quiet period (交口县双池镇制度第三条; 内蒙古、商丘)."""

        UPPER = "upper", "上级部署的检查或专项整治"
        HAZARD = "hazard", "安全生产、生态环境、食品药品等领域隐患或事件"
        COMPLAINT = "complaint", "投诉举报、案件查处、媒体曝光需现场核实"
        STATUTORY = "statutory", "法定期限内须完成的检查（含复查）"
        TAX = "tax", "税务检查"
        OTHER = "other", "其他（须说明理由）"

    case = models.OneToOneField(
        Case, verbose_name="检查案件", on_delete=models.PROTECT, related_name="inspection"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="检查主体", on_delete=models.PROTECT, related_name="inspections"
    )
    entity = models.ForeignKey(
        Entity, verbose_name="检查对象", on_delete=models.PROTECT, related_name="inspections"
    )
    power_item = models.ForeignKey(
        PowerItem, verbose_name="检查事项", on_delete=models.PROTECT, related_name="inspections"
    )
    domain = models.ForeignKey(Domain, verbose_name="执法领域", on_delete=models.PROTECT)
    ground = models.CharField("检查依据类型", max_length=10, choices=Ground.choices)
    ground_reference = models.CharField("线索或部署来源", max_length=200, blank=True)
    plan = models.ForeignKey(
        Plan, verbose_name="所属计划", null=True, blank=True, on_delete=models.PROTECT
    )
    task = models.ForeignKey(
        RandomTask,
        verbose_name="双随机任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    joint = models.ForeignKey(
        JointInspection,
        verbose_name="联合检查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    planned_on = models.DateField("计划检查日期")
    year = models.PositiveSmallIntegerField("年度")  # of planned_on; what the caps count
    state = models.CharField("审批状态", max_length=10, choices=State.choices)
    requested_at = models.DateTimeField("提请时间")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        Account,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField("审批意见", blank=True)
    emergency_reason = models.TextField("紧急实施理由", blank=True)
    approval_due_on = models.DateField("补办期限", null=True, blank=True)
    quiet_exception = models.CharField(
        "安静期例外情形", max_length=10, choices=QuietException.choices, blank=True
    )
    quiet_exception_reason = models.TextField("例外情形说明", blank=True)
    filed_on = models.DateField("报备日期", null=True, blank=True)  # 入企行政执法报备
    cap_override_reason = models.TextField("超频次检查理由", blank=True)
    counts_toward_cap = models.BooleanField("计入频次", default=True)
    code = models.CharField("检查码", max_length=24, unique=True, default=_code)
    coded = models.BooleanField("已赋码", default=False)  # the code was issued before the visit
    ended_on = models.DateField("检查结束日期", null=True, blank=True)
    result_due_on = models.DateField("结果公示期限", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "涉企行政检查"
        ordering = ["-planned_on", "-pk"]
        indexes = [
            # caps and warnings: one entity's inspections in a year / a window
            models.Index(fields=["entity", "planned_on"]),
            models.Index(fields=["agency", "state", "planned_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="inspection_clue_has_reference",
                condition=~Q(ground="clue") | ~Q(ground_reference=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number or self.pk}：{self.entity.name}"


class Visit(models.Model):
    """An officer's arrival or departure, recorded by scanning the code (扫码入企) or entered late
    with a reason (补录)."""

    class Kind(models.TextChoices):
        ARRIVAL = "arrival", "到达"
        DEPARTURE = "departure", "离开"

    inspection = models.ForeignKey(
        Inspection, verbose_name="检查", on_delete=models.PROTECT, related_name="visits"
    )
    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.PROTECT)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    at = models.DateTimeField("时间")
    scanned = models.BooleanField("扫码记录", default=True)
    late_reason = models.TextField("补录理由", blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "入企记录"
        ordering = ["inspection_id", "at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at}"


class Rating(models.Model):
    """The enterprise's anonymous rating of an inspection, with any breach of the discipline
    rules reported. Routed to the supervisor; the inspecting agency sees aggregates only."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="检查", on_delete=models.PROTECT, related_name="ratings"
    )
    score = models.PositiveSmallIntegerField("评分")  # 1–5
    breaches = models.JSONField("违反检查纪律情形", default=list, blank=True)
    comment = models.TextField("意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业评价"
        constraints = [
            models.CheckConstraint(
                name="rating_score_1_to_5", condition=Q(score__gte=1) & Q(score__lte=5)
            )
        ]

    def __str__(self) -> str:
        return f"评价 {self.score}"


class Cap(models.Model):
    """A yearly cap on inspections of one entity (年度频次上限, 国办发〔2024〕54号（四）), kept as
    data with its source: per item or domain, per issuing level (or combined), per risk class."""

    name = models.CharField("名称", max_length=200)
    domain = models.ForeignKey(
        Domain, verbose_name="执法领域", null=True, blank=True, on_delete=models.PROTECT
    )
    power_code = models.CharField("检查事项编码", max_length=64, blank=True)
    level = models.CharField(
        "实施层级", max_length=16, choices=Agency.Level.choices, blank=True
    )  # blank: all levels combined
    region_code = models.CharField("适用区域", max_length=6, blank=True)
    risk_class = models.CharField("信用风险分类", max_length=1, blank=True)  # blank: every class
    limit = models.PositiveSmallIntegerField("年度上限（次）")
    counted_grounds = models.JSONField("计入频次的检查类型", default=list)
    override_allowed = models.BooleanField("允许经负责人批准超限", default=False)
    source = models.CharField("依据", max_length=300)
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查频次上限"

    def __str__(self) -> str:
        return self.name


class QuietPeriod(models.Model):
    """An enterprise quiet period (企业安静期) of a region: the quiet days of each month, the
    categories and named entities it covers, the exception grounds and the 报备 lead time."""

    name = models.CharField("名称", max_length=200)
    region_code = models.CharField("适用区域", max_length=6)
    days = models.JSONField("安静日")  # [[first, last], …] days of the month, inclusive
    categories = models.JSONField("适用企业类别", default=list, blank=True)
    entities = models.ManyToManyField(
        Entity, verbose_name="适用企业", blank=True, related_name="quiet_periods"
    )
    exception_grounds = models.JSONField("例外情形", default=list)
    filing_lead_days = models.PositiveSmallIntegerField(
        "提前报备天数", null=True, blank=True
    )  # 商丘: 3 days before an inspection outside the quiet days
    filing_to = models.CharField("报备机关", max_length=200, blank=True)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    source = models.CharField("依据", max_length=300)
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业安静期"

    def __str__(self) -> str:
        return self.name
