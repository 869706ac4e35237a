"""The party's history: earlier similar violations, across agencies, within the look-back."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.cases.history import case_history, prior_violations
from zhifa.cases.models import Case, Party
from zhifa.core.testing import credit_code
from zhifa.law import history
from zhifa.registry import services as registry
from zhifa.registry.models import Agency, PowerItem

from .conftest import COMPANY, PENALTY_CODE, World

pytestmark = pytest.mark.django_db

CODE = COMPANY.credit_code
KEY = ("credit_code", CODE)
UNTIL = date(2026, 3, 2)


def _item_of(world: World, agency: Agency) -> PowerItem:
    if agency == world.p.agency_a:
        return world.penalty_item
    item = registry.power_item_create(
        actor=world.p.admin,
        agency=agency,
        code=PENALTY_CODE,
        name="对经营超过保质期食品的行政处罚",
        category="penalty",
        domain=world.p.domain,
        implementing_level="county",
        bases=[registry.Basis("中华人民共和国食品安全法", "第一百二十四条")],
    )
    return registry.power_item_publish(actor=world.p.admin, item=item, on=date(2024, 1, 2))


def _earlier(
    world: World,
    decided_on: date,
    *,
    agency: Agency | None = None,
    ground: str = "",
    code: str = CODE,
    number: str = "示范市监罚〔2025〕7号",
) -> Case:
    agency = agency or world.p.agency_a
    case = Case.objects.create(
        agency=agency,
        kind=Case.Kind.PENALTY_GENERAL,
        power_item=_item_of(world, agency),
        domain=world.p.domain,
        title="经营超过保质期的食品（另案）",
        summary="另一机关的案卷内容，不得外泄",
        number=f"案{decided_on:%Y%m%d}{agency.pk}",
        state=Case.State.CLOSED,
        clue_on=decided_on,
        decided_on=decided_on,
        decision_number=number,
        end_ground=ground,
        created_by=world.p.admin,
    )
    Party.objects.create(
        case=case,
        kind="organisation",
        name=COMPANY.name,
        credit_code=code,
        legal_representative="陈某",
        added_on=decided_on,
    )
    return case


def _check(world: World, key: str = history.FIRST_VIOLATION) -> tuple[str, ...]:
    found = prior_violations(
        identifier=KEY,
        item_code=PENALTY_CODE,
        until=UNTIL,
        key=key,
        asking_agency_id=world.p.agency_a.pk,
    ).found
    return tuple(f.number for f in found)


def test_two_years_look_back_at_its_boundary(world: World) -> None:
    # 2024-03-02 is exactly two years before 2026-03-02: inside; the day before: outside.
    _earlier(world, date(2024, 3, 1), number="两年零一天前")
    assert _check(world) == ()
    _earlier(world, date(2024, 3, 2), number="恰好两年前")
    assert _check(world) == ("恰好两年前",)


def test_one_year_repeat_counts_penalties_only(world: World) -> None:
    _earlier(world, date(2025, 3, 1), number="一年零一天前")
    _earlier(world, date(2025, 6, 1), number="首违不罚", ground="first_violation")
    assert _check(world, history.REPEAT) == ()
    _earlier(world, date(2025, 3, 2), number="恰好一年前")
    assert _check(world, history.REPEAT) == ("恰好一年前",)
    # The 首违 check counts the 不予处罚 that found the violation, not one without fault.
    _earlier(world, date(2025, 7, 1), number="无主观过错", ground="no_fault")
    assert _check(world) == ("首违不罚", "恰好一年前", "一年零一天前")


def test_another_agencys_case_is_found_without_its_file(world: World) -> None:
    _earlier(world, date(2025, 9, 1), agency=world.p.agency_b, number="示范市乙环罚〔2025〕3号")
    check = prior_violations(
        identifier=KEY,
        item_code=PENALTY_CODE,
        until=UNTIL,
        key=history.FIRST_VIOLATION,
        asking_agency_id=world.p.agency_a.pk,
    )
    (found,) = check.found
    assert found.agency_name == world.p.agency_b.name
    assert found.number == "示范市乙环罚〔2025〕3号"
    assert found.case_id is None  # no way into agency B's file
    assert "不得外泄" not in repr(found)
    assert check.summary == (
        f"2年内有同类违法记录：{world.p.agency_b.name} 示范市乙环罚〔2025〕3号（2025年9月1日）"
    )


def test_other_parties_and_other_items_do_not_count(world: World) -> None:
    _earlier(world, date(2025, 9, 1), code=credit_code(777, prefix="91"))
    other = world.inspection_item
    case = _earlier(world, date(2025, 9, 2))
    Case.objects.filter(pk=case.pk).update(power_item=other)
    assert _check(world) == ()


def test_the_case_itself_is_not_its_own_history(world: World) -> None:
    case = world.clue(party=COMPANY)
    _earlier(world, date(2025, 1, 5), number="去年")
    (check,) = case_history(case, history.FIRST_VIOLATION)
    assert check.until == case.act_ended_on
    assert [f.number for f in check.found] == ["去年"]
    assert check.found[0].case_id is not None  # the agency's own earlier case opens


def test_a_deployment_sets_another_window(world: World, settings: object) -> None:
    settings.ZHIFA_HISTORY_LOOKBACK = {  # type: ignore[attr-defined]
        "first_violation": {"years": 3, "source": "某省首违不罚实施办法第五条"}
    }
    _earlier(world, date(2023, 3, 2), number="三年前")
    (check,) = [
        prior_violations(
            identifier=KEY, item_code=PENALTY_CODE, until=UNTIL, key=history.FIRST_VIOLATION
        )
    ]
    assert [f.number for f in check.found] == ["三年前"]
    assert check.lookback.text == "3年（依据：某省首违不罚实施办法第五条）"


def test_leap_day_window() -> None:
    window = history.DEFAULTS[history.FIRST_VIOLATION]
    assert window.since(date(2028, 2, 29)) == date(2026, 2, 28)
