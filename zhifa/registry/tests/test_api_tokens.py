"""API tokens resist guessing and expire (finding 9 of issue 10: 30 made-up bearer tokens were
answered without throttling, and tokens never expired).

Twenty unknown tokens from one address in ten minutes (settings) and that address is answered
429 — a right token too — until the window has slid on; a token expires
``ZHIFA_API_TOKEN_DAYS`` after issue (or fewer) and is then refused with a 401 that says so;
its last use is kept to the minute.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.record.models import Entry
from zhifa.registry import services
from zhifa.registry.models import ApiToken

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
URL = "/api/v1/officers"
HERE = "198.51.100.7"
ELSEWHERE = "203.0.113.50"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


def call(token: str, address: str = HERE) -> Any:
    return Client(REMOTE_ADDR=address).get(URL, headers={"Authorization": f"Bearer {token}"})


# -- guessing ---------------------------------------------------------------------------------


def test_the_twenty_first_guess_from_an_address_is_throttled_a_right_token_too(
    personas: Personas, frozen: time_machine.Coordinates
) -> None:
    _, raw = services.api_token_issue(actor=personas.officer, name="报送")
    for n in range(20):
        response = call(f"zf_guess{n:04d}")
        assert response.status_code == 401
        assert response.json()["detail"] == "接口令牌无效或已停用"
    throttled = call("zf_guess9999")
    assert throttled.status_code == 429
    assert throttled.json() == {
        "detail": "操作过于频繁：同一网络地址每10分钟最多使用无效的接口令牌20次。请于10:11后再试。"
    }
    assert throttled["Retry-After"] == str(11 * 60)  # 20 × (1 − t) ≤ 19 at 10:10:30
    assert call(raw).status_code == 429  # a hit would otherwise tell itself apart
    assert call(raw, ELSEWHERE).status_code == 200  # other addresses are not affected

    frozen.shift(timedelta(minutes=11))
    assert call(raw).status_code == 200


def test_right_tokens_do_not_count_towards_the_throttle(personas: Personas) -> None:
    _, raw = services.api_token_issue(actor=personas.officer, name="报送")
    for _ in range(30):
        assert call(raw).status_code == 200


def test_a_revoked_token_counts_as_a_failure(personas: Personas) -> None:
    token, raw = services.api_token_issue(actor=personas.officer, name="报送")
    services.api_token_revoke(actor=personas.officer, token=token)
    for _ in range(20):
        assert call(raw).status_code == 401
    assert call(raw).status_code == 429


def test_a_session_read_is_not_throttled_by_guesses_from_its_address(personas: Personas) -> None:
    for n in range(25):
        call(f"zf_guess{n:04d}")
    client = Client(REMOTE_ADDR=HERE)
    client.force_login(personas.officer)
    assert client.get(URL).status_code == 200  # no bearer token: nothing to guess


# -- expiry -----------------------------------------------------------------------------------


def test_a_token_works_until_it_expires_then_says_so_with_401(
    personas: Personas, frozen: time_machine.Coordinates
) -> None:
    token, raw = services.api_token_issue(actor=personas.officer, name="报送")
    assert token.expires_at == NOW + timedelta(days=365)
    frozen.shift(timedelta(days=365) - timedelta(seconds=1))
    assert call(raw).status_code == 200
    frozen.shift(timedelta(seconds=1))
    expired = call(raw)
    assert expired.status_code == 401
    assert expired.json() == {
        "detail": f"接口令牌（前缀{token.prefix}）已于2027-11-20 10:00过期，"
        "请重新签发（zhifa apitoken issue）"
    }
    assert 'error="invalid_token"' in expired["WWW-Authenticate"]
    for _ in range(25):  # an expired token is no guess: never throttled
        assert call(raw).status_code == 401


def test_the_default_lifetime_is_a_setting_and_fewer_days_may_be_given(
    personas: Personas, settings: Any
) -> None:
    settings.ZHIFA_API_TOKEN_DAYS = 90
    token, _ = services.api_token_issue(actor=personas.officer, name="报送")
    assert token.expires_at == NOW + timedelta(days=90)
    short, _ = services.api_token_issue(actor=personas.officer, name="一次性", days=7)
    assert short.expires_at == NOW + timedelta(days=7)
    for days in (0, 91):
        with pytest.raises(RuleViolation, match="有效期应为1至90天"):
            services.api_token_issue(actor=personas.officer, name="x", days=days)


def test_the_issue_entry_carries_the_expiry(personas: Personas) -> None:
    token, _ = services.api_token_issue(actor=personas.officer, name="报送", days=30)
    entry = Entry.objects.filter(action="registry.api_token.issue").latest("seq")
    assert json.loads(entry.payload)["expires_at"] == "2026-12-20T02:00:00.000000Z"
    assert token.key_hash not in entry.leaf.decode()


def test_last_use_is_kept_to_the_minute(
    personas: Personas, frozen: time_machine.Coordinates
) -> None:
    token, raw = services.api_token_issue(actor=personas.officer, name="报送")
    assert token.last_used_at is None
    call(raw)
    token.refresh_from_db()
    assert token.last_used_at == NOW
    frozen.shift(timedelta(seconds=30))
    call(raw)
    token.refresh_from_db()
    assert token.last_used_at == NOW  # not written again within the minute
    frozen.shift(timedelta(seconds=31))
    call(raw)
    token.refresh_from_db()
    assert token.last_used_at == NOW + timedelta(seconds=61)


def test_the_command_issues_for_fewer_days_and_lists_the_expiry(
    personas: Personas, frozen: time_machine.Coordinates
) -> None:
    out = StringIO()
    call_command("apitoken", "issue", "p1", "--name", "报送", "--days", "30", stdout=out)
    assert "有效至2026-12-20 10:00" in out.getvalue()
    frozen.shift(timedelta(days=31))
    out = StringIO()
    call_command("apitoken", "list", "p1", stdout=out)
    assert "到期" in out.getvalue() and "2026-12-20 10:00" in out.getvalue()
    assert "已过期" in out.getvalue()
    with pytest.raises(CommandError, match="有效期应为1至365天"):
        call_command("apitoken", "issue", "p1", "--days", "400", stdout=StringIO())
    assert ApiToken.objects.count() == 1
