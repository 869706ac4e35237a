"""The campaign workflow of 《广东省行政执法案卷评查办法》第十二条 up to a standing score per file:
plan, team, reproducible draw, recusal, independent scoring with reasons and signature, the
combination at the threshold and the leader's reconciliation, the 调阅 entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import World
from zhifa.core.exceptions import RuleViolation
from zhifa.evaluation import sampling
from zhifa.evaluation import services_campaigns as sc
from zhifa.evaluation.models import Campaign, File, Scoring, TeamMember, Template
from zhifa.evaluation.recording import evaluation_replay_check
from zhifa.evaluation.selectors import scorings_visible_to
from zhifa.evaluation.tests.campaigns_support import (
    DRAWN_ON,
    PLANNED_ON,
    SCORED_ON,
    decided_cases,
    marks,
    plan,
    scoring_of,
    team,
)
from zhifa.notifications.models import Notification
from zhifa.record.models import Entry
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world: World) -> list[Case]:
    return decided_cases(world, 3)


def _drawn(bureau: Bureau, **over: object) -> tuple[Campaign, list[File]]:
    campaign = plan(bureau, **over)
    team(bureau, campaign)
    files = sc.campaign_draw(actor=bureau.sup1, campaign=campaign, on=DRAWN_ON, seed="种子-1")
    return campaign, files


# -- plan ---------------------------------------------------------------------------------------


def test_plan_numbers_the_campaign_keeps_the_template_and_the_default_reviewers(
    bureau: Bureau, template: Template
) -> None:
    c = plan(bureau)
    assert c.number == "示范市司法局〔2026〕评查1号"
    assert list(c.templates.all()) == [template]
    assert c.reviewers_per_file == 2 and c.difference_threshold == Decimal(5)
    assert not c.self_evaluation and c.state == Campaign.State.PLANNED
    assert plan(bureau).number == "示范市司法局〔2026〕评查2号"
    assert Entry.objects.filter(action="evaluation.campaign.plan").count() == 2


def test_plan_takes_the_reviewers_per_file_from_the_setting_with_its_source(
    bureau: Bureau, template: Template, settings: object
) -> None:
    settings.ZHIFA_EVALUATION_REVIEWERS_PER_FILE = 3  # type: ignore[attr-defined]
    assert plan(bureau).reviewers_per_file == 3
    assert "第十条" in sc.reviewers_per_file_default()[1]


def test_plan_refuses_a_kind_without_a_template_valid_on_the_start_day(
    bureau: Bureau, template: Template
) -> None:
    with pytest.raises(RuleViolation, match=r"行政许可.*没有.*有效的已发布评查标准"):
        plan(bureau, kinds=[Case.Kind.PENALTY_GENERAL, Case.Kind.LICENSING])
    with pytest.raises(RuleViolation, match="第十四条"):
        plan(bureau, starts_on=date(2025, 12, 31), ends_on=date(2026, 1, 31))


def test_plan_refuses_agencies_outside_the_region_and_a_head_beyond_its_own_agency(
    bureau: Bureau, template: Template
) -> None:
    with pytest.raises(RuleViolation, match="本行政区域"):
        plan(bureau, agencies=[bureau.far.agency])
    with pytest.raises(RuleViolation, match="第六条"):
        plan(bureau, actor=bureau.p.head)
    with pytest.raises(RuleViolation, match="第四条"):
        plan(bureau, actor=bureau.p.officer)
    with pytest.raises(RuleViolation, match="二者择一"):
        plan(bureau, sample_ratio=Decimal(10))


def test_a_head_plans_a_self_evaluation_of_its_agency(bureau: Bureau, template: Template) -> None:
    c = plan(bureau, actor=bureau.p.head, agencies=[bureau.p.agency_a])
    assert c.self_evaluation and c.body == bureau.p.agency_a
    assert c.number.startswith("示范市甲区市场监督管理局〔2026〕评查")


# -- team and draw ---------------------------------------------------------------------------


def test_the_population_and_seed_are_recorded_before_the_draw_and_rerunning_gives_the_same_files(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    campaign, files = _drawn(bureau)
    campaign.refresh_from_db()
    entries = [
        e
        for e in Entry.objects.order_by("seq")
        if e.action in ("evaluation.campaign.population", "evaluation.campaign.draw")
    ]
    assert [e.action for e in entries] == [
        "evaluation.campaign.population",
        "evaluation.campaign.draw",
    ]
    recorded = entries[0].data
    population = {int(a): ids for a, ids in recorded["population"].items()}
    assert population[bureau.p.agency_a.pk] == sorted(c.pk for c in cases)
    assert population[bureau.p.agency_b.pk] == []
    assert recorded["population_sha256"] == sampling.population_sha256(population)
    assert recorded["seed"] == "种子-1" == campaign.seed
    again = sampling.draw(population, recorded["seed"], count=recorded["sample_count"])
    assert [d.case_id for d in again] == [f.case_id for f in files]
    assert len(files) == 2 and {f.origin for f in files} == {File.Origin.DRAWN}
    assert [f.rank for f in files] == [1, 2]
    assert campaign.state == Campaign.State.SCORING
    assert not list(verify_all_problems())


def verify_all_problems() -> list[object]:
    return list(evaluation_replay_check([]))


def test_a_census_takes_every_file_and_each_gets_two_reviewers_and_its_proposals(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    _, files = _drawn(bureau, sampling_mode=Campaign.Sampling.CENSUS, sample_count=None)
    assert sorted(f.case_id for f in files) == sorted(c.pk for c in cases)
    for f in files:
        assert f.template == template and f.origin == File.Origin.CENSUS
        assert f.scorings.count() == 2
        assert f.proposals["V1"]["passed"] is True
    # round-robin among sup2 and sup3 (the leader only fills in)
    assert not Scoring.objects.filter(reviewer__account=bureau.sup1).exists()


def test_a_member_is_never_assigned_a_file_of_their_home_agency(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    campaign = plan(bureau, sampling_mode=Campaign.Sampling.CENSUS, sample_count=None)
    team(bureau, campaign)
    cross = sc.campaign_member_add(
        actor=bureau.sup1,
        campaign=campaign,
        kind=TeamMember.Kind.OFFICER,
        account=bureau.p.officer_b,
        on=PLANNED_ON,
    )
    own = sc.campaign_member_add(
        actor=bureau.sup1,
        campaign=campaign,
        kind=TeamMember.Kind.OFFICER,
        account=bureau.p.reviewer,  # of agency A, whose files are evaluated
        on=PLANNED_ON,
    )
    assert own.home_agency == bureau.p.agency_a
    sc.campaign_draw(actor=bureau.sup1, campaign=campaign, on=DRAWN_ON)
    assert not Scoring.objects.filter(reviewer=own).exists()
    assert Scoring.objects.filter(reviewer=cross).exists()


def test_a_draw_without_enough_unrecused_reviewers_is_refused_and_writes_nothing(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    campaign = plan(bureau)
    sc.campaign_member_add(
        actor=bureau.sup1,
        campaign=campaign,
        kind=TeamMember.Kind.SUPERVISOR,
        account=bureau.sup1,
        is_leader=True,
        on=PLANNED_ON,
    )
    sc.campaign_member_add(
        actor=bureau.sup1,
        campaign=campaign,
        kind=TeamMember.Kind.OFFICER,
        account=bureau.p.reviewer,
        on=PLANNED_ON,
    )
    with pytest.raises(RuleViolation, match="第十条"):
        sc.campaign_draw(actor=bureau.sup1, campaign=campaign, on=DRAWN_ON)
    assert not File.objects.exists()
    assert not Entry.objects.filter(action="evaluation.campaign.population").exists()


def test_only_the_body_draws_and_only_once(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    campaign = plan(bureau)
    team(bureau, campaign)
    with pytest.raises(RuleViolation, match="组织本次评查"):
        sc.campaign_draw(actor=bureau.far, campaign=campaign, on=DRAWN_ON)
    sc.campaign_draw(actor=bureau.sup1, campaign=campaign, on=DRAWN_ON)
    with pytest.raises(RuleViolation, match="已抽取"):
        sc.campaign_draw(actor=bureau.sup1, campaign=campaign, on=DRAWN_ON)


def test_the_agency_head_submits_its_own_files_in_scope(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    campaign = plan(bureau, sampling_mode=Campaign.Sampling.SUBMITTED, sample_count=None)
    team(bureau, campaign)
    with pytest.raises(RuleViolation, match="负责人"):
        sc.campaign_file_submit(
            actor=bureau.p.officer, campaign=campaign, case=cases[0], on=DRAWN_ON
        )
    file = sc.campaign_file_submit(
        actor=bureau.p.head, campaign=campaign, case=cases[0], on=DRAWN_ON
    )
    assert file.origin == File.Origin.SUBMITTED and file.scorings.count() == 2
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SCORING
    with pytest.raises(RuleViolation, match="已经选送"):
        sc.campaign_file_submit(actor=bureau.p.head, campaign=campaign, case=cases[0], on=DRAWN_ON)
    entry = Entry.objects.get(action="evaluation.file.submit")
    assert entry.case_id == cases[0].pk


# -- scoring ---------------------------------------------------------------------------------


def _census_file(bureau: Bureau) -> File:
    _, files = _drawn(bureau, sampling_mode=Campaign.Sampling.CENSUS, sample_count=None)
    return files[0]


def test_overriding_a_proposal_needs_a_reason_and_is_stored_with_the_proposal(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    file = _census_file(bureau)
    reviewer = file.scorings.first().reviewer.account  # type: ignore[union-attr]
    row = scoring_of(file, reviewer)
    with pytest.raises(RuleViolation, match="不采纳预评的理由"):
        sc.scoring_save(
            actor=reviewer, scoring_row=row, marks={"vetoes": {"V1": {"hit": True}}}, on=SCORED_ON
        )
    saved = sc.scoring_save(actor=reviewer, scoring_row=row, marks=marks(veto=True), on=SCORED_ON)
    v1 = saved.marks["vetoes"]["V1"]
    assert v1 == {
        "hit": True,
        "reason": "仅一名执法人员",
        "proposed": False,
        "overridden": True,
        "override_reason": "笔录仅一人签名",
    }
    assert saved.grade == "不合格" and saved.state == Scoring.State.DRAFT
    accepted = sc.scoring_save(actor=reviewer, scoring_row=row, marks=marks("6"), on=SCORED_ON)
    assert accepted.marks["vetoes"]["V1"]["overridden"] is False
    assert accepted.marks["items"]["B1"] == {
        "occurrences": 1,
        "deduction": "6",
        "reason": "扣分理由",
        "proposed": None,
        "overridden": False,
        "override_reason": "",
    }
    assert accepted.total == Decimal(94)


def test_signing_is_refused_when_a_deduction_has_no_reason(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    file = _census_file(bureau)
    reviewer = file.scorings.first().reviewer.account  # type: ignore[union-attr]
    row = scoring_of(file, reviewer)
    with pytest.raises(RuleViolation, match=r"B1扣分或认定否决项未写明理由.*第十条"):
        sc.scoring_sign(actor=reviewer, scoring_row=row, marks=marks("6", reason=""), on=SCORED_ON)
    row.refresh_from_db()
    assert row.state == Scoring.State.DRAFT
    signed = sc.scoring_sign(actor=reviewer, scoring_row=row, marks=marks("6"), on=SCORED_ON)
    assert signed.state == Scoring.State.SIGNED and signed.signed_on == SCORED_ON
    with pytest.raises(RuleViolation, match="已签名"):
        sc.scoring_save(actor=reviewer, scoring_row=row, marks=marks("7"), on=SCORED_ON)


def test_a_range_deduction_outside_its_range_is_refused(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    file = _census_file(bureau)
    reviewer = file.scorings.first().reviewer.account  # type: ignore[union-attr]
    with pytest.raises(RuleViolation, match="5～15分之间"):
        sc.scoring_save(
            actor=reviewer, scoring_row=scoring_of(file, reviewer), marks=marks("16"), on=SCORED_ON
        )


def test_only_the_assigned_reviewer_scores(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    file = _census_file(bureau)
    row = file.scorings.first()
    assert row is not None
    with pytest.raises(RuleViolation, match="本人"):
        sc.scoring_save(actor=bureau.sup1, scoring_row=row, marks=marks("6"), on=SCORED_ON)


def _sign_both(bureau: Bureau, file: File, first: str, second: str) -> File:
    a, b = [s.reviewer.account for s in file.scorings.order_by("pk")]
    assert a is not None and b is not None
    sc.scoring_sign(actor=a, scoring_row=scoring_of(file, a), marks=marks(first), on=SCORED_ON)
    # independence: until both signed, each sees only their own
    assert list(scorings_visible_to(b, file)) == [scoring_of(file, b)]
    assert list(scorings_visible_to(a, file)) == [scoring_of(file, a)]
    sc.scoring_sign(actor=b, scoring_row=scoring_of(file, b), marks=marks(second), on=SCORED_ON)
    assert scorings_visible_to(a, file).count() == 2
    file.refresh_from_db()
    return file


def test_totals_differing_by_exactly_the_threshold_combine_into_their_mean(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    file = _sign_both(bureau, _census_file(bureau), "5", "10")  # 95 and 90: 5 apart
    assert file.state == File.State.SCORED
    assert file.total == Decimal("92.50") and file.grade == "优秀"
    assert file.result_basis == sc.AGREED


def test_totals_differing_by_a_cent_more_go_to_the_leader_who_reconciles_with_reasons(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    file = _sign_both(bureau, _census_file(bureau), "5", "10.01")  # 95 and 89.99
    assert file.state == File.State.DIFFERENT and file.total is None
    note = Notification.objects.get(recipient=bureau.sup1)  # the leader is told
    assert "待组长核定" in note.title
    a = file.scorings.order_by("pk").first().reviewer.account  # type: ignore[union-attr]
    with pytest.raises(RuleViolation, match="组长"):
        sc.file_reconcile(actor=a, file=file, marks=marks("8"), reason="x", on=SCORED_ON)
    with pytest.raises(RuleViolation, match="核定理由"):
        sc.file_reconcile(actor=bureau.sup1, file=file, marks=marks("8"), reason=" ", on=SCORED_ON)
    done = sc.file_reconcile(
        actor=bureau.sup1,
        file=file,
        marks=marks("8"),
        reason="强制措施违法情节一般，按8分扣减",
        on=SCORED_ON,
    )
    assert done.state == File.State.SCORED and done.total == Decimal(92)
    assert done.result_basis == "组长核定" and done.result_by == bureau.sup1
    assert Entry.objects.filter(action="evaluation.file.reconcile", case_id=file.case_id).exists()
    assert not verify_all_problems()


def test_reviewers_disagreeing_on_a_veto_go_to_the_leader(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    file = _census_file(bureau)
    a, b = [s.reviewer.account for s in file.scorings.order_by("pk")]
    assert a is not None and b is not None
    sc.scoring_sign(actor=a, scoring_row=scoring_of(file, a), marks=marks(veto=True), on=SCORED_ON)
    sc.scoring_sign(actor=b, scoring_row=scoring_of(file, b), marks={}, on=SCORED_ON)
    file.refresh_from_db()
    assert file.state == File.State.DIFFERENT


def test_each_opening_of_the_case_is_a_read_entry_on_the_case(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    file = _census_file(bureau)
    state = Case.objects.get(pk=file.case_id).state
    sc.file_read(actor=bureau.sup2, file=file, on=SCORED_ON)
    sc.file_read(actor=bureau.sup2, file=file, on=SCORED_ON)
    reads = Entry.objects.filter(action="evaluation.file.read", case_id=file.case_id)
    assert reads.count() == 2
    assert Case.objects.get(pk=file.case_id).state == state


def test_in_a_self_evaluation_an_officer_never_scores_a_case_they_handled(
    bureau: Bureau, template: Template, cases: list[Case]
) -> None:
    head = bureau.p.head
    campaign = plan(
        bureau,
        actor=head,
        agencies=[bureau.p.agency_a],
        sampling_mode=Campaign.Sampling.CENSUS,
        sample_count=None,
    )
    for account, leader in (
        (head, True),
        (bureau.p.officer, False),  # handled every case (主办)
        (bureau.p.reviewer, False),
        (bureau.p.publisher, False),
    ):
        sc.campaign_member_add(
            actor=head,
            campaign=campaign,
            kind=TeamMember.Kind.OFFICER,
            account=account,
            is_leader=leader,
            on=PLANNED_ON,
        )
    files = sc.campaign_draw(actor=head, campaign=campaign, on=DRAWN_ON)
    assert len(files) == len(cases)
    assert not Scoring.objects.filter(reviewer__account=bureau.p.officer).exists()
    assert Scoring.objects.filter(reviewer__account=bureau.p.reviewer).count() == len(cases)
