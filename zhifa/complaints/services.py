"""Writes of complaints. Every service is one transaction, takes ``actor=`` keyword-only,
checks its rule (``intake``), changes the complaint, adds its event row and appends one record
entry (action ``complaint.*``) holding the complaint's id, number and keyed state digest — never
the complainant's identity. Refusals raise ``RuleViolation`` naming the rule.

A supervisor acts on complaints about the agencies of its region only
(``access.can_handle``); nobody changes the agency's case or register (条例第八条).
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from zhifa.core.exceptions import RuleViolation
from zhifa.core.time_limits import due_on, time_limit
from zhifa.record.models import EvidenceRef
from zhifa.record.services import evidence_store, record_append
from zhifa.registry.models import Account, Agency, Officer

from . import appointments, intake
from .models import (
    AgencyRating,
    Appointment,
    Complaint,
    ComplaintAttachment,
    ComplaintChannel,
    ComplaintEvent,
    HearingObservation,
    MatterInvitation,
)
from .state import complaint_digest

logger = logging.getLogger("zhifa.complaints")

ACTION_LABELS = {
    "complaint.channel_set": "公布投诉举报渠道",
    "complaint.submit": "收到投诉举报",
    "complaint.accept": "受理投诉",
    "complaint.refuse": "不予受理投诉",
    "complaint.transfer": "移送投诉",
    "complaint.extend": "延长投诉办理期限",
    "complaint.open_matter": "投诉立为监督事项",
    "complaint.conclude": "投诉办结",
    "complaint.tell": "告知投诉人办理结果",
    "complaint.import": "导入12345工单",
    "monitor.appoint": "聘任行政执法监督员",
    "monitor.dismiss": "解聘行政执法监督员",
    "monitor.observe": "行政执法监督员登记旁听听证",
    "monitor.rate": "行政执法监督员评议执法主体",
    "monitor.invite": "邀请行政执法监督员参与监督事项",
}

PUBLIC_ROLE = "public"
PUBLIC_NAME = "投诉人"
IMPORT_ROLE = "system"


@dataclass(frozen=True)
class Upload:
    """A file as received: its name and bytes (checked by ``complaint_submit``)."""

    name: str
    data: bytes


def _actor_fields(actor: Account | None) -> dict[str, Any]:
    if actor is None:
        return {"actor_id": None, "actor_name": PUBLIC_NAME, "role": PUBLIC_ROLE}
    return {
        "actor_id": actor.pk,
        "actor_name": actor.display_name or actor.get_username(),
        "role": actor.role,
    }


def _record(
    actor: Account | None,
    action: str,
    complaint: Complaint,
    payload: Mapping[str, Any] | None = None,
    files: Sequence[EvidenceRef] = (),
) -> int:
    assert action in ACTION_LABELS, action
    entry = record_append(
        **_actor_fields(actor),
        action=action,
        payload={
            "complaint": complaint.pk,
            "number": complaint.number,
            "state": complaint.state,
            "digest": complaint_digest(complaint),
            **(payload or {}),
        },
        files=files,
    )
    complaint.last_entry_seq = entry.seq
    Complaint.objects.filter(pk=complaint.pk).update(last_entry_seq=entry.seq)
    return entry.seq


def _event(
    complaint: Complaint,
    kind: str,
    on: date,
    seq: int,
    *,
    actor: Account | None = None,
    note: str = "",
) -> None:
    ComplaintEvent.objects.create(
        complaint=complaint, kind=kind, on=on, note=note, actor=actor, entry_seq=seq
    )


# -- channels ------------------------------------------------------------------------------


def can_edit_channels(actor: Account, body: Agency) -> bool:
    """The body's own supervisors and administrators (and the system administrator)."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.role == Account.Role.ADMIN and actor.agency_id is None and not actor.region_code:
        return True
    return actor.role in (Account.Role.SUPERVISOR, Account.Role.ADMIN) and (
        actor.agency_id == body.pk
    )


@transaction.atomic
def complaint_channel_set(
    *, actor: Account, body: Agency, phone: str, email: str, address: str, hours: str
) -> ComplaintChannel:
    """Publish the body's complaint channels (广东省行政执法监督条例第二十条)."""
    if not can_edit_channels(actor, body):
        raise RuleViolation(
            _("只有本监督机构的执法监督人员或者管理员可以维护投诉举报渠道"),
            article=intake.ARTICLE_20,
        )
    row, _created = ComplaintChannel.objects.update_or_create(
        body=body, defaults={"phone": phone, "email": email, "address": address, "hours": hours}
    )
    record_append(
        **_actor_fields(actor),
        action="complaint.channel_set",
        payload={
            "body": body.pk,
            "phone": phone,
            "email": email,
            "address": address,
            "hours": hours,
        },
    )
    return row


# -- submission ------------------------------------------------------------------------------

_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out on the phone


def _tracking_number(today: date) -> str:
    while True:
        tail = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(6))
        number = f"TS{today:%Y%m%d}{tail}"
        if not Complaint.objects.filter(number=number).exists():
            return number


def _secret_code() -> str:
    return "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(12))


def complaint_code_matches(complaint: Complaint | None, code: str) -> bool:
    """Whether ``code`` is the complaint's secret code (salted hash, constant-time compare;
    a missing complaint costs as much as a wrong code)."""
    given = code.strip().upper()
    if complaint is None or not complaint.code_hash:
        make_password(given)  # the same work as a real check: no timing difference
        return False
    return check_password(given, complaint.code_hash)


def attachment_limit() -> int:
    return int(
        getattr(settings, "ZHIFA_COMPLAINT_ATTACHMENT_BYTES", intake.DEFAULT_ATTACHMENT_BYTES)
    )


def _check_uploads(uploads: Sequence[Upload]) -> list[tuple[Upload, str]]:
    if len(uploads) > intake.MAX_ATTACHMENTS:
        raise RuleViolation(
            _("最多上传%(n)d个附件") % {"n": intake.MAX_ATTACHMENTS},
            article=intake.ARTICLE_20,
            field="attachments",
        )
    checked = []
    limit = attachment_limit()
    for upload in uploads:
        if len(upload.data) > limit:
            raise RuleViolation(
                _("附件“%(name)s”超过%(mb)s MB")
                % {"name": upload.name, "mb": limit // (1024 * 1024)},
                article=intake.ARTICLE_20,
                field="attachments",
            )
        media_type = intake.attachment_media_type(upload.data[:16])
        if media_type is None:
            raise RuleViolation(
                _("附件“%(name)s”不是图片（JPEG、PNG、GIF、WebP）或者PDF文件")
                % {"name": upload.name},
                article=intake.ARTICLE_20,
                field="attachments",
            )
        checked.append((upload, media_type))
    return checked


def _officer_of_certificate(agency: Agency, certificate_number: str) -> Officer | None:
    from zhifa.registry.models import Certificate

    cert = (
        Certificate.objects.filter(number=certificate_number, agency=agency)
        .select_related("officer")
        .first()
    )
    return None if cert is None else cert.officer


@transaction.atomic
def complaint_submit(
    *,
    agency: Agency,
    facts: str,
    happened_on: date,
    today: date,
    anonymous: bool,
    name: str = "",
    contact: str = "",
    consent_share: bool = False,
    certificate_number: str = "",
    officer_given: str = "",
    uploads: Sequence[Upload] = (),
    origin: str = Complaint.Origin.PORTAL,
    source_ref: str = "",
    submitted_by: Account | None = None,
    received_on: date | None = None,
    with_code: bool = True,
) -> tuple[Complaint, str]:
    """Register a complaint; returns it and its secret code (shown once, stored as a hash).

    Refuses a day in the future, a named complaint without name or contact, attachments that
    are too many, too large or not images/PDF by their bytes."""
    intake.check_happened_on(happened_on, today)
    if not facts.strip():
        raise RuleViolation(_("请说明投诉的事项"), article=intake.ARTICLE_20, field="facts")
    if anonymous:
        name, contact, consent_share = "", "", False
    elif not name.strip() or not contact.strip():
        raise RuleViolation(
            _("实名投诉请填写姓名和联系方式，或者选择匿名投诉"),
            article=intake.ARTICLE_20,
            field="name",
        )
    checked = _check_uploads(uploads)
    received = received_on or today
    accept_due, _provisional = due_on(intake.ACCEPT, received)
    officer = _officer_of_certificate(agency, certificate_number) if certificate_number else None
    code = _secret_code() if with_code else ""
    complaint = Complaint.objects.create(
        number=_tracking_number(received),
        code_hash=make_password(code) if code else "",
        origin=origin,
        source_ref=source_ref,
        agency=agency,
        officer=officer,
        officer_given=officer_given.strip()[:64],
        certificate_number=certificate_number,
        facts=facts.strip(),
        happened_on=happened_on,
        anonymous=anonymous,
        complainant_name=name.strip(),
        complainant_contact=contact.strip(),
        consent_share=consent_share,
        submitted_by=submitted_by,
        received_on=received,
        accept_due=accept_due,
    )
    refs: list[EvidenceRef] = []
    for upload, media_type in checked:
        row = evidence_store(BytesIO(upload.data), name=upload.name[:200], media_type=media_type)
        ref = EvidenceRef(row.sha256, upload.name[:200], len(upload.data), media_type)
        refs.append(ref)
        ComplaintAttachment.objects.create(
            complaint=complaint,
            sha256=ref.sha256,
            name=ref.name,
            size=ref.size,
            media_type=media_type,
        )
    seq = _record(
        submitted_by,
        "complaint.submit",
        complaint,
        {"agency": agency.pk, "origin": origin, "accept_due": accept_due.isoformat()},
        files=refs,
    )
    _event(complaint, ComplaintEvent.Kind.SUBMITTED, received, seq, actor=submitted_by)
    _notify_supervisors(complaint)
    return complaint, code


def _notify_supervisors(complaint: Complaint) -> None:
    """Tell the supervisors of the agency's region that a complaint awaits acceptance (the
    notification names the agency, never the complainant)."""
    from django.urls import reverse

    from zhifa.core.identifiers import division_prefix
    from zhifa.notifications.models import Notification
    from zhifa.notifications.services import notification_send

    division = complaint.agency.division_code
    recipients = [
        a
        for a in Account.objects.filter(role=Account.Role.SUPERVISOR, is_active=True).exclude(
            region_code=""
        )
        if division.startswith(division_prefix(a.region_code))
    ]
    notification_send(
        recipients=recipients,
        kind=Notification.Kind.COMPLAINT,
        title=_("收到投诉%(n)s（%(agency)s），待受理")
        % {"n": complaint.number, "agency": complaint.agency.name},
        url=reverse("complaint_detail", args=[complaint.pk]),
        key=f"complaint:{complaint.pk}:received",
    )


# -- intake by the supervisor ---------------------------------------------------------------


def _check_actor(actor: Account, complaint: Complaint) -> None:
    from .access import can_handle

    if not can_handle(actor, complaint):
        raise RuleViolation(
            _("只有被投诉机关所在区域的执法监督人员可以办理投诉"), article=intake.ARTICLE_20
        )


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _check_on(on: date, complaint: Complaint, today: date | None) -> None:
    if on < complaint.received_on:
        raise RuleViolation(_("日期不能早于收到投诉的日期"), article=intake.ARTICLE_20, field="on")
    if today is not None and on > today:
        raise RuleViolation(_("日期不能晚于今天"), article=intake.ARTICLE_20, field="on")


@transaction.atomic
def complaint_accept(
    *, actor: Account, complaint: Complaint, on: date, today: date | None = None
) -> Complaint:
    """受理: the handling period starts (``complaints.handle``)."""
    _check_actor(actor, complaint)
    complaint = _lock(complaint)
    complaint.state = intake.next_state(complaint.state, "accept")
    _check_on(on, complaint, today)
    complaint.accepted_on = on
    complaint.handle_due, _provisional = due_on(intake.HANDLE, on)
    complaint.save(update_fields=["state", "accepted_on", "handle_due"])
    seq = _record(
        actor, "complaint.accept", complaint, {"handle_due": complaint.handle_due.isoformat()}
    )
    _event(complaint, ComplaintEvent.Kind.ACCEPTED, on, seq, actor=actor)
    from django.urls import reverse

    from zhifa.notifications.models import Notification
    from zhifa.notifications.services import notification_send

    notification_send(  # the agency's heads: the complaint, not who made it
        recipients=Account.objects.filter(
            agency=complaint.agency, role=Account.Role.HEAD, is_active=True
        ),
        kind=Notification.Kind.COMPLAINT,
        title=_("监督机构已受理对本机关的投诉%(n)s") % {"n": complaint.number},
        url=reverse("complaint_detail", args=[complaint.pk]),
        key=f"complaint:{complaint.pk}:accepted",
    )
    return complaint


@transaction.atomic
def complaint_refuse(
    *,
    actor: Account,
    complaint: Complaint,
    reason: str,
    note: str = "",
    on: date,
    today: date | None = None,
) -> Complaint:
    """不予受理 with one of ``intake.REFUSAL_REASONS``; the named complainant is told why."""
    _check_actor(actor, complaint)
    why = intake.refusal_reason(reason)
    complaint = _lock(complaint)
    complaint.state = intake.next_state(complaint.state, "refuse")
    _check_on(on, complaint, today)
    complaint.refusal_reason = why.code
    complaint.closed_on = on
    complaint.save(update_fields=["state", "refusal_reason", "closed_on"])
    seq = _record(actor, "complaint.refuse", complaint, {"reason": why.code, "note": note})
    _event(complaint, ComplaintEvent.Kind.REFUSED, on, seq, actor=actor, note=note)
    _tell(actor, complaint, _("不予受理：%(why)s") % {"why": why.guidance}, on)
    return complaint


@transaction.atomic
def complaint_transfer(
    *,
    actor: Account,
    complaint: Complaint,
    to: str,
    note: str = "",
    on: date,
    today: date | None = None,
) -> Complaint:
    """移送 to the competent body (not this body's to handle)."""
    _check_actor(actor, complaint)
    if not to.strip():
        raise RuleViolation(_("请填写移送的机关"), article=intake.ARTICLE_20, field="to")
    complaint = _lock(complaint)
    complaint.state = intake.next_state(complaint.state, "transfer")
    _check_on(on, complaint, today)
    complaint.transferred_to = to.strip()[:128]
    complaint.closed_on = on
    complaint.save(update_fields=["state", "transferred_to", "closed_on"])
    seq = _record(actor, "complaint.transfer", complaint, {"to": complaint.transferred_to})
    _event(complaint, ComplaintEvent.Kind.TRANSFERRED, on, seq, actor=actor, note=note)
    _tell(actor, complaint, _("已移送%(to)s处理。") % {"to": complaint.transferred_to}, on)
    return complaint


@transaction.atomic
def complaint_extend(
    *, actor: Account, complaint: Complaint, approved_by: str, reason: str, on: date
) -> Complaint:
    """Extend the handling period once, by the row's extension, with the approval named."""
    _check_actor(actor, complaint)
    if not approved_by.strip() or not reason.strip():
        raise RuleViolation(
            _("延长办理期限须写明理由和批准人"), article=intake.ARTICLE_20, field="reason"
        )
    complaint = _lock(complaint)
    complaint.state = intake.next_state(complaint.state, "extend")
    intake.check_extension(complaint.extended, time_limit(intake.HANDLE).extension)
    assert complaint.accepted_on is not None
    complaint.handle_due, _provisional = due_on(intake.HANDLE, complaint.accepted_on, extended=True)
    complaint.extended = True
    complaint.save(update_fields=["handle_due", "extended"])
    seq = _record(
        actor,
        "complaint.extend",
        complaint,
        {
            "approved_by": approved_by,
            "reason": reason,
            "handle_due": complaint.handle_due.isoformat(),
        },
    )
    _event(complaint, ComplaintEvent.Kind.EXTENDED, on, seq, actor=actor, note=reason)
    return complaint


@transaction.atomic
def complaint_conclude(
    *, actor: Account, complaint: Complaint, result: str, on: date, today: date | None = None
) -> Complaint:
    """办结 with the result; the named complainant is told it (e-mail when the contact is one)."""
    _check_actor(actor, complaint)
    if not result.strip():
        raise RuleViolation(_("请填写办理结果"), article=intake.ARTICLE_20, field="result")
    complaint = _lock(complaint)
    complaint.state = intake.next_state(complaint.state, "conclude")
    _check_on(on, complaint, today)
    complaint.result = result.strip()
    complaint.closed_on = on
    complaint.save(update_fields=["state", "result", "closed_on"])
    seq = _record(actor, "complaint.conclude", complaint)
    _event(complaint, ComplaintEvent.Kind.CONCLUDED, on, seq, actor=actor)
    _tell(actor, complaint, complaint.result, on)
    return complaint


MATTER_ORIGINS: dict[str, str] = {
    Complaint.Origin.PORTAL: "complaint",
    Complaint.Origin.HOTLINE: "hotline_12345",
    Complaint.Origin.EXTERNAL_SUPERVISOR: "external_supervisor",
}


@transaction.atomic
def complaint_open_matter(
    *, actor: Account, complaint: Complaint, title: str, on: date
) -> Complaint:
    """Open a supervision matter from an accepted complaint (supervision.services.matter_open)."""
    _check_actor(actor, complaint)
    complaint = _lock(complaint)
    intake.next_state(complaint.state, "open_matter")
    if complaint.matter_id is not None:
        raise RuleViolation(_("该投诉已立为监督事项"), article=intake.ARTICLE_20)
    from zhifa.supervision.services import matter_open

    from .selectors import identity_masked

    matter = matter_open(
        actor=actor,
        agency=complaint.agency,
        # the matter's origin names where the clue came from (supervision.Matter.Origin)
        origin=MATTER_ORIGINS[complaint.origin],
        origin_ref=complaint.number,
        title=title or _("投诉%(n)s") % {"n": complaint.number},
        # the matter is addressed to the agency: what the complainant wrote, without who they are
        summary=complaint.facts
        if complaint.consent_share
        else identity_masked(complaint, complaint.facts),
        on=on,
    )
    complaint.matter_id = matter.pk
    complaint.save(update_fields=["matter_id"])
    seq = _record(actor, "complaint.open_matter", complaint, {"matter": matter.pk})
    _event(complaint, ComplaintEvent.Kind.MATTER_OPENED, on, seq, actor=actor)
    return complaint


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def contact_is_email(contact: str) -> bool:
    return bool(_EMAIL.match(contact.strip()))


def _tell(actor: Account, complaint: Complaint, text: str, on: date) -> None:
    """Tell a named complainant the result: by e-mail after commit when the contact is an
    e-mail address and the deployment has an SMTP server (else the supervisor tells them by the
    contact given); recorded either way."""
    from zhifa.notifications.services import smtp_configured

    if complaint.anonymous:
        return
    by_email = contact_is_email(complaint.complainant_contact) and smtp_configured()
    complaint.result_told_on = on
    complaint.save(update_fields=["result_told_on"])
    seq = _record(
        actor,
        "complaint.tell",
        complaint,
        {"told": "email" if by_email else "contact", "told_on": on.isoformat()},
    )
    _event(
        complaint,
        ComplaintEvent.Kind.TOLD,
        on,
        seq,
        actor=actor,
        note=_("电子邮件") if by_email else _("按投诉人留下的联系方式告知"),
    )
    if by_email:
        address = complaint.complainant_contact.strip()
        subject = _("您的投诉%(n)s办理情况") % {"n": complaint.number}

        def send() -> None:
            try:
                send_mail(subject=subject, message=text, from_email=None, recipient_list=[address])
            except Exception:  # an unreachable server must not undo the intake
                logger.exception("complaint %s: e-mail not sent", complaint.pk)

        transaction.on_commit(send)


def matters_available() -> bool:
    """Whether the supervision app (its ``matter_open``) is installed in this deployment."""
    from django.apps import apps

    return apps.is_installed("zhifa.supervision")


class WorkOrdersRefused(RuleViolation):
    """The sheet was not imported; ``errors`` names each bad row (nothing was imported)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(
            _("12345工单未导入（全部或者不导入）：%(n)d处错误") % {"n": len(errors)},
            article=intake.ARTICLE_20,
            field="file",
        )
        self.errors = errors


@transaction.atomic
def complaints_import(
    *, actor: Account, content: bytes, filename: str, today: date
) -> list[Complaint]:
    """Import 12345 work orders (``work_orders.COLUMNS``) as complaints of origin 12345, each
    received on its 受理日期: all or nothing; ``WorkOrdersRefused`` lists the rows' errors."""
    from zhifa.registry.importing import import_limits
    from zhifa.registry.models import Certificate
    from zhifa.registry.selectors import agencies_visible_to
    from zhifa.registry.tabular import TableUnreadable, read_table

    from . import work_orders

    if actor.role != Account.Role.SUPERVISOR:
        raise RuleViolation(_("12345工单由执法监督人员导入"), article=intake.ARTICLE_20)
    if not filename.lower().endswith(".xlsx"):
        raise WorkOrdersRefused([_("只能导入.xlsx文件")])
    try:
        table = read_table(content, filename, import_limits())
    except TableUnreadable as exc:
        raise WorkOrdersRefused([str(exc)]) from None
    errors = work_orders.header_errors(table.headers)
    if errors:
        raise WorkOrdersRefused(errors)
    index = {
        label: table.headers.index(label)
        for label in work_orders.COLUMNS.values()
        if label in table.headers
    }
    agencies: dict[str, int] = {}
    for pk, name, code in agencies_visible_to(actor).values_list("pk", "name", "credit_code"):
        agencies[name] = pk
        agencies[code] = pk
    numbers = [cells[index["工单编号"]].strip() for _row, cells in table.rows]
    imported = set(
        Complaint.objects.filter(
            origin=Complaint.Origin.HOTLINE, source_ref__in=numbers
        ).values_list("source_ref", flat=True)
    )
    seen: set[str] = set()
    orders = []
    for row, cells in table.rows:
        by_key = {
            key: cells[index[label]] if label in index else ""
            for key, label in work_orders.COLUMNS.items()
        }
        order, row_errors = work_orders.work_order_check(
            row, by_key, agencies=agencies, seen=seen, imported=imported, today=today
        )
        errors.extend(row_errors)
        if order is not None:
            orders.append(order)
    if not table.rows:
        errors.append(_("文件中没有工单"))
    if errors:
        raise WorkOrdersRefused(errors)
    by_pk = {a.pk: a for a in Agency.objects.filter(pk__in={o.agency_id for o in orders})}
    created = []
    for order in orders:
        agency = by_pk[order.agency_id]
        cert = ""
        if order.officer:
            found = Certificate.objects.filter(agency=agency, number=order.officer).first()
            cert = found.number if found else ""
        complaint, _code = complaint_submit(
            agency=agency,
            facts=order.facts,
            happened_on=order.happened_on,
            today=today,
            anonymous=order.anonymous,
            name=order.name,
            contact=order.contact,
            certificate_number=cert,
            officer_given=order.officer,
            origin=Complaint.Origin.HOTLINE,
            source_ref=order.number,
            submitted_by=actor,
            received_on=order.received_on,
            with_code=False,  # the caller follows it through 12345
        )
        _record(
            actor, "complaint.import", complaint, {"row": order.row, "work_order": order.number}
        )
        created.append(complaint)
    return created


# -- 行政执法监督员 ------------------------------------------------------------------------------


def _monitor_record(
    actor: Account, action: str, payload: Mapping[str, Any], case_id: int | None = None
) -> int:
    assert action in ACTION_LABELS, action
    return record_append(
        **_actor_fields(actor), action=action, payload=payload, case_id=case_id
    ).seq


def _appointment_payload(a: Appointment) -> dict[str, Any]:
    return {
        "appointment": a.pk,
        "account": a.account_id,
        "body": a.body_id,
        "sector": a.sector,
        "document": a.document,
        "term_start": a.term_start.isoformat(),
        "term_end": a.term_end.isoformat(),
        "ended_on": a.ended_on.isoformat() if a.ended_on else None,
    }


@transaction.atomic
def appointment_create(
    *,
    actor: Account,
    account: Account,
    sector: str,
    document: str,
    term_start: date,
    term_end: date,
) -> Appointment:
    """Record the government's appointment of ``account`` (role 行政执法监督员, in the actor's
    region) by the actor's supervisory body."""
    from zhifa.core.identifiers import division_prefix

    if actor.role != Account.Role.SUPERVISOR or actor.agency_id is None:
        raise RuleViolation(
            _("行政执法监督员的聘任由监督机构的执法监督人员登记"), article=appointments.JIANGXI_18
        )
    if account.role != Account.Role.EXTERNAL_SUPERVISOR or not account.region_code.startswith(
        division_prefix(actor.region_code)
    ):
        raise RuleViolation(
            _("该账号不是本区域的行政执法监督员账号"),
            article=appointments.JIANGXI_18,
            field="account",
        )
    if sector not in Appointment.Sector.values:
        raise RuleViolation(_("请选择界别"), article=appointments.JIANGXI_18, field="sector")
    if not document.strip():
        raise RuleViolation(_("请填写聘任文件"), article=appointments.JIANGXI_18, field="document")
    appointments.check_term(term_start, term_end)
    a = Appointment.objects.create(
        account=account,
        body_id=actor.agency_id,
        sector=sector,
        document=document.strip(),
        term_start=term_start,
        term_end=term_end,
    )
    a.last_entry_seq = _monitor_record(actor, "monitor.appoint", _appointment_payload(a))
    a.save(update_fields=["last_entry_seq"])
    return a


@transaction.atomic
def appointment_dismiss(*, actor: Account, appointment: Appointment, on: date) -> Appointment:
    if actor.role != Account.Role.SUPERVISOR or actor.agency_id != appointment.body_id:
        raise RuleViolation(
            _("只有聘任机构的执法监督人员可以解聘"), article=appointments.JIANGXI_18
        )
    if appointment.ended_on is not None:
        raise RuleViolation(_("该监督员已解聘"), article=appointments.JIANGXI_18)
    appointment.ended_on = on
    appointment.last_entry_seq = _monitor_record(
        actor, "monitor.dismiss", _appointment_payload(appointment)
    )
    appointment.save(update_fields=["ended_on", "last_entry_seq"])
    return appointment


def _serving(actor: Account, today: date) -> Appointment:
    from .selectors import appointment_serving

    found = appointment_serving(actor, today)
    appointments.require_serving(found is not None)
    assert found is not None
    return found


@transaction.atomic
def monitor_opinion_submit(
    *, actor: Account, agency: Agency, facts: str, happened_on: date, today: date
) -> Complaint:
    """An opinion or problem a 监督员 reports: a clue taken in as a complaint of origin
    external_supervisor, named (the 监督员), received today."""
    from zhifa.core.identifiers import division_prefix

    _serving(actor, today)
    if not agency.division_code.startswith(division_prefix(actor.region_code)):
        raise RuleViolation(
            _("只能反映本区域执法主体的问题"), article=appointments.JIANGXI_18, field="agency"
        )
    complaint, _code = complaint_submit(
        agency=agency,
        facts=facts,
        happened_on=happened_on,
        today=today,
        anonymous=False,
        name=actor.display_name or actor.get_username(),
        contact=actor.email or actor.get_username(),
        origin=Complaint.Origin.EXTERNAL_SUPERVISOR,
        submitted_by=actor,
        with_code=False,
    )
    return complaint


@transaction.atomic
def hearing_observe(*, actor: Account, case_id: int, today: date) -> HearingObservation:
    """Register to observe a scheduled hearing of the 监督员's region (hearings are public,
    《行政处罚法》第六十四条; the registration is entered on the case's record too)."""
    from zhifa.cases.selectors import hearings_scheduled
    from zhifa.core.identifiers import division_prefix

    appointment = _serving(actor, today)
    case = (
        hearings_scheduled(region_prefix=division_prefix(actor.region_code), since=today)
        .filter(pk=case_id)
        .first()
    )
    appointments.check_hearing_open(None if case is None else case.hearing_on, today)
    assert case is not None and case.hearing_on is not None
    if HearingObservation.objects.filter(
        appointment=appointment, case_id=case.pk, hearing_on=case.hearing_on
    ).exists():
        raise RuleViolation(_("您已登记旁听该听证"), article=appointments.HEARING_PUBLIC)
    seq = _monitor_record(
        actor,
        "monitor.observe",
        {"appointment": appointment.pk, "hearing_on": case.hearing_on.isoformat()},
        case_id=case.pk,
    )
    return HearingObservation.objects.create(
        appointment=appointment,
        case_id=case.pk,
        hearing_on=case.hearing_on,
        registered_on=today,
        entry_seq=seq,
    )


@transaction.atomic
def agency_rate(
    *,
    actor: Account,
    agency: Agency,
    campaign: str,
    score: int,
    comment: str,
    today: date,
) -> AgencyRating:
    """Rate an agency of the region in a campaign (评议), once per campaign."""
    from zhifa.core.identifiers import division_prefix

    appointment = _serving(actor, today)
    appointments.check_score(score)
    if not campaign.strip():
        raise RuleViolation(_("请填写评议活动"), article=appointments.ARTICLE_23, field="campaign")
    if not agency.division_code.startswith(division_prefix(actor.region_code)):
        raise RuleViolation(
            _("只能评议本区域的执法主体"), article=appointments.ARTICLE_23, field="agency"
        )
    if AgencyRating.objects.filter(
        appointment=appointment, agency=agency, campaign=campaign.strip()
    ).exists():
        raise RuleViolation(
            _("本次评议活动中您已评议过该执法主体"), article=appointments.ARTICLE_23
        )
    seq = _monitor_record(
        actor,
        "monitor.rate",
        {
            "appointment": appointment.pk,
            "agency": agency.pk,
            "campaign": campaign.strip(),
            "score": score,
            "comment": comment,
        },
    )
    return AgencyRating.objects.create(
        appointment=appointment,
        agency=agency,
        campaign=campaign.strip(),
        score=score,
        comment=comment,
        rated_on=today,
        entry_seq=seq,
    )


@transaction.atomic
def matter_invite(
    *, actor: Account, appointment: Appointment, matter_id: int, on: date
) -> MatterInvitation:
    """Invite a serving 监督员 of the actor's body to take part in a matter the actor supervises
    (《行政执法监督条例》第二十三条)."""
    from zhifa.supervision.selectors import matters_visible_to

    if actor.role != Account.Role.SUPERVISOR or actor.agency_id != appointment.body_id:
        raise RuleViolation(
            _("只有聘任机构的执法监督人员可以邀请监督员"), article=appointments.ARTICLE_23
        )
    appointments.require_serving(
        appointments.is_serving(
            term_start=appointment.term_start,
            term_end=appointment.term_end,
            ended_on=appointment.ended_on,
            today=on,
        )
    )
    matter = matters_visible_to(actor).filter(pk=matter_id).first()
    if matter is None:
        raise RuleViolation(
            _("请选择本区域的监督事项"), article=appointments.ARTICLE_23, field="matter"
        )
    if MatterInvitation.objects.filter(appointment=appointment, matter_id=matter.pk).exists():
        raise RuleViolation(_("已邀请该监督员参与此监督事项"), article=appointments.ARTICLE_23)
    seq = _monitor_record(
        actor,
        "monitor.invite",
        {"appointment": appointment.pk, "matter": matter.pk, "on": on.isoformat()},
    )
    return MatterInvitation.objects.create(
        appointment=appointment, matter_id=matter.pk, invited_on=on, entry_seq=seq
    )
