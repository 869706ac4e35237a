"""Helpers of the directory part's tests: inspections of several agencies made directly (the
core's request is tested in its own module), an agency and an officer of another city."""

from __future__ import annotations

from datetime import date, datetime

from zhifa.cases.models import Case
from zhifa.core.testing import Personas, credit_code
from zhifa.inspections.models import Entity, Inspection
from zhifa.registry import services as registry
from zhifa.registry.models import Account, Agency, PowerItem


def item_of(p: Personas, agency: Agency, code: str, name: str) -> PowerItem:
    found = PowerItem.objects.filter(agency=agency, code=code).first()
    if found is not None:
        return found
    domain = agency.domains.first() or p.domain
    item = registry.power_item_create(
        actor=p.admin,
        agency=agency,
        code=code,
        name=name,
        category=PowerItem.Category.INSPECTION,
        domain=domain,
        implementing_level="county",
        bases=[registry.Basis("中华人民共和国食品安全法", "第一百一十条")],
    )
    return registry.power_item_publish(actor=p.admin, item=item, on=date(2026, 1, 5))


def inspection_of(
    p: Personas,
    agency: Agency,
    entity: Entity,
    planned_on: date,
    *,
    state: str = Inspection.State.APPROVED,
    ground: str = "routine",
    code: str = "JC-900",
    name: str = "日常监督检查",
) -> Inspection:
    """An inspection of ``entity`` by ``agency`` planned on ``planned_on``, with its case."""
    item = item_of(p, agency, code, name)
    case = Case.objects.create(
        agency=agency,
        kind=Case.Kind.INSPECTION,
        power_item=item,
        domain=item.domain,
        title=f"{name}：{entity.name}",
        state=Case.State.PLANNED,
        clue_on=planned_on,
        created_by=p.admin,
    )
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
        requested_at=datetime(planned_on.year, 1, 2, 9, 0).astimezone(),
    )


def other_city(p: Personas) -> tuple[Agency, Account]:
    """An agency of 示范市's neighbour (division 130402) and its officer's login."""
    agency = registry.agency_create(
        actor=p.admin,
        name="邻市甲区市场监督管理局",
        credit_code=credit_code(77, division="130402"),
        level=Agency.Level.COUNTY,
        division_code="130402",
        kind=Agency.Kind.STATUTORY,
        domains=[p.domain],
        qualification_announced_on=date(2024, 3, 1),
    )
    account = registry.account_create(
        actor=p.admin,
        username="neighbour",
        password="zhifa-test-pass",
        role=Account.Role.OFFICER,
        agency=agency,
    )
    return agency, account
