"""Backups of a data folder that restore to a log ``zhifa verify`` accepts.

``backup_write(dest)`` writes into a new folder, while the server keeps writing:

1. the database, as one consistent snapshot: SQLite's online backup API
   (``sqlite3.Connection.backup``, all pages in one step, so within one read transaction — in
   WAL mode writers go on meanwhile); on PostgreSQL ``pg_dump -Fc`` run on a snapshot exported
   by a REPEATABLE READ transaction of ours (``pg_export_snapshot``), in which the evidence list
   is read too, so dump and list agree exactly;
2. the evidence the snapshot references, listed from the snapshot itself. Taken after the
   snapshot, because evidence is stored before the row that references it commits and is never
   deleted: every file the snapshot names is on disk by then. Local backend: each file copied
   (hashed as it is read), or hard-linked from a previous backup (``link_dest``) that recorded
   the same size and SHA-256 for it. S3 backend: nothing copied — the object list is written
   (``evidence-objects.jsonl``) and the bucket's own versioning/replication is its backup;
3. the signing key and the data folder's secret key;
4. ``manifest.json``, last: the SHA-256 and size of every file, the zhifa version, database
   engine, log size and latest signed head. A folder without it is not a backup.

``backup_restore(src)`` checks every file against the manifest (size, SHA-256, nothing missing,
nothing extra) and that the target — the data folder and, on PostgreSQL, the database — is
empty, before it writes anything; then stages the files inside the data folder, restores the
database (``pg_restore --single-transaction``; SQLite: the file) and moves the staged files
into place.

User-caused refusals raise ``BackupError`` with a one-line Chinese message saying what to do.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from glob import glob
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from .checkpoint import CheckpointError, Signer
from .evidence import CHUNK_SIZE, evidence_key, file_digest
from .models import Entry, EvidenceFile, LogState, SignedHead, TreeNode
from .verification import one_line

FORMAT = "zhifa-backup/1"
MANIFEST = "manifest.json"
DATABASE_SQLITE = "database.sqlite3"
DATABASE_POSTGRESQL = "database.pgdump"
EVIDENCE = "evidence"
EVIDENCE_OBJECTS = "evidence-objects.jsonl"
SIGNING_KEY = "signing-key.ed25519"
SECRET_KEY_FILE = "secret-key"  # noqa: S105 - a file name
# Where Debian/Ubuntu (postgresql-client-N) and the PGDG RPMs put the client programs; the
# same search as scripts/with-postgres.sh, plus PATH.
PG_BIN_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin")


class BackupError(Exception):
    """A refusal the user can act on; the message (Chinese, one line) says what to do."""


@dataclass
class BackupResult:
    """What ``backup_write`` wrote."""

    dest: Path
    manifest: dict[str, Any]
    database_bytes: int = 0
    evidence_files: int = 0
    evidence_bytes: int = 0
    linked: int = 0
    total_bytes: int = 0
    seconds: float = 0.0
    problems: list[dict[str, str]] = field(default_factory=list)


@dataclass
class RestoreResult:
    """What ``backup_restore`` restored."""

    manifest: dict[str, Any]
    data_dir: Path
    database: str
    evidence_files: int = 0
    evidence_bytes: int = 0
    seconds: float = 0.0


# -- small pieces -------------------------------------------------------------------------------


def zhifa_version() -> str:
    try:
        return metadata.version("zhifa")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "unknown"


def _copy_hashed(src: Path, dst: Path, mode: int) -> tuple[str, int]:
    """Copy ``src`` to the new file ``dst`` (never overwriting), hashing what is copied."""
    h = hashlib.sha256()
    size = 0
    dst.parent.mkdir(parents=True, exist_ok=True)
    with src.open("rb") as fin, dst.open("xb") as fout:
        while chunk := fin.read(CHUNK_SIZE):
            h.update(chunk)
            fout.write(chunk)
            size += len(chunk)
    dst.chmod(mode)
    return h.hexdigest(), size


def human_size(n: int) -> str:
    """``n`` bytes for people: 512 B, 3.4 KB, 12.0 MB, 1.5 GB (powers of 1024)."""
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{n} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def secret_key_path() -> Path:
    """The data folder's secret key file (``settings.SECRET_KEY_PATH``)."""
    return Path(getattr(settings, "SECRET_KEY_PATH", Path(settings.DATA_DIR) / "secret-key"))


def evidence_backend() -> str:
    return str(getattr(settings, "ZHIFA_EVIDENCE_BACKEND", "") or "local")


def _sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    return Path(name.removeprefix("file:").split("?", 1)[0])


def _sqlite_source() -> sqlite3.Connection:
    """A connection of our own to the configured SQLite database (an in-memory test database
    too), never creating the file."""
    name = str(connection.settings_dict["NAME"])
    if name.startswith("file:"):
        return sqlite3.connect(name, uri=True, timeout=20)
    path = Path(name)
    if not path.is_file():
        raise BackupError(
            _("数据库文件%(path)s不存在（数据目录尚未初始化）：先运行 zhifa migrate")
            % {"path": path}
        )
    return sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=20)


def _record_tables() -> set[str]:
    tables = {m._meta.db_table for m in (Entry, TreeNode, SignedHead, EvidenceFile)}
    if connection.vendor == "sqlite":
        tables.add(LogState._meta.db_table)
    return tables


def _connected_tables() -> list[str]:
    """The tables of the configured database; ``BackupError`` when it cannot be reached."""
    try:
        return list(connection.introspection.table_names(include_views=False))
    except Exception as exc:  # the driver's error, whatever it is: say what to check
        if connection.vendor == "sqlite":
            raise BackupError(
                _("无法读取数据库文件%(path)s（%(error)s）：运行 zhifa verify 查明")
                % {"path": _sqlite_path(), "error": one_line(exc)}
            ) from exc
        raise BackupError(
            _("无法连接数据库（%(error)s）：检查 DATABASE_URL 和数据库服务器")
            % {"error": one_line(exc)}
        ) from exc


def _check_source_database() -> None:
    """The database is there, reachable and migrated; ``BackupError`` saying which not."""
    if connection.vendor == "sqlite":
        _sqlite_source().close()  # refuses a missing file before Django would create it
    elif connection.vendor != "postgresql":
        raise BackupError(
            _("不支持备份%(vendor)s数据库：只支持SQLite和PostgreSQL")
            % {"vendor": connection.vendor}
        )
    missing = _record_tables() - set(_connected_tables())
    if missing:
        raise BackupError(
            _("数据库尚未初始化（缺少数据表%(table)s）：先运行 zhifa migrate")
            % {"table": sorted(missing)[0]}
        )


def _new_folder(dest: Path) -> None:
    """Create ``dest`` (mode 0700: it will hold the signing key); refuse a non-empty one."""
    if dest.exists() and not dest.is_dir():
        raise BackupError(_("备份目标%(dest)s已存在且不是目录：换一个新的目录") % {"dest": dest})
    if dest.is_dir() and any(dest.iterdir()):
        raise BackupError(
            _(
                "备份目录%(dest)s已存在且不为空：每次备份写入一个新的目录，"
                "例如 /backups/zhifa-$(date +%%F)"
            )
            % {"dest": dest}
        )
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    dest.chmod(0o700)


# -- the database snapshot ----------------------------------------------------------------------


@dataclass
class _Snapshot:
    """What the database snapshot holds that the manifest repeats, and its evidence rows."""

    database: dict[str, Any]
    log_size: int
    latest_head: dict[str, Any] | None
    evidence: Callable[[], Iterator[tuple[str, int, str]]]  # (sha256, size, storage key)


def _snapshot_queries(q: Callable[[str], str]) -> dict[str, str]:
    entries, heads = q(Entry._meta.db_table), q(SignedHead._meta.db_table)
    files = q(EvidenceFile._meta.db_table)
    return {
        "size": f"SELECT max({q('seq')}) FROM {entries}",  # noqa: S608 - model names
        "head": (
            f"SELECT {q('size')}, {q('root_hash')}, {q('signed_at')} FROM {heads} "  # noqa: S608
            f"ORDER BY {q('size')} DESC LIMIT 1"
        ),
        "evidence": (
            f"SELECT {q('sha256')}, {q('size')}, {q('storage_key')} FROM {files} "  # noqa: S608
            f"ORDER BY {q('id')}"
        ),
    }


def _facts(cursor: Any, queries: dict[str, str]) -> tuple[int, dict[str, Any] | None]:
    cursor.execute(queries["size"])
    (last,) = cursor.fetchone()
    cursor.execute(queries["head"])
    row = cursor.fetchone()
    head = None
    if row is not None:
        signed_at = row[2] if isinstance(row[2], str) else row[2].isoformat()
        head = {"size": int(row[0]), "root_hash": bytes(row[1]).hex(), "signed_at": signed_at}
    return (0 if last is None else int(last) + 1), head


def _sqlite_snapshot(dest: Path) -> _Snapshot:
    """Copy the live database into ``dest/database.sqlite3`` with the online backup API."""
    target = dest / DATABASE_SQLITE
    source = _sqlite_source()
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # pages=-1: every page in one step, one read transaction
        finally:
            copy.close()
    finally:
        source.close()
    copy = sqlite3.connect(target)
    try:
        # One self-contained file (the live database runs in WAL mode; restore turns it back).
        copy.execute("PRAGMA journal_mode=DELETE")
        check = [str(row[0]) for row in copy.execute("PRAGMA quick_check").fetchmany(6)]
        q = connection.ops.quote_name
        size, head = _facts(copy.cursor(), _snapshot_queries(q))
    finally:
        copy.close()
    target.chmod(0o600)

    def evidence() -> Iterator[tuple[str, int, str]]:
        reader = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            cursor = reader.execute(_snapshot_queries(q)["evidence"])
            while rows := cursor.fetchmany(1000):
                for sha, n, key in rows:
                    yield str(sha), int(n), str(key)
        finally:
            reader.close()

    database = {
        "engine": "sqlite",
        "file": DATABASE_SQLITE,
        "sqlite_version": sqlite3.sqlite_version,
        "integrity": "ok" if check == ["ok"] else "；".join(check[:5]),
    }
    return _Snapshot(database, size, head, evidence)


def pg_environment() -> dict[str, str]:
    """The libpq environment that reaches the configured database (no password on the command
    line, where other users could read it)."""
    s = connection.settings_dict
    env = dict(os.environ)
    for key, value in (
        ("PGDATABASE", s.get("NAME")),
        ("PGUSER", s.get("USER")),
        ("PGPASSWORD", s.get("PASSWORD")),
        ("PGHOST", s.get("HOST")),
        ("PGPORT", s.get("PORT")),
    ):
        if value:
            env[key] = str(value)
    options = s.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _tool_major(path: str) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603 - a PostgreSQL program found on this machine
            [path, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def pg_tool(name: str, server_major: int) -> tuple[str, int]:
    """The newest ``pg_dump``/``pg_restore`` on this machine (PATH, then the versioned folders
    of the distribution packages) and its major version; ``BackupError`` when there is none or
    it is older than the server (an older pg_dump refuses a newer server)."""
    candidates = [found] if (found := shutil.which(name)) else []
    for pattern in PG_BIN_GLOBS:
        candidates += sorted(glob(f"{pattern}/{name}"))
    versions = [(major, path) for path in candidates if (major := _tool_major(path)) is not None]
    if not versions:
        raise BackupError(
            _(
                "找不到%(tool)s：安装PostgreSQL %(major)d的客户端程序"
                "（Debian/Ubuntu：apt-get install postgresql-client-%(major)d）"
            )
            % {"tool": name, "major": server_major}
        )
    major, path = max(versions)
    if major < server_major:
        raise BackupError(
            _(
                "%(tool)s的版本（%(tool_major)d）低于数据库服务器（%(major)d）：安装PostgreSQL "
                "%(major)d的客户端程序（apt-get install postgresql-client-%(major)d）"
            )
            % {"tool": path, "tool_major": major, "major": server_major}
        )
    return path, major


def _run_pg(args: list[str], what: str) -> None:
    run = subprocess.run(  # noqa: S603 - the PostgreSQL client, arguments built here
        args, env=pg_environment(), capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        lines = [line for line in run.stderr.strip().splitlines() if line.strip()]
        detail = " ".join(lines[-1].split()) if lines else f"exit {run.returncode}"
        raise BackupError(_("%(what)s失败：%(error)s") % {"what": what, "error": detail})


def _postgresql_snapshot(dest: Path) -> _Snapshot:
    """``pg_dump -Fc`` of a snapshot exported by our own REPEATABLE READ transaction, whose
    evidence rows and log facts are read in that same transaction."""
    import psycopg  # only where PostgreSQL is in use

    target = dest / DATABASE_POSTGRESQL
    list_file = dest / ".evidence-rows"
    # A connection of our own (not Django's), whose transaction nothing else shares.
    raw: Any = psycopg.connect(**connection.get_connection_params())
    try:
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        server = int(raw.info.server_version)
        tool, tool_major = pg_tool("pg_dump", server // 10000)
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            _run_pg([tool, "-Fc", f"--snapshot={snapshot}", "-f", str(target)], "pg_dump")
            size, head = _facts(cursor, _snapshot_queries(connection.ops.quote_name))
        # The rows go to a file, so the snapshot is not held open while evidence is copied.
        with (
            raw.cursor(name="zhifa_backup_evidence") as rows,
            list_file.open("w", encoding="utf-8") as out,
        ):
            rows.execute(_snapshot_queries(connection.ops.quote_name)["evidence"])
            while batch := rows.fetchmany(1000):
                for sha, n, key in batch:
                    out.write(json.dumps([sha, n, key]) + "\n")
        raw.rollback()
    finally:
        raw.close()
    target.chmod(0o600)

    def evidence() -> Iterator[tuple[str, int, str]]:
        try:
            with list_file.open(encoding="utf-8") as lines:
                for line in lines:
                    sha, n, key = json.loads(line)
                    yield str(sha), int(n), str(key)
        finally:
            list_file.unlink(missing_ok=True)

    major, minor = server // 10000, server % 10000
    database = {
        "engine": "postgresql",
        "file": DATABASE_POSTGRESQL,
        "server_version": f"{major}.{minor}",
        "pg_dump_major": tool_major,
    }
    return _Snapshot(database, size, head, evidence)


# -- backup ------------------------------------------------------------------------------------


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(
            _("%(folder)s中没有%(manifest)s：这不是zhifa备份目录，或那次备份没有完成")
            % {"folder": folder, "manifest": MANIFEST}
        ) from exc
    except (OSError, ValueError) as exc:
        raise BackupError(
            _("无法读取%(path)s（%(error)s）：备份已损坏") % {"path": path, "error": exc}
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            _("%(path)s不是本版本能读的备份清单（应为格式%(format)s）")
            % {"path": path, "format": FORMAT}
        )
    if not isinstance(manifest.get("files"), dict):
        raise BackupError(_("%(path)s中没有文件清单：备份已损坏") % {"path": path})
    return manifest


def _key_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def backup_write(
    dest: Path, *, link_dest: Path | None = None, now: datetime | None = None
) -> BackupResult:
    """Write a backup of the configured data folder and database into the new folder ``dest``.

    Refuses (``BackupError``, nothing written) a ``dest`` that exists and is not empty, a
    ``link_dest`` without a readable manifest, a database that is missing, unreachable or not
    migrated, and missing or too old PostgreSQL client programs. On any failure after ``dest``
    was created, ``dest`` is removed again. Evidence missing from the store, or whose bytes no
    longer match their hash, and a SQLite snapshot that fails SQLite's integrity check, do not
    stop the backup: the files are copied as they are and each problem is listed in the
    manifest and the result (``zhifa verify`` on the live data says more).
    """
    started = time.perf_counter()
    dest = Path(dest).absolute()
    previous = _read_manifest(Path(link_dest)) if link_dest is not None else None
    _check_source_database()
    key_path = Path(settings.SIGNING_KEY_PATH)
    key_before = _key_bytes(key_path)
    created = not dest.exists()
    _new_folder(dest)
    try:
        result = _write(dest, key_path, key_before, link_dest, previous)
    except BaseException:
        if created:
            shutil.rmtree(dest, ignore_errors=True)
        else:
            for child in dest.iterdir():  # it was empty: leave it so
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        raise
    result.seconds = time.perf_counter() - started
    result.manifest = {
        "format": FORMAT,
        "zhifa_version": zhifa_version(),
        "created_at": (now or timezone.now()).isoformat(),
        "seconds": round(result.seconds, 3),
        **result.manifest,
    }
    manifest_tmp = dest / f".{MANIFEST}.tmp"
    manifest_tmp.write_text(
        json.dumps(result.manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    os.sync()  # every file of the backup on disk before the manifest says it is complete
    os.replace(manifest_tmp, dest / MANIFEST)
    with contextlib.suppress(OSError):
        fd = os.open(dest, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return result


def _write(
    dest: Path,
    key_path: Path,
    key_before: bytes | None,
    link_dest: Path | None,
    previous: dict[str, Any] | None,
) -> BackupResult:
    files: dict[str, dict[str, Any]] = {}
    problems: list[dict[str, str]] = []
    snapshot = (
        _sqlite_snapshot(dest) if connection.vendor == "sqlite" else _postgresql_snapshot(dest)
    )
    result = BackupResult(dest=dest, manifest={})
    database_file = dest / snapshot.database["file"]
    sha, size = file_digest(database_file)
    files[snapshot.database["file"]] = {"size": size, "sha256": sha}
    result.database_bytes = size
    if snapshot.database.get("integrity", "ok") != "ok":
        problems.append(
            {
                "kind": "database_corrupt",
                "message": _("数据库快照未通过SQLite完整性检查：%(report)s")
                % {"report": snapshot.database["integrity"]},
            }
        )

    backend = evidence_backend()
    if backend == "local":
        evidence = _copy_evidence(dest, snapshot, files, problems, result, link_dest, previous)
    else:
        evidence = _list_objects(dest, snapshot, files, result)

    keys: dict[str, Any] = {}
    if key_before is None:
        keys["signing_key"] = None
        if snapshot.latest_head is not None:
            problems.append(
                {
                    "kind": "signing_key_missing",
                    "message": _("签名密钥文件%(path)s不存在，但日志已有签名树头")
                    % {"path": key_path},
                }
            )
    else:
        if _key_bytes(key_path) != key_before:
            raise BackupError(_("备份期间签名密钥被更换（轮换）：重新运行 zhifa backup"))
        (dest / SIGNING_KEY).write_bytes(key_before)
        (dest / SIGNING_KEY).chmod(0o600)
        sha, size = file_digest(dest / SIGNING_KEY)
        files[SIGNING_KEY] = {"size": size, "sha256": sha}
        keys["signing_key"] = SIGNING_KEY
        try:
            keys["public_key"] = Signer.from_key(key_before.decode("ascii").strip()).verifier.key
        except (CheckpointError, UnicodeDecodeError):
            problems.append(
                {
                    "kind": "signing_key_invalid",
                    "message": _("签名密钥文件%(path)s无法解析") % {"path": key_path},
                }
            )
    secret = _key_bytes(secret_key_path())
    if secret is None:
        keys["secret_key"] = None
        keys["secret_key_note"] = _(
            "数据目录中没有secret-key文件（密钥由环境变量ZHIFA_SECRET_KEY提供，须另行保管）"
        )
    else:
        (dest / SECRET_KEY_FILE).write_bytes(secret)
        (dest / SECRET_KEY_FILE).chmod(0o600)
        sha, size = file_digest(dest / SECRET_KEY_FILE)
        files[SECRET_KEY_FILE] = {"size": size, "sha256": sha}
        keys["secret_key"] = SECRET_KEY_FILE

    result.problems = problems
    result.total_bytes = sum(int(item["size"]) for item in files.values())
    result.manifest = {
        "database": snapshot.database,
        "log": {"size": snapshot.log_size, "latest_head": snapshot.latest_head},
        "evidence": evidence,
        "keys": keys,
        "problems": problems,
        "files": dict(sorted(files.items())),
    }
    return result


def _copy_evidence(
    dest: Path,
    snapshot: _Snapshot,
    files: dict[str, dict[str, Any]],
    problems: list[dict[str, str]],
    result: BackupResult,
    link_dest: Path | None,
    previous: dict[str, Any] | None,
) -> dict[str, Any]:
    """Copy (or link from ``link_dest``) every evidence file the snapshot references."""
    root = Path(settings.EVIDENCE_DIR)
    before = previous["files"] if previous is not None else {}
    for sha, size, key in snapshot.evidence():
        name = f"{EVIDENCE}/{key}"
        target = dest / name
        try:
            if key != evidence_key(sha):
                raise ValueError(key)
        except ValueError:
            problems.append(
                {
                    "kind": "evidence_key",
                    "message": _("证据文件%(sha)s的存储位置%(key)s不是其哈希：未备份")
                    % {"sha": sha, "key": key},
                }
            )
            continue
        earlier = before.get(name)
        if link_dest is not None and earlier == {"size": size, "sha256": sha}:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(link_dest / name, target)
            except OSError:
                pass  # not there any more, or another file system: copy it instead
            else:
                files[name] = {"size": size, "sha256": sha}
                result.linked += 1
                result.evidence_files += 1
                result.evidence_bytes += size
                continue
        try:
            got_sha, got_size = _copy_hashed(root / key, target, 0o444)
        except FileNotFoundError:
            problems.append(
                {
                    "kind": "evidence_missing",
                    "message": _("证据文件%(sha)s在证据库中缺失：未备份") % {"sha": sha},
                }
            )
            continue
        if (got_sha, got_size) != (sha, size):
            problems.append(
                {
                    "kind": "evidence_altered",
                    "message": _("证据文件%(sha)s的内容与其哈希不符：按现状备份") % {"sha": sha},
                }
            )
        files[name] = {"size": got_size, "sha256": got_sha}
        result.evidence_files += 1
        result.evidence_bytes += got_size
    return {
        "backend": "local",
        "files": result.evidence_files,
        "bytes": result.evidence_bytes,
        "linked": result.linked,
    }


def _list_objects(
    dest: Path, snapshot: _Snapshot, files: dict[str, dict[str, Any]], result: BackupResult
) -> dict[str, Any]:
    """S3: list the objects the snapshot references (the bucket is backed up by itself)."""
    from .evidence import s3_storage_from_settings

    storage = s3_storage_from_settings()
    path = dest / EVIDENCE_OBJECTS
    with path.open("w", encoding="utf-8") as out:
        for sha, size, key in snapshot.evidence():
            record = {"key": storage.object_key(key), "sha256": sha, "size": size}
            out.write(json.dumps(record, sort_keys=True) + "\n")
            result.evidence_files += 1
            result.evidence_bytes += size
    sha, size = file_digest(path)
    files[EVIDENCE_OBJECTS] = {"size": size, "sha256": sha}
    return {
        "backend": "s3",
        "bucket": storage.bucket,
        "prefix": storage.prefix,
        "objects": result.evidence_files,
        "bytes": result.evidence_bytes,
        "list": EVIDENCE_OBJECTS,
        "note": _(
            "证据文件保存在对象存储桶中，本备份不复制桶内文件，只列出数据库快照引用的全部对象"
            "（evidence-objects.jsonl）：桶自身的版本控制与跨区域复制即其备份，须另行开启"
        ),
    }


# -- restore -----------------------------------------------------------------------------------


def _backup_files(src: Path) -> Iterator[str]:
    """Every file under ``src`` but the manifest, as a POSIX path relative to ``src``."""
    for folder, dirs, names in os.walk(src):
        dirs.sort()
        for name in sorted(names):
            relative = Path(folder, name).relative_to(src).as_posix()
            if relative != MANIFEST:
                yield relative


def backup_check(src: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is in ``src`` with its size and SHA-256, and no other file
    is; ``BackupError`` naming the first that is not (and how many are not)."""
    listed: dict[str, dict[str, Any]] = manifest["files"]
    present = set(_backup_files(src))
    missing = sorted(set(listed) - present)
    extra = sorted(present - set(listed))
    if missing:
        raise BackupError(
            _("备份中缺少清单所列的文件%(path)s（共缺%(n)d个）：备份不完整，不能恢复")
            % {"path": missing[0], "n": len(missing)}
        )
    if extra:
        raise BackupError(
            _("备份中有清单之外的文件%(path)s（共%(n)d个）：备份被改动过，不能恢复")
            % {"path": extra[0], "n": len(extra)}
        )
    # Sizes first (cheap, from the directory), then the hashes.
    wrong = [name for name, item in listed.items() if (src / name).stat().st_size != item["size"]]
    what = _("大小")
    if not wrong:
        what = "SHA-256"
        wrong = [
            name for name, item in listed.items() if file_digest(src / name)[0] != item["sha256"]
        ]
    if wrong:
        raise BackupError(
            _(
                "备份文件%(path)s的%(what)s与清单不符（共%(n)d个文件不符）："
                "备份已损坏或被改动，不能恢复"
            )
            % {"path": sorted(wrong)[0], "what": what, "n": len(wrong)}
        )


def _startup_leftovers() -> set[str]:
    """What starting any zhifa command leaves in a data folder: the generated secret key (the
    backup's replaces it) and the static files folder (derived from the code)."""
    return {secret_key_path().name, Path(settings.STATIC_ROOT).name}


def _sqlite_has_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (n,) = db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return True  # not an empty database: something else, keep away
    return bool(n)


def _check_target(manifest: dict[str, Any]) -> None:
    """The data folder is empty (but for what starting zhifa leaves), and so is the database;
    ``BackupError`` otherwise."""
    engine = manifest["database"].get("engine")
    if engine != connection.vendor:
        raise BackupError(
            _("这份备份来自%(backup)s数据库，当前配置的是%(current)s：用同一种数据库恢复")
            % {"backup": engine, "current": connection.vendor}
        )
    backend = manifest.get("evidence", {}).get("backend")
    if backend != evidence_backend():
        raise BackupError(
            _(
                "这份备份的证据存储方式是%(backup)s，当前配置的是%(current)s："
                "按备份时的方式配置 ZHIFA_EVIDENCE_BACKEND"
            )
            % {"backup": backend, "current": evidence_backend()}
        )
    data_dir = Path(settings.DATA_DIR)
    allowed = _startup_leftovers()
    db_path = _sqlite_path() if engine == "sqlite" else None
    if db_path is not None and _sqlite_has_tables(db_path):
        raise BackupError(
            _("数据库文件%(path)s已有数据：恢复只写入空的数据目录——换一个新的 ZHIFA_DATA_DIR")
            % {"path": db_path}
        )
    if db_path is not None and db_path.parent == data_dir:
        allowed |= {db_path.name, f"{db_path.name}-wal", f"{db_path.name}-shm"}
    if data_dir.is_dir():
        found = sorted(
            p.name for p in data_dir.iterdir() if p.name not in allowed and not _is_aside(p.name)
        )
        if found:
            raise BackupError(
                _(
                    "数据目录%(dir)s不是空的（有%(names)s）：恢复只写入空目录——"
                    "换一个新的 ZHIFA_DATA_DIR，或先把现有内容移走"
                )
                % {"dir": data_dir, "names": "、".join(found[:5])}
            )
    for path in (Path(settings.EVIDENCE_DIR), Path(settings.SIGNING_KEY_PATH)):
        if path.exists() and not (path.is_dir() and not any(path.iterdir())):
            raise BackupError(_("%(path)s已存在：恢复只写入空的数据目录") % {"path": path})
    if engine == "postgresql":
        tables = _connected_tables()
        if tables:
            raise BackupError(
                _(
                    "目标数据库%(name)s中已有%(n)d张数据表：恢复只写入没有数据表的数据库"
                    "（用 createdb 新建一个，DATABASE_URL 指向它）"
                )
                % {"name": connection.settings_dict.get("NAME"), "n": len(tables)}
            )


def _is_aside(name: str) -> bool:
    """A secret key being created by a process starting right now (``.secret-key.<pid>``)."""
    return name.startswith(f".{secret_key_path().name}.")


def backup_restore(src: Path) -> RestoreResult:
    """Restore the backup in ``src`` into the configured (empty) data folder and database.

    Checks first, writing nothing when any fails (``BackupError``): the manifest, every file
    against it (size, SHA-256, none missing, none extra), that the backup's database engine and
    evidence backend are the configured ones, and that the data folder holds nothing but what
    starting zhifa leaves there and the database has no tables. Then the files are staged in
    the data folder, the database restored (PostgreSQL: ``pg_restore --single-transaction``,
    so a failure leaves it empty) and the staged files moved into place.
    """
    started = time.perf_counter()
    src = Path(src).absolute()
    if not src.is_dir():
        raise BackupError(_("备份目录%(src)s不存在") % {"src": src})
    manifest = _read_manifest(src)
    _check_target(manifest)
    backup_check(src, manifest)
    tool = None
    if manifest["database"]["engine"] == "postgresql":
        import psycopg  # noqa: F401 - fail here, before writing, if the driver is missing

        server = int(connection.pg_version)  # type: ignore[attr-defined]
        tool, tool_major = pg_tool("pg_restore", server // 10000)
        dumped = int(manifest["database"].get("pg_dump_major") or 0)
        if tool_major < dumped:
            raise BackupError(
                _(
                    "pg_restore的版本（%(tool)d）低于写这份备份的pg_dump（%(dumped)d）："
                    "安装 postgresql-client-%(dumped)d"
                )
                % {"tool": tool_major, "dumped": dumped}
            )

    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # personal data and the keys
    staging = data_dir / f".restoring-{os.getpid()}"
    result = RestoreResult(manifest=manifest, data_dir=data_dir, database=connection.vendor)
    try:
        staging.mkdir(mode=0o700)
        moves = _stage(src, staging, manifest, result)
        if tool is not None:
            _run_pg(
                [
                    tool,
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    "-d",
                    str(connection.settings_dict["NAME"]),
                    str(src / DATABASE_POSTGRESQL),
                ],
                "pg_restore",
            )
        for staged, final in moves:
            _move_into_place(staged, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


def _stage(
    src: Path, staging: Path, manifest: dict[str, Any], result: RestoreResult
) -> list[tuple[Path, Path]]:
    """Copy the backup's files into ``staging``: ``(staged, final)`` pairs to move."""
    moves: list[tuple[Path, Path]] = []
    listed: dict[str, dict[str, Any]] = manifest["files"]
    evidence = [name for name in listed if name.startswith(f"{EVIDENCE}/")]
    if evidence:
        for name in evidence:
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src / name, target)
            target.chmod(0o444)
            result.evidence_files += 1
            result.evidence_bytes += int(listed[name]["size"])
        moves.append((staging / EVIDENCE, Path(settings.EVIDENCE_DIR)))
    for name, final in (
        (SIGNING_KEY, Path(settings.SIGNING_KEY_PATH)),
        (SECRET_KEY_FILE, secret_key_path()),
    ):
        if name in listed:
            shutil.copyfile(src / name, staging / name)
            (staging / name).chmod(0o600)
            moves.append((staging / name, final))
    if manifest["database"]["engine"] == "sqlite":
        shutil.copyfile(src / DATABASE_SQLITE, staging / DATABASE_SQLITE)
        (staging / DATABASE_SQLITE).chmod(0o600)
        moves.append((staging / DATABASE_SQLITE, _sqlite_path()))
    return moves


def _move_into_place(staged: Path, final: Path) -> None:
    """Move a staged file or folder to ``final``, replacing only what ``_check_target`` let
    through: an empty folder, the generated secret key, an empty SQLite database (with its
    WAL files)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.is_dir() and not final.is_symlink():
        final.rmdir()
    if staged.name == DATABASE_SQLITE:
        for leftover in (Path(f"{final}-wal"), Path(f"{final}-shm")):
            leftover.unlink(missing_ok=True)
    shutil.move(staged, final)
