"""Request ids: every request gets one, answered in ``X-Request-ID`` and written in every log
line logged while it is handled — the traceback of an unexpected error (Django's
``django.request`` logger) included — so a user's "出错了" and its traceback can be matched.

The id is the proxy's when a trusted proxy (``ZHIFA_FORWARDED_ALLOW_IPS``) sends a well-formed
one (nginx: ``proxy_set_header X-Request-ID $request_id;`` — the same id is then in nginx's
log), else a fresh random one. The log format (``config.settings.base.LOGGING``) shows it as
``[<id>]``; lines logged outside a request show ``[-]``.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponseBase

from zhifa.core.clients import is_trusted_proxy

HEADER = "X-Request-ID"
NONE = "-"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")

_current: ContextVar[str] = ContextVar("zhifa_request_id", default=NONE)


def current_request_id() -> str:
    """The id of the request being handled in this thread, or ``-``."""
    return _current.get()


def _request_id(request: HttpRequest) -> str:
    offered = request.headers.get(HEADER, "")
    if _WELL_FORMED.fullmatch(offered) and is_trusted_proxy(
        str(request.META.get("REMOTE_ADDR") or "")
    ):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request's id for the logs and answers it in ``X-Request-ID``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = _request_id(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Gives every log record the ``request_id`` the format prints."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True
