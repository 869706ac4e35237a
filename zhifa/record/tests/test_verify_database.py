"""``zhifa verify`` on a database that cannot be trusted as a database: a corrupt file, a
dropped table, a missing evidence file — each named as a finding, never a traceback."""

from __future__ import annotations

import io
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhifa.record.models import EvidenceFile
from zhifa.record.services import evidence_store, head_sign, record_append
from zhifa.record.verification import log_verify

from .conftest import T0
from .folders import sqlite_on_file, zhifa


def _fill(n: int = 60) -> None:
    photo = evidence_store(
        io.BytesIO(b"photo bytes" * 100), name="照片.jpg", media_type="image/jpeg"
    )
    for i in range(n):
        record_append(
            actor_id=7,
            actor_name="张三",
            role="officer",
            action="case.note",
            payload={"i": i, "text": "现场检查记录" * 20},
            files=[photo.ref] if i == 0 else [],
            at=T0 + timedelta(seconds=i),
        )
    head_sign(at=T0 + timedelta(minutes=5))


def _verify() -> tuple[str, CommandError | None]:
    """Run ``zhifa verify`` in this process: its output and the error it ended with."""
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("verify", stdout=out, stderr=err)
    except CommandError as exc:  # the only way it may fail
        error = exc
    return out.getvalue() + err.getvalue(), error


@pytest.fixture
def sqlite_folder(
    transactional_db: None, settings: Any, tmp_path: Path, evidence_dir: Path
) -> Iterator[Path]:
    """A data folder holding a filled log, its SQLite file closed (SQLite only)."""
    if connection.vendor != "sqlite":
        pytest.skip("a damaged database file is SQLite's; PostgreSQL keeps no such file")
    folder = tmp_path / "data"
    folder.mkdir()
    settings.SIGNING_KEY_PATH = folder / "signing-key.ed25519"
    with sqlite_on_file(folder / "zhifa.sqlite3"):
        _fill()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = sqlite3.connect(folder / "zhifa.sqlite3")
    db.execute("VACUUM")  # no free pages: whatever is overwritten below is in use
    db.close()
    shutil.copytree(evidence_dir, folder / "evidence")
    return folder


def test_verify_names_a_corrupt_database_file(sqlite_folder: Path) -> None:
    path = sqlite_folder / "zhifa.sqlite3"
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) >= 8 * page
    for n in range(2, len(data) // page, 2):  # every other page after the schema's
        data[n * page + 16 : n * page + 16 + 512] = b"\xa5" * 512
    path.write_bytes(bytes(data))

    run = zhifa(sqlite_folder, "verify")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "数据库文件已损坏" in run.stdout
    assert "用 zhifa restore 从备份恢复" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_verify_names_a_file_that_is_not_a_database(sqlite_folder: Path) -> None:
    (sqlite_folder / "zhifa.sqlite3").write_bytes(b"\x00" * 100 + b"not sqlite" * 1000)
    run = zhifa(sqlite_folder, "verify")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "数据库文件已损坏" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


@pytest.mark.django_db
def test_verify_names_a_dropped_table_and_still_checks_the_log(evidence_dir: Path) -> None:
    _fill(10)
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("DROP TABLE django_session")
    report = log_verify()
    assert [(p.kind, p.message) for p in report.problems] == [
        (
            "table_missing",
            "数据库缺少数据表django_session：若刚升级，运行 zhifa migrate；"
            "若表被删除，用 zhifa restore 从备份恢复",
        )
    ]
    assert (report.entries, report.files, report.path) == (10, 1, "fast")


@pytest.mark.django_db
def test_verify_names_a_dropped_record_table_without_a_traceback(evidence_dir: Path) -> None:
    _fill(10)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE record_signedhead")
    output, error = _verify()
    assert error is not None and error.returncode == 1
    assert "数据库缺少数据表record_signedhead" in output
    assert "Traceback" not in output


@pytest.mark.django_db
def test_verify_names_a_missing_evidence_file_without_a_traceback(evidence_dir: Path) -> None:
    _fill(10)
    photo = EvidenceFile.objects.get()
    (evidence_dir / photo.storage_key).unlink()
    output, error = _verify()
    assert error is not None and error.returncode == 1
    assert f"证据文件{photo.sha256}缺失（文件被删除）" in output
    assert "Traceback" not in output


def test_verify_names_a_missing_database_file(tmp_path: Path) -> None:
    run = zhifa(tmp_path / "nothing-here", "verify")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "不存在：先运行 zhifa migrate 新建，或用 zhifa restore 从备份恢复" in run.stdout
    assert not (tmp_path / "nothing-here" / "zhifa.sqlite3").exists()
    assert "Traceback" not in run.stdout + run.stderr
