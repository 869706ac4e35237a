"""The world of the inspection-code tests: agency A's published inspection item, an entity of
the directory, and governed inspections of it opened as inspection cases.

Until the lead's core services land, an inspection is a case opened by ``case_open`` (kind
inspection, the entity as its organisation party) plus an ``Inspection`` row written here
directly, in the state the test needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from zhifa.cases import services as cs
from zhifa.cases.models import Case
from zhifa.cases.numbering import agency_short_name_set
from zhifa.cases.tests.conftest import entered_on
from zhifa.core.testing import Personas, credit_code
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
    """A governed inspection of the world's entity by agency A, opened on ``opened_on`` and in
    ``state`` (approved: decided by the head the same day, coded)."""
    p = w.p
    chosen = officers if officers is not None else (p.officer, p.officer2)
    staff = [a.officer for a in chosen]
    assert all(o is not None for o in staff)
    with entered_on(opened_on):
        case = cs.case_open(
            actor=p.officer,
            kind=Case.Kind.INSPECTION,
            power_code=ITEM_CODE,
            title=f"对{w.entity.name}的日常监督检查",
            on=opened_on,
            parties=[
                cs.PartyInput(
                    kind="organisation",
                    name=w.entity.name,
                    credit_code=w.entity.credit_code,
                    legal_representative=w.entity.legal_representative,
                    address=w.entity.address,
                )
            ],
            officers=[
                (o, "lead" if i == 0 else "assistant") for i, o in enumerate(staff) if o is not None
            ],
        )
    day = planned_on or opened_on
    at = datetime(opened_on.year, opened_on.month, opened_on.day, 9, tzinfo=SH)
    decided = state in (Inspection.State.APPROVED, Inspection.State.REFUSED)
    return Inspection.objects.create(
        case=case,
        agency=p.agency_a,
        entity=w.entity,
        power_item=w.item,
        domain=w.item.domain,
        ground=ground,
        ground_reference=ground_reference,
        planned_on=day,
        year=day.year,
        state=state,
        requested_at=at,
        decided_at=at.replace(hour=11) if decided else None,
        decided_by=p.head if decided else None,
        decision_note="同意检查" if state == Inspection.State.APPROVED else "",
        emergency_reason="群众举报现场正在销售过期食品，需立即核查"
        if state == Inspection.State.EMERGENCY
        else "",
        coded=state == Inspection.State.APPROVED,
    )
