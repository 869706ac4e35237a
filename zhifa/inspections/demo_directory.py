"""The demo of the directory part (``zhifa demo``, after the demo city): a 检查对象名录库 of a few
thousand fictional entities across the city's divisions, scale categories, risk classes and
states; the annual inspection plans of the city's agencies (most published on time, two late,
one not yet — the head's to-do and the supervisor's warning); a 专项检查 plan approved and
published; planned inspections of one entity by the city's 市场监管局 and 生态环境局 merged into a
joint inspection (综合查一次), and another pair left as a merge proposal.

Fictional names; valid 统一社会信用代码 (the GB 32100 check character computed). Idempotent: when
the directory is there nothing is written.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q

from zhifa.cases.demo import LATE_REASON
from zhifa.cases.models import CaseOfficer
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import credit_code
from zhifa.registry.demo import CITY_CODE, CITY_NAME
from zhifa.registry.models import Account, Agency, Officer, PowerItem

from . import services_directory as svc
from .models import Entity, Inspection, Plan, RiskClass, ScaleCategory

SEED = 1414
ENTITY_COUNT = 3000
# The demo city's districts and county (registry/demo.py _CITY_DIVISIONS).
DIVISIONS = (("139902", "甲区"), ("139903", "乙区"), ("139921", "丙县"))
INDUSTRIES = (
    ("食品制造业", "食品"),
    ("餐饮业", "餐饮管理"),
    ("零售业", "商贸"),
    ("批发业", "贸易"),
    ("房屋建筑业", "建设工程"),
    ("化学原料和化学制品制造业", "化工"),
    ("道路运输业", "运输"),
    ("住宿业", "酒店管理"),
    ("医药制造业", "制药"),
    ("通用设备制造业", "机械"),
)
_CATEGORY_OF = {
    "食品制造业": ScaleCategory.INDUSTRY,
    "化学原料和化学制品制造业": ScaleCategory.INDUSTRY,
    "医药制造业": ScaleCategory.INDUSTRY,
    "通用设备制造业": ScaleCategory.INDUSTRY,
    "房屋建筑业": ScaleCategory.CONSTRUCTION,
    "零售业": ScaleCategory.TRADE,
    "批发业": ScaleCategory.TRADE,
    "餐饮业": ScaleCategory.TRADE,
    "住宿业": ScaleCategory.TRADE,
    "道路运输业": ScaleCategory.SERVICES,
}
_SYLLABLES = "青禾嘉润恒泰华康瑞丰安和鑫源宏达德信启明广聚顺通永盛锦程博远兴隆福满金穗绿洲"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
_STREETS = ("人民路", "建设路", "解放路", "工业大道", "滨河路", "新华街", "中山路", "兴业路")
# Risk classes: most entities B; few A and D (企业信用风险分类 as shipped in the demo).
_CLASSES = ((RiskClass.A, 15), (RiskClass.B, 50), (RiskClass.C, 25), (RiskClass.D, 10))
JOINT_ENTITY = "示范市甲区青禾食品有限公司"
PROPOSAL_ENTITY = "示范市乙区恒泰化工有限公司"


def loaded() -> bool:
    return Entity.objects.filter(name=JOINT_ENTITY).exists()


def _entities(rng: random.Random) -> list[Entity]:
    rows: list[Entity] = []
    names: set[str] = {JOINT_ENTITY, PROPOSAL_ENTITY}
    fixed = (
        (JOINT_ENTITY, "139902", "食品制造业", RiskClass.B),
        (PROPOSAL_ENTITY, "139903", "化学原料和化学制品制造业", RiskClass.C),
    )
    serial = 0
    for name, division, industry, risk in fixed:
        serial += 1
        rows.append(_entity(rng, serial, name, division, industry, risk, Entity.Status.ACTIVE))
    classes = [c for c, w in _CLASSES for _ in range(w)]
    while len(rows) < ENTITY_COUNT:
        division, district = rng.choice(DIVISIONS)
        industry, suffix = rng.choice(INDUSTRIES)
        brand = "".join(rng.sample(_SYLLABLES, 2))
        name = f"{CITY_NAME}{district}{brand}{suffix}有限公司"
        if name in names:
            name = f"{CITY_NAME}{district}{brand}{suffix}{rng.choice('一二三四五六七八九')}分公司"
        if name in names:
            continue
        names.add(name)
        serial += 1
        roll = rng.random()
        status = (
            Entity.Status.ACTIVE
            if roll < 0.93
            else Entity.Status.ABNORMAL
            if roll < 0.98
            else Entity.Status.CLOSED
        )
        rows.append(_entity(rng, serial, name, division, industry, rng.choice(classes), status))
    return rows


def _entity(
    rng: random.Random,
    serial: int,
    name: str,
    division: str,
    industry: str,
    risk: str,
    status: str,
) -> Entity:
    # "91" = 工商 registered 企业; the check character is computed (GB 32100-2015).
    category = _CATEGORY_OF[industry] if rng.random() < 0.35 else ""
    if rng.random() < 0.03:
        category = ScaleCategory.KEY_PROJECT
    district = next(d for code, d in DIVISIONS if code == division)
    return Entity(
        credit_code=credit_code(140_000 + serial, prefix="91", division=division),
        name=name,
        legal_representative=rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, 2)),
        address=f"{CITY_NAME}{district}{rng.choice(_STREETS)}{rng.randint(1, 300)}号",
        division_code=division,
        industry=industry,
        scale_category=category,
        risk_class=risk,
        status=status,
    )


def _inspection_items(agency: Agency) -> list[PowerItem]:
    return list(
        PowerItem.objects.filter(
            agency=agency,
            category=PowerItem.Category.INSPECTION,
            status=PowerItem.Status.PUBLISHED,
        ).order_by("code")[:3]
    )


def _plans(admin: Account, head: Account | None, today: date) -> dict[str, int]:
    """Annual plans of the city's agencies that hold published inspection items."""
    year = today.year
    on_time = min(date(year, 3, 20), today)
    late = date(year, 4, 3)
    counts = {"annual": 0, "published": 0, "late": 0, "special": 0}
    agencies = (
        Agency.objects.filter(division_code__startswith=CITY_CODE[:4])
        .filter(Q(level=Agency.Level.CITY) | Q(level=Agency.Level.COUNTY))
        .order_by("division_code", "pk")
    )
    for n, agency in enumerate(agencies):
        items = _inspection_items(agency)
        if not items:
            continue
        plan = svc.plan_create(
            actor=admin,
            agency=agency,
            kind=Plan.Kind.ANNUAL,
            year=year,
            title=f"{agency.name}{year}年度行政检查计划",
            items=items,
            subjects="本机关监管范围内的市场主体（见检查对象名录库）",
            method="以“双随机、一公开”抽查为主，重点监管与信用监管结合；能联合的联合检查",
            ratio="A类不超过5%，B类5%–20%，C类21%–60%，D类61%–100%",
            frequency="同一企业每年不超过1次（投诉举报核查除外）",
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
        )
        counts["annual"] += 1
        if n % 17 == 5:
            continue  # not published yet: the head's to-do, the supervisor's warning
        if n % 17 in (3, 11):
            if today < late:
                continue
            day, counts["late"] = late, counts["late"] + 1
        else:
            day = on_time
        svc.plan_publish(actor=admin, plan=plan, on=day)
        counts["published"] += 1
    market = Agency.objects.filter(name=f"{CITY_NAME}市场监督管理局").first()
    if market is not None and (items := _inspection_items(market)):
        special = svc.plan_create(
            actor=head or admin,
            agency=market,
            kind=Plan.Kind.SPECIAL,
            year=year,
            title=f"{year}年校园及周边食品安全专项检查",
            items=items[:1],
            subjects="中小学、幼儿园食堂及校园周边200米内食品经营者",
            method="现场检查，市场监管、教育部门联合实施",
            necessity="春季学期校园周边食品投诉同比上升；上级部署专项整治，须集中排查",
            region=f"{CITY_NAME}全域",
            starts_on=min(date(year, 4, 1), today),
            ends_on=date(year, 6, 30),
        )
        approved_on = min(date(year, 3, 10), today)
        svc.plan_approve(
            actor=admin,
            plan=special,
            approved_by_body=f"{CITY_NAME}人民政府",
            approval_document=f"示政函〔{year}〕21号",
            on=approved_on,
        )
        svc.plan_publish(actor=admin, plan=special, on=approved_on)
        counts["special"] = 1
    return counts


def _officers(agency: Agency, item: PowerItem, today: date) -> list[Officer]:
    return list(
        Officer.objects.filter(
            agency=agency,
            certificates__status="valid",
            certificates__domains=item.domain,
            certificates__expires_on__gte=today,
        )
        .distinct()
        .order_by("pk")[:2]
    )


def _request(actor: Account, entity: Entity, planned_on: date, today: date) -> Inspection | None:
    """Ask to inspect ``entity``; None when the demo's data do not allow it (the rules say why;
    the demo then goes on without that inspection)."""
    agency = actor.agency
    if agency is None:
        return None
    items = _inspection_items(agency)
    if not items:
        return None
    officers = _officers(agency, items[0], today)
    if len(officers) < 2:
        return None
    roles = [CaseOfficer.Role.LEAD, CaseOfficer.Role.ASSISTANT]
    try:
        with transaction.atomic():
            from .services import inspection_request

            return inspection_request(
                actor=actor,
                entity=entity,
                power_code=items[0].code,
                ground="routine",
                planned_on=planned_on,
                officers=list(zip(officers, roles, strict=True)),
                on=today,
                late_reason=LATE_REASON,
            )
    except RuleViolation:
        return None


def _joint(today: date) -> dict[str, int]:
    counts = {"inspections": 0, "joint": 0}
    officer = Account.objects.filter(username="officer").first()
    officer_env = Account.objects.filter(username="officer_env").first()
    head = Account.objects.filter(username="head").first()
    if officer is None or officer_env is None or head is None:
        return counts
    joint_entity = Entity.objects.get(name=JOINT_ENTITY)
    proposal_entity = Entity.objects.get(name=PROPOSAL_ENTITY)
    merged = [
        _request(officer, joint_entity, today + timedelta(days=7), today),
        _request(officer_env, joint_entity, today + timedelta(days=12), today),
    ]
    left = [
        _request(officer, proposal_entity, today + timedelta(days=20), today),
        _request(officer_env, proposal_entity, today + timedelta(days=26), today),
    ]
    counts["inspections"] = sum(1 for i in merged + left if i is not None)
    pair = [i for i in merged if i is not None]
    if len(pair) == 2 and head.agency is not None:
        svc.joint_inspection_agree(
            actor=head,
            inspections=pair,
            visit_on=today + timedelta(days=9),
            lead_agency=head.agency,
            documents_requested=["营业执照", "食品生产许可证", "排污许可证及自行监测报告"],
        )
        counts["joint"] = 1
    return counts


def load(today: date) -> str:
    """Load the directory part's demo as of ``today``; a line saying what was loaded."""
    if loaded():
        return "检查对象名录库、检查计划已加载，未做改动。"
    admin = Account.objects.filter(
        role=Account.Role.ADMIN, agency__isnull=True, region_code=""
    ).first()
    if admin is None:
        return "未找到系统管理员，请先加载示范市。"
    head = Account.objects.filter(username="head").first()
    rng = random.Random(SEED)  # noqa: S311 - fictional demo data, reproducible
    with transaction.atomic():
        entities = svc.entities_load(_entities(rng))
        plans = _plans(admin, head, today)
    joint = _joint(today)
    return (
        f"检查对象{entities}户；年度检查计划{plans['annual']}份（已公布{plans['published']}份，"
        f"其中逾期{plans['late']}份），专项检查计划{plans['special']}份；"
        f"计划检查{joint['inspections']}项，联合检查{joint['joint']}次。"
    )
