"""Applying a 基准 to a case and the gate on the decision: a fine off the 基准 is refused
until the head approves the deviation (国办发〔2022〕27号（十二）; 2号第八条)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest

from zhifa.cases import services as cases
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import World, entered_on
from zhifa.core.exceptions import RuleViolation
from zhifa.discretion import selectors, services
from zhifa.discretion.models import Application
from zhifa.discretion.services import Found
from zhifa.discretion.tests.conftest import entry_for
from zhifa.record.models import Entry
from zhifa.registry.models import DiscretionBenchmark

pytestmark = pytest.mark.django_db
DECIDED = date(2026, 4, 28)


def stated(w: World, fine: D = D(60000)) -> Case:
    return w.stated(date(2026, 3, 4), date(2026, 4, 1), date(2026, 4, 2), fine=fine)


def evidence(case: Case) -> str:
    """The interview record of the case (the investigation step's entry)."""
    e = Entry.objects.filter(case_id=case.pk, action="case.investigate").first()
    assert e is not None
    return f"entry:{e.seq}"


def apply(w: World, case: Case, b: DiscretionBenchmark, **kw: object) -> Application:
    args: dict[str, object] = {
        "actor": w.p.officer,
        "case": case,
        "stage": "decision",
        "benchmark": b,
        "found": [Found("removed_harm", evidence(case)), Found("gave_evidence", evidence(case))],
        "grade": "lighter",
        "fine": D(60000),
        "on": DECIDED,
    } | kw
    return services.discretion_apply(**args)  # type: ignore[arg-type]


def decide(w: World, case: Case, fine: D) -> Case:
    with entered_on(DECIDED):
        return cases.case_decide(
            actor=w.p.head, case=case, on=DECIDED, penalty_kinds=["warning", "fine"], fine=fine
        )


def test_the_entry_is_proposed_from_the_case_power_item(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    assert list(selectors.benchmarks_for_case(case)) == [benchmark]


def test_two_lighter_circumstances_give_the_lowest_30_percent_and_are_recorded(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    app = apply(world, case, benchmark)
    assert (app.proposed_grade, app.grade, app.deviates) == ("lighter", "lighter", False)
    assert app.band_text == "50,000元至65,000元"
    entry = Entry.objects.get(seq=app.entry_seq)
    assert entry.action == "discretion.apply" and entry.case_id == case.pk
    payload = json.loads(entry.payload)["application"]
    assert [c["code"] for c in payload["circumstances"]] == ["removed_harm", "gave_evidence"]
    assert list(selectors.applications_replay_check([])) == []
    assert decide(world, case, D(60000)).fine == D(60000)


def test_a_circumstance_without_evidence_of_the_case_is_refused(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    with pytest.raises(RuleViolation, match="须注明所依据的本案证据"):
        apply(world, case, benchmark, found=[Found("removed_harm", "entry:999999")])


def test_mixed_circumstances_need_the_overall_judgement(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    found = [Found("confessed", evidence(case)), Found("obstructed", evidence(case))]
    with pytest.raises(RuleViolation) as exc:
        apply(world, case, benchmark, found=found, grade="standard", fine=D(70000))
    assert exc.value.article == "国市监法规〔2022〕2号第十七条"
    app = apply(
        world, case, benchmark, found=found, grade="standard", fine=D(70000),
        judgement="主动供述与阻碍执法相抵，按一般情节裁量",
    )  # fmt: skip
    assert app.proposed_grade == "" and not app.deviates


def test_a_fine_below_the_band_is_refused_at_decision_until_the_head_approves(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    with pytest.raises(RuleViolation, match="须写明理由"):
        apply(world, case, benchmark, fine=D(45000))
    app = apply(world, case, benchmark, fine=D(45000), deviation_reason="当事人经营困难，货值极小")
    assert app.deviates
    with pytest.raises(RuleViolation) as exc:
        decide(world, case, D(45000))
    assert exc.value.article == "国办发〔2022〕27号（十二）、国市监法规〔2022〕2号第八条"
    assert "45,000元不在所适用裁量基准" in str(exc.value)
    with pytest.raises(RuleViolation, match="主要负责人"):
        services.discretion_deviation_approve(
            actor=world.p.officer, application=app, way="head", reason="同意", on=DECIDED
        )
    approval = services.discretion_deviation_approve(
        actor=world.p.head, application=app, way="head", reason="同意减轻", on=DECIDED
    )
    assert Entry.objects.get(seq=approval.entry_seq).action == "discretion.deviation_approve"
    assert decide(world, case, D(45000)).fine == D(45000)


def test_a_decision_fine_off_the_approved_one_is_still_refused(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    app = apply(world, case, benchmark, fine=D(45000), deviation_reason="货值极小")
    services.discretion_deviation_approve(
        actor=world.p.head, application=app, way="head", reason="同意", on=DECIDED
    )
    with pytest.raises(RuleViolation):
        decide(world, case, D(40000))


def test_replay_check_names_an_application_altered_behind_the_log(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    app = apply(world, case, benchmark)
    Application.objects.filter(pk=app.pk).update(grade="heavier")
    Application.objects.filter(pk=app.pk).update(digest="0" * 64)
    problems = list(selectors.applications_replay_check([]))
    assert [p.kind for p in problems] == ["discretion_digest"]


def test_repeat_within_a_year_is_proposed_from_the_party_history(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    first = world.decided(fine=D(60000))
    second = world.stated(
        date(2026, 5, 12), date(2026, 6, 1), date(2026, 6, 2), fine=D(90000),
        act_ended_on=date(2026, 5, 10),
    )  # fmt: skip
    found = selectors.repeat_evidence(second)
    assert first.decision_number in found and "2026年4月28日" in found
    app = apply(
        world, second, benchmark, found=[Found("repeat", "history")], grade="heavier",
        fine=D(90000), on=date(2026, 6, 10),
    )  # fmt: skip
    assert app.proposed_grade == "heavier" and not app.deviates
    assert first.decision_number in app.circumstances[0]["evidence_label"]
    # Without an earlier penalty on record the history cannot be the evidence.
    with pytest.raises(RuleViolation, match="须另附证据"):
        apply(world, first, benchmark, found=[Found("repeat", "history")], grade="heavier")


def test_deviation_from_an_upper_level_entry_needs_that_body_approval_recorded(
    world: World,
) -> None:
    from zhifa.discretion.tests.conftest import entry_for

    city = entry_for(world, agency=None, region_code=world.p.agency_a.division_code[:4] + "00")
    case = stated(world)
    app = apply(world, case, city, fine=D(45000), deviation_reason="货值极小")
    with pytest.raises(RuleViolation, match="须经该机关批准") as exc:
        services.discretion_deviation_approve(
            actor=world.p.head, application=app, way="head", reason="同意", on=DECIDED
        )
    assert exc.value.article == "国办发〔2022〕27号（十二）"
    approval = services.discretion_deviation_approve(
        actor=world.p.head, application=app, way="collective", reason="集体讨论同意",
        minutes="2026年第5次案审会记录", on=DECIDED, upper_body="示范市市场监督管理局",
        upper_document="示市监函〔2026〕12号", upper_received_on=date(2026, 4, 27),
    )  # fmt: skip
    assert approval.upper_document == "示市监函〔2026〕12号"
    assert decide(world, case, D(45000)).fine == D(45000)


def test_a_kind_the_statute_does_not_name_is_refused_until_the_head_approves(
    world: World,
) -> None:
    # This 基准 names 罚款 alone; the decision would add 警告 (both were in the notice).
    benchmark = entry_for(world, penalty_kinds=["fine"])
    case = stated(world)
    apply(world, case, benchmark, penalty_kinds=["fine"])
    with pytest.raises(RuleViolation) as exc:
        decide(world, case, D(60000))  # 警告 and 罚款
    assert "处罚种类“警告”不在所适用裁量基准“经营超过保质期的食品”的法定处罚种类（罚款）内" in str(
        exc.value
    )
    assert exc.value.article == "国办发〔2022〕27号（十二）、国市监法规〔2022〕2号第八条"
    with pytest.raises(RuleViolation, match="偏离裁量基准，须写明理由"):
        apply(world, case, benchmark, penalty_kinds=["warning", "fine"])
    app = apply(
        world, case, benchmark, penalty_kinds=["fine", "warning"], deviation_reason="须予警示"
    )
    assert app.deviates and app.penalty_kinds == ["warning", "fine"]  # the order of 第九条
    with pytest.raises(RuleViolation, match="不在所适用裁量基准"):
        decide(world, case, D(60000))  # not approved yet
    services.discretion_deviation_approve(
        actor=world.p.head, application=app, way="head", reason="同意", on=DECIDED
    )
    assert set(decide(world, case, D(60000)).penalty_kinds) == {"warning", "fine"}
    assert "（处罚种类：罚款）" in selectors.application_text(app)


def test_a_refinement_may_not_add_a_kind_its_parent_does_not_name(world: World) -> None:
    parent = entry_for(world, agency=None, region_code="130300", penalty_kinds=["fine"])
    with pytest.raises(RuleViolation) as exc:
        entry_for(world, parent=parent, penalty_kinds=["fine", "warning"])
    assert "不得增加上级裁量基准以外的处罚种类：警告" in str(exc.value)
    assert exc.value.article == "国办发〔2022〕27号（五）"
    assert entry_for(world, parent=parent, penalty_kinds=["fine"]).parent == parent
