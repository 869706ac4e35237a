"""Reads of complaints. Lists come from ``complaints_visible_to``; the complainant's identity
only from ``complaint_identity_for`` (supervisors of the region; the agency complained about
only with the complainant's consent); the public status page only from ``complaint_progress``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from zhifa.core.calendar import counted
from zhifa.core.identifiers import division_prefix
from zhifa.core.time_limits import time_limit
from zhifa.record.models import Entry
from zhifa.record.verification import Problem
from zhifa.registry.models import Account
from zhifa.registry.selectors import is_system_admin

from . import intake
from .models import (
    AgencyRating,
    Appointment,
    Complaint,
    ComplaintChannel,
    ComplaintEvent,
    HearingObservation,
    MatterInvitation,
)
from .state import digest_matches

Role = Account.Role
S = Complaint.State

# What the agency complained about sees: complaints the supervisor has taken up.
AGENCY_VISIBLE_STATES = (S.ACCEPTED, S.CONCLUDED)


def complaints_visible_to(account: Account) -> QuerySet[Complaint]:
    qs = Complaint.objects.all()
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if is_system_admin(account):
        return qs
    if account.role == Role.SUPERVISOR and account.region_code:
        return qs.filter(agency__division_code__startswith=division_prefix(account.region_code))
    if account.role == Role.HEAD and account.agency_id:
        return qs.filter(agency_id=account.agency_id, state__in=AGENCY_VISIBLE_STATES)
    return qs.none()


def may_see_identity(account: Account, complaint: Complaint) -> bool:
    """Supervisors of the region and the system administrator; the agency's own people only
    when the complainant consented (四川省行政执法监督条例第八条: 为投诉人保密)."""
    if complaint.anonymous:
        return False
    if is_system_admin(account):
        return True
    if account.role == Role.SUPERVISOR and account.region_code:
        return complaint.agency.division_code.startswith(division_prefix(account.region_code))
    return complaint.consent_share and account.agency_id == complaint.agency_id


@dataclass(frozen=True)
class Identity:
    name: str
    contact: str


def complaint_identity_for(account: Account, complaint: Complaint) -> Identity | None:
    if not may_see_identity(account, complaint):
        return None
    return Identity(complaint.complainant_name, complaint.complainant_contact)


_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def identity_masked(complaint: Complaint, text: str) -> str:
    """``text`` with the complainant's name and contact, and any mobile number, ID number or
    e-mail address, replaced by stars of the same length (a complainant often names themselves
    in what they write)."""
    for value in (complaint.complainant_name, complaint.complainant_contact):
        if value.strip():
            text = text.replace(value, "＊" * len(value))
    return identifiers_masked(text)


def identifiers_masked(text: str) -> str:
    """``text`` with any mobile number, ID number or e-mail address starred (same length)."""
    for pattern in (_MOBILE, _ID_NUMBER, _EMAIL):
        text = pattern.sub(lambda m: "＊" * len(m.group(0)), text)
    return text


def complaint_text_for(account: Account, complaint: Complaint, text: str) -> str:
    """A free text of the complaint as ``account`` may read it (masked unless it may see the
    identity — the region's supervisors, or the agency with consent)."""
    return text if may_see_identity(account, complaint) else identity_masked(complaint, text)


def complaints_search(
    qs: QuerySet[Complaint], *, state: str = "", q: str = "", origin: str = ""
) -> QuerySet[Complaint]:
    if state:
        qs = qs.filter(state=state)
    if origin:
        qs = qs.filter(origin=origin)
    if q:
        qs = qs.filter(number=q.strip().upper()) | qs.filter(agency__name__contains=q.strip())
    return qs.select_related("agency", "officer").order_by("-received_on", "-pk")


def complaints_awaiting_acceptance(account: Account) -> QuerySet[Complaint]:
    if account.role != Role.SUPERVISOR:
        return Complaint.objects.none()
    return complaints_visible_to(account).filter(state=S.RECEIVED).order_by("accept_due", "pk")


def complaints_in_handling(account: Account) -> QuerySet[Complaint]:
    if account.role != Role.SUPERVISOR:
        return Complaint.objects.none()
    return complaints_visible_to(account).filter(state=S.ACCEPTED).order_by("handle_due", "pk")


@dataclass(frozen=True)
class Countdown:
    due_on: date
    remaining: int  # negative: overdue
    unit: str
    basis: str  # time_limit(key).text


def countdown(key: str, due: date, today: date) -> Countdown:
    row = time_limit(key)
    if row.unit == "workdays":
        n, _p = counted(
            lambda cal: cal.workdays_between(today, due), from_year=min(today, due).year
        )
        unit = "个工作日"
    else:
        n, unit = (due - today).days, "日"
    return Countdown(due, n, unit, row.text)


def complaint_countdown(complaint: Complaint, today: date) -> Countdown | None:
    if complaint.state == S.RECEIVED:
        return countdown(intake.ACCEPT, complaint.accept_due, today)
    if complaint.state == S.ACCEPTED and complaint.handle_due is not None:
        return countdown(intake.HANDLE, complaint.handle_due, today)
    return None


def complaint_transfer_countdown(complaint: Complaint, today: date) -> Countdown | None:
    """While it is not yet accepted: by when a complaint this body is not competent for must be
    transferred (``complaints.transfer``, counted from its receipt)."""
    from zhifa.core.time_limits import due_on

    if complaint.state != S.RECEIVED:
        return None
    due, _provisional = due_on(intake.TRANSFER, complaint.received_on)
    return countdown(intake.TRANSFER, due, today)


@dataclass(frozen=True)
class ProgressStep:
    label: str
    on: date


def complaint_progress(complaint: Complaint) -> list[ProgressStep]:
    """What the status page shows: each step's name and day — no note, no name, no result
    beyond the state (the result is told to the complainant directly)."""
    return [
        ProgressStep(ComplaintEvent.Kind(e.kind).label, e.on)
        for e in complaint.events.order_by("on", "pk")
    ]


def complaint_by_number(number: str) -> Complaint | None:
    return Complaint.objects.filter(number=number.strip().upper()).first()


def channels_public() -> QuerySet[ComplaintChannel]:
    return ComplaintChannel.objects.select_related("body").order_by("body__division_code")


def channel_of(account: Account) -> ComplaintChannel | None:
    if account.agency_id is None:
        return None
    return ComplaintChannel.objects.filter(body_id=account.agency_id).first()


def complaints_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """``zhifa verify``: each complaint's row against the keyed digest of its latest entry."""
    del groups  # complaints have no case; each row points at its latest entry
    rows = Complaint.objects.order_by("pk").iterator(chunk_size=2000)
    for complaint in rows:
        seq = complaint.last_entry_seq
        entry = None if seq is None else Entry.objects.filter(seq=seq).first()
        data = entry.data if entry is not None else None
        if (
            entry is None
            or not entry.action.startswith("complaint.")
            or not isinstance(data, dict)
            or data.get("complaint") != complaint.pk
        ):
            yield Problem(
                kind="complaint_unrecorded",
                case_id=None,
                seq=seq,
                message=f"投诉{complaint.number}没有对应的记录",
            )
            continue
        if not digest_matches(complaint, str(data.get("digest", ""))):
            yield Problem(
                kind="complaint_altered",
                case_id=None,
                seq=seq,
                message=f"投诉{complaint.number}与记录#{seq}不一致",
            )
    yield from _monitor_rows_check()


def _entry_data(seq: int | None, actions: tuple[str, ...]) -> dict[str, Any] | None:
    entry = None if seq is None else Entry.objects.filter(seq=seq).first()
    if entry is None or entry.action not in actions or not isinstance(entry.data, dict):
        return None
    return entry.data


def _monitor_rows_check() -> Iterator[Problem]:
    """Appointments, hearing registrations and ratings against the entries that wrote them."""
    for a in Appointment.objects.order_by("pk").iterator(chunk_size=2000):
        data = _entry_data(a.last_entry_seq, ("monitor.appoint", "monitor.dismiss"))
        recorded = {
            "appointment": a.pk,
            "account": a.account_id,
            "body": a.body_id,
            "sector": a.sector,
            "document": a.document,
            "term_start": a.term_start.isoformat(),
            "term_end": a.term_end.isoformat(),
            "ended_on": a.ended_on.isoformat() if a.ended_on else None,
        }
        if data != recorded:
            yield Problem(
                kind="monitor_appointment_altered",
                seq=a.last_entry_seq,
                message=f"行政执法监督员聘任{a.pk}与记录#{a.last_entry_seq}不一致",
            )
    for o in HearingObservation.objects.order_by("pk").iterator(chunk_size=2000):
        data = _entry_data(o.entry_seq, ("monitor.observe",))
        if data != {"appointment": o.appointment_id, "hearing_on": o.hearing_on.isoformat()}:
            yield Problem(
                kind="monitor_observation_altered",
                case_id=o.case_id,
                seq=o.entry_seq,
                message=f"旁听听证登记{o.pk}与记录#{o.entry_seq}不一致",
            )
    for i in MatterInvitation.objects.order_by("pk").iterator(chunk_size=2000):
        data = _entry_data(i.entry_seq, ("monitor.invite",))
        expected_invite = {
            "appointment": i.appointment_id,
            "matter": i.matter_id,
            "on": i.invited_on.isoformat(),
        }
        if data != expected_invite:
            yield Problem(
                kind="monitor_invitation_altered",
                seq=i.entry_seq,
                message=f"监督员参与监督事项邀请{i.pk}与记录#{i.entry_seq}不一致",
            )
    for r in AgencyRating.objects.order_by("pk").iterator(chunk_size=2000):
        data = _entry_data(r.entry_seq, ("monitor.rate",))
        expected = {
            "appointment": r.appointment_id,
            "agency": r.agency_id,
            "campaign": r.campaign,
            "score": r.score,
            "comment": r.comment,
        }
        if data != expected:
            yield Problem(
                kind="monitor_rating_altered",
                seq=r.entry_seq,
                message=f"监督员评议{r.pk}与记录#{r.entry_seq}不一致",
            )


def officer_certificates(agency_id: int, q: str) -> list[tuple[str, str]]:
    """(certificate number, holder's name) of the body's certificates a citizen may look up by
    name or number (registry.public.certificates_public_lookup: exact, at most 20)."""
    from zhifa.registry.public import certificates_public_lookup

    return [
        (c.number, c.officer.name)
        for c in certificates_public_lookup(q)
        if c.agency_id == agency_id and c.kind == "enforcement"
    ]


# -- 行政执法监督员 ------------------------------------------------------------------------------


def appointment_serving(account: Account, today: date) -> Appointment | None:
    """The account's appointment in force ``today`` (None: not a serving 监督员)."""
    from django.db.models import Q

    if not account.is_authenticated or account.role != Role.EXTERNAL_SUPERVISOR:
        return None
    return (
        Appointment.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today),
            account=account,
            term_start__lte=today,
            term_end__gte=today,
        )
        .select_related("body")
        .first()
    )


def appointments_visible_to(account: Account) -> QuerySet[Appointment]:
    if account.role == Role.SUPERVISOR and account.agency_id:
        return Appointment.objects.filter(body_id=account.agency_id).select_related("account")
    if account.role == Role.EXTERNAL_SUPERVISOR:
        return Appointment.objects.filter(account=account)
    return Appointment.objects.none()


@dataclass(frozen=True)
class HearingRow:
    """A hearing as a 监督员 sees it: agency, case number, day — no party, no case text."""

    case_id: int
    agency: str
    number: str
    hearing_on: date
    registered: bool


def hearings_for_monitor(account: Account, today: date) -> list[HearingRow]:
    from zhifa.cases.selectors import hearings_scheduled

    appointment = appointment_serving(account, today)
    if appointment is None:
        return []
    mine = set(
        HearingObservation.objects.filter(appointment=appointment).values_list(
            "case_id", "hearing_on"
        )
    )
    rows = hearings_scheduled(region_prefix=division_prefix(account.region_code), since=today)
    return [
        HearingRow(c.pk, c.agency.name, c.number, c.hearing_on, (c.pk, c.hearing_on) in mine)
        for c in rows[:100]
        if c.hearing_on is not None
    ]


@dataclass(frozen=True)
class InvitedMatter:
    """A matter as an invited 监督员 sees it: number, title (identifiers masked), agency, state."""

    number: str
    title: str
    agency: str
    state: str
    invited_on: date


def matters_invited(account: Account) -> list[InvitedMatter]:
    from zhifa.supervision.models import Matter
    from zhifa.supervision.selectors import matter_title_without_personal_data

    invitations = MatterInvitation.objects.filter(appointment__account=account).order_by(
        "-invited_on", "pk"
    )
    by_matter = {i.matter_id: i.invited_on for i in invitations}
    matters = Matter.objects.filter(pk__in=by_matter).select_related("agency")
    return [
        InvitedMatter(
            m.number,
            identifiers_masked(matter_title_without_personal_data(m)),
            m.agency.name,
            m.get_state_display(),
            by_matter[m.pk],
        )
        for m in matters
    ]


def opinions_of(account: Account) -> QuerySet[Complaint]:
    return Complaint.objects.filter(
        submitted_by=account, origin=Complaint.Origin.EXTERNAL_SUPERVISOR
    ).select_related("agency")


def ratings_of(account: Account) -> QuerySet[AgencyRating]:
    return AgencyRating.objects.filter(appointment__account=account).select_related("agency")


def ratings_summary(account: Account, campaign: str = "") -> QuerySet[Any]:
    """Average score and count per agency of the supervisor's region (for the bureau)."""
    from django.db.models import Avg, Count

    qs = AgencyRating.objects.filter(appointment__body_id=account.agency_id or -1)
    if campaign:
        qs = qs.filter(campaign=campaign)
    return (
        qs.values("agency__name", "campaign")
        .annotate(average=Avg("score"), n=Count("pk"))
        .order_by("campaign", "agency__name")
    )


def complainant_values(matter: Any) -> list[tuple[str, str, str]]:
    """The complainant's name and contact of the complaint a supervision matter came from, for
    the redaction of a published supervision result (``supervision.personal_values``)."""
    if not getattr(matter, "origin_ref", ""):
        return []
    complaint = complaint_by_number(matter.origin_ref)
    if complaint is None:
        return []
    out = []
    if complaint.complainant_name:
        out.append((complaint.complainant_name, "person_name", "投诉举报人的姓名"))
    if complaint.complainant_contact:
        contact = complaint.complainant_contact
        kind = (
            "email"
            if "@" in contact
            else "phone"
            if any(c.isdigit() for c in contact)
            else "personal"
        )
        out.append((contact, kind, "投诉举报人的联系方式"))
    return out
