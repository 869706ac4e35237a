"""The record checks in the JSON API (/api/v1/evaluation/checks…): the checks, one case's
findings with their evidence (系统预评), and a template's override report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from zhifa.cases.access import access_case
from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID
from zhifa.registry.models import Account

from .access import access_template
from .selectors import templates_visible_to
from .selectors_checks import (
    OverrideReport,
    case_proposals,
    checks_listed,
    may_read_checks,
    override_report,
)

router = Router(tags=["案卷评查：系统预评"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="案件编号")]


def _account(request: HttpRequest) -> Account:
    account = cast(Account, request.auth)  # type: ignore[attr-defined]
    if not may_read_checks(account):
        raise HttpError(403, _("只有执法监督人员和机关负责人可以查看系统预评"))
    return account


class RecordCheckOut(Schema):
    code: str = Field(description="检查代码（评查标准的评查项据此指定）")
    label: str
    source: str = Field(description="依据")


class FindingEvidenceOut(Schema):
    label: str
    seq: int | None = Field(None, description="全过程记录序号")
    document_id: int | None = Field(None, description="执法文书编号")


class FindingOut(Schema):
    check: str
    label: str
    source: str
    passed: bool | None = Field(description="true 符合；false 不符合；null 不适用或记录无法判断")
    message: str
    occurrences: int
    evidence: list[FindingEvidenceOut]


class FindingsOut(Schema):
    case_id: int
    on: date
    findings: list[FindingOut]


class FindingsQuery(Schema):
    on: date | None = Field(None, description="预评所依据的记录截止日期（默认今天）")


class OverrideRowOut(Schema):
    code: str
    text: str
    is_veto: bool
    check: str
    check_label: str
    files_proposed: int = Field(description="系统预评的案卷数")
    scorings_proposed: int = Field(description="收到系统预评的已签名评分数")
    overridden: int = Field(description="评查人员改判数")
    override_rate: Decimal | None = Field(None, description="改判率（%）")
    reasons: list[str]


class OverrideReportOut(Schema):
    template_id: int
    name: str
    version: int
    items_total: int
    items_checked: int
    files_scored: int
    scorings_signed: int
    rows: list[OverrideRowOut]


class OverrideQuery(Schema):
    template_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="评查标准编号；不填为可见的全部评查标准"
    )


@router.get(
    "/checks",
    response=responses({200: list[RecordCheckOut]}, 401, 403),
    summary="系统可预评的检查及其依据",
)
def checks(request: HttpRequest) -> list[RecordCheckOut]:
    _account(request)
    return [RecordCheckOut(code=c.code, label=c.label, source=c.source) for c in checks_listed()]


@router.get(
    "/checks/cases/{case_id}",
    response=responses({200: FindingsOut}, 401, 403, 404, 422),
    summary="一个案件的系统预评：各项检查的结论及所依据的记录和文书",
)
def case_findings(
    request: HttpRequest, case_id: CaseId, query: Query[FindingsQuery]
) -> FindingsOut:
    account = cast(Account, request.auth)  # type: ignore[attr-defined]
    try:
        case = access_case(account, case_id)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or _("无权执行此操作")) from None
    _account(request)
    today = timezone.localdate()
    on = min(query.on or today, today)
    return FindingsOut(
        case_id=case.pk,
        on=on,
        findings=[
            FindingOut(
                check=p.check.code,
                label=p.check.label,
                source=p.check.source,
                passed=p.finding.passed,
                message=p.finding.message,
                occurrences=p.finding.occurrences,
                evidence=[
                    FindingEvidenceOut(label=e.label, seq=e.seq, document_id=e.document_id)
                    for e in p.finding.evidence
                ],
            )
            for p in case_proposals(case.pk, on)
        ],
    )


def _report_out(report: OverrideReport) -> OverrideReportOut:
    t = report.template
    return OverrideReportOut(
        template_id=t.pk,
        name=t.name,
        version=t.version,
        items_total=report.items_total,
        items_checked=report.items_checked,
        files_scored=report.files_scored,
        scorings_signed=report.scorings_signed,
        rows=[
            OverrideRowOut(
                code=r.code,
                text=r.text,
                is_veto=r.is_veto,
                check=r.check,
                check_label=r.check_label,
                files_proposed=r.files_proposed,
                scorings_proposed=r.scorings_proposed,
                overridden=r.overridden,
                override_rate=r.override_rate,
                reasons=r.reasons,
            )
            for r in report.rows
        ],
    )


@router.get(
    "/checks/overrides",
    response=responses({200: list[OverrideReportOut]}, 401, 403, 404, 422),
    summary="评查标准的系统预评与改判统计（每个评查项：预评案卷数、改判次数）",
)
def overrides(request: HttpRequest, query: Query[OverrideQuery]) -> list[OverrideReportOut]:
    account = _account(request)
    if query.template_id is not None:
        templates = [access_template(account, query.template_id)]
    else:
        templates = list(templates_visible_to(account).order_by("key", "-version"))
    return [_report_out(override_report(account, t)) for t in templates]
