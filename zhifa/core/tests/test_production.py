"""Production settings and files (finding 10 of issue 10: ``check --deploy`` warned W004 and
W008, no Content-Security-Policy, 500 tracebacks logged nowhere, the data folder's keys and
database readable by every local user).

The production settings are loaded in a process of their own (``config.settings.prod`` with
``ZHIFA_HTTPS=1`` and a real host name), as ``zhifa serve`` runs them; these tests need no test
database and run once, in the SQLite pass of `make test`.
"""

from __future__ import annotations

import io
import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from zhifa.core.request_ids import HEADER

ROOT = Path(__file__).resolve().parents[3]
HOST = "zhifa.example.gov.cn"

once = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs its own processes on production settings; once per suite is enough",
)


def production(tmp_path: Path, argv: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIFA_", "DJANGO_"))}
    base.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603 - our own interpreter and entry point
        argv,
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "ZHIFA_DATA_DIR": str(tmp_path / "data"),
            "ZHIFA_HTTPS": "1",
            "ZHIFA_ALLOWED_HOSTS": HOST,
            "ZHIFA_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def zhifa_command() -> list[str]:
    script = Path(sys.executable).parent / "zhifa"  # .venv/bin/zhifa
    return [str(script)] if script.exists() else [sys.executable, "-m", "zhifa.cli"]


@once
def test_check_deploy_with_production_settings_prints_no_warning(tmp_path: Path) -> None:
    done = production(tmp_path, [*zhifa_command(), "check", "--deploy"])
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output and "security.W" not in output


HEADERS_SCRIPT = """
import json, django
django.setup()
from django.test import Client
from django.test.utils import override_settings

# Static files are collected by zhifa serve; here the page only needs their names.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()

def answer(path, **extra):
    r = Client(HTTP_HOST="zhifa.example.gov.cn").get(path, **extra)
    return {"status": r.status_code, "headers": dict(r.headers),
            "cookies": {k: dict(v) for k, v in r.cookies.items()}}

print(json.dumps({
    "plain": answer("/login/"),
    "https": answer("/login/", HTTP_X_FORWARDED_PROTO="https"),
    "healthz": answer("/healthz"),
}))
"""


@once
def test_production_responses_carry_the_security_headers(tmp_path: Path) -> None:
    done = production(tmp_path, [sys.executable, "-c", HEADERS_SCRIPT])
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])

    plain = seen["plain"]  # nginx's plain-HTTP side, or a probe around it
    assert plain["status"] == 301
    assert plain["headers"]["Location"] == f"https://{HOST}/login/"

    https = seen["https"]
    assert https["status"] == 200
    headers = https["headers"]
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert len(headers["X-Request-ID"]) == 32
    csrf = https["cookies"]["csrftoken"]
    assert csrf["secure"] is True and csrf["samesite"] == "Lax"

    # The load balancer's plain-HTTP probe is answered, not redirected (503 here: the folder
    # was never migrated, and the probe says so).
    assert seen["healthz"]["status"] == 503


FILES_SCRIPT = """
import json, os, sys
from pathlib import Path
from zhifa.cli import main
main(["zhifa", "migrate", "--noinput", "-v", "0"])
from django.conf import settings
from django.db import connection
from config.settings.base import data_folder_secret_key
data_folder_secret_key(settings.SECRET_KEY_PATH)
with connection.cursor() as cursor:  # the WAL and SHM files exist while a writer is open
    cursor.execute("CREATE TABLE scratch (x integer)")
    cursor.execute("INSERT INTO scratch VALUES (1)")
    folder = Path(settings.DATA_DIR)
    (folder / "evidence").mkdir(exist_ok=True)
    (folder / "evidence" / "ab").write_bytes(b"evidence")
    print(json.dumps({str(p.relative_to(folder)): p.stat().st_mode
                      for p in [folder, *sorted(folder.rglob("*"))]}))
"""


@once
def test_files_in_the_data_folder_are_created_for_their_owner_only(tmp_path: Path) -> None:
    done = production(tmp_path, [sys.executable, "-c", FILES_SCRIPT])
    assert done.returncode == 0, done.stderr
    modes: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    for name in (
        "zhifa.sqlite3",
        "zhifa.sqlite3-wal",
        "zhifa.sqlite3-shm",
        "secret-key",
        "signing-key.ed25519",
        "evidence/ab",
    ):
        assert name in modes, sorted(modes)
    for name, mode in modes.items():
        expected = 0o700 if stat.S_ISDIR(mode) else 0o600
        assert stat.S_IMODE(mode) == expected, f"{name}: {oct(stat.S_IMODE(mode))}"


# -- request ids and the error log (in this process, test settings share the logging) -----------


def boom(request: HttpRequest) -> HttpResponse:
    logging.getLogger("zhifa.test").warning("about to fail")
    raise RuntimeError("kaputt")


def fine(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("boom/", boom), path("fine/", fine)]


@pytest.fixture
def log_output(settings: Any) -> Any:
    """What the configured stdout handler writes, captured (the real formatter and filter)."""
    settings.ROOT_URLCONF = __name__
    handler = next(h for h in logging.getLogger("django.request").handlers if h.name == "stdout")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)  # type: ignore[attr-defined]
    try:
        yield buffer
    finally:
        handler.setStream(previous)  # type: ignore[attr-defined]


def test_every_response_carries_its_request_id(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    first, second = Client().get("/fine/"), Client().get("/fine/")
    assert len(first[HEADER]) == 32 and first[HEADER] != second[HEADER]


def test_a_proxy_may_hand_over_its_request_id_a_client_may_not(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    settings.ZHIFA_TRUSTED_PROXIES = ["127.0.0.1"]
    offered = {"X-Request-ID": "nginx-0123456789abcdef"}
    assert Client().get("/fine/", headers=offered)[HEADER] == "nginx-0123456789abcdef"
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert client.get("/fine/", headers=offered)[HEADER] != "nginx-0123456789abcdef"
    forged = {"X-Request-ID": "bad id\nINFO forged line"}
    assert "\n" not in Client().get("/fine/", headers=forged)[HEADER]


def test_a_500_is_logged_with_its_traceback_and_the_request_id_on_every_line(
    log_output: io.StringIO,
) -> None:
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    request_id = response[HEADER]
    text = log_output.getvalue()
    assert "Traceback (most recent call last)" in text and "RuntimeError: kaputt" in text
    lines = [line for line in text.splitlines() if line[:4].isdigit()]  # one per log record
    assert len(lines) == 2  # the app's own warning, then the error with its traceback
    assert all(f"[{request_id}]" in line for line in lines)
    assert "WARNING" in lines[0] and "zhifa.test about to fail" in lines[0]
    assert "ERROR" in lines[1] and "django.request Internal Server Error: /boom/" in lines[1]


def test_lines_logged_outside_a_request_say_so(log_output: io.StringIO) -> None:
    logging.getLogger("django.request").error("no request here")
    assert "[-] django.request no request here" in log_output.getvalue()


def test_every_environment_sends_the_policy_and_frame_headers(client: Client) -> None:
    response = client.get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert (
        client.get("/admin/login/")["Content-Security-Policy"]
        == (
            response["Content-Security-Policy"]  # the admin too: no exception anywhere
        )
    )
