"""`/healthz`: the server's health for load balancers and systemd (zhifa.core.health)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
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
