"""A campaign with scored files, for the outcomes tests: the campaigns part's services may not
exist here, so the rows are made with the models and recorded through ``recording.record_rows``
as those services would (the lead may switch this to the real services)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import World
from zhifa.core.testing import PASSWORD
from zhifa.evaluation import scoring
from zhifa.evaluation.models import Campaign, File, TeamMember, Template
from zhifa.evaluation.recording import record_rows
from zhifa.record.action_labels import register_action_labels
from zhifa.registry import services as registry
from zhifa.registry.models import Account
from zhifa.supervision.tests.conftest import Bureau

# The rows the campaigns part's services would write, recorded under actions of their own (named
# so that every timeline reads in Chinese).
register_action_labels(
    {
        "evaluation.fixture.campaign": "登记评查活动（测试数据）",
        "evaluation.fixture.file": "登记评查案卷（测试数据）",
        "evaluation.fixture.file_result": "评定案卷结果（测试数据）",
        "evaluation.fixture.scoring": "保存评分（测试数据）",
    }
)

# Marks on the small template (tests/conftest.small_content): 卷面 20 + 内容 80.
FAILING = {  # B2 无送达手续 twice: 80 − 60 → 40, 不合格
    "items": {"B2": {"occurrences": 2, "reason": "处罚决定书和告知书均无送达回证"}}
}
GOOD = {"items": {"A2": {"occurrences": 1, "reason": "询问笔录未载明询问地点"}}}  # 99, 优秀
VETOED = {  # 100 points but a veto: 不合格 (广东 第十七条)
    "vetoes": {"V1": {"hit": True, "reason": "现场检查仅一名执法人员"}}
}
FIXED = {  # 100 − 30 − 15 = 55 → 不合格
    "items": {
        "B2": {"occurrences": 1, "reason": "告知书无送达回证"},
        "B1": {"occurrences": 1, "deduction": "15", "reason": "先行登记保存逾期"},
    }
}
BETTER = {"items": {"A1": {"occurrences": 1, "reason": "文书不规范"}}}  # 98 → 优秀


@dataclass
class Outcomes:
    campaign: Campaign
    failing: File
    good: File
    vetoed: File
    head_b: Account


def score_file(actor: Account, file: File, marks: dict[str, Any]) -> File:
    spec = scoring.parse_template(file.template.content, veto_effect=file.template.veto_effect)
    result = scoring.score(spec, marks)
    file.total, file.grade, file.vetoed = result.total, result.grade, result.vetoed
    file.result = {"marks": marks, "total": str(result.total), "grade": result.grade}
    file.result_basis = "agreed"
    file.state = File.State.SCORED
    file.save()
    record_rows(actor, "evaluation.fixture.file_result", [file], on="2026-10-30")
    return file


def campaign_with_files(
    b: Bureau, world: World, template: Template, *, name: str = "2026年度行政处罚案卷评查"
) -> Outcomes:
    p = b.p
    campaign = Campaign.objects.create(
        number=f"PC-{Campaign.objects.count() + 1}",
        body=b.body,
        name=name,
        year=2026,
        kinds=[Case.Kind.PENALTY_GENERAL],
        decided_from=date(2026, 1, 1),
        decided_to=date(2026, 9, 30),
        starts_on=date(2026, 10, 8),
        ends_on=date(2026, 11, 30),
        sampling=Campaign.Sampling.RANDOM,
        sample_count=3,
        state=Campaign.State.SCORING,
        created_by=b.sup1,
    )
    campaign.refresh_from_db()  # the decimals as stored
    campaign.agencies.set([p.agency_a, p.agency_b])
    campaign.templates.set([template])
    leader = TeamMember.objects.create(
        campaign=campaign,
        account=b.sup2,
        name="林监督",
        kind=TeamMember.Kind.SUPERVISOR,
        home_agency=b.body,
        is_leader=True,
    )
    expert = TeamMember.objects.create(
        campaign=campaign, name="王教授", kind=TeamMember.Kind.EXPERT
    )
    record_rows(b.sup1, "evaluation.fixture.campaign", [campaign, leader, expert], on="2026-10-08")
    files = []
    for n, marks in enumerate((FAILING, GOOD, VETOED), 1):
        case = world.registered(date(2026, 3, 1 + n))
        f = File.objects.create(
            campaign=campaign,
            case=case,
            agency=p.agency_a,
            template=template,
            origin=File.Origin.DRAWN,
            rank=n,
        )
        record_rows(b.sup1, "evaluation.fixture.file", [f], on="2026-10-09")
        files.append(score_file(b.sup2, f, marks))
    head_b = registry.account_create(
        actor=p.admin,
        username="head-b",
        password=PASSWORD,
        role=Account.Role.HEAD,
        agency=p.agency_b,
    )
    return Outcomes(campaign, files[0], files[1], files[2], head_b)


def body_publisher(b: Bureau) -> Account:
    return registry.account_create(
        actor=b.p.admin,
        username="sfj-publisher",
        password=PASSWORD,
        role=Account.Role.PUBLISHER,
        agency=b.body,
    )


def matrix_outcomes(p: Any, case: Case, on: date) -> dict[str, int]:
    """For the access matrix (agency A only): agency A's self-evaluation (第六条) of one failed
    file — its team report and feedback, the head's objection — and an accountability record
    about the case; the ids by the matrix's field names."""
    from zhifa.evaluation import services as core
    from zhifa.evaluation import services_outcomes as outcomes
    from zhifa.evaluation.tests.conftest import small_content

    t = core.template_create(
        actor=p.admin,
        key="T-MATRIX",
        name="矩阵评查标准",
        issuer="示范市司法局",
        applies_to=Case.Kind.PENALTY_GENERAL,
        valid_from=date(2026, 1, 1),
        content=small_content(),
        on=on,
    )
    t = core.template_publish(actor=p.admin, template=t, on=on)
    campaign = Campaign.objects.create(
        number="PC-MATRIX",
        body=p.agency_a,
        self_evaluation=True,
        name="甲区市场监管局2026年案卷自查",
        year=2026,
        kinds=[Case.Kind.PENALTY_GENERAL],
        decided_from=date(2026, 1, 1),
        decided_to=date(2026, 3, 31),
        starts_on=on,
        ends_on=on,
        sampling=Campaign.Sampling.CENSUS,
        state=Campaign.State.SCORING,
        created_by=p.head,
    )
    campaign.refresh_from_db()
    campaign.agencies.set([p.agency_a])
    campaign.templates.set([t])
    record_rows(p.head, "evaluation.fixture.campaign", [campaign], on=on)
    f = File.objects.create(
        campaign=campaign, case=case, agency=p.agency_a, template=t, origin=File.Origin.CENSUS
    )
    record_rows(p.head, "evaluation.fixture.file", [f], on=on)
    score_file(p.head, f, FAILING)
    report = outcomes.campaign_report_team(actor=p.head, campaign=campaign, on=on)
    outcomes.campaign_feedback(actor=p.head, campaign=campaign, on=on)
    objection = outcomes.objection_file(actor=p.head, file=f, reasons="矩阵异议", on=on)
    row = outcomes.accountability_record(
        actor=p.supervisor,
        agency=p.agency_a,
        officer=p.officer.officer,
        file=f,
        ground="fault",
        measure="criticism",
        deciding_body="示范市甲区市场监督管理局",
        decided_on=on,
        on=on,
    )
    return {
        "eval_campaign": campaign.pk,
        "eval_file": f.pk,
        "eval_objection": objection.pk,
        "eval_report": report.pk,
        "eval_accountability": row.pk,
    }
