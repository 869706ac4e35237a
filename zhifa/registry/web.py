"""What every app's views share: the logged-in account, pagination, HTMX partials, today."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone

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
