"""The JSON API under /api/v1/ (token auth); its OpenAPI 3 schema at /api/v1/openapi.json.

Every answer under /api/ is JSON, errors included: the exception handlers below map each
refusal to its status and body (``zhifa.core.api_errors``), an unexpected error is logged with
its traceback and answered 500 in JSON, and ``ApiJsonErrorsMiddleware`` turns what Django itself
answers there (an unknown path, a method the path does not take, a request it refuses before
any view) into JSON too.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from zhifa.alerts.api import router as alerts_router
from zhifa.cases.api import router as cases_router
from zhifa.cases.api_challenges import router as challenges_router
from zhifa.complaints.api import router as complaints_router
from zhifa.complaints.ext_api import router as monitor_router
from zhifa.core.api_errors import invalid_fields, invalid_input
from zhifa.core.exceptions import InvalidField, RuleViolation
from zhifa.evaluation.api_campaigns import router as evaluation_campaigns_router
from zhifa.evaluation.api_checks import router as evaluation_checks_router
from zhifa.evaluation.api_efficiency import router as efficiency_router
from zhifa.evaluation.api_outcomes import router as evaluation_outcomes_router
from zhifa.evaluation.api_templates import router as evaluation_templates_router
from zhifa.filings.api import router as filings_router
from zhifa.licensing.api import router as licensing_router
from zhifa.publicity.search.api import router as public_search_router
from zhifa.record.api import router as record_router
from zhifa.record.evidence_uploads import UploadRefused
from zhifa.record.services import SigningKeyMissing
from zhifa.record.upload_handler import UploadRequestError
from zhifa.registry.api import TokenRefused, api_auth
from zhifa.registry.api import router as registry_router
from zhifa.registry.public_api import router as registry_public_router
from zhifa.statistics.api_filings import router as statistics_filings_router
from zhifa.statistics.api_publication import router as statistics_publication_router
from zhifa.statistics.api_tables import router as statistics_tables_router
from zhifa.supervision.api import router as supervision_router


class BundledSwagger(Swagger):
    """Swagger UI from the copy bundled in django-ninja, never from a CDN.

    Ninja serves its bundled page only when "ninja" is an installed app (its template and
    static files are found through the app); otherwise it would fall back to a CDN. In that case
    this page only points at the schema.
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        if "ninja" in settings.INSTALLED_APPS:
            return super().render_page(request, api, **kwargs)
        return HttpResponse(
            format_html(
                '<!DOCTYPE html><html lang="zh-hans"><meta charset="utf-8"><title>{}</title>'
                '<p>{} <a href="{}">openapi.json</a></p></html>',
                api.title,
                _("接口说明（OpenAPI 3）："),
                reverse(f"{api.urls_namespace}:openapi-json", kwargs=kwargs),
            )
        )


class ZhifaAPI(NinjaAPI):
    """The schema is built once per process and language: the operations are fixed when the
    URLs load, and building it walks every operation (seconds, on every request otherwise)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, get_language())
        cached = self._schemas.get(key)
        if cached is None:
            cached = self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix)
        return copy.deepcopy(cached)  # a caller's change never reaches the next request

    @cached_property
    def _schemas(self) -> dict[tuple[str, str | None], Any]:
        return {}


api = ZhifaAPI(
    title="zhifa API",
    version="1",
    description=(
        "行政执法平台接口：执法主体、执法人员、执法证件、权责清单、案件办理与全过程记录。"
        "请求头携带 Authorization: Bearer <接口令牌>（由 zhifa apitoken issue 签发）。"
    ),
    urls_namespace="api",
    auth=api_auth,
    docs=BundledSwagger(),
)
api.add_router("/", registry_router)
api.add_router("/record/", record_router)
api.add_router("/cases/", cases_router)
api.add_router("/cases/", challenges_router)  # 复议/诉讼 (issue 16)
api.add_router("/filings/", filings_router)
api.add_router("/public/", public_search_router)
api.add_router("/public/", registry_public_router)
api.add_router("/supervision/", supervision_router)
api.add_router("/statistics/", statistics_publication_router)
api.add_router("/complaints/", complaints_router)
api.add_router("/alerts/", alerts_router)
api.add_router("/monitor/", monitor_router)  # 行政执法监督员 (issue 12)
api.add_router("/licensing/", licensing_router)  # 行政许可 (issue 13)
api.add_router("/statistics/", statistics_tables_router)  # 统计表、指标目录 (issue 16)
api.add_router("/statistics/", statistics_filings_router)  # 统计报送 (issue 16)
api.add_router("/evaluation/", evaluation_templates_router)  # 案卷评查标准 (issue 15)
api.add_router("/evaluation/", evaluation_outcomes_router)  # 案卷评查结果 (issue 15)
api.add_router("/evaluation/", efficiency_router)  # 效能评价 (issue 15)
api.add_router("/evaluation/", evaluation_checks_router)  # 案卷评查：系统预评 (issue 15)
api.add_router("/evaluation/", evaluation_campaigns_router)  # 案卷评查活动 (issue 15)


# -- errors: every answer is JSON, in Chinese (zhifa.core.api_errors) -------------------------

log = logging.getLogger("zhifa.api")


@api.exception_handler(RuleViolation)
def rule_violation(request: HttpRequest, exc: RuleViolation) -> HttpResponse:
    """A rule refused the action: 409, naming the rule, its article and the field at fault."""
    return api.create_response(
        request, {"detail": str(exc), "article": exc.article, "field": exc.field}, status=409
    )


@api.exception_handler(UploadRefused)
def upload_refused(request: HttpRequest, exc: UploadRefused) -> HttpResponse:
    """A file past its kind's size limit or the agency's quota (413), or not received whole
    (400): nothing was stored."""
    return api.create_response(
        request, {"detail": str(exc), "article": exc.article, "field": exc.field}, status=exc.status
    )


@api.exception_handler(UploadRequestError)
def upload_request_error(request: HttpRequest, exc: UploadRequestError) -> HttpResponse:
    """A multipart body cut off (400) or a file part past its limit (413), refused while it
    was read: nothing was stored."""
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(InvalidField)
def invalid_field(request: HttpRequest, exc: InvalidField) -> HttpResponse:
    """A field is not what it must be (an endpoint's own check): 422 naming it."""
    body = invalid_fields({exc.field or "-": [exc.message]}, article=exc.article)
    return api.create_response(request, body, status=422)


@api.exception_handler(SigningKeyMissing)
def signing_key_missing(request: HttpRequest, exc: SigningKeyMissing) -> HttpResponse:
    """The server cannot sign or show its key until an administrator restores it: 503."""
    return api.create_response(request, {"detail": str(exc)}, status=503)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Missing and not-yours read alike: the message never says which.
    return api.create_response(request, {"detail": _("未找到")}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    if request.headers.get("Authorization"):
        message = _("接口令牌无效或已停用")
    else:
        message = _("未登录：请在请求头中提供接口令牌（Authorization: Bearer <令牌>）")
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="zhifa"'
    return response


@api.exception_handler(AuthorizationError)
def forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("无权执行此操作")}, status=403)


@api.exception_handler(ValidationError)
def invalid_input_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with a Chinese reason for every field at fault (``errors``), the first in ``field``."""
    return api.create_response(request, invalid_input(exc.errors), status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja could not read the body
        detail = _("请求体无法解析：须为 JSON（UTF-8），Content-Type: application/json")
        return api.create_response(request, {"detail": detail}, status=400)
    if exc.status_code == 422:
        return api.create_response(request, invalid_fields({"-": [exc.message]}), status=422)
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": _("请求体过大")}, status=413)


@api.exception_handler(SuspiciousOperation)
def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    log.warning("refused request %s %s: %s", request.method, request.path, exc)
    return api.create_response(request, {"detail": _("请求无法处理")}, status=400)


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else is a bug: logged with its traceback, answered 500 in JSON (never the HTML
    error page, never the traceback). No input should ever get here; the API's fuzz test
    (zhifa/tests/test_api_fuzz.py) looks for one."""
    log.error("unexpected error in %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(
        request, {"detail": _("服务器内部错误，已记录；请稍后重试或联系系统管理员")}, status=500
    )


@api.exception_handler(TokenRefused)
def token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    """An expired token (401) or an address that guessed too many (429), with the reason."""
    response = api.create_response(request, {"detail": exc.detail}, status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response


# -- what Django answers under /api/ before (or instead of) the API ---------------------------

API_PREFIX = "/api/"


def _json_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under /api/ that no operation has (config/urls.py routes them here)."""
    return _json_error(404, _("未找到"))


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


class ApiJsonErrorsMiddleware:
    """Under /api/, an error Django answered itself (405 for a method the path does not take,
    400 for a host it does not serve, the 404 and 500 pages) is turned into JSON with its
    status and headers (``Allow``) kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or response.status_code < 400
            or _is_json(response)
        ):
            return response
        status = response.status_code
        if status == 405:
            allowed = "、".join(m.strip() for m in response.get("Allow", "").split(",") if m)
            detail = _("不支持 %(method)s 请求；可用：%(allowed)s") % {
                "method": request.method,
                "allowed": allowed or "-",
            }
        elif status == 404:
            detail = _("未找到")
        elif status >= 500:
            detail = _("服务器内部错误，已记录；请稍后重试或联系系统管理员")
        else:
            try:
                reason = HTTPStatus(status).phrase
            except ValueError:
                reason = str(status)
            detail = _("请求无法处理：%(reason)s") % {"reason": reason}
        json = _json_error(status, detail)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                json[header] = response[header]
        return json
