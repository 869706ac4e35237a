"""`/healthz`: the server's health for load balancers and systemd (zhifa.core.health); the 400
handler."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.http import require_safe

from .health import health_checks


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
    if not isinstance(message, str) or not isinstance(status, int):
        return defaults.bad_request(request, exception)
    response = render(request, "400.html", {"message": message, "status": status}, status=status)
    add_never_cache_headers(response)
    return response
