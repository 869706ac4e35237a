"""Writes of evaluation campaigns (评查活动), the 《广东省行政执法案卷评查办法》第十二条 workflow
up to a standing score per file: plan (一), team (二), draw or submission and assignment,
independent scoring with reasons and signature, the combination of the signed scorings and the team
leader's reconciliation (三); and the 调阅 of a file's case.

Each service follows the contract in ``services.py``: one transaction, ``actor=`` and ``on=``,
RuleViolation naming the article, one record entry through ``recording.record_rows``.

A random draw (随机抽查) records the population (per agency, its sorted case ids and their
SHA-256) and the seed in one entry *before* the entry of the draw, so anyone can re-run it
with ``sampling.draw``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction

from zhifa.cases.models import Case
from zhifa.core.exceptions import RuleViolation
from zhifa.core.identifiers import division_contains
from zhifa.registry.models import Account, Agency
from zhifa.registry.selectors import region_of

from . import sampling, scoring
from .case_checks import findings_for
from .models import Campaign, File, Scoring, TeamMember, Template
from .record_checks import Finding, proposed_marks
from .recording import record_rows
from .selectors import may_run_campaigns

ACTION_LABELS = {
    "evaluation.campaign.plan": "制定评查工作方案",
    "evaluation.campaign.member_add": "确定评查小组成员",
    "evaluation.campaign.population": "固定抽查案卷范围和随机种子",
    "evaluation.campaign.draw": "抽取并分配评查案卷",
    "evaluation.file.submit": "自行选送评查案卷",
    "evaluation.scoring.save": "保存评分草稿",
    "evaluation.scoring.sign": "评查人员评分签名",
    "evaluation.file.reconcile": "评查组长核定得分",
    "evaluation.file.read": "调阅评查案卷",
}

GD = "《广东省行政执法案卷评查办法》"
ART_4 = f"{GD}第四条"
ART_6 = f"{GD}第六条"
ART_8 = f"{GD}第八条"
ART_9 = f"{GD}第九条"
ART_10 = f"{GD}第十条"
ART_12 = f"{GD}第十二条"
ART_14 = f"{GD}第十四条"
SUPERVISORS_NEVER_CHANGE = "《行政执法监督条例》第八条"

DEFAULT_REVIEWERS_PER_FILE = 2
REVIEWERS_PER_FILE_SOURCE = (
    f"{GD}第十条（评查工作人员分别查阅案卷，独立评分）；每卷2人为本平台默认，"
    "部署可在 ZHIFA_EVALUATION_REVIEWERS_PER_FILE 中改变"
)
DEFAULT_DIFFERENCE_THRESHOLD = Decimal(5)
DIFFERENCE_THRESHOLD_SOURCE = (
    "广东办法未规定分差阈值：默认5分为本平台设定，部署可在 "
    "ZHIFA_EVALUATION_DIFFERENCE_THRESHOLD 中改变；超过阈值的由评查组长核定"
)
RECONCILED = "组长核定"
AGREED = "评查人员评分一致"


def reviewers_per_file_default() -> tuple[int, str]:
    """The number of reviewers per file a new campaign starts with, and its source."""
    value = int(
        getattr(settings, "ZHIFA_EVALUATION_REVIEWERS_PER_FILE", DEFAULT_REVIEWERS_PER_FILE)
    )
    source = getattr(
        settings, "ZHIFA_EVALUATION_REVIEWERS_PER_FILE_SOURCE", REVIEWERS_PER_FILE_SOURCE
    )
    return max(1, value), str(source)


def difference_threshold_default() -> tuple[Decimal, str]:
    """The difference between reviewers' totals beyond which the leader reconciles."""
    value = Decimal(
        str(
            getattr(settings, "ZHIFA_EVALUATION_DIFFERENCE_THRESHOLD", DEFAULT_DIFFERENCE_THRESHOLD)
        )
    )
    source = getattr(
        settings, "ZHIFA_EVALUATION_DIFFERENCE_THRESHOLD_SOURCE", DIFFERENCE_THRESHOLD_SOURCE
    )
    return value, str(source)


# -- plan (第十二条第（一）项) ------------------------------------------------------------------


def _locked_campaign(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def may_manage(actor: Account, campaign: Campaign) -> bool:
    """The evaluating body's supervisors (or, for a self-evaluation, its head) run the plan,
    the team and the draw."""
    return may_run_campaigns(actor) and actor.agency_id == campaign.body_id


def _manager(actor: Account, campaign: Campaign) -> None:
    if not may_manage(actor, campaign):
        raise RuleViolation("只有组织本次评查的机构可以进行此项工作", article=ART_4)


def templates_for(kinds: Iterable[str], body: Agency, on: date) -> dict[str, Template]:
    """Per case kind, the published template valid on ``on``: the body's own first, then one
    of a supervising body whose region holds the body (an agency's self-evaluation uses its
    司法局's), then a shipped one; the latest in force first."""
    out: dict[str, Template] = {}
    for kind in kinds:
        candidates = list(
            Template.objects.filter(
                applies_to=kind, status=Template.Status.PUBLISHED, valid_from__lte=on
            )
            .exclude(valid_until__lt=on)
            .select_related("owner")
            .order_by("valid_from", "version", "pk")
        )
        own = [t for t in candidates if t.owner_id == body.pk]
        above = [
            t
            for t in candidates
            if t.owner is not None
            and t.owner_id != body.pk
            and body.division_code
            and t.owner.division_code
            and division_contains(t.owner.division_code, body.division_code)
        ]
        shipped = [t for t in candidates if t.owner_id is None]
        found = own or above or shipped
        if found:
            out[kind] = found[-1]
    return out


@transaction.atomic
def campaign_plan(
    *,
    actor: Account,
    name: str,
    agencies: Sequence[Agency],
    kinds: Sequence[str],
    decided_from: date,
    decided_to: date,
    starts_on: date,
    ends_on: date,
    sampling_mode: str,
    on: date,
    steps: str = "",
    requirements: str = "",
    sample_ratio: Decimal | None = None,
    sample_count: int | None = None,
    reviewers_per_file: int | None = None,
    difference_threshold: Decimal | None = None,
) -> Campaign:
    """The campaign's work plan (工作方案: 时间、范围、步骤、要求, 第十二条第（一）项), numbered
    ``示范市司法局〔2026〕评查1号``.

    A supervisor plans for the agencies of the body's region (第四条); an agency's head for its
    own agency, a self-evaluation (第六条). Each case kind in scope needs a published template
    valid on the start day; the campaign keeps those versions. Random sampling needs a ratio
    (per cent) or a count per agency, not both. Recorded as ``evaluation.campaign.plan``."""
    if not may_run_campaigns(actor):
        raise RuleViolation(
            "只有执法监督机构的人员或者执法部门负责人可以组织案卷评查", article=ART_4
        )
    assert actor.agency_id is not None  # may_run_campaigns
    body = Agency.objects.select_for_update().get(pk=actor.agency_id)
    name = name.strip()
    if not name:
        raise RuleViolation("请填写评查活动名称", article=ART_12, field="name")
    agencies = list({a.pk: a for a in agencies}.values())
    if not agencies:
        raise RuleViolation("请选择评查对象", article=ART_12, field="agencies")
    self_evaluation = actor.role == Account.Role.HEAD
    if self_evaluation:
        if any(a.pk != body.pk for a in agencies):
            raise RuleViolation(
                "执法部门只能评查本部门的案卷；评查其他机关须由执法监督机构组织",
                article=ART_6,
                field="agencies",
            )
    else:
        prefix = region_of(actor)
        if prefix is None or any(not a.division_code.startswith(prefix) for a in agencies):
            raise RuleViolation(
                "只能评查本行政区域内的行政执法机关", article=ART_4, field="agencies"
            )
    kinds = list(dict.fromkeys(kinds))
    if not kinds or any(k not in Case.Kind.values for k in kinds):
        raise RuleViolation("请选择评查的案卷类别", article=ART_12, field="kinds")
    if decided_to < decided_from:
        raise RuleViolation("案卷决定日期的终点不能早于起点", article=ART_12, field="decided_to")
    if ends_on < starts_on:
        raise RuleViolation("评查结束日期不能早于开始日期", article=ART_12, field="ends_on")
    if sampling_mode not in Campaign.Sampling.values:
        raise RuleViolation("请选择抽取方式", article=ART_8, field="sampling")
    if sampling_mode == Campaign.Sampling.RANDOM:
        if (sample_ratio is None) == (sample_count is None):
            raise RuleViolation(
                "随机抽查请填写抽取比例或每个机关抽取件数（二者择一）",
                article=ART_8,
                field="sample_ratio",
            )
        if sample_ratio is not None and not (Decimal(0) < sample_ratio <= Decimal(100)):
            raise RuleViolation("抽取比例应大于0%且不超过100%", article=ART_8, field="sample_ratio")
        if sample_count is not None and sample_count < 1:
            raise RuleViolation("每个机关抽取件数至少为1件", article=ART_8, field="sample_count")
    else:
        sample_ratio, sample_count = None, None
    default_n, _ = reviewers_per_file_default()
    per_file = default_n if reviewers_per_file is None else reviewers_per_file
    if per_file < 1 or per_file > 9:
        raise RuleViolation("每卷评查人数应为1至9人", article=ART_10, field="reviewers_per_file")
    default_t, _ = difference_threshold_default()
    threshold = default_t if difference_threshold is None else difference_threshold
    if threshold < 0 or threshold >= 100:
        raise RuleViolation(
            "分差阈值应在0至100分之间", article=ART_10, field="difference_threshold"
        )
    chosen = templates_for(kinds, body, starts_on)
    missing = [Case.Kind(k).label for k in kinds if k not in chosen]
    if missing:
        raise RuleViolation(
            f"{'、'.join(missing)}没有在{starts_on:%Y年%m月%d日}有效的已发布评查标准",
            article=ART_14,
            field="kinds",
        )
    serial = Campaign.objects.filter(body=body, number__contains=f"〔{on.year}〕").count() + 1
    campaign = Campaign.objects.create(
        number=f"{body.name}〔{on.year}〕评查{serial}号",
        body=body,
        self_evaluation=self_evaluation,
        name=name,
        year=starts_on.year,
        kinds=kinds,
        decided_from=decided_from,
        decided_to=decided_to,
        starts_on=starts_on,
        ends_on=ends_on,
        steps=steps.strip(),
        requirements=requirements.strip(),
        sampling=sampling_mode,
        sample_ratio=sample_ratio,
        sample_count=sample_count,
        reviewers_per_file=per_file,
        difference_threshold=threshold,
        created_by=actor,
    )
    campaign.agencies.set(agencies)
    campaign.templates.set(chosen.values())
    record_rows(actor, "evaluation.campaign.plan", [campaign], on=on)
    return campaign


# -- team (第九条, 第十二条第（二）项) ----------------------------------------------------------


@transaction.atomic
def campaign_member_add(
    *,
    actor: Account,
    campaign: Campaign,
    kind: str,
    on: date,
    account: Account | None = None,
    name: str = "",
    home_agency: Agency | None = None,
    is_leader: bool = False,
) -> TeamMember:
    """A member of the team (评查小组, 第九条): a supervisor or an invited person (人大代表,
    政协委员, 专家学者, officers of other agencies for 交叉评查). An account's home agency is its
    agency unless given; a member is never assigned a file of their home agency (第十条 回避).
    One leader per team. Recorded as ``evaluation.campaign.member_add``."""
    campaign = _locked_campaign(campaign)
    _manager(actor, campaign)
    if campaign.state not in (Campaign.State.PLANNED, Campaign.State.SCORING):
        raise RuleViolation("评查打分结束后不能再调整评查小组", article=ART_12)
    if kind not in TeamMember.Kind.values:
        raise RuleViolation("请选择成员身份", article=ART_9, field="kind")
    if account is not None:
        if not account.is_active:
            raise RuleViolation("该账号已停用", article=ART_9, field="account")
        if campaign.members.filter(account=account).exists():
            raise RuleViolation("该人员已在评查小组中", article=ART_9, field="account")
        name = name.strip() or account.display_name or account.get_username()
        if home_agency is None and account.agency_id is not None:
            home_agency = Agency.objects.get(pk=account.agency_id)
    name = name.strip()
    if not name:
        raise RuleViolation("请填写成员姓名", article=ART_9, field="name")
    if is_leader:
        if account is None:
            raise RuleViolation("评查组长须有平台账号，以便核定得分", article=ART_9)
        if campaign.members.filter(is_leader=True, active=True).exists():
            raise RuleViolation("评查小组已有组长", article=ART_9, field="is_leader")
    member = TeamMember.objects.create(
        campaign=campaign,
        account=account,
        name=name,
        kind=kind,
        home_agency=home_agency,
        is_leader=is_leader,
    )
    record_rows(actor, "evaluation.campaign.member_add", [member], on=on)
    return member


# -- draw, submission and assignment (第八条, 第十二条第（三）项) -------------------------------


@dataclass(frozen=True)
class _Reviewer:
    member: TeamMember
    officer_id: int | None


def _reviewers(campaign: Campaign) -> tuple[list[_Reviewer], list[_Reviewer]]:
    """(members who score, leaders) — members with an account, in the team."""
    rows = list(
        campaign.members.filter(active=True, account__isnull=False)
        .select_related("account")
        .order_by("pk")
    )
    make = [_Reviewer(m, m.account.officer_id if m.account else None) for m in rows]
    return [r for r in make if not r.member.is_leader], [r for r in make if r.member.is_leader]


def is_recused(
    campaign: Campaign, member: TeamMember, agency_id: int, officer_ids: set[int]
) -> bool:
    """第十条 回避: a member never scores a file of their home agency (in a self-evaluation,
    where every file is the body's own, a file they handled as an officer)."""
    account = member.account
    if account is not None and account.officer_id in officer_ids:
        return True
    if campaign.self_evaluation:
        return False
    return member.home_agency_id == agency_id


def _case_officer_ids(case: Case) -> set[int]:
    from zhifa.cases.selectors import case_officers

    return set(case_officers(case).values_list("officer_id", flat=True))


def _assign(
    campaign: Campaign,
    case: Case,
    pool: list[_Reviewer],
    leaders: list[_Reviewer],
    cursor: int,
) -> tuple[list[TeamMember], int]:
    """``reviewers_per_file`` eligible members taken round-robin from ``cursor`` (the leader
    only when the others do not suffice); the next cursor."""
    officer_ids = _case_officer_ids(case)
    chosen: list[TeamMember] = []
    n = len(pool)
    step = 0
    while len(chosen) < campaign.reviewers_per_file and step < n:
        r = pool[(cursor + step) % n]
        step += 1
        if not is_recused(campaign, r.member, case.agency_id, officer_ids):
            chosen.append(r.member)
    for r in leaders:
        if len(chosen) < campaign.reviewers_per_file and not is_recused(
            campaign, r.member, case.agency_id, officer_ids
        ):
            chosen.append(r.member)
    if len(chosen) < campaign.reviewers_per_file:
        raise RuleViolation(
            f"评查小组中无需回避的成员不足{campaign.reviewers_per_file}人，不能评查"
            f"{case.agency.name}的案卷{case.number or case.pk}；请先增加评查人员",
            article=ART_10,
        )
    return chosen, (cursor + step) % n if n else 0


def file_proposals(template: Template, case_id: int, on: date) -> dict[str, Any]:
    """The record's findings for the items and vetoes of ``template`` that name a check, keyed
    by item or veto code (``Finding.as_json``); empty when no check is installed."""
    spec = scoring.parse_template(template.content, veto_effect=template.veto_effect)
    pairs = spec.checked_codes()
    if not pairs:
        return {}
    findings = findings_for(case_id, [check for _, check in pairs], on=on)
    return {code: findings[check].as_json() for code, check in pairs if check in findings}


def drawn_proposals(
    templates: Mapping[str, Template], cases: Sequence[Case], on: date
) -> dict[int, dict[str, Any]]:
    """``file_proposals`` for every drawn case at once: the facts are read in batches
    (``selectors_checks.findings_for_many``), so a campaign of 1,000 files is pre-scored in a
    few seconds rather than one case at a time."""
    from .selectors_checks import findings_for_many

    out: dict[int, dict[str, Any]] = {}
    by_kind: dict[str, list[int]] = {}
    for case in cases:
        by_kind.setdefault(case.kind, []).append(case.pk)
    for kind, ids in by_kind.items():
        template = templates[kind]
        pairs = scoring.parse_template(
            template.content, veto_effect=template.veto_effect
        ).checked_codes()
        found = findings_for_many(ids, [check for _, check in pairs], on=on) if pairs else {}
        for pk in ids:
            got = found.get(pk, {})
            out[pk] = {code: got[check].as_json() for code, check in pairs if check in got}
    return out


def _new_file(
    campaign: Campaign,
    case: Case,
    origin: str,
    rank: int | None,
    templates: Mapping[str, Template],
    reviewers: list[TeamMember],
    on: date,
    proposals: dict[str, Any] | None = None,
) -> tuple[File, list[Scoring]]:
    template = templates[case.kind]
    file = File.objects.create(
        campaign=campaign,
        case=case,
        agency_id=case.agency_id,
        template=template,
        origin=origin,
        rank=rank,
        proposals=file_proposals(template, case.pk, on) if proposals is None else proposals,
        proposed_on=on,
    )
    scorings = [Scoring.objects.create(file=file, reviewer=m) for m in reviewers]
    return file, scorings


def _kept_templates(campaign: Campaign) -> dict[str, Template]:
    return {t.applies_to: t for t in campaign.templates.all()}


def campaign_population(campaign: Campaign) -> dict[int, list[int]]:
    """Per agency in scope (every one, even without a file), its case ids in scope, ascending:
    decided (or concluded) within the campaign's period, of its kinds (第八条)."""
    from zhifa.cases.selectors import cases_concluded_between

    agency_ids = sorted(campaign.agencies.values_list("pk", flat=True))
    out: dict[int, list[int]] = {a: [] for a in agency_ids}
    rows = cases_concluded_between(
        agency_ids=agency_ids,
        kinds=campaign.kinds,
        start=campaign.decided_from,
        end=campaign.decided_to,
    ).values_list("agency_id", "pk")
    for agency_id, case_id in rows:
        out[agency_id].append(case_id)
    return {a: sampling.population_members(ids) for a, ids in out.items()}


def _ready_team(campaign: Campaign) -> tuple[list[_Reviewer], list[_Reviewer]]:
    pool, leaders = _reviewers(campaign)
    if not leaders:
        raise RuleViolation("请先确定评查组长（核定评分差异）", article=ART_9)
    if len(pool) + len(leaders) < campaign.reviewers_per_file:
        raise RuleViolation(
            f"评查小组中有账号的成员不足{campaign.reviewers_per_file}人", article=ART_10
        )
    return pool, leaders


@transaction.atomic
def campaign_draw(
    *, actor: Account, campaign: Campaign, on: date, seed: str | None = None
) -> list[File]:
    """Take the files of a 普查 (all in scope) or draw those of a random 抽查, assign each its
    template and ``reviewers_per_file`` reviewers (round-robin, never a recused member) and
    pre-compute the record's proposals; the campaign moves to 评查打分.

    A random draw first records ``evaluation.campaign.population`` — the population per agency
    (sorted case ids), its SHA-256 and the seed (given, or 128 random bits) — and only then
    ``evaluation.campaign.draw`` with the files: re-running ``sampling.draw`` on the recorded
    population and seed gives the same files."""
    campaign = _locked_campaign(campaign)
    _manager(actor, campaign)
    if campaign.state != Campaign.State.PLANNED:
        raise RuleViolation("本次评查已抽取案卷", article=ART_12)
    if campaign.sampling == Campaign.Sampling.SUBMITTED:
        raise RuleViolation("自行选送的评查由被评查机关选送案卷，不抽取", article=ART_8)
    pool, leaders = _ready_team(campaign)
    population = campaign_population(campaign)
    if not any(population.values()):
        raise RuleViolation(
            "评查范围内没有已作出决定的案卷；请调整评查对象、类别或期间", article=ART_8
        )
    templates = _kept_templates(campaign)
    if campaign.sampling == Campaign.Sampling.RANDOM:
        seed = (seed or "").strip() or secrets.token_hex(16)
        campaign.population_sha256 = sampling.population_sha256(population)
        campaign.seed = seed
        campaign.drawn_on = on
        campaign.save(update_fields=["population_sha256", "seed", "drawn_on"])
        record_rows(
            actor,
            "evaluation.campaign.population",
            [campaign],
            on=on,
            population={str(a): ids for a, ids in population.items()},
            population_sha256=campaign.population_sha256,
            seed=seed,
            sample_ratio=campaign.sample_ratio,
            sample_count=campaign.sample_count,
            method=sampling.BASIS,
        )
        picks = sampling.draw(
            population, seed, ratio=campaign.sample_ratio, count=campaign.sample_count
        )
        chosen: list[tuple[int, str, int | None]] = [
            (p.case_id, File.Origin.DRAWN, p.rank) for p in picks
        ]
    else:
        campaign.drawn_on = on
        campaign.save(update_fields=["drawn_on"])
        chosen = [
            (case_id, File.Origin.CENSUS, None)
            for agency_id in sorted(population)
            for case_id in population[agency_id]
        ]
    cases = Case.objects.select_related("agency").in_bulk([c for c, _, _ in chosen])
    proposed = drawn_proposals(templates, [cases[c] for c, _, _ in chosen], on)
    rows: list[Any] = []
    files: list[File] = []
    cursor = 0
    for case_id, origin, rank in chosen:
        case = cases[case_id]
        reviewers, cursor = _assign(campaign, case, pool, leaders, cursor)
        file, scorings = _new_file(
            campaign, case, origin, rank, templates, reviewers, on, proposed[case_id]
        )
        files.append(file)
        rows += [file, *scorings]
    campaign.state = Campaign.State.SCORING
    campaign.save(update_fields=["state"])
    record_rows(
        actor,
        "evaluation.campaign.draw",
        [campaign, *rows],
        on=on,
        cases=[f.case_id for f in files],
    )
    return files


@transaction.atomic
def campaign_file_submit(*, actor: Account, campaign: Campaign, case: Case, on: date) -> File:
    """自行选送 (第八条): the head of an agency in scope submits one of its files in scope; it is
    assigned like a drawn one and the campaign moves to 评查打分. Recorded as
    ``evaluation.file.submit`` on the case."""
    from zhifa.cases.selectors import cases_concluded_between, cases_visible_to

    campaign = _locked_campaign(campaign)
    if campaign.sampling != Campaign.Sampling.SUBMITTED:
        raise RuleViolation("本次评查不采取自行选送方式", article=ART_8)
    if campaign.state not in (Campaign.State.PLANNED, Campaign.State.SCORING):
        raise RuleViolation("评查打分已经结束，不能再选送案卷", article=ART_12)
    if (
        actor.role != Account.Role.HEAD
        or actor.agency_id is None
        or not campaign.agencies.filter(pk=actor.agency_id).exists()
    ):
        raise RuleViolation("只有被评查机关的负责人可以选送本机关的案卷", article=ART_8)
    visible = cases_visible_to(actor).filter(pk=case.pk, agency_id=actor.agency_id).exists()
    in_scope = (
        cases_concluded_between(
            agency_ids=[actor.agency_id],
            kinds=campaign.kinds,
            start=campaign.decided_from,
            end=campaign.decided_to,
        )
        .filter(pk=case.pk)
        .exists()
    )
    if not visible or not in_scope:
        raise RuleViolation(
            "只能选送本机关在评查期间内已作出决定、属于评查类别的案卷",
            article=ART_8,
            field="case",
        )
    if campaign.files.filter(case_id=case.pk).exists():
        raise RuleViolation("该案卷已经选送", article=ART_8, field="case")
    pool, leaders = _ready_team(campaign)
    case = Case.objects.select_related("agency").get(pk=case.pk)
    cursor = campaign.files.count()
    reviewers, _ = _assign(campaign, case, pool, leaders, cursor % len(pool) if pool else 0)
    file, scorings = _new_file(
        campaign, case, File.Origin.SUBMITTED, None, _kept_templates(campaign), reviewers, on
    )
    rows: list[Any] = [file, *scorings]
    if campaign.state == Campaign.State.PLANNED:
        campaign.state = Campaign.State.SCORING
        campaign.save(update_fields=["state"])
        rows.insert(0, campaign)
    record_rows(actor, "evaluation.file.submit", rows, case_id=case.pk, on=on)
    return file


# -- scoring (第十条: 分别查阅案卷，独立评分，书面记录评查得分、扣分理由并签名) ------------


def spec_of(template: Template) -> scoring.Spec:
    return scoring.parse_template(template.content, veto_effect=template.veto_effect)


def proposals_of(file: File) -> dict[str, Any]:
    """The record's proposed marks for ``file`` ({"items": …, "vetoes": …}) from its stored
    findings."""
    spec = spec_of(file.template)
    findings_by_check: dict[str, Finding] = {}
    by_code = {i.code: i.check for i in spec.items() if i.check}
    by_code.update({v.code: v.check for v in spec.vetoes if v.check})
    for code, raw in (file.proposals or {}).items():
        check = by_code.get(code)
        if check:
            findings_by_check[check] = Finding.from_json(raw)
    return proposed_marks(spec, findings_by_check)


def _int(value: Any, code: str) -> int:
    try:
        out = int(str(value if value not in (None, "") else 0).strip())
    except ValueError:
        raise RuleViolation(f"{code}的处数应为整数", article=ART_10, field=code) from None
    if out < 0:
        raise RuleViolation(f"{code}的处数不能为负数", article=ART_10, field=code)
    return out


def _applies(item: scoring.Item, mark: Mapping[str, Any] | None) -> tuple[bool, int]:
    occ = int((mark or {}).get("occurrences") or 0)
    return occ > 0, occ


def _item_overridden(item: scoring.Item, mark: Mapping[str, Any], proposed: Any) -> bool:
    if proposed is None:
        return False
    applies, occ = _applies(item, mark)
    p_applies, p_occ = _applies(item, proposed)
    if item.rule.kind == "per_occurrence":
        return occ != p_occ
    return applies != p_applies


def normalise_marks(spec: scoring.Spec, file: File, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The reviewer's marks as stored: per item ``{"occurrences", "deduction", "reason",
    "proposed", "overridden", "override_reason"}``, per veto ``{"hit", "reason", "proposed",
    "overridden", "override_reason"}``. An item the reviewer left out takes the record's
    proposal (accepted as it is). Raises RuleViolation for a bad number, an unknown code, or an
    override without its reason."""
    proposed = proposals_of(file)
    raw_items = raw.get("items") or {}
    raw_vetoes = raw.get("vetoes") or {}
    if not isinstance(raw_items, Mapping) or not isinstance(raw_vetoes, Mapping):
        raise RuleViolation("评分格式不正确", article=ART_10)
    known_items = {i.code: i for i in spec.items()}
    known_vetoes = {v.code for v in spec.vetoes}
    for code in raw_items:
        if code not in known_items:
            raise RuleViolation(f"评查标准中没有编号为{code}的评查项", article=ART_14)
    for code in raw_vetoes:
        if code not in known_vetoes:
            raise RuleViolation(f"评查标准中没有编号为{code}的否决项", article=ART_14)
    items: dict[str, Any] = {}
    for code, item in known_items.items():
        prop = proposed["items"].get(code)
        given = raw_items.get(code)
        if given is None and prop is None:
            continue
        if not isinstance(given, Mapping) and given is not None:
            raise RuleViolation(f"{code}的评分格式不正确", article=ART_10, field=code)
        source = given if given is not None else prop
        occ = _int(source.get("occurrences"), code)
        deduction: str | None = None
        if item.rule.kind == "range" and occ > 0:
            raw_d = source.get("deduction")
            try:
                d = Decimal(str(raw_d).strip())
            except (InvalidOperation, ValueError):
                raise RuleViolation(
                    f"{code}请在{item.rule.text()}的范围内填写扣分", article=ART_14, field=code
                ) from None
            deduction = str(d)
        mark: dict[str, Any] = {
            "occurrences": occ,
            "deduction": deduction,
            "reason": str((given or {}).get("reason") or "").strip(),
            "proposed": prop,
        }
        mark["overridden"] = _item_overridden(item, mark, prop)
        mark["override_reason"] = str((given or {}).get("override_reason") or "").strip()
        if mark["overridden"] and not mark["override_reason"]:
            raise RuleViolation(
                f"{code}与系统预评不一致，请写明不采纳预评的理由", article=ART_10, field=code
            )
        try:
            scoring.item_deduction(item, mark)
        except scoring.MarkError as exc:
            raise RuleViolation(exc.message, article=ART_14, field=code) from exc
        items[code] = mark
    vetoes: dict[str, Any] = {}
    for code in sorted(known_vetoes):
        prop_v = proposed["vetoes"].get(code)
        given_v = raw_vetoes.get(code)
        if given_v is None and prop_v is None:
            continue
        if not isinstance(given_v, Mapping) and given_v is not None:
            raise RuleViolation(f"{code}的评分格式不正确", article=ART_10, field=code)
        hit = bool((given_v if given_v is not None else prop_v).get("hit"))
        p_hit = None if prop_v is None else bool(prop_v.get("hit"))
        veto: dict[str, Any] = {
            "hit": hit,
            "reason": str((given_v or {}).get("reason") or "").strip(),
            "proposed": p_hit,
            "overridden": p_hit is not None and p_hit != hit,
            "override_reason": str((given_v or {}).get("override_reason") or "").strip(),
        }
        if veto["overridden"] and not veto["override_reason"]:
            raise RuleViolation(
                f"{code}与系统预评不一致，请写明不采纳预评的理由", article=ART_10, field=code
            )
        vetoes[code] = veto
    return {"items": items, "vetoes": vetoes}


def reasons_missing(spec: scoring.Spec, marks: Mapping[str, Any]) -> list[str]:
    """Codes of items that deduct and vetoes that apply without a written reason (第十条)."""
    missing = []
    for item in spec.items():
        mark = (marks.get("items") or {}).get(item.code)
        if mark and scoring.item_deduction(item, mark) > 0 and not mark.get("reason"):
            missing.append(item.code)
    for veto in spec.vetoes:
        mark = (marks.get("vetoes") or {}).get(veto.code)
        if mark and mark.get("hit") and not mark.get("reason"):
            missing.append(veto.code)
    return missing


def _own_scoring(actor: Account, scoring_row: Scoring) -> Scoring:
    row = (
        Scoring.objects.select_for_update()
        .select_related("file__template", "reviewer")
        .get(pk=scoring_row.pk)
    )
    if row.reviewer.account_id != actor.pk or not row.reviewer.active:
        raise RuleViolation("只有分配到该案卷的评查人员本人可以评分", article=ART_10)
    if row.state != Scoring.State.DRAFT:
        raise RuleViolation("评分已签名，不能再修改", article=ART_10)
    campaign = Campaign.objects.get(pk=row.file.campaign_id)
    if campaign.state != Campaign.State.SCORING or row.file.state != File.State.ASSIGNED:
        raise RuleViolation("该案卷当前不在评查打分阶段", article=ART_12)
    return row


def _apply(row: Scoring, marks: dict[str, Any], spec: scoring.Spec) -> scoring.Result:
    result = scoring.score(spec, marks)
    row.marks = marks
    row.total = result.total
    row.grade = result.grade
    row.vetoed = result.vetoed
    return result


@transaction.atomic
def scoring_save(
    *, actor: Account, scoring_row: Scoring, marks: Mapping[str, Any], on: date
) -> Scoring:
    """Save the reviewer's draft marks (the running total and grade with them). Recorded as
    ``evaluation.scoring.save``; nobody but the reviewer reads a draft."""
    row = _own_scoring(actor, scoring_row)
    spec = spec_of(row.file.template)
    _apply(row, normalise_marks(spec, row.file, marks), spec)
    row.save(update_fields=["marks", "total", "grade", "vetoed"])
    record_rows(actor, "evaluation.scoring.save", [row], on=on)
    return row


def _file_result(file: File, spec: scoring.Spec, result: scoring.Result) -> None:
    file.total = result.total
    file.grade = result.grade
    file.vetoed = result.vetoed


@transaction.atomic
def scoring_sign(
    *, actor: Account, scoring_row: Scoring, on: date, marks: Mapping[str, Any] | None = None
) -> Scoring:
    """Sign the scoring (with ``marks`` saved first when given): every deduction and every veto
    that applies needs its written reason (第十条). Once every reviewer of the file has signed,
    their results combine (``scoring.combine``): agreeing within the campaign's threshold, the
    file is 已评定 with their mean; else it goes to the leader (待组长核定). Recorded as
    ``evaluation.scoring.sign`` with the file."""
    row = _own_scoring(actor, scoring_row)
    file = (
        File.objects.select_for_update().select_related("template", "campaign").get(pk=row.file_id)
    )
    spec = spec_of(file.template)
    stored = normalise_marks(spec, file, marks if marks is not None else (row.marks or {}))
    missing = reasons_missing(spec, stored)
    if missing:
        raise RuleViolation(
            f"{'、'.join(missing)}扣分或认定否决项未写明理由，不能签名",
            article=ART_10,
            field=missing[0],
        )
    _apply(row, stored, spec)
    row.state = Scoring.State.SIGNED
    row.signed_on = on
    row.save(update_fields=["marks", "total", "grade", "vetoed", "state", "signed_on"])
    rows: list[Any] = [row]
    all_rows = list(file.scorings.all())
    if all(s.state == Scoring.State.SIGNED for s in all_rows):
        results = [scoring.score(spec, s.marks) for s in all_rows]
        combined = scoring.combine(results, spec, file.campaign.difference_threshold)
        if combined is None:
            file.state = File.State.DIFFERENT
            file.save(update_fields=["state"])
            _notify_leader(file)
        else:
            _file_result(file, spec, combined)
            file.state = File.State.SCORED
            file.result = {
                "scorings": [s.pk for s in all_rows],
                "totals": [str(r.total) for r in results],
                "vetoed_by": list(combined.vetoed_by),
            }
            file.result_basis = AGREED
            file.save(update_fields=["state", "total", "grade", "vetoed", "result", "result_basis"])
        rows.append(file)
    record_rows(actor, "evaluation.scoring.sign", rows, case_id=file.case_id, on=on)
    return row


def _notify_leader(file: File) -> None:
    """Tell the team leader a file waits for reconciliation (the to-do list shows it too)."""
    from django.urls import reverse

    from zhifa.notifications.services import notification_send

    leaders = Account.objects.filter(
        pk__in=file.campaign.members.filter(is_leader=True, active=True).values("account_id")
    )
    notification_send(
        recipients=leaders,
        kind="evaluation",
        title=f"案卷{file.case.number or file.case_id}的评分差异超过阈值，待组长核定",
        url=reverse("evaluation_reconcile", args=[file.pk]),
        key=f"evaluation-different-{file.pk}",
    )


def is_leader(actor: Account, campaign: Campaign) -> bool:
    return campaign.members.filter(account=actor, is_leader=True, active=True).exists()


@transaction.atomic
def file_reconcile(
    *, actor: Account, file: File, marks: Mapping[str, Any], reason: str, on: date
) -> File:
    """The team leader's reconciled score of a file whose signed scorings differ beyond the
    threshold or on a veto: the leader's marks, each deduction with its reason, and the reason
    of the reconciliation. The file is 已评定 with ``result_basis`` 组长核定. Recorded as
    ``evaluation.file.reconcile``."""
    file = File.objects.select_for_update().select_related("template", "campaign").get(pk=file.pk)
    if not is_leader(actor, file.campaign):
        raise RuleViolation("只有评查组长可以核定评分差异", article=ART_10)
    if file.state != File.State.DIFFERENT:
        raise RuleViolation("该案卷的评分没有超过分差阈值的差异，无需核定", article=ART_10)
    reason = reason.strip()
    if not reason:
        raise RuleViolation("请写明核定理由", article=ART_10, field="reason")
    spec = spec_of(file.template)
    stored = normalise_marks(spec, file, marks)
    missing = reasons_missing(spec, stored)
    if missing:
        raise RuleViolation(
            f"{'、'.join(missing)}扣分或认定否决项未写明理由", article=ART_10, field=missing[0]
        )
    result = scoring.score(spec, stored)
    _file_result(file, spec, result)
    file.state = File.State.SCORED
    file.result = {**stored, "sections": {k: str(v) for k, v in result.sections.items()}}
    file.result_basis = RECONCILED
    file.result_reason = reason
    file.result_by = actor
    file.save(
        update_fields=[
            "state",
            "total",
            "grade",
            "vetoed",
            "result",
            "result_basis",
            "result_reason",
            "result_by",
        ]
    )
    record_rows(actor, "evaluation.file.reconcile", [file], case_id=file.case_id, on=on)
    return file


# -- 调阅 (the case read in the evaluation mode) -----------------------------------------------


@transaction.atomic
def file_read(*, actor: Account, file: File, on: date) -> None:
    """Record one opening of the file's case in the read-only evaluation view (调阅) as an
    entry on the case; the case itself never changes (条例第八条)."""
    record_rows(
        actor,
        "evaluation.file.read",
        [],
        case_id=file.case_id,
        on=on,
        file=file.pk,
        campaign=file.campaign_id,
        basis=SUPERVISORS_NEVER_CHANGE,
    )


def register_campaigns() -> None:
    """Labels and the to-do source of the campaigns part (called from ``apps.ready``)."""
    from zhifa.record.action_labels import register_action_labels
    from zhifa.todos.items import register_todo_source

    from .selectors_campaigns import campaign_todos

    register_action_labels(ACTION_LABELS)
    register_todo_source(
        (
            Account.Role.SUPERVISOR,
            Account.Role.HEAD,
            Account.Role.OFFICER,
            Account.Role.REVIEWER,
            Account.Role.EXTERNAL_SUPERVISOR,
        ),
        campaign_todos,
    )
