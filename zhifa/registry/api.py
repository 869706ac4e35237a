"""The registry's JSON API (mounted under /api/v1/ by config/api.py).

Thin like the pages: every list comes from a ``selectors.*_visible_to(account)``, every single
object through its ``access.access_*`` gate (missing and not-yours answer the same 404), every
write through one service. Callers authenticate with ``Authorization: Bearer <token>`` (tokens
are issued by ``zhifa apitoken issue``); a logged-in browser session may read as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, TypeVar, cast

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID
from zhifa.core.clients import client_address
from zhifa.core.exceptions import InvalidField, InvalidIdentifier, RuleViolation
from zhifa.core.identifiers import validate_division_code
from zhifa.core.throttling import rate_for, throttle_count, throttle_exceeded

from . import access, selectors, services
from .models import Account
from .personal_data import sees_personal_data
from .schemas import (
    AgencyDetailOut,
    AgencyFilters,
    AgencyPage,
    CertificateDetailOut,
    CertificateStatusIn,
    DomainOut,
    EligibilityOut,
    EligibilityParams,
    OfficerDetailOut,
    OfficerFilters,
    OfficerPage,
    PageParams,
    PowerItemDetailOut,
    PowerItemFilters,
    PowerItemPage,
    agency_detail_out,
    agency_out,
    certificate_detail_out,
    domains_out,
    eligibility_out,
    officer_detail_out,
    officer_out,
    power_item_detail_out,
    power_item_out,
)

# -- authentication -------------------------------------------------------------------------


class TokenRefused(Exception):
    """A bearer token refused for a reason the caller must read: 401 for an expired token, 429
    for an address that has guessed too many; ``headers`` go on the response."""

    def __init__(self, status: int, detail: str, headers: dict[str, str]) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


# The throttle of unknown and revoked tokens, per network address (settings.ZHIFA_THROTTLES).
TOKEN_FAILURE_THROTTLE = "api.token_failure"  # noqa: S105 - a throttle name, not a secret


class TokenBearer(HttpBearer):
    """``Authorization: Bearer <token>``: the account holding an active token (stored hashed).

    Guessing is throttled per network address (``ZHIFA_THROTTLES["api.token_failure"]``): each
    unknown or revoked token counts; past the limit every bearer token from that address — a
    right one too, or the answer would tell a guess that hit — is answered 429 with
    ``Retry-After``. An expired token is answered 401 saying so (it is no guess)."""

    def authenticate(self, request: HttpRequest, token: str) -> Account | None:
        token = token.strip()
        if not token:
            return None
        now = timezone.now()
        address = client_address(request)
        rate = rate_for(TOKEN_FAILURE_THROTTLE)
        refusal = throttle_exceeded(rate, address, now=now)
        if refusal is not None:
            raise TokenRefused(
                429,
                refusal.message(_("使用无效的接口令牌")),
                {"Retry-After": str(refusal.retry_after(now))},
            )
        try:
            account = services.api_token_account(token, now=now)
        except services.ApiTokenExpired as exc:
            raise TokenRefused(
                401,
                str(exc),
                {
                    "WWW-Authenticate": 'Bearer realm="zhifa", error="invalid_token", '
                    'error_description="token expired"'
                },
            ) from exc
        if account is None:
            throttle_count(rate, address, now=now)
        return account


class SessionReadAuth(SessionAuth):
    """A logged-in browser session, for reading only: every write needs a token, so no
    session-riding (CSRF) write can reach the API."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.method not in ("GET", "HEAD"):
            return None
        return super().__call__(request)


# The default of the whole API (config/api.py) and of this router: a token, or a session for GETs.
api_auth = [TokenBearer(), SessionReadAuth()]

router = Router(auth=api_auth)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def _account(request: HttpRequest) -> Account:
    """The account ninja's authentication put on the request."""
    return cast(Account, request.auth)  # type: ignore[attr-defined]


M = TypeVar("M", bound=Model)


def _page(qs: QuerySet[M], params: PageParams) -> tuple[int, Sequence[M]]:
    start = (params.page - 1) * params.page_size
    return qs.count(), list(qs[start : start + params.page_size])


# -- domains and agencies -------------------------------------------------------------------


@router.get(
    "/domains",
    response=responses({200: list[DomainOut]}, 401),
    tags=["执法领域"],
    summary="执法领域列表",
)
def domain_list(request: HttpRequest) -> list[DomainOut]:
    # Reference data shared by every agency: no scope to apply.
    return domains_out(selectors.domains_all())


@router.get(
    "/agencies",
    response=responses({200: AgencyPage}, 401, 422),
    tags=["执法主体"],
    summary="执法主体列表",
)
def agency_list(request: HttpRequest, filters: Query[AgencyFilters]) -> AgencyPage:
    qs = selectors.agencies_search(
        selectors.agencies_visible_to(_account(request)),
        q=filters.q.strip(),
        level=filters.level,
        domain=filters.domain,
        status=filters.status,
    ).prefetch_related("domains")
    count, rows = _page(qs, filters)
    return AgencyPage(
        count=count,
        page=filters.page,
        page_size=filters.page_size,
        results=[agency_out(a) for a in rows],
    )


@router.get(
    "/agencies/{agency_id}",
    response=responses({200: AgencyDetailOut}, 401, 404, 422),
    tags=["执法主体"],
    summary="执法主体详情",
)
def agency_detail(request: HttpRequest, agency_id: Id) -> AgencyDetailOut:
    agency = access.access_agency(_account(request), agency_id)
    body = getattr(agency, "review_body", None)  # the reverse one-to-one may be missing
    return agency_detail_out(agency, review_body_name=body.name if body else "")


# -- officers -------------------------------------------------------------------------------


@router.get(
    "/officers",
    response=responses({200: OfficerPage}, 401, 422),
    tags=["执法人员"],
    summary="执法人员列表",
)
def officer_list(request: HttpRequest, filters: Query[OfficerFilters]) -> OfficerPage:
    account = _account(request)
    qs = selectors.officers_search(
        selectors.officers_visible_to(account),
        q=filters.q.strip(),
        agency_id=filters.agency_id,
        certificate_status=filters.certificate_status,
        domain=filters.domain,
    )
    count, rows = _page(qs, filters)
    full = sees_personal_data(account)
    return OfficerPage(
        count=count,
        page=filters.page,
        page_size=filters.page_size,
        results=[officer_out(o, full=full) for o in rows],
    )


@router.get(
    "/officers/{officer_id}",
    response=responses({200: OfficerDetailOut}, 401, 404, 422),
    tags=["执法人员"],
    summary="执法人员详情：证件、培训学时、考试成绩",
)
def officer_detail(request: HttpRequest, officer_id: Id) -> OfficerDetailOut:
    account = _account(request)
    officer = access.access_officer(account, officer_id)
    certificates = (
        selectors.certificates_visible_to(account)
        .filter(officer=officer)
        .prefetch_related("domains")
        .order_by("-expires_on", "number")
    )
    return officer_detail_out(
        officer,
        full=sees_personal_data(account),
        certificates=certificates,
        trainings=officer.trainings.all(),
        exams=officer.exams.all(),
    )


@router.get(
    "/officers/{officer_id}/eligibility",
    response=responses({200: EligibilityOut}, 401, 404, 422),
    tags=["执法人员"],
    summary="某日能否在某执法领域（和区域）执法",
)
def officer_eligibility(
    request: HttpRequest, officer_id: Id, params: Query[EligibilityParams]
) -> EligibilityOut:
    officer = access.access_officer(_account(request), officer_id)
    domain = selectors.domain_by_code(params.domain)
    if domain is None:
        raise InvalidField(
            _("未知的执法领域代码：%(code)s") % {"code": params.domain}, field="domain"
        )
    on = params.on or timezone.localdate()
    region = params.region.strip()
    if region:
        try:
            region = validate_division_code(region)
        except InvalidIdentifier as exc:
            raise InvalidField(exc.message, article=exc.article, field="region") from None
    answer = selectors.officer_may_act(officer, domain, on, region=region or None)
    return eligibility_out(answer, domain=domain, on=on, region=region)


# -- certificates ---------------------------------------------------------------------------


@router.get(
    "/certificates/{certificate_id}",
    response=responses({200: CertificateDetailOut}, 401, 404, 422),
    tags=["执法证件"],
    summary="执法证件详情及状态变更记录",
)
def certificate_detail(request: HttpRequest, certificate_id: Id) -> CertificateDetailOut:
    cert = access.access_certificate(_account(request), certificate_id)
    return certificate_detail_out(cert, history=selectors.certificate_history(cert))


@router.post(
    "/certificates/{certificate_id}/status",
    response=responses({200: CertificateDetailOut}, 400, 401, 403, 404, 409, 422),
    tags=["执法证件"],
    summary="变更执法证件状态（暂扣、恢复、注销、收回）",
    description="只有本辖区的系统管理员可以变更；状态表不允许的变更答复409并写明规则。",
)
def certificate_status_change(
    request: HttpRequest, certificate_id: Id, payload: CertificateStatusIn
) -> CertificateDetailOut:
    account = _account(request)
    cert = access.access_certificate(account, certificate_id)
    try:
        access.require_registry_manager(account, cert.agency)
    except RuleViolation as exc:
        # Not the caller's to change: a refusal of permission (403), not of the rule table (409).
        raise HttpError(403, str(exc)) from None
    cert = services.certificate_status_change(
        actor=account,
        certificate=cert,
        to_status=payload.to_status,
        reason=payload.reason,
        effective_on=payload.effective_on,
    )
    return certificate_detail_out(cert, history=selectors.certificate_history(cert))


# -- power list -----------------------------------------------------------------------------


@router.get(
    "/power-items",
    response=responses({200: PowerItemPage}, 401, 422),
    tags=["权责清单"],
    summary="权责清单事项列表",
)
def power_item_list(request: HttpRequest, filters: Query[PowerItemFilters]) -> PowerItemPage:
    qs = selectors.power_items_search(
        selectors.power_items_visible_to(_account(request)),
        q=filters.q.strip(),
        category=filters.category,
        agency_id=filters.agency_id,
        status=filters.status,
        random_inspection=filters.random_inspection,
    )
    count, rows = _page(qs, filters)
    return PowerItemPage(
        count=count,
        page=filters.page,
        page_size=filters.page_size,
        results=[power_item_out(i) for i in rows],
    )


@router.get(
    "/power-items/{item_id}",
    response=responses({200: PowerItemDetailOut}, 401, 404, 422),
    tags=["权责清单"],
    summary="权责清单事项详情：设定依据、办理流程、版本",
)
def power_item_detail(request: HttpRequest, item_id: Id) -> PowerItemDetailOut:
    item = access.access_power_item(_account(request), item_id)
    return power_item_detail_out(
        item, bases=item.bases.all(), versions=selectors.power_item_versions(item)
    )
