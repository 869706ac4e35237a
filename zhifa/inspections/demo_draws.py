"""Demo 双随机 tasks of 示范市: a joint task of three agencies drawn from a real signed head of the
record log, one frozen and waiting for its head, one draft.

Uses the directory's entities of the city; when the directory is empty it loads the directory
part's demo first (``demo_directory``: its entities are recorded as that part records them).
Idempotent: a second call changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from zhifa.cases.demo import LATE_REASON
from zhifa.record.services import head_sign
from zhifa.registry.models import Account, Agency, PowerItem

from . import services_draws
from .models import Entity, RandomTask

CITY = "1399"  # 示范市 (registry.demo.CITY_CODE)
JOINT_TITLE = "2026年示范市餐饮服务和食品销售部门联合“双随机”抽查"
FROZEN_TITLE = "2026年第四季度示范市市场监管“双随机”抽查"
DRAFT_TITLE = "2027年第一季度示范市联合“双随机”抽查（筹备中）"
PREFERRED_INDUSTRIES = ("餐饮业", "食品制造业")


def _entities(today: date) -> tuple[str, list[str]]:
    """The city's entities (the directory part's demo, loaded here when the directory is empty)
    and the two industries the joint task draws from: food service and food making where the
    directory has them, else its two largest."""
    added = ""
    if not Entity.objects.filter(division_code__startswith=CITY).exists():
        from . import demo_directory

        added = demo_directory.load(today).rstrip("。") + "；"
    city = Entity.objects.filter(division_code__startswith=CITY)
    counts = dict(city.values("industry").annotate(n=Count("pk")).values_list("industry", "n"))
    preferred = [i for i in PREFERRED_INDUSTRIES if counts.get(i)]
    if len(preferred) < 2:
        preferred = sorted(counts, key=lambda i: (-counts[i], i))[:2]
    return added, sorted(preferred)


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
        added, industries = _entities(today)
        agencies = _agencies(today)
        if len(agencies) < 3 or agencies[0][2] is None:
            return "示范市没有三个具备随机抽查事项和持证人员的执法部门，未加载双随机示范任务。"
        (lead, lead_item, actor), *others = agencies[:3]
        assert actor is not None
        partners = [a for a, _i, _acc in others]
        items = [lead_item, *(i for _a, i, _acc in others)]
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
            filters={"division": CITY, "industry": industries[:1]},
            planned_on=today + timedelta(days=45),
            today=today,
        )
        services_draws.random_task_freeze(actor=actor, task=frozen, today=today)
    # The lead agency asks its head's approval for the entities the task drew (ground 双随机,
    # the inspectors drawn for it); the partners' requests are left for their officers to make.
    requested, refused = services_draws.random_task_inspections_request(
        actor=actor, task=joint, on=today, late_reason=LATE_REASON
    )
    drawn = sum(len(p.selected) for p in joint.pools.filter(kind="entities"))
    return (
        f"{added}双随机抽查：联合抽查任务1个（{lead.name}牵头，"
        f"{'、'.join(a.name for a in partners)}参与，抽中{drawn}户，"
        f"种子取自规模为{head.size}条的签名树头），"
        f"牵头部门已对抽中企业提请检查{requested}件（{len(refused)}件因规则未能提请），"
        "待抽取任务1个，草稿1个。"
    )
