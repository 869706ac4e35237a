"""The core of 涉企行政检查: who may inspect what on which day, the head's prior approval, the
emergency path, and the gate on the case's 现场检查."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.cases import services as cs
from zhifa.cases.models import Case, CaseOfficer
from zhifa.cases.tests.conftest import entered_on
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.inspections import services
from zhifa.inspections.models import Conflict, Entity, Inspection
from zhifa.inspections.selectors import inspections_replay_check
from zhifa.record.models import Entry
from zhifa.record.verification import case_groups
from zhifa.registry import services as registry
from zhifa.registry.models import PowerItem

from .conftest import ITEM_CODE, ITEM_PUBLISHED_ON, approve, make_entity, request

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 10)


def test_request_opens_the_inspection_case_with_the_entity_as_party(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    row = request(personas, entity, DAY, date(2026, 3, 12))
    assert row.state == Inspection.State.REQUESTED
    assert row.case.kind == Case.Kind.INSPECTION and row.case.state == Case.State.PLANNED
    party = row.case.parties.get()
    assert party.credit_code == entity.credit_code and party.name == entity.name
    entry = Entry.objects.filter(case_id=row.case_id, action="inspection.request").get()
    assert entry.data["inspection"]["credit_code"] == entity.credit_code
    assert entry.data["inspection"]["state"] == "requested"


def test_item_gate_on_the_day_of_publication_and_the_day_before(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    from zhifa.inspections import eligibility

    versions = services.item_versions(personas.agency_a, ITEM_CODE)
    assert not eligibility.item_in_force(versions, date(2026, 1, 4))  # the day before
    assert eligibility.item_in_force(versions, ITEM_PUBLISHED_ON)  # the day of publication
    with pytest.raises(RuleViolation) as refused:
        eligibility.item_published(
            agency_name="甲区", code=ITEM_CODE, versions=versions, on=date(2026, 1, 4)
        )
    assert "不得实施" in str(refused.value) and "国办发〔2024〕54号（三）" in str(refused.value)
    # Requested and planned on the day of publication: allowed.
    row = request(personas, entity, ITEM_PUBLISHED_ON)
    assert row.planned_on == ITEM_PUBLISHED_ON


def test_item_repealed_is_refused_from_the_day_of_repeal(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    registry.power_item_repeal(
        actor=personas.admin, item=inspection_item, reason="依据废止", on=date(2026, 3, 1)
    )
    versions = services.item_versions(personas.agency_a, ITEM_CODE)
    from zhifa.inspections import eligibility

    assert eligibility.item_in_force(versions, date(2026, 2, 28))
    assert not eligibility.item_in_force(versions, date(2026, 3, 1))
    with pytest.raises(RuleViolation) as refused:
        request(personas, entity, DAY)
    assert "国办发〔2024〕54号（三）" in str(refused.value)


def test_fewer_than_two_officers_are_refused(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    assert personas.officer.officer is not None
    with pytest.raises(RuleViolation) as refused:
        request(personas, entity, DAY, officers=[(personas.officer.officer, CaseOfficer.Role.LEAD)])
    assert "两名以上" in str(refused.value) and "第四十二条" in str(refused.value)
    assert not Inspection.objects.exists()


def test_body_not_announced_is_refused(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    agency = personas.agency_a
    agency.qualification_announced_on = None
    agency.save(update_fields=["qualification_announced_on"])
    with pytest.raises(RuleViolation) as refused:
        request(personas, entity, DAY)
    assert "国办发〔2024〕54号（二）" in str(refused.value)


def test_recusal_refuses_an_officer_with_a_conflict_until_it_ends(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    assert personas.officer2.officer is not None
    Conflict.objects.create(
        officer=personas.officer2.officer,
        entity=entity,
        reason="近亲属任该企业股东",
        declared_on=date(2026, 2, 1),
        ended_on=date(2026, 3, 11),
        recorded_by=personas.head,
    )
    with pytest.raises(RuleViolation) as refused:
        request(personas, entity, DAY)
    assert "李执法" in str(refused.value) and "回避" in str(refused.value)
    assert "第四十三条" in str(refused.value)
    # The day the conflict ended, the officer may inspect again.
    request(personas, entity, DAY, planned_on=date(2026, 3, 11))


def test_clue_needs_its_reference(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    with pytest.raises(RuleViolation) as refused:
        request(personas, entity, DAY, ground="clue")
    assert refused.value.field == "ground_reference"
    row = request(personas, entity, DAY, ground="clue", ground_reference="12345-20260309-0017")
    assert row.ground_reference == "12345-20260309-0017"


def test_site_inspection_waits_for_the_heads_approval(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    row = request(personas, entity, DAY)
    officers = [personas.officer.officer, personas.officer2.officer]
    with entered_on(DAY), pytest.raises(RuleViolation) as refused:
        cs.case_inspect(
            actor=personas.officer, case=row.case, on=DAY, officers=officers, summary="检查"
        )
    assert "负责人批准" in str(refused.value)
    # an officer cannot approve
    with entered_on(DAY), pytest.raises(RuleViolation):
        services.inspection_approve(actor=personas.officer, inspection=row, on=DAY)
    row = approve(personas, row, DAY)
    assert row.state == Inspection.State.APPROVED and row.coded
    with entered_on(DAY):
        cs.case_inspect(
            actor=personas.officer, case=row.case, on=DAY, officers=officers, summary="检查"
        )
    row.case.refresh_from_db()
    assert row.case.state == Case.State.INSPECTED


def test_refusal_closes_the_case_without_a_visit(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    row = request(personas, entity, DAY)
    with entered_on(DAY):
        with pytest.raises(RuleViolation):
            services.inspection_refuse(actor=personas.head, inspection=row, on=DAY, note=" ")
        row = services.inspection_refuse(
            actor=personas.head, inspection=row, on=DAY, note="已纳入联合检查，无需单独检查"
        )
    row.case.refresh_from_db()
    assert row.state == Inspection.State.REFUSED and row.case.state == Case.State.CLOSED


def test_emergency_inspection_is_approved_afterwards_within_three_working_days(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    # 2026-03-13 is a Friday: three working days later is Wednesday 2026-03-18.
    row = request(
        personas, entity, date(2026, 3, 13), emergency_reason="群众举报现场存在食品安全隐患"
    )
    assert row.state == Inspection.State.EMERGENCY and not row.coded
    assert row.approval_due_on == date(2026, 3, 18)
    officers = [personas.officer.officer, personas.officer2.officer]
    with entered_on(date(2026, 3, 13)):
        cs.case_inspect(
            actor=personas.officer,
            case=row.case,
            on=date(2026, 3, 13),
            officers=officers,
            summary="检查",
        )
    row = approve(personas, row, date(2026, 3, 16))
    assert row.state == Inspection.State.APPROVED and not row.coded


def test_directory_enterprise_inspection_case_opened_outside_the_app_cannot_be_inspected(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    with entered_on(DAY):
        case = cs.case_open(
            actor=personas.officer,
            kind=Case.Kind.INSPECTION,
            power_code=ITEM_CODE,
            title="检查",
            on=DAY,
            parties=[
                cs.PartyInput(kind="organisation", name=entity.name, credit_code=entity.credit_code)
            ],
        )
        with pytest.raises(RuleViolation) as refused:
            cs.case_inspect(
                actor=personas.officer,
                case=case,
                on=DAY,
                officers=[personas.officer.officer, personas.officer2.officer],
                summary="检查",
            )
    assert "国办发〔2024〕54号（五）" in str(refused.value)


def test_verify_replays_the_inspection_rows(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    row = approve(personas, request(personas, make_entity(802), DAY), DAY)
    assert list(inspections_replay_check(case_groups())) == []
    Inspection.objects.filter(pk=row.pk).update(ground="special")
    problems = list(inspections_replay_check(case_groups()))
    assert [p.kind for p in problems] == ["inspection_replay_mismatch"]
