"""Reads of the core of the inspections app: what an account may see, the inspections of one
entity across agencies, the conflicts in force, the head's queue, and the replay check."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from zhifa.record.models import Entry
from zhifa.record.verification import Problem
from zhifa.registry.models import Account, Officer
from zhifa.registry.selectors import is_system_admin, region_of

from .models import Conflict, Entity, Inspection


def inspections_visible_to(account: Account) -> QuerySet[Inspection]:
    """Inspections of the account's agency; a supervisor's (or regional admin's) region; all for
    the system administrator; none for anonymous or inactive accounts and external supervisors."""
    qs = Inspection.objects.select_related("agency", "entity", "power_item", "case")
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if account.role == Account.Role.EXTERNAL_SUPERVISOR:
        return qs.none()
    if is_system_admin(account):
        return qs
    prefix = region_of(account)
    if prefix is not None:
        return qs.filter(agency__division_code__startswith=prefix)
    if account.agency_id is None:
        return qs.none()
    return qs.filter(agency_id=account.agency_id)


def entities_visible_to(account: Account) -> QuerySet[Entity]:
    """The directory is shared by every agency and supervisor of the deployment (the basis of
    the caps and warnings across agencies); not shown to anonymous users or external
    supervisors."""
    if (
        not account.is_authenticated
        or not account.is_active
        or account.role == Account.Role.EXTERNAL_SUPERVISOR
    ):
        return Entity.objects.none()
    return Entity.objects.all()


def entity_inspections(account: Account, entity: Entity) -> QuerySet[Inspection]:
    """Every inspection of ``entity`` by every agency the account may see inspections of —
    for an agency user, all agencies of its region (so it sees who else inspected)."""
    qs = Inspection.objects.filter(entity=entity).select_related("agency", "power_item", "case")
    if is_system_admin(account):
        return qs
    prefix = region_of(account)
    if prefix is None and account.agency is not None:
        prefix = account.agency.division_code[:4]  # the agency's city: its neighbours' visits
    if prefix is None:
        return qs.none()
    return qs.filter(agency__division_code__startswith=prefix)


def conflicts_in_force(entity: Entity, officers: Sequence[Officer], on: date) -> QuerySet[Conflict]:
    """The named officers' conflicts with ``entity`` in force on ``on`` (回避)."""
    return (
        Conflict.objects.filter(entity=entity, officer__in=list(officers), declared_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .select_related("officer")
    )


def inspections_awaiting_approval(account: Account) -> QuerySet[Inspection]:
    """The head's queue: requested inspections, and emergency ones awaiting 补办."""
    return (
        inspections_visible_to(account)
        .filter(state__in=[Inspection.State.REQUESTED, Inspection.State.EMERGENCY])
        .order_by("planned_on", "pk")
    )


def inspections_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """Each inspection row equals the last copy its case's ``inspection.*`` entries carry; a
    row no entry carries is reported too."""
    from .services import inspection_plain

    seen: set[int] = set()
    for case_id, entries in groups:
        rows: dict[int, Any] = {}
        last = entries[-1].seq if entries else None
        for entry in entries:
            if not entry.action.startswith("inspection."):
                continue
            data = entry.data
            if isinstance(data.get("inspection"), dict):
                rows[data["inspection"]["id"]] = data["inspection"]
        for row_id, replayed in rows.items():
            seen.add(row_id)
            row = Inspection.objects.filter(pk=row_id).select_related("entity").first()
            if row is None or inspection_plain(row) != replayed:
                yield Problem(
                    kind="inspection_replay_mismatch",
                    case_id=case_id,
                    seq=last,
                    message=f"案件{case_id}的行政检查审批记录（{row_id}）与全过程记录不一致",
                )
    for row_id, case_id in Inspection.objects.exclude(pk__in=seen).values_list("pk", "case_id"):
        yield Problem(
            kind="inspection_replay_mismatch",
            case_id=case_id,
            seq=None,
            message=f"行政检查审批记录（{row_id}）没有对应的全过程记录",
        )
