"""Helpers of the rules tests: inspections of other agencies inserted directly (their requests
are the core's tests), caps and quiet periods through the recorded services."""

from __future__ import annotations

from datetime import date, datetime
from itertools import count
from typing import Any

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import SH as SH_TZ
from zhifa.core.testing import Personas, credit_code
from zhifa.inspections.models import Entity, Inspection
from zhifa.registry import services as registry
from zhifa.registry.models import Agency, PowerItem

_serial = count(900)


def other_agency(p: Personas, name: str, *, level: str = "county") -> tuple[Agency, PowerItem]:
    """Another agency of the region with a published inspection item of its own."""
    n = next(_serial)
    agency = registry.agency_create(
        actor=p.admin,
        name=name,
        credit_code=credit_code(n, division="130302"),
        level=level,
        division_code="130302",
        kind=Agency.Kind.STATUTORY,
        domains=[p.domain],
        qualification_announced_on=date(2024, 3, 1),
    )
    item = registry.power_item_create(
        actor=p.admin,
        agency=agency,
        code=f"JC-{n}",
        name="监督检查",
        category=PowerItem.Category.INSPECTION,
        domain=p.domain,
        implementing_level=level,
        bases=[registry.Basis("中华人民共和国食品安全法", "第一百一十条")],
    )
    return agency, registry.power_item_publish(actor=p.admin, item=item, on=date(2026, 1, 5))


def insert(
    p: Personas,
    agency: Agency,
    item: PowerItem,
    entity: Entity,
    planned_on: date,
    *,
    state: str = Inspection.State.APPROVED,
    ground: str = "routine",
    **kw: Any,
) -> Inspection:
    """An inspection row of ``agency`` as the core would have left it."""
    case = Case.objects.create(
        agency=agency,
        kind=Case.Kind.INSPECTION,
        power_item=item,
        domain=item.domain,
        title=f"对{entity.name}的行政检查",
        state=Case.State.PLANNED,
        clue_on=planned_on,
        created_by=p.admin,
    )
    if ground == "clue":
        kw.setdefault("ground_reference", "12345-0001")
    return Inspection.objects.create(
        case=case,
        agency=agency,
        entity=entity,
        power_item=item,
        domain=item.domain,
        ground=ground,
        planned_on=planned_on,
        year=planned_on.year,
        state=state,
        requested_at=datetime(planned_on.year, 1, 2, tzinfo=SH_TZ),
        **kw,
    )
