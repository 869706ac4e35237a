"""Reads of 双随机 tasks: who sees which task, the published document, the replay check."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from zhifa.record.models import Entry, SignedHead
from zhifa.record.selectors import entry_by_seq, inclusion_proof_for
from zhifa.record.verification import Problem
from zhifa.registry.models import Account, Agency, PowerItem
from zhifa.registry.selectors import is_system_admin, region_of

from . import draw
from .models import DrawPool, RandomTask


def random_tasks_visible_to(account: Account) -> QuerySet[RandomTask]:
    """An agency's accounts see the tasks it started or joins; a supervisor its region's."""
    qs = RandomTask.objects.select_related("agency")
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if is_system_admin(account):
        return qs
    prefix = region_of(account)
    if prefix is not None:
        return qs.filter(agency__division_code__startswith=prefix)
    if account.agency_id is None:
        return qs.none()
    return qs.filter(Q(agency_id=account.agency_id) | Q(participants=account.agency_id)).distinct()


def access_random_task(account: Account, pk: int) -> RandomTask:
    """The one gate to a task: missing and not-yours are the same 404."""
    task = random_tasks_visible_to(account).filter(pk=pk).first()
    if task is None:
        raise Http404
    return task


def can_run_task(account: Account, task: RandomTask) -> bool:
    """Freeze and draw are the initiating agency's (its officers and head)."""
    return account.agency_id == task.agency_id and account.role in (
        Account.Role.OFFICER,
        Account.Role.HEAD,
    )


def can_request_inspections(account: Account, task: RandomTask) -> bool:
    """Each agency of a task requests its own inspections (谁检查、谁录入)."""
    if account.role not in (Account.Role.OFFICER, Account.Role.HEAD) or account.agency_id is None:
        return False
    return (
        account.agency_id == task.agency_id
        or task.participants.filter(pk=account.agency_id).exists()
    )


def public_random_task(pk: int) -> RandomTask:
    """A task the public may see: frozen (pools published before the draw) or drawn."""
    task = (
        RandomTask.objects.select_related("agency")
        .filter(pk=pk, state__in=[RandomTask.State.FROZEN, RandomTask.State.DRAWN])
        .first()
    )
    if task is None:
        raise Http404
    return task


def public_random_tasks() -> QuerySet[RandomTask]:
    return (
        RandomTask.objects.select_related("agency")
        .filter(state__in=[RandomTask.State.FROZEN, RandomTask.State.DRAWN])
        .order_by("-frozen_at", "-pk")
    )


def random_item_choices(agency_ids: Iterable[int]) -> QuerySet[PowerItem]:
    """Published 行政检查 items of these agencies that may be drawn for."""
    return (
        PowerItem.objects.filter(
            agency_id__in=list(agency_ids),
            category=PowerItem.Category.INSPECTION,
            status=PowerItem.Status.PUBLISHED,
        )
        .select_related("agency", "domain")
        .order_by("agency_id", "code")
    )


def partner_choices(account: Account) -> QuerySet[Agency]:
    """Agencies a task may be joined with: active agencies of the same city (division prefix
    of four digits) other than the account's."""
    if account.agency is None or account.agency_id is None:
        return Agency.objects.none()
    return (
        Agency.objects.filter(
            status=Agency.Status.ACTIVE,
            division_code__startswith=account.agency.division_code[:4],
        )
        .exclude(pk=account.agency_id)
        .order_by("division_code", "name")
    )


def task_pools(task: RandomTask) -> list[DrawPool]:
    return list(task.pools.select_related("agency").order_by("position"))


def task_assignments(task: RandomTask, pools: list[DrawPool]) -> list[dict[str, Any]]:
    """Each drawn entity with its inspectors: from every agency's selection, in turn
    (``draw.assign``), so the teams follow from the published selections alone."""
    entities = [c for p in pools if p.kind == DrawPool.Kind.ENTITIES for c in p.selected]
    teams: dict[str, list[str]] = {e: [] for e in entities}
    for pool in pools:
        if pool.kind != DrawPool.Kind.INSPECTORS:
            continue
        for entity, inspectors in draw.assign(
            entities, list(pool.selected), task.inspectors_per_entity
        ).items():
            teams[entity].extend(inspectors)
    return [{"entity": e, "inspectors": teams[e]} for e in entities]


def freeze_entry_proof(task: RandomTask) -> dict[str, Any] | None:
    """The freeze entry with its inclusion proof under the seed head (a drawn task): anyone can
    check offline that the pools were recorded before the seed existed (``draw._freeze_checks``)."""
    if task.state != RandomTask.State.DRAWN or task.frozen_seq is None:
        return None
    entry = entry_by_seq(task.frozen_seq)
    head = SignedHead.objects.filter(size__gte=task.seed_size or 0).order_by("size").first()
    if entry is None or head is None:
        return None
    proof = inclusion_proof_for(entry, size=head.size)
    assert proof is not None
    return {
        "seq": entry.seq,
        "leaf": entry.leaf_bytes.decode("utf-8", "surrogatepass"),
        "proof": proof.proof,
    }


def draw_document_for(task: RandomTask) -> dict[str, Any]:
    """The published document of a frozen or drawn task (``draw.draw_document``)."""
    pools = task_pools(task)
    items = task.items.select_related("agency").order_by("agency_id", "code")
    participants = task.participants.order_by("pk")
    summary = {
        "id": task.pk,
        "title": task.title,
        "agency": task.agency.name,
        "participants": [a.name for a in participants],
        "items": [{"code": i.code, "name": i.name, "agency": i.agency.name} for i in items],
        "inspectors_per_entity": task.inspectors_per_entity,
        "state": task.state,
        "frozen_seq": task.frozen_seq,
        "drawn_seq": task.drawn_seq,
        "assignments": task_assignments(task, pools)
        if task.state == RandomTask.State.DRAWN
        else [],
        "freeze_entry": freeze_entry_proof(task),
    }
    return draw.draw_document(
        task=summary,
        pools=[
            draw.PoolResult(
                name=p.name,
                members=draw.members_from_text(p.members),
                sha256=p.sha256,
                count=p.count,
                selected=p.selected,
                skipped=p.skipped,
            )
            for p in pools
        ],
        seed_size=task.seed_size or 0,
        checkpoint=task.checkpoint,
        seed=task.seed,
    )


# -- zhifa verify ---------------------------------------------------------------------------


def _problem(kind: str, task: RandomTask, message: str, seq: int | None = None) -> Problem:
    return Problem(kind=kind, seq=seq, message=f"双随机任务{task.pk}（{task.title}）：{message}")


def _entry_data(seq: int | None, action: str) -> Any:
    if seq is None:
        return None
    entry: Entry | None = entry_by_seq(seq)
    if entry is None or entry.action != action:
        return None
    return entry.data


def draws_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """``zhifa verify``: every frozen or drawn task against its freeze and draw entries — each
    pool's hash of its stored list, size and count, the seed size, the seed and each pool's
    selection and skips. Tasks are on no case: the case groups are not read."""
    for task in RandomTask.objects.exclude(state=RandomTask.State.DRAFT).order_by("pk"):
        pools = task_pools(task)
        frozen = _entry_data(task.frozen_seq, "inspection.draw_freeze")
        if frozen is None or frozen.get("task") != task.pk:
            yield _problem("draw_unrecorded", task, "名录冻结没有全过程记录", task.frozen_seq)
            continue
        announced = [
            (p["name"], p["sha256"], p["size"], p["count"]) for p in frozen.get("pools", [])
        ]
        stored = [(p.name, p.sha256, p.size, p.count) for p in pools]
        if announced != stored or frozen.get("seed_size") != task.seed_size:
            yield _problem(
                "draw_replay_mismatch", task, "名录或种子树规模与冻结记录不一致", task.frozen_seq
            )
        for p in pools:
            members = draw.members_from_text(p.members)
            if draw.pool_sha256(members) != p.sha256 or len(members) != p.size:
                yield _problem(
                    "draw_pool_altered", task, f"名录“{p.name}”与其哈希不符", task.frozen_seq
                )
        if task.state != RandomTask.State.DRAWN:
            continue
        drawn = _entry_data(task.drawn_seq, "inspection.draw")
        if drawn is None or drawn.get("task") != task.pk:
            yield _problem("draw_unrecorded", task, "抽取没有全过程记录", task.drawn_seq)
            continue
        results = [(p["name"], p["selected"], p["skipped"]) for p in drawn.get("pools", [])]
        actual = [(p.name, list(p.selected), list(p.skipped)) for p in pools]
        if drawn.get("seed") != task.seed or results != actual:
            yield _problem("draw_replay_mismatch", task, "抽取结果与抽取记录不一致", task.drawn_seq)
