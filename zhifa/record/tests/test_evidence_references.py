"""Which stored files an entry carries — those are never removed by the expiry of an upload."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

from django.apps import apps

from zhifa.record.models import EvidenceFile
from zhifa.record.services import evidence_store, record_append

from .conftest import T0

migration = importlib.import_module("zhifa.record.migrations.0005_evidence_uploads")


def test_the_first_entry_carrying_a_file_marks_it_and_the_migration_marks_older_logs(
    db: None, evidence_dir: Path
) -> None:
    photo = evidence_store(io.BytesIO(b"\xff\xd8photo"), name="a.jpg", media_type="image/jpeg")
    assert EvidenceFile.objects.get(pk=photo.pk).referenced_seq is None
    first, second = (
        record_append(
            actor_id=1,
            actor_name="甲",
            role="officer",
            action="case.note",
            payload={},
            case_id=None,
            files=[photo.ref],
            at=T0,
        )
        for _ in range(2)
    )
    assert EvidenceFile.objects.get(pk=photo.pk).referenced_seq == first.seq

    EvidenceFile.objects.update(referenced_seq=None)  # a log from before migration 0005
    migration.mark_referenced(apps, None)
    assert EvidenceFile.objects.get(pk=photo.pk).referenced_seq == first.seq != second.seq
