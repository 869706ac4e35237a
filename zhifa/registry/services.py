"""Writes to the registry. Each service is one transaction and keeps its own history:
certificates append a status change, power items make a new version. Nothing is deleted.

Every service takes the acting account as keyword-only ``actor`` and raises
:class:`~zhifa.core.exceptions.RuleViolation` (Chinese message, ``field`` naming the input at
fault) when a rule refuses; its transaction then rolls back, so nothing of the call is kept
(and no record entry).

Every service that changes the registry also appends exactly one entry to the record log
(``record_append``) in its own transaction, so the entry exists exactly when the change was
committed (an import that rolls back leaves none). The entry has no case (``case_id`` None),
the action ``registry.<thing>.<verb>`` (:data:`ACTIONS`), the actor's account id, name and role
(``None``, "系统", "system" for a bootstrap command without an actor), and a payload naming the
object — ``model`` (``registry.officer`` …), ``id`` and its business key (credit code,
certificate number, power-item code and version) — with what changed: ``from``/``to`` for a
status, the new field values for a creation. A step that moves several rows (an officer leaving
cancels every live certificate) is one entry listing them.

The log is append-only and cannot be erased, so it carries no personal data beyond what names
the act: officers appear by id and name only (never 身份证号码 or 手机号码, which stay in the
registry where they can be corrected or masked), accounts never with a password, API tokens by
name and prefix only (never the raw token or its hash).

Every entry that writes registry rows also carries their ``state``: the keyed digest of each
row's whole state after the write (:mod:`.row_state`, :mod:`.replay`), so ``zhifa verify`` can
tell a row changed behind the log's back — personal fields included, which the payload itself
leaves out — and name it.

Not recorded: ``api_token_account`` marking a token used (a timestamp of use, not a change made
by anyone). Bulk loads (``zhifa.registry.demo`` writes agencies, officers, certificates and
power items with ``bulk_create`` for speed) record one ``registry.rows.load`` entry per batch
with the rows' state digests (:func:`rows_load_record`) and one summary entry
(:func:`demo_load_record`); the demo's accounts go through ``account_create``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Model, Q
from django.utils import timezone

from zhifa.core.exceptions import InvalidIdentifier, RuleViolation
from zhifa.core.identifiers import (
    division_contains,
    validate_credit_code,
    validate_division_code,
    validate_mobile,
    validate_resident_id,
)
from zhifa.law import discretion, penalty
from zhifa.record.models import Entry
from zhifa.record.services import record_append

from . import row_state
from .access import require_registry_manager
from .models import (
    Account,
    Agency,
    ApiToken,
    Certificate,
    CertificateStatusChange,
    DiscretionBenchmark,
    DiscretionGrade,
    Domain,
    ExamResult,
    LegalBasis,
    LenientListItem,
    Officer,
    PowerItem,
    PublicListing,
    RandomInspectionItem,
    ReviewBody,
    TrainingRecord,
    TrainingRequirement,
)
from .replay import BY_MODEL, current_key, digests_in_range, digests_of
from .supervision_scope import scope_fits
from .transitions import can_move_certificate, can_move_listing, can_move_power_item

# The Chinese name of each action this module records (record.action_labels; the timeline).
ACTION_LABELS = {
    "registry.account.create": "开设账号",
    "registry.account.update": "修改账号",
    "registry.agency.create": "登记执法主体",
    "registry.agency.public_info_set": "修改执法主体公示信息",
    "registry.agency.status_change": "变更执法主体状态",
    "registry.api_token.issue": "签发接口令牌",
    "registry.api_token.revoke": "停用接口令牌",
    "registry.certificate.issue": "核发执法证件",
    "registry.certificate.register": "登记执法证件",
    "registry.certificate.status_change": "变更执法证件状态",
    "registry.demo.load": "载入演示数据",
    "registry.discretion_benchmark.create": "起草裁量基准",
    "registry.discretion_benchmark.publish": "公布裁量基准",
    "registry.discretion_benchmark.revise": "修订裁量基准",
    "registry.discretion_benchmark.withdraw": "撤回裁量基准",
    "registry.exam.add": "登记执法资格考试成绩",
    "registry.inspection_item.create": "起草随机抽查事项",
    "registry.inspection_item.publish": "公布随机抽查事项",
    "registry.inspection_item.revise": "修订随机抽查事项",
    "registry.inspection_item.withdraw": "撤回随机抽查事项",
    "registry.lenient_item.create": "起草不予处罚、从轻减轻事项",
    "registry.lenient_item.publish": "公布不予处罚、从轻减轻事项",
    "registry.lenient_item.revise": "修订不予处罚、从轻减轻事项",
    "registry.lenient_item.withdraw": "撤回不予处罚、从轻减轻事项",
    "registry.officer.create": "登记执法人员",
    "registry.officer.leave": "执法人员离岗",
    "registry.officer.update": "修改执法人员信息",
    "registry.power_item.create": "起草权责清单事项",
    "registry.power_item.publish": "公布权责清单事项",
    "registry.power_item.repeal": "废止权责清单事项",
    "registry.power_item.revise": "修订权责清单事项",
    "registry.review_body.set": "设定法制审核机构",
    "registry.review_staff.assign": "指定法制审核人员",
    "registry.rows.load": "批量载入登记数据",
    "registry.training.add": "登记培训学时",
    "registry.training_requirement.set": "设定年度培训学时要求",
    "registry.baseline": "登记升级前已有的数据",
    "login.lockout": "登录锁定",
    "login.unlock": "解除登录锁定",
}


def _checked(validator: Any, value: str, field: str) -> str:
    try:
        return str(validator(value))
    except InvalidIdentifier as exc:
        raise RuleViolation(exc.message, article=exc.article, field=field) from exc


# -- the record entry of every service -----------------------------------------------------

# The action of each service's entry (and of the demo's summary entry).
ACTIONS: tuple[str, ...] = (
    "registry.agency.create",
    "registry.agency.status_change",
    "registry.review_body.set",
    "registry.review_staff.assign",
    "registry.officer.create",
    "registry.officer.update",
    "registry.officer.leave",
    "registry.certificate.register",
    "registry.certificate.issue",
    "registry.certificate.status_change",
    "registry.training.add",
    "registry.exam.add",
    "registry.power_item.create",
    "registry.power_item.publish",
    "registry.power_item.revise",
    "registry.power_item.repeal",
    "registry.training_requirement.set",
    "registry.account.create",
    "registry.account.update",
    "registry.api_token.issue",
    "registry.api_token.revoke",
    "registry.demo.load",
    "registry.rows.load",
)

SYSTEM_ACTOR_NAME = "系统"
SYSTEM_ROLE = "system"


def _state(rows: Iterable[Model]) -> dict[str, Any]:
    """The ``state`` of an entry: the keyed digest of each row's state as now stored."""
    key = current_key()
    return row_state.state_payload(key, digests_of(rows, key))


def _record(
    actor: Account | None,
    action: str,
    payload: Mapping[str, Any],
    *,
    rows: Iterable[Model] = (),
) -> Entry:
    """Append the service's entry (no case) in the caller's transaction, with the state
    digests of ``rows`` — every registry row the service wrote (:mod:`.row_state`)."""
    assert action in ACTIONS, action
    rows = list(rows)
    if rows:
        payload = {**payload, "state": _state(rows)}
    if actor is None:  # a bootstrap command (createadmin, demo)
        actor_id, actor_name, role = None, SYSTEM_ACTOR_NAME, SYSTEM_ROLE
    else:
        actor_id, actor_name, role = (
            actor.pk,
            actor.display_name or actor.get_username(),
            actor.role,
        )
    return record_append(
        actor_id=actor_id, actor_name=actor_name, role=role, action=action, payload=payload
    )


def _agency_ref(agency: Agency | None) -> dict[str, Any] | None:
    if agency is None:
        return None
    return {"id": agency.pk, "credit_code": agency.credit_code, "name": agency.name}


def _officer_ref(officer: Officer | None) -> dict[str, Any] | None:
    # Id and name only: the log cannot be erased, so no 身份证号码 or phone (module docstring).
    if officer is None:
        return None
    return {"id": officer.pk, "name": officer.name}


def _domain_codes(domains: Iterable[Domain]) -> list[str]:
    return sorted(d.code for d in domains)


def _tenths(value: Any) -> Decimal:
    """Hours and scores as stored (one decimal place); never a float in the log."""
    return Decimal(str(value)).quantize(Decimal("0.1"))


# -- agencies ------------------------------------------------------------------------------


@transaction.atomic
def agency_create(
    *,
    actor: Account,
    name: str,
    credit_code: str,
    level: str,
    division_code: str,
    kind: str,
    domains: Iterable[Domain],
    entrusted_by: Agency | None = None,
    parent: Agency | None = None,
    qualification_announced_on: date | None = None,
    responsibilities: str = "",
    address: str = "",
    phone: str = "",
) -> Agency:
    """Register an enforcement body. Refuses an invalid or duplicate 统一社会信用代码, an invalid
    division code, and a 委托 body without its entrusting body."""
    require_registry_manager(actor, parent)
    if not name.strip():
        raise RuleViolation("名称不能为空", field="name")
    credit_code = _checked(validate_credit_code, credit_code, "credit_code")
    division_code = _checked(validate_division_code, division_code, "division_code")
    if level not in Agency.Level.values:
        raise RuleViolation(f"层级“{level}”无效", field="level")
    if kind not in Agency.Kind.values:
        raise RuleViolation(f"主体类别“{kind}”无效", field="kind")
    if kind == Agency.Kind.ENTRUSTED and entrusted_by is None:
        raise RuleViolation(
            "受委托组织必须写明委托机关", article="《行政处罚法》第二十条", field="entrusted_by"
        )
    if Agency.objects.filter(credit_code=credit_code).exists():
        raise RuleViolation(f"统一社会信用代码{credit_code}已登记", field="credit_code")
    domains = list(domains)
    if not domains:
        raise RuleViolation("至少填写一个执法领域", field="domains")
    agency = Agency.objects.create(
        name=name.strip(),
        credit_code=credit_code,
        level=level,
        division_code=division_code,
        kind=kind,
        entrusted_by=entrusted_by if kind == Agency.Kind.ENTRUSTED else None,
        parent=parent,
        qualification_announced_on=qualification_announced_on,
        responsibilities=responsibilities,
        address=address,
        phone=phone,
    )
    agency.domains.set(domains)
    _record(
        actor,
        "registry.agency.create",
        {
            "model": Agency._meta.label_lower,
            "id": agency.pk,
            "credit_code": agency.credit_code,
            "name": agency.name,
            "level": agency.level,
            "division_code": agency.division_code,
            "kind": agency.kind,
            "entrusted_by": _agency_ref(agency.entrusted_by),
            "parent": _agency_ref(agency.parent),
            "domains": _domain_codes(domains),
            "qualification_announced_on": agency.qualification_announced_on,
            "responsibilities": agency.responsibilities,
            "address": agency.address,
            "phone": agency.phone,  # the agency's public 监督电话, not a person's
            "status": agency.status,
        },
        rows=[agency],
    )
    return agency


@transaction.atomic
def agency_status_change(*, actor: Account, agency: Agency, to_status: str) -> Agency:
    require_registry_manager(actor, agency)
    if to_status not in Agency.Status.values:
        raise RuleViolation(f"状态“{to_status}”无效", field="status")
    from_status = Agency.objects.filter(pk=agency.pk).values_list("status", flat=True).get()
    agency.status = to_status
    agency.save(update_fields=["status", "updated_at"])
    _record(
        actor,
        "registry.agency.status_change",
        {
            "model": Agency._meta.label_lower,
            "id": agency.pk,
            "credit_code": agency.credit_code,
            "name": agency.name,
            "from": from_status,
            "to": to_status,
        },
        rows=[agency],
    )
    return agency


@transaction.atomic
def review_body_set(
    *, actor: Account, agency: Agency, name: str, established_on: date | None = None
) -> ReviewBody:
    """Name the agency's legal-review body (法制审核机构)."""
    require_registry_manager(actor, agency)
    before = ReviewBody.objects.filter(agency=agency).values("name", "established_on").first()
    body, created = ReviewBody.objects.update_or_create(
        agency=agency, defaults={"name": name, "established_on": established_on}
    )
    _record(
        actor,
        "registry.review_body.set",
        {
            "model": ReviewBody._meta.label_lower,
            "id": body.pk,
            "agency": _agency_ref(agency),
            "created": created,
            "from": before,
            "to": {"name": body.name, "established_on": body.established_on},
        },
        rows=[body],
    )
    return body


@transaction.atomic
def review_staff_assign(*, actor: Account, officer: Officer, assigned: bool = True) -> Officer:
    """Add an officer to (or take one out of) the agency's legal-review body."""
    require_registry_manager(actor, officer.agency)
    from_body = Officer.objects.filter(pk=officer.pk).values_list("review_body_id", flat=True).get()
    if assigned:
        body = ReviewBody.objects.filter(agency_id=officer.agency_id).first()
        if body is None:
            raise RuleViolation(
                "本机关尚未设立法制审核机构", article="国办发〔2018〕118号", field="review_body"
            )
        officer.review_body = body
    else:
        officer.review_body = None
    officer.save(update_fields=["review_body"])
    _record(
        actor,
        "registry.review_staff.assign",
        {
            "model": Officer._meta.label_lower,
            "id": officer.pk,
            "name": officer.name,
            "agency": _agency_ref(officer.agency),
            "assigned": assigned,
            "from": from_body,  # review body ids
            "to": officer.review_body_id,
        },
        rows=[officer],
    )
    return officer


# -- officers and certificates -------------------------------------------------------------


@transaction.atomic
def officer_create(
    *,
    actor: Account,
    agency: Agency,
    name: str,
    id_number: str,
    phone: str = "",
    position: str = "",
    has_legal_qualification: bool = False,
) -> Officer:
    require_registry_manager(actor, agency)
    if not name.strip():
        raise RuleViolation("姓名不能为空", field="name")
    id_number = _checked(validate_resident_id, id_number, "id_number")
    if phone:
        phone = _checked(validate_mobile, phone, "phone")
    if Officer.objects.filter(id_number=id_number).exists():
        raise RuleViolation("该身份证号码的执法人员已登记", field="id_number")
    officer = Officer.objects.create(
        agency=agency,
        name=name.strip(),
        id_number=id_number,
        phone=phone,
        position=position,
        has_legal_qualification=has_legal_qualification,
    )
    # No 身份证号码 and no phone in the entry: the log cannot be erased (module docstring); the
    # officer's id names the person, whose details stay in the registry.
    _record(
        actor,
        "registry.officer.create",
        {
            "model": Officer._meta.label_lower,
            "id": officer.pk,
            "name": officer.name,
            "agency": _agency_ref(agency),
            "position": officer.position,
            "has_legal_qualification": officer.has_legal_qualification,
            "status": officer.status,
        },
        rows=[officer],
    )
    return officer


@transaction.atomic
def officer_update(
    *,
    actor: Account,
    officer: Officer,
    name: str | None = None,
    phone: str | None = None,
    position: str | None = None,
    has_legal_qualification: bool | None = None,
) -> Officer:
    """Correct an officer's details (a misspelt name, a new phone, a new post, a legal
    qualification obtained); ``None`` leaves a field as it is. Nothing else of an officer is
    edited: the agency, the status and the certificates move through their own services.

    The entry names the fields changed and, for the name, post and qualification, their old and
    new values — never the phone (module docstring); the state digest covers it. Refuses an
    empty name and an invalid mobile number; a call that changes nothing records nothing.
    """
    require_registry_manager(actor, officer.agency)
    officer = Officer.objects.select_for_update().select_related("agency").get(pk=officer.pk)
    changes: dict[str, Any] = {}
    if name is not None and name.strip() != officer.name:
        if not name.strip():
            raise RuleViolation("姓名不能为空", field="name")
        changes["name"] = name.strip()
    if phone is not None and phone.strip() != officer.phone:
        changes["phone"] = (
            _checked(validate_mobile, phone.strip(), "phone") if phone.strip() else ""
        )
    if position is not None and position.strip() != officer.position:
        changes["position"] = position.strip()
    if has_legal_qualification is not None and (
        has_legal_qualification != officer.has_legal_qualification
    ):
        changes["has_legal_qualification"] = has_legal_qualification
    if not changes:
        return officer
    shown = {f: (getattr(officer, f), v) for f, v in changes.items() if f != "phone"}
    for field, value in changes.items():
        setattr(officer, field, value)
    officer.save(update_fields=list(changes))
    _record(
        actor,
        "registry.officer.update",
        {
            "model": Officer._meta.label_lower,
            "id": officer.pk,
            "name": officer.name,
            "agency": _agency_ref(officer.agency),
            "changed": sorted(changes),
            "from": {f: old for f, (old, _) in shown.items()},
            "to": {f: new for f, (_, new) in shown.items()},
        },
        rows=[officer],
    )
    return officer


@transaction.atomic
def officer_leave(*, actor: Account, officer: Officer, reason: str, on: date) -> Officer:
    """The officer leaves the agency: every live certificate is cancelled (注销) with the reason.

    One record entry for the whole step, listing the cancelled certificates.
    """
    require_registry_manager(actor, officer.agency)
    from_status = Officer.objects.filter(pk=officer.pk).values_list("status", flat=True).get()
    officer.status = Officer.Status.LEFT
    officer.save(update_fields=["status"])
    live = (Certificate.Status.APPLIED, Certificate.Status.VALID, Certificate.Status.SUSPENDED)
    cancelled = []
    moved: list[Certificate] = []
    certificates = Certificate.objects.select_for_update().filter(officer=officer, status__in=live)
    for cert in certificates.order_by("pk"):
        moved.append(cert)
        previous = _certificate_move(
            actor=actor,
            certificate=cert,
            to_status=Certificate.Status.CANCELLED,
            reason=f"离岗：{reason}",
            effective_on=on,
        )
        cancelled.append(
            {"id": cert.pk, "number": cert.number, "from": previous, "to": cert.status}
        )
    _record(
        actor,
        "registry.officer.leave",
        {
            "model": Officer._meta.label_lower,
            "id": officer.pk,
            "name": officer.name,
            "agency": _agency_ref(officer.agency),
            "from": from_status,
            "to": officer.status,
            "reason": reason,
            "on": on,
            "certificates": cancelled,
        },
        rows=[officer, *moved],
    )
    return officer


def _check_certificate_fields(
    *, number: str, region_code: str, issued_on: date | None, expires_on: date | None
) -> str:
    if not number.strip():
        raise RuleViolation("证件编号不能为空", field="number")
    if Certificate.objects.filter(number=number.strip()).exists():
        raise RuleViolation(f"证件编号{number}已存在", field="number")
    _checked(validate_division_code, region_code, "region_code")
    if issued_on and expires_on and expires_on <= issued_on:
        raise RuleViolation("有效期至必须晚于发证日期", field="expires_on")
    return number.strip()


@transaction.atomic
def certificate_register(
    *,
    actor: Account,
    officer: Officer,
    number: str,
    kind: str,
    domains: Sequence[Domain],
    region_code: str,
    status: str = Certificate.Status.APPLIED,
    issued_on: date | None = None,
    expires_on: date | None = None,
    reason: str = "申领",
    effective_on: date,
) -> Certificate:
    """Record a certificate: a new application (申领) or, for imports, one already issued.

    A certificate in any status but 申领 must carry its issue and expiry dates.
    """
    require_registry_manager(actor, officer.agency)
    number = _check_certificate_fields(
        number=number, region_code=region_code, issued_on=issued_on, expires_on=expires_on
    )
    if kind not in Certificate.Kind.values:
        raise RuleViolation(f"证件类别“{kind}”无效", field="kind")
    if status not in Certificate.Status.values:
        raise RuleViolation(f"证件状态“{status}”无效", field="status")
    if status != Certificate.Status.APPLIED and (issued_on is None or expires_on is None):
        raise RuleViolation("已核发的证件须填写发证日期和有效期至", field="issued_on")
    if not domains:
        raise RuleViolation("至少填写一个执法领域", field="domains")
    cert = Certificate.objects.create(
        number=number,
        kind=kind,
        officer=officer,
        agency=officer.agency,
        region_code=region_code,
        issued_on=issued_on,
        expires_on=expires_on,
        status=status,
    )
    cert.domains.set(domains)
    CertificateStatusChange.objects.create(
        certificate=cert,
        from_status="",
        to_status=status,
        reason=reason,
        effective_on=effective_on,
        changed_by=actor,
    )
    _record(
        actor,
        "registry.certificate.register",
        {
            "model": Certificate._meta.label_lower,
            "id": cert.pk,
            "number": cert.number,
            "kind": cert.kind,
            "officer": _officer_ref(officer),
            "agency": _agency_ref(officer.agency),
            "domains": _domain_codes(domains),
            "region_code": cert.region_code,
            "issued_on": cert.issued_on,
            "expires_on": cert.expires_on,
            "from": "",
            "to": status,
            "reason": reason,
            "effective_on": effective_on,
        },
        rows=[cert],
    )
    return cert


def _certificate_move(
    *, actor: Account, certificate: Certificate, to_status: str, reason: str, effective_on: date
) -> str:
    """Move a locked certificate and append the step to its history; the status it left.

    Raises RuleViolation for a move the table forbids (e.g. out of 注销) or with no reason.
    """
    if not reason.strip():
        raise RuleViolation("变更证件状态须写明原因", field="reason")
    if not can_move_certificate(certificate.status, to_status):
        raise RuleViolation(
            f"证件状态不能从“{certificate.get_status_display()}”变为"
            f"“{Certificate.Status(to_status).label}”",
            field="status",
        )
    if to_status == Certificate.Status.VALID and certificate.issued_on is None:
        raise RuleViolation("证件尚未核发", field="status")
    from_status = certificate.status
    CertificateStatusChange.objects.create(
        certificate=certificate,
        from_status=from_status,
        to_status=to_status,
        reason=reason.strip(),
        effective_on=effective_on,
        changed_by=actor,
    )
    certificate.status = to_status
    certificate.save(update_fields=["status"])
    return from_status


def _certificate_step_payload(
    certificate: Certificate, from_status: str, reason: str, effective_on: date
) -> dict[str, Any]:
    return {
        "model": Certificate._meta.label_lower,
        "id": certificate.pk,
        "number": certificate.number,
        "officer": _officer_ref(certificate.officer),
        "from": from_status,
        "to": certificate.status,
        "reason": reason.strip(),
        "effective_on": effective_on,
    }


@transaction.atomic
def certificate_issue(
    *, actor: Account, certificate: Certificate, issued_on: date, expires_on: date
) -> Certificate:
    """Issue an applied-for certificate: it becomes 有效 from ``issued_on``."""
    require_registry_manager(actor, certificate.agency)
    if expires_on <= issued_on:
        raise RuleViolation("有效期至必须晚于发证日期", field="expires_on")
    certificate = (
        Certificate.objects.select_for_update().select_related("officer").get(pk=certificate.pk)
    )
    certificate.issued_on = issued_on
    certificate.expires_on = expires_on
    certificate.save(update_fields=["issued_on", "expires_on"])
    reason = "核发"
    from_status = _certificate_move(
        actor=actor,
        certificate=certificate,
        to_status=Certificate.Status.VALID,
        reason=reason,
        effective_on=issued_on,
    )
    payload = _certificate_step_payload(certificate, from_status, reason, issued_on)
    _record(
        actor,
        "registry.certificate.issue",
        payload | {"issued_on": issued_on, "expires_on": expires_on},
        rows=[certificate],
    )
    return certificate


def _require_supervision_suspension(actor: Account, certificate: Certificate, to: str) -> None:
    from .selectors import agencies_visible_to

    allowed = getattr(settings, "ZHIFA_SUPERVISION_MAY_SUSPEND", False)
    if (
        not allowed
        or to != Certificate.Status.SUSPENDED
        or actor.role != Account.Role.SUPERVISOR
        or not agencies_visible_to(actor).filter(pk=certificate.agency_id).exists()
    ):
        raise RuleViolation(
            "本地未授权行政执法监督机构暂扣执法证件",
            article="《行政执法监督条例》（国务院令第825号）第三十二条",
        )


@transaction.atomic
def certificate_status_change(
    *,
    actor: Account,
    certificate: Certificate,
    to_status: str,
    reason: str,
    effective_on: date,
    by_supervision: bool = False,
) -> Certificate:
    """Move the certificate along its status table; the step is appended to its history.

    ``by_supervision``: a supervisor of the agency's region suspends it on a supervision
    document (the reason names it), where the deployment allows it
    (``ZHIFA_SUPERVISION_MAY_SUSPEND``; 条例第三十二条 itself only recommends).

    Raises RuleViolation for a move the table forbids (e.g. out of 注销) or with no reason.
    """
    if by_supervision:
        _require_supervision_suspension(actor, certificate, to_status)
    else:
        require_registry_manager(actor, certificate.agency)
    certificate = (
        Certificate.objects.select_for_update().select_related("officer").get(pk=certificate.pk)
    )
    from_status = _certificate_move(
        actor=actor,
        certificate=certificate,
        to_status=to_status,
        reason=reason,
        effective_on=effective_on,
    )
    _record(
        actor,
        "registry.certificate.status_change",
        _certificate_step_payload(certificate, from_status, reason, effective_on),
        rows=[certificate],
    )
    return certificate


@transaction.atomic
def training_record_add(
    *,
    actor: Account,
    officer: Officer,
    year: int,
    kind: str,
    hours: Any,
    course: str = "",
    completed_on: date | None = None,
) -> TrainingRecord:
    require_registry_manager(actor, officer.agency)
    if kind not in TrainingRecord.Kind.values:
        raise RuleViolation(f"培训类别“{kind}”无效", field="kind")
    if hours is None or hours <= 0:
        raise RuleViolation("学时必须大于0", field="hours")
    record = TrainingRecord.objects.create(
        officer=officer, year=year, kind=kind, hours=hours, course=course, completed_on=completed_on
    )
    _record(
        actor,
        "registry.training.add",
        {
            "model": TrainingRecord._meta.label_lower,
            "id": record.pk,
            "officer": _officer_ref(officer),
            "year": year,
            "kind": kind,
            "hours": _tenths(hours),
            "course": course,
            "completed_on": completed_on,
        },
        rows=[record],
    )
    return record


@transaction.atomic
def exam_result_add(
    *, actor: Account, officer: Officer, name: str, taken_on: date, score: Any, passed: bool
) -> ExamResult:
    require_registry_manager(actor, officer.agency)
    result = ExamResult.objects.create(
        officer=officer, name=name, taken_on=taken_on, score=score, passed=passed
    )
    _record(
        actor,
        "registry.exam.add",
        {
            "model": ExamResult._meta.label_lower,
            "id": result.pk,
            "officer": _officer_ref(officer),
            "name": name,
            "taken_on": taken_on,
            "score": _tenths(score),
            "passed": passed,
        },
        rows=[result],
    )
    return result


# -- power list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Basis:
    law: str
    article: str
    text: str = ""


def _check_power_fields(
    *,
    name: str,
    category: str,
    implementing_level: str,
    bases: Sequence[Basis],
    is_township_empowered: bool,
    empowering_decision: str,
) -> None:
    if not name.strip():
        raise RuleViolation("事项名称不能为空", field="name")
    if category not in PowerItem.Category.values:
        raise RuleViolation(f"权力类别“{category}”无效", field="category")
    if implementing_level not in Agency.Level.values:
        raise RuleViolation(f"实施层级“{implementing_level}”无效", field="implementing_level")
    if not bases or any(not b.law.strip() or not b.article.strip() for b in bases):
        raise RuleViolation(
            "每个事项至少有一项设定依据（法律法规名称和条款）",
            article="职权法定：清单之外无权力",
            field="bases",
        )
    if is_township_empowered and not empowering_decision.strip():
        raise RuleViolation("乡镇（街道）赋权事项须写明赋权决定", field="empowering_decision")


def _save_bases(item: PowerItem, bases: Sequence[Basis]) -> list[dict[str, str]]:
    """Store the item's legal bases; the bases as stored, for the record entry."""
    rows = LegalBasis.objects.bulk_create(
        LegalBasis(
            power_item=item, law=b.law.strip("《》 "), article=b.article, text=b.text, position=i
        )
        for i, b in enumerate(bases)
    )
    return [{"law": row.law, "article": row.article, "text": row.text} for row in rows]


def _power_item_key(item: PowerItem) -> dict[str, Any]:
    return {
        "model": PowerItem._meta.label_lower,
        "id": item.pk,
        "agency": _agency_ref(item.agency),
        "code": item.code,
        "version": item.version,
    }


def _power_item_fields(item: PowerItem, bases: list[dict[str, str]]) -> dict[str, Any]:
    """A new version's field values, for its record entry."""
    return _power_item_key(item) | {
        "name": item.name,
        "category": item.category,
        "domain": item.domain.code,
        "implementing_level": item.implementing_level,
        "procedure_steps": list(item.procedure_steps),
        "is_random_inspection": item.is_random_inspection,
        "is_township_empowered": item.is_township_empowered,
        "empowering_decision": item.empowering_decision,
        "status": item.status,
        "bases": bases,
    }


@transaction.atomic
def power_item_create(
    *,
    actor: Account,
    agency: Agency,
    code: str,
    name: str,
    category: str,
    domain: Domain,
    implementing_level: str,
    bases: Sequence[Basis],
    procedure_steps: Sequence[str] = (),
    is_random_inspection: bool = False,
    is_township_empowered: bool = False,
    empowering_decision: str = "",
) -> PowerItem:
    """Add a new item to the agency's power list as a draft (version 1)."""
    require_registry_manager(actor, agency)
    code = code.strip()
    if not code:
        raise RuleViolation("事项编码不能为空", field="code")
    if PowerItem.objects.filter(agency=agency, code=code).exists():
        raise RuleViolation(f"本主体已有编码为{code}的事项，修改请新建版本", field="code")
    _check_power_fields(
        name=name,
        category=category,
        implementing_level=implementing_level,
        bases=bases,
        is_township_empowered=is_township_empowered,
        empowering_decision=empowering_decision,
    )
    item = PowerItem.objects.create(
        agency=agency,
        code=code,
        name=name.strip(),
        category=category,
        domain=domain,
        implementing_level=implementing_level,
        procedure_steps=list(procedure_steps),
        is_random_inspection=is_random_inspection,
        is_township_empowered=is_township_empowered,
        empowering_decision=empowering_decision,
    )
    stored = _save_bases(item, bases)
    _record(actor, "registry.power_item.create", _power_item_fields(item, stored), rows=[item])
    return item


@transaction.atomic
def power_item_publish(*, actor: Account, item: PowerItem, on: date) -> PowerItem:
    """Publish a draft; the version it replaces becomes 已被新版本替代."""
    require_registry_manager(actor, item.agency)
    item = PowerItem.objects.select_for_update().select_related("agency").get(pk=item.pk)
    if not can_move_power_item(item.status, PowerItem.Status.PUBLISHED):
        raise RuleViolation(f"“{item.get_status_display()}”的事项不能发布", field="status")
    replaced = PowerItem.objects.filter(
        agency_id=item.agency_id, code=item.code, status=PowerItem.Status.PUBLISHED
    )
    superseded = [
        {"id": pk, "version": version}
        for pk, version in replaced.order_by("version").values_list("pk", "version")
    ]
    replaced.update(status=PowerItem.Status.SUPERSEDED)
    from_status = item.status
    item.status = PowerItem.Status.PUBLISHED
    item.published_on = on
    item.save(update_fields=["status", "published_on"])
    _record(
        actor,
        "registry.power_item.publish",
        _power_item_key(item)
        | {"from": from_status, "to": item.status, "on": on, "superseded": superseded},
        rows=[item, *(PowerItem(pk=r["id"]) for r in superseded)],
    )
    return item


@transaction.atomic
def power_item_revise(
    *,
    actor: Account,
    item: PowerItem,
    change_note: str,
    bases: Sequence[Basis] | None = None,
    **changes: Any,
) -> PowerItem:
    """Make a new draft version of a published item with ``changes``; the published one stays.

    Refuses when the item is not the published version or a newer draft already exists.
    """
    require_registry_manager(actor, item.agency)
    item = PowerItem.objects.get(pk=item.pk)  # judge the stored status, not a stale copy
    allowed = {
        "name",
        "category",
        "domain",
        "implementing_level",
        "procedure_steps",
        "is_random_inspection",
        "is_township_empowered",
        "empowering_decision",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise RuleViolation(f"不能修改字段：{'、'.join(sorted(unknown))}")
    if item.status != PowerItem.Status.PUBLISHED:
        raise RuleViolation("只能在已发布的版本上修订", field="status")
    if not change_note.strip():
        raise RuleViolation("修订须写明变更说明", field="change_note")
    latest = PowerItem.objects.filter(agency_id=item.agency_id, code=item.code).order_by(
        "-version"
    )[0]
    if latest.status == PowerItem.Status.DRAFT:
        raise RuleViolation(f"已有待发布的第{latest.version}版，请先发布或修改该草稿")
    fields = {f: getattr(item, f) for f in allowed} | changes
    new_bases = (
        list(bases)
        if bases is not None
        else [Basis(b.law, b.article, b.text) for b in item.bases.all()]
    )
    _check_power_fields(
        name=fields["name"],
        category=fields["category"],
        implementing_level=fields["implementing_level"],
        bases=new_bases,
        is_township_empowered=fields["is_township_empowered"],
        empowering_decision=fields["empowering_decision"],
    )
    new = PowerItem.objects.create(
        agency=item.agency,
        code=item.code,
        version=latest.version + 1,
        previous=latest,
        change_note=change_note.strip(),
        status=PowerItem.Status.DRAFT,
        **fields,
    )
    stored = _save_bases(new, new_bases)
    _record(
        actor,
        "registry.power_item.revise",
        _power_item_fields(new, stored)
        | {
            "previous": {"id": latest.pk, "version": latest.version},
            "change_note": new.change_note,
            "changed": sorted([*changes, *(["bases"] if bases is not None else [])]),
        },
        rows=[new],
    )
    return new


@transaction.atomic
def power_item_repeal(*, actor: Account, item: PowerItem, reason: str, on: date) -> PowerItem:
    """Take a power off the list (取消). The item and its history stay readable."""
    require_registry_manager(actor, item.agency)
    item = PowerItem.objects.select_for_update().select_related("agency").get(pk=item.pk)
    if not can_move_power_item(item.status, PowerItem.Status.REPEALED):
        raise RuleViolation("只能取消已发布的事项", field="status")
    if not reason.strip():
        raise RuleViolation("取消事项须写明原因", field="change_note")
    from_status = item.status
    item.status = PowerItem.Status.REPEALED
    item.change_note = f"{on.isoformat()} 取消：{reason.strip()}"
    item.save(update_fields=["status", "change_note"])
    _record(
        actor,
        "registry.power_item.repeal",
        _power_item_key(item)
        | {"from": from_status, "to": item.status, "reason": reason.strip(), "on": on},
        rows=[item],
    )
    return item


# -- accounts ------------------------------------------------------------------------------


@transaction.atomic
def account_create(
    *,
    actor: Account | None,
    username: str,
    password: str | None,
    role: str,
    agency: Agency | None = None,
    region_code: str = "",
    officer: Officer | None = None,
    display_name: str = "",
    email: str = "",
    supervision_scope: str = Account.SupervisionScope.REGION,
) -> Account:
    """Create a login. ``actor`` None is allowed only for bootstrap commands (demo,
    ``createsuperuser``); ``password`` None makes an account that cannot log in until one is
    set.

    The password must pass Django's validators (``AUTH_PASSWORD_VALIDATORS``: length, common
    passwords, similarity to the username or name, all digits) — :class:`RuleViolation` on
    ``password`` listing every reason. Bootstrap accounts (no actor) are not checked: the
    demo's passwords are published on purpose (docs/demo.md) and never used in production.

    ``supervision_scope`` (a supervisor's: ``Account.SupervisionScope``) is checked by
    :func:`.supervision_scope.scope_fits` — 本系统内部监督 (条例第四十二条) needs the
    department as agency, 司法所协助 (第六条第二款) a township body under a county one."""
    if actor is not None:
        require_registry_manager(actor, agency)
    if actor is not None and password is not None:
        _password_check(
            password,
            Account(
                username=username, display_name=display_name or (officer.name if officer else "")
            ),
        )
    if role not in Account.Role.values:
        raise RuleViolation(f"角色“{role}”无效", field="role")
    if role == Account.Role.SUPERVISOR and not region_code:
        raise RuleViolation("执法监督人员须指定监督区域", field="region_code")
    if role == Account.Role.EXTERNAL_SUPERVISOR and (
        not region_code or agency is not None or officer is not None
    ):
        raise RuleViolation("行政执法监督员须指定区域，且不属于任何执法主体", field="region_code")
    external = role == Account.Role.EXTERNAL_SUPERVISOR
    if (
        role not in (Account.Role.SUPERVISOR, Account.Role.ADMIN)
        and agency is None
        and not external
    ):
        raise RuleViolation("该角色须指定所属执法主体", field="agency")
    if officer is not None and agency is not None and officer.agency_id != agency.pk:
        raise RuleViolation("执法人员不属于该执法主体", field="officer")
    parent = agency.parent if agency is not None else None
    scope_fits(
        scope=supervision_scope,
        role=role,
        has_agency=agency is not None,
        agency_level=agency.level if agency is not None else None,
        parent_level=parent.level if parent is not None else None,
    )
    system_admin = role == Account.Role.ADMIN and agency is None and not region_code
    try:
        with transaction.atomic():
            account = Account.objects.create_user(
                username=username,
                password=password,
                email=email,
                role=role,
                agency=agency,
                region_code=region_code,
                officer=officer,
                display_name=display_name or (officer.name if officer else ""),
                supervision_scope=supervision_scope,
                # The unscoped Django admin is for the system administrator only.
                is_staff=system_admin,
                is_superuser=system_admin,
            )
    except IntegrityError as exc:
        raise RuleViolation(f"用户名{username}已存在", field="username") from exc
    # Never the password (not even its hash).
    _record(
        actor,
        "registry.account.create",
        {
            "model": Account._meta.label_lower,
            "id": account.pk,
            "username": account.username,
            "role": account.role,
            "agency": _agency_ref(agency),
            "region_code": account.region_code,
            "officer": _officer_ref(officer),
            "display_name": account.display_name,
            "is_staff": account.is_staff,
            "is_superuser": account.is_superuser,
            "supervision_scope": account.supervision_scope,
        },
        rows=[account],
    )
    return account


_ACCOUNT_FIELDS = ("role", "agency", "region_code", "officer", "display_name", "is_active")


@transaction.atomic
def account_update(
    *,
    actor: Account,
    account: Account,
    role: str,
    agency: Agency | None,
    region_code: str,
    officer: Officer | None,
    display_name: str,
    is_active: bool,
) -> Account:
    """Change a login's role, scope, officer, name or whether it may log in (the Django admin's
    account form saves through here). As in :func:`account_create`, the Django admin (staff,
    superuser) goes with being the system administrator and nothing else; the password is not
    changed here. Refuses what ``account_create`` refuses, an actor that does not manage both
    the account's old agency and its new one, and — for an account without an agency before or
    after (a supervisor, an administrator) — anyone but the system administrator; a call that
    changes nothing records nothing.
    """
    from .selectors import is_system_admin  # selectors import nothing from here

    require_registry_manager(actor, account.agency)
    require_registry_manager(actor, agency)
    if (account.agency_id is None or agency is None) and not is_system_admin(actor):
        raise RuleViolation("只有系统管理员可以修改执法监督人员和管理员的账号", field="role")
    account = Account.objects.select_for_update().get(pk=account.pk)
    if role not in Account.Role.values:
        raise RuleViolation(f"角色“{role}”无效", field="role")
    if role == Account.Role.SUPERVISOR and not region_code:
        raise RuleViolation("执法监督人员须指定监督区域", field="region_code")
    if role == Account.Role.EXTERNAL_SUPERVISOR and (
        not region_code or agency is not None or officer is not None
    ):
        raise RuleViolation("行政执法监督员须指定区域，且不属于任何执法主体", field="region_code")
    external = role == Account.Role.EXTERNAL_SUPERVISOR
    if (
        role not in (Account.Role.SUPERVISOR, Account.Role.ADMIN)
        and agency is None
        and not external
    ):
        raise RuleViolation("该角色须指定所属执法主体", field="agency")
    if officer is not None and (agency is None or officer.agency_id != agency.pk):
        raise RuleViolation("执法人员不属于该执法主体", field="officer")
    if account.pk == actor.pk and not is_active:
        raise RuleViolation("不能停用自己的账号", field="is_active")
    system_admin = role == Account.Role.ADMIN and agency is None and not region_code
    wanted = {
        "role": role,
        "agency": agency,
        "region_code": region_code,
        "officer": officer,
        "display_name": display_name.strip(),
        "is_active": is_active,
        "is_staff": system_admin,
        "is_superuser": system_admin,
    }
    before = {f: getattr(account, f) for f in wanted}
    changed = sorted(f for f, v in wanted.items() if before[f] != v)
    if not changed:
        return account
    for field, value in wanted.items():
        setattr(account, field, value)
    try:
        with transaction.atomic():
            account.save(update_fields=list(wanted))
    except IntegrityError as exc:
        raise RuleViolation("该执法人员已有账号", field="officer") from exc

    def shown(value: Any) -> Any:
        if isinstance(value, Agency):
            return _agency_ref(value)
        if isinstance(value, Officer):
            return _officer_ref(value)
        return value

    _record(
        actor,
        "registry.account.update",
        {
            "model": Account._meta.label_lower,
            "id": account.pk,
            "username": account.username,
            "changed": changed,
            "from": {f: shown(before[f]) for f in changed},
            "to": {f: shown(wanted[f]) for f in changed},
        },
        rows=[account],
    )
    return account


def _password_check(password: str, account: Account) -> None:
    try:
        password_validation.validate_password(password, account)
    except ValidationError as exc:
        raise RuleViolation("；".join(str(m) for m in exc.messages), field="password") from exc


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *, actor: Account, name: str, days: int | None = None, at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue an API token for the actor's own account; the raw token is returned only here.

    It expires ``days`` after issue: at most ``ZHIFA_API_TOKEN_DAYS`` (the default), at least 1
    (:class:`RuleViolation` otherwise)."""
    most = int(settings.ZHIFA_API_TOKEN_DAYS)
    days = most if days is None else days
    if not 1 <= days <= most:
        raise RuleViolation(
            f"接口令牌的有效期应为1至{most}天（ZHIFA_API_TOKEN_DAYS）", field="days"
        )
    now = timezone.now() if at is None else at
    raw = "zf_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        account=actor,
        name=name or "API",
        key_hash=_token_hash(raw),
        prefix=raw[:8],
        expires_at=now + timedelta(days=days),
    )
    _record(
        actor, "registry.api_token.issue", _token_payload(token) | {"expires_at": token.expires_at}
    )
    return token, raw


def _token_payload(token: ApiToken) -> dict[str, Any]:
    # Name and prefix only: the raw token or its hash in the log would be a credential anyone
    # reading the log could use (the hash is what api_token_account looks up).
    return {
        "model": ApiToken._meta.label_lower,
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "account": {"id": token.account_id},
    }


@transaction.atomic
def api_token_revoke(*, actor: Account, token: ApiToken) -> ApiToken:
    if token.account_id != actor.pk:
        raise RuleViolation("只能停用自己的接口令牌")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _record(
        actor,
        "registry.api_token.revoke",
        _token_payload(token) | {"revoked_at": token.revoked_at},
    )
    return token


class ApiTokenExpired(RuleViolation):
    """A known token whose time is over (``expires_at`` has passed); its message says when."""

    def __init__(self, token: ApiToken) -> None:
        when = timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")
        super().__init__(
            f"接口令牌（前缀{token.prefix}）已于{when}过期，请重新签发（zhifa apitoken issue）"
        )
        self.token = token


# ``last_used_at`` is written at most this often per token: each API call would otherwise be a
# write (on SQLite, a wait for the one writer).
TOKEN_USE_PRECISION = timedelta(minutes=1)


def api_token_account(raw: str, *, now: datetime | None = None) -> Account | None:
    """The active account holding the raw token, or None for an unknown or revoked token (or
    an inactive account). Raises :class:`ApiTokenExpired` for a token past ``expires_at``.
    Marks the token used, to the minute (not recorded: a timestamp of use, not a change made
    by anyone)."""
    now = timezone.now() if now is None else now
    token = (
        ApiToken.objects.select_related("account")
        .filter(key_hash=_token_hash(raw), revoked_at__isnull=True, account__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.expires_at <= now:
        raise ApiTokenExpired(token)
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOKEN_USE_PRECISION),
        pk=token.pk,
    ).update(last_used_at=now)
    return token.account


# -- training requirements -----------------------------------------------------------------


@transaction.atomic
def training_requirement_set(
    *,
    actor: Account,
    region_code: str,
    legal_hours: Decimal,
    professional_hours: Decimal,
    basis: str,
    requirement: TrainingRequirement | None = None,
) -> TrainingRequirement:
    """Set a region's yearly training hours (``requirement``: the row to change; its region may
    change too), with the rule it comes from. Only the system administrator or the admin of a
    region covering it. Refuses a region taken by another row and hours below zero."""
    region_code = _checked(validate_division_code, region_code, "region_code")
    require_registry_manager(actor, None)
    from .selectors import is_system_admin  # selectors import nothing from here

    for code in {region_code, requirement.region_code if requirement else region_code}:
        if not is_system_admin(actor) and not (
            actor.region_code and division_contains(actor.region_code, code)
        ):
            raise RuleViolation("只有该区域的系统管理员可以设置培训学时要求", field="region_code")
    hours = {"legal_hours": legal_hours, "professional_hours": professional_hours}
    for field, value in hours.items():
        if value is None or value < 0:
            raise RuleViolation("学时不能为负数", field=field)
    taken = TrainingRequirement.objects.filter(region_code=region_code)
    if requirement is not None:
        taken = taken.exclude(pk=requirement.pk)
    if taken.exists():
        raise RuleViolation(f"行政区划{region_code}已有培训学时要求", field="region_code")
    before = None
    if requirement is None:
        requirement = TrainingRequirement(region_code=region_code)
    else:
        requirement = TrainingRequirement.objects.select_for_update().get(pk=requirement.pk)
        before = {
            "region_code": requirement.region_code,
            "legal_hours": _tenths(requirement.legal_hours),
            "professional_hours": _tenths(requirement.professional_hours),
            "basis": requirement.basis,
        }
    requirement.region_code = region_code
    requirement.legal_hours = _tenths(legal_hours)
    requirement.professional_hours = _tenths(professional_hours)
    requirement.basis = basis.strip()
    requirement.save()
    _record(
        actor,
        "registry.training_requirement.set",
        {
            "model": TrainingRequirement._meta.label_lower,
            "id": requirement.pk,
            "from": before,
            "to": {
                "region_code": requirement.region_code,
                "legal_hours": requirement.legal_hours,
                "professional_hours": requirement.professional_hours,
                "basis": requirement.basis,
            },
        },
        rows=[requirement],
    )
    return requirement


# -- the demo ------------------------------------------------------------------------------


@transaction.atomic
def demo_load_record(*, actor: Account | None, demo: str, counts: Mapping[str, int]) -> Entry:
    """The one summary entry of a bulk demo load (``zhifa.registry.demo``), which writes its
    rows with ``bulk_create`` and so bypasses the services' own entries: ``demo`` names the data
    set ("city", "province"), ``counts`` the rows written by kind. Call it inside the load's
    transaction."""
    return _record(
        actor,
        "registry.demo.load",
        {"demo": demo, "counts": {str(k): int(v) for k, v in counts.items()}},
    )


@transaction.atomic
def rows_load_record(
    *,
    actor: Account | None,
    load: str,
    rows: Iterable[Model] = (),
    ranges: Iterable[tuple[type[Model], int, int]] = (),
    written: Mapping[type[Model], list[tuple[int, bytes]]] | None = None,
) -> Entry:
    """The entry of a bulk load (the demo's batches, the test personas, ``zhifa
    registry_baseline``): the state digests of ``rows`` and of every row of each
    ``(model, first id, last id)`` in ``ranges``, as now stored, so that ``zhifa verify`` can
    check rows that were written with ``bulk_create`` rather than through a service; and the
    digests in ``written``, which the loader computed from the rows it wrote
    (``replay.digests_of_written``) and vouches for. ``load`` names the load. Call it in the
    load's transaction, after its rows are written."""
    key = current_key()
    digests = digests_of(rows, key)
    for model, lo, hi in ranges:
        found = digests_in_range(model, lo, hi, key)
        digests.setdefault(BY_MODEL[model].label, []).extend(found)
    for model, pairs in (written or {}).items():
        digests.setdefault(BY_MODEL[model].label, []).extend(pairs)
    return _record(
        actor,
        "registry.rows.load",
        {
            "load": load,
            "counts": {label: len(pairs) for label, pairs in sorted(digests.items())},
            "state": row_state.state_payload(key, digests),
        },
    )


@transaction.atomic
def registry_baseline_record(*, actor: Account | None) -> dict[str, int]:
    """Record the state of every registry row no entry has recorded yet — the rows of a
    database from before registry entries carried states — in ``registry.rows.load`` entries
    (load ``baseline``), so ``zhifa verify`` checks them from now on. Rows already recorded are
    left alone: a row changed behind the log's back stays reported, never blessed. Returns how
    many rows of each model were recorded."""
    from .replay import rows_unrecorded

    counts: dict[str, int] = {}
    for model, pks in rows_unrecorded():
        rows_load_record(actor=actor, load="baseline", rows=[model(pk=pk) for pk in pks])
        label = model._meta.label_lower
        counts[label] = counts.get(label, 0) + len(pks)
    return counts


# -- published before enforcement (事前公开) -------------------------------------------------
#
# An agency's public facts (监督方式, 救济渠道, 投诉举报渠道), its 随机抽查事项清单, its discretion
# benchmarks (裁量基准) and its 不予处罚/减轻/从轻 lists. The three lists are versioned like the
# power list: create (draft) → publish; a published version is revised into a new draft that
# supersedes it when published; withdrawal (撤回) keeps the row with its date and reason.

# Their record actions, kept apart from ACTIONS (whose every action has its scenario in
# tests/test_record_entries.py); the same entry shape as :func:`_record`.
PUBLIC_ACTIONS: tuple[str, ...] = (
    "registry.agency.public_info_set",
    "registry.inspection_item.create",
    "registry.inspection_item.publish",
    "registry.inspection_item.revise",
    "registry.inspection_item.withdraw",
    "registry.discretion_benchmark.create",
    "registry.discretion_benchmark.publish",
    "registry.discretion_benchmark.revise",
    "registry.discretion_benchmark.withdraw",
    "registry.lenient_item.create",
    "registry.lenient_item.publish",
    "registry.lenient_item.revise",
    "registry.lenient_item.withdraw",
)

# 国办发〔2024〕54号: 未公布的检查事项不得检查.
INSPECTION_NEEDS_PUBLISHED_POWER = "国办发〔2024〕54号"
DISCRETION_RULE = "国办发〔2022〕27号"

_LS = PublicListing.Status


def _record_public(
    actor: Account, action: str, payload: Mapping[str, Any], *, rows: Iterable[Model]
) -> Entry:
    assert action in PUBLIC_ACTIONS, action
    payload = {**payload, "state": _state(rows)}
    return record_append(
        actor_id=actor.pk,
        actor_name=actor.display_name or actor.get_username(),
        role=actor.role,
        action=action,
        payload=payload,
    )


def _text(value: str, field: str, label: str) -> str:
    value = value.strip()
    if not value:
        raise RuleViolation(f"{label}不能为空", field=field)
    return value


_PUBLIC_INFO_FIELDS = (
    "authority_basis",
    "supervision",
    "reconsideration_body",
    "litigation_court",
    "complaint_channels",
)


@transaction.atomic
def agency_public_info_set(
    *,
    actor: Account,
    agency: Agency,
    authority_basis: str,
    supervision: str,
    reconsideration_body: str,
    litigation_court: str,
    complaint_channels: str,
) -> Agency:
    """Set what the portal shows of the body besides its registry facts: 法定职权依据, 监督方式,
    救济渠道 (行政复议机关, 行政诉讼管辖法院) and 投诉举报渠道 (国办发〔2018〕118号: 事前公开).

    Refuses an empty 监督方式 or 投诉举报渠道 and a missing 复议机关 or 管辖法院: a citizen must
    always learn where to complain and how to seek remedy.
    """
    require_registry_manager(actor, agency)
    values = {
        "authority_basis": authority_basis.strip(),
        "supervision": _text(supervision, "supervision", "监督方式"),
        "reconsideration_body": _text(reconsideration_body, "reconsideration_body", "行政复议机关"),
        "litigation_court": _text(litigation_court, "litigation_court", "行政诉讼管辖法院"),
        "complaint_channels": _text(complaint_channels, "complaint_channels", "投诉举报渠道"),
    }
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = {f: getattr(agency, f) for f in _PUBLIC_INFO_FIELDS}
    for field, value in values.items():
        setattr(agency, field, value)
    agency.save(update_fields=[*_PUBLIC_INFO_FIELDS, "updated_at"])
    _record_public(
        actor,
        "registry.agency.public_info_set",
        {
            "model": Agency._meta.label_lower,
            "id": agency.pk,
            "credit_code": agency.credit_code,
            "name": agency.name,
            "from": before,
            "to": values,
        },
        rows=[agency],
    )
    return agency


def _require_scope_manager(actor: Account, agency: Agency | None, region_code: str) -> str:
    """An agency's listing needs its manager; a region's the admin of a region covering it.

    Returns the validated region code ("" for an agency's listing)."""
    if agency is not None:
        require_registry_manager(actor, agency)
        return ""
    region_code = _checked(validate_division_code, region_code, "region_code")
    require_registry_manager(actor, None)
    from .selectors import is_system_admin  # selectors import nothing from here

    if not is_system_admin(actor) and not (
        actor.region_code and division_contains(actor.region_code, region_code)
    ):
        raise RuleViolation("只有该区域的系统管理员可以发布区域适用的清单", field="region_code")
    return region_code


_Listing = TypeVar("_Listing", RandomInspectionItem, DiscretionBenchmark, LenientListItem)


def _listing_region(obj: PublicListing) -> str:
    return str(getattr(obj, "region_code", ""))


def _listing_ref(
    obj: RandomInspectionItem | DiscretionBenchmark | LenientListItem,
) -> dict[str, Any]:
    return {
        "model": obj._meta.label_lower,
        "id": obj.pk,
        "version": obj.version,
        "agency": _agency_ref(obj.agency),
        "region_code": _listing_region(obj),
    }


def _power_ref(item: PowerItem | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {"id": item.pk, "code": item.code, "version": item.version, "name": item.name}


def _listing_locked(obj: _Listing, actor: Account) -> _Listing:
    """The stored row, locked, after checking the actor manages its scope."""
    fresh = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    _require_scope_manager(actor, fresh.agency, _listing_region(fresh))
    return fresh


def _listing_publish(actor: Account, obj: _Listing, on: date, action: str) -> _Listing:
    if not can_move_listing(obj.status, _LS.PUBLISHED):
        raise RuleViolation(f"“{obj.get_status_display()}”的版本不能公布", field="status")
    superseded = None
    written: list[PublicListing] = [obj]
    previous = obj.previous
    if previous is not None and previous.status == _LS.PUBLISHED:
        previous.status = _LS.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
        superseded = {"id": previous.pk, "version": previous.version}
        written.append(previous)
    from_status = obj.status
    obj.status = _LS.PUBLISHED
    obj.published_on = on
    obj.save(update_fields=["status", "published_on", "updated_at"])
    _record_public(
        actor,
        action,
        _listing_ref(obj)
        | {"from": from_status, "to": obj.status, "on": on, "superseded": superseded},
        rows=written,
    )
    return obj


def _listing_withdraw(
    actor: Account, obj: _Listing, reason: str, on: date, action: str
) -> _Listing:
    obj = _listing_locked(obj, actor)
    if not can_move_listing(obj.status, _LS.WITHDRAWN):
        raise RuleViolation("只能撤回草稿或已公布的版本", field="status")
    reason = _text(reason, "reason", "撤回原因")
    from_status = obj.status
    obj.status = _LS.WITHDRAWN
    obj.withdrawn_on = on
    obj.withdrawal_reason = reason
    obj.save(update_fields=["status", "withdrawn_on", "withdrawal_reason", "updated_at"])
    _record_public(
        actor,
        action,
        _listing_ref(obj) | {"from": from_status, "to": obj.status, "reason": reason, "on": on},
        rows=[obj],
    )
    return obj


def _listing_revisable(
    actor: Account, obj: _Listing, change_note: str
) -> tuple[_Listing, str, int]:
    """The locked published version to revise, the change note and the new version's number;
    refuses while a draft revision is pending (a withdrawn one does not count)."""
    obj = _listing_locked(obj, actor)
    if obj.status != _LS.PUBLISHED:
        raise RuleViolation("只能在已公布的版本上修订", field="status")
    revisions = type(obj)._default_manager.filter(previous=obj)
    if revisions.filter(status=_LS.DRAFT).exists():
        raise RuleViolation("该版本已有待公布的修订，请先公布或撤回该修订", field="status")
    latest = revisions.aggregate(v=Max("version"))["v"] or obj.version
    return obj, _text(change_note, "change_note", "变更说明"), latest + 1


def _unknown_changes(changes: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise RuleViolation(f"不能修改字段：{'、'.join(sorted(unknown))}")


# -- 随机抽查事项清单 ----------------------------------------------------------------------

_INSPECTION_FIELDS = (
    "power_item",
    "category",
    "subjects",
    "content",
    "method",
    "ratio_frequency",
    "basis",
)


def _check_inspection_power(agency: Agency, power_item: PowerItem) -> None:
    """国办发〔2024〕54号: an inspection item must be a published 行政检查 power of the agency."""
    published = PowerItem.objects.filter(
        agency_id=agency.pk,
        code=power_item.code,
        category=PowerItem.Category.INSPECTION,
        status=PowerItem.Status.PUBLISHED,
    ).exists()
    if power_item.agency_id != agency.pk or not published:
        raise RuleViolation(
            "随机抽查事项须对应本主体权责清单中已发布的行政检查事项（未公布的检查事项不得检查）",
            article=INSPECTION_NEEDS_PUBLISHED_POWER,
            field="power_item",
        )


def _inspection_fields(agency: Agency, fields: Mapping[str, Any]) -> dict[str, Any]:
    _check_inspection_power(agency, fields["power_item"])
    if fields["category"] not in RandomInspectionItem.Category.values:
        raise RuleViolation(f"抽查类别“{fields['category']}”无效", field="category")
    return {
        "power_item": fields["power_item"],
        "category": fields["category"],
        "subjects": _text(fields["subjects"], "subjects", "抽查对象"),
        "content": _text(fields["content"], "content", "抽查内容"),
        "method": _text(fields["method"], "method", "抽查方式"),
        "ratio_frequency": str(fields["ratio_frequency"]).strip(),
        "basis": _text(fields["basis"], "basis", "抽查依据"),
    }


def _inspection_payload(item: RandomInspectionItem) -> dict[str, Any]:
    return _listing_ref(item) | {
        "power_item": _power_ref(item.power_item),
        "category": item.category,
        "subjects": item.subjects,
        "content": item.content,
        "method": item.method,
        "ratio_frequency": item.ratio_frequency,
        "basis": item.basis,
        "status": item.status,
    }


@transaction.atomic
def inspection_item_create(
    *,
    actor: Account,
    agency: Agency,
    power_item: PowerItem,
    category: str,
    subjects: str,
    content: str,
    method: str,
    basis: str,
    ratio_frequency: str = "",
) -> RandomInspectionItem:
    """Add a draft row to the agency's 随机抽查事项清单.

    Refuses a power item that is not a published 行政检查 item of the same agency
    (国办发〔2024〕54号: 未公布的检查事项不得检查) and empty 对象, 内容, 方式 or 依据.
    """
    require_registry_manager(actor, agency)
    fields = _inspection_fields(
        agency,
        {
            "power_item": power_item,
            "category": category,
            "subjects": subjects,
            "content": content,
            "method": method,
            "ratio_frequency": ratio_frequency,
            "basis": basis,
        },
    )
    item = RandomInspectionItem.objects.create(agency=agency, **fields)
    _record_public(actor, "registry.inspection_item.create", _inspection_payload(item), rows=[item])
    return item


@transaction.atomic
def inspection_item_publish(
    *, actor: Account, item: RandomInspectionItem, on: date
) -> RandomInspectionItem:
    """Publish a draft; the version it revises becomes 已被新版本替代. Refuses when its power
    item is no longer on the published list (国办发〔2024〕54号)."""
    item = _listing_locked(item, actor)
    _check_inspection_power(item.agency, item.power_item)
    return _listing_publish(actor, item, on, "registry.inspection_item.publish")


@transaction.atomic
def inspection_item_revise(
    *, actor: Account, item: RandomInspectionItem, change_note: str, **changes: Any
) -> RandomInspectionItem:
    """A new draft version of a published row with ``changes`` (any of its own fields)."""
    _unknown_changes(changes, _INSPECTION_FIELDS)
    item, note, version = _listing_revisable(actor, item, change_note)
    fields = _inspection_fields(
        item.agency, {f: getattr(item, f) for f in _INSPECTION_FIELDS} | changes
    )
    new = RandomInspectionItem.objects.create(
        agency=item.agency, version=version, previous=item, change_note=note, **fields
    )
    _record_public(
        actor,
        "registry.inspection_item.revise",
        _inspection_payload(new)
        | {"previous": {"id": item.pk, "version": item.version}, "change_note": note},
        rows=[new],
    )
    return new


@transaction.atomic
def inspection_item_withdraw(
    *, actor: Account, item: RandomInspectionItem, reason: str, on: date
) -> RandomInspectionItem:
    """Withdraw (撤回) a draft or published row; it stays with its date and reason."""
    return _listing_withdraw(actor, item, reason, on, "registry.inspection_item.withdraw")


# -- 裁量基准 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grade:
    """One 裁量阶次 of a benchmark, as given to the services."""

    level: str
    conditions: str
    standard: str
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None


_BENCHMARK_FIELDS = (
    "issuer",
    "domain",
    "power_item",
    "violation",
    "basis",
    "violated_provision",
    "penalty_provision",
    "range_kind",
    "range_min",
    "range_max",
    "base_name",
    "penalty_kinds",
    "parent",
)
_BENCHMARK_DEFAULTS: dict[str, Any] = {
    "violated_provision": "",
    "penalty_provision": "",
    "range_kind": discretion.RangeKind.KINDS.value,
    "range_min": None,
    "range_max": None,
    "base_name": "",
    "penalty_kinds": (),
    "parent": None,
}
_GL = DiscretionGrade.Level
# Grades whose amounts lie inside the statutory range (减轻 lies below it).
_IN_RANGE_LEVELS = frozenset({_GL.LIGHTER, _GL.STANDARD, _GL.HEAVIER})


def _check_grades(grades: Sequence[Grade]) -> list[Grade]:
    if not grades:
        raise RuleViolation("裁量基准至少列明一个裁量阶次", article=DISCRETION_RULE, field="grades")
    seen: set[str] = set()
    for g in grades:
        if g.level not in _GL.values:
            raise RuleViolation(f"裁量阶次“{g.level}”无效", field="grades")
        if g.level in seen:
            raise RuleViolation(f"裁量阶次“{_GL(g.level).label}”重复", field="grades")
        seen.add(g.level)
        label = _GL(g.level).label
        _text(g.conditions, "grades", f"“{label}”的适用条件")
        _text(g.standard, "grades", f"“{label}”的处罚标准")
        for amount in (g.min_amount, g.max_amount):
            if amount is not None and amount < 0:
                raise RuleViolation(f"“{label}”的罚款金额不能为负数", field="grades")
        if g.min_amount is not None and g.max_amount is not None and g.max_amount < g.min_amount:
            raise RuleViolation(f"“{label}”的罚款上限低于下限", field="grades")
    # 减轻处罚 is below the statutory minimum (《行政处罚法》第三十二条), so below every grade
    # inside the range.
    mitigated = next((g for g in grades if g.level == _GL.MITIGATED), None)
    floors = [
        g.min_amount for g in grades if g.level in _IN_RANGE_LEVELS and g.min_amount is not None
    ]
    if mitigated and mitigated.max_amount is not None and floors:  # noqa: SIM102
        if mitigated.max_amount >= min(floors):
            raise RuleViolation(
                "减轻处罚的罚款应低于法定最低限额（低于从轻、一般、从重阶次的下限）",
                article="《行政处罚法》第三十二条",
                field="grades",
            )
    return list(grades)


def _benchmark_fields(agency: Agency | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    power_item: PowerItem | None = fields["power_item"]
    if power_item is not None and (
        power_item.category != PowerItem.Category.PENALTY
        or power_item.status != PowerItem.Status.PUBLISHED
        or (agency is not None and power_item.agency_id != agency.pk)
    ):
        raise RuleViolation(
            "裁量基准对应的事项须是已发布的行政处罚事项（本主体的，如按主体制定）",
            article=DISCRETION_RULE,
            field="power_item",
        )
    if not isinstance(fields["domain"], Domain):
        raise RuleViolation("须填写执法领域", field="domain")
    kind = fields["range_kind"]
    if kind not in discretion.RangeKind.__members__.values():
        raise RuleViolation(f"法定处罚幅度方式“{kind}”无效", field="range_kind")
    range_min, range_max = _cents(fields["range_min"]), _cents(fields["range_max"])
    if kind == discretion.RangeKind.KINDS:
        range_min = range_max = None
    base_name = fields["base_name"].strip() if kind == discretion.RangeKind.MULTIPLE else ""
    try:
        discretion.StatutoryRange(discretion.RangeKind(kind), range_min, range_max, base_name)
    except ValueError:
        raise RuleViolation(
            "罚款数额幅度须填写下限和上限（上限不低于下限）；倍数罚款另须写明基数（如货值金额）",
            article=DISCRETION_RULE + "（六）",
            field="range_min",
        ) from None
    parent = fields["parent"]
    if parent is not None and (
        not isinstance(parent, DiscretionBenchmark) or parent.status != _LS.PUBLISHED
    ):
        raise RuleViolation("上级裁量基准须是已公布的裁量基准", field="parent")
    kinds = _statutory_kinds(fields["penalty_kinds"])
    if parent is not None and parent.penalty_kinds:
        beyond = [k for k in kinds if k not in parent.penalty_kinds]
        if beyond:
            raise RuleViolation(
                "细化的裁量基准不得增加上级裁量基准以外的处罚种类："
                + "、".join(penalty.PenaltyKind(k).label for k in beyond),
                article=DISCRETION_RULE + "（五）",
                field="penalty_kinds",
            )
    return {
        "issuer": _text(fields["issuer"], "issuer", "制定机关"),
        "domain": fields["domain"],
        "power_item": power_item,
        "violation": _text(fields["violation"], "violation", "违法行为"),
        "basis": _text(fields["basis"], "basis", "违法依据和处罚依据"),
        "violated_provision": fields["violated_provision"].strip(),
        "penalty_provision": fields["penalty_provision"].strip(),
        "range_kind": kind,
        "range_min": range_min,
        "range_max": range_max,
        "base_name": base_name,
        "penalty_kinds": kinds,
        "parent": parent,
    }


def _statutory_kinds(kinds: Iterable[str]) -> list[str]:
    """The kinds as stored: known kinds only, once each, in the order of 第九条."""
    given = set(kinds)
    unknown = given - set(penalty.PenaltyKind)
    if unknown:
        raise RuleViolation(
            f"处罚种类“{'、'.join(sorted(unknown))}”无效（《行政处罚法》第九条）",
            field="penalty_kinds",
        )
    return [k.value for k in penalty.PenaltyKind if k in given]


def benchmark_range(b: DiscretionBenchmark) -> discretion.StatutoryRange:
    """The entry's statutory range as the calculator takes it."""
    return discretion.StatutoryRange(
        discretion.RangeKind(b.range_kind), b.range_min, b.range_max, b.base_name
    )


def benchmark_own_bands(grades: Iterable[Any]) -> list[discretion.GradeBand]:
    """The grades that state their own band (both ends), in the range's unit."""
    return [
        discretion.GradeBand(discretion.Grade(g.level), g.min_amount, g.max_amount)
        for g in grades
        if g.level in _IN_RANGE_LEVELS and g.min_amount is not None and g.max_amount is not None
    ]


def _check_refinement(fields: Mapping[str, Any], grades: Sequence[Grade]) -> None:
    """Grades inside the entry's own range; a lower level's entry and each of its grades
    within the upper level's band (国办发〔2022〕27号（五）: 下级 "在上级的裁量阶次和幅度内细化").
    """
    rng = discretion.StatutoryRange(
        discretion.RangeKind(fields["range_kind"]),
        fields["range_min"],
        fields["range_max"],
        fields["base_name"],
    )
    own = benchmark_own_bands(grades)
    if rng.kind != discretion.RangeKind.KINDS:
        for g in own:
            if g.low < (rng.minimum or 0) or g.high > (rng.maximum or 0):
                raise RuleViolation(
                    f"“{g.grade.label}”阶次的幅度超出本基准的法定幅度（{rng.text}）",
                    article=discretion.RULE_BANDS,
                    field="grades",
                )
    parent: DiscretionBenchmark | None = fields["parent"]
    if parent is None:
        return
    parent_range = benchmark_range(parent)
    parent_own = benchmark_own_bands(parent.grades.all())
    why = discretion.band_outside(rng, parent_range)
    for g in own:
        why = why or discretion.grade_band_outside(g, parent_range, parent_own)
    if why:
        raise RuleViolation(
            why + "：下级只能在上级裁量基准的裁量阶次和幅度内细化",
            article=discretion.RULE_REFINE,
            field="parent",
        )


def _power_items_checked(agency: Agency | None, items: Iterable[PowerItem]) -> list[PowerItem]:
    checked = list(dict.fromkeys(items))
    for item in checked:
        if (
            item.category != PowerItem.Category.PENALTY
            or item.status != PowerItem.Status.PUBLISHED
            or (agency is not None and item.agency_id != agency.pk)
        ):
            raise RuleViolation(
                f"“{item.name}”不是已发布的行政处罚事项（本主体的，如按主体制定）",
                article=DISCRETION_RULE,
                field="power_items",
            )
    return checked


def _cents(amount: Decimal | None) -> Decimal | None:
    """Amounts as stored (yuan, two decimal places); never a float in the log."""
    return None if amount is None else Decimal(str(amount)).quantize(Decimal("0.01"))


def _save_grades(benchmark: DiscretionBenchmark, grades: Sequence[Grade]) -> list[dict[str, Any]]:
    rows = DiscretionGrade.objects.bulk_create(
        DiscretionGrade(
            benchmark=benchmark,
            level=g.level,
            conditions=g.conditions.strip(),
            standard=g.standard.strip(),
            min_amount=_cents(g.min_amount),
            max_amount=_cents(g.max_amount),
            position=i,
        )
        for i, g in enumerate(grades)
    )
    return [
        {
            "level": r.level,
            "conditions": r.conditions,
            "standard": r.standard,
            "min_amount": r.min_amount,
            "max_amount": r.max_amount,
        }
        for r in rows
    ]


def _benchmark_payload(b: DiscretionBenchmark, grades: list[dict[str, Any]]) -> dict[str, Any]:
    return _listing_ref(b) | {
        "issuer": b.issuer,
        "domain": b.domain.code,
        "power_item": _power_ref(b.power_item),
        "violation": b.violation,
        "basis": b.basis,
        "violated_provision": b.violated_provision,
        "penalty_provision": b.penalty_provision,
        "range": {
            "kind": b.range_kind,
            "min": b.range_min,
            "max": b.range_max,
            "base_name": b.base_name,
            "penalty_kinds": list(b.penalty_kinds),
        },
        "parent": None if b.parent is None else {"id": b.parent.pk, "version": b.parent.version},
        "power_items": [_power_ref(p) for p in b.power_items.order_by("pk")],
        "status": b.status,
        "grades": grades,
    }


@transaction.atomic
def discretion_benchmark_create(
    *,
    actor: Account,
    issuer: str,
    domain: Domain,
    violation: str,
    basis: str,
    grades: Sequence[Grade],
    agency: Agency | None = None,
    region_code: str = "",
    power_item: PowerItem | None = None,
    power_items: Iterable[PowerItem] = (),
    **extra: Any,
) -> DiscretionBenchmark:
    """A draft 裁量基准 for one violation, for ``agency`` or (no agency) for ``region_code``.

    ``extra``: 违反条款 ``violated_provision``, 处罚依据 ``penalty_provision``, the statutory
    range (``range_kind`` amount / multiple / kinds, ``range_min``, ``range_max``,
    ``base_name``) and the upper level's entry it refines (``parent``).

    Refuses a benchmark without grades, a grade without conditions or standard, amounts out of
    order, a 减轻 grade not below the range (《行政处罚法》第三十二条), a grade band outside the
    entry's range (2号第十条), an entry or grade band outside its parent's (国办发〔2022〕27号
    （五）), and a power item that is not a published 行政处罚 item (of the agency, when issued
    by one).
    """
    _unknown_changes(extra, _BENCHMARK_DEFAULTS)
    region_code = _require_scope_manager(actor, agency, region_code)
    fields = _benchmark_fields(
        agency,
        _BENCHMARK_DEFAULTS
        | extra
        | {
            "issuer": issuer,
            "domain": domain,
            "power_item": power_item,
            "violation": violation,
            "basis": basis,
        },
    )
    checked = _check_grades(grades)
    _check_refinement(fields, checked)
    applies = _power_items_checked(agency, power_items)
    benchmark = DiscretionBenchmark.objects.create(agency=agency, region_code=region_code, **fields)
    benchmark.power_items.set(applies)
    stored = _save_grades(benchmark, checked)
    _record_public(
        actor,
        "registry.discretion_benchmark.create",
        _benchmark_payload(benchmark, stored),
        rows=[benchmark],
    )
    return benchmark


@transaction.atomic
def discretion_benchmark_publish(
    *, actor: Account, benchmark: DiscretionBenchmark, on: date
) -> DiscretionBenchmark:
    benchmark = _listing_locked(benchmark, actor)
    return _listing_publish(actor, benchmark, on, "registry.discretion_benchmark.publish")


@transaction.atomic
def discretion_benchmark_revise(
    *,
    actor: Account,
    benchmark: DiscretionBenchmark,
    change_note: str,
    grades: Sequence[Grade] | None = None,
    power_items: Iterable[PowerItem] | None = None,
    **changes: Any,
) -> DiscretionBenchmark:
    """A new draft version with ``changes`` and, when given, new ``grades`` and ``power_items``
    (else the same); refused as ``discretion_benchmark_create`` refuses."""
    _unknown_changes(changes, _BENCHMARK_FIELDS)
    benchmark, note, version = _listing_revisable(actor, benchmark, change_note)
    fields = _benchmark_fields(
        benchmark.agency, {f: getattr(benchmark, f) for f in _BENCHMARK_FIELDS} | changes
    )
    new_grades = (
        list(grades)
        if grades is not None
        else [
            Grade(g.level, g.conditions, g.standard, g.min_amount, g.max_amount)
            for g in benchmark.grades.all()
        ]
    )
    checked = _check_grades(new_grades)
    _check_refinement(fields, checked)
    applies = _power_items_checked(
        benchmark.agency, benchmark.power_items.all() if power_items is None else power_items
    )
    new = DiscretionBenchmark.objects.create(
        agency=benchmark.agency,
        region_code=benchmark.region_code,
        version=version,
        previous=benchmark,
        change_note=note,
        **fields,
    )
    new.power_items.set(applies)
    stored = _save_grades(new, checked)
    _record_public(
        actor,
        "registry.discretion_benchmark.revise",
        _benchmark_payload(new, stored)
        | {"previous": {"id": benchmark.pk, "version": benchmark.version}, "change_note": note},
        rows=[new],
    )
    return new


@transaction.atomic
def discretion_benchmark_withdraw(
    *, actor: Account, benchmark: DiscretionBenchmark, reason: str, on: date
) -> DiscretionBenchmark:
    return _listing_withdraw(actor, benchmark, reason, on, "registry.discretion_benchmark.withdraw")


# -- 不予处罚、减轻处罚、从轻处罚清单 ----------------------------------------------------------

_LENIENT_FIELDS = (
    "kind",
    "issuer",
    "domain",
    "violation",
    "violated_provision",
    "basis",
    "conditions",
    "standard",
    "measures",
    "measures_note",
    "source",
    "power_items",
)


def lenient_conditions(value: str | Sequence[str]) -> list[str]:
    """The conditions as a checklist: a list, or a text with one condition a line (or
    separated by "；")."""
    rows = value.replace("；", "\n").splitlines() if isinstance(value, str) else list(value)
    return [str(r).strip().rstrip("。；;") for r in rows if str(r).strip()]


def _lenient_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    if fields["kind"] not in LenientListItem.Kind.values:
        raise RuleViolation(f"清单类别“{fields['kind']}”无效", field="kind")
    if not isinstance(fields["domain"], Domain):
        raise RuleViolation("须填写执法领域", field="domain")
    conditions = lenient_conditions(fields["conditions"])
    if not conditions:
        raise RuleViolation("须逐项列明适用条件", field="conditions")
    measures = list(fields.get("measures") or [])
    unknown = [m for m in measures if m not in LenientListItem.Measure.values]
    if unknown:
        raise RuleViolation(f"配套措施“{'、'.join(unknown)}”无效", field="measures")
    items = list(fields.get("power_items") or [])
    return {
        "kind": fields["kind"],
        "issuer": _text(fields["issuer"], "issuer", "制定机关"),
        "domain": fields["domain"],
        "violation": _text(fields["violation"], "violation", "违法行为"),
        "violated_provision": str(fields.get("violated_provision") or "").strip(),
        "basis": _text(fields["basis"], "basis", "处罚依据"),
        "conditions": conditions,
        "standard": _text(fields["standard"], "standard", "裁量标准"),
        "measures": [m for m in LenientListItem.Measure.values if m in measures],
        "measures_note": str(fields.get("measures_note") or "").strip(),
        "source": str(fields.get("source") or "").strip(),
        "power_items": items,
    }


def _lenient_payload(item: LenientListItem) -> dict[str, Any]:
    return _listing_ref(item) | {
        "kind": item.kind,
        "issuer": item.issuer,
        "domain": item.domain.code,
        "violation": item.violation,
        "violated_provision": item.violated_provision,
        "basis": item.basis,
        "conditions": item.conditions,
        "standard": item.standard,
        "measures": item.measures,
        "measures_note": item.measures_note,
        "source": item.source,
        "power_items": sorted(item.power_items.values_list("code", flat=True)),
        "status": item.status,
    }


def _lenient_save(**fields: Any) -> LenientListItem:
    items = fields.pop("power_items")
    item = LenientListItem.objects.create(**fields)
    item.power_items.set(items)
    return item


@transaction.atomic
def lenient_item_create(
    *,
    actor: Account,
    kind: str,
    issuer: str,
    domain: Domain,
    violation: str,
    basis: str,
    conditions: str | Sequence[str],
    standard: str,
    agency: Agency | None = None,
    region_code: str = "",
    violated_provision: str = "",
    measures: Sequence[str] = (),
    measures_note: str = "",
    source: str = "",
    power_items: Sequence[PowerItem] = (),
) -> LenientListItem:
    """A draft row of a 首违不罚 / 轻微不罚 / 从轻 / 减轻 / 不予实施行政强制措施 list
    (《行政处罚法》第三十二条、第三十三条), for ``agency`` or (no agency) for ``region_code``.
    Kind, issuer, domain, violation, 处罚依据, at least one condition and the standard are
    required."""
    region_code = _require_scope_manager(actor, agency, region_code)
    fields = _lenient_fields(
        {
            "kind": kind,
            "issuer": issuer,
            "domain": domain,
            "violation": violation,
            "violated_provision": violated_provision,
            "basis": basis,
            "conditions": conditions,
            "standard": standard,
            "measures": measures,
            "measures_note": measures_note,
            "source": source,
            "power_items": power_items,
        }
    )
    item = _lenient_save(agency=agency, region_code=region_code, **fields)
    _record_public(actor, "registry.lenient_item.create", _lenient_payload(item), rows=[item])
    return item


@transaction.atomic
def lenient_item_publish(*, actor: Account, item: LenientListItem, on: date) -> LenientListItem:
    item = _listing_locked(item, actor)
    return _listing_publish(actor, item, on, "registry.lenient_item.publish")


@transaction.atomic
def lenient_item_revise(
    *, actor: Account, item: LenientListItem, change_note: str, **changes: Any
) -> LenientListItem:
    _unknown_changes(changes, _LENIENT_FIELDS)
    item, note, version = _listing_revisable(actor, item, change_note)
    current = {f: getattr(item, f) for f in _LENIENT_FIELDS if f != "power_items"}
    current["power_items"] = list(item.power_items.all())
    fields = _lenient_fields(current | changes)
    new = _lenient_save(
        agency=item.agency,
        region_code=item.region_code,
        version=version,
        previous=item,
        change_note=note,
        **fields,
    )
    _record_public(
        actor,
        "registry.lenient_item.revise",
        _lenient_payload(new)
        | {"previous": {"id": item.pk, "version": item.version}, "change_note": note},
        rows=[new],
    )
    return new


@transaction.atomic
def lenient_item_withdraw(
    *, actor: Account, item: LenientListItem, reason: str, on: date
) -> LenientListItem:
    return _listing_withdraw(actor, item, reason, on, "registry.lenient_item.withdraw")
