"""What the registry API accepts and answers (django-ninja schemas).

Every field with choices carries its code and its Chinese label side by side
(``"status": "valid", "status_label": "有效"``), so clients need no copy of the tables.
Personal fields of officers (身份证号码, 手机号码) leave the agency only masked, unless the
caller is an administrator (:func:`mask_id_number`, :func:`mask_phone`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, Schema
from pydantic import StrictStr

from zhifa.core.api_errors import Detail
from zhifa.core.api_types import IdParam, LegalDate, QueryText

from .eligibility import Eligibility
from .models import (
    Agency,
    Certificate,
    CertificateStatusChange,
    Domain,
    ExamResult,
    LegalBasis,
    Officer,
    PowerItem,
    TrainingRecord,
)
from .personal_data import mask_id_number, mask_phone

MAX_PAGE_SIZE = 200

__all__ = ["Detail"]  # the API's error body, shared (core.api_errors)


# -- masking of personal data ---------------------------------------------------------------


def _local(moment: datetime | None) -> datetime | None:
    """Datetimes leave the API in Asia/Shanghai time, with their offset."""
    return timezone.localtime(moment) if moment is not None else None


# -- query parameters -----------------------------------------------------------------------


class PageParams(Schema):
    page: int = Field(1, ge=1, le=100_000, description="页码，从1开始")
    page_size: int = Field(
        min(settings.PAGE_SIZE, MAX_PAGE_SIZE),
        ge=1,
        le=MAX_PAGE_SIZE,
        description="每页条数，最多200",
    )


class AgencyFilters(PageParams):
    q: QueryText = Field("", description="名称（包含）、统一社会信用代码或行政区划代码")
    level: QueryText = Field("", description="层级代码：province / city / county / township")
    domain: QueryText = Field("", description="执法领域代码")
    status: QueryText = Field("", description="状态代码：active / suspended / revoked")


class OfficerFilters(PageParams):
    q: QueryText = Field("", description="姓名（开头）或证件编号")
    agency_id: IdParam | None = Field(None, description="所属执法主体")
    certificate_status: QueryText = Field("", description="持有该状态的证件：applied / valid / …")
    domain: QueryText = Field("", description="证件覆盖的执法领域代码")


class PowerItemFilters(PageParams):
    q: QueryText = Field("", description="事项名称（包含）或事项编码")
    category: QueryText = Field("", description="权力类别代码：licensing / penalty / …")
    agency_id: IdParam | None = Field(None, description="实施主体")
    status: QueryText = Field("", description="状态代码：draft / published / superseded / repealed")
    random_inspection: bool | None = Field(None, description="是否随机抽查事项")


class EligibilityParams(Schema):
    domain: QueryText = Field(..., description="执法领域代码，如 market")
    on: LegalDate | None = Field(None, description="日期 YYYY-MM-DD，默认为今天（北京时间）")
    region: QueryText = Field("", description="执法地点的行政区划代码（可选）")


class CertificateStatusIn(Schema):
    to_status: Literal[tuple(Certificate.Status.values)] = Field(  # type: ignore[valid-type]
        ..., description="新状态代码"
    )
    reason: Annotated[StrictStr, Field(max_length=200)] = Field(..., description="变更原因")
    effective_on: LegalDate = Field(..., description="生效日期 YYYY-MM-DD")


# -- shared pieces --------------------------------------------------------------------------


class DomainOut(Schema):
    code: str
    name: str


def domain_out(domain: Domain) -> DomainOut:
    return DomainOut(code=domain.code, name=domain.name)


def domains_out(domains: Iterable[Domain]) -> list[DomainOut]:
    return [domain_out(d) for d in domains]


# -- agencies -------------------------------------------------------------------------------


class AgencyOut(Schema):
    id: int
    name: str
    credit_code: str
    level: str
    level_label: str
    division_code: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    domains: list[DomainOut]
    parent_id: int | None
    entrusted_by_id: int | None
    qualification_announced_on: date | None


class AgencyDetailOut(AgencyOut):
    parent_name: str
    entrusted_by_name: str
    review_body_name: str
    responsibilities: str
    address: str
    phone: str


class AgencyPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AgencyOut]


def _agency_fields(agency: Agency) -> dict[str, object]:
    return {
        "id": agency.pk,
        "name": agency.name,
        "credit_code": agency.credit_code,
        "level": agency.level,
        "level_label": agency.get_level_display(),
        "division_code": agency.division_code,
        "kind": agency.kind,
        "kind_label": agency.get_kind_display(),
        "status": agency.status,
        "status_label": agency.get_status_display(),
        "domains": domains_out(agency.domains.all()),
        "parent_id": agency.parent_id,
        "entrusted_by_id": agency.entrusted_by_id,
        "qualification_announced_on": agency.qualification_announced_on,
    }


def agency_out(agency: Agency) -> AgencyOut:
    return AgencyOut.model_validate(_agency_fields(agency))


def agency_detail_out(agency: Agency, *, review_body_name: str) -> AgencyDetailOut:
    return AgencyDetailOut.model_validate(
        _agency_fields(agency)
        | {
            "parent_name": agency.parent.name if agency.parent else "",
            "entrusted_by_name": agency.entrusted_by.name if agency.entrusted_by else "",
            "review_body_name": review_body_name,
            "responsibilities": agency.responsibilities,
            "address": agency.address,
            "phone": agency.phone,
        }
    )


# -- officers, certificates, training, exams ------------------------------------------------


class OfficerOut(Schema):
    id: int
    name: str
    agency_id: int
    agency_name: str
    position: str
    status: str
    status_label: str
    has_legal_qualification: bool
    id_number: str = Field(description="居民身份证号码；非管理员只见脱敏号码")
    phone: str = Field(description="手机号码；非管理员只见脱敏号码")
    personal_data_masked: bool


class CertificateOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    domains: list[DomainOut]
    region_code: str
    issued_on: date | None
    expires_on: date | None


class TrainingHoursOut(Schema):
    year: int
    kind: str
    kind_label: str
    hours: float


class ExamResultOut(Schema):
    name: str
    taken_on: date
    score: float
    passed: bool


class OfficerDetailOut(OfficerOut):
    certificates: list[CertificateOut]
    training_hours: list[TrainingHoursOut]
    exam_results: list[ExamResultOut]


class OfficerPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OfficerOut]


class EligibilityOut(Schema):
    allowed: bool
    reasons: list[str]
    certificate_number: str
    domain: str
    on: date
    region: str


def _officer_fields(officer: Officer, *, full: bool) -> dict[str, object]:
    return {
        "id": officer.pk,
        "name": officer.name,
        "agency_id": officer.agency_id,
        "agency_name": officer.agency.name,
        "position": officer.position,
        "status": officer.status,
        "status_label": officer.get_status_display(),
        "has_legal_qualification": officer.has_legal_qualification,
        "id_number": officer.id_number if full else mask_id_number(officer.id_number),
        "phone": officer.phone if full else mask_phone(officer.phone),
        "personal_data_masked": not full,
    }


def officer_out(officer: Officer, *, full: bool) -> OfficerOut:
    """``full`` shows the unmasked personal fields (administrators only)."""
    return OfficerOut.model_validate(_officer_fields(officer, full=full))


def certificate_out(cert: Certificate) -> CertificateOut:
    return CertificateOut(
        id=cert.pk,
        number=cert.number,
        kind=cert.kind,
        kind_label=cert.get_kind_display(),
        status=cert.status,
        status_label=cert.get_status_display(),
        domains=domains_out(cert.domains.all()),
        region_code=cert.region_code,
        issued_on=cert.issued_on,
        expires_on=cert.expires_on,
    )


def training_hours_out(records: Iterable[TrainingRecord]) -> list[TrainingHoursOut]:
    """Hours summed per year and kind, newest year first."""
    totals: dict[tuple[int, str], Decimal] = {}
    for r in records:
        totals[(r.year, r.kind)] = totals.get((r.year, r.kind), Decimal(0)) + r.hours
    return [
        TrainingHoursOut(
            year=year, kind=kind, kind_label=TrainingRecord.Kind(kind).label, hours=float(hours)
        )
        for (year, kind), hours in sorted(totals.items(), key=lambda kv: (-kv[0][0], kv[0][1]))
    ]


def exam_result_out(exam: ExamResult) -> ExamResultOut:
    return ExamResultOut(
        name=exam.name, taken_on=exam.taken_on, score=float(exam.score), passed=exam.passed
    )


def officer_detail_out(
    officer: Officer,
    *,
    full: bool,
    certificates: Iterable[Certificate],
    trainings: Iterable[TrainingRecord],
    exams: Iterable[ExamResult],
) -> OfficerDetailOut:
    return OfficerDetailOut.model_validate(
        _officer_fields(officer, full=full)
        | {
            "certificates": [certificate_out(c) for c in certificates],
            "training_hours": training_hours_out(trainings),
            "exam_results": [exam_result_out(e) for e in exams],
        }
    )


def eligibility_out(
    answer: Eligibility, *, domain: Domain, on: date, region: str
) -> EligibilityOut:
    return EligibilityOut(
        allowed=answer.allowed,
        reasons=list(answer.reasons),
        certificate_number=answer.certificate_number,
        domain=domain.code,
        on=on,
        region=region,
    )


class StatusChangeOut(Schema):
    from_status: str
    from_status_label: str
    to_status: str
    to_status_label: str
    reason: str
    effective_on: date
    changed_at: datetime | None
    changed_by: str


class CertificateDetailOut(CertificateOut):
    officer_id: int
    officer_name: str
    agency_id: int
    agency_name: str
    history: list[StatusChangeOut]


def _status_label(code: str) -> str:
    return Certificate.Status(code).label if code in Certificate.Status.values else ""


def status_change_out(change: CertificateStatusChange) -> StatusChangeOut:
    return StatusChangeOut(
        from_status=change.from_status,
        from_status_label=_status_label(change.from_status),
        to_status=change.to_status,
        to_status_label=_status_label(change.to_status),
        reason=change.reason,
        effective_on=change.effective_on,
        changed_at=_local(change.changed_at),
        changed_by=str(change.changed_by) if change.changed_by else "",
    )


def certificate_detail_out(
    cert: Certificate, *, history: Iterable[CertificateStatusChange]
) -> CertificateDetailOut:
    return CertificateDetailOut.model_validate(
        certificate_out(cert).model_dump()
        | {
            "officer_id": cert.officer_id,
            "officer_name": cert.officer.name,
            "agency_id": cert.agency_id,
            "agency_name": cert.agency.name,
            "history": [status_change_out(c) for c in history],
        }
    )


# -- power list -----------------------------------------------------------------------------


class PowerItemOut(Schema):
    id: int
    code: str
    version: int
    name: str
    category: str
    category_label: str
    agency_id: int
    agency_name: str
    domain: DomainOut
    implementing_level: str
    implementing_level_label: str
    is_random_inspection: bool
    is_township_empowered: bool
    status: str
    status_label: str
    published_on: date | None


class LegalBasisOut(Schema):
    law: str
    article: str
    text: str
    citation: str = Field(description="引用形式，如《行政处罚法》第二十条")


class PowerItemVersionOut(Schema):
    id: int
    version: int
    status: str
    status_label: str
    published_on: date | None
    change_note: str


class PowerItemDetailOut(PowerItemOut):
    empowering_decision: str
    change_note: str
    procedure_steps: list[str]
    legal_bases: list[LegalBasisOut]
    versions: list[PowerItemVersionOut]


class PowerItemPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PowerItemOut]


def _power_item_fields(item: PowerItem) -> dict[str, object]:
    return {
        "id": item.pk,
        "code": item.code,
        "version": item.version,
        "name": item.name,
        "category": item.category,
        "category_label": item.get_category_display(),
        "agency_id": item.agency_id,
        "agency_name": item.agency.name,
        "domain": domain_out(item.domain),
        "implementing_level": item.implementing_level,
        "implementing_level_label": item.get_implementing_level_display(),
        "is_random_inspection": item.is_random_inspection,
        "is_township_empowered": item.is_township_empowered,
        "status": item.status,
        "status_label": item.get_status_display(),
        "published_on": item.published_on,
    }


def power_item_out(item: PowerItem) -> PowerItemOut:
    return PowerItemOut.model_validate(_power_item_fields(item))


def power_item_detail_out(
    item: PowerItem, *, bases: Iterable[LegalBasis], versions: Iterable[PowerItem]
) -> PowerItemDetailOut:
    return PowerItemDetailOut.model_validate(
        _power_item_fields(item)
        | {
            "empowering_decision": item.empowering_decision,
            "change_note": item.change_note,
            "procedure_steps": [str(s) for s in item.procedure_steps or []],
            "legal_bases": [
                LegalBasisOut(law=b.law, article=b.article, text=b.text, citation=str(b))
                for b in bases
            ],
            "versions": [
                PowerItemVersionOut(
                    id=v.pk,
                    version=v.version,
                    status=v.status,
                    status_label=v.get_status_display(),
                    published_on=v.published_on,
                    change_note=v.change_note,
                )
                for v in versions
            ],
        }
    )
