"""What every app's views share: the logged-in account, pagination, HTMX partials, today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from .models import Account

M = TypeVar("M", bound=Model)


def request_account(request: HttpRequest) -> Account:
    """The account behind a request of a view that is behind ``@login_required``."""
    user = request.user
    assert isinstance(user, Account)
    return user


def local_today() -> date:
    return timezone.localdate()  # Asia/Shanghai


def paginate(request: HttpRequest, qs: QuerySet[M]) -> Page[M]:
    paginator: Paginator[M] = Paginator(qs, settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def is_htmx_partial(request: HttpRequest) -> bool:
    """An HTMX request for the results only (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


PUBLIC_CACHE_SECONDS = 60


def without_csrf_cookie(request: HttpRequest) -> dict[str, str]:
    """Context for a public page that posts no form: for an anonymous visitor an empty token
    keeps the CSRF cookie (and its Set-Cookie, which shared caches refuse) off the response."""
    return {} if request.user.is_authenticated else {"csrf_token": ""}


def public_cache(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """For a public page: anyone may cache it for a minute (``Cache-Control: public``) — but
    only privately for a logged-in visitor, whose name is in the top bar; whole (not streamed)
    responses carry an ETag of their content and answer a matching If-None-Match with 304."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, max_age=PUBLIC_CACHE_SECONDS)
        else:
            patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
        if isinstance(response, HttpResponse):
            set_response_etag(response)
            conditional = get_conditional_response(
                request, etag=response["ETag"], response=response
            )
            if conditional is not None:
                return conditional
        return response

    return wrapper
