"""The JSON API under /api/v1/ (token auth); its OpenAPI 3 schema at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, AuthorizationError, ValidationError

from zhifa.cases.api import router as cases_router
from zhifa.core.exceptions import RuleViolation
from zhifa.publicity.search.api import router as public_search_router
from zhifa.record.api import router as record_router
from zhifa.record.services import SigningKeyMissing
from zhifa.registry.api import TokenRefused, api_auth
from zhifa.registry.api import router as registry_router


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


api = NinjaAPI(
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
api.add_router("/public/", public_search_router)


# -- errors: every answer is JSON {"detail": "<Chinese message>"} ----------------------------


@api.exception_handler(RuleViolation)
def rule_violation(request: HttpRequest, exc: RuleViolation) -> HttpResponse:
    """A rule refused the action: 409, naming the rule, its article and the field at fault."""
    return api.create_response(
        request, {"detail": str(exc), "article": exc.article, "field": exc.field}, status=409
    )


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
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with a Chinese summary naming the fields; ninja's error list stays under "errors"."""
    fields = []
    for error in exc.errors:
        # loc is ("query" | "body" | "path", [model,] field …); keep the field's own name.
        loc = [str(part) for part in error.get("loc", ())[1:]]
        if loc and loc[-1] not in fields:
            fields.append(loc[-1])
    return api.create_response(
        request,
        {
            "detail": _("请求参数有误：%(fields)s") % {"fields": "、".join(fields) or "-"},
            "errors": exc.errors,
        },
        status=422,
    )


@api.exception_handler(TokenRefused)
def token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    """An expired token (401) or an address that guessed too many (429), with the reason."""
    response = api.create_response(request, {"detail": exc.detail}, status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response
