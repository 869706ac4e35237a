"""``zhifa verify``: every evidence upload row equals its ``evidence.upload`` entry.

An ``EvidenceUpload`` row is what lets a case carry and serve a file, so a row added behind the
log's back would open another case's file. The check (a replay checker, registered in
``RecordConfig.ready``) reads the upload entries and the rows, both in ``seq`` order, side by
side, and reports:

- ``upload_unrecorded``: a row with no ``evidence.upload`` entry (or not its own);
- ``upload_mismatch``: a row that differs from its entry (case, file, name, size, uploader,
  time, recording details), or whose ``attached_seq`` names no entry of its case carrying it;
- ``upload_missing``: an upload entry with no row and no ``evidence.expire`` entry removing it.

Memory holds the ``seq`` numbers of expired uploads and one chunk of rows, whatever the size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from .canonical import canonical_text
from .evidence_uploads import UPLOAD_ACTION, UPLOAD_EXPIRE_ACTION, upload_payload
from .models import Entry, EvidenceUpload
from .verification import Problem

CHUNK = 1000


def _plain(value: Any) -> Any:
    return json.loads(canonical_text(value))


def _expired_seqs() -> set[int]:
    out: set[int] = set()
    for entry in Entry.objects.filter(action=UPLOAD_EXPIRE_ACTION).iterator(chunk_size=CHUNK):
        seq = entry.data.get("upload_seq")
        if isinstance(seq, int):
            out.add(seq)
    return out


def _row_problems(row: EvidenceUpload, entry: Entry) -> Iterator[Problem]:
    same = (
        entry.case_id == row.case_id
        and entry.actor_id == row.uploader_id
        and entry.actor_name[:150] == row.uploader_name
        and entry.recorded_at == row.uploaded_at
        and entry.data == _plain(upload_payload(row))
    )
    if not same:
        yield Problem(
            kind="upload_mismatch",
            seq=entry.seq,
            sha256=row.sha256,
            case_id=row.case_id,
            message=_("案件%(case)d的上传文件%(sha)s与其上传记录（第%(seq)d条）不一致")
            % {"case": row.case_id, "sha": row.sha256, "seq": entry.seq},
        )


def _attached_problems(rows: list[EvidenceUpload]) -> Iterator[Problem]:
    """Each ``attached_seq`` names an entry of the row's case that carries its file."""
    entries = Entry.objects.in_bulk([r.attached_seq for r in rows if r.attached_seq is not None])
    for row in rows:
        if row.attached_seq is None:
            continue
        entry = entries.get(row.attached_seq)
        carried = (
            entry is not None
            and entry.case_id == row.case_id
            and row.sha256 in {ref.sha256 for ref in entry.file_refs}
        )
        if not carried:
            yield Problem(
                kind="upload_mismatch",
                seq=row.attached_seq,
                sha256=row.sha256,
                case_id=row.case_id,
                message=_(
                    "案件%(case)d的上传文件%(sha)s登记为第%(seq)d条记录附入，但该记录未附此文件"
                )
                % {"case": row.case_id, "sha": row.sha256, "seq": row.attached_seq},
            )


def uploads_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """The upload rows against the upload entries (``groups``, the cases' entries, is not
    needed: the upload entries are read by their action)."""
    expired = _expired_seqs()
    entries = iter(Entry.objects.filter(action=UPLOAD_ACTION).order_by("seq").iterator(CHUNK))
    rows = EvidenceUpload.objects.order_by("entry_seq", "id").iterator(chunk_size=CHUNK)
    entry = next(entries, None)
    chunk: list[EvidenceUpload] = []
    for row in rows:
        while entry is not None and entry.seq < row.entry_seq:
            yield from _missing(entry, expired)
            entry = next(entries, None)
        if entry is not None and entry.seq == row.entry_seq:
            yield from _row_problems(row, entry)
            entry = next(entries, None)
        else:
            yield Problem(
                kind="upload_unrecorded",
                sha256=row.sha256,
                case_id=row.case_id,
                message=_("案件%(case)d的上传文件%(sha)s没有上传记录（绕过全过程记录写入）")
                % {"case": row.case_id, "sha": row.sha256},
            )
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from _attached_problems(chunk)
            chunk = []
    yield from _attached_problems(chunk)
    while entry is not None:
        yield from _missing(entry, expired)
        entry = next(entries, None)


def _missing(entry: Entry, expired: set[int]) -> Iterator[Problem]:
    if entry.seq in expired:
        return
    yield Problem(
        kind="upload_missing",
        seq=entry.seq,
        sha256=str(entry.data.get("sha256", "")),
        case_id=entry.case_id,
        message=_("第%(seq)d条上传记录所述的上传文件登记缺失（被删除）") % {"seq": entry.seq},
    )
