"""SQLite: keep entries and tree nodes in the order verification reads them (nothing on
PostgreSQL).

Django declares ``seq bigint PRIMARY KEY`` and a composite key for the nodes, which SQLite keeps
as a table plus a separate index: every row read by key range is an index step and then a
lookup in the table. Rebuilt with ``seq integer PRIMARY KEY`` (an alias of SQLite's row id, so
the table itself is ordered by ``seq``) and the nodes ``WITHOUT ROWID`` (stored in their key's
b-tree, hash included), a range of entries or of one level's nodes is one sequential read:
verification reads the log about twice as fast, and an append writes one b-tree less.

A later migration that makes Django rebuild either table would lose this (silently: it is
speed only) and should repeat it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

REBUILDS = {
    "record_entry": ('"seq" bigint NOT NULL PRIMARY KEY', '"seq" integer NOT NULL PRIMARY KEY', ""),
    "record_treenode": ("", "", " WITHOUT ROWID"),
}


def rebuild(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, (old, new, suffix) in REBUILDS.items():
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table]
            )
            (create,) = cursor.fetchone()
            if suffix and create.rstrip().endswith(suffix.strip()):
                continue
            if old and old not in create:
                continue
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
            indexes = [row[0] for row in cursor.fetchall()]
            temporary = f"{table}__rebuilt"
            created = create.replace(f'"{table}"', f'"{temporary}"', 1)
            if old:
                created = created.replace(old, new)
            schema_editor.execute(created + suffix)
            schema_editor.execute(f'INSERT INTO "{temporary}" SELECT * FROM "{table}"')  # noqa: S608
            schema_editor.execute(f'DROP TABLE "{table}"')
            schema_editor.execute(f'ALTER TABLE "{temporary}" RENAME TO "{table}"')
            for index in indexes:
                schema_editor.execute(index)


class Migration(migrations.Migration):
    dependencies = [("record", "0002_entry_leaf")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=False)]
