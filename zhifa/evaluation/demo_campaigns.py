"""The demo's evaluation campaigns (案卷评查活动) of the 示范市司法局, written through the services:

- 2026年度行政处罚案卷评查（随机抽查）: three demo agencies with the most decided 普通程序
  penalty files in 2026, three files drawn per agency from the recorded population and seed;
  a team led by 吴静 with 林… (``supervisor2``) and the 丙县司法局's supervisor scoring, an expert
  and a deputy invited; files scored in every grade (优秀/良好/合格/不合格), one veto hit, one
  reconciliation by the leader, the rest left to score;
- 2026年度处罚案卷评查（自行选送）: the city's market bureau submits two files (its head 陈建国).

Templates: the shipped standards (``standard_templates.standard_templates_install``).
Idempotent: nothing is written when the first campaign exists. Dates are 2026 and never
after ``today``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhifa.cases.models import Case
from zhifa.registry.models import Account, Agency

from . import scoring
from . import services_campaigns as sc
from .models import Campaign, File, Scoring, TeamMember

BODY = "示范市司法局"
RANDOM_NAME = "2026年度行政处罚案卷评查（随机抽查）"
SUBMITTED_NAME = "2026年度行政处罚案卷评查（自行选送）"
PLANNED = date(2026, 10, 9)
DRAWN = date(2026, 10, 12)
SCORED = date(2026, 10, 20)
RECONCILED = date(2026, 10, 23)
SEED = "示范市2026年案卷评查-公开种子"


def _install_templates(supervisor: Account, today: date) -> str:
    """The shipped templates for the body (idempotent: the templates' demo may have installed
    them already)."""
    del today
    from .standard_templates import standard_templates_install

    standard_templates_install(supervisor, PLANNED)
    return "使用平台内置评查标准"


def _marks(spec: scoring.Spec, deduct: Decimal, *, veto: bool = False) -> dict[str, Any]:
    """Marks deducting about ``deduct`` points, item by item (each with its reason), every item
    and veto given explicitly (so the record's proposals, if any, are answered)."""
    remaining = deduct
    items: dict[str, Any] = {}
    for item in spec.items():
        mark: dict[str, Any] = {"occurrences": 0, "override_reason": "演示：评查人员复核后认定"}
        rule = item.rule
        if remaining > 0:
            if rule.kind == "fixed" and rule.points <= remaining:
                mark["occurrences"] = 1
                remaining -= rule.points
            elif rule.kind == "per_occurrence" and rule.points <= remaining:
                cap = rule.cap if rule.cap is not None else item.max_points
                n = int(min(remaining, cap) // rule.points)
                mark["occurrences"] = n
                remaining -= rule.points * n
            elif rule.kind == "range" and rule.low <= remaining:
                take = min(rule.high, remaining)
                mark.update(occurrences=1, deduction=str(take))
                remaining -= take
        if mark["occurrences"]:
            mark["reason"] = f"演示：{item.text}存在问题"
        items[item.code] = mark
    vetoes = {
        v.code: {
            "hit": veto and n == 0,
            "reason": f"演示：{v.text}" if veto and n == 0 else "",
            "override_reason": "演示：评查人员复核后认定",
        }
        for n, v in enumerate(spec.vetoes)
    }
    return {"items": items, "vetoes": vetoes}


def _scoring(file: File, account: Account) -> Scoring:
    return Scoring.objects.get(file=file, reviewer__account=account)


def _sign(file: File, marks_by_reviewer: list[dict[str, Any]]) -> None:
    rows = list(file.scorings.select_related("reviewer__account").order_by("pk"))
    for row, marks in zip(rows, marks_by_reviewer, strict=False):
        account = row.reviewer.account
        assert account is not None
        sc.scoring_sign(actor=account, scoring_row=row, marks=marks, on=SCORED)


def _agencies(body: Agency) -> list[Agency]:
    """The three agencies of the city with the most decided 普通程序 penalty files in 2026."""
    from zhifa.cases.selectors import cases_concluded_between

    candidates = list(
        Agency.objects.filter(division_code__startswith=body.division_code[:4]).exclude(pk=body.pk)
    )
    counts = {
        a.pk: cases_concluded_between(
            agency_ids=[a.pk],
            kinds=[Case.Kind.PENALTY_GENERAL],
            start=date(2026, 1, 1),
            end=date(2026, 9, 30),
        ).count()
        for a in candidates
    }
    ranked = sorted(
        (a for a in candidates if counts[a.pk] >= 2), key=lambda a: (-counts[a.pk], a.pk)
    )
    return ranked[:3]


@transaction.atomic
def load(today: date) -> list[str]:
    """Load both campaigns as of ``today`` (the demo's reference day); lines saying what was
    done."""
    if Campaign.objects.filter(name=RANDOM_NAME, body__name=BODY).exists():
        return ["示范评查活动已加载，未做改动。"]
    body = Agency.objects.filter(name=BODY).first()
    leader = Account.objects.filter(username="supervisor").first()
    second = Account.objects.filter(username="supervisor2").first()
    county = Account.objects.filter(username="county_supervisor").first()
    if body is None or leader is None or second is None or county is None:
        return ["未找到示范市司法局及其执法监督人员，未加载示范评查活动。"]
    agencies = _agencies(body)
    if len(agencies) < 3:
        return ["示范执法机关2026年已作出决定的处罚案件不足，未加载示范评查活动。"]
    lines = [_install_templates(leader, today)]
    campaign = sc.campaign_plan(
        actor=leader,
        name=RANDOM_NAME,
        agencies=agencies,
        kinds=[Case.Kind.PENALTY_GENERAL],
        decided_from=date(2026, 1, 1),
        decided_to=date(2026, 9, 30),
        starts_on=DRAWN,
        ends_on=date(2026, 11, 30),
        steps="（一）随机抽取案卷；（二）评查人员分别查阅、独立评分并签名；（三）组长核定差异；（四）形成评查报告",
        requirements="评查人员回避本单位案卷；扣分须写明理由",
        sampling_mode=Campaign.Sampling.RANDOM,
        sample_count=3,
        on=PLANNED,
    )
    team = (
        (leader, TeamMember.Kind.SUPERVISOR, True),
        (second, TeamMember.Kind.SUPERVISOR, False),
        (county, TeamMember.Kind.SUPERVISOR, False),
    )
    for account, kind, is_leader in team:
        sc.campaign_member_add(
            actor=leader,
            campaign=campaign,
            kind=kind,
            account=account,
            is_leader=is_leader,
            on=PLANNED,
        )
    for name, kind in (
        ("王立新（示范大学法学院教授）", TeamMember.Kind.EXPERT),
        ("赵春梅（市人大代表）", TeamMember.Kind.NPC),
    ):
        sc.campaign_member_add(actor=leader, campaign=campaign, kind=kind, name=name, on=PLANNED)
    files = sc.campaign_draw(actor=leader, campaign=campaign, on=DRAWN, seed=SEED)
    plan = [  # (deducted by each reviewer, veto) — agreeing unless noted
        (Decimal(4), Decimal(6), False),  # 优秀
        (Decimal(17), Decimal(15), False),  # 良好
        (Decimal(32), Decimal(30), False),  # 合格
        (Decimal(48), Decimal(46), False),  # 不合格
        (Decimal(3), Decimal(3), True),  # 否决 → 不合格
        (Decimal(8), Decimal(22), False),  # 14 apart → 组长核定
        (Decimal(9), Decimal(11), False),  # 优秀
        (Decimal(20), Decimal(22), False),  # 良好
        (Decimal(36), Decimal(38), False),  # 合格
    ]  # every drawn file is scored, so the outcomes demo can report; 自行选送 waits below
    reconciled = 0
    for file, (first, other, veto) in zip(files, plan, strict=False):
        spec = sc.spec_of(file.template)
        _sign(file, [_marks(spec, first, veto=veto), _marks(spec, other, veto=veto)])
        file.refresh_from_db()
        if file.state == File.State.DIFFERENT:
            sc.file_reconcile(
                actor=leader,
                file=file,
                marks=_marks(spec, Decimal(12)),
                reason="两名评查人员对卷面和告知程序的扣分差异较大，组长查阅案卷后核定",
                on=RECONCILED,
            )
            reconciled += 1
    grades = sorted(
        set(
            File.objects.filter(campaign=campaign).exclude(grade="").values_list("grade", flat=True)
        )
    )
    lines.append(
        f"评查活动 {campaign.number}：随机抽取{len(files)}件（种子“{SEED}”），"
        f"已评定等次：{'、'.join(grades)}；组长核定{reconciled}件"
    )
    head = Account.objects.filter(username="head", role=Account.Role.HEAD).first()
    if head is not None and head.agency_id is not None:
        submitted = sc.campaign_plan(
            actor=leader,
            name=SUBMITTED_NAME,
            agencies=[Agency.objects.get(pk=head.agency_id)],
            kinds=[Case.Kind.PENALTY_GENERAL],
            decided_from=date(2026, 1, 1),
            decided_to=date(2026, 9, 30),
            starts_on=DRAWN,
            ends_on=date(2026, 11, 30),
            sampling_mode=Campaign.Sampling.SUBMITTED,
            on=PLANNED,
        )
        for account, kind, is_leader in team:
            sc.campaign_member_add(
                actor=leader,
                campaign=submitted,
                kind=kind,
                account=account,
                is_leader=is_leader,
                on=PLANNED,
            )
        from .selectors_campaigns import cases_to_submit

        for case in list(cases_to_submit(head, submitted)[:2]):
            sc.campaign_file_submit(actor=head, campaign=submitted, case=case, on=DRAWN)
        lines.append(f"评查活动 {submitted.number}：自行选送{submitted.files.count()}件，待评分")
    return lines
