"""综合查一次: merge proposals of planned inspections of one entity by several agencies within
the window (30 days by default), agreeing or declining a joint inspection, and the 联合检查率."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases.tests.conftest import entered_on
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas, credit_code
from zhifa.inspections import joint_matching
from zhifa.inspections import services_directory as svc
from zhifa.inspections.models import Entity, Inspection, JointInspection
from zhifa.inspections.selectors_directory import (
    entities_replay_check,
    joint_proposals,
    joint_rates,
)
from zhifa.record.models import Entry

from .directory_world import inspection_of

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 4)
FIRST = date(2026, 5, 11)


def _entity(serial: int = 701) -> Entity:
    return Entity.objects.create(
        credit_code=credit_code(serial, prefix="91"),
        name=f"示范市甲区联检食品有限公司{serial}",
        division_code="130302",
        risk_class="B",
    )


def _pair(p: Personas, gap: int, entity: Entity | None = None) -> tuple[Inspection, Inspection]:
    entity = entity or _entity()
    a = inspection_of(p, p.agency_a, entity, FIRST)
    b = inspection_of(
        p, p.agency_b, entity, FIRST + timedelta(days=gap), code="HB-1", name="排污检查"
    )
    return a, b


# -- the rule --


def _planned(i: int, agency: int, day: date, entity: int = 1) -> joint_matching.Planned:
    return joint_matching.Planned(id=i, entity_id=entity, agency_id=agency, planned_on=day)


@pytest.mark.parametrize(("gap", "proposed"), [(29, True), (30, True), (31, False)])
def test_merge_window_edge(gap: int, proposed: bool) -> None:
    planned = [_planned(1, 10, FIRST), _planned(2, 20, FIRST + timedelta(days=gap))]
    proposals = joint_matching.merge_proposals(planned, 30)
    assert bool(proposals) is proposed


def test_one_agency_alone_is_no_proposal_and_other_entities_stay_apart() -> None:
    planned = [
        _planned(1, 10, FIRST),
        _planned(2, 10, FIRST + timedelta(days=3)),
        _planned(3, 20, FIRST, entity=2),
    ]
    assert joint_matching.merge_proposals(planned, 30) == []
    planned.append(_planned(4, 20, FIRST + timedelta(days=5)))
    (proposal,) = joint_matching.merge_proposals(planned, 30)
    assert [i.id for i in proposal.inspections] == [1, 2, 4]
    assert proposal.agency_ids == (10, 20)


def test_joint_rate_on_a_small_example() -> None:
    assert joint_matching.joint_rate(1, 3) == "33.3%"
    assert joint_matching.joint_rate(2, 2) == "100.0%"
    assert joint_matching.joint_rate(0, 0) == "—"


# -- selectors and services --


@pytest.mark.parametrize(("gap", "proposed"), [(30, True), (31, False)])
def test_proposals_of_the_region_at_the_window_edge(
    personas: Personas, gap: int, proposed: bool
) -> None:
    a, b = _pair(personas, gap)
    found = joint_proposals(personas.supervisor, TODAY)
    assert bool(found) is proposed
    if proposed:
        assert [i.pk for i in found[0].inspections] == [a.pk, b.pk]
        # Each agency's staff see the proposals their agency takes part in.
        assert joint_proposals(personas.officer, TODAY)
        assert joint_proposals(personas.officer_b, TODAY)


def test_the_window_is_a_setting(personas: Personas, settings: Any) -> None:
    _pair(personas, 31)
    assert joint_proposals(personas.supervisor, TODAY) == []
    settings.ZHIFA_INSPECTION_JOINT_WINDOW_DAYS = 45
    assert len(joint_proposals(personas.supervisor, TODAY)) == 1


def test_refused_visited_or_past_inspections_are_not_proposed(personas: Personas) -> None:
    _, b = _pair(personas, 5)
    Inspection.objects.filter(pk=b.pk).update(state=Inspection.State.REFUSED)
    assert joint_proposals(personas.supervisor, TODAY) == []
    Inspection.objects.filter(pk=b.pk).update(state=Inspection.State.REQUESTED)
    assert joint_proposals(personas.supervisor, TODAY)
    assert joint_proposals(personas.supervisor, FIRST + timedelta(days=1)) == []


def test_agreeing_makes_one_visit_one_checklist_documents_once(personas: Personas) -> None:
    a, b = _pair(personas, 10)
    visit = FIRST + timedelta(days=3)
    joint = svc.joint_inspection_agree(
        actor=personas.head,
        inspections=[a, b],
        visit_on=visit,
        lead_agency=personas.agency_a,
        documents_requested=["营业执照", "食品经营许可证", "营业执照", " "],
    )
    assert joint.state == JointInspection.State.AGREED
    assert [c["item"] for c in joint.checklist] == ["日常监督检查", "排污检查"]
    assert joint.documents_requested == ["营业执照", "食品经营许可证"]
    for row in (a, b):
        row.refresh_from_db()
        assert row.joint_id == joint.pk and row.planned_on == visit
        entry = Entry.objects.get(case_id=row.case_id, action="inspection.joint_agree")
        assert entry.data["inspection"]["joint_id"] == joint.pk
    assert Entry.objects.filter(action="inspections.joint.agree", case_id=None).count() == 1
    assert joint_proposals(personas.supervisor, TODAY) == []
    # The joint inspection replays (the entities here were made directly, not recorded).
    problems = [p.kind for p in entities_replay_check([]) if "_entity_" not in p.kind]
    assert problems == []
    with pytest.raises(RuleViolation):  # already merged
        svc.joint_inspection_agree(
            actor=personas.head, inspections=[a, b], visit_on=visit, lead_agency=personas.agency_a
        )


def test_merge_is_refused_for_another_entity_or_an_outsider(personas: Personas) -> None:
    a, _ = _pair(personas, 3)
    c = inspection_of(personas, personas.agency_b, _entity(702), FIRST, code="HB-1")
    with pytest.raises(RuleViolation) as refused:
        svc.joint_inspection_agree(
            actor=personas.head, inspections=[a, c], visit_on=FIRST, lead_agency=personas.agency_a
        )
    assert "同一检查对象" in str(refused.value)
    _, b = _pair(personas, 3, entity=_entity(703))
    with pytest.raises(RuleViolation):  # an officer decides nothing
        svc.joint_inspection_decline(actor=personas.officer, inspections=[a, b], reason="x")


def test_declining_needs_a_reason_and_ends_the_proposal(personas: Personas) -> None:
    a, b = _pair(personas, 3)
    with pytest.raises(RuleViolation):
        svc.joint_inspection_decline(actor=personas.supervisor, inspections=[a, b], reason=" ")
    joint = svc.joint_inspection_decline(
        actor=personas.supervisor, inspections=[a, b], reason="排污检查须在夜间实施"
    )
    assert joint.state == JointInspection.State.DECLINED
    assert joint_proposals(personas.supervisor, TODAY) == []
    assert Entry.objects.filter(case_id=a.case_id, action="inspection.joint_decline").exists()


def test_joint_rate_per_agency_and_region(personas: Personas) -> None:
    entity = _entity()
    a1, b1 = _pair(personas, 2, entity)
    inspection_of(personas, personas.agency_a, _entity(704), date(2026, 6, 1))
    inspection_of(
        personas, personas.agency_a, _entity(705), date(2026, 6, 2), state="refused"
    )  # not counted
    svc.joint_inspection_agree(
        actor=personas.supervisor,
        inspections=[a1, b1],
        visit_on=FIRST,
        lead_agency=personas.agency_a,
    )
    rows, region = joint_rates(personas.supervisor, 2026)
    rates = {r.agency.name if r.agency else "": (r.joint, r.total, r.rate) for r in rows}
    assert rates["示范市甲区市场监督管理局"] == (1, 2, "50.0%")
    assert rates["示范市乙区生态环境分局"] == (1, 1, "100.0%")
    assert (region.joint, region.total, region.rate) == (2, 3, "66.7%")
    client = Client()
    client.force_login(personas.supervisor)
    page = client.get(reverse("inspections_joint_rate"), {"year": 2026}).content.decode()
    assert "66.7%" in page and "50.0%" in page
    client.force_login(personas.officer)
    assert client.get(reverse("inspections_joint_rate")).status_code == 403


def test_head_agrees_from_the_proposals_page(personas: Personas) -> None:
    a, b = _pair(personas, 4)
    client = Client()
    client.force_login(personas.head)
    with entered_on(TODAY):
        page = client.get(reverse("inspections_joint_list")).content.decode()
        assert "示范市甲区联检食品有限公司701" in page
        response = client.post(
            reverse("inspections_joint_agree"),
            {
                "inspections": f"{a.pk}-{b.pk}",
                "visit_on": "2026-05-13",
                "lead_agency": personas.agency_a.pk,
                "documents": "营业执照\n排污许可证",
            },
        )
        assert response.status_code == 302
        joint = JointInspection.objects.get()
        page = client.get(reverse("inspections_joint_detail", args=[joint.pk])).content.decode()
        assert "排污许可证" in page and "2026-05-13" in page
        # Not a current proposal any more: not found.
        response = client.post(
            reverse("inspections_joint_decline"), {"inspections": f"{a.pk}-{b.pk}", "reason": "x"}
        )
        assert response.status_code == 404
