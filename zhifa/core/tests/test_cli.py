"""The `zhifa` command never answers a condition a user can cause with a traceback: a missing
or unmigrated data folder, a database that refuses connections, bad arguments, a bad file.

Every registered command is run through the console entry (``zhifa.cli.main``) in a separate
process whose settings point at the broken data folder or database (``cli_driver``). These
tests need no test database and spawn their own processes, so they run once, in the SQLite
pass of `make test`.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from zhifa.cli import NEEDS_CONNECTION, NEEDS_NONE, REDIRECTED

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs its own processes against broken databases; once per suite is enough",
)


def drive(tmp_path: Path, env: dict[str, str], runs: list[list[str]] | None = None) -> list[Any]:
    """Run commands (all of them, without arguments, by default) in one driver process."""
    result = tmp_path / "result.json"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIFA_", "DJANGO_"))}
    base.pop("DATABASE_URL", None)
    argv = [sys.executable, "-m", "zhifa.core.tests.cli_driver", str(result)]
    if runs is not None:
        argv.append(json.dumps(runs))
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        argv,
        cwd=tmp_path,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings.prod", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    runs_done: list[Any] = json.loads(result.read_text(encoding="utf-8"))
    return runs_done


def refused_url() -> str:
    """A PostgreSQL URL on a loopback port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"postgres://zhifa:secret@127.0.0.1:{port}/zhifa"


def assert_no_traceback(run: dict[str, Any]) -> None:
    text = run["out"] + run["err"]
    assert run["code"] != "uncaught", f"zhifa {run['name']}: {text}"
    assert "Traceback" not in text, f"zhifa {run['name']}: {text}"


def one_line(run: dict[str, Any]) -> str:
    lines = [line for line in run["err"].splitlines() if line.strip()]
    assert len(lines) == 1, f"zhifa {run['name']} said: {run['err']!r}"
    return lines[0]


def needs_database(name: str) -> bool:
    return name not in NEEDS_NONE and name not in REDIRECTED


def test_every_command_on_an_unmigrated_data_folder_says_to_migrate(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    runs = drive(tmp_path, {"ZHIFA_DATA_DIR": str(folder)})
    names = {run["name"] for run in runs}
    assert {"workdays", "verify", "demo", "serve", "migrate", "runserver"} <= names
    for run in runs:
        assert_no_traceback(run)
        if run["name"] == "migrate":
            assert run["code"] == 0, run["err"]  # the one command that is the cure
        elif needs_database(run["name"]) and run["name"] not in NEEDS_CONNECTION:
            assert run["code"] != 0
            line = one_line(run)
            assert "数据库尚未初始化" in line and "请先运行 zhifa migrate" in line, line
    verify = next(run for run in runs if run["name"] == "verify")
    assert verify["code"] != 0  # an unmigrated log is not a verified one


def test_every_command_against_a_database_that_refuses_connections(tmp_path: Path) -> None:
    url = refused_url()
    runs = drive(tmp_path, {"ZHIFA_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": url})
    for run in runs:
        assert_no_traceback(run)
        if needs_database(run["name"]):
            assert run["code"] != 0, run
            line = one_line(run)
            assert "无法连接数据库" in line and "请检查 DATABASE_URL" in line, line
            assert "secret" not in line  # the password is never printed
    verify = next(run for run in runs if run["name"] == "verify")
    assert verify["code"] != 0


def test_a_missing_data_folder_is_named_and_not_created(tmp_path: Path) -> None:
    folder = tmp_path / "no-such-folder"
    runs = drive(
        tmp_path,
        {"ZHIFA_DATA_DIR": str(folder)},
        [["workdays", "add", "2026-09-30", "7"], ["demo"], ["serve"], ["sign-head"]],
    )
    for run in runs:
        assert_no_traceback(run)
        assert run["code"] == 1
        line = one_line(run)
        assert f"数据目录不存在：{folder}" in line and "zhifa migrate" in line, line
    assert not folder.exists()


def test_user_mistakes_on_a_migrated_folder_get_one_clear_line(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    garbage = tmp_path / "officers.xlsx"
    garbage.write_bytes(os.urandom(2000))
    runs = drive(
        tmp_path,
        {"ZHIFA_DATA_DIR": str(folder)},
        [
            ["migrate", "-v", "0"],
            ["workdays", "is", "2027-01-04"],  # a year whose holidays are not published
            ["workdays", "add", "2026-13-01", "5"],  # not a date
            ["export-case", "99999"],
            ["registry_import", "officers", str(garbage), "--as", "nobody"],
            ["verify-publication", str(garbage)],
            ["publicity_expire", "--on", "2026-02-30"],
            ["nosuchcommand"],
            ["verfy"],
        ],
    )
    for run in runs:
        assert_no_traceback(run)
    migrate, year, date, case, account, proof, expire, unknown, typo = runs
    assert migrate["code"] == 0
    assert year["code"] == 1 and "2027年的法定节假日安排尚未公布" in one_line(year)
    assert date["code"] == 2 and "日期格式应为YYYY-MM-DD：2026-13-01" in date["err"]
    assert case["code"] == 1 and "案件不存在" in one_line(case)
    assert account["code"] == 1 and "账号不存在：nobody" in one_line(account)
    assert proof["code"] != 0 and "无法读取公示证明" in one_line(proof)
    assert expire["code"] == 1 and "日期格式" in one_line(expire)
    assert unknown["code"] == 1 and "没有这个命令：nosuchcommand" in one_line(unknown)
    assert "是否要运行 zhifa verify" in one_line(typo)
