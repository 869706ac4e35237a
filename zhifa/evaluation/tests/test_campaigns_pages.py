"""The campaign pages: planning, team, draw, the scoring screen (independence), the read-only
case view (one 调阅 entry per opening), the leader's reconciliation, and who may open what."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import World
from zhifa.evaluation import services_campaigns as sc
from zhifa.evaluation.models import Campaign, File, Scoring, Template
from zhifa.evaluation.tests.campaigns_support import (
    DRAWN_ON,
    decided_cases,
    plan,
    scoring_of,
    team,
)
from zhifa.record.models import Entry
from zhifa.registry.models import Account
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 20)


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False) as t:
        yield t


def client_for(account: Account) -> Client:
    c = Client()
    c.force_login(account)
    return c


@pytest.fixture
def drawn(bureau: Bureau, template: Template, world: World) -> tuple[Campaign, File]:
    decided_cases(world, 2)
    campaign = plan(bureau, sampling_mode=Campaign.Sampling.RANDOM, sample_count=1)
    team(bureau, campaign)
    files = sc.campaign_draw(actor=bureau.sup1, campaign=campaign, on=DRAWN_ON, seed="s")
    return campaign, files[0]


def _reviewers(file: File) -> list[Account]:
    out = [s.reviewer.account for s in file.scorings.order_by("pk")]
    assert all(a is not None for a in out)
    return out  # type: ignore[return-value]


def test_a_supervisor_plans_a_campaign_on_the_form_and_sees_the_setting_source(
    bureau: Bureau, template: Template
) -> None:
    c = client_for(bureau.sup1)
    page = c.get(reverse("evaluation_campaign_new"))
    assert page.status_code == 200
    assert "第十条" in page.content.decode()
    response = c.post(
        reverse("evaluation_campaign_new"),
        {
            "name": "2026年度处罚案卷评查",
            "agencies": [bureau.p.agency_a.pk],
            "kinds": ["penalty_general"],
            "decided_from": "2026-01-01",
            "decided_to": "2026-04-30",
            "starts_on": "2026-05-10",
            "ends_on": "2026-06-30",
            "sampling_mode": "random",
            "sample_ratio": "50",
            "reviewers_per_file": "2",
            "difference_threshold": "5",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("evaluation_campaign", args=[campaign.pk])
    detail = c.get(response["Location"]).content.decode()
    assert "示范市司法局〔2026〕评查1号" in detail


def test_a_refused_plan_keeps_what_was_typed_and_names_the_rule(
    bureau: Bureau, template: Template
) -> None:
    response = client_for(bureau.sup1).post(
        reverse("evaluation_campaign_new"),
        {
            "name": "我的评查",
            "agencies": [bureau.p.agency_a.pk],
            "kinds": ["licensing"],
            "decided_from": "2026-01-01",
            "decided_to": "2026-04-30",
            "starts_on": "2026-05-10",
            "ends_on": "2026-06-30",
            "sampling_mode": "census",
            "reviewers_per_file": "2",
            "difference_threshold": "5",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "第十四条" in body and 'value="我的评查"' in body


def test_team_and_draw_on_the_campaign_page_show_the_seed_and_population_hash(
    bureau: Bureau, template: Template, world: World
) -> None:
    decided_cases(world, 2)
    campaign = plan(bureau)
    c = client_for(bureau.sup1)
    for account, leader in ((bureau.sup1, True), (bureau.sup2, False), (bureau.sup3, False)):
        r = c.post(
            reverse("evaluation_campaign_member_add", args=[campaign.pk]),
            {"kind": "supervisor", "account": account.pk, "is_leader": "on" if leader else ""},
        )
        assert r.status_code == 303
    r = c.post(reverse("evaluation_campaign_draw", args=[campaign.pk]), {"seed": "公开种子"})
    assert r.status_code == 303
    page = c.get(reverse("evaluation_campaign", args=[campaign.pk])).content.decode()
    campaign.refresh_from_db()
    assert campaign.seed == "公开种子" and campaign.population_sha256 in page
    assert "公开种子" in page and page.count('data-testid="file-row"') == 2


def test_the_draw_button_is_refused_to_a_reviewer(
    bureau: Bureau, template: Template, world: World
) -> None:
    campaign = plan(bureau)
    team(bureau, campaign)
    r = client_for(bureau.far).post(reverse("evaluation_campaign_draw", args=[campaign.pk]))
    assert r.status_code == 404  # not theirs: as if missing


def test_reviewers_score_independently_on_the_screen(
    bureau: Bureau, drawn: tuple[Campaign, File]
) -> None:
    _, file = drawn
    a, b = _reviewers(file)
    url = reverse("evaluation_scoring", args=[file.pk])
    page_a = client_for(a).get(url).content.decode()
    # the record's proposal with its evidence
    assert "均由两名以上持有效执法证的执法人员实施" in page_a
    assert 'accesskey="s"' in page_a and 'accesskey="g"' in page_a
    r = client_for(a).post(
        url,
        {
            "occ-B1": "1",
            "ded-B1": "12",
            "reason-B1": "扣押未制作清单",
            "vseen-V1": "1",
            "action": "sign",
        },
    )
    assert r.status_code == 303
    assert scoring_of(file, a).state == Scoring.State.SIGNED
    page_b = client_for(b).get(url).content.decode()
    assert "88.00" not in page_b and 'data-testid="other-scoring"' not in page_b
    r = client_for(b).post(url, {"occ-B1": "0", "vseen-V1": "1", "action": "sign"})
    assert r.status_code == 303
    page_b = client_for(b).get(url).content.decode()
    assert 'data-testid="other-scoring"' in page_b and "88.00" in page_b
    file.refresh_from_db()
    assert file.state == File.State.DIFFERENT  # 100 and 88


def test_signing_without_a_reason_is_refused_on_the_screen_keeping_the_inputs(
    bureau: Bureau, drawn: tuple[Campaign, File]
) -> None:
    _, file = drawn
    a, _ = _reviewers(file)
    r = client_for(a).post(
        reverse("evaluation_scoring", args=[file.pk]),
        {"occ-B1": "1", "ded-B1": "7.5", "reason-B1": "", "vseen-V1": "1", "action": "sign"},
    )
    body = r.content.decode()
    assert r.status_code == 400 and "未写明理由" in body and "第十条" in body
    assert 'value="7.5"' in body
    assert scoring_of(file, a).state == Scoring.State.DRAFT


def test_every_opening_of_the_case_view_is_a_read_entry(
    bureau: Bureau, drawn: tuple[Campaign, File]
) -> None:
    _, file = drawn
    a, _ = _reviewers(file)
    c = client_for(a)
    url = reverse("evaluation_file_case", args=[file.pk])
    for _ in range(3):
        page = c.get(url)
        assert page.status_code == 200
    assert "询问笔录" in page.content.decode()
    reads = Entry.objects.filter(action="evaluation.file.read", case_id=file.case_id)
    assert reads.count() == 3
    assert Case.objects.get(pk=file.case_id).state == Case.State.DECIDED


def test_the_case_view_is_refused_to_others(bureau: Bureau, drawn: tuple[Campaign, File]) -> None:
    _, file = drawn
    url = reverse("evaluation_file_case", args=[file.pk])
    assert client_for(bureau.far).get(url).status_code == 404
    assert client_for(bureau.p.officer_b).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert not Entry.objects.filter(action="evaluation.file.read").exists()


def test_the_leader_reconciles_on_the_page_with_the_differences_highlighted(
    bureau: Bureau, drawn: tuple[Campaign, File]
) -> None:
    _, file = drawn
    a, b = _reviewers(file)
    sc.scoring_sign(
        actor=a,
        scoring_row=scoring_of(file, a),
        marks={"items": {"B1": {"occurrences": 1, "deduction": "15", "reason": "严重"}}},
        on=TODAY,
    )
    sc.scoring_sign(actor=b, scoring_row=scoring_of(file, b), marks={}, on=TODAY)
    url = reverse("evaluation_reconcile", args=[file.pk])
    assert client_for(a).get(url).status_code == 403
    page = client_for(bureau.sup1).get(url).content.decode()
    assert page.count('data-testid="differs"') == 1
    r = client_for(bureau.sup1).post(
        url,
        {
            "occ-B1": "1",
            "ded-B1": "10",
            "reason-B1": "扣押清单缺失，情节一般",
            "vseen-V1": "1",
            "reason": "两名评查人员对B1认定差异较大，经核查酌定扣10分",
        },
    )
    assert r.status_code == 303
    file.refresh_from_db()
    assert file.state == File.State.SCORED and file.result_basis == "组长核定"
    assert str(file.total) == "90.00" and file.grade == "优秀"


def test_my_files_and_the_todo_list_show_the_files_to_score(
    bureau: Bureau, drawn: tuple[Campaign, File]
) -> None:
    _, file = drawn
    a, _ = _reviewers(file)
    page = client_for(a).get(reverse("evaluation_my_files")).content.decode()
    assert reverse("evaluation_scoring", args=[file.pk]) in page
    todos = client_for(a).get("/todos/").content.decode()
    assert reverse("evaluation_scoring", args=[file.pk]) in todos


def test_pages_need_a_login(bureau: Bureau) -> None:
    for name in ("evaluation_campaigns", "evaluation_campaign_new", "evaluation_my_files"):
        assert Client().get(reverse(name)).status_code == 302
    assert client_for(bureau.p.officer).get(reverse("evaluation_campaign_new")).status_code == 403
    assert client_for(bureau.sup1).get(reverse("evaluation_campaigns")).status_code == 200
