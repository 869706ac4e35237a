"""Writes of 双随机 tasks (国办发〔2015〕58号; 国发〔2019〕5号 部门联合): create a task, freeze its
pools, draw it once the record log has a signed head of the announced size.

Every service runs in one transaction, locks the task it changes, checks its rule, appends one
record entry on no case (a task belongs to no case, as complaints' and the registry's rows) and
returns the task. Refusals raise ``RuleViolation`` naming the rule and its source.

The draw itself is ``draw.py`` (pure); what is recorded lets anyone check it: the freeze entry
carries every pool's SHA-256, size and count and the seed size N; the draw entry the head, the
seed and every pool's selection and skips.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.exceptions import RuleViolation
from zhifa.record.models import SignedHead
from zhifa.record.selectors import log_size
from zhifa.record.services import record_append
from zhifa.registry.models import (
    Account,
    Agency,
    Certificate,
    Officer,
    PowerItem,
    RandomInspectionItem,
)
from zhifa.registry.selectors import officer_may_act

from . import draw
from .models import Conflict, DrawPool, Entity, RandomTask, RiskClass

ACTION_LABELS = {
    "inspection.draw_task_create": "创建双随机抽查任务",
    "inspection.draw_freeze": "冻结双随机抽查名录并公布种子树规模",
    "inspection.draw": "双随机抽取",
}

SYSTEM_NAME = "系统"
SYSTEM_ROLE = "system"
ITEM_RULE = "国办发〔2024〕54号（三）：行政检查事项未经公布的，不得实施"
JOINT_RULE = draw.JOINT_BASIS
# Entries appended after the freeze entry before the seed head: N = size after the freeze + this.
DEFAULT_SEED_MARGIN = 20


def _actor_fields(actor: Account | None) -> dict[str, Any]:
    if actor is None:
        return {"actor_id": None, "actor_name": SYSTEM_NAME, "role": SYSTEM_ROLE}
    return {
        "actor_id": actor.pk,
        "actor_name": actor.display_name or actor.get_username(),
        "role": actor.role,
    }


def seed_margin() -> int:
    """``ZHIFA_DRAW_SEED_MARGIN``: how many entries beyond the freeze the seed head must cover
    (at least 1: a head the freeze could foresee would be no seed)."""
    return max(1, int(getattr(settings, "ZHIFA_DRAW_SEED_MARGIN", DEFAULT_SEED_MARGIN)))


def risk_bands() -> tuple[dict[str, draw.RatioBand], str]:
    """The risk-class ratio bands in force with their source (``ZHIFA_DRAW_RISK_RATIOS``)."""
    return draw.ratio_bands(getattr(settings, "ZHIFA_DRAW_RISK_RATIOS", None))


# -- create ---------------------------------------------------------------------------------


def _is_random_item(item: PowerItem, on: date) -> bool:
    """A published 行政检查 item of its agency on ``on`` that is on its 随机抽查事项清单."""
    if item.category != PowerItem.Category.INSPECTION:
        return False
    if item.status != PowerItem.Status.PUBLISHED or item.published_on is None:
        return False
    if item.published_on > on:
        return False
    if item.is_random_inspection:
        return True
    return RandomInspectionItem.objects.filter(
        power_item=item,
        status=RandomInspectionItem.Status.PUBLISHED,
        published_on__lte=on,
    ).exists()


def _check_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    known = {"division", "industry", "classes", "scale_categories"}
    unknown = set(filters) - known
    if unknown:
        raise RuleViolation(_("对象范围含未知条件：%s") % "、".join(sorted(unknown)))
    out: dict[str, Any] = {}
    division = str(filters.get("division", "") or "").strip()
    if division:
        if not (division.isdigit() and len(division) <= 6):
            raise RuleViolation(_("行政区划代码应为不超过6位的数字"))
        out["division"] = division.rstrip("0") or division
    industry = [str(i).strip() for i in filters.get("industry", []) or [] if str(i).strip()]
    if industry:
        out["industry"] = sorted(set(industry))
    classes = [str(c) for c in filters.get("classes", []) or []]
    if classes:
        if set(classes) - set(RiskClass.values):
            raise RuleViolation(_("信用风险分类只能是A、B、C、D"))
        out["classes"] = sorted(set(classes))
    scale = [str(c) for c in filters.get("scale_categories", []) or []]
    if scale:
        out["scale_categories"] = sorted(set(scale))
    return out


def _check_ratios(ratios: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for cls, value in ratios.items():
        if cls not in RiskClass.values:
            raise RuleViolation(_("信用风险分类只能是A、B、C、D"))
        if value in ("", None):
            continue
        try:
            ratio = Decimal(str(value))
        except InvalidOperation as exc:
            raise RuleViolation(_("%(cls)s类抽查比例不是数字") % {"cls": cls}) from exc
        if not 0 <= ratio <= 1:
            raise RuleViolation(_("%(cls)s类抽查比例应在0至1之间") % {"cls": cls})
        out[cls] = str(ratio)
    return out


@transaction.atomic
def random_task_create(
    *,
    actor: Account,
    title: str,
    items: Sequence[PowerItem],
    participants: Sequence[Agency] = (),
    filters: Mapping[str, Any] | None = None,
    ratios: Mapping[str, Any] | None = None,
    counts: Mapping[str, int] | None = None,
    inspectors_per_entity: int = draw.MIN_INSPECTORS,
    planned_on: date | None = None,
    today: date,
) -> RandomTask:
    """Create a 双随机 task of the actor's agency (the 发起部门) with its participating agencies
    (部门联合: each draws its own inspectors for its own items).

    Refuses: an actor without an agency; no item; an item that is not a published 行政检查
    item on the 随机抽查事项清单 on ``today`` of the initiating or a participating agency
    (54号（三）); a participating agency without an item of its own; fewer than two inspectors
    per entity (《行政处罚法》第四十二条). Records ``inspection.draw_task_create``."""
    if actor.agency_id is None or actor.role not in (Account.Role.OFFICER, Account.Role.HEAD):
        raise RuleViolation(_("只有执法部门的执法人员或负责人可以发起双随机抽查任务"))
    title = title.strip()
    if not title:
        raise RuleViolation(_("请填写任务名称"))
    if not items:
        raise RuleViolation(_("请选择抽查事项（%(rule)s）") % {"rule": ITEM_RULE})
    partners = {a.pk: a for a in participants if a.pk != actor.agency_id}
    agencies = {actor.agency_id, *partners}
    for item in items:
        if item.agency_id not in agencies:
            raise RuleViolation(_("事项“%(item)s”不属于发起部门或参与部门") % {"item": item.name})
        if not _is_random_item(item, today):
            raise RuleViolation(
                _("事项“%(item)s”在%(day)s不是已公布的随机抽查（行政检查）事项（%(rule)s）")
                % {"item": item.name, "day": today.isoformat(), "rule": ITEM_RULE}
            )
    with_items = {item.agency_id for item in items}
    for agency_id in sorted(agencies - with_items):
        name = partners[agency_id].name if agency_id in partners else actor.agency.name  # type: ignore[union-attr]
        raise RuleViolation(
            _(
                "%(agency)s没有选择本部门的抽查事项：联合抽查中各部门按本部门事项抽取检查人员（%(rule)s）"
            )
            % {"agency": name, "rule": JOINT_RULE}
        )
    for agency in partners.values():
        if agency.status != Agency.Status.ACTIVE:
            raise RuleViolation(_("%(agency)s不是有效的执法主体") % {"agency": agency.name})
    if inspectors_per_entity < draw.MIN_INSPECTORS:
        raise RuleViolation(
            _("每户检查人员不得少于%(n)d人（%(source)s）")
            % {"n": draw.MIN_INSPECTORS, "source": draw.MIN_INSPECTORS_SOURCE}
        )
    clean_filters = _check_filters(filters or {})
    clean_ratios = _check_ratios(ratios or {})
    clean_counts = {str(k): int(v) for k, v in (counts or {}).items() if v is not None}
    if set(clean_counts) - set(RiskClass.values) or any(v < 0 for v in clean_counts.values()):
        raise RuleViolation(_("各类抽取数量应为非负整数，类别为A、B、C、D"))
    task = RandomTask.objects.create(
        agency_id=actor.agency_id,
        title=title,
        filters=clean_filters,
        ratios=clean_ratios,
        counts=clean_counts,
        inspectors_per_entity=inspectors_per_entity,
        planned_on=planned_on,
        created_by=actor,
    )
    task.items.set(items)
    task.participants.set(partners.values())
    record_append(
        **_actor_fields(actor),
        action="inspection.draw_task_create",
        payload={
            "task": task.pk,
            "title": task.title,
            "agency": task.agency_id,
            "participants": sorted(partners),
            "items": sorted(i.pk for i in items),
            "filters": clean_filters,
            "ratios": clean_ratios,
            "counts": clean_counts,
            "inspectors_per_entity": inspectors_per_entity,
            "planned_on": planned_on.isoformat() if planned_on else None,
        },
    )
    return task


# -- freeze ---------------------------------------------------------------------------------


def entity_pool_codes(filters: Mapping[str, Any]) -> dict[str, list[str]]:
    """The credit codes of the directory's entities matching ``filters`` that are still in
    business (a closed entity cannot be inspected), per risk class, ascending."""
    qs = Entity.objects.exclude(status=Entity.Status.CLOSED)
    if filters.get("division"):
        qs = qs.filter(division_code__startswith=filters["division"])
    if filters.get("industry"):
        qs = qs.filter(industry__in=filters["industry"])
    if filters.get("classes"):
        qs = qs.filter(risk_class__in=filters["classes"])
    if filters.get("scale_categories"):
        qs = qs.filter(scale_category__in=filters["scale_categories"])
    pools: dict[str, list[str]] = defaultdict(list)
    for code, cls in qs.values_list("credit_code", "risk_class").iterator(chunk_size=20000):
        pools[cls].append(code)
    # Sorted here, by code point, whatever the database's collation would say.
    return {cls: draw.pool_members(pools[cls]) for cls in sorted(pools)}


def inspector_pool_codes(agency_id: int, domain_ids: set[int], on: date) -> list[str]:
    """The agency's inspector pool: one certificate number per serving officer of the agency
    who holds an enforcement certificate valid on ``on`` covering every domain of the agency's
    task items (54号（二）: only certified officers inspect). Lowest number per officer."""
    qs = Certificate.objects.filter(
        officer__agency_id=agency_id,
        officer__status=Officer.Status.SERVING,
        kind=Certificate.Kind.ENFORCEMENT,
        status=Certificate.Status.VALID,
        issued_on__lte=on,
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
    for domain_id in domain_ids:
        qs = qs.filter(domains__id=domain_id)
    first: dict[int, str] = {}
    for officer_id, number in qs.order_by("number").values_list("officer_id", "number"):
        first.setdefault(officer_id, number)
    return sorted(first.values())


def _task_agencies(task: RandomTask) -> list[Agency]:
    partners = sorted(task.participants.all(), key=lambda a: a.pk)
    return [task.agency, *partners]


@transaction.atomic
def random_task_freeze(*, actor: Account, task: RandomTask, today: date) -> RandomTask:
    """Freeze the pools and announce the seed size (step 1 of the draw, ``draw.py``).

    Builds one entity pool per risk class from the directory (the task's filters) and one
    inspector pool per agency; fixes each pool's count (the task's counts, else its ratios,
    else the default ratios of the risk bands, at least 5 % overall); refuses counts outside
    their band and agencies with fewer than two inspectors. N = the log's size after the
    freeze entry + ``ZHIFA_DRAW_SEED_MARGIN``. Records ``inspection.draw_freeze`` with every
    pool's hash, size and count and N."""
    task = RandomTask.objects.select_for_update().get(pk=task.pk)
    if task.state != RandomTask.State.DRAFT:
        raise RuleViolation(_("任务的名录已冻结并公布，不能再次冻结或修改"), article=draw.BASIS)
    if task.agency_id != actor.agency_id:
        raise RuleViolation(_("只有发起部门可以冻结名录"))
    entity_pools = entity_pool_codes(task.filters)
    sizes = {cls: len(codes) for cls, codes in entity_pools.items()}
    if not sum(sizes.values()):
        raise RuleViolation(_("对象范围内没有检查对象，无法冻结名录"), article=draw.BASIS)
    bands, source = risk_bands()
    # Each class: its count, else its ratio, else the band's default (raised to the 5 % floor).
    counts = draw.default_counts(sizes, bands)
    for cls, size in sizes.items():
        if cls in task.counts:
            counts[cls] = int(task.counts[cls])
        elif cls in task.ratios:
            counts[cls] = draw.count_for(size, Decimal(task.ratios[cls]))
    problems = draw.count_problems(sizes, counts, bands, source)
    if problems:
        raise RuleViolation("；".join(p.message for p in problems))
    total = sum(counts.values())
    per_agency_items: dict[int, set[int]] = defaultdict(set)
    for item in task.items.all():
        per_agency_items[item.agency_id].add(item.domain_id)
    rows: list[DrawPool] = []
    for cls, codes in entity_pools.items():
        rows.append(
            DrawPool(
                task=task,
                name=_("检查对象（%(cls)s类）") % {"cls": cls},
                kind=DrawPool.Kind.ENTITIES,
                risk_class=cls,
                members=draw.pool_text(codes),
                sha256=draw.pool_sha256(codes),
                size=len(codes),
                count=counts[cls],
            )
        )
    for agency in _task_agencies(task):
        codes = inspector_pool_codes(agency.pk, per_agency_items[agency.pk], today)
        if len(codes) < task.inspectors_per_entity:
            raise RuleViolation(
                _(
                    "%(agency)s在%(day)s持有覆盖抽查事项领域的有效执法证的人员只有%(n)d人，"
                    "不足每户%(k)d人（%(source)s）"
                )
                % {
                    "agency": agency.name,
                    "day": today.isoformat(),
                    "n": len(codes),
                    "k": task.inspectors_per_entity,
                    "source": draw.MIN_INSPECTORS_SOURCE,
                }
            )
        rows.append(
            DrawPool(
                task=task,
                name=_("检查人员（%(agency)s）") % {"agency": agency.name},
                kind=DrawPool.Kind.INSPECTORS,
                agency=agency,
                members=draw.pool_text(codes),
                sha256=draw.pool_sha256(codes),
                size=len(codes),
                count=min(len(codes), max(task.inspectors_per_entity, 0) * total),
            )
        )
    for position, row in enumerate(rows):
        row.position = position
    DrawPool.objects.bulk_create(rows)
    seed_size = log_size() + 1 + seed_margin()
    now = timezone.now()
    entry = record_append(
        **_actor_fields(actor),
        action="inspection.draw_freeze",
        payload={
            "task": task.pk,
            "pools": [_pool_announcement(r) for r in rows],
            "seed_size": seed_size,
            "ratios_source": source,
        },
        at=now,
    )
    if entry.seq + 1 >= seed_size:  # another writer got in between: N would not be ahead
        raise RuntimeError("the record log grew during the freeze; try again")
    task.state = RandomTask.State.FROZEN
    task.seed_size = seed_size
    task.frozen_at = now
    task.frozen_seq = entry.seq
    task.save(update_fields=["state", "seed_size", "frozen_at", "frozen_seq"])
    return task


def _pool_announcement(row: DrawPool) -> dict[str, Any]:
    return {
        "name": row.name,
        "kind": row.kind,
        "risk_class": row.risk_class,
        "agency": row.agency_id,
        "sha256": row.sha256,
        "size": row.size,
        "count": row.count,
    }


# -- draw -----------------------------------------------------------------------------------


def seed_head(task: RandomTask) -> SignedHead | None:
    """The first signed head whose size is at least the task's seed size, if it exists yet."""
    if task.seed_size is None:
        return None
    return SignedHead.objects.filter(size__gte=task.seed_size).order_by("size").first()


def _entity_skip(closed: set[str]) -> Any:
    def reason(code: str) -> str | None:
        return _("冻结后已注销或被吊销") if code in closed else None

    return reason


def _inspector_skip(
    by_number: Mapping[str, Certificate],
    conflicts: Mapping[int, list[str]],
    domains: Sequence[Any],
    on: date,
) -> Any:
    def reason(number: str) -> str | None:
        cert = by_number.get(number)
        if cert is None:
            return _("证件已不在登记中")
        officer = cert.officer
        blocked = conflicts.get(officer.pk)
        if blocked:
            return _("与抽中的检查对象%(codes)s有利害关系，依法回避") % {
                "codes": "、".join(blocked)
            }
        for domain in domains:
            answer = officer_may_act(officer, domain, on)
            if not answer:
                return _("%(day)s不具备执法资格：%(reasons)s") % {
                    "day": on.isoformat(),
                    "reasons": "；".join(answer.reasons),
                }
        return None

    return reason


@transaction.atomic
def random_task_draw(
    *, actor: Account | None, task: RandomTask, today: date, at: datetime | None = None
) -> RandomTask:
    """Draw a frozen task from the first signed head of at least its seed size (steps 2–3).

    Entities first, each risk class its top k (a closed entity skipped); then each agency's
    inspectors, its top k, skipping an officer recused from a drawn entity (inspections.
    Conflict) or no longer allowed to act on ``today`` — each skip with its reason. Records
    ``inspection.draw`` with the head, the seed and every pool's result. ``actor`` None: the
    scheduled job. Refuses while no such head exists."""
    task = RandomTask.objects.select_for_update().get(pk=task.pk)
    if task.state != RandomTask.State.FROZEN:
        raise RuleViolation(
            _("只有名录已冻结、尚未抽取的任务可以抽取：每个任务只抽取一次"), article=draw.BASIS
        )
    if actor is not None and actor.agency_id != task.agency_id:
        raise RuleViolation(_("只有发起部门可以执行抽取"))
    head = seed_head(task)
    if head is None:
        raise RuleViolation(
            _("全过程记录尚无规模不小于%(n)d的签名树头：种子尚未产生，请稍后再抽取")
            % {"n": task.seed_size},
            article=draw.BASIS,
        )
    seed = head.root_hash_hex
    pools = list(task.pools.order_by("position"))
    entity_pools = [p for p in pools if p.kind == DrawPool.Kind.ENTITIES]
    # Entities are never deleted (PROTECT); one leaves the pool only by closing after the freeze.
    closed = Entity.objects.filter(status=Entity.Status.CLOSED)
    if task.filters.get("division"):
        closed = closed.filter(division_code__startswith=task.filters["division"])
    closed_codes = set(closed.values_list("credit_code", flat=True))
    selected_entities: list[str] = []
    for pool in entity_pools:
        members = draw.members_from_text(pool.members)
        result = draw.select(members, seed, pool.count, _entity_skip(closed_codes))
        pool.selected = list(result.selected)
        pool.skipped = [{"id": s.id, "reason": s.reason} for s in result.skipped]
        selected_entities.extend(result.selected)
    # Recorded conflicts are few: read the ones in force, keep those with a drawn entity (no
    # IN-list of a province's drawn entities).
    drawn = set(selected_entities)
    conflicts: dict[int, list[str]] = defaultdict(list)
    for officer_id, code in (
        Conflict.objects.filter(declared_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .values_list("officer_id", "entity__credit_code")
        .order_by("officer_id", "entity__credit_code")
    ):
        if code in drawn:
            conflicts[officer_id].append(code)
    domains_by_agency: dict[int, list[Any]] = defaultdict(list)
    for item in task.items.select_related("domain").order_by("pk"):
        if item.domain not in domains_by_agency[item.agency_id]:
            domains_by_agency[item.agency_id].append(item.domain)
    for pool in pools:
        if pool.kind != DrawPool.Kind.INSPECTORS:
            continue
        members = draw.members_from_text(pool.members)
        by_number = {
            c.number: c
            for c in Certificate.objects.filter(number__in=members).select_related(
                "officer", "officer__agency"
            )
        }
        assert pool.agency_id is not None
        skip = _inspector_skip(by_number, conflicts, domains_by_agency[pool.agency_id], today)
        result = draw.select(members, seed, pool.count, skip)
        pool.selected = list(result.selected)
        pool.skipped = [{"id": s.id, "reason": s.reason} for s in result.skipped]
    DrawPool.objects.bulk_update(pools, ["selected", "skipped"])
    now = timezone.now() if at is None else at
    entry = record_append(
        **_actor_fields(actor),
        action="inspection.draw",
        payload={
            "task": task.pk,
            "seed_size": task.seed_size,
            "head_size": head.size,
            "seed": seed,
            "pools": [
                {"name": p.name, "selected": p.selected, "skipped": p.skipped} for p in pools
            ],
        },
        at=now,
    )
    task.state = RandomTask.State.DRAWN
    task.seed = seed
    task.checkpoint = head.note
    task.drawn_at = now
    task.drawn_seq = entry.seq
    task.save(update_fields=["state", "seed", "checkpoint", "drawn_at", "drawn_seq"])
    return task


def draws_due() -> list[RandomTask]:
    """Frozen tasks whose seed head now exists."""
    latest = SignedHead.objects.order_by("-size").values_list("size", flat=True).first()
    if latest is None:
        return []
    return list(
        RandomTask.objects.filter(state=RandomTask.State.FROZEN, seed_size__lte=latest).order_by(
            "pk"
        )
    )


def draws_run_due(now: datetime) -> str:
    """The scheduled job: draw every frozen task whose seed head exists."""
    today = timezone.localdate(now)
    done = 0
    for task in draws_due():
        try:
            random_task_draw(actor=None, task=task, today=today, at=now)
        except RuleViolation:  # drawn meanwhile by its agency: nothing left to do
            continue
        done += 1
    return _("已抽取%(n)d个双随机任务。") % {"n": done}


def draws_needed(now: datetime) -> bool:
    return bool(draws_due())


# -- the drawn entities' inspections ----------------------------------------------------------

TASK_RULE = "国办发〔2015〕58号（二）：随机抽取检查对象、随机选派执法检查人员"


def task_check(inspection: Any, on: date, stage: str) -> list[Any]:
    """The approval check registered with the core: an inspection under a 双随机 task is of an
    entity the task drew, by an agency of the task (entities in the pool but not drawn are not
    inspected under it)."""
    task = inspection.task
    if task is None:
        return []
    if task.state != RandomTask.State.DRAWN:
        raise RuleViolation(
            _("双随机任务“%(task)s”尚未抽取") % {"task": task.title}, article=TASK_RULE
        )
    agencies = {task.agency_id, *task.participants.values_list("pk", flat=True)}
    if inspection.agency_id not in agencies:
        raise RuleViolation(
            _("%(agency)s不是双随机任务“%(task)s”的参与部门")
            % {"agency": inspection.agency.name, "task": task.title},
            article=TASK_RULE,
        )
    drawn = {c for p in task.pools.filter(kind=DrawPool.Kind.ENTITIES) for c in p.selected}
    if inspection.entity.credit_code not in drawn:
        raise RuleViolation(
            _("%(entity)s未在双随机任务“%(task)s”中被抽中，不能以该任务实施检查")
            % {"entity": inspection.entity.name, "task": task.title},
            article=TASK_RULE,
        )
    return []


def random_task_inspections_request(
    *,
    actor: Account,
    task: RandomTask,
    on: date,
    planned_on: date | None = None,
    late_reason: str = "",
) -> tuple[int, list[tuple[str, str]]]:
    """Ask the head's approval (``inspections.services.inspection_request``, ground 双随机) for an
    inspection of every entity the task drew, by the actor's agency with the inspectors drawn
    for it (the first as lead). Entities already requested under the task by this agency are
    left alone. Each request stands alone: one refused (a quiet period, a cap …) does not stop
    the others. Returns how many were requested and, per refused entity, the rule."""
    from zhifa.cases.models import CaseOfficer

    from . import services as core
    from .selectors_draws import task_assignments, task_pools

    if task.state != RandomTask.State.DRAWN:
        raise RuleViolation(_("只有已抽取的任务可以提请检查"), article=TASK_RULE)
    if actor.agency_id is None or actor.role not in (Account.Role.OFFICER, Account.Role.HEAD):
        raise RuleViolation(_("只有执法部门的执法人员或负责人可以提请检查"))
    pools = task_pools(task)
    mine = next(
        (p for p in pools if p.kind == DrawPool.Kind.INSPECTORS and p.agency_id == actor.agency_id),
        None,
    )
    if mine is None:
        raise RuleViolation(_("本部门不是该任务的参与部门"), article=TASK_RULE)
    item = task.items.filter(agency_id=actor.agency_id).order_by("code").first()
    assert item is not None  # each agency of a task has an item (random_task_create)
    own = set(mine.selected)
    officers = {
        c.number: c.officer
        for c in Certificate.objects.filter(number__in=own).select_related("officer")
    }
    done = set(
        task.inspections.filter(agency_id=actor.agency_id).values_list(
            "entity__credit_code", flat=True
        )
    )
    entities = {
        e.credit_code: e
        for e in Entity.objects.filter(
            credit_code__in=[t["entity"] for t in task_assignments(task, pools)]
        )
    }
    requested = 0
    refused: list[tuple[str, str]] = []
    day = planned_on or task.planned_on or on
    for team in task_assignments(task, pools):
        code = team["entity"]
        if code in done:
            continue
        named = [officers[c] for c in team["inspectors"] if c in own]
        roles = [
            (o, CaseOfficer.Role.LEAD if i == 0 else CaseOfficer.Role.ASSISTANT)
            for i, o in enumerate(named)
        ]
        try:
            with transaction.atomic():
                core.inspection_request(
                    actor=actor,
                    entity=entities[code],
                    power_code=item.code,
                    ground="random",
                    planned_on=day,
                    officers=roles,
                    on=on,
                    task=task,
                    late_reason=late_reason,
                )
        except RuleViolation as exc:
            refused.append((code, str(exc)))
        else:
            requested += 1
    return requested, refused
