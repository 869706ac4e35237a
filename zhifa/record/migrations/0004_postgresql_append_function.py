"""PostgreSQL: append an entry in one server-side call; the log's size and frontier come from
the entry and node tables, and the single state row goes (nothing on SQLite).

``record_append_entry`` takes the log's transaction-scoped advisory lock, numbers the entry
``max(seq) + 1`` (a fresh snapshot per statement under READ COMMITTED, so it sees the previous
lock holder's commit), completes its leaf from the prefix the client sends (``prefix ‖ seq ‖
}``), hashes the leaf and every node it completes with the server's ``sha256``, inserts the
entry and those nodes, and says whether a signed head is due (from the latest ``SignedHead``).
No row is updated, so appends leave no dead row versions behind, and the lock is held only
from this call to the caller's commit. The head itself is signed by the client (the key is on
its disk), under the same lock.

The state row is removed because nothing on PostgreSQL keeps it current any more; going back
rebuilds it from the tables.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# pg_advisory_xact_lock key of the record log (b"zhifarec" read as a big-endian int64):
# services.PG_LOG_LOCK repeats it.
LOCK_KEY = 8820415758647584099

APPEND_FUNCTION = f"""
CREATE OR REPLACE FUNCTION record_append_entry(
    leaf_prefix bytea,
    new_case_id bigint,
    new_action varchar,
    new_corrects_seq bigint,
    appended_at timestamptz,
    head_every_entries bigint,
    head_every_seconds integer,
    OUT entry_seq bigint,
    OUT head_due boolean
) LANGUAGE plpgsql VOLATILE AS $body$
DECLARE
    n bigint;
    leaf_bytes bytea;
    h bytea;
    m bigint;
    height smallint := 0;
    sibling bytea;
    node_levels smallint[];
    node_indexes bigint[];
    node_hashes bytea[];
    last_size bigint;
    last_at timestamptz;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'record_append_entry needs READ COMMITTED, not %',
            current_setting('transaction_isolation');
    END IF;
    PERFORM pg_advisory_xact_lock({LOCK_KEY});
    SELECT coalesce(max(e.seq) + 1, 0) INTO n FROM record_entry AS e;
    entry_seq := n;
    head_due := false;
    IF new_corrects_seq IS NOT NULL AND NOT (0 <= new_corrects_seq AND new_corrects_seq < n) THEN
        entry_seq := NULL;  -- nothing written: the client raises
        RETURN;
    END IF;
    leaf_bytes := leaf_prefix || convert_to(n::text || '}}', 'UTF8');
    INSERT INTO record_entry (seq, leaf, case_id, action)
        VALUES (n, leaf_bytes, new_case_id, new_action);
    h := sha256('\\x00'::bytea || leaf_bytes);
    node_levels := ARRAY[0::smallint];
    node_indexes := ARRAY[n];
    node_hashes := ARRAY[h];
    -- Each trailing 1 bit of n is a perfect subtree waiting for its right sibling: the new leaf,
    -- merged upwards (merkle.Frontier.append).
    m := n;
    WHILE (m & 1) = 1 LOOP
        SELECT t.hash INTO sibling FROM record_treenode AS t
            WHERE t.level = height AND t."index" = m - 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'record log: tree node (%, %) is missing', height, m - 1;
        END IF;
        h := sha256('\\x01'::bytea || sibling || h);
        height := height + 1;
        m := m >> 1;
        node_levels := node_levels || height;
        node_indexes := node_indexes || m;
        node_hashes := node_hashes || h;
    END LOOP;
    INSERT INTO record_treenode (level, "index", hash)
        SELECT * FROM unnest(node_levels, node_indexes, node_hashes);
    SELECT s.size, s.signed_at INTO last_size, last_at FROM record_signedhead AS s
        ORDER BY s.size DESC LIMIT 1;
    head_due := last_size IS NULL
        OR n + 1 - last_size >= head_every_entries
        OR appended_at - last_at >= make_interval(secs => head_every_seconds);
END
$body$;
"""  # noqa: S608 - a constant, no values

DROP_FUNCTION = (
    "DROP FUNCTION IF EXISTS record_append_entry(bytea, bigint, varchar, bigint, timestamptz, "
    "bigint, integer)"
)


class PostgreSQLOnly(migrations.RunSQL):
    """``RunSQL`` that does nothing on other databases."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def drop_state_row(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    state = apps.get_model("record", "LogState")
    state.objects.using(schema_editor.connection.alias).all().delete()


def rebuild_state_row(apps: Any, schema_editor: Any) -> None:
    """The state row as the earlier code kept it, from the entry, node and head tables."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.db.models import Max

    from zhifa.record import merkle

    alias = schema_editor.connection.alias
    entries = apps.get_model("record", "Entry").objects.using(alias)
    nodes = apps.get_model("record", "TreeNode").objects.using(alias)
    heads = apps.get_model("record", "SignedHead").objects.using(alias)
    last = entries.aggregate(last=Max("seq"))["last"]
    size = 0 if last is None else last + 1
    stored = {
        (level, index): bytes(nodes.get(level=level, index=index).hash)
        for level, index in merkle.perfect_subtrees(0, size)
    }
    frontier = merkle.Frontier.from_nodes(size, lambda level, index: stored[level, index])
    head = heads.order_by("-size").first()
    apps.get_model("record", "LogState").objects.using(alias).update_or_create(
        id=1,
        defaults={
            "size": size,
            "frontier": frontier.to_bytes(),
            "head_size": None if head is None else head.size,
            "head_at": None if head is None else head.signed_at,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("record", "0003_sqlite_clustered_tables")]

    operations = [
        PostgreSQLOnly(APPEND_FUNCTION, DROP_FUNCTION, elidable=False),
        migrations.RunPython(drop_state_row, rebuild_state_row, elidable=False),
    ]
