"""Store each entry once, as its exact leaf bytes.

The entry's fields move into ``leaf`` (the canonical JSON its leaf hash covers, built from the
old columns with ``canonical.entry_leaf_bytes`` — the bytes the old verifier hashed); ``case_id``
and ``action`` stay as columns for lookups; the other columns and the stored leaf hash (the
duplicate of the tree's level-0 node) are dropped. An entry whose columns had been edited keeps
the edit in its leaf, whose hash then differs from the tree: ``zhifa verify`` still names it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

BATCH = 2000


def entries_to_leaves(apps: Any, schema_editor: Any) -> None:
    from zhifa.record.canonical import canonical_datetime, entry_leaf_bytes

    entry_model = apps.get_model("record", "Entry")
    objects = entry_model.objects.using(schema_editor.connection.alias)
    rows = objects.order_by("seq")
    batch: list[Any] = []
    for entry in rows.iterator(chunk_size=BATCH):
        entry.leaf = entry_leaf_bytes(
            seq=entry.seq,
            recorded_at=canonical_datetime(entry.recorded_at),
            actor_id=entry.actor_id,
            actor_name=entry.actor_name,
            role=entry.role,
            case_id=entry.case_id,
            action=entry.action,
            payload=entry.payload,
            files=entry.files,
            corrects_seq=entry.corrects_id,
        )
        batch.append(entry)
        if len(batch) >= BATCH:
            objects.bulk_update(batch, ["leaf"])
            batch = []
    if batch:
        objects.bulk_update(batch, ["leaf"])


class Migration(migrations.Migration):
    dependencies = [("record", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="leaf",
            field=models.BinaryField(null=True, verbose_name="记录原文（规范JSON）"),
        ),
        migrations.RunPython(entries_to_leaves, elidable=False),
        migrations.RemoveField(model_name="entry", name="corrects"),
        migrations.RemoveField(model_name="entry", name="recorded_at"),
        migrations.RemoveField(model_name="entry", name="actor_id"),
        migrations.RemoveField(model_name="entry", name="actor_name"),
        migrations.RemoveField(model_name="entry", name="role"),
        migrations.RemoveField(model_name="entry", name="payload"),
        migrations.RemoveField(model_name="entry", name="files"),
        migrations.RemoveField(model_name="entry", name="leaf_hash"),
        migrations.AlterField(
            model_name="entry",
            name="leaf",
            field=models.BinaryField(verbose_name="记录原文（规范JSON）"),
        ),
    ]
