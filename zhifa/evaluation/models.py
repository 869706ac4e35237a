"""案卷评查 and 效能评价: scoring templates kept as data, evaluation campaigns (评查活动) with
their files, reviewers' independent scorings, reconciliations and objections, and — in their own
blocks below — accountability records and the yearly efficiency evaluation.

Every row changes only through the services of this app (``services*.py``), each of which
appends one record entry carrying the rows it wrote (``recording.record_rows``); ``zhifa
verify`` replays them (``recording.evaluation_replay_check``). Nothing is deleted: a published
template version never changes (a new version is a new row), a signed scoring is never edited
(a reconciliation or a re-check is a new fact on the file).

A supervisor never changes the evaluated case (《行政执法监督条例》第八条): a file refers to its
case; the case is read through ``cases.selectors`` only.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhifa.cases.models import Case
from zhifa.registry.models import Account, Agency


class Template(models.Model):
    """A scoring template (评查标准) in one version. Its structure (sections, items with their
    deduction rules and record checks, veto items) is ``content``, parsed and scored by the pure
    ``scoring.py``; a published version never changes — editing makes the next version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"  # being edited; only a draft changes
        PUBLISHED = "published", "已发布"  # frozen; campaigns may use it
        RETIRED = "retired", "已停用"  # replaced or withdrawn; campaigns that used it keep it

    class VetoEffect(models.TextChoices):
        FAIL = "fail", "评为不合格"  # 《广东省行政执法案卷评查办法》第十七条
        ZERO = "zero", "总分计为0分"  # 河南2022版基础标准; 测绘地理信息评查标准

    key = models.CharField("标准代码", max_length=64, db_index=True)  # stable across versions
    version = models.PositiveIntegerField("版本", default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name="上一版本",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
    )
    owner = models.ForeignKey(
        Agency,
        verbose_name="维护机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )  # the body that keeps it; empty: shipped for the whole deployment
    name = models.CharField("名称", max_length=200)
    issuer = models.CharField("制定机关", max_length=200)
    source = models.CharField("依据", max_length=300, blank=True)
    applies_to = models.CharField("适用案卷", max_length=24, choices=Case.Kind.choices)
    valid_from = models.DateField("施行日期")
    valid_until = models.DateField("废止日期", null=True, blank=True)  # last day it applies
    veto_effect = models.CharField(
        "否决项效果", max_length=8, choices=VetoEffect.choices, default=VetoEffect.FAIL
    )
    content = models.JSONField("评查内容", default=dict)  # scoring.parse_template reads it
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_by = models.ForeignKey(
        Account, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "评查标准"
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="evaluation_template_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class Campaign(models.Model):
    """One evaluation campaign (评查活动, 《广东省行政执法案卷评查办法》第十二条): its plan,
    sampling, team and files. Run by a supervisory body over the agencies of its region, or by
    an agency over its own system (第六条: ``self_evaluation``)."""

    class Sampling(models.TextChoices):
        CENSUS = "census", "普查"  # every file in scope (第八条)
        RANDOM = "random", "随机抽查"  # drawn at random, reproducible from the recorded seed
        SUBMITTED = "submitted", "自行选送"  # the agencies submit their files (第八条)

    class State(models.TextChoices):
        PLANNED = "planned", "制定方案"  # plan and team being set up (第十二条（一）（二）)
        SCORING = "scoring", "评查打分"  # files drawn or submitted and assigned (第十二条（三）)
        REPORTED = "reported", "小组报告"  # the team report is made (第十二条（四）（五）)
        FEEDBACK = "feedback", "反馈异议"  # results fed back; objections run (第十二条（六）（七）)
        CLOSED = "closed", "总结通报"  # overall report and 通报 made (第十二条（八）)

    number = models.CharField("编号", max_length=64, unique=True)
    body = models.ForeignKey(
        Agency, verbose_name="评查主体", on_delete=models.PROTECT, related_name="+"
    )
    self_evaluation = models.BooleanField("本系统自查", default=False)
    name = models.CharField("名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    agencies = models.ManyToManyField(Agency, verbose_name="评查对象", related_name="+")
    kinds = models.JSONField("案卷类别", default=list)  # Case.Kind values in scope
    decided_from = models.DateField("决定日期自")
    decided_to = models.DateField("决定日期至")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    steps = models.TextField("工作步骤", blank=True)
    requirements = models.TextField("工作要求", blank=True)
    sampling = models.CharField("抽取方式", max_length=16, choices=Sampling.choices)
    sample_ratio = models.DecimalField(
        "抽取比例（%）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    sample_count = models.PositiveIntegerField("每个机关抽取件数", null=True, blank=True)
    reviewers_per_file = models.PositiveSmallIntegerField("每卷评查人数", default=2)
    difference_threshold = models.DecimalField(
        "分差阈值（分）", max_digits=5, decimal_places=1, default=5
    )
    templates = models.ManyToManyField(Template, verbose_name="评查标准", related_name="+")
    # The draw (随机抽查): the population and seed are recorded before the draw is made.
    population_sha256 = models.CharField("案卷总体摘要", max_length=64, blank=True)
    seed = models.CharField("随机种子", max_length=128, blank=True)
    drawn_on = models.DateField("抽取日期", null=True, blank=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.PLANNED)
    created_by = models.ForeignKey(
        Account, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "评查活动"

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A member of a campaign's team (评查小组, 第九条): a supervisor or an invited person. An
    invited person without an account is listed but cannot score in the platform."""

    class Kind(models.TextChoices):
        SUPERVISOR = "supervisor", "行政执法监督人员"
        OFFICER = "officer", "其他机关执法人员（交叉评查）"
        NPC = "npc", "人大代表"
        CPPCC = "cppcc", "政协委员"
        EXPERT = "expert", "专家学者"
        MONITOR = "monitor", "行政执法监督员"

    campaign = models.ForeignKey(
        Campaign, verbose_name="评查活动", on_delete=models.PROTECT, related_name="members"
    )
    account = models.ForeignKey(
        Account,
        verbose_name="账号",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField("姓名", max_length=64)
    kind = models.CharField("身份", max_length=16, choices=Kind.choices)
    home_agency = models.ForeignKey(
        Agency,
        verbose_name="所在单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )  # recusal: never assigned a file of this agency (第十条)
    is_leader = models.BooleanField("组长", default=False)
    active = models.BooleanField("在组", default=True)
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "评查小组成员"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "account"],
                condition=Q(account__isnull=False),
                name="evaluation_member_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class File(models.Model):
    """One case file (案卷) in a campaign, scored against one template version."""

    class Origin(models.TextChoices):
        CENSUS = "census", "普查"
        DRAWN = "drawn", "随机抽取"
        SUBMITTED = "submitted", "自行选送"

    class State(models.TextChoices):
        ASSIGNED = "assigned", "待评查"  # reviewers assigned, not all signed
        DIFFERENT = "different", "待组长核定"  # signed scorings differ beyond the threshold
        SCORED = "scored", "已评定"  # a final score and grade stand
        RECHECKING = "rechecking", "复评/复核中"  # 复评 of a failed file or an objection's re-check

    campaign = models.ForeignKey(
        Campaign, verbose_name="评查活动", on_delete=models.PROTECT, related_name="files"
    )
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        Agency, verbose_name="被评查机关", on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(
        Template, verbose_name="评查标准", on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField("来源", max_length=16, choices=Origin.choices)
    rank = models.PositiveIntegerField("抽取顺位", null=True, blank=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.ASSIGNED)
    # The standing result: from the signed scorings when they agree, else the leader's
    # reconciliation, else a re-check's. ``result`` keeps the marks it was computed from.
    total = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等次", max_length=16, blank=True)
    vetoed = models.BooleanField("触发否决项", default=False)
    result = models.JSONField("评定结果", default=dict, blank=True)
    result_basis = models.CharField("评定方式", max_length=32, blank=True)
    result_reason = models.TextField("核定理由", blank=True)
    result_by = models.ForeignKey(
        Account,
        verbose_name="核定人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The record's proposals (record_checks.Finding as JSON per item/veto code), computed when
    # the file is assigned and refreshed on request; reviewers see them with their evidence.
    proposals = models.JSONField("系统预评", default=dict, blank=True)
    proposed_on = models.DateField("预评日期", null=True, blank=True)
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "评查案卷"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "case"], name="evaluation_file_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number or self.case_id}"


class Scoring(models.Model):
    """One reviewer's independent scoring of one file (第十条: 分别查阅案卷，独立评分，书面记录评查
    得分、扣分理由并签名). ``marks`` holds, per item code, the deduction and its reason, the
    record's proposal and whether the reviewer overrode it; per veto code, whether it applies.
    Signed scorings never change; no reviewer sees another's before both have signed."""

    class State(models.TextChoices):
        DRAFT = "draft", "评分中"
        SIGNED = "signed", "已签名"

    file = models.ForeignKey(
        File, verbose_name="案卷", on_delete=models.PROTECT, related_name="scorings"
    )
    reviewer = models.ForeignKey(
        TeamMember, verbose_name="评查人员", on_delete=models.PROTECT, related_name="scorings"
    )
    marks = models.JSONField("评分", default=dict, blank=True)
    total = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等次", max_length=16, blank=True)
    vetoed = models.BooleanField("触发否决项", default=False)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.DRAFT)
    signed_on = models.DateField("签名日期", null=True, blank=True)
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "评查评分"
        constraints = [
            models.UniqueConstraint(fields=["file", "reviewer"], name="evaluation_scoring_once"),
        ]

    def __str__(self) -> str:
        return f"{self.file} / {self.reviewer}"


# -- outcomes part: re-checks, objections, reports, accountability (责任追究) -------------------


class Recheck(models.Model):
    """A new result for a scored file, the earlier one kept beside it: a 复评 of a failed file
    (《广东省行政执法案卷评查办法》第十二条第（五）项) or the re-check of an upheld objection
    (第十二条第（七）项). The file's standing result becomes ``new_*``; ``old_*`` keep what
    stood."""

    class Kind(models.TextChoices):
        FAILED = "failed", "不合格案卷复评"  # 第十二条（五）
        OBJECTION = "objection", "异议复核"  # 第十二条（七）

    file = models.ForeignKey(
        File, verbose_name="案卷", on_delete=models.PROTECT, related_name="rechecks"
    )
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    old_total = models.DecimalField("原得分", max_digits=6, decimal_places=2, null=True)
    old_grade = models.CharField("原等次", max_length=16, blank=True)
    old_vetoed = models.BooleanField("原触发否决项", default=False)
    old_result = models.JSONField("原评定结果", default=dict, blank=True)
    new_total = models.DecimalField("复评得分", max_digits=6, decimal_places=2)
    new_grade = models.CharField("复评等次", max_length=16)
    new_vetoed = models.BooleanField("复评触发否决项", default=False)
    marks = models.JSONField("复评评分", default=dict, blank=True)
    reasons = models.TextField("复评理由")
    by = models.ForeignKey(
        Account, verbose_name="复评人", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField("复评日期")
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "复评记录"

    def __str__(self) -> str:
        return f"{self.file} {self.get_kind_display()}"


class Objection(models.Model):
    """An agency's objection to a file's result (异议), filed by its head within the time limit
    ``evaluation.objection_file`` after the feedback, answered by a re-check within
    ``evaluation.recheck_answer`` (《广东省行政执法案卷评查办法》第十二条第（七）项)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "待复核"  # filed, not answered yet
        UPHELD = "upheld", "异议成立"  # the re-check gave a new result
        REJECTED = "rejected", "异议不成立"  # the result stands, with the reasons

    file = models.ForeignKey(
        File, verbose_name="案卷", on_delete=models.PROTECT, related_name="objections"
    )
    filed_by = models.ForeignKey(
        Account, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    filed_on = models.DateField("提出日期")
    reasons = models.TextField("异议理由")
    due_on = models.DateField("复核答复期限")  # the last day of evaluation.recheck_answer
    outcome = models.CharField(
        "复核结论", max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    answer = models.TextField("复核意见", blank=True)
    answered_by = models.ForeignKey(
        Account,
        verbose_name="答复人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_on = models.DateField("答复日期", null=True, blank=True)
    recheck = models.OneToOneField(
        Recheck,
        verbose_name="复核结果",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objection",
    )
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "评查异议"
        constraints = [
            models.UniqueConstraint(fields=["file"], name="evaluation_objection_once"),
        ]

    def __str__(self) -> str:
        return f"{self.file} 异议"

    @property
    def late(self) -> bool:
        """Answered (or still unanswered) past its last day."""
        return self.answered_on is not None and self.answered_on > self.due_on


class Report(models.Model):
    """A campaign's document (第十二条第（四）（六）（七）（八）项, 第十三条): generated as PDF and
    DOCX, stored as evidence and carried by the entry that made it. ``text`` is what it prints
    (the publication starts from it)."""

    class Kind(models.TextChoices):
        TEAM = "team", "评查小组报告"  # 第十二条（四）、第十三条
        FEEDBACK = "feedback", "评查结果反馈意见"  # 第十二条（六）, one per agency
        ANSWER = "answer", "异议复核答复书"  # 第十二条（七）, one per objection
        OVERALL = "overall", "评查总体报告"  # 第十二条（八）、第十八条
        NOTICE = "notice", "评查结果通报"  # 第十二条（八）、第二十五条

    campaign = models.ForeignKey(
        Campaign, verbose_name="评查活动", on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField("种类", max_length=16, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name="送达机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )  # feedback and answer letters: the evaluated agency
    objection = models.ForeignKey(
        Objection,
        verbose_name="异议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    number = models.CharField("文号", max_length=64, unique=True)
    issued_on = models.DateField("制发日期")
    issued_by = models.ForeignKey(
        Account, verbose_name="制发人", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("文本", blank=True)
    pdf = models.ForeignKey(
        "record.EvidenceFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    docx = models.ForeignKey(
        "record.EvidenceFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "评查文书"
        ordering = ["issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Accountability(models.Model):
    """A 责任追究 decision in the register: who, for which case or evaluated file, on which
    ground, which measure, by whom and when (国办发〔2005〕37号 四; 《行政执法监督条例》第三十二条).
    Recorded by a supervisor; never changed (a later decision is a new row)."""

    class Ground(models.TextChoices):
        RESPONSIBILITY = "responsibility", "行政执法责任制"  # 评议考核 results (国办发〔2005〕37号)
        FAULT = "fault", "执法过错责任"  # 过错责任追究

    class Measure(models.TextChoices):
        # 国办发〔2005〕37号 四 (officers) and the local 过错追究 ladders (supervision.md §5.3)
        CRITICISM = "criticism", "批评教育"
        ADMONITION = "admonition", "诫勉谈话"
        WRITTEN_REVIEW = "written_review", "书面检查"
        NOTICE = "notice", "通报批评"
        RETRAINING = "retraining", "离岗培训"
        REASSIGNMENT = "reassignment", "调离执法岗位"
        DISQUALIFICATION = "disqualification", "取消执法资格"
        RECTIFICATION = "rectification", "限期整改"  # an agency
        OTHER = "other", "其他处理"

    officer = models.ForeignKey(
        "registry.Officer",
        verbose_name="执法人员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField("被追责人", max_length=64)  # the officer's name, or the agency's
    agency = models.ForeignKey(
        Agency, verbose_name="所在机关", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.ForeignKey(
        File,
        verbose_name="评查案卷",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accountabilities",
    )
    ground = models.CharField("追责依据", max_length=16, choices=Ground.choices)
    measure = models.CharField("处理措施", max_length=24, choices=Measure.choices)
    deciding_body = models.CharField("决定机关", max_length=200)
    decided_on = models.DateField("决定日期")
    note = models.TextField("情况说明", blank=True)
    recorded_by = models.ForeignKey(
        Account, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField("登记日期")
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "责任追究记录"
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.get_measure_display()}"


# -- 效能评价 (efficiency part): the yearly efficiency evaluation and the satisfaction surveys ----


class EfficiencyScheme(models.Model):
    """One body's yearly efficiency evaluation (行政执法效能评价, 鄂州: 执法质量、监管履行率、
    社会满意度) of the agencies of its region: the components' weights (defaults 30/50/20 — a
    deployment's choice, shown with its source), the indicators as data (``indicators.py``
    checks and evaluates them) and, once computed, one result per agency."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"  # weights and indicators being set
        COMPUTED = "computed", "已计算"  # results stand; may be recomputed until published
        PUBLISHED = "published", "已发布"  # frozen; its report proposed for publication

    body = models.ForeignKey(
        Agency, verbose_name="评价机关", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("名称", max_length=200)
    weight_quality = models.DecimalField("执法质量权重", max_digits=5, decimal_places=2)
    weight_duty = models.DecimalField("监管履行率权重", max_digits=5, decimal_places=2)
    weight_satisfaction = models.DecimalField("社会满意度权重", max_digits=5, decimal_places=2)
    weights_source = models.CharField("权重依据", max_length=300)
    indicators = models.JSONField("指标", default=list)  # indicators.indicators_check reads it
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.DRAFT)
    computed_on = models.DateField("计算日期", null=True, blank=True)
    # Each computation writes a new set of results (``run``); the earlier ones stay.
    run = models.PositiveIntegerField("计算次数", default=0)
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_by = models.ForeignKey(
        Account, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "效能评价方案"
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="evaluation_efficiency_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def weights(self) -> dict[str, object]:
        return {
            "quality": self.weight_quality,
            "duty": self.weight_duty,
            "satisfaction": self.weight_satisfaction,
        }


class EfficiencyResult(models.Model):
    """One agency's result in a scheme: each component's score, each indicator's value with its
    numerator and denominator (``values``: code → {value, numerator, denominator, score,
    unconnected}), the figures they were computed from, the total and the rank."""

    scheme = models.ForeignKey(
        EfficiencyScheme, verbose_name="效能评价", on_delete=models.PROTECT, related_name="results"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="被评价机关", on_delete=models.PROTECT, related_name="+"
    )
    run = models.PositiveIntegerField("第几次计算")  # the scheme's current run is its result
    quality = models.DecimalField("执法质量得分", max_digits=6, decimal_places=2, null=True)
    duty = models.DecimalField("监管履行率得分", max_digits=6, decimal_places=2, null=True)
    satisfaction = models.DecimalField("社会满意度得分", max_digits=6, decimal_places=2, null=True)
    total = models.DecimalField("总分", max_digits=6, decimal_places=2, null=True)
    rank = models.PositiveIntegerField("名次", null=True)
    values = models.JSONField("各指标值", default=dict)
    figures = models.JSONField("计算数据", default=dict)
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "效能评价结果"
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "run", "agency"], name="evaluation_efficiency_result_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} / {self.agency}"


class Survey(models.Model):
    """A satisfaction questionnaire (满意度问卷) about one agency, for one year and optionally one
    campaign. Anonymous: the public answers without an account; one answer per printed token
    or per phone-verified respondent (the phone is kept only as a keyed hash)."""

    class Mode(models.TextChoices):
        TOKEN = "token", "凭问卷码作答（每码一份）"
        PHONE = "phone", "手机号验证后作答（每个手机号一份）"

    body = models.ForeignKey(
        Agency, verbose_name="组织机关", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="被评价机关", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="评查活动",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField("标题", max_length=200)
    key = models.CharField("问卷地址码", max_length=32, unique=True)
    questions = models.JSONField("题目", default=list)  # [{"code", "text"}], 5-point scale
    mode = models.CharField("作答方式", max_length=8, choices=Mode.choices)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    created_by = models.ForeignKey(
        Account, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "满意度问卷"

    def __str__(self) -> str:
        return self.title


class SurveyToken(models.Model):
    """Who may answer once: a printed token (``code``), or a phone-verified respondent
    (``phone_hash``, with the hash of the code shown as sent). Marked used when its answer is
    taken; the answer itself does not point back to it."""

    survey = models.ForeignKey(
        Survey, verbose_name="问卷", on_delete=models.PROTECT, related_name="tokens"
    )
    code = models.CharField("问卷码", max_length=16, blank=True)
    phone_hash = models.CharField("手机号摘要", max_length=64, blank=True)
    verify_hash = models.CharField("验证码摘要", max_length=64, blank=True)
    verify_sent_at = models.DateTimeField("验证码发送时间", null=True, blank=True)
    used = models.BooleanField("已作答", default=False)
    issued_on = models.DateField("发放日期")
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "问卷码"
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="evaluation_survey_token_code"
            ),
            models.UniqueConstraint(
                fields=["survey", "phone_hash"],
                condition=~Q(phone_hash=""),
                name="evaluation_survey_phone_once",
            ),
        ]

    def __str__(self) -> str:
        return self.code or "手机号验证"


class SurveyAnswer(models.Model):
    """One anonymous answer: no account, no address, no token, no phone — the marks per question
    (1–5) and the score they make (0–100)."""

    survey = models.ForeignKey(
        Survey, verbose_name="问卷", on_delete=models.PROTECT, related_name="answers"
    )
    marks = models.JSONField("各题评分", default=dict)
    score = models.DecimalField("得分", max_digits=5, decimal_places=2)
    answered_on = models.DateField("作答日期")
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "问卷答卷"
        indexes = [models.Index(fields=["survey"], name="evaluation_answer_survey")]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.pk}"


class SatisfactionImport(models.Model):
    """A third party's satisfaction results for one year, imported from ``.xlsx``: the score per
    agency (``scores``: agency id → "87.5"), the file's SHA-256. All rows or none."""

    body = models.ForeignKey(
        Agency, verbose_name="导入机关", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    source = models.CharField("评价机构", max_length=200)
    filename = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("文件摘要", max_length=64)
    scores = models.JSONField("各机关得分", default=dict)
    imported_on = models.DateField("导入日期")
    created_by = models.ForeignKey(
        Account, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    entry_seq = models.BigIntegerField("记录序号", default=-1)

    class Meta:
        verbose_name = verbose_name_plural = "第三方满意度评价导入"

    def __str__(self) -> str:
        return f"{self.source} {self.year}"
