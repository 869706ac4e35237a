"""The demo city for the tests: loaded once per test session, then copied into the test database
for each module that reads it (the ``demo_snapshot`` fixture of ``zhifa/conftest.py``).

Loading ``zhifa demo --cases sample`` takes half a minute; ten modules read it. The first asks
for the load; the database's contents are then saved (SQLite: its backup API into a database in
memory; PostgreSQL: a copy of every table in a schema of its own) and put back in place whenever a
module asks, and the empty database after the module. The copy is made in place, in the same
database, so open connections (a live server's) stay valid.

The demo is loaded as ``make run`` loads it: on the evening of its reference day, with the
three-day 补录 window of production.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from zhifa.registry.demo import REFERENCE_DAY

LOADED_AT = datetime(
    REFERENCE_DAY.year, REFERENCE_DAY.month, REFERENCE_DAY.day, 20, tzinfo=ZoneInfo("Asia/Shanghai")
)
KEPT = frozenset({"django_migrations"})  # the same in every copy


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


class _Saved:
    """One saved state of the test database."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._copy: sqlite3.Connection | None = None
        self._tables: list[str] = []
        self.save()

    # -- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self._copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self._copy)
        else:
            self._save_postgresql()

    def _schema(self) -> str:
        return f"zhifa_test_{self.label}"

    def _save_postgresql(self) -> None:
        schema = _quote(self._schema())
        with transaction.atomic(), connection.cursor() as cursor:
            self._tables = sorted(
                t for t in connection.introspection.table_names(cursor) if t not in KEPT
            )
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
            for table in self._tables:
                cursor.execute(f"CREATE TABLE {schema}.{_quote(table)} AS TABLE {_quote(table)}")

    # -- restoring ------------------------------------------------------------------------

    def restore(self) -> None:
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            assert self._copy is not None
            self._copy.backup(connection.connection)
        else:
            self._restore_postgresql()
        for cache in caches.all(initialized_only=True):
            cache.clear()

    def _restore_postgresql(self) -> None:
        schema = _quote(self._schema())
        with transaction.atomic(), connection.cursor() as cursor:
            tables = [t for t in connection.introspection.table_names(cursor) if t not in KEPT]
            assert sorted(tables) == self._tables, "the tables changed since the database was saved"
            # The saved copy is whole: no trigger (the search terms' follow-up of a TRUNCATE,
            # the foreign keys' checks) has anything to add.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(f"TRUNCATE {', '.join(_quote(t) for t in tables)}")
            for table in tables:
                source = f"{schema}.{_quote(table)}"  # from the catalogue, quoted: no user input
                cursor.execute(f"INSERT INTO {_quote(table)} SELECT * FROM {source}")  # noqa: S608
            for table in tables:
                for sequence in connection.introspection.get_sequences(cursor, table):
                    column = _quote(sequence["column"])
                    value = f"COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL"
                    sql = f"SELECT setval(pg_get_serial_sequence(%s, %s), {value}) FROM "  # noqa: S608
                    sql += _quote(table)
                    cursor.execute(sql, [_quote(table), sequence["column"]])


class DemoSnapshot:
    """The demo city, loaded once; :meth:`loaded` puts it in the test database for a while."""

    def __init__(self) -> None:
        self._empty: _Saved | None = None
        self._demo: _Saved | None = None
        self.output = ""

    def _load(self) -> None:
        self._empty = _Saved("empty")
        out = StringIO()
        with time_machine.travel(LOADED_AT, tick=True), override_settings(ZHIFA_LATE_ENTRY_DAYS=3):
            call_command("demo", "--cases", "sample", stdout=out)
        self.output = out.getvalue()
        self._demo = _Saved("demo")
        self._empty.restore()

    @contextmanager
    def loaded(self) -> Iterator[str]:
        """The demo city in the test database (committed), then the empty database again.

        Yields what ``zhifa demo`` printed. Open no transaction around this: the copy is
        made in transactions of its own."""
        assert not connection.in_atomic_block, "restore the demo outside any transaction"
        if self._demo is None:
            self._load()
        assert self._demo is not None and self._empty is not None
        self._demo.restore()
        try:
            yield self.output
        finally:
            self._empty.restore()


def demo_loaded(snapshot: DemoSnapshot, django_db_blocker: Any) -> Any:
    """For a module's fixture: ``with demo_loaded(demo_snapshot, django_db_blocker) as out:``."""

    @contextmanager
    def inner() -> Iterator[str]:
        with django_db_blocker.unblock(), snapshot.loaded() as output:
            yield output

    return inner()
