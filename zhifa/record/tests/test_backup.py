"""``zhifa backup`` and ``zhifa restore``: a backup taken while the log is written restores to
a log ``zhifa verify`` accepts; a damaged backup, a non-empty target and a non-empty backup
folder are refused before anything is written."""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from zhifa.record.backup import (
    EVIDENCE_OBJECTS,
    MANIFEST,
    BackupError,
    backup_check,
    backup_write,
    pg_tool,
)
from zhifa.record.evidence import evidence_key
from zhifa.record.models import EvidenceFile
from zhifa.record.services import evidence_store, head_sign, record_append, signing_key_rotate

from .conftest import T0
from .folders import empty_database, sqlite_on_file, zhifa


@pytest.fixture
def live(transactional_db: None, settings: Any, tmp_path: Path) -> Iterator[Path]:
    """A data folder a server could be running on: its own evidence store, signing key and
    secret key, and on SQLite the database file itself (see ``folders.sqlite_on_file``)."""
    folder = tmp_path / "live"
    folder.mkdir()
    settings.DATA_DIR = folder
    settings.EVIDENCE_DIR = folder / "evidence"
    settings.SIGNING_KEY_PATH = folder / "signing-key.ed25519"
    settings.SECRET_KEY_PATH = folder / "secret-key"
    (folder / "secret-key").write_text("not-a-real-secret\n")
    if connection.vendor == "sqlite":
        with sqlite_on_file(folder / "zhifa.sqlite3"):
            yield folder
    else:
        yield folder


@pytest.fixture
def target(tmp_path: Path) -> Iterator[tuple[Path, str | None]]:
    """Where a restore goes: a data folder that does not exist yet and, on PostgreSQL, a new
    database without tables."""
    folder = tmp_path / "restored"
    if connection.vendor == "postgresql":
        with empty_database() as url:
            yield folder, url
    else:
        yield folder, None


def _record(i: int, *, with_file: bool) -> None:
    """One entry (no case: the record tests keep off the cases' replay check), with a new
    evidence file when ``with_file``; one transaction, as a service would."""
    with transaction.atomic():
        files = []
        if with_file:
            photo = evidence_store(
                io.BytesIO(f"现场照片 {i} ".encode() * 50),
                name=f"照片{i}.jpg",
                media_type="image/jpeg",
            )
            files = [photo.ref]
        record_append(
            actor_id=7,
            actor_name="张三",
            role="officer",
            action="evidence.attach" if with_file else "case.note",
            payload={"i": i},
            files=files,
            at=T0 + timedelta(seconds=i),
        )


def _seed(n: int = 6, *, rotate: bool = False) -> None:
    """``n`` entries, every other one with a file; with ``rotate``, the signing key rotated
    halfway (one more entry, the announcement)."""
    for i in range(n):
        _record(i, with_file=i % 2 == 0)
        if rotate and i == n // 2:
            signing_key_rotate(actor_id=None, actor_name="系统管理员", role="system")
    head_sign(at=T0 + timedelta(minutes=1))


def test_a_backup_taken_while_writing_restores_to_a_log_that_verifies(
    live: Path, tmp_path: Path, target: tuple[Path, str | None]
) -> None:
    _seed(rotate=True)  # 7 entries: 6 and the key's rotation
    started, stop = threading.Event(), threading.Event()
    written: list[int] = []
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            i = 100
            while not stop.is_set() or len(written) < 10:
                _record(i, with_file=True)
                written.append(i)
                i += 1
                if len(written) == 3:
                    started.set()
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
            started.set()
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        started.wait()
        result = backup_write(tmp_path / "backup")
    finally:
        stop.set()
        thread.join()
    assert not failures, failures

    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    log_size = manifest["log"]["size"]
    assert 7 + 3 <= log_size <= 7 + len(written)
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["evidence"]["backend"] == "local"
    # Every file of the snapshot, and only those: the seeds' three and one per written entry.
    assert result.evidence_files == manifest["evidence"]["files"] == 3 + (log_size - 7)
    assert EvidenceFile.objects.count() == 3 + len(written)
    assert set(manifest["keys"]) >= {"signing_key", "secret_key", "public_key"}
    assert manifest["problems"] == []

    folder, url = target
    restored = zhifa(folder, "restore", str(tmp_path / "backup"), database_url=url)
    assert restored.returncode == 0, restored.stderr
    assert "下一步：运行 zhifa verify" in restored.stdout
    assert (folder / "secret-key").read_text() == "not-a-real-secret\n"
    verified = zhifa(folder, "verify", database_url=url)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"已校验{log_size}条记录" in verified.stdout
    assert f"{result.evidence_files}个证据文件" in verified.stdout
    assert "校验通过" in verified.stdout


def test_restore_refuses_a_backup_with_an_altered_file_and_writes_nothing(
    live: Path, tmp_path: Path, target: tuple[Path, str | None]
) -> None:
    _seed()
    backup_write(tmp_path / "backup")
    photo = EvidenceFile.objects.order_by("id").first()
    assert photo is not None
    altered = tmp_path / "backup" / "evidence" / evidence_key(photo.sha256)
    altered.chmod(0o644)
    data = altered.read_bytes()
    altered.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # same size, one bit flipped

    folder, url = target
    refused = zhifa(folder, "restore", str(tmp_path / "backup"), database_url=url)
    assert refused.returncode != 0
    assert f"备份文件evidence/{evidence_key(photo.sha256)}的SHA-256与清单不符" in refused.stderr
    assert "Traceback" not in refused.stdout + refused.stderr
    # Nothing written: no evidence, key or database (only what starting a command leaves).
    left = {p.name for p in folder.iterdir()} if folder.exists() else set()
    assert left <= {"static", "secret-key"}
    assert "not-a-real-secret" not in (
        (folder / "secret-key").read_text() if (folder / "secret-key").exists() else ""
    )


def test_restore_refuses_a_backup_with_a_missing_or_an_extra_file(
    live: Path, tmp_path: Path
) -> None:
    _seed()
    backup_write(tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    backup_check(tmp_path / "backup", manifest)  # as written: passes

    (tmp_path / "backup" / "notes.txt").write_text("added later")
    with pytest.raises(BackupError, match=re.escape("备份中有清单之外的文件notes.txt")):
        backup_check(tmp_path / "backup", manifest)
    (tmp_path / "backup" / "notes.txt").unlink()
    (tmp_path / "backup" / "signing-key.ed25519").unlink()
    with pytest.raises(BackupError, match=re.escape("备份中缺少清单所列的文件signing-key.ed25519")):
        backup_check(tmp_path / "backup", manifest)


def test_restore_refuses_a_data_folder_that_is_not_empty(
    live: Path, tmp_path: Path, target: tuple[Path, str | None]
) -> None:
    _seed(2)
    backup_write(tmp_path / "backup")
    folder, url = target
    folder.mkdir()
    (folder / "evidence").mkdir()
    (folder / "evidence" / "keep.bin").write_bytes(b"someone's file")
    refused = zhifa(folder, "restore", str(tmp_path / "backup"), database_url=url)
    assert refused.returncode != 0
    assert f"数据目录{folder}不是空的（有evidence）" in refused.stderr
    assert "Traceback" not in refused.stdout + refused.stderr
    assert {p.name for p in folder.rglob("*")} - {"static", "secret-key"} == {
        "evidence",
        "keep.bin",
    }


def test_restore_refuses_a_database_that_has_tables(live: Path, tmp_path: Path) -> None:
    """The live database itself (SQLite: its file in the data folder; PostgreSQL: the suite's
    database, whose tables are there)."""
    _seed(2)
    backup_write(tmp_path / "backup")
    if connection.vendor == "postgresql":
        from .folders import database_url

        folder = tmp_path / "empty"
        refused = zhifa(
            folder,
            "restore",
            str(tmp_path / "backup"),
            database_url=database_url(str(connection.settings_dict["NAME"])),
        )
        assert "中已有" in refused.stderr and "张数据表" in refused.stderr
    else:
        refused = zhifa(live, "restore", str(tmp_path / "backup"))
        assert f"数据库文件{live / 'zhifa.sqlite3'}已有数据" in refused.stderr
    assert refused.returncode != 0
    assert "Traceback" not in refused.stdout + refused.stderr


def test_backup_refuses_a_folder_that_is_not_empty(live: Path, tmp_path: Path) -> None:
    _seed(2)
    dest = tmp_path / "backup"
    dest.mkdir()
    (dest / "yesterday.txt").write_text("keep me")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=re.escape(f"备份目录{dest}已存在且不为空")):
        call_command("backup", str(dest), stdout=out, stderr=err)
    assert sorted(p.name for p in dest.iterdir()) == ["yesterday.txt"]
    assert "Traceback" not in out.getvalue() + err.getvalue()


def test_backup_of_an_unmigrated_data_folder_says_so(tmp_path: Path) -> None:
    run = zhifa(tmp_path / "new", "backup", str(tmp_path / "backup"))
    assert run.returncode != 0
    assert "zhifa migrate" in run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert not (tmp_path / "backup").exists()


def test_backup_prints_what_it_wrote(live: Path, tmp_path: Path) -> None:
    _seed()
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    text = out.getvalue()
    assert f"备份已写入{tmp_path / 'backup'}" in text
    assert "记录6条" in text
    assert "证据文件：3个" in text
    assert "签名密钥：已备份；secret-key：已备份" in text


def test_link_dest_hard_links_the_evidence_the_previous_backup_holds(
    live: Path, tmp_path: Path
) -> None:
    _seed()
    first = backup_write(tmp_path / "monday")
    _record(50, with_file=True)
    second = backup_write(tmp_path / "tuesday", link_dest=tmp_path / "monday")
    assert (first.evidence_files, second.evidence_files, second.linked) == (3, 4, 3)
    for row in EvidenceFile.objects.all():
        key = evidence_key(row.sha256)
        old, new = tmp_path / "monday/evidence" / key, tmp_path / "tuesday/evidence" / key
        assert new.is_file()
        assert (old.exists() and old.stat().st_ino == new.stat().st_ino) == (
            row.original_name != "照片50.jpg"
        )
    manifest = json.loads((tmp_path / "tuesday" / MANIFEST).read_text())
    backup_check(tmp_path / "tuesday", manifest)


def test_backup_of_an_s3_store_lists_the_objects_and_copies_none(
    live: Path, tmp_path: Path, settings: Any
) -> None:
    _seed()
    settings.ZHIFA_EVIDENCE_BACKEND = "s3"
    settings.ZHIFA_S3_BUCKET = "zhifa-evidence"
    settings.ZHIFA_S3_PREFIX = "city/"
    settings.ZHIFA_S3_REGION = "us-east-1"
    result = backup_write(tmp_path / "backup")
    manifest = result.manifest
    assert not (tmp_path / "backup" / "evidence").exists()
    assert manifest["evidence"]["backend"] == "s3"
    assert manifest["evidence"]["bucket"] == "zhifa-evidence"
    assert "版本控制" in manifest["evidence"]["note"]
    listed = [
        json.loads(line)
        for line in (tmp_path / "backup" / EVIDENCE_OBJECTS).read_text().splitlines()
    ]
    assert sorted(item["key"] for item in listed) == sorted(
        "city/" + evidence_key(sha) for sha in EvidenceFile.objects.values_list("sha256", flat=True)
    )
    backup_check(tmp_path / "backup", manifest)


def test_pg_tool_refuses_a_client_older_than_the_server() -> None:
    try:
        _path, major = pg_tool("pg_dump", 1)
    except BackupError:
        pytest.skip("no pg_dump on this machine")
    with pytest.raises(
        BackupError, match=rf"pg_dump的版本（{major}）低于数据库服务器（{major + 1}）"
    ):
        pg_tool("pg_dump", major + 1)
