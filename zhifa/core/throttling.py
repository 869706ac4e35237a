"""Throttling per client across every server process: anonymous writes (纠错 reports, and the
complaint form to come) and guessed API tokens.

A **rate** is a limit per sliding window for one purpose (``scope``), configured in
``settings.ZHIFA_THROTTLES`` (``{"publicity.report": {"limit": 5, "minutes": 10}}``). The
client is its network address (``zhifa.core.clients.client_address``: the peer, or — behind a
proxy named in ``ZHIFA_FORWARDED_ALLOW_IPS`` — the address that proxy saw).

Counts are rows of :class:`~zhifa.core.models.ThrottleWindow`, in the database every worker
and every application server shares, incremented with one atomic ``UPDATE`` (Django's cache is
per process, and its database backend's ``incr`` is a read and a write that lose counts under
concurrency — docs/decisions.md). The window slides: the count is this fixed window's hits plus
the previous window's weighted by how much of it still lies within the last ``window``, so no
burst of twice the limit fits around a window's boundary.

Three calls, each given ``now`` (nothing here reads the clock):

- :func:`throttle_hit` counts one request and refuses it if it would exceed the limit (a
  refused request is not counted, so "retry after" stays true);
- :func:`throttle_exceeded` says whether the next request would be refused, without counting;
- :func:`throttle_count` counts one event (e.g. a failed token) without deciding anything.

Views use :func:`anonymous_write_refusal`, which does all of it for a request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.clients import client_address
from zhifa.core.models import ThrottleWindow

__all__ = [
    "Rate",
    "Refusal",
    "anonymous_write_refusal",
    "rate_for",
    "throttle_count",
    "throttle_exceeded",
    "throttle_hit",
    "throttles_prune",
]

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` requests for ``scope`` in any ``window``, per client."""

    scope: str
    limit: int
    window: timedelta

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window < timedelta(seconds=1):
            raise ValueError(f"throttle {self.scope}: limit ≥ 1 and a window of ≥ 1 second")


def rate_for(scope: str) -> Rate:
    """The configured rate of ``scope`` (``settings.ZHIFA_THROTTLES``); a missing scope is a
    programming error (``KeyError``)."""
    conf = settings.ZHIFA_THROTTLES[scope]
    return Rate(scope, int(conf["limit"]), timedelta(minutes=float(conf["minutes"])))


@dataclass(frozen=True)
class Refusal:
    """A refused request: the rate it exceeded and the moment a retry will be accepted."""

    rate: Rate
    retry_at: datetime

    def retry_after(self, now: datetime) -> int:
        """Whole seconds from ``now`` until a retry is accepted, for a ``Retry-After`` header."""
        return max(1, math.ceil((self.retry_at - now).total_seconds()))

    def message(self, what: str) -> str:
        """The Chinese refusal, naming the rule and when to retry: ``what`` is what is counted
        (“提交纠错意见”)."""
        return _(
            "操作过于频繁：同一网络地址每%(minutes)s分钟最多%(what)s%(limit)d次。"
            "请于%(when)s后再试。"
        ) % {
            "minutes": _minutes(self.rate.window),
            "what": what,
            "limit": self.rate.limit,
            "when": timezone.localtime(self.retry_at).strftime("%H:%M"),
        }


def _minutes(window: timedelta) -> str:
    minutes = window.total_seconds() / 60
    return str(int(minutes)) if minutes == int(minutes) else f"{minutes:g}"


# -- counting -------------------------------------------------------------------------------


def _window_start(rate: Rate, now: datetime) -> datetime:
    size = rate.window.total_seconds()
    elapsed = (now - _EPOCH).total_seconds()
    return _EPOCH + timedelta(seconds=math.floor(elapsed / size) * size)


def _add(rate: Rate, key: str, start: datetime, delta: int) -> None:
    """Add ``delta`` to the window's count atomically (one UPDATE; the row is created by the
    first hit, and a concurrent creator's row is updated instead)."""
    rows = ThrottleWindow.objects.filter(scope=rate.scope, key=key[:128], window_start=start)
    if rows.update(hits=F("hits") + delta) or delta < 0:
        return
    try:
        with transaction.atomic():
            ThrottleWindow.objects.create(
                scope=rate.scope,
                key=key[:128],
                window_start=start,
                hits=delta,
                expires_at=start + 2 * rate.window,
            )
    except IntegrityError:
        rows.update(hits=F("hits") + delta)


def _estimate(rate: Rate, key: str, now: datetime) -> tuple[float, int, int, datetime]:
    """(sliding count, this window's hits, the previous window's hits, this window's start)."""
    start = _window_start(rate, now)
    previous = start - rate.window
    rows = dict(
        ThrottleWindow.objects.filter(
            scope=rate.scope, key=key[:128], window_start__in=[start, previous]
        ).values_list("window_start", "hits")
    )
    current, before = rows.get(start, 0), rows.get(previous, 0)
    weight = 1 - (now - start) / rate.window
    return current + before * weight, current, before, start


def retry_at(rate: Rate, now: datetime, current: int, before: int, start: datetime) -> datetime:
    """The first moment one more request fits if nothing else is counted meanwhile (pure):
    ``current`` and ``before`` are the hits of the window beginning at ``start`` and of the one
    before it.

    Within this window the previous window's weight falls linearly to zero; from the next window
    on, this window's hits are the ones that fade.
    """
    room = rate.limit - 1 - current  # what the previous window may still weigh
    if room >= 0:
        if before <= 0:
            return now
        return max(start + rate.window * (1 - room / before), now)
    following = start + rate.window
    return following + rate.window * (1 - (rate.limit - 1) / current)


def _refusal(rate: Rate, key: str, now: datetime, *, extra: int) -> Refusal | None:
    estimate, current, before, start = _estimate(rate, key, now)
    if estimate + extra <= rate.limit:
        return None
    return Refusal(rate, _ceil_minute(retry_at(rate, now, current, before, start)))


def _ceil_minute(moment: datetime) -> datetime:
    """Up to the whole minute: the message names a minute, and a retry in it is accepted."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)


@transaction.atomic
def throttle_hit(rate: Rate, key: str, *, now: datetime) -> Refusal | None:
    """Count one request of ``key`` and return None, or refuse it (not counted) when it would
    take the sliding count over the limit: the ``limit``-th request in a window is accepted,
    the next one refused."""
    start = _window_start(rate, now)
    _add(rate, key, start, 1)
    refusal = _refusal(rate, key, now, extra=0)
    if refusal is not None:
        _add(rate, key, start, -1)  # a refused request does not push the retry time further
        refusal = _refusal(rate, key, now, extra=1)
        assert refusal is not None
    return refusal


@transaction.atomic
def throttle_exceeded(rate: Rate, key: str, *, now: datetime) -> Refusal | None:
    """Whether one more event of ``key`` would exceed the limit (nothing is counted). Read in
    a transaction, so on a deployment with a read replica it reads the primary."""
    return _refusal(rate, key, now, extra=1)


@transaction.atomic
def throttle_count(rate: Rate, key: str, *, now: datetime) -> None:
    """Count one event of ``key`` (e.g. a failed token), deciding nothing."""
    _add(rate, key, _window_start(rate, now), 1)


def throttles_prune(now: datetime) -> int:
    """Delete the windows that can no longer count (``zhifa cron``); returns how many."""
    deleted, _ = ThrottleWindow.objects.filter(expires_at__lt=now).delete()
    return deleted


# -- for views --------------------------------------------------------------------------------


def anonymous_write_refusal(request: HttpRequest, scope: str) -> Refusal | None:
    """Count this request against ``scope``'s rate for its network address; None when it may
    go on, else the refusal (answer 429 with ``refusal.message(...)``). For every form anyone
    may post without logging in: 纠错 reports now, complaints next."""
    return throttle_hit(rate_for(scope), client_address(request), now=timezone.now())
