"""Reads of the campaigns part: a campaign's team, files and draw record, a reviewer's files,
the scoring screen's rows, the read-only case view and the to-do items."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from zhifa.record.models import Entry
from zhifa.registry.models import Account
from zhifa.todos.items import Todo

from . import scoring
from .models import Campaign, File, Scoring, TeamMember
from .record_checks import Finding
from .selectors import scorings_visible_to


def campaign_members(campaign: Campaign) -> QuerySet[TeamMember]:
    return campaign.members.select_related("account", "home_agency").order_by("-is_leader", "pk")


def campaign_files(campaign: Campaign) -> QuerySet[File]:
    return campaign.files.select_related("case", "agency", "template").order_by(
        "agency_id", "rank", "pk"
    )


def campaign_draw_entries(campaign: Campaign) -> list[Entry]:
    """The population/seed entry and the draw entry of the campaign, in the log's order."""
    key = f"evaluation.campaign:{campaign.pk}"
    rows = Entry.objects.filter(
        action__in=("evaluation.campaign.population", "evaluation.campaign.draw")
    ).order_by("seq")
    return [e for e in rows if key in (e.data.get("rows") or {})]


def campaign_population_entry(campaign: Campaign) -> Entry | None:
    for entry in campaign_draw_entries(campaign):
        if entry.action == "evaluation.campaign.population":
            return entry
    return None


def my_member(account: Account, campaign: Campaign) -> TeamMember | None:
    return campaign.members.filter(account=account, active=True).first()


def scorings_of(account: Account) -> QuerySet[Scoring]:
    """The account's scorings (its files to score, signed or not), newest campaign first."""
    if not account.is_authenticated:
        return Scoring.objects.none()
    return (
        Scoring.objects.filter(reviewer__account=account, reviewer__active=True)
        .select_related("file__campaign", "file__case", "file__agency", "file__template")
        .order_by("state", "-file__campaign_id", "file_id")
    )


def files_to_reconcile(account: Account) -> QuerySet[File]:
    """The files waiting for ``account`` as a team leader (待组长核定)."""
    if not account.is_authenticated:
        return File.objects.none()
    return (
        File.objects.filter(
            state=File.State.DIFFERENT,
            campaign__members__account=account,
            campaign__members__is_leader=True,
            campaign__members__active=True,
        )
        .select_related("campaign", "case", "agency")
        .order_by("campaign_id", "pk")
    )


def campaign_todos(account: Account, today: date) -> Iterable[Todo]:
    """To-dos: each file the account still has to score, and each file it must reconcile as a
    leader; due at the campaign's end day."""
    for s in scorings_of(account).filter(
        state=Scoring.State.DRAFT,
        file__state=File.State.ASSIGNED,
        file__campaign__state=Campaign.State.SCORING,
    ):
        c = s.file.campaign
        yield Todo(
            key=f"evaluation-score-{s.pk}",
            kind="evaluation_score",
            kind_label="案卷评查打分",
            what=f"评查案卷{s.file.case.number or s.file.case_id}（{c.name}）",
            url=reverse("evaluation_scoring", args=[s.file_id]),
            due_on=c.ends_on,
            remaining=(c.ends_on - today).days,
            unit="日",
            deadline_name="评查工作方案确定的结束日期",
            article="《广东省行政执法案卷评查办法》第十二条",
        )
    for f in files_to_reconcile(account):
        c = f.campaign
        yield Todo(
            key=f"evaluation-reconcile-{f.pk}",
            kind="evaluation_reconcile",
            kind_label="评查组长核定",
            what=f"核定案卷{f.case.number or f.case_id}的评分差异（{c.name}）",
            url=reverse("evaluation_reconcile", args=[f.pk]),
            due_on=c.ends_on,
            remaining=(c.ends_on - today).days,
            unit="日",
            deadline_name="评查工作方案确定的结束日期",
            article="《广东省行政执法案卷评查办法》第十条",
        )


# -- the scoring screen -------------------------------------------------------------------------


@dataclass
class ItemRow:
    item: scoring.Item
    proposal: Finding | None
    proposed_mark: dict[str, Any] | None
    mark: dict[str, Any]
    deduction: Decimal

    @property
    def rule_text(self) -> str:
        return self.item.rule.text()


@dataclass
class SectionRows:
    section: scoring.Section
    rows: list[ItemRow] = field(default_factory=list)


@dataclass
class VetoRow:
    veto: scoring.Veto
    proposal: Finding | None
    proposed_hit: bool | None
    mark: dict[str, Any]


def _findings(file: File) -> dict[str, Finding]:
    return {code: Finding.from_json(raw) for code, raw in (file.proposals or {}).items()}


def scoring_rows(
    spec: scoring.Spec,
    file: File,
    marks: Mapping[str, Any],
    proposed: Mapping[str, Any],
) -> tuple[list[SectionRows], list[VetoRow]]:
    """The template's sections with, per item, the record's finding and proposed mark and the
    mark shown (the reviewer's, else the proposal)."""
    findings = _findings(file)
    out: list[SectionRows] = []
    for section in spec.sections:
        rows = SectionRows(section)
        for item in section.items:
            prop = (proposed.get("items") or {}).get(item.code)
            mark = dict((marks.get("items") or {}).get(item.code) or prop or {})
            try:
                deduction = scoring.item_deduction(item, mark)
            except scoring.MarkError:
                deduction = Decimal(0)
            rows.rows.append(ItemRow(item, findings.get(item.code), prop, mark, deduction))
        out.append(rows)
    vetoes = []
    for veto in spec.vetoes:
        prop_v = (proposed.get("vetoes") or {}).get(veto.code)
        mark = dict((marks.get("vetoes") or {}).get(veto.code) or prop_v or {})
        vetoes.append(
            VetoRow(
                veto,
                findings.get(veto.code),
                None if prop_v is None else bool(prop_v.get("hit")),
                mark,
            )
        )
    return out, vetoes


@dataclass
class Comparison:
    code: str
    text: str
    values: list[str]
    differs: bool


def scorings_compared(
    spec: scoring.Spec, scorings: list[Scoring]
) -> tuple[list[Comparison], list[Comparison]]:
    """Per item and per veto, each signed scoring's deduction (or hit) side by side, marking
    where they differ."""
    items = []
    for item in spec.items():
        values = []
        for s in scorings:
            mark = (s.marks.get("items") or {}).get(item.code)
            try:
                d = scoring.item_deduction(item, mark)
            except scoring.MarkError:
                d = Decimal(0)
            reason = (mark or {}).get("reason") or ""
            values.append(f"−{scoring._fmt(d)}" + (f"（{reason}）" if reason and d else ""))
        items.append(Comparison(item.code, item.text, values, len(set(values)) > 1))
    vetoes = []
    for veto in spec.vetoes:
        values = [
            "是" if ((s.marks.get("vetoes") or {}).get(veto.code) or {}).get("hit") else "否"
            for s in scorings
        ]
        vetoes.append(Comparison(veto.code, veto.text, values, len(set(values)) > 1))
    return items, vetoes


def visible_scorings(account: Account, file: File) -> list[Scoring]:
    return list(scorings_visible_to(account, file).order_by("pk"))


# -- the read-only case view ----------------------------------------------------------------------


@dataclass(frozen=True)
class EntryLine:
    seq: int
    at: Any
    actor: str
    label: str


@dataclass
class CaseView:
    steps: list[Any]
    documents: list[Any]
    entries: list[EntryLine]
    officers: list[Any]


def case_view(file: File) -> CaseView:
    """The file's case as the evaluation mode shows it, read through the cases and record
    selectors; nothing here writes."""
    from zhifa.cases.selectors import case_officers, case_steps
    from zhifa.record.action_labels import action_label
    from zhifa.record.selectors import entries_of_case

    case = file.case
    return CaseView(
        steps=list(case_steps(case).prefetch_related("officers")),
        documents=list(case.documents.order_by("generated_on", "pk")),
        entries=[
            EntryLine(e.seq, e.recorded_at, e.actor_name, action_label(e.action))
            for e in entries_of_case(case.pk)
        ],
        officers=list(case_officers(case).select_related("officer")),
    )


# -- choices of the forms ----------------------------------------------------------------------


def campaign_agency_choices(account: Account) -> QuerySet[Any]:
    """The agencies a new campaign of ``account`` may cover: the region's for a supervisor,
    its own for an agency head (第六条)."""
    from zhifa.registry.models import Agency
    from zhifa.registry.selectors import agencies_visible_to

    if account.role == Account.Role.HEAD:
        return Agency.objects.filter(pk=account.agency_id or 0)
    return agencies_visible_to(account).order_by("division_code", "name")


def team_candidates(account: Account) -> QuerySet[Account]:
    """Accounts that may join a team run by ``account``: active accounts of the agencies it
    sees (its body's supervisors, officers of other agencies for 交叉评查)."""
    from zhifa.registry.selectors import agencies_visible_to

    return Account.objects.filter(is_active=True, agency__in=agencies_visible_to(account)).order_by(
        "agency_id", "username"
    )


def may_submit(account: Account, campaign: Campaign) -> bool:
    """自行选送 (第八条): the head of an agency in scope, while the campaign takes files."""
    return (
        campaign.sampling == Campaign.Sampling.SUBMITTED
        and campaign.state in (Campaign.State.PLANNED, Campaign.State.SCORING)
        and account.role == Account.Role.HEAD
        and account.agency_id is not None
        and campaign.agencies.filter(pk=account.agency_id).exists()
    )


def cases_to_submit(account: Account, campaign: Campaign) -> QuerySet[Any]:
    """自行选送: the head's own cases in the campaign's scope not yet submitted."""
    from zhifa.cases.models import Case
    from zhifa.cases.selectors import cases_concluded_between, cases_visible_to

    if account.agency_id is None:
        return Case.objects.none()
    in_scope = cases_concluded_between(
        agency_ids=[account.agency_id],
        kinds=campaign.kinds,
        start=campaign.decided_from,
        end=campaign.decided_to,
    )
    taken = campaign.files.values("case_id")
    return (
        cases_visible_to(account)
        .filter(pk__in=in_scope.values("pk"))
        .exclude(pk__in=taken)
        .order_by("decided_on", "pk")
    )
