"""Writes of evidence uploads (证据上传): receiving the bytes, binding them to a case and an
uploader on the record, checking that a step carries only the case's own files, and removing
uploads that were never attached.

An upload happens in two stages, so that no step is ever recorded with a file that did not
arrive whole and no database lock is held while bytes arrive:

1. ``evidence_receive`` (no transaction): the bytes are read into a pending upload, hashed and
   counted; a file larger than its kind's limit is refused as soon as it passes the limit, one
   shorter than announced or with another hash than the client computed is refused as
   incomplete. Nothing is stored yet.
2. ``evidence_bind`` (inside the caller's transaction, which has checked the case): the
   agency's quota is checked, the bytes are put under their hash (once, however many cases
   upload them), and each file is bound to the case with an ``evidence.upload`` entry naming
   the uploader — the same bytes uploaded to the same case again are the same upload.

A step then names files (``EvidenceRef``) and its service asks ``evidence_attachable``, inside
its own transaction, for the case's own copies of them: an upload of that case, or a file an
entry of the case already carries (a generated document, an earlier step). Any other file —
of another case, or not stored at all — is refused with one and the same message: a hash seen
on a supervisor's page opens nothing and tells nothing. ``record_append`` marks the uploads a
step carries as attached.

``evidence_uploads_expire`` (the daily job ``record.expire-uploads``) removes uploads never
attached within ``ZHIFA_UPLOAD_UNATTACHED_DAYS``, each with an ``evidence.expire`` entry on its
case; the stored file goes too unless an entry carries it or another upload binds it (the
store is content-addressed: one copy serves every case).

``record`` knows cases, agencies and accounts only by id and name; ``cases.services`` is the
one caller that says which case, agency and officer.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from zhifa.core.exceptions import RuleViolation

from .evidence import PendingUpload, evidence_key, evidence_storage, iter_chunks
from .models import Entry, EvidenceFile, EvidenceRef, EvidenceUpload
from .services import (
    PG_EVIDENCE_QUOTA_LOCK,
    Collection,
    Recording,
    evidence_commit,
    evidence_file_lock,
    is_late_upload,
    pg_evidence_lock,
    record_append,
)
from .upload_limits import (
    DEFAULT_LIMITS,
    DEFAULT_QUOTA,
    DEFAULT_UNATTACHED_DAYS,
    MediaKind,
    UploadLimits,
    quota_refusal,
    size_refusal,
    size_text,
)

__all__ = [
    "UPLOAD_ACTION",
    "UPLOAD_EXPIRE_ACTION",
    "Collection",
    "EvidenceInput",
    "EvidenceNotFound",
    "ExpiryResult",
    "ReceivedEvidence",
    "UploadRefused",
    "agency_storage_used",
    "evidence_attachable",
    "evidence_bind",
    "evidence_receive",
    "evidence_uploads_expire",
    "upload_limits",
    "upload_payload",
    "uploads_expired_before",
]

logger = logging.getLogger(__name__)

UPLOAD_ACTION = "evidence.upload"
UPLOAD_EXPIRE_ACTION = "evidence.expire"
SYSTEM_NAME = "系统"
SYSTEM_ROLE = "system"


def upload_limits() -> UploadLimits:
    """The configured limits: ``ZHIFA_UPLOAD_LIMITS`` (bytes per file, by kind: image,
    audio_video, document, other), ``ZHIFA_EVIDENCE_QUOTA`` (bytes per agency, 0: none),
    ``ZHIFA_UPLOAD_UNATTACHED_DAYS`` (docs/evidence.md)."""
    configured: dict[str, Any] = getattr(settings, "ZHIFA_UPLOAD_LIMITS", {}) or {}
    return UploadLimits(
        per_kind={
            kind: int(configured.get(kind.value, DEFAULT_LIMITS[kind])) for kind in MediaKind
        },
        quota=int(getattr(settings, "ZHIFA_EVIDENCE_QUOTA", DEFAULT_QUOTA)),
        unattached_days=int(
            getattr(settings, "ZHIFA_UPLOAD_UNATTACHED_DAYS", DEFAULT_UNATTACHED_DAYS)
        ),
    )


class UploadRefused(RuleViolation):
    """An upload that is not stored: too large for its kind (``status`` 413), over the agency's
    quota (413), or not received whole (400)."""

    def __init__(self, message: str, *, status: int = 413, field: str = "files") -> None:
        super().__init__(message, field=field)
        self.status = status


class EvidenceNotFound(RuleViolation):
    """A step names a file that is not the case's. The message is the same whether the file is
    another case's or was never stored — it names the file's place in the list, never what
    the store knows of its hash."""

    def __init__(self, position: int) -> None:
        super().__init__(
            f"所附的第{position}个文件不是本案的证据：请先将文件上传到本案，再在步骤中引用",
            field="files",
        )
        self.position = position


@dataclass(frozen=True)
class EvidenceInput:
    """One file as it comes in: its bytes, the name and media type the client gave, the
    recording details of an audio/video record, and what the request said of it — its size
    (a multipart part's size as received) and its SHA-256, when the client computed one."""

    stream: IO[bytes]
    name: str
    media_type: str
    recording: Recording | None = None
    size: int | None = None
    sha256: str = ""
    collection: Collection | None = None


@dataclass
class ReceivedEvidence:
    """The bytes of one upload, read whole, hashed and counted, not yet in the store. Bind it
    (``evidence_bind``) or ``discard`` it."""

    name: str
    media_type: str
    recording: Recording | None
    sha256: str
    size: int
    pending: PendingUpload = field(repr=False)
    collection: Collection | None = None

    def discard(self) -> None:
        """Drop the pending bytes (harmless once they were stored)."""
        self.pending.abort()


def evidence_receive(
    source: EvidenceInput, *, limits: UploadLimits | None = None
) -> ReceivedEvidence:
    """Read ``source`` into a pending upload, hashing and counting it. Opens no transaction;
    call it outside one (a large file takes a while, and no lock should wait on it).

    Raises ``UploadRefused``: 413 when the file is larger than its kind's limit (before reading
    anything when its announced size says so, else as soon as the bytes pass the limit — a
    file of exactly the limit is accepted), 400 when fewer bytes arrived than announced or
    their hash is not the one the client gave. Nothing is kept then.
    """
    limits = limits or upload_limits()
    media_type = source.media_type or "application/octet-stream"
    kind, limit = limits.limit_for(media_type)
    if source.size is not None:
        refusal = size_refusal(kind, limit, source.size)
        if refusal is not None:
            raise UploadRefused(f"{source.name}：{refusal}")
    pending = evidence_storage().begin()
    h = hashlib.sha256()
    size = 0
    try:
        for chunk in iter_chunks(source.stream):
            size += len(chunk)
            refusal = size_refusal(kind, limit, size)
            if refusal is not None:
                raise UploadRefused(f"{source.name}：{refusal}")
            h.update(chunk)
            pending.write(chunk)
    except BaseException:
        pending.abort()
        raise
    digest = h.hexdigest()
    if (source.size is not None and size != source.size) or (
        source.sha256 and source.sha256.strip().lower() != digest
    ):
        pending.abort()
        raise UploadRefused(
            f"{source.name}：文件未完整上传（收到{size_text(size)}，内容与声明的大小或SHA-256不符），"
            "未保存，请重新上传",
            status=400,
        )
    return ReceivedEvidence(
        name=(source.name or "file")[:255],
        media_type=media_type[:100],
        recording=source.recording,
        sha256=digest,
        size=size,
        pending=pending,
        collection=source.collection,
    )


def agency_storage_used(agency_id: int) -> int:
    """Bytes of the agency's uploads that count against its quota (every upload not removed,
    attached or not; one count per case and file; generated documents do not count)."""
    used = EvidenceUpload.objects.filter(agency_id=agency_id).aggregate(total=Sum("size"))
    return int(used["total"] or 0)


def upload_payload(upload: EvidenceUpload) -> dict[str, Any]:
    """The payload of an upload's ``evidence.upload`` entry (``zhifa verify`` compares every
    row with it): the file as the case names it, the agency charged, the recording details."""
    payload: dict[str, Any] = {
        "agency_id": upload.agency_id,
        "sha256": upload.sha256,
        "name": upload.name,
        "size": upload.size,
        "media_type": upload.media_type,
    }
    if upload.started_at is not None:
        payload["recording"] = {
            "device": upload.recording_device,
            "officer_id": upload.officer_id,
            "officer_name": upload.officer_name,
            "started_at": upload.started_at,
            "ended_at": upload.ended_at,
            "late_upload": upload.late_upload,
        }  # the place stays off the record's payload: it is often the party's address
    if upload.description or upload.source or upload.collected_at is not None:
        payload["collection"] = {
            "description": upload.description,
            "source": upload.source,
            "collected_at": upload.collected_at,
        }
    return payload


@transaction.atomic
def evidence_bind(
    received: Sequence[ReceivedEvidence],
    *,
    case_id: int,
    agency_id: int,
    actor_id: int | None,
    actor_name: str,
    role: str,
    at: datetime | None = None,
) -> list[EvidenceUpload]:
    """Store received files and bind each to the case, in one transaction; return the uploads
    in the order given (the caller has checked, in this transaction, that the actor may add
    evidence to the case).

    Guarantees: the agency's quota (``ZHIFA_EVIDENCE_QUOTA``) holds after the upload — checked
    with the agency's uploads locked, so two uploads at once cannot both pass it; each new file
    gets its ``EvidenceUpload`` row and one ``evidence.upload`` entry on the case, actor the
    uploader, payload the file as this case names it and its recording details (``late_upload``
    when it came more than ``ZHIFA_AV_UPLOAD_HOURS`` after the recording ended). A file the
    case already has an upload of is that upload (no new entry, no quota counted twice).
    Raises ``UploadRefused`` (413) over the quota, with nothing stored or recorded. The pending
    bytes are discarded whatever happens.
    """
    now = timezone.now() if at is None else at
    try:
        pg_evidence_lock(PG_EVIDENCE_QUOTA_LOCK, agency_id)
        shas = sorted({r.sha256 for r in received})
        existing = {
            u.sha256: u
            for u in EvidenceUpload.objects.select_for_update().filter(
                case_id=case_id, sha256__in=shas
            )
        }
        new: dict[str, ReceivedEvidence] = {}
        for item in received:
            if item.sha256 not in existing:
                new.setdefault(item.sha256, item)
        adding = sum(item.size for item in new.values())
        refusal = quota_refusal(upload_limits().quota, agency_storage_used(agency_id), adding)
        if refusal is not None:
            raise UploadRefused(refusal)
        # Every file's bytes first, each under its hash's lock, and only then the entries: the
        # log's lock is always taken last (an expiry holds a hash's lock, then the log's).
        for sha, item in new.items():
            evidence_commit(
                item.pending,
                sha256=sha,
                size=item.size,
                name=item.name,
                media_type=item.media_type,
                recording=item.recording,
                at=now,
            )
        for sha, item in new.items():
            upload = EvidenceUpload(
                case_id=case_id,
                agency_id=agency_id,
                sha256=sha,
                size=item.size,
                name=item.name,
                media_type=item.media_type,
                uploader_id=actor_id,
                uploader_name=actor_name[:150],
                uploaded_at=now,
            )
            recording = item.recording
            if recording is not None:
                upload.recording_device = recording.device[:100]
                upload.officer_id = recording.officer_id
                upload.officer_name = recording.officer_name[:100]
                upload.started_at = recording.started_at
                upload.ended_at = recording.ended_at
                upload.place = recording.place[:200]
                upload.late_upload = is_late_upload(recording, now)
            collection = item.collection
            if collection:
                upload.description = collection.description.strip()[:200]
                upload.source = collection.source.strip()[:200]
                upload.collected_at = collection.collected_at
                upload.place = (collection.place.strip() or upload.place)[:200]
            entry = record_append(
                actor_id=actor_id,
                actor_name=actor_name,
                role=role,
                action=UPLOAD_ACTION,
                payload=upload_payload(upload),
                case_id=case_id,
                at=now,
            )
            upload.entry_seq = entry.seq
            upload.save(force_insert=True)
            existing[sha] = upload
        return [existing[item.sha256] for item in received]
    finally:
        for item in received:
            item.discard()


def evidence_attachable(*, case_id: int, files: Sequence[EvidenceRef]) -> list[EvidenceRef]:
    """The files a step of the case is to carry, as the case knows them (its own name and
    media type for each; duplicates dropped, order kept). Call it inside the step's
    transaction: the case's uploads of them stay locked until it ends, so none expires under it.

    A file is the case's when it was uploaded for the case, or an entry of the case already
    carries it (a generated document, an earlier step). Raises ``EvidenceNotFound`` for the
    first file that is not — another case's, or none at all, alike; a size other than the
    file's counts as not found too.
    """
    wanted: dict[str, EvidenceRef] = {}
    for ref in files:
        wanted.setdefault(ref.sha256, ref)
    if not wanted:
        return []
    uploads = EvidenceUpload.objects.filter(case_id=case_id, sha256__in=sorted(wanted))
    if connection.in_atomic_block:
        uploads = uploads.select_for_update()
    own: dict[str, EvidenceRef] = {u.sha256: u.ref for u in uploads}
    if len(own) < len(wanted):
        for entry in Entry.objects.filter(case_id=case_id).only("seq", "leaf"):
            for ref in entry.file_refs:
                own.setdefault(ref.sha256, ref)
    for position, ref in enumerate(files, start=1):
        known = own.get(ref.sha256)
        if known is None or known.size != ref.size:
            raise EvidenceNotFound(position)
    return [own[sha] for sha in wanted]


# -- expiry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiryResult:
    """What one run of the expiry removed: uploads, stored files (and their bytes)."""

    uploads: int = 0
    files: int = 0
    bytes: int = 0

    def __str__(self) -> str:
        if not self.uploads:
            return "没有到期未附入步骤的上传文件。"
        return (
            f"已删除{self.uploads}个到期未附入步骤的上传文件，"
            f"其中{self.files}个文件（{size_text(self.bytes)}）已从证据库移除。"
        )


def uploads_expired_before(today: date, days: int | None = None) -> datetime:
    """Uploads made before this moment and never attached are removed on ``today``: the start
    (Beijing time) of the earliest upload day whose ``removal_day`` is still to come."""
    keep = upload_limits().unattached_days if days is None else days
    first_kept = today - timedelta(days=keep - 1)
    return datetime.combine(first_kept, time(0), tzinfo=timezone.get_default_timezone())


def evidence_uploads_expire(*, today: date, at: datetime | None = None) -> ExpiryResult:
    """Remove every upload never attached to a step whose keeping time has run out on
    ``today`` (``ZHIFA_UPLOAD_UNATTACHED_DAYS`` calendar days, the upload day the first).

    Each upload in its own transaction, with it locked (a step attaching it at the same moment
    waits, or makes it skipped): one ``evidence.expire`` entry on its case (actor the system;
    payload the file, its upload entry, the days kept and whether the stored file went), then
    the row. The stored file and its bytes go only when no entry carries them
    (``referenced_seq``) and no other upload binds them; the bytes are deleted after that
    commits, under the hash's lock, and only if nobody stored them again meanwhile. Safe to
    run twice: a second run finds nothing.
    """
    now = timezone.now() if at is None else at
    days = upload_limits().unattached_days
    cutoff = uploads_expired_before(today, days)
    ids = list(
        EvidenceUpload.objects.filter(attached_seq__isnull=True, uploaded_at__lt=cutoff)
        .order_by("uploaded_at", "id")
        .values_list("id", flat=True)
    )
    uploads = files = removed_bytes = 0
    for upload_id in ids:
        with transaction.atomic():
            upload = (
                EvidenceUpload.objects.select_for_update()
                .filter(pk=upload_id, attached_seq__isnull=True, uploaded_at__lt=cutoff)
                .first()
            )
            if upload is None:
                continue
            evidence_file_lock(upload.sha256)
            stored = EvidenceFile.objects.select_for_update().filter(sha256=upload.sha256).first()
            others = EvidenceUpload.objects.filter(sha256=upload.sha256).exclude(pk=upload.pk)
            removable = stored is not None and stored.referenced_seq is None and not others.exists()
            record_append(
                actor_id=None,
                actor_name=SYSTEM_NAME,
                role=SYSTEM_ROLE,
                action=UPLOAD_EXPIRE_ACTION,
                payload={
                    "sha256": upload.sha256,
                    "name": upload.name,
                    "size": upload.size,
                    "media_type": upload.media_type,
                    "upload_seq": upload.entry_seq,
                    "uploaded_on": timezone.localdate(upload.uploaded_at),
                    "days": days,
                    "file_removed": removable,
                },
                case_id=upload.case_id,
                at=now,
            )
            upload.delete()
            if removable:
                assert stored is not None
                stored.delete()
        uploads += 1
        if removable:
            files += 1
            removed_bytes += upload.size
            _bytes_delete(upload.sha256)
    return ExpiryResult(uploads=uploads, files=files, bytes=removed_bytes)


def _bytes_delete(sha256: str) -> None:
    """Delete the bytes of a file whose row is gone, unless a new upload stored them again."""
    with transaction.atomic():
        evidence_file_lock(sha256)
        if EvidenceFile.objects.filter(sha256=sha256).exists():
            return
        try:
            evidence_storage().delete(evidence_key(sha256))
        except Exception:  # the row is gone either way; leftover bytes are harmless
            logger.exception("evidence bytes %s not deleted", sha256)
