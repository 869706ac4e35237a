"""Fixtures of the inspections tests: a published 行政检查 item of agency A (示范市甲区市场监督
管理局, qualification announced 2024-03-01), entities of the directory, and the request helper."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from zhifa.cases.models import CaseOfficer
from zhifa.cases.tests.conftest import entered_on
from zhifa.core.testing import Personas, credit_code
from zhifa.inspections.models import Entity, Inspection
from zhifa.registry import services as registry
from zhifa.registry.models import PowerItem

ITEM_CODE = "JC-001"  # 食品经营监督检查
ITEM_PUBLISHED_ON = date(2026, 1, 5)


@pytest.fixture
def inspection_item(personas: Personas) -> PowerItem:
    item = registry.power_item_create(
        actor=personas.admin,
        agency=personas.agency_a,
        code=ITEM_CODE,
        name="食品经营监督检查",
        category=PowerItem.Category.INSPECTION,
        domain=personas.domain,
        implementing_level="county",
        bases=[registry.Basis("中华人民共和国食品安全法", "第一百一十条")],
    )
    return registry.power_item_publish(actor=personas.admin, item=item, on=ITEM_PUBLISHED_ON)


def make_entity(serial: int, **kw: Any) -> Entity:
    """An entity of the directory, registered by the system administrator."""
    from zhifa.inspections.services_directory import entity_create
    from zhifa.registry.models import Account

    fields: dict[str, Any] = {
        "credit_code": credit_code(serial, prefix="91"),
        "name": f"示范市甲区某某食品有限公司{serial}",
        "legal_representative": "向东",
        "address": "示范市甲区工业路9号",
        "division_code": "130302",
        "industry": "食品销售",
        "risk_class": "B",
    }
    fields.update(kw)
    admin = Account.objects.get(username="admin")
    return entity_create(actor=admin, **fields)


@pytest.fixture
def entity(personas: Personas) -> Entity:
    return make_entity(801)


def request(
    p: Personas, entity: Entity, on: date, planned_on: date | None = None, **kw: Any
) -> Inspection:
    """Agency A's officers ask to inspect ``entity`` (a 日常检查 by default)."""
    from zhifa.inspections import services

    assert p.officer.officer is not None and p.officer2.officer is not None
    kw.setdefault("ground", "routine")
    kw.setdefault(
        "officers",
        [
            (p.officer.officer, CaseOfficer.Role.LEAD),
            (p.officer2.officer, CaseOfficer.Role.ASSISTANT),
        ],
    )
    with entered_on(on):
        return services.inspection_request(
            actor=p.officer,
            entity=entity,
            power_code=ITEM_CODE,
            planned_on=planned_on or on,
            on=on,
            **kw,
        )


def approve(p: Personas, row: Inspection, on: date) -> Inspection:
    from zhifa.inspections import services

    with entered_on(on):
        return services.inspection_approve(actor=p.head, inspection=row, on=on, note="同意")


# Noon of the request day in Beijing, for page tests (a request may not be dated after today).
SH_NOON = "2026-03-10T12:00:00+08:00"
