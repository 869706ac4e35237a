"""Throttling per network address, in the database (``zhifa.core.throttling``): the limit is
exact at its boundary, the window slides, a refused request is not counted, every database
connection — every worker process — sees the same counts, and the client's address is the
one the outermost trusted proxy saw."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory

from zhifa.core.clients import client_address
from zhifa.core.models import ThrottleWindow
from zhifa.core.throttling import (
    Rate,
    retry_at,
    throttle_count,
    throttle_exceeded,
    throttle_hit,
    throttles_prune,
)

RATE = Rate("test.form", limit=5, window=timedelta(minutes=10))
# 10:01 UTC: one minute into a ten-minute window (windows start on the epoch's multiples).
NOW = datetime(2026, 11, 20, 10, 1, tzinfo=UTC)


@pytest.fixture
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


# -- the rule (pure) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "before", "at_minute", "expected_minute"),
    [
        (5, 0, 1, 12.0),  # full now, nothing before: from the next window, once 5 fade to 4
        (10, 0, 1, 16.0),  # twice over: 10 × (1 − t) ≤ 4 at t = 0.6
        (2, 10, 1, 8.0),  # room for 2 of the 10 before: 10 × (1 − t) ≤ 2 at t = 0.8
        (0, 4, 1, 1.0),  # nothing in the way
    ],
)
def test_retry_at_is_when_the_sliding_count_leaves_room_for_one(
    current: int, before: int, at_minute: int, expected_minute: float
) -> None:
    start = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    now = start + timedelta(minutes=at_minute)
    expected = start + timedelta(minutes=expected_minute)
    assert retry_at(RATE, now, current, before, start) == expected


# -- counting ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_fifth_request_is_accepted_and_the_sixth_refused(frozen: Any) -> None:
    for _ in range(5):
        assert throttle_hit(RATE, "192.0.2.1", now=NOW) is None
    refusal = throttle_hit(RATE, "192.0.2.1", now=NOW)
    assert refusal is not None
    assert refusal.retry_at == datetime(2026, 11, 20, 10, 12, tzinfo=UTC)
    assert refusal.retry_after(NOW) == 11 * 60
    assert refusal.message("提交纠错意见") == (
        "操作过于频繁：同一网络地址每10分钟最多提交纠错意见5次。请于18:12后再试。"
    )
    assert throttle_hit(RATE, "192.0.2.2", now=NOW) is None  # another address
    assert throttle_hit(Rate("test.other", 5, RATE.window), "192.0.2.1", now=NOW) is None


@pytest.mark.django_db
def test_a_refused_request_is_not_counted(frozen: Any) -> None:
    for _ in range(5):
        throttle_hit(RATE, "192.0.2.1", now=NOW)
    for _ in range(10):
        assert throttle_hit(RATE, "192.0.2.1", now=NOW) is not None
    assert ThrottleWindow.objects.get(key="192.0.2.1").hits == 5
    later = datetime(2026, 11, 20, 10, 12, tzinfo=UTC)  # the retry time promised
    assert throttle_hit(RATE, "192.0.2.1", now=later) is None


@pytest.mark.django_db
def test_the_window_slides_so_no_double_burst_fits_around_a_boundary(frozen: Any) -> None:
    late = datetime(2026, 11, 20, 10, 9, 59, tzinfo=UTC)
    for _ in range(5):
        assert throttle_hit(RATE, "192.0.2.1", now=late) is None
    just_after = datetime(2026, 11, 20, 10, 10, 1, tzinfo=UTC)  # a new fixed window
    assert throttle_hit(RATE, "192.0.2.1", now=just_after) is not None
    much_later = datetime(2026, 11, 20, 10, 20, tzinfo=UTC)  # the earlier window has faded
    for _ in range(5):
        assert throttle_hit(RATE, "192.0.2.1", now=much_later) is None


@pytest.mark.django_db
def test_counting_and_asking_apart_for_failed_tokens(frozen: Any) -> None:
    for _ in range(4):
        throttle_count(RATE, "192.0.2.1", now=NOW)
    assert throttle_exceeded(RATE, "192.0.2.1", now=NOW) is None
    throttle_count(RATE, "192.0.2.1", now=NOW)
    assert throttle_exceeded(RATE, "192.0.2.1", now=NOW) is not None
    assert ThrottleWindow.objects.get(key="192.0.2.1").hits == 5  # asking counts nothing


@pytest.mark.django_db
def test_expired_windows_are_pruned(frozen: Any) -> None:
    throttle_hit(RATE, "192.0.2.1", now=NOW)
    assert throttles_prune(NOW + timedelta(minutes=19)) == 0  # may still weigh
    assert throttles_prune(NOW + timedelta(minutes=20)) == 1
    assert not ThrottleWindow.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the SQLite test database lives in memory with a shared cache, whose table locks "
    "do not wait for each other (the production file database waits: timeout 20 s)",
)
def test_every_connection_counts_the_same_requests(frozen: Any) -> None:
    """Threads stand for gunicorn's workers: each has its own database connection, and
    between them exactly the limit is accepted (PostgreSQL)."""
    accepted: list[bool] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client() -> None:
        try:
            for _ in range(4):
                ok = throttle_hit(RATE, "192.0.2.9", now=NOW) is None
                with lock:
                    accepted.append(ok)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert accepted.count(True) == 5 and len(accepted) == 12
    assert ThrottleWindow.objects.get(key="192.0.2.9").hits == 5


# -- who is asking ----------------------------------------------------------------------------


def request_from(peer: str, forwarded: str | None = None) -> Any:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, headers=headers)


def test_the_peer_is_the_client_unless_it_is_a_trusted_proxy(settings: Any) -> None:
    settings.ZHIFA_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # Not a proxy: its X-Forwarded-For is its own claim, ignored.
    assert client_address(request_from("198.51.100.7", "1.2.3.4")) == "198.51.100.7"
    # nginx on the same machine: the address it appended.
    assert client_address(request_from("127.0.0.1", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    # a load balancer and nginx, both trusted: the first untrusted from the right.
    forwarded = "1.2.3.4, 198.51.100.7, 10.1.2.3"
    assert client_address(request_from("127.0.0.1", forwarded)) == "198.51.100.7"
    # a forged entry right of a trusted hop cannot happen; a malformed one stops the walk
    assert client_address(request_from("127.0.0.1", "198.51.100.7, junk")) == "127.0.0.1"
    assert client_address(request_from("127.0.0.1")) == "127.0.0.1"


def test_with_every_peer_trusted_the_first_forwarded_address_is_the_client(settings: Any) -> None:
    settings.ZHIFA_TRUSTED_PROXIES = ["*"]
    assert client_address(request_from("10.9.9.9", "198.51.100.7, 10.0.0.1")) == "198.51.100.7"


def test_the_prune_jobs_are_registered_with_cron() -> None:
    from zhifa.core.jobs import registered_jobs

    names = {job.name for job in registered_jobs()}
    assert {"core.throttles-prune", "registry.login-logs-prune"} <= names
