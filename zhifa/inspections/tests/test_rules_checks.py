"""The rules' approval check through the core's services: quiet periods refuse without an
exception ground and with a late 报备; caps refuse at n+1 or take an override; warnings reach
the head as notices in the record; every refusal names its source."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.inspections import services_rules
from zhifa.inspections.models import Entity, Inspection
from zhifa.record.models import Entry
from zhifa.registry.models import PowerItem

from .conftest import approve, make_entity, request
from .rules_world import insert, other_agency

pytestmark = pytest.mark.django_db

JIAOKOU = "交口县双池镇《“企业安静期”制度（试行）》第三条"
SHANGQIU = "商丘市“企业宁静日”制度（2023年7月）"
CAP_SOURCE = "某市卫生健康委员会涉企行政检查频次上限（2025-08-07）"
ON = date(2026, 9, 1)


def quiet(p: Personas, **kw: object) -> None:
    args: dict[str, object] = dict(
        actor=p.admin,
        name="示范市企业安静期",
        region_code="130300",
        days=[[1, 20]],
        source=JIAOKOU,
        valid_from=date(2026, 1, 1),
        exception_grounds=["upper", "hazard", "complaint", "statutory", "tax", "other"],
    )
    args.update(kw)
    services_rules.quiet_period_create(**args)  # type: ignore[arg-type]


def notices(row: Inspection, action: str) -> list[dict[str, str]]:
    entry = Entry.objects.filter(case_id=row.case_id, action=action).latest("seq")
    return list(entry.data.get("notices", []))


def test_quiet_day_refused_without_exception_allowed_with_one(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    quiet(personas)
    with pytest.raises(RuleViolation) as exc:
        request(personas, entity, ON, date(2026, 9, 20))  # the last quiet day
    assert JIAOKOU in str(exc.value) and "安静期" in str(exc.value)
    assert not Inspection.objects.exists()
    row = request(personas, entity, ON, date(2026, 9, 20), quiet_exception="hazard")
    approve(personas, row, ON)
    assert any("例外情形" in n["message"] for n in notices(row, "inspection.approve"))
    # The day after the quiet days needs nothing.
    request(personas, entity, ON, date(2026, 9, 21))


def test_filing_three_days_before_is_in_time_two_days_before_is_refused(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    quiet(personas, name="宁静日", source=SHANGQIU, filing_lead_days=3, filing_to="营商办")
    planned = date(2026, 9, 25)
    late = request(personas, entity, ON, planned, filed_on=date(2026, 9, 23))
    assert any("报备" in n["message"] for n in notices(late, "inspection.request"))
    with pytest.raises(RuleViolation) as exc:
        approve(personas, late, ON)
    assert SHANGQIU in str(exc.value) and "入企行政执法报备表" in str(exc.value)
    in_time = request(personas, entity, ON, planned, filed_on=date(2026, 9, 22))
    assert approve(personas, in_time, ON).state == Inspection.State.APPROVED


def test_an_emergency_outside_the_quiet_days_needs_no_filing_ahead(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    quiet(personas, name="宁静日", source=SHANGQIU, filing_lead_days=3)
    day = date(2026, 9, 25)
    row = request(personas, entity, day, emergency_reason="群众举报有毒有害物质泄漏")
    assert row.state == Inspection.State.EMERGENCY
    # On a quiet day an emergency still names its exception ground.
    with pytest.raises(RuleViolation):
        request(personas, entity, date(2026, 9, 10), emergency_reason="泄漏")
    row = request(
        personas, entity, date(2026, 9, 10), emergency_reason="泄漏", quiet_exception="hazard"
    )
    assert row.state == Inspection.State.EMERGENCY


def cap(p: Personas, **kw: object) -> None:
    args: dict[str, object] = dict(
        actor=p.admin,
        name="县级年度上限",
        limit=2,
        source=CAP_SOURCE,
        counted_grounds=["routine", "random", "special"],
        domain=p.domain,
        level="county",
    )
    args.update(kw)
    services_rules.cap_create(**args)  # type: ignore[arg-type]


def test_cap_n_minus_1_and_n_approved_n_plus_1_refused_naming_the_source(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    cap(personas)
    first = approve(personas, request(personas, entity, ON, date(2026, 9, 22)), ON)
    assert any("本年度第1次，上限2次" in n["message"] for n in notices(first, "inspection.approve"))
    second = approve(personas, request(personas, entity, ON, date(2026, 12, 22)), ON)
    assert any(
        "本年度第2次，上限2次" in n["message"] for n in notices(second, "inspection.approve")
    )
    with pytest.raises(RuleViolation) as exc:
        request(personas, entity, ON, date(2026, 12, 23))
    assert CAP_SOURCE in str(exc.value) and "上限2次" in str(exc.value)
    # A 个案线索 inspection does not count toward this cap: allowed.
    clue = request(
        personas, entity, ON, date(2026, 12, 23), ground="clue", ground_reference="12345-2026-0099"
    )
    assert approve(personas, clue, ON).state == Inspection.State.APPROVED
    # Next year the count starts again.
    request(personas, entity, ON, date(2027, 1, 4))


def test_cap_where_every_ground_counts_refuses_the_case_inspection_too(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    cap(personas, counted_grounds=["routine", "random", "special", "clue", "upper", "request"])
    insert(personas, personas.agency_a, inspection_item, entity, date(2026, 9, 2))
    insert(personas, personas.agency_a, inspection_item, entity, date(2026, 9, 3))
    with pytest.raises(RuleViolation):
        request(
            personas,
            entity,
            ON,
            date(2026, 12, 23),
            ground="clue",
            ground_reference="12345-2026-0100",
        )


def test_cap_override_with_reason_where_the_cap_allows_it(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    cap(personas, limit=1, override_allowed=True)
    insert(personas, personas.agency_a, inspection_item, entity, date(2026, 9, 2))
    with pytest.raises(RuleViolation) as exc:
        request(personas, entity, ON, date(2026, 12, 23))
    assert "须说明理由并经负责人批准" in str(exc.value)
    row = request(personas, entity, ON, date(2026, 12, 23), cap_override_reason="整改复查")
    approve(personas, row, ON)
    assert any("整改复查" in n["message"] for n in notices(row, "inspection.approve"))


def test_warnings_at_their_edges_reach_the_head(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    insert(personas, personas.agency_a, inspection_item, entity, date(2026, 7, 27))  # day 60
    row = request(personas, entity, ON, date(2026, 9, 25))
    rules = {n["rule"] for n in notices(row, "inspection.request")}
    assert "同一部门短期内重复检查同一企业" in rules
    other = make_entity(802)
    insert(personas, personas.agency_a, inspection_item, other, date(2026, 7, 26))  # day 61
    row = request(personas, other, ON, date(2026, 9, 25))
    assert notices(row, "inspection.request") == []


def test_three_agencies_within_30_days_warn_day_31_not(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    b, item_b = other_agency(personas, "示范市甲区卫生健康局")
    c, item_c = other_agency(personas, "示范市甲区应急管理局")
    insert(personas, b, item_b, entity, date(2026, 9, 15))
    insert(personas, c, item_c, entity, date(2026, 9, 14))  # day 31 before 10-15
    row = request(personas, entity, ON, date(2026, 10, 15))
    assert notices(row, "inspection.request") == []
    row2 = request(personas, entity, ON, date(2026, 10, 14))  # day 30 after 9-14
    messages = [n["message"] for n in notices(row2, "inspection.request")]
    assert any("综合查一次" in m for m in messages)


def test_uncoded_inspections_of_the_agency_warn(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    from zhifa.inspections.models import Visit

    assert personas.officer.officer is not None
    for day in (date(2026, 3, 2), date(2026, 4, 2)):
        row = insert(personas, personas.agency_a, inspection_item, entity, day)
        Visit.objects.create(
            inspection=row,
            officer=personas.officer.officer,
            kind="arrival",
            at=row.requested_at,
            scanned=False,
            late_reason="系统故障",
        )
    from zhifa.alerts.services import warnings_refresh

    other = make_entity(803)
    row = request(personas, other, ON, date(2026, 9, 25))
    assert notices(row, "inspection.request") == []  # not counted until the daily run
    warnings_refresh(today=ON)
    row = request(personas, other, ON, date(2026, 9, 25))
    assert any("未扫码" in n["message"] for n in notices(row, "inspection.request"))


def test_the_notice_line_shows_this_years_count_and_the_cap_with_its_source(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    from zhifa.inspections.selectors_codes import count_and_cap

    cap(personas)
    row = approve(personas, request(personas, entity, ON, date(2026, 9, 22)), ON)
    line = count_and_cap(row).line
    assert "第1次" in line and "年度检查频次上限为2次" in line and CAP_SOURCE in line
    clue = request(
        personas, entity, ON, date(2026, 9, 23), ground="clue", ground_reference="12345-2026-0101"
    )
    assert "尚未公布年度检查频次上限" in count_and_cap(clue).line  # no cap counts a 个案 check
