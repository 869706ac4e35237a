"""Login protection: lockout after repeated failures, per account and per network address.

django-axes counts failed logins (``AccessAttempt`` rows, in the database every worker and
server shares) and refuses a login while its account or its address is locked; this module is
its configuration in code (``settings.AXES_*`` names these functions):

- :class:`LoginAttemptsHandler` keeps axes' database handler and gives the account and the
  address each their own limit (``ZHIFA_LOGIN_FAILURES_PER_ACCOUNT``, ``…_PER_ADDRESS``: an
  office's officers share one address, so it gets more), and records each lockout when it
  begins;
- :func:`lockout_response` answers a refused login with the login page naming the rule and the
  time to retry (429);
- :func:`login_address` is the client's address as throttling sees it (behind nginx too).

Writes (each one transaction, each appending one entry to the record log, with no case):

- :func:`login_lockout_record` — ``login.lockout``, by the system, when an account or address
  becomes locked. The entry names what is locked — the account (id and username; an unknown
  name is never written, it may be a password typed in the wrong field) or the address — never
  both, and no browser or password;
- :func:`login_unlock` — ``login.unlock``, by the system administrator (``zhifa logins unlock``
  or the page ``/registry/logins/``), clearing the failures of an account or an address.

Reads: :func:`lockouts_active`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.clients import client_address
from zhifa.core.exceptions import RuleViolation
from zhifa.record.models import Entry
from zhifa.record.services import record_append

from .forms import LoginForm
from .models import Account

LOGIN_ACTIONS: tuple[str, ...] = ("login.lockout", "login.unlock")

ACCOUNT = "account"  # a lock of one account name, whatever the address
ADDRESS = "address"  # a lock of one network address, whatever the account

SYSTEM_ACTOR_NAME = "系统"
SYSTEM_ROLE = "system"


def account_limit() -> int:
    return int(settings.ZHIFA_LOGIN_FAILURES_PER_ACCOUNT)


def address_limit() -> int:
    return int(settings.ZHIFA_LOGIN_FAILURES_PER_ADDRESS)


def cool_off() -> timedelta:
    return timedelta(minutes=int(settings.ZHIFA_LOGIN_LOCKOUT_MINUTES))


def login_address(request: HttpRequest) -> str | None:
    """axes' client address (``AXES_CLIENT_IP_CALLABLE``): the one throttling uses."""
    return client_address(request) or None


# -- axes' handler --------------------------------------------------------------------------


class LoginAttemptsHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes has no hints
    """axes' database handler with one limit per parameter, recording each lockout.

    axes compares one number with ``AXES_FAILURE_LIMIT`` (the account's limit); this handler
    answers with the most exhausted of the two budgets in the account's units, so an address
    is locked exactly at its own limit: ⌊address failures × account limit ÷ address limit⌋
    reaches the account limit exactly when the address failures reach the address limit.
    """

    def failures_by_scope(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> tuple[int, int]:
        """(failures of the account name, failures from the address) within the cool-off."""
        by_account, by_address = (
            qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for qs in self.get_user_attempts(request, credentials)
        )
        return int(by_account), int(by_address)

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_address = self.failures_by_scope(request, credentials)
        return max(by_account, by_address * account_limit() // address_limit())

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        was_locked = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or was_locked or not getattr(request, "axes_locked_out", False):
            return  # not a failure that began a lockout (refusals while locked are not counted)
        by_account, by_address = self.failures_by_scope(request, credentials)
        at: datetime = request.axes_attempt_time  # type: ignore[attr-defined]
        scope = ACCOUNT if by_account >= account_limit() else ADDRESS
        login_lockout_record(
            scope=scope,
            username=get_client_username(request, credentials) or "",
            address=request.axes_ip_address or "",  # type: ignore[attr-defined]
            failures=by_account if scope == ACCOUNT else by_address,
            until=at + cool_off(),
            at=at,
        )


# -- the page a locked login gets -------------------------------------------------------------


def _when(moment: datetime, now: datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localtime(now).date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def lockout_message(until: datetime, now: datetime) -> str:
    """The rule and the time to retry, in Chinese."""
    return _(
        "登录已被暂时锁定：同一账号连续登录失败%(account)d次，或同一网络地址登录失败%(address)d次，"
        "即锁定%(minutes)d分钟。请于%(until)s后再试，或请系统管理员解锁。"
    ) % {
        "account": account_limit(),
        "address": address_limit(),
        "minutes": int(cool_off().total_seconds() // 60),
        "until": _when(until, now),
    }


def lockout_until(
    request: HttpRequest, credentials: dict[str, Any] | None, now: datetime
) -> datetime:
    """When the lock on this request's account or address ends (the later of the two)."""
    limits = (account_limit(), address_limit())
    ends = []
    for qs, limit in zip(
        AxesProxyHandler.get_implementation().get_user_attempts(request, credentials),
        limits,
        strict=True,
    ):
        row = qs.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
        if (row["n"] or 0) >= limit and row["last"] is not None:
            ends.append(row["last"] + cool_off())
    return max(ends, default=now + cool_off())


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the login page again, with the lockout rule and when to retry
    in place of the form's error; 429."""
    now = timezone.now()
    username = get_client_username(request, credentials) or ""
    form = LoginForm(request, initial={"username": username})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "lockout": lockout_message(lockout_until(request, credentials, now), now),
            "next": request.POST.get("next", ""),
        },
        status=int(settings.AXES_HTTP_RESPONSE_CODE),
    )


# -- writes ---------------------------------------------------------------------------------


def _account_ref(account: Account | None) -> dict[str, Any] | None:
    return None if account is None else {"id": account.pk, "username": account.username}


@transaction.atomic
def login_lockout_record(
    *, scope: str, username: str, address: str, failures: int, until: datetime, at: datetime
) -> Entry:
    """Record that an account (``scope`` ``account``) or an address (``address``) was locked
    after ``failures`` failures, until ``until``. By the system; the entry names the account
    only if the name is an account's (else ``account`` is null), or the address."""
    if scope not in (ACCOUNT, ADDRESS):
        raise ValueError(f"login lockout scope {scope!r}")
    payload: dict[str, Any] = {"scope": scope, "failures": failures, "until": until}
    if scope == ACCOUNT:
        payload["account"] = _account_ref(Account.objects.filter(username=username).first())
    else:
        payload["address"] = address
    return record_append(
        actor_id=None,
        actor_name=SYSTEM_ACTOR_NAME,
        role=SYSTEM_ROLE,
        action="login.lockout",
        payload=payload,
        at=at,
    )


def is_system_administrator(account: Account) -> bool:
    return (
        account.is_authenticated
        and account.role == Account.Role.ADMIN
        and account.agency_id is None
        and not account.region_code
    )


@transaction.atomic
def login_unlock(
    *, actor: Account, username: str = "", address: str = "", at: datetime | None = None
) -> int:
    """Clear the login failures of an account name or of an address — exactly one — so that
    it may log in again at once; returns how many attempt rows were cleared.

    Only the system administrator may unlock. Raises :class:`RuleViolation` for anyone else,
    for both or neither given, and when there is nothing to clear. Records ``login.unlock``.
    """
    if not is_system_administrator(actor):
        raise RuleViolation(_("只有系统管理员可以解除登录锁定"))
    username, address = username.strip(), address.strip()
    if bool(username) == bool(address):
        raise RuleViolation(_("请指定要解锁的账号或网络地址（二者选一）"), field="username")
    if username:
        cleared = AxesProxyHandler.reset_attempts(username=username)
    else:
        cleared = AxesProxyHandler.reset_attempts(ip_address=address)
    if not cleared:
        raise RuleViolation(
            _("%(who)s没有登录失败记录，无需解锁") % {"who": username or address},
            field="username" if username else "address",
        )
    payload: dict[str, Any] = {"scope": ACCOUNT if username else ADDRESS, "cleared": cleared}
    if username:
        payload["account"] = _account_ref(Account.objects.filter(username=username).first())
        if payload["account"] is None:
            payload["username_known"] = False  # the unknown name itself is not written
    else:
        payload["address"] = address
    record_append(
        actor_id=actor.pk,
        actor_name=actor.display_name or actor.get_username(),
        role=actor.role,
        action="login.unlock",
        payload=payload,
        at=at,
    )
    return int(cleared)


def login_logs_prune(now: datetime) -> str:
    """``zhifa cron``: drop successful-login log rows older than ``ZHIFA_LOGIN_LOG_DAYS`` and
    failure counts older than the cool-off (they no longer count)."""
    logs, _n = AccessLog.objects.filter(
        attempt_time__lt=now - timedelta(days=int(settings.ZHIFA_LOGIN_LOG_DAYS))
    ).delete()
    attempts, _n = AccessAttempt.objects.filter(attempt_time__lt=now - cool_off()).delete()
    return _("删除登录日志%(logs)d条、过期的登录失败计数%(attempts)d条") % {
        "logs": logs,
        "attempts": attempts,
    }


# -- reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    """An account name or an address that is locked now."""

    scope: str  # ACCOUNT or ADDRESS
    subject: str  # the account name or the address
    account: Account | None  # the account of that name, if there is one
    failures: int
    until: datetime


def lockouts_active(*, now: datetime) -> list[Lockout]:
    """Every account name and address locked at ``now``, the latest lock first."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off())
    found: list[Lockout] = []
    for scope, field, limit in (
        (ACCOUNT, "username", account_limit()),
        (ADDRESS, "ip_address", address_limit()),
    ):
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(n__gte=limit)
        )
        for row in rows:
            found.append(
                Lockout(scope, str(row[field]), None, int(row["n"]), row["last"] + cool_off())
            )
    names = {lock.subject for lock in found if lock.scope == ACCOUNT}
    accounts = {a.username: a for a in Account.objects.filter(username__in=names)}
    found = [
        Lockout(lock.scope, lock.subject, accounts.get(lock.subject), lock.failures, lock.until)
        if lock.scope == ACCOUNT
        else lock
        for lock in found
    ]
    return sorted(found, key=lambda lock: lock.until, reverse=True)
