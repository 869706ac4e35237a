"""The filings' writes (季报/年报): generate from the record, edit the 情况说明 and the 专项说明,
submit (freeze), accept or return; and file the same tables by form or upload for an agency
whose work is not in zhifa. Each service records itself (``recording.record_rows``) in its
transaction; the agency and the supervisors are notified."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse

from zhifa.core.identifiers import division_prefix
from zhifa.notifications.models import Notification
from zhifa.notifications.services import notification_send
from zhifa.registry.models import Account, Agency

from . import filing_rules as rules
from . import narrative, special_notes
from .models import Filing
from .periods import Period, period_of
from .recording import record_rows
from .selectors_filings import (
    FROZEN,
    Figures,
    canonical_sha256,
    due_on,
    held_kinds,
    live_counted,
    live_figures,
    tables_for,
)

State = Filing.State


def _prepares(actor: Account, agency: Agency) -> None:
    rules.actor_prepares(role=actor.role, actor_agency_id=actor.agency_id, agency_id=agency.pk)


def _reviews(actor: Account, filing: Filing) -> None:
    prefix = division_prefix(actor.region_code) if actor.region_code else None
    rules.actor_reviews(
        role=actor.role, region_prefix=prefix, division_code=filing.agency.division_code
    )


def prompts_of(filing: Filing) -> list[special_notes.Prompt]:
    return special_notes.prompts(
        tables=tables_for(filing.agency),
        held_kinds=held_kinds(filing.agency),
        figures=filing.figures or {},
        annual=filing.quarter == 0,
    )


def narrative_draft(agency: Agency, period: Period, figs: Figures) -> str:
    """The first draft, against last year's submitted figures (else last year's live ones)."""
    last = period.previous_year()
    before = Filing.objects.filter(
        agency=agency, year=last.year, quarter=last.quarter, state__in=FROZEN
    ).first()
    previous = before.figures if before is not None else live_figures(agency, last)
    return narrative.draft(
        agency_name=agency.name, period_label=period.label, figures=figs, previous=previous
    )


def supervisors_of(agency: Agency) -> list[Account]:
    """The active supervisors whose region covers the agency."""
    return [
        a
        for a in Account.objects.filter(role=Account.Role.SUPERVISOR, is_active=True)
        if a.region_code and agency.division_code.startswith(division_prefix(a.region_code))
    ]


def preparers_of(agency: Agency) -> list[Account]:
    return list(Account.objects.filter(agency=agency, role__in=rules.PREPARERS, is_active=True))


def _notify(recipients: list[Account], filing: Filing, title: str, body: str = "") -> None:
    notification_send(
        recipients=recipients,
        kind=Notification.Kind.STATISTICS,
        title=title,
        body=body,
        url=reverse("statistics_filing", args=[filing.pk]),
    )


@transaction.atomic
def filing_generate(*, actor: Account, agency: Agency, year: int, quarter: int, on: date) -> Filing:
    """Generate (or, while a draft or returned, generate again) the agency's filing for the
    period from the record: its figures, the cases each counts, and — when the narrative is
    still empty — the first draft of the 情况说明."""
    _prepares(actor, agency)
    period = period_of(year, quarter)
    filing = (
        Filing.objects.select_for_update().filter(agency=agency, year=year, quarter=quarter).first()
    )
    if filing is not None:
        rules.editable(state=filing.state)
    figs = live_figures(agency, period)
    if filing is None:
        filing = Filing(agency=agency, year=year, quarter=quarter, due_on=due_on(period))
    filing.origin = Filing.Origin.COMPUTED
    filing.figures = figs
    filing.counted = live_counted(agency, period)
    filing.figures_sha256 = ""
    filing.updated_by = actor
    if not filing.narrative.strip():
        filing.narrative = narrative_draft(agency, period, figs)
    filing.save()
    record_rows(actor, "statistics.filing.generate", [filing], on=on)
    return filing


@transaction.atomic
def filing_narrative_save(*, actor: Account, filing: Filing, text: str, on: date) -> Filing:
    filing = Filing.objects.select_for_update().select_related("agency").get(pk=filing.pk)
    _prepares(actor, filing.agency)
    rules.editable(state=filing.state)
    filing.narrative = text.strip()
    filing.updated_by = actor
    filing.save(update_fields=["narrative", "updated_by"])
    record_rows(actor, "statistics.filing.narrative", [filing], on=on)
    return filing


@transaction.atomic
def filing_special_note_save(
    *, actor: Account, filing: Filing, table: str, text: str, on: date
) -> Filing:
    filing = Filing.objects.select_for_update().select_related("agency").get(pk=filing.pk)
    _prepares(actor, filing.agency)
    rules.editable(state=filing.state)
    notes = dict(filing.special_notes or {})
    if text.strip():
        notes[table] = text.strip()
    else:
        notes.pop(table, None)
    filing.special_notes = notes
    filing.updated_by = actor
    filing.save(update_fields=["special_notes", "updated_by"])
    record_rows(actor, "statistics.filing.special_note", [filing], on=on, table=table)
    return filing


@transaction.atomic
def filing_submit(*, actor: Account, filing: Filing, on: date) -> Filing:
    """Freeze and submit: the figures and the counted cases as they are now (computed
    filings are counted again at this moment), with the SHA-256 of the canonical figures;
    refused while a required 专项说明 is missing."""
    filing = Filing.objects.select_for_update().select_related("agency").get(pk=filing.pk)
    _prepares(actor, filing.agency)
    rules.editable(state=filing.state)
    if filing.origin == Filing.Origin.COMPUTED:
        period = period_of(filing.year, filing.quarter)
        filing.figures = live_figures(filing.agency, period)
        filing.counted = live_counted(filing.agency, period)
    special_notes.notes_complete(prompts=prompts_of(filing), notes=filing.special_notes or {})
    filing.figures_sha256 = canonical_sha256(filing.figures)
    filing.state = State.SUBMITTED
    filing.submitted_on = on
    filing.decided_on = None
    filing.updated_by = actor
    filing.save()
    record_rows(
        actor,
        "statistics.filing.submit",
        [filing],
        on=on,
        figures_sha256=filing.figures_sha256,
    )
    _notify(supervisors_of(filing.agency), filing, f"{filing}已报送，请审查")
    return filing


def _decide(
    actor: Account, filing: Filing, state: str, action: str, comments: str, on: date
) -> Filing:
    filing = Filing.objects.select_for_update().select_related("agency").get(pk=filing.pk)
    _reviews(actor, filing)
    rules.reviewable(state=filing.state)
    filing.state = state
    filing.decided_on = on
    filing.comments = comments.strip()
    filing.updated_by = actor
    filing.save()
    record_rows(actor, action, [filing], on=on)
    return filing


@transaction.atomic
def filing_accept(*, actor: Account, filing: Filing, comments: str = "", on: date) -> Filing:
    filing = _decide(actor, filing, State.ACCEPTED, "statistics.filing.accept", comments, on)
    _notify(preparers_of(filing.agency), filing, f"{filing}已被接收", filing.comments)
    return filing


@transaction.atomic
def filing_return(*, actor: Account, filing: Filing, comments: str, on: date) -> Filing:
    rules.comments_given(comments=comments)
    filing = _decide(actor, filing, State.RETURNED, "statistics.filing.return", comments, on)
    _notify(
        preparers_of(filing.agency), filing, f"{filing}被退回，请修改后重新报送", filing.comments
    )
    return filing


@transaction.atomic
def filing_file(
    *,
    actor: Account,
    agency: Agency,
    year: int,
    quarter: int,
    figures: Figures,
    on: date,
    how: str = "form",
) -> Filing:
    """Record the figures an agency whose work is not in zhifa files by form or upload (origin
    FILED; no cases behind them). The figures are already validated whole
    (``filing_upload``); a draft or returned filing is replaced, a submitted one refused."""
    _prepares(actor, agency)
    period = period_of(year, quarter)
    filing = (
        Filing.objects.select_for_update().filter(agency=agency, year=year, quarter=quarter).first()
    )
    if filing is not None:
        rules.editable(state=filing.state)
    else:
        filing = Filing(agency=agency, year=year, quarter=quarter, due_on=due_on(period))
    filing.origin = Filing.Origin.FILED
    filing.figures = dict(sorted(figures.items()))
    filing.counted = {}
    filing.figures_sha256 = ""
    filing.updated_by = actor
    if not filing.narrative.strip():
        filing.narrative = narrative_draft(agency, period, filing.figures)
    filing.save()
    extra: dict[str, Any] = {"on": on, "how": how}
    record_rows(actor, "statistics.filing.file", [filing], **extra)
    return filing


ACTION_LABELS = {
    "statistics.filing.generate": "生成统计报送",
    "statistics.filing.narrative": "编辑统计情况说明",
    "statistics.filing.special_note": "填写统计专项说明",
    "statistics.filing.submit": "报送统计数据",
    "statistics.filing.accept": "接收统计报送",
    "statistics.filing.return": "退回统计报送",
    "statistics.filing.file": "填报统计数据",
}
