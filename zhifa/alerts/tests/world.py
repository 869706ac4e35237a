"""Rows for the warning tests, written directly: the rules read data, however it came."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from zhifa.cases.models import Case, CaseStep, Party
from zhifa.core.testing import Personas, credit_code, id_number
from zhifa.publicity.models import Publication
from zhifa.registry.models import Agency, PowerItem

_n = count(1)


def power_item(agency: Agency, personas: Personas, *, category: str = "penalty") -> PowerItem:
    n = next(_n)
    return PowerItem.objects.create(
        agency=agency,
        code=f"T{n:05d}",
        name=f"测试事项{n}",
        category=category,
        domain=personas.domain,
        implementing_level=agency.level,
        status=PowerItem.Status.PUBLISHED,
        published_on=date(2025, 1, 1),
    )


def case(personas: Personas, agency: Agency | None = None, **fields: Any) -> Case:
    agency = agency or personas.agency_a
    n = next(_n)
    item = PowerItem.objects.filter(agency=agency).first() or power_item(agency, personas)
    values: dict[str, Any] = {
        "agency": agency,
        "kind": Case.Kind.PENALTY_GENERAL,
        "power_item": item,
        "domain": personas.domain,
        "title": "销售过期食品",
        "number": f"测罚〔2026〕{n}号",
        "state": Case.State.INVESTIGATING,
        "clue_on": date(2026, 1, 5),
        "created_by": personas.officer,
    }
    values.update(fields)
    return Case.objects.create(**values)


def step(case_: Case, on: date, *officers: Any) -> CaseStep:
    row = CaseStep.objects.create(
        case=case_, kind=CaseStep.Kind.INTERVIEW_RECORD, on=on, created_by=case_.created_by
    )
    row.officers.set(officers)
    return row


def publication(case_: Case, *, due_on: date, published_on: date | None) -> Publication:
    S = Publication.State
    return Publication.objects.create(
        agency=case_.agency,
        case=case_,
        kind=Publication.Kind.PENALTY,
        domain=case_.domain,
        decided_on=case_.decided_on or date(2026, 5, 1),
        decision_number=case_.number,
        state=S.DRAFT if published_on is None else S.PUBLISHED,
        due_workdays=7,
        due_on=due_on,
        calendar_version="test",
        original_text="……",
        published_on=published_on,
        on_time=None if published_on is None else published_on <= due_on,
        created_at="2026-05-01T10:00:00+08:00",
    )


def party(case_: Case, *, organisation: bool = True, serial: int = 7) -> Party:
    if organisation:
        return Party.objects.create(
            case=case_,
            kind=Party.Kind.ORGANISATION,
            name="某某食品有限公司",
            credit_code=credit_code(serial, prefix="91"),
            legal_representative="某",
            added_on=date(2026, 1, 5),
        )
    return Party.objects.create(
        case=case_,
        kind=Party.Kind.NATURAL_PERSON,
        name="张三",
        id_number=id_number(serial),
        added_on=date(2026, 1, 5),
    )


def fined(personas: Personas, agency: Agency, decided_on: date, **fields: Any) -> Case:
    return case(
        personas,
        agency,
        state=Case.State.DECIDED,
        decided_on=decided_on,
        fine=Decimal(5000),
        penalty_kinds=["fine"],
        **fields,
    )
