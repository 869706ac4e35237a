"""Who may enforce what: bodies, officers and their certificates, the power list, accounts.

Records here are never deleted: statuses change through services, each change keeps its history.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q


class Domain(models.Model):
    """An enforcement domain (执法领域), e.g. 市场监管, 生态环境."""

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=64, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法领域"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An enforcement body (执法主体)."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"
        TOWNSHIP = "township", "乡镇（街道）"

    class Kind(models.TextChoices):
        STATUTORY = "statutory", "法定行政机关"  # authority given by statute to the organ itself
        AUTHORISED = "authorised", "法律法规授权组织"  # an organisation empowered by law
        ENTRUSTED = "entrusted", "受委托组织"  # acts in the name of the entrusting body

    class Status(models.TextChoices):
        ACTIVE = "active", "有效"  # may enforce
        SUSPENDED = "suspended", "暂停"  # qualification under review; may not open new cases
        REVOKED = "revoked", "撤销"  # no longer an enforcement body; history kept

    name = models.CharField("名称", max_length=128)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    division_code = models.CharField("行政区划代码", max_length=6, db_index=True)
    kind = models.CharField("主体类别", max_length=16, choices=Kind.choices)
    entrusted_by = models.ForeignKey(
        "self",
        verbose_name="委托机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entrusted_agencies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    domains = models.ManyToManyField(Domain, verbose_name="执法领域", related_name="agencies")
    qualification_announced_on = models.DateField("主体资格确认公告日期", null=True, blank=True)
    responsibilities = models.TextField("主要职责", blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("监督电话", max_length=40, blank=True)
    # What the public portal shows of the body (国办发〔2018〕118号: 事前公开 主体、职责、依据、
    # 监督方式、救济渠道); set through services.agency_public_info_set.
    authority_basis = models.TextField("法定职权依据", blank=True)
    supervision = models.TextField("监督方式", blank=True)
    reconsideration_body = models.CharField("行政复议机关", max_length=200, blank=True)
    litigation_court = models.CharField("行政诉讼管辖法院", max_length=200, blank=True)
    complaint_channels = models.TextField("投诉举报渠道", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法主体"
        ordering = ["division_code", "name"]
        constraints = [
            models.CheckConstraint(
                name="agency_entrusted_has_entrusting_body",
                condition=~Q(kind="entrusted") | Q(entrusted_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewBody(models.Model):
    """The agency's legal-review body (法制审核机构)."""

    agency = models.OneToOneField(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="review_body"
    )
    name = models.CharField("名称", max_length=128)
    established_on = models.DateField("设立日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法制审核机构"

    def __str__(self) -> str:
        return self.name


class Officer(models.Model):
    """A person who enforces or supervises (执法人员). Personal fields never leave the agency."""

    class Status(models.TextChoices):
        SERVING = "serving", "在岗"  # works at the agency
        LEFT = "left", "离岗"  # transferred or retired; history kept

    agency = models.ForeignKey(
        Agency, verbose_name="所属主体", on_delete=models.PROTECT, related_name="officers"
    )
    name = models.CharField("姓名", max_length=64, db_index=True)
    id_number = models.CharField("居民身份证号码", max_length=18, unique=True)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    position = models.CharField("职务", max_length=64, blank=True)
    has_legal_qualification = models.BooleanField("具有法律职业资格", default=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SERVING)
    review_body = models.ForeignKey(
        ReviewBody,
        verbose_name="法制审核机构（审核人员）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法人员"
        ordering = ["agency_id", "name"]

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    """An enforcement certificate (执法证) or supervision certificate (监督证)."""

    class Kind(models.TextChoices):
        ENFORCEMENT = "enforcement", "行政执法证"
        SUPERVISION = "supervision", "行政执法监督证"

    class Status(models.TextChoices):
        APPLIED = "applied", "申领"  # applied for, not yet issued: may not act
        VALID = "valid", "有效"  # may act within scope and dates
        SUSPENDED = "suspended", "暂扣"  # temporarily withheld: may not act
        CANCELLED = "cancelled", "注销"  # cancelled (left post, retired): final
        REVOKED = "revoked", "收回"  # withdrawn for misconduct: final

    number = models.CharField("证件编号", max_length=32, unique=True)
    kind = models.CharField("证件类别", max_length=16, choices=Kind.choices)
    officer = models.ForeignKey(
        Officer, verbose_name="持证人", on_delete=models.PROTECT, related_name="certificates"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="发证时所属主体", on_delete=models.PROTECT, related_name="certificates"
    )
    domains = models.ManyToManyField(Domain, verbose_name="执法领域", related_name="certificates")
    region_code = models.CharField("执法区域（行政区划代码）", max_length=6)
    issued_on = models.DateField("发证日期", null=True, blank=True)
    expires_on = models.DateField("有效期至", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.APPLIED)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法证件"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                name="certificate_expires_after_issue",
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gt=models.F("issued_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateStatusChange(models.Model):
    """One step of a certificate's status history. Appended, never edited."""

    certificate = models.ForeignKey(
        Certificate, verbose_name="证件", on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=Certificate.Status.choices)
    reason = models.CharField("原因", max_length=200)
    effective_on = models.DateField("生效日期")
    changed_at = models.DateTimeField("记录时间", auto_now_add=True)
    changed_by = models.ForeignKey(
        "registry.Account", verbose_name="操作人", null=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = verbose_name_plural = "证件状态变更"
        ordering = ["certificate_id", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}：{self.reason}"


class TrainingRecord(models.Model):
    """Hours of training an officer completed (学时)."""

    class Kind(models.TextChoices):
        LEGAL = "legal", "公共法律知识"
        PROFESSIONAL = "professional", "专业法律知识"

    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="trainings"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    course = models.CharField("课程", max_length=128, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "培训记录"
        indexes = [models.Index(fields=["officer", "year"])]
        constraints = [
            models.CheckConstraint(name="training_hours_positive", condition=Q(hours__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.hours}"


class ExamResult(models.Model):
    """An officer's qualification exam (执法资格考试)."""

    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="exams"
    )
    name = models.CharField("考试名称", max_length=128)
    taken_on = models.DateField("考试日期")
    score = models.DecimalField("成绩", max_digits=5, decimal_places=1)
    passed = models.BooleanField("是否合格")

    class Meta:
        verbose_name = verbose_name_plural = "考试成绩"
        ordering = ["-taken_on"]

    def __str__(self) -> str:
        return f"{self.name} {self.score}"


class TrainingRequirement(models.Model):
    """Yearly minimum training hours for a region (the longest matching division prefix wins).

    Default where no row matches: 30 professional + 30 legal = 60 hours, as in several
    provinces' rules (法治政府建设实施纲要 2021–2025 asks for at least 60 hours a year).
    """

    region_code = models.CharField("行政区划代码", max_length=6, unique=True)
    legal_hours = models.DecimalField("公共法律知识学时", max_digits=5, decimal_places=1)
    professional_hours = models.DecimalField("专业法律知识学时", max_digits=5, decimal_places=1)
    basis = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度培训学时要求"

    def __str__(self) -> str:
        return self.region_code


class PowerItem(models.Model):
    """One version of a power-list item (权责清单事项).

    A published version is never edited: a change creates a new draft version (same agency and
    code, version + 1); publishing it supersedes the previous one.
    """

    class Category(models.TextChoices):
        LICENSING = "licensing", "行政许可"
        PENALTY = "penalty", "行政处罚"
        COERCION = "coercion", "行政强制"
        LEVY = "levy", "行政征收"
        CHARGE = "charge", "行政收费"
        INSPECTION = "inspection", "行政检查"
        CONFIRMATION = "confirmation", "行政确认"
        BENEFIT = "benefit", "行政给付"
        REWARD = "reward", "行政奖励"
        ADJUDICATION = "adjudication", "行政裁决"
        OTHER = "other", "其他行政权力"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"  # being prepared; not yet a power the agency holds
        PUBLISHED = "published", "已发布"  # in force: the agency holds this power
        SUPERSEDED = "superseded", "已被新版本替代"  # an older version; kept for history
        REPEALED = "repealed", "已取消"  # the power was removed from the list

    agency = models.ForeignKey(
        Agency, verbose_name="实施主体", on_delete=models.PROTECT, related_name="power_items"
    )
    code = models.CharField("事项编码", max_length=64, db_index=True)
    version = models.PositiveIntegerField("版本", default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name="上一版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    name = models.CharField("事项名称", max_length=200, db_index=True)
    category = models.CharField("权力类别", max_length=16, choices=Category.choices)
    domain = models.ForeignKey(
        Domain, verbose_name="执法领域", on_delete=models.PROTECT, related_name="power_items"
    )
    implementing_level = models.CharField("实施层级", max_length=16, choices=Agency.Level.choices)
    procedure_steps = models.JSONField("办理流程", default=list, blank=True)
    is_random_inspection = models.BooleanField("随机抽查事项", default=False)
    is_township_empowered = models.BooleanField("乡镇（街道）赋权事项", default=False)
    empowering_decision = models.CharField("赋权决定", max_length=200, blank=True)
    change_note = models.CharField("变更说明", max_length=200, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "权责清单事项"
        ordering = ["agency_id", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code", "version"], name="power_item_version_unique"
            ),
            models.UniqueConstraint(
                fields=["agency", "code"],
                condition=Q(status="published"),
                name="power_item_one_published_version",
            ),
            models.CheckConstraint(
                name="power_item_empowered_names_decision",
                condition=Q(is_township_empowered=False) | ~Q(empowering_decision=""),
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "category"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}（第{self.version}版）"


class LegalBasis(models.Model):
    """One legal basis of a power item: law, article, optional text."""

    power_item = models.ForeignKey(
        PowerItem, verbose_name="事项", on_delete=models.PROTECT, related_name="bases"
    )
    law = models.CharField("法律法规名称", max_length=128)
    article = models.CharField("条款", max_length=64)
    text = models.TextField("条文内容", blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "设定依据"
        ordering = ["power_item_id", "position"]

    def __str__(self) -> str:
        return f"《{self.law}》{self.article}"


class AccountManager(UserManager["Account"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> Account:
        """`zhifa createsuperuser` makes the system administrator (no agency, no region) through
        the recorded service, like every account (the entry's actor is the system)."""
        from .services import account_create  # services import this module

        if set(extra) - {"role"} or extra.get("role", Account.Role.ADMIN) != Account.Role.ADMIN:
            raise ValueError("createsuperuser makes the system administrator only")
        return account_create(
            actor=None,
            username=username,
            password=password,
            role=Account.Role.ADMIN,
            email=email or "",
        )


class Account(AbstractUser):
    """A login. Its role decides what it may do; its agency (or region) what it may see.

    Only the system administrator (admin role, no agency, no region) enters the Django admin,
    which is not scoped; everyone else works through the scoped pages and API.
    """

    class Role(models.TextChoices):
        OFFICER = "officer", "执法人员"
        REVIEWER = "reviewer", "法制审核人员"
        HEAD = "head", "机关负责人"
        PUBLISHER = "publisher", "公示管理员"
        SUPERVISOR = "supervisor", "执法监督人员"  # sees every agency of its region
        ADMIN = "admin", "系统管理员"  # manages the registry of its region or everything
        # appointed from outside (lawyer, deputy, journalist, citizen): reads what is public,
        # submits opinions, observes hearings, rates agencies — never personal data (complaints)
        EXTERNAL_SUPERVISOR = "ext_supervisor", "行政执法监督员"

    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.OFFICER)
    agency = models.ForeignKey(
        Agency,
        verbose_name="所属主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    region_code = models.CharField("监督区域（行政区划代码）", max_length=6, blank=True)
    officer = models.OneToOneField(
        Officer,
        verbose_name="对应执法人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )
    display_name = models.CharField("姓名", max_length=64, blank=True)

    class SupervisionScope(models.TextChoices):
        """Whom a supervisor account supervises — set explicitly, never guessed from names
        (docs/decisions.md). Only meaningful for the supervisor role."""

        # 《行政执法监督条例》第六条第一款: the 司法局 as the government's 行政执法监督机构 —
        # every body of its region (region_code)
        REGION = "region", "本级政府行政执法监督机构"
        # 第四十二条: a department supervising its own system (所属机构、派出机构; a vertically
        # managed department its lower units) — the bodies below its agency through parent
        SYSTEM = "system", "本系统内部监督"
        # 第六条第二款: a township 司法所 assisting the county 司法局 (its agency's parent), in
        # the matters it is added to
        ASSIST = "assist", "司法所协助"

    supervision_scope = models.CharField(
        "监督范围",
        max_length=8,
        choices=SupervisionScope.choices,
        default=SupervisionScope.REGION,
    )

    objects = AccountManager()  # type: ignore[misc]

    class Meta:
        verbose_name = verbose_name_plural = "账号"
        constraints = [
            models.CheckConstraint(
                name="account_scoped",
                # Agency-bound roles need an agency; supervisors a region; admins either
                # (a region-less, agency-less admin is the system administrator).
                condition=Q(role__in=["supervisor", "admin", "ext_supervisor"])
                | Q(agency__isnull=False),
            ),
            models.CheckConstraint(
                name="supervisor_has_region",
                condition=~Q(role="supervisor") | ~Q(region_code=""),
            ),
            models.CheckConstraint(
                # An external supervisor is appointed for a region and belongs to no agency.
                name="external_supervisor_has_region_no_agency",
                condition=~Q(role="ext_supervisor")
                | (~Q(region_code="") & Q(agency__isnull=True) & Q(officer__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A token for the JSON API. Only its SHA-256 is stored; the token is shown once. It works
    until ``expires_at`` (``ZHIFA_API_TOKEN_DAYS`` after issue, or fewer) or until revoked."""

    account = models.ForeignKey(
        Account, verbose_name="账号", on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=64)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间")
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"


# -- published before enforcement (事前公开): inspection items, discretion, lenient lists --------


class PublicListing(models.Model):
    """A row an enforcement body publishes to the public before enforcement.

    Versioned like :class:`PowerItem`: a published version is never edited; a revision is a new
    draft version (``previous`` → the one it replaces) that supersedes it when published.
    Withdrawal (撤回) keeps the row with its date and reason. Nothing is deleted.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"  # being prepared; not public
        PUBLISHED = "published", "已公布"  # public and in force
        SUPERSEDED = "superseded", "已被新版本替代"  # an older version; kept for history
        WITHDRAWN = "withdrawn", "已撤回"  # taken down, with date and reason; kept for history

    version = models.PositiveIntegerField("版本", default=1)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField("公布日期", null=True, blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawal_reason = models.CharField("撤回原因", max_length=200, blank=True)
    change_note = models.CharField("变更说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_index=True)

    class Meta:
        abstract = True


class RandomInspectionItem(PublicListing):
    """One row of an agency's 随机抽查事项清单 (双随机、一公开).

    It names a published 行政检查 item of the same agency: 国办发〔2024〕54号 — inspection items
    not published may not be inspected.
    """

    class Category(models.TextChoices):
        KEY = "key", "重点检查事项"  # high-risk fields: higher ratio and frequency
        GENERAL = "general", "一般检查事项"  # the rest

    agency = models.ForeignKey(
        Agency, verbose_name="实施主体", on_delete=models.PROTECT, related_name="inspection_items"
    )
    power_item = models.ForeignKey(
        PowerItem,
        verbose_name="对应行政检查事项",
        on_delete=models.PROTECT,
        related_name="inspection_items",
    )
    # A ForeignKey, not one-to-one: a withdrawn draft revision does not block the next one.
    previous = models.ForeignKey(
        "self",
        verbose_name="上一版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    category = models.CharField("抽查类别", max_length=16, choices=Category.choices)
    subjects = models.CharField("抽查对象", max_length=200)
    content = models.TextField("抽查内容")
    method = models.CharField("抽查方式", max_length=200)
    ratio_frequency = models.CharField("抽查比例和频次", max_length=200, blank=True)
    basis = models.TextField("抽查依据")

    class Meta:
        verbose_name = verbose_name_plural = "随机抽查事项"
        ordering = ["agency_id", "power_item_id", "-version"]
        indexes = [models.Index(fields=["status", "agency"])]

    def __str__(self) -> str:
        return f"{self.subjects}：{self.content[:20]}（第{self.version}版）"


class DiscretionBenchmark(PublicListing):
    """A 行政处罚裁量基准 for one violation (国办发〔2022〕27号): act, basis, grades.

    Issued by one agency or for a whole region (``agency`` empty, ``region_code`` set, e.g. a
    province's market-regulation benchmark); ``issuer`` names the body that made it.
    """

    agency = models.ForeignKey(
        Agency,
        verbose_name="适用主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discretion_benchmarks",
    )
    region_code = models.CharField("适用区域（行政区划代码）", max_length=6, blank=True)
    issuer = models.CharField("制定机关", max_length=128)
    domain = models.ForeignKey(
        Domain,
        verbose_name="执法领域",
        on_delete=models.PROTECT,
        related_name="discretion_benchmarks",
    )
    power_item = models.ForeignKey(
        PowerItem,
        verbose_name="对应行政处罚事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discretion_benchmarks",
    )
    # A ForeignKey, not one-to-one: a withdrawn draft revision does not block the next one.
    previous = models.ForeignKey(
        "self",
        verbose_name="上一版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    violation = models.CharField("违法行为", max_length=300)
    basis = models.TextField("违法依据和处罚依据")
    # -- the statute's range and the entry's place in the hierarchy (issue 13) --
    # Entries made before these fields existed are "kinds only": no amounts to check.
    violated_provision = models.CharField("违反条款", max_length=300, blank=True, default="")
    penalty_provision = models.CharField("处罚依据", max_length=300, blank=True, default="")
    range_kind = models.CharField(
        "法定处罚幅度方式",
        max_length=16,
        choices=[("amount", "罚款数额幅度"), ("multiple", "倍数罚款"), ("kinds", "处罚种类")],
        default="kinds",
    )  # values of zhifa.law.discretion.RangeKind
    range_min = models.DecimalField(
        "法定幅度下限（元或倍数）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    range_max = models.DecimalField(
        "法定幅度上限（元或倍数）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    base_name = models.CharField("倍数基数", max_length=64, blank=True, default="")
    # The kinds of penalty the 处罚依据 allows (``law.penalty.PenaltyKind`` values, in the order
    # of 第九条); empty: not stated, not checked (国办发〔2022〕27号（六）: 处罚种类 is part of
    # the 基准).
    penalty_kinds = models.JSONField("法定处罚种类", default=list, blank=True)
    # The upper level's entry this one refines (国办发〔2022〕27号（五）): within its band only.
    parent = models.ForeignKey(
        "self",
        verbose_name="上级裁量基准",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refinements",
    )
    power_items = models.ManyToManyField(
        PowerItem,
        verbose_name="适用的行政处罚事项",
        blank=True,
        related_name="discretion_benchmarks_applying",
    )

    class Meta:
        verbose_name = verbose_name_plural = "行政处罚裁量基准"
        ordering = ["domain_id", "violation", "-version"]
        indexes = [models.Index(fields=["status", "domain"])]
        constraints = [
            models.CheckConstraint(
                name="discretion_benchmark_has_scope",
                condition=Q(agency__isnull=False) | ~Q(region_code=""),
            ),
            models.CheckConstraint(
                name="discretion_benchmark_range_ordered",
                condition=Q(range_kind="kinds")
                | Q(range_min__gte=0, range_max__gte=models.F("range_min")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.violation}（第{self.version}版）"

    @property
    def penalty_kinds_text(self) -> str:
        """The kinds the 处罚依据 allows, by their statutory names (第九条), e.g. 警告、罚款."""
        from zhifa.law.penalty import PenaltyKind

        return "、".join(PenaltyKind(k).label for k in self.penalty_kinds)


class DiscretionGrade(models.Model):
    """One grade (裁量阶次) of a benchmark: when it applies and what it imposes.

    从轻 is the lowest 30 % of the statutory range, 从重 the highest 30 %, 减轻 below its
    minimum (国市监法规〔2022〕2号); the grade states its own standard and optional amounts.
    Rows belong to one benchmark version and are never edited: a revision brings new rows.
    """

    class Level(models.TextChoices):
        NO_PENALTY = "no_penalty", "不予处罚"
        EXEMPT = "exempt", "免予处罚"  # a law exempts the act (国办发〔2022〕27号（六）)
        MITIGATED = "mitigated", "减轻处罚"
        LIGHTER = "lighter", "从轻处罚"
        STANDARD = "standard", "一般处罚"
        HEAVIER = "heavier", "从重处罚"

    benchmark = models.ForeignKey(
        DiscretionBenchmark,
        verbose_name="裁量基准",
        on_delete=models.PROTECT,
        related_name="grades",
    )
    level = models.CharField("裁量阶次", max_length=16, choices=Level.choices)
    conditions = models.TextField("适用条件")
    standard = models.TextField("处罚标准")
    # The grade's band, in the unit of the entry's range: yuan, or multiples of the base.
    min_amount = models.DecimalField(
        "幅度下限（元或倍数）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_amount = models.DecimalField(
        "幅度上限（元或倍数）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "裁量阶次"
        ordering = ["benchmark_id", "position"]
        constraints = [
            models.CheckConstraint(
                name="discretion_grade_range_ordered",
                condition=Q(min_amount__isnull=True)
                | Q(max_amount__isnull=True)
                | Q(max_amount__gte=models.F("min_amount")),
            ),
        ]

    def __str__(self) -> str:
        return self.get_level_display()


class LenientListItem(PublicListing):
    """One row of a 首违不罚 / 轻微不罚 / 从轻处罚 / 减轻处罚 / 不予实施行政强制措施 list
    (包容审慎监管; 《行政处罚法》第三十二条、第三十三条; 《行政强制法》第五条), issued by an
    agency or for a region like a benchmark. SAMR's national lists (国市监法〔2025〕10号) have
    this shape: 违法行为, 违反条款, 处罚依据, the conditions (免罚条件) and the accompanying
    measures.

    A list does not exhaust 第三十三条: a case may end without penalty outside the lists, with
    its ground and reason (人民法院案例库: "地方制定的行政处罚'不罚清单'，不是限制'首违不罚'
    制度适用的清单")."""

    class Kind(models.TextChoices):
        # 第三十三条第一款第二句: 初次违法且危害后果轻微并及时改正 (may not punish)
        FIRST_VIOLATION = "first_violation", "首违不罚"
        NO_PENALTY = "no_penalty", "轻微不罚（不予处罚）"  # 第三十三条: minor, corrected, no harm
        MITIGATED = "mitigated", "减轻处罚"  # 第三十二条: below the statutory minimum
        LIGHTER = "lighter", "从轻处罚"  # 第三十二条: at the low end of the range
        # 《行政强制法》第五条 (适当原则): 违法行为情节显著轻微或者没有明显社会危害的，可以不采取
        NO_COERCION = "no_coercion", "不予实施行政强制措施"

    class Measure(models.TextChoices):
        STOP = "stop", "责令立即停止违法行为"
        CORRECT = "correct", "责令改正"
        SUPERVISE = "supervise", "督促整改"
        REFUND = "refund", "依法退赔消费者损失"
        RECALL = "recall", "履行召回义务"
        EDUCATE = "educate", "批评教育"

    kind = models.CharField("清单类别", max_length=16, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name="适用主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lenient_list_items",
    )
    region_code = models.CharField("适用区域（行政区划代码）", max_length=6, blank=True)
    issuer = models.CharField("制定机关", max_length=128)
    domain = models.ForeignKey(
        Domain,
        verbose_name="执法领域",
        on_delete=models.PROTECT,
        related_name="lenient_list_items",
    )
    # A ForeignKey, not one-to-one: a withdrawn draft revision does not block the next one.
    previous = models.ForeignKey(
        "self",
        verbose_name="上一版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    violation = models.CharField("违法行为", max_length=300)
    violated_provision = models.CharField("违反条款", max_length=300, blank=True)
    basis = models.TextField("处罚依据")
    # The conditions as a checklist: each a short statement the officer ticks in the case.
    conditions = models.JSONField("适用条件", default=list)
    standard = models.TextField("裁量标准")
    measures = models.JSONField("配套措施", default=list, blank=True)  # Measure values
    measures_note = models.CharField("其他配套措施", max_length=300, blank=True)
    power_items = models.ManyToManyField(
        PowerItem, verbose_name="适用的权责清单事项", blank=True, related_name="lenient_list_items"
    )
    source = models.CharField("来源（文件及文号）", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "包容审慎监管清单事项"
        ordering = ["kind", "domain_id", "violation", "-version"]
        indexes = [models.Index(fields=["status", "kind"])]
        constraints = [
            models.CheckConstraint(
                name="lenient_list_item_has_scope",
                condition=Q(agency__isnull=False) | ~Q(region_code=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.violation}（第{self.version}版）"

    @property
    def measure_labels(self) -> list[str]:
        labels = dict(self.Measure.choices)
        out = [str(labels.get(m, m)) for m in self.measures]
        return [*out, self.measures_note] if self.measures_note else out
