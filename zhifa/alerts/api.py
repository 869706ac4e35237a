"""Early warnings in the JSON API (/api/v1/alerts/…): the dashboard's counts, the list, one
warning with its facts, dismissing and opening a matter (409 with the rule on refusal)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, cast

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID
from zhifa.registry.models import Account

from . import selectors, services
from .access import access_warning
from .models import Warning
from .rules import rule_named, rules_with_settings

router = Router(tags=["执法监督预警"])

WarningId = Annotated[int, Path(ge=1, le=MAX_ID, description="预警编号")]


def _account(request: HttpRequest) -> Account:
    account = cast(Account, request.auth)  # type: ignore[attr-defined]
    if not selectors.may_read_warnings(account):
        raise HttpError(403, _("无权查看执法监督预警"))
    return account


def _supervisor(request: HttpRequest) -> Account:
    """Only supervisors dismiss warnings and open matters (《行政执法监督条例》第六条)."""
    account = _account(request)
    if not selectors.may_act_on_warnings(account):
        raise HttpError(403, _("只有执法监督人员可以处理预警"))
    return account


class FactOut(Schema):
    kind: str
    id: int
    label: str
    note: str = ""
    url: str = ""


class WarningOut(Schema):
    id: int
    rule: str
    rule_label: str
    article: str
    agency_id: int
    agency_name: str
    state: str
    state_label: str
    title: str
    measure: Decimal
    first_seen_on: date
    last_seen_on: date
    resolved_on: date | None
    dismissed_reason: str
    matter_id: int | None


class WarningDetailOut(WarningOut):
    facts: list[FactOut]


class WarningPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[WarningOut]


class WarningFilters(Schema):
    rule: str = Field("", max_length=40, description="预警规则代码")
    state: str = Field("open", max_length=16, description="open / dismissed / resolved；空为全部")
    agency: int | None = Field(None, ge=1, le=MAX_ID, description="执法主体编号")
    q: str = Field("", max_length=100, description="预警内容包含")
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(50, ge=1, le=200)


class DismissIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000, description="排除理由")


class RuleCountOut(Schema):
    code: str
    label: str
    open: int
    with_matter: int


class AgencyCountOut(Schema):
    agency_id: int
    name: str
    open: int


class TodoCountOut(Schema):
    kind: str
    label: str
    count: int
    overdue: int


class DashboardOut(Schema):
    total_open: int
    agencies_with_warnings: int
    per_rule: list[RuleCountOut]
    per_agency: list[AgencyCountOut]
    todos: list[TodoCountOut]
    last_run_on: date | None


class RuleOut(Schema):
    code: str
    label: str
    article: str
    enabled: bool
    threshold: Decimal
    direction: str
    period: int
    source: str


def _out(w: Warning) -> dict[str, object]:
    rule = rule_named(w.rule)
    return {
        "id": w.pk,
        "rule": w.rule,
        "rule_label": rule.label if rule else w.rule,
        "article": rule.article if rule else "",
        "agency_id": w.agency_id,
        "agency_name": w.agency.name,
        "state": w.state,
        "state_label": w.get_state_display(),
        "title": w.title,
        "measure": w.measure,
        "first_seen_on": w.first_seen_on,
        "last_seen_on": w.last_seen_on,
        "resolved_on": w.resolved_on,
        "dismissed_reason": w.dismissed_reason,
        "matter_id": w.matter_id,
    }


def _detail(w: Warning) -> WarningDetailOut:
    return WarningDetailOut(**_out(w), facts=selectors.facts_with_urls(w))  # type: ignore[arg-type]


@router.get(
    "/dashboard",
    response=responses({200: DashboardOut}, 401, 403),
    summary="监督工作台：预警与待办统计",
)
def dashboard(request: HttpRequest) -> DashboardOut:
    account = _account(request)
    if not selectors.may_see_dashboard(account):
        raise HttpError(403, _("监督工作台只供执法监督人员使用"))
    board = selectors.dashboard(account)
    return DashboardOut(
        total_open=board.total_open,
        agencies_with_warnings=board.agencies_with_warnings,
        per_rule=[RuleCountOut(**r.__dict__) for r in board.per_rule],
        per_agency=[AgencyCountOut(**a.__dict__) for a in board.per_agency],
        todos=[
            TodoCountOut(**t.__dict__) for t in selectors.todo_counts(account, timezone.localdate())
        ],
        last_run_on=board.last_run.ran_on if board.last_run else None,
    )


@router.get(
    "/rules",
    response=responses({200: list[RuleOut]}, 401, 403),
    summary="预警规则及其阈值、期间和依据",
)
def rule_list(request: HttpRequest) -> list[RuleOut]:
    _account(request)
    return [
        RuleOut(
            code=r.code,
            label=r.label,
            article=r.article,
            enabled=s.enabled,
            threshold=s.threshold,
            direction=r.direction,
            period=s.period,
            source=s.source,
        )
        for r, s in rules_with_settings()
    ]


@router.get(
    "/warnings", response=responses({200: WarningPage}, 401, 403, 422), summary="预警列表（本辖区）"
)
def warning_list(request: HttpRequest, filters: Query[WarningFilters]) -> WarningPage:
    account = _account(request)
    qs = selectors.warnings_search(
        selectors.warnings_visible_to(account),
        rule=filters.rule,
        state=filters.state,
        agency=filters.agency,
        q=filters.q.strip(),
    )
    start = (filters.page - 1) * filters.page_size
    rows = list(qs[start : start + filters.page_size])
    return WarningPage(
        count=qs.count(),
        page=filters.page,
        page_size=filters.page_size,
        results=[WarningOut(**_out(w)) for w in rows],  # type: ignore[arg-type]
    )


@router.get(
    "/warnings/{warning_id}",
    response=responses({200: WarningDetailOut}, 401, 403, 404, 422),
    summary="预警详情及其依据的事实",
)
def warning_detail(request: HttpRequest, warning_id: WarningId) -> WarningDetailOut:
    return _detail(access_warning(_account(request), warning_id))


@router.post(
    "/warnings/{warning_id}/dismiss",
    response=responses({200: WarningDetailOut}, 400, 401, 403, 404, 409, 422),
    summary="排除预警（须写明理由）",
)
def warning_dismiss(
    request: HttpRequest, warning_id: WarningId, payload: DismissIn
) -> WarningDetailOut:
    account = _supervisor(request)
    warning = access_warning(account, warning_id)
    return _detail(services.warning_dismiss(actor=account, warning=warning, reason=payload.reason))


@router.post(
    "/warnings/{warning_id}/matter",
    response=responses({200: WarningDetailOut}, 400, 401, 403, 404, 409, 422),
    summary="根据预警登记监督事项",
)
def warning_open_matter(request: HttpRequest, warning_id: WarningId) -> WarningDetailOut:
    account = _supervisor(request)
    warning = access_warning(account, warning_id)
    return _detail(
        services.warning_open_matter(actor=account, warning=warning, on=timezone.localdate())
    )
