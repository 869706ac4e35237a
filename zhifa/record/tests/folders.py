"""Real data folders for the backup and database-check tests.

The suite's SQLite database lives in memory, shared by the connections of one process, where
a reader and a writer lock each other out at once: nothing like the WAL file a server runs on.
``sqlite_on_file`` points the default connection of every thread at a file copy of it for the
length of a test, so backups are taken from a real file while other threads write. PostgreSQL
tests use the suite's own database as it is.

``zhifa(...)`` runs the ``zhifa`` command in a subprocess against a data folder (and a
PostgreSQL database), as an administrator would; ``empty_database`` makes a database with no
tables on the suite's PostgreSQL server.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


@contextmanager
def sqlite_on_file(path: Path) -> Iterator[None]:
    """Within the block, every new connection of the default alias opens ``path``: a copy of
    the (migrated, in-memory) test database in WAL mode, as ``zhifa migrate`` leaves one."""
    settings_dict = connection.settings_dict
    memory = str(settings_dict["NAME"])
    # The in-memory database lives as long as one connection to it does: keep one open while
    # Django's own are closed.
    keep = sqlite3.connect(memory, uri=True)
    try:
        copy = sqlite3.connect(path)
        keep.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
        copy.close()
        connection.close()  # in memory: Django keeps the handle; the next close really closes
        settings_dict["NAME"] = str(path)
        connection.close()
        try:
            yield
        finally:
            connection.close()
            settings_dict["NAME"] = memory
            connection.ensure_connection()
    finally:
        keep.close()


def zhifa(
    data_dir: Path, *args: str, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``zhifa ARGS`` in a new process with ``ZHIFA_DATA_DIR=data_dir`` (and
    ``DATABASE_URL``, for PostgreSQL; SQLite without it)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ZHIFA_DATA_DIR": str(data_dir),
    }
    env.pop("DATABASE_URL", None)
    env.pop("ZHIFA_TRACEBACK", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "zhifa.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def database_url(name: str) -> str:
    """The URL of database ``name`` on the suite's PostgreSQL server."""
    s = connection.settings_dict
    user = quote(str(s.get("USER") or ""), safe="")
    password = quote(str(s.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}{s.get('HOST') or 'localhost'}{port}/{name}"


@contextmanager
def empty_database() -> Iterator[str]:
    """A new database without tables on the suite's PostgreSQL server; its URL. Dropped after
    (needs autocommit: use it in ``transaction=True`` tests)."""
    name = f"zhifa_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
