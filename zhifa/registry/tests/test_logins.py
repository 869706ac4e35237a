"""Login lockout (finding 9 of issue 10: 30 wrong passwords in a row were all answered normally
and the right one then worked at once).

Five failures lock an account name, twenty an address, for fifteen minutes after the last one
(settings); a locked login is refused — the right password too — with the rule and the time to
retry; each lockout and each unlock is an entry of the record log; the system administrator
unlocks on /registry/logins/ or with ``zhifa logins unlock``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpResponse
from django.test import Client

from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import PASSWORD, Personas
from zhifa.record.models import Entry
from zhifa.registry import logins

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HERE = "198.51.100.7"
ELSEWHERE = "203.0.113.50"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


def log_in(username: str, password: str, address: str = HERE) -> HttpResponse:
    response: HttpResponse = Client(REMOTE_ADDR=address).post(
        "/login/", {"username": username, "password": password}
    )
    return response


def logged_in(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"] == "/workbench/"


def entries(action: str) -> list[Entry]:
    return list(Entry.objects.filter(action=action).order_by("seq"))


def payload(entry: Entry) -> Any:
    return json.loads(entry.payload)


def fail(username: str, times: int, address: str = HERE) -> list[HttpResponse]:
    return [log_in(username, "wrong-password", address) for _ in range(times)]


# -- per account ------------------------------------------------------------------------------


def test_the_fifth_wrong_password_locks_the_account_and_the_right_one_is_then_refused(
    personas: Personas,
) -> None:
    answers = fail("p1", 5)
    for response in answers[:4]:
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    locked = answers[4]
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "同一账号连续登录失败5次" in html and "同一网络地址登录失败20次" in html
    assert "锁定15分钟" in html and "请于10:15后再试" in html and "系统管理员解锁" in html
    assert 'value="p1"' in html  # the form keeps the name

    refused = log_in("p1", PASSWORD)
    assert refused.status_code == 429 and not logged_in(refused)
    assert "请于10:15后再试" in refused.content.decode()


def test_the_lockout_is_recorded_once_naming_the_account(personas: Personas) -> None:
    fail("p1", 7)
    log_in("p1", PASSWORD)
    [entry] = entries("login.lockout")
    assert entry.actor_id is None and entry.role == "system"
    assert entry.case_id is None
    assert payload(entry) == {
        "scope": "account",
        "account": {"id": personas.officer.pk, "username": "p1"},
        "failures": 5,
        "until": "2026-11-20T02:15:00.000000Z",
    }
    assert "address" not in payload(entry)  # an account lock does not name an address


def test_a_locked_account_is_refused_from_every_address(personas: Personas) -> None:
    for n in range(5):
        log_in("p1", "wrong-password", f"192.0.2.{n + 1}")
    assert log_in("p1", PASSWORD, ELSEWHERE).status_code == 429
    assert logged_in(log_in("p2", PASSWORD, ELSEWHERE))  # other accounts are not affected


def test_refusals_while_locked_do_not_extend_the_lock(
    personas: Personas, frozen: time_machine.Coordinates
) -> None:
    fail("p1", 5)
    frozen.shift(timedelta(minutes=10))
    fail("p1", 3)  # still locked: not counted
    frozen.shift(timedelta(minutes=5, seconds=1))
    assert logged_in(log_in("p1", PASSWORD))


def test_the_lock_ends_after_fifteen_minutes_from_the_last_failure(
    personas: Personas, frozen: time_machine.Coordinates
) -> None:
    fail("p1", 5)
    frozen.shift(timedelta(minutes=15))  # 10:15, the time the page names: "after 10:15"
    assert log_in("p1", PASSWORD).status_code == 429
    frozen.shift(timedelta(seconds=1))
    assert logged_in(log_in("p1", PASSWORD))


def test_four_failures_then_the_right_password_logs_in(personas: Personas) -> None:
    fail("p1", 4)
    assert logged_in(log_in("p1", PASSWORD))
    assert entries("login.lockout") == []


def test_the_admin_login_is_locked_as_well(personas: Personas) -> None:
    for _ in range(5):
        Client(REMOTE_ADDR=HERE).post(
            "/admin/login/?next=/admin/", {"username": "admin", "password": "wrong-password"}
        )
    response = Client(REMOTE_ADDR=HERE).post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "登录已被暂时锁定" in response.content.decode()


# -- per address ------------------------------------------------------------------------------


def test_twenty_failures_from_one_address_lock_it_for_every_account(personas: Personas) -> None:
    for n in range(19):
        assert log_in(f"guess{n}", "wrong-password").status_code == 200
    assert log_in("guess19", "wrong-password").status_code == 429
    refused = log_in("p1", PASSWORD)
    assert refused.status_code == 429
    assert "请于10:15后再试" in refused.content.decode()
    assert logged_in(log_in("p1", PASSWORD, ELSEWHERE))  # the account itself is not locked
    [entry] = entries("login.lockout")
    assert payload(entry) == {
        "scope": "address",
        "address": HERE,
        "failures": 20,
        "until": "2026-11-20T02:15:00.000000Z",
    }


def test_behind_the_proxy_the_forwarded_address_is_the_one_locked(
    personas: Personas, settings: Any
) -> None:
    settings.ZHIFA_TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for n in range(20):
        proxy.post(
            "/login/",
            {"username": f"guess{n}", "password": "wrong-password"},
            # the client's own X-Forwarded-For value comes first; nginx appends the peer
            headers={"X-Forwarded-For": f"10.9.9.{n}, {HERE}"},
        )
    [entry] = entries("login.lockout")
    assert payload(entry)["address"] == HERE
    other = proxy.post(
        "/login/",
        {"username": "p1", "password": PASSWORD},
        headers={"X-Forwarded-For": ELSEWHERE},
    )
    assert logged_in(other)


def test_an_unknown_name_is_never_written_to_the_log(personas: Personas) -> None:
    # A password typed into the name field must not end up in the append-only log.
    fail("zhifa-Secret-2026", 5)
    [entry] = entries("login.lockout")
    assert payload(entry)["account"] is None
    assert "zhifa-Secret-2026" not in entry.leaf.decode()


# -- unlocking --------------------------------------------------------------------------------


def admin_client(personas: Personas) -> Client:
    client = Client(REMOTE_ADDR=ELSEWHERE)
    client.force_login(personas.admin)
    return client


def test_the_system_administrator_sees_the_locks_and_unlocks_an_account(
    personas: Personas,
) -> None:
    fail("p1", 5)
    fail("nobody-by-this-name", 5, ELSEWHERE)
    admin = admin_client(personas)
    page = admin.get("/registry/logins/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "p1" in html and "张执法" in html and "2026-11-20 10:15" in html
    assert "nobody-by-this-name" not in html and "不存在的账号名" in html

    response = admin.post("/registry/logins/unlock/", {"scope": "account", "subject": "p1"})
    assert response.status_code == 303
    assert "已解除p1的登录锁定" in admin.get("/registry/logins/").content.decode()
    assert logged_in(log_in("p1", PASSWORD))

    [entry] = entries("login.unlock")
    assert entry.actor_id == personas.admin.pk and entry.role == "admin"
    assert payload(entry) == {
        "scope": "account",
        "account": {"id": personas.officer.pk, "username": "p1"},
        "cleared": 1,
    }


def test_an_address_is_unlocked_by_the_command(personas: Personas) -> None:
    for n in range(20):
        log_in(f"guess{n}", "wrong-password")
    out = io.StringIO()
    call_command("logins", "list", stdout=out)
    assert HERE in out.getvalue() and "网络地址" in out.getvalue()

    out = io.StringIO()
    call_command("logins", "unlock", "--address", HERE, "--as", "admin", stdout=out)
    assert f"已解除{HERE}的登录锁定" in out.getvalue()
    assert logged_in(log_in("p1", PASSWORD))
    [entry] = entries("login.unlock")
    assert payload(entry) == {"scope": "address", "address": HERE, "cleared": 20}
    out = io.StringIO()
    call_command("logins", "list", stdout=out)
    assert "目前没有被锁定" in out.getvalue()


def test_only_the_system_administrator_unlocks(personas: Personas) -> None:
    fail("p1", 5)
    with pytest.raises(RuleViolation, match="只有系统管理员"):
        logins.login_unlock(actor=personas.supervisor, username="p1")
    with pytest.raises(CommandError, match="只有系统管理员"):
        call_command("logins", "unlock", "--account", "p1", "--as", "p5")
    assert entries("login.unlock") == []
    assert log_in("p1", PASSWORD).status_code == 429


def test_unlocking_what_has_no_failures_is_refused(personas: Personas) -> None:
    with pytest.raises(RuleViolation, match="没有登录失败记录"):
        logins.login_unlock(actor=personas.admin, username="p2")
    with pytest.raises(RuleViolation, match="二者选一"):
        logins.login_unlock(actor=personas.admin, username="p2", address=HERE)


def test_the_lockout_page_is_not_there_for_anyone_else(personas: Personas) -> None:
    for account in (personas.officer, personas.supervisor, personas.publisher):
        client = Client()
        client.force_login(account)
        assert client.get("/registry/logins/").status_code == 404
        response = client.post("/registry/logins/unlock/", {"scope": "account", "subject": "p1"})
        assert response.status_code == 404
    anonymous = Client().get("/registry/logins/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_old_login_logs_and_stale_failures_are_pruned(
    personas: Personas, frozen: time_machine.Coordinates
) -> None:
    from axes.models import AccessAttempt, AccessLog

    log_in("p1", PASSWORD)
    fail("p2", 2)
    assert AccessLog.objects.count() == 1 and AccessAttempt.objects.count() == 1
    frozen.shift(timedelta(days=181))
    summary = logins.login_logs_prune(datetime.now(tz=ZoneInfo("Asia/Shanghai")))
    assert "删除登录日志1条" in summary and "登录失败计数1条" in summary
    assert AccessLog.objects.count() == 0 and AccessAttempt.objects.count() == 0
