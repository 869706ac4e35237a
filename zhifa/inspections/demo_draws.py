"""Demo 双随机 tasks of 示范市: a joint task of three agencies drawn from a real signed head of the
record log, one frozen and waiting for its head, one draft.

Uses the directory's entities of the city when the directory part has loaded them; otherwise
adds a few hundred fictional ones (one summary record entry, as the registry's bulk demo load).
Idempotent: a second call changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.test import override_settings
from stdnum.cn import uscc

from zhifa.record.services import head_sign
from zhifa.registry.models import Account, Agency, PowerItem
from zhifa.registry.services import demo_load_record

from . import services_draws
from .models import Entity, RandomTask, ScaleCategory

CITY = "1399"  # 示范市 (registry.demo.CITY_CODE)
JOINT_TITLE = "2026年示范市餐饮服务和食品销售部门联合“双随机”抽查"
FROZEN_TITLE = "2026年第四季度示范市市场监管“双随机”抽查"
DRAFT_TITLE = "2027年第一季度示范市联合“双随机”抽查（筹备中）"
INDUSTRIES = ("餐饮", "食品销售", "住宿", "零售", "建筑施工", "制造")
DEMO_ENTITIES = 360


def _entities() -> str:
    """The city's entities: the directory's, or ours when it has none."""
    if Entity.objects.filter(division_code__startswith=CITY).exists():
        return ""
    rng = random.Random(20261206)  # noqa: S311 - fictional data, fixed seed
    rows = []
    for i in range(DEMO_ENTITIES):
        body = f"91{CITY}0{i % 3 + 1}{rng.randrange(10**5):05d}{i:04d}"[:17]
        rows.append(
            Entity(
                credit_code=body + uscc.calc_check_digit(body),
                name=(
                    f"示范市{'东西南北中'[i % 5]}{'城兴华安达'[i % 5]}"
                    f"{INDUSTRIES[i % 6]}有限公司{i:03d}"
                ),
                legal_representative=f"{'王李张刘陈'[i % 5]}{'明华强芳静'[(i // 5) % 5]}",
                address=f"示范市{'东西南北中'[i % 5]}区{i % 40 + 1}号",
                division_code=f"{CITY}0{i % 3 + 1}",
                industry=INDUSTRIES[i % len(INDUSTRIES)],
                scale_category=list(ScaleCategory.values)[i % 5] if i % 4 == 0 else "",
                risk_class="AABBBCCD"[i % 8],
            )
        )
    Entity.objects.bulk_create(rows)
    demo_load_record(actor=None, demo="inspections-entities", counts={"entities": len(rows)})
    return f"{len(rows)}个检查对象，"


def _agencies(today: date) -> list[tuple[Agency, PowerItem, Account | None]]:
    """City agencies that can join a draw on ``today``: each with a published 随机抽查 item and
    at least two certified inspectors for it (and its officer account, if any)."""
    found: list[tuple[Agency, PowerItem, Account | None]] = []
    items = (
        PowerItem.objects.filter(
            agency__division_code__startswith=CITY,
            agency__status=Agency.Status.ACTIVE,
            category=PowerItem.Category.INSPECTION,
            status=PowerItem.Status.PUBLISHED,
            is_random_inspection=True,
            published_on__lte=today,
        )
        .select_related("agency")
        .order_by("agency_id", "code")
    )
    seen: set[int] = set()
    for item in items:
        if item.agency_id in seen:
            continue
        pool = services_draws.inspector_pool_codes(item.agency_id, {item.domain_id}, today)
        if len(pool) < 4:
            continue
        seen.add(item.agency_id)
        account = (
            Account.objects.filter(
                agency_id=item.agency_id,
                role__in=[Account.Role.OFFICER, Account.Role.HEAD],
                is_active=True,
            )
            .order_by("role", "pk")
            .first()
        )
        found.append((item.agency, item, account))
    # The initiator needs an account to act; market regulation leads where it can.
    found.sort(key=lambda row: (row[2] is None, "市场监督" not in row[0].name, row[0].pk))
    return found


def load(today: date) -> str:
    """Load the demo tasks as of ``today``; a sentence saying what was done."""
    if RandomTask.objects.filter(title=JOINT_TITLE).exists():
        return "双随机抽查示范任务已加载，未做改动。"
    with transaction.atomic():
        added = _entities()
        agencies = _agencies(today)
        if len(agencies) < 3 or agencies[0][2] is None:
            return "示范市没有三个具备随机抽查事项和持证人员的执法部门，未加载双随机示范任务。"
        (lead, lead_item, actor), *others = agencies[:3]
        assert actor is not None
        partners = [a for a, _i, _acc in others]
        items = [lead_item, *(i for _a, i, _acc in others)]
        industries = sorted({*INDUSTRIES[:2]})
        joint = services_draws.random_task_create(
            actor=actor,
            title=JOINT_TITLE,
            items=items,
            participants=partners,
            filters={"division": CITY, "industry": industries},
            planned_on=today + timedelta(days=14),
            today=today,
        )
        # N one entry past the freeze: the draft task's entry below brings the log to N, and
        # the head signed then is the seed — a real signed head, nothing made up.
        with override_settings(ZHIFA_DRAW_SEED_MARGIN=1):
            joint = services_draws.random_task_freeze(actor=actor, task=joint, today=today)
        services_draws.random_task_create(
            actor=actor,
            title=DRAFT_TITLE,
            items=items,
            participants=partners,
            filters={"division": CITY},
            today=today,
        )
        head = head_sign()
        assert joint.seed_size is not None and head.size >= joint.seed_size
        joint = services_draws.random_task_draw(actor=actor, task=joint, today=today)
        frozen = services_draws.random_task_create(
            actor=actor,
            title=FROZEN_TITLE,
            items=[lead_item],
            filters={"division": CITY, "industry": ["零售"]},
            planned_on=today + timedelta(days=45),
            today=today,
        )
        services_draws.random_task_freeze(actor=actor, task=frozen, today=today)
    drawn = sum(len(p.selected) for p in joint.pools.filter(kind="entities"))
    return (
        f"双随机抽查：{added}联合抽查任务1个（{lead.name}牵头，"
        f"{'、'.join(a.name for a in partners)}参与，抽中{drawn}户，"
        f"种子取自规模为{head.size}条的签名树头），"
        "待抽取任务1个，草稿1个。"
    )
