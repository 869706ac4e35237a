"""简易程序 (on-the-spot penalties) and 行政检查 (inspections)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.cases import services
from zhifa.cases.models import Case, CaseStep, Party
from zhifa.core.exceptions import RuleViolation

from .conftest import COMPANY, INSPECTION_CODE, PENALTY_CODE, PERSON, World, actions_of

pytestmark = pytest.mark.django_db

S = Case.State


def _on_the_spot(
    world: World, party: services.PartyInput, fine: Decimal, on: date = date(2026, 6, 10)
) -> Case:
    return services.case_simple_decide(
        actor=world.p.officer,
        power_code=PENALTY_CODE,
        title="占道经营",
        on=on,
        party=party,
        penalty_kind="fine",
        fine=fine,
        officers=[world.o1, world.o2],
        place="幸福路菜市场门前",
    )


@pytest.mark.parametrize(
    ("party", "allowed", "refused"),
    [(PERSON, Decimal(200), Decimal(201)), (COMPANY, Decimal(3000), Decimal(3001))],
    ids=["citizen", "organisation"],
)
def test_simple_procedure_fine_limits_of_article_51(
    world: World, party: services.PartyInput, allowed: Decimal, refused: Decimal
) -> None:
    case = _on_the_spot(world, party, allowed)
    assert case.state == S.DECIDED and case.fine == allowed
    with pytest.raises(RuleViolation, match="不得适用简易程序") as exc:
        _on_the_spot(world, party, refused)
    assert exc.value.article == "《行政处罚法》第五十一条"
    assert Case.objects.count() == 1


def test_an_on_the_spot_case_is_served_at_once_filed_closed_and_archived(world: World) -> None:
    case = _on_the_spot(world, PERSON, Decimal(100))
    assert case.number == "示范市监简罚〔2026〕1号"
    assert case.filing_deadline == date(2026, 6, 22)  # 7 wd; 端午 (6-19) in between
    with pytest.raises(RuleViolation, match="当场交付"):
        services.case_serve(actor=world.p.officer, case=case, on=date(2026, 6, 11), method="direct")
    case = services.case_serve(
        actor=world.p.officer, case=case, on=date(2026, 6, 10), method="on_the_spot"
    )
    case = services.case_payment_record(
        actor=world.p.officer,
        case=case,
        on=date(2026, 6, 10),
        amount=Decimal(100),
        channel="on_the_spot",
        receipt="罚没收据No.0001",
    )
    case = services.case_file(actor=world.p.officer, case=case, on=date(2026, 6, 23))
    assert case.filing_late
    case = services.case_close(actor=world.p.head, case=case, on=date(2026, 6, 24))
    case = services.case_archive(actor=world.p.head, case=case, on=date(2026, 6, 25))
    assert actions_of(case) == [
        "case.simple_decide",
        "case.serve",
        "case.payment_record",
        "case.file",
        "case.close",
        "case.archive",
    ]


def test_the_filing_period_is_a_setting(world: World, settings: object) -> None:
    settings.ZHIFA_ON_THE_SPOT_FILING_WORKDAYS = 3  # type: ignore[attr-defined]
    assert _on_the_spot(world, PERSON, Decimal(50)).filing_deadline == date(2026, 6, 15)


def test_an_on_the_spot_decision_also_needs_two_valid_officers(world: World) -> None:
    with pytest.raises(RuleViolation, match="王过期"):
        services.case_simple_decide(
            actor=world.p.officer,
            power_code=PENALTY_CODE,
            title="占道经营",
            on=date(2026, 7, 1),
            party=PERSON,
            penalty_kind="warning",
            officers=[world.o1, world.expired],
            place="幸福路菜市场门前",
        )
    assert not Case.objects.exists()


# -- inspection ---------------------------------------------


def _planned(world: World) -> Case:
    return services.case_open(
        actor=world.p.officer,
        kind=Case.Kind.INSPECTION,
        power_code=INSPECTION_CODE,
        title="食品经营日常检查",
        on=date(2026, 6, 1),
        parties=[COMPANY],
    )


def test_an_inspection_with_a_rectification_order_runs_to_archive(world: World) -> None:
    case = _planned(world)
    assert case.number == "示范市监检〔2026〕1号"
    services.case_inspect(
        actor=world.p.officer,
        case=case,
        on=date(2026, 6, 2),
        officers=[world.o1, world.o2],
        summary="冷藏柜温度超标",
    )
    case = services.case_findings_record(
        actor=world.p.officer,
        case=case,
        on=date(2026, 6, 2),
        outcome="rectify",
        findings="责令7日内整改",
        rectification_due_on=date(2026, 6, 9),
    )
    with pytest.raises(RuleViolation, match="须复查后才能结案"):
        services.case_close(actor=world.p.head, case=case, on=date(2026, 6, 3))
    services.case_recheck(
        actor=world.p.officer2,
        case=case,
        on=date(2026, 6, 10),
        officers=[world.o1, world.o2],
        rectified=True,
        summary="已整改",
    )
    case = services.case_close(actor=world.p.head, case=case, on=date(2026, 6, 11))
    case = services.case_archive(actor=world.p.head, case=case, on=date(2026, 6, 12))
    assert actions_of(case) == [
        "case.open",
        "case.inspect",
        "case.findings_record",
        "case.recheck",
        "case.close",
        "case.archive",
    ]


def test_an_on_site_check_needs_two_valid_officers(world: World) -> None:
    with pytest.raises(RuleViolation, match="王过期"):
        services.case_inspect(
            actor=world.p.officer,
            case=_planned(world),
            on=date(2026, 7, 1),
            officers=[world.o1, world.expired],
            summary="检查",
        )


def test_an_inspection_opens_a_penalty_case_with_its_parties(world: World) -> None:
    case = _planned(world)
    services.case_inspect(
        actor=world.p.officer,
        case=case,
        on=date(2026, 6, 2),
        officers=[world.o1, world.o2],
        summary="发现过期食品",
    )
    case = services.case_findings_record(
        actor=world.p.officer, case=case, on=date(2026, 6, 2), outcome="no_problem", findings="-"
    )
    opened = services.case_penalty_open(
        actor=world.p.officer,
        case=case,
        on=date(2026, 6, 3),
        power_code=PENALTY_CODE,
        title="经营过期食品",
        act_ended_on=date(2026, 6, 2),
    )
    assert opened.kind == Case.Kind.PENALTY_GENERAL and opened.state == S.CLUE
    assert opened.origin_id == case.pk
    assert [p.name for p in Party.objects.filter(case=opened)] == [COMPANY.name]
    assert actions_of(case)[-1] == "case.penalty_open"
    assert actions_of(opened) == ["case.open"]
    assert CaseStep.objects.filter(case=case).count() == 1
