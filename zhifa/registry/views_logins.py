"""登录锁定: the system administrator's page of locked account names and addresses, and the
unlock (recorded by ``logins.login_unlock``). Anyone else gets 404, as for a page that is not
there."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhifa.core.exceptions import RuleViolation

from . import logins
from .models import Account
from .web import request_account


def _administrator(request: HttpRequest) -> Account:
    account = request_account(request)
    if not logins.is_system_administrator(account):
        raise Http404
    return account


@login_required
@require_GET
def lockout_list(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    return render(
        request,
        "registry/logins.html",
        {
            "lockouts": logins.lockouts_active(now=timezone.now()),
            "account_limit": logins.account_limit(),
            "address_limit": logins.address_limit(),
            "minutes": int(logins.cool_off().total_seconds() // 60),
        },
    )


@login_required
@require_POST
def lockout_unlock(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    scope = request.POST.get("scope", "")
    subject = request.POST.get("subject", "")[:255]
    try:
        logins.login_unlock(
            actor=actor,
            username=subject if scope == logins.ACCOUNT else "",
            address=subject if scope == logins.ADDRESS else "",
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已解除%(who)s的登录锁定") % {"who": subject})
    response = HttpResponseRedirect(reverse("login_lockouts"))
    response.status_code = 303
    return response
