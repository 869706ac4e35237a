"""The demo's evaluation outcomes, on the demo campaign the campaigns part builds (looked up by
name; nothing is done when it is absent): the team report, the feedback to each agency, one
objection upheld with a new result and one rejected, the overall report and the 通报 (proposed
for publication), and two accountability records (责任追究).

Every write goes through the services, so through the record; dated before ``today``;
idempotent: a closed campaign is left as it is, a half-done one is taken on from its state.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from zhifa.cases.models import CaseOfficer
from zhifa.registry.models import Account

from . import selectors_outcomes as sel
from . import services_outcomes as services
from .models import Accountability, Campaign, File, Objection, Scoring

CITY_BODY = "示范市司法局"
# The campaigns part's demo campaign (its name there); the first 2026 campaign of the body that
# is not a self-evaluation is taken when no campaign bears this name.
DEMO_CAMPAIGN = "2026年度行政处罚案卷评查（随机抽查）"  # demo_campaigns.RANDOM_NAME


def demo_campaign() -> Campaign | None:
    qs = Campaign.objects.filter(body__name=CITY_BODY)
    return (
        qs.filter(name=DEMO_CAMPAIGN).first()
        or qs.filter(year=2026, self_evaluation=False).order_by("pk").first()
    )


def _supervisor(campaign: Campaign) -> Account | None:
    if campaign.created_by.role == Account.Role.SUPERVISOR:
        return campaign.created_by
    return (
        Account.objects.filter(
            role=Account.Role.SUPERVISOR, agency_id=campaign.body_id, is_active=True
        )
        .order_by("pk")
        .first()
    )


def _marks(file: File) -> dict[str, Any]:
    marks = (file.result or {}).get("marks")
    if isinstance(marks, dict):
        return marks
    signed = Scoring.objects.filter(file=file, state=Scoring.State.SIGNED).order_by("pk").first()
    return dict(signed.marks) if signed is not None else {"items": {}, "vetoes": {}}


def _lighter(file: File) -> dict[str, Any]:
    """The file's marks less its heaviest deduction and its vetoes: the upheld re-check."""
    marks = _marks(file)
    deductions, _ = sel.file_deductions(file)
    items = dict(marks.get("items") or {})
    if deductions:
        heaviest = max(deductions, key=lambda d: d.points)
        items.pop(heaviest.code, None)
    return {"items": items, "vetoes": {}}


def load(today: date) -> list[str]:
    campaign = demo_campaign()
    if campaign is None:
        return [f"未找到{CITY_BODY}的示范评查活动（{DEMO_CAMPAIGN}），未加载评查结果。"]
    if campaign.state == Campaign.State.CLOSED:
        return [f"示范评查活动“{campaign.name}”已总结通报，未做改动。"]
    actor = _supervisor(campaign)
    if actor is None:
        return [f"{CITY_BODY}没有行政执法监督人员，未加载评查结果。"]
    with transaction.atomic():
        return _load(campaign, actor, today)


def _load(campaign: Campaign, actor: Account, today: date) -> list[str]:
    lines: list[str] = []
    closing = today - timedelta(days=1)
    fed_back = today - timedelta(days=35)  # the objection limit (10 working days) has run out
    reported = fed_back - timedelta(days=3)
    if campaign.state == Campaign.State.SCORING:
        if File.objects.filter(campaign=campaign).exclude(state=File.State.SCORED).exists():
            return [f"示范评查活动“{campaign.name}”还有案卷未评定，未制作报告。"]
        report = services.campaign_report_team(
            actor=actor,
            campaign=campaign,
            on=reported,
            suggestions="规范送达程序，完善送达回证\n严格落实两名执法人员和持证执法要求",
        )
        lines.append(f"评查小组报告：{report.number}")
        campaign.refresh_from_db()
    if campaign.state == Campaign.State.REPORTED:
        letters = services.campaign_feedback(actor=actor, campaign=campaign, on=fed_back)
        lines.append(f"反馈意见：{len(letters)}份")
        campaign.refresh_from_db()
    if campaign.state == Campaign.State.FEEDBACK:
        lines += _objections(campaign, actor, fed_back)
        overall, notice = services.campaign_close(
            actor=actor,
            campaign=campaign,
            on=closing,
            suggestions="督促各被评查单位落实整改\n评查结果纳入年度依法行政考评",
            publish=True,
        )
        lines.append(f"总体报告：{overall.number}；通报：{notice.number}（已提交公开审核）")
    lines += _accountability(campaign, actor, closing)
    return lines


def _objections(campaign: Campaign, actor: Account, fed_back: date) -> list[str]:
    if Objection.objects.filter(file__campaign=campaign).exists():
        pending = Objection.objects.filter(
            file__campaign=campaign, outcome=Objection.Outcome.PENDING
        )
        for o in pending:
            services.objection_answer(
                actor=actor,
                objection=o,
                upheld=False,
                answer="经复核，维持原评查结果",
                on=fed_back + timedelta(days=7),
            )
        return []
    files = list(sel.campaign_files(campaign).filter(total__isnull=False))
    failed = [f for f in files if sel.is_failed(f)]
    chosen: list[File] = []
    for f in failed + [f for f in files if f not in failed]:
        heads = Account.objects.filter(role=Account.Role.HEAD, agency=f.agency, is_active=True)
        if heads.exists() and f not in chosen:
            chosen.append(f)
        if len(chosen) == 2:
            break
    if len(chosen) < 2:
        return ["被评查单位没有负责人账号，未加载异议。"]
    lines = []
    filed_on = fed_back + timedelta(days=2)
    answered_on = fed_back + timedelta(days=7)
    for n, f in enumerate(chosen):
        head = Account.objects.filter(
            role=Account.Role.HEAD, agency=f.agency, is_active=True
        ).order_by("pk")[0]
        o = services.objection_file(
            actor=head,
            file=f,
            reasons="送达回证附于副卷，请予复核" if n == 0 else "本案有两名执法人员在场，请予复核",
            on=filed_on,
        )
        if n == 0:
            services.objection_answer(
                actor=actor,
                objection=o,
                upheld=True,
                answer="经复核，副卷中有送达回证，该项不予扣分",
                marks=_lighter(File.objects.get(pk=f.pk)),
                on=answered_on,
            )
            lines.append(f"异议成立：{f.agency.name} 案卷{f.case.number}")
        else:
            services.objection_answer(
                actor=actor,
                objection=o,
                upheld=False,
                answer="经复核，现场检查笔录仅有一名执法人员签名，维持原评查结果",
                on=answered_on,
            )
            lines.append(f"异议不成立：{f.agency.name} 案卷{f.case.number}")
    return lines


def _accountability(campaign: Campaign, actor: Account, on: date) -> list[str]:
    if Accountability.objects.filter(file__campaign=campaign).exists():
        return []
    failed = [f for f in sel.campaign_files(campaign) if f.total is not None and sel.is_failed(f)]
    made = []
    plans = (
        (
            Accountability.Ground.FAULT,
            Accountability.Measure.RETRAINING,
            "案卷不合格，离岗培训一个月",
        ),
        (
            Accountability.Ground.RESPONSIBILITY,
            Accountability.Measure.CRITICISM,
            "评查不合格案卷的承办人员，批评教育",
        ),
    )
    pairs = [
        (f, co.officer)
        for f in failed
        for co in CaseOfficer.objects.filter(case=f.case)
        .select_related("officer")
        .order_by("role", "pk")
    ]
    for (f, officer), (ground, measure, note) in zip(pairs, plans, strict=False):
        row = services.accountability_record(
            actor=actor,
            agency=f.agency,
            officer=officer,
            file=f,
            ground=ground,
            measure=measure,
            deciding_body=f.agency.name,
            decided_on=on,
            note=note,
            on=on,
        )
        made.append(f"责任追究：{row.name}（{row.get_measure_display()}）")
    return made
