"""`/healthz`: the server's health for load balancers and systemd (zhifa.core.health); the error
pages' handlers (400, 500; 403 and 404 are Django's own views with zhifa's templates)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_safe

from .health import health_checks
from .request_ids import NONE, current_request_id


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health_checks()
    ok = all(c.ok for c in checks)
    response = JsonResponse(
        {
            "status": "ok" if ok else "fail",
            "checks": {
                c.name: {"ok": c.ok, **({"detail": c.detail} if c.detail else {})} for c in checks
            },
        },
        status=200 if ok else 503,
        json_dumps_params={"ensure_ascii": False},
    )
    add_never_cache_headers(response)
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 handler (``handler400``): a request refused before any view read it. An
    error that carries a message for people (``message``, and its HTTP ``status``: an upload
    that did not arrive whole, a file past its size limit) says so; anything else is the plain
    400 page."""
    message = getattr(exception, "message", None)
    status = getattr(exception, "status", 400)
    if isinstance(exception, RequestDataTooBig):
        # A form posted with more text than a request may carry (a pasted document): the
        # limit named, and how to keep what was typed (the browser's back button holds it).
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        message = _(
            "提交的内容过大：表单文字合计不得超过%(mb)s MB。请用浏览器的“后退”回到表单（所填内容"
            "仍在），删减较长的栏目后再提交；大段材料请作为证据文件上传。"
        ) % {"mb": f"{limit / 1024 / 1024:g}"}
    elif isinstance(exception, TooManyFieldsSent):
        message = _("提交的栏目过多，请求未办理。请回到表单分次提交。")
    if not isinstance(message, str) or not isinstance(status, int):
        return defaults.bad_request(request, exception)
    response = render(request, "400.html", {"message": message, "status": status}, status=status)
    add_never_cache_headers(response)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler (``handler500``): the page in the site's layout, without the
    request's context (it may be what failed), naming the request id the log line carries."""
    try:
        request_id = getattr(request, "request_id", "") or current_request_id()
        context = {"request_id": request_id if request_id != NONE else ""}
        page = loader.get_template("500.html").render(context)
    except Exception:  # even the page failed (static files?): plain text, never a second error
        return HttpResponseServerError(
            _("服务器内部错误，已记录；请稍后重试或联系系统管理员。"),
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(page, status=500)
