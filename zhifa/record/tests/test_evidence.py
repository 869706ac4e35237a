"""The content-addressed evidence store, A/V upload deadlines and logged viewing (调阅)."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import timedelta
from pathlib import Path

import pytest

from zhifa.record.evidence import CHUNK_SIZE, evidence_open
from zhifa.record.models import Entry, EvidenceFile
from zhifa.record.services import Recording, evidence_store, evidence_view, record_append

from .conftest import T0


class CountingReader(io.RawIOBase):
    """A stream that hands out its bytes in the pieces asked for, remembering the largest."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.reads: list[int] = []

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size != -1, "the whole stream was read at once"
        self.reads.append(size)
        return self._data.read(size)


def _video(seed: bytes, size: int) -> bytes:
    block = hashlib.sha256(seed).digest() * (1024 // 32)
    return (block * (size // len(block) + 1))[:size]


def test_a_5mb_file_is_streamed_in_chunks_stored_under_its_hash(
    db: None, evidence_dir: Path
) -> None:
    data = _video(b"video", 5 * 1024 * 1024 + 123)
    reader = CountingReader(data)
    stored = evidence_store(reader, name="执法记录仪.mp4", media_type="video/mp4", at=T0)
    sha = hashlib.sha256(data).hexdigest()
    assert stored.sha256 == sha and stored.size == len(data)
    assert max(reader.reads) <= CHUNK_SIZE and len(reader.reads) >= 6
    path = evidence_dir / sha[:2] / sha[2:4] / sha
    assert path.read_bytes() == data
    assert stored.storage_key == f"{sha[:2]}/{sha[2:4]}/{sha}"
    with evidence_open(sha) as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == sha
    assert not os.access(path, os.W_OK) or os.geteuid() == 0  # stored read-only


def test_the_same_bytes_uploaded_twice_are_stored_once(db: None, evidence_dir: Path) -> None:
    data = _video(b"photo", 300_000)
    first = evidence_store(io.BytesIO(data), name="a.jpg", media_type="image/jpeg", at=T0)
    second = evidence_store(io.BytesIO(data), name="b.jpg", media_type="image/jpeg", at=T0)
    assert second.pk == first.pk and second.original_name == "a.jpg"
    assert EvidenceFile.objects.count() == 1
    files = [p for p in evidence_dir.rglob("*") if p.is_file()]
    assert files == [evidence_dir / first.storage_key]  # no leftover upload in tmp/


def _recording(ended_offset: timedelta = timedelta()) -> Recording:
    return Recording(
        device="DSJ-2026-0001",
        officer_id=7,
        officer_name="张三",
        started_at=T0 - timedelta(minutes=30),
        ended_at=T0,
        place="示范市甲区幸福路1号",
    )


@pytest.mark.parametrize(
    ("delay", "late"),
    [
        (timedelta(hours=23, minutes=59, seconds=59), False),
        (timedelta(hours=24), False),
        (timedelta(hours=24, seconds=1), True),
    ],
)
def test_av_uploaded_more_than_24_hours_after_recording_is_flagged(
    db: None, evidence_dir: Path, delay: timedelta, late: bool
) -> None:
    stored = evidence_store(
        io.BytesIO(b"recording " + str(delay).encode()),
        name="记录.mp4",
        media_type="video/mp4",
        recording=_recording(),
        at=T0 + delay,
    )
    assert stored.late_upload is late
    assert (stored.recording_device, stored.officer_name, stored.place) == (
        "DSJ-2026-0001",
        "张三",
        "示范市甲区幸福路1号",
    )
    assert stored.upload_delay == delay


def test_the_upload_limit_is_a_setting(db: None, evidence_dir: Path, settings: object) -> None:
    settings.ZHIFA_AV_UPLOAD_HOURS = 12  # type: ignore[attr-defined]
    stored = evidence_store(
        io.BytesIO(b"x"),
        name="a.mp4",
        media_type="video/mp4",
        recording=_recording(),
        at=T0 + timedelta(hours=12, seconds=1),
    )
    assert stored.late_upload


def test_viewing_an_av_record_appends_an_entry(db: None, evidence_dir: Path) -> None:
    video = evidence_store(
        io.BytesIO(b"video"),
        name="扣押现场.mp4",
        media_type="video/mp4",
        recording=_recording(),
        at=T0,
    )
    entry = evidence_view(
        actor_id=9,
        actor_name="赵六",
        role="reviewer",
        evidence=video,
        case_id=42,
        at=T0 + timedelta(days=3),
    )
    stored = Entry.objects.get(seq=entry.seq)
    assert (stored.action, stored.case_id, stored.actor_name) == ("evidence.view", 42, "赵六")
    assert stored.data["sha256"] == video.sha256
    assert stored.file_refs == [video.ref]


def test_an_entry_can_attach_stored_files(db: None, evidence_dir: Path) -> None:
    photo = evidence_store(io.BytesIO(b"photo"), name="照片.jpg", media_type="image/jpeg", at=T0)
    entry = record_append(
        actor_id=7,
        actor_name="张三",
        role="officer",
        action="case.evidence.add",
        payload={"what": "现场照片"},
        case_id=1,
        files=[photo.ref],
        at=T0,
    )
    assert Entry.objects.get(seq=entry.seq).file_refs == [photo.ref]
