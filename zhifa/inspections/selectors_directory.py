"""Reads of the directory part: who sees which entities, an entity's inspections by every agency
of the region (the basis of caps and warnings), the cases linked by credit code, plans and
their publication on time, merge proposals (综合查一次) and the 联合检查率.

The directory itself and an entity's inspections across agencies are the core's
(``selectors.entities_visible_to``, ``selectors.entity_inspections``). The *region* of an
account here (plans, merge proposals, 联合检查率, directory writes): a supervisor's or regional
administrator's region; for an agency's staff the city (or province) their agency lies in; the
system administrator sees everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from zhifa.cases.models import Case, Party
from zhifa.cases.selectors import cases_visible_to
from zhifa.core.identifiers import division_prefix
from zhifa.record.models import Entry
from zhifa.record.verification import Problem
from zhifa.registry.models import Account, Agency, PowerItem
from zhifa.registry.selectors import agencies_visible_to, is_system_admin, region_of

from . import joint_matching, plan_publication
from .models import Conflict, Entity, Inspection, JointInspection, Plan

# -- who sees and manages what -------------------------------------------------------------


def directory_region(account: Account) -> str | None:
    """The division prefix whose entities and inspections ``account`` sees: "" for all, None
    for nothing."""
    if not account.is_authenticated or not account.is_active:
        return None
    if is_system_admin(account):
        return ""
    prefix = region_of(account)
    if prefix is not None:
        return prefix
    if account.agency_id is None or account.agency is None:
        return None
    code = account.agency.division_code
    return division_prefix(code[:4] + "00")


def in_region(region: str | None, division_code: str) -> bool:
    return region is not None and division_code.startswith(region)


def may_manage_directory(account: Account) -> bool:
    """Directory writes (entities, import) belong to administrators, within their region."""
    return account.is_authenticated and account.role == Account.Role.ADMIN


def may_manage_plans(account: Account, agency: Agency) -> bool:
    """An agency's officers and head prepare its plans; its head (or an administrator of its
    region) approves, publishes and withdraws them."""
    if not account.is_authenticated or not account.is_active:
        return False
    if account.role == Account.Role.ADMIN:
        return in_region(directory_region(account), agency.division_code)
    return account.agency_id == agency.pk and account.role in ("officer", "head")


def may_decide_joint(account: Account, inspections: Sequence[Inspection]) -> bool:
    """The head of an agency taking part, or a supervisor of a region holding them all."""
    if account.role == Account.Role.HEAD:
        return account.agency_id in {i.agency_id for i in inspections}
    if account.role == Account.Role.SUPERVISOR:
        region = directory_region(account)
        return all(in_region(region, i.agency.division_code) for i in inspections)
    return False


# -- entities --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityFilters:
    q: str = ""
    industry: str = ""
    division: str = ""
    risk_class: str = ""
    category: str = ""
    status: str = ""


def entities_filtered(qs: QuerySet[Entity], f: EntityFilters) -> QuerySet[Entity]:
    """Narrow the directory by name or code, industry, division (prefix), class, category and
    status."""
    if f.q:
        qs = qs.filter(Q(name__contains=f.q) | Q(credit_code__startswith=f.q.upper()))
    if f.industry:
        qs = qs.filter(industry=f.industry)
    if f.division:
        qs = qs.filter(division_code__startswith=f.division)
    if f.risk_class:
        qs = qs.filter(risk_class=f.risk_class)
    if f.category:
        qs = qs.filter(scale_category=f.category)
    if f.status:
        qs = qs.filter(status=f.status)
    return qs


def entity_industries(qs: QuerySet[Entity]) -> list[str]:
    return list(qs.exclude(industry="").values_list("industry", flat=True).distinct().order_by())


def entity_for_credit_code(credit_code: str) -> Entity | None:
    """The directory's entity with this 统一社会信用代码 (how a case's organisation party links
    to the directory), or None."""
    code = (credit_code or "").strip().upper()
    if not code:
        return None
    return Entity.objects.filter(credit_code=code).first()


def entity_cases(account: Account, entity: Entity) -> QuerySet[Case]:
    """The cases ``account`` may see whose organisation party bears the entity's credit code."""
    parties = Party.objects.filter(
        kind=Party.Kind.ORGANISATION, credit_code=entity.credit_code
    ).values("case_id")
    return cases_visible_to(account).filter(pk__in=parties).select_related("agency")


def entity_conflicts(entity: Entity) -> QuerySet[Conflict]:
    return entity.conflicts.select_related("officer", "officer__agency").order_by(
        "-declared_on", "-pk"
    )


def entities_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """``zhifa verify``: every entity, 回避, plan and joint inspection equals the last row its
    record entries carry; a row no entry carries is reported too."""
    from .services_directory import _conflict_row, _joint_row, entity_row, plan_row

    del groups  # the entries of the directory part are read by action
    last: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}
    kinds = {"entity": "entity", "entities": "entity", "conflict": "conflict", "plan": "plan"}
    kinds["joint"] = "joint"
    entries = Entry.objects.filter(
        Q(action__startswith="inspections.") | Q(action__startswith="inspection.joint_")
    ).order_by("seq")
    for entry in entries.iterator(chunk_size=500):
        data = entry.data or {}
        for key, kind in kinds.items():
            value = data.get(key)
            found = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
            for row in found:
                last[(kind, int(row["id"]))] = (entry.seq, row)
    tables: list[tuple[str, str, Iterable[Any], Any]] = [
        ("entity", "检查对象", Entity.objects.order_by("pk"), entity_row),
        ("conflict", "回避登记", Conflict.objects.order_by("pk"), _conflict_row),
        ("plan", "检查计划", Plan.objects.order_by("pk"), plan_row),
        ("joint", "联合检查", JointInspection.objects.order_by("pk"), _joint_row),
    ]
    for kind, label, objects, plain in tables:
        for obj in objects:
            recorded = last.get((kind, obj.pk))
            if recorded is None:
                yield Problem(
                    kind=f"inspections_{kind}_unrecorded",
                    message=f"{label}{obj.pk}没有对应的全过程记录",
                )
            elif recorded[1] != _plain(plain(obj)):
                yield Problem(
                    kind=f"inspections_{kind}_differs",
                    seq=recorded[0],
                    message=f"{label}{obj.pk}与记录#{recorded[0]}中的内容不一致",
                )


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}


# -- plans -----------------------------------------------------------------------------------


def plans_visible_to(account: Account) -> QuerySet[Plan]:
    agencies = agencies_visible_to(account)
    return Plan.objects.filter(agency__in=agencies).select_related("agency")


def plans_public(year: int | None = None) -> QuerySet[Plan]:
    """The plans on the portal: published (a withdrawn plan is no longer shown)."""
    qs = Plan.objects.filter(status=Plan.Status.PUBLISHED).select_related("agency")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("agency__division_code", "agency__name", "kind", "pk")


def plan_publish_by() -> tuple[str, str]:
    """The configured day ("MM-DD") annual plans are due and its source."""
    return (
        getattr(settings, "ZHIFA_INSPECTION_PLAN_PUBLISH_BY", plan_publication.DEFAULT_PUBLISH_BY),
        getattr(
            settings, "ZHIFA_INSPECTION_PLAN_PUBLISH_BY_SOURCE", plan_publication.DEFAULT_SOURCE
        ),
    )


def plan_deadline(year: int) -> date:
    return plan_publication.publication_deadline(year, plan_publish_by()[0])


def inspecting_agencies(agencies: QuerySet[Agency]) -> QuerySet[Agency]:
    """The agencies that inspect — that hold a published 行政检查 item — and so owe an annual
    inspection plan."""
    items = PowerItem.objects.filter(
        category=PowerItem.Category.INSPECTION, status=PowerItem.Status.PUBLISHED
    )
    return agencies.filter(pk__in=items.values("agency_id"))


@dataclass(frozen=True)
class AgencyPublication:
    agency: Agency
    status: plan_publication.PublicationStatus


def annual_plan_publication(
    agencies: QuerySet[Agency], year: int, today: date
) -> list[AgencyPublication]:
    """For each agency, whether its annual plan of ``year`` was published by the configured
    day: the first publication counts (a plan withdrawn later was still published then)."""
    deadline = plan_deadline(year)
    first: dict[int, date] = {}
    published = Plan.objects.filter(
        kind=Plan.Kind.ANNUAL, year=year, published_on__isnull=False, agency__in=agencies
    ).values_list("agency_id", "published_on")
    for agency_id, on in published:
        if on is not None and (agency_id not in first or on < first[agency_id]):
            first[agency_id] = on
    return [
        AgencyPublication(
            agency=a,
            status=plan_publication.publication_status(
                published_on=first.get(a.pk), deadline=deadline, today=today
            ),
        )
        for a in agencies.order_by("division_code", "name")
    ]


def annual_plans_overdue_count(agencies: QuerySet[Agency], year: int, today: date) -> int:
    """How many of ``agencies`` have not published their annual plan of ``year`` although its
    day has passed (``overdue`` of ``plan_publication.publication_status``), counted in the
    database: a province supervisor's to-do asks it on every page of thousands of agencies."""
    status = plan_publication.publication_status(
        published_on=None, deadline=plan_deadline(year), today=today
    )
    if status.state != "overdue":
        return 0
    published = Plan.objects.filter(
        kind=Plan.Kind.ANNUAL, year=year, published_on__isnull=False
    ).values("agency_id")
    return agencies.exclude(pk__in=published).count()


# -- 综合查一次 -------------------------------------------------------------------------------


def joint_window_days() -> tuple[int, str]:
    return (
        int(getattr(settings, "ZHIFA_INSPECTION_JOINT_WINDOW_DAYS", 30)),
        getattr(settings, "ZHIFA_INSPECTION_JOINT_WINDOW_DAYS_SOURCE", ""),
    )


@dataclass(frozen=True)
class MergeProposal:
    entity: Entity
    inspections: list[Inspection]
    first: date
    last: date

    @property
    def key(self) -> str:
        return "-".join(str(i.pk) for i in self.inspections)


def joint_proposals(account: Account, today: date) -> list[MergeProposal]:
    """Planned inspections (requested or approved, not yet visited, planned today or later,
    not already merged or declined) of one entity by several agencies of ``account``'s region
    within the configured window: the merge proposals ``account`` may see (an agency's staff
    see those their agency takes part in)."""
    region = directory_region(account)
    if region is None:
        return []
    window, _source = joint_window_days()
    planned = Inspection.objects.filter(
        state__in=(Inspection.State.REQUESTED, Inspection.State.APPROVED),
        joint__isnull=True,
        planned_on__gte=today,
        agency__division_code__startswith=region,
        visits__isnull=True,
    )
    candidates = [
        joint_matching.Planned(id=pk, entity_id=e, agency_id=a, planned_on=on)
        for pk, e, a, on in planned.values_list("pk", "entity_id", "agency_id", "planned_on")
    ]
    proposals = joint_matching.merge_proposals(candidates, window)
    own = account.agency_id if region_of(account) is None and account.agency_id else None
    if own is not None:
        proposals = [p for p in proposals if own in p.agency_ids]
    ids = [i.id for p in proposals for i in p.inspections]
    rows = {
        i.pk: i
        for i in Inspection.objects.filter(pk__in=ids).select_related(
            "agency", "entity", "power_item", "case"
        )
    }
    return [
        MergeProposal(
            entity=rows[p.inspections[0].id].entity,
            inspections=[rows[i.id] for i in p.inspections],
            first=p.first,
            last=p.last,
        )
        for p in proposals
    ]


def joint_inspections_visible_to(account: Account) -> QuerySet[JointInspection]:
    region = directory_region(account)
    if region is None:
        return JointInspection.objects.none()
    qs = JointInspection.objects.filter(entity__division_code__startswith=region)
    if region_of(account) is None and account.agency_id and not is_system_admin(account):
        qs = qs.filter(inspections__agency_id=account.agency_id).distinct()
    return qs.select_related("entity", "lead_agency")


@dataclass(frozen=True)
class JointRate:
    """联合检查率 of one agency (or the region, ``agency`` None) in a year."""

    agency: Agency | None
    joint: int
    total: int

    @property
    def rate(self) -> str:
        return joint_matching.joint_rate(self.joint, self.total)


COUNTED_STATES = (
    Inspection.State.REQUESTED,
    Inspection.State.APPROVED,
    Inspection.State.EMERGENCY,
)


def joint_rates(account: Account, year: int) -> tuple[list[JointRate], JointRate]:
    """The share of inspections done jointly (in an agreed joint inspection) per agency of
    ``account``'s region and for the region, among the year's inspections that were not
    refused or cancelled."""
    region = directory_region(account)
    if region is None:
        return [], JointRate(None, 0, 0)
    rows = (
        Inspection.objects.filter(
            year=year, state__in=COUNTED_STATES, agency__division_code__startswith=region
        )
        .values("agency_id")
        .annotate(
            total=Count("pk"),
            joint=Count("pk", filter=Q(joint__state=JointInspection.State.AGREED)),
        )
    )
    counts = {r["agency_id"]: (r["joint"], r["total"]) for r in rows}
    agencies = Agency.objects.filter(pk__in=counts).order_by("division_code", "name")
    per_agency = [JointRate(a, *counts[a.pk]) for a in agencies]
    region_total = JointRate(
        None, sum(j for j, _ in counts.values()), sum(t for _, t in counts.values())
    )
    return per_agency, region_total
