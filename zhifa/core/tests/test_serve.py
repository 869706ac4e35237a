"""`zhifa serve` (what `make run` starts) is gunicorn with WhiteNoise, DEBUG off, and
`/healthz` says whether this server can do its work."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from zhifa.record.services import log_signer

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A migrated data folder served by `zhifa serve` on a free loopback port; it stops
    cleanly (exit status 0) on SIGTERM, as systemd stops it."""
    tmp_path = tmp_path_factory.mktemp("serve")
    if os.environ.get("DATABASE_URL"):
        pytest.skip("starts its own server on its own SQLite folder; once per suite is enough")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIFA_", "DJANGO_"))}
    env |= {"ZHIFA_DATA_DIR": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1"}
    zhifa = [sys.executable, "-m", "zhifa.cli"]
    subprocess.run([*zhifa, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [*zhifa, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                if process.poll() is not None:
                    pytest.fail(f"zhifa serve exited: {log.read_text()}")
                try:
                    fetch(f"{base}/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            yield base, log
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0, log.read_text()


def test_serve_is_gunicorn_with_hashed_compressed_static_files_and_debug_off(
    server: tuple[str, Path],
) -> None:
    base, log = server
    status, headers, body = fetch(f"{base}/")
    assert status == 200
    assert headers["Server"].startswith("gunicorn")
    stylesheet = re.search(rb'href="(/static/css/zhifa\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "the page links the stylesheet under its hashed name"
    status, headers, _ = fetch(base + stylesheet.group(1).decode(), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]  # cached for good: the name changes with it
    status, _, page = fetch(f"{base}/no-such-page/")
    assert status == 404
    assert b"Traceback" not in page and b"DEBUG" not in page  # no debug page in production
    assert f"zhifa 已启动：{base}/" in log.read_text()


def test_the_access_log_line_carries_the_request_id(server: tuple[str, Path]) -> None:
    base, log = server
    status, headers, _ = fetch(f"{base}/check/")
    assert status == 200
    request_id = headers["X-Request-ID"]
    for _ in range(100):  # gunicorn writes the line once the response has gone
        if request_id in log.read_text():
            break
        time.sleep(0.05)
    [line] = [line for line in log.read_text().splitlines() if request_id in line]
    assert '"GET /check/ HTTP/1.1" 200' in line and line.endswith(request_id)


def test_healthz_of_a_freshly_migrated_server_is_ok(
    server: tuple[str, Path],
) -> None:
    base, _ = server
    status, headers, body = fetch(f"{base}/healthz")
    assert status == 200, body.decode()
    assert b'"status": "ok"' in body
    assert "no-cache" in headers["Cache-Control"]
    assert "Set-Cookie" not in headers


@pytest.fixture
def signing_key(db: None) -> None:
    log_signer()


def test_healthz_reports_each_check(signing_key: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"ok": True},
            "data_folder": {"ok": True},
            "signing_key": {"ok": True},
        },
    }


def test_healthz_fails_without_the_signing_key(settings: Any, tmp_path: Path, db: None) -> None:
    settings.SIGNING_KEY_PATH = tmp_path / "missing.ed25519"
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert "签名密钥不存在" in body["checks"]["signing_key"]["detail"]


def test_healthz_fails_when_the_data_folder_is_gone(
    settings: Any, tmp_path: Path, signing_key: None
) -> None:
    settings.DATA_DIR = tmp_path / "gone"
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert "数据目录不可写" in response.json()["checks"]["data_folder"]["detail"]


def test_healthz_fails_when_the_database_does_not_answer(
    monkeypatch: pytest.MonkeyPatch, signing_key: None
) -> None:
    class Refusing:
        def cursor(self) -> Any:
            raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr("zhifa.core.health.connections", {"default": Refusing()})
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert "数据库无法访问：连接被拒绝" in response.json()["checks"]["database"]["detail"]


def test_healthz_answers_only_reads(signing_key: None) -> None:
    assert Client().post("/healthz").status_code == 405
