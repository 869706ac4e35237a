"""The world of the inspection-code tests: agency A's published inspection item, an entity of
the directory, and governed inspections of it opened as inspection cases.

An inspection is requested through the core services (``inspections.services``) and brought
to the state the test needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from zhifa.cases.models import CaseOfficer
from zhifa.cases.numbering import agency_short_name_set
from zhifa.cases.tests.conftest import entered_on
from zhifa.core.testing import Personas, credit_code
from zhifa.inspections import services as inspections
from zhifa.inspections.models import Entity, Ground, Inspection
from zhifa.registry import services as registry
from zhifa.registry.models import Account, PowerItem

SH = ZoneInfo("Asia/Shanghai")
ITEM_CODE = "JC-101"


@dataclass
class CodesWorld:
    p: Personas
    item: PowerItem
    entity: Entity


def codes_world_build(personas: Personas) -> CodesWorld:
    agency_short_name_set(actor=personas.admin, agency=personas.agency_a, short_name="示范市监")
    item = registry.power_item_create(
        actor=personas.admin,
        agency=personas.agency_a,
        code=ITEM_CODE,
        name="对食品经营者的监督检查",
        category=PowerItem.Category.INSPECTION,
        domain=personas.domain,
        implementing_level="county",
        bases=[registry.Basis("中华人民共和国食品安全法", "第一百一十条")],
    )
    registry.power_item_publish(actor=personas.admin, item=item, on=date(2025, 12, 1))
    entity = Entity.objects.create(
        credit_code=credit_code(801, prefix="91"),
        name="示范市甲区某某食品有限公司",
        legal_representative="陈某",
        address="示范市甲区工业路8号",
        division_code="130302",
        industry="食品销售",
        risk_class="B",
    )
    return CodesWorld(personas, item, entity)


def evidence_in(settings: Any, tmp_path: Path) -> Path:
    """Evidence (the generated documents) kept in the test's own folder."""
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return Path(settings.EVIDENCE_DIR)


def inspection_make(
    w: CodesWorld,
    *,
    opened_on: date,
    planned_on: date | None = None,
    state: str = Inspection.State.APPROVED,
    officers: Sequence[Account] | None = None,
    ground: str = Ground.ROUTINE,
    ground_reference: str = "",
) -> Inspection:
    """A governed inspection of the world's entity by agency A, requested on ``opened_on``
    through the core services and brought to ``state`` the same day: approved by the head
    (coded), refused, or started as an emergency (no code issued)."""
    p = w.p
    chosen = officers if officers is not None else (p.officer, p.officer2)
    staff = [a.officer for a in chosen]
    with entered_on(opened_on):
        row = inspections.inspection_request(
            actor=p.officer,
            entity=w.entity,
            power_code=ITEM_CODE,
            ground=ground,
            ground_reference=ground_reference,
            planned_on=planned_on or opened_on,
            on=opened_on,
            officers=[
                (o, CaseOfficer.Role.LEAD if i == 0 else CaseOfficer.Role.ASSISTANT)
                for i, o in enumerate(staff)
                if o is not None
            ],
        )
        if state == Inspection.State.APPROVED:
            row = inspections.inspection_approve(
                actor=p.head, inspection=row, on=opened_on, note="同意检查"
            )
        elif state == Inspection.State.REFUSED:
            row = inspections.inspection_refuse(
                actor=p.head, inspection=row, on=opened_on, note="该企业本年度已接受同类检查"
            )
        elif state == Inspection.State.EMERGENCY:
            row = inspections.inspection_emergency_start(
                actor=p.officer,
                inspection=row,
                on=opened_on,
                reason="群众举报现场正在销售过期食品，需立即核查",
            )
    return row
