"""The record log (执法全过程记录): entries, their Merkle tree, signed heads, evidence files.

Every table here is append-only: rows are inserted by ``record.services`` and never updated or
deleted — except, on SQLite only, the single ``LogState`` row, which holds the tree's right edge
(its frontier) and is locked by each append to serialise writers. On PostgreSQL there is no such
row: each append is one call of a server-side function that serialises writers with an advisory
lock and derives the next ``seq`` and the frontier from the entry and node tables (see
``services``), so nothing is updated at all. ``zhifa verify`` recomputes everything from the
entries' leaf bytes and the evidence bytes, so an edit behind the services' back is found.

Evidence is the exception the log's own tables are not: ``EvidenceUpload`` (an upload bound to
its case) is a table derived from the ``evidence.upload`` / ``evidence.expire`` entries — its
``attached_seq`` is set once, a row is deleted when its upload expires — and is checked
against them by ``zhifa verify``; an ``EvidenceFile`` row gets its ``referenced_seq`` once, and
goes (with its bytes) only with the last upload of a file no entry ever carried.

``record`` depends only on ``core``: actors and cases are stored as plain ids and names, never
foreign keys into other apps, so the log outlives any change to those tables.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .upload_limits import is_audio_video


@dataclass(frozen=True)
class EvidenceRef:
    """What a record entry says about an attached file: its hash, name, size and media type."""

    sha256: str
    name: str
    size: int
    media_type: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "name": self.name,
            "size": self.size,
            "media_type": self.media_type,
        }


class Entry(models.Model):
    """One log entry, stored once as the exact bytes its leaf hash covers.

    ``seq`` is its leaf index in the Merkle tree (0-based, gap-free). ``leaf`` is the canonical
    JSON of ``{action, actor_id, actor_name, case_id, corrects_seq, files, payload, recorded_at,
    role, seq}`` (``canonical.entry_leaf_bytes``); the leaf hash is ``SHA-256(0x00 || leaf)``.
    ``case_id`` and ``action`` repeat two of its values as columns, only so that a case's
    entries, or an action's, can be found by index; ``zhifa verify`` checks they agree with the
    leaf. Every other field is read from the leaf (parsed once per instance): the row holds
    nothing the hash does not cover, so there is nothing to splice or to drift.
    """

    seq = models.BigIntegerField(_("序号"), primary_key=True)
    leaf = models.BinaryField(_("记录原文（规范JSON）"))
    case_id = models.BigIntegerField(_("案件编号"), null=True, blank=True)
    action = models.CharField(_("动作"), max_length=100)

    class Meta:
        verbose_name = _("记录")
        verbose_name_plural = _("记录")
        ordering = ["seq"]
        indexes = [models.Index(fields=["case_id", "seq"], name="record_entry_case_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def _fields(self) -> dict[str, Any]:
        """The leaf parsed, cached on the instance for as long as ``leaf`` is the same object."""
        leaf = self.leaf
        cached = self.__dict__.get("_leaf_fields")
        if cached is None or cached[0] is not leaf:
            cached = (leaf, json.loads(bytes(leaf)))
            self.__dict__["_leaf_fields"] = cached
        fields: dict[str, Any] = cached[1]
        return fields

    @property
    def leaf_bytes(self) -> bytes:
        """The exact bytes the leaf hash covers (``SHA-256(0x00 || leaf_bytes)``)."""
        return bytes(self.leaf)

    @property
    def leaf_hash(self) -> bytes:
        return hashlib.sha256(b"\x00" + bytes(self.leaf)).digest()

    @property
    def leaf_hash_hex(self) -> str:
        return self.leaf_hash.hex()

    @property
    def recorded_at(self) -> datetime:
        """When the entry was recorded (aware, UTC)."""
        return datetime.fromisoformat(self._fields()["recorded_at"])

    @property
    def actor_id(self) -> int | None:
        """The acting account's id; None for the system."""
        value: int | None = self._fields()["actor_id"]
        return value

    @property
    def actor_name(self) -> str:
        return str(self._fields()["actor_name"])

    @property
    def role(self) -> str:
        return str(self._fields()["role"])

    @property
    def payload(self) -> str:
        """The payload as its canonical JSON text (as it was hashed)."""
        from .canonical import canonical_text

        return canonical_text(self._fields()["payload"])

    @property
    def files(self) -> str:
        """The attached files as canonical JSON text (a list of ``EvidenceRef.as_dict()``)."""
        from .canonical import canonical_text

        return canonical_text(self._fields()["files"])

    @property
    def corrects_seq(self) -> int | None:
        """The ``seq`` of the earlier entry this one corrects, if any."""
        value: int | None = self._fields()["corrects_seq"]
        return value

    @property
    def corrects_id(self) -> int | None:
        """Same as ``corrects_seq`` (the name of the former foreign-key column)."""
        return self.corrects_seq

    @property
    def data(self) -> Any:
        """The payload as Python objects (decimals and datetimes are strings, see canonical);
        a fresh copy on each call."""
        return json.loads(bytes(self.leaf))["payload"]

    @property
    def file_refs(self) -> list[EvidenceRef]:
        """The attached evidence files."""
        return [EvidenceRef(**item) for item in self._fields()["files"]]


class TreeNode(models.Model):
    """A perfect subtree of the log's tree: ``2**level`` leaves from ``index * 2**level``.

    Level 0 holds the leaf hashes. Complete subtrees never change, so a proof is a handful of
    lookups by primary key.
    """

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField(_("层"))
    index = models.BigIntegerField(_("位置"))
    hash = models.BinaryField(_("哈希"), max_length=32)

    class Meta:
        verbose_name = _("树节点")
        verbose_name_plural = _("树节点")

    def __str__(self) -> str:
        return f"({self.level}, {self.index})"


class LogState(models.Model):
    """SQLite only: the single row holding the log's size and frontier; locked by every append.

    ``head_size``/``head_at`` repeat the latest signed head so an append can tell whether a new
    head is due without another query.

    PostgreSQL keeps no such row (migration 0004 removes it): updating one row per append is
    what made concurrent writers there queue on its row lock and pile up dead row versions.
    There the size is ``max(seq) + 1``, the frontier is read from ``TreeNode`` and the latest
    head from ``SignedHead``; read them through ``selectors.log_size`` / ``log_frontier``, which
    answer alike on both databases.
    """

    ROW_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ROW_ID)
    size = models.BigIntegerField(_("记录条数"), default=0)
    frontier = models.BinaryField(_("树的右边界"), default=bytes(8))
    head_size = models.BigIntegerField(_("最新签名树头的大小"), null=True, blank=True)
    head_at = models.DateTimeField(_("最新签名树头的时间"), null=True, blank=True)
    updated = models.DateTimeField(_("更新时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("日志状态")
        verbose_name_plural = _("日志状态")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="record_logstate_single_row")
        ]

    def __str__(self) -> str:
        return f"size {self.size}"


class SignedHead(models.Model):
    """A signed tree head: a C2SP tlog-checkpoint note over (origin, size, root hash)."""

    size = models.BigIntegerField(_("记录条数"), unique=True)
    root_hash = models.BinaryField(_("根哈希"), max_length=32)
    note = models.TextField(_("签名检查点"))
    signed_at = models.DateTimeField(_("签名时间"))

    class Meta:
        verbose_name = _("签名树头")
        verbose_name_plural = _("签名树头")
        ordering = ["size"]

    def __str__(self) -> str:
        return f"{self.size} {bytes(self.root_hash).hex()[:16]}"

    @property
    def root_hash_hex(self) -> str:
        return bytes(self.root_hash).hex()


class EvidenceFile(models.Model):
    """A stored evidence file, addressed by the SHA-256 of its bytes.

    Bytes are stored once however many cases upload them, so the row says nothing about who
    uploaded the file for which case: that is ``EvidenceUpload`` (one per case), and a case's
    pages show the name and recording details of its own upload. The name and recording fields
    here are those of the first upload of these bytes.

    Recording fields are filled for audio/video (执法记录仪) files. ``late_upload`` is set when the
    upload came more than ``ZHIFA_AV_UPLOAD_HOURS`` (24) hours after the recording ended:
    several provinces require 执法音像记录 to be uploaded within 24 hours.

    ``referenced_seq`` is the first entry whose ``files`` carry the file, set once by
    ``record_append``; a file no entry carries and no upload binds may be removed (with its
    bytes) when the last upload of it expires — the only way a row or its bytes ever go.
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.BigIntegerField(_("字节数"))
    media_type = models.CharField(_("媒体类型"), max_length=100)
    original_name = models.CharField(_("原文件名"), max_length=255)
    storage_key = models.CharField(_("存储位置"), max_length=200)
    stored_at = models.DateTimeField(_("入库时间"))
    # Audio/video recording metadata (执法音像记录).
    recording_device = models.CharField(_("记录设备"), max_length=100, blank=True)
    officer_id = models.BigIntegerField(_("记录人员编号"), null=True, blank=True)
    officer_name = models.CharField(_("记录人员"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"))
    late_upload = models.BooleanField(_("逾期上传"), default=False)
    referenced_seq = models.BigIntegerField(_("首次引用的记录序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("证据文件")
        verbose_name_plural = _("证据文件")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"

    @property
    def ref(self) -> EvidenceRef:
        """What a record entry carries about this file."""
        return EvidenceRef(
            sha256=self.sha256, name=self.original_name, size=self.size, media_type=self.media_type
        )

    @property
    def is_audio_video(self) -> bool:
        return is_audio_video(self.media_type)

    @property
    def upload_delay(self) -> timedelta | None:
        if self.ended_at is None:
            return None
        return self.uploaded_at - self.ended_at


class EvidenceUpload(models.Model):
    """An evidence file uploaded for one case by one account (证据上传): what makes the file the
    case's own.

    A step of a case may carry a file only when it was uploaded for that case (a row here) or
    an entry of the case already carries it (a generated document, an earlier step); a case's
    files are served only under the same rule — so a file's hash, which supervisors see, never
    opens it on another case. Written with its ``evidence.upload`` entry (whose payload names
    the file, the uploader and the recording details), never without it. ``attached_seq`` is
    the first entry of the case that carried the file (set by ``record_append``). An upload
    never attached within ``ZHIFA_UPLOAD_UNATTACHED_DAYS`` is removed by the daily job with an
    ``evidence.expire`` entry: the row goes, and the bytes when nothing else holds them.
    ``zhifa verify`` checks the rows against those entries.

    ``case_id``, ``agency_id`` and the uploader are plain ids: ``record`` depends on no app.
    ``size`` counts against the agency's quota (``ZHIFA_EVIDENCE_QUOTA``).
    """

    case_id = models.BigIntegerField(_("案件编号"))
    agency_id = models.BigIntegerField(_("执法主体编号"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.BigIntegerField(_("字节数"))
    name = models.CharField(_("文件名"), max_length=255)
    media_type = models.CharField(_("媒体类型"), max_length=100)
    uploader_id = models.BigIntegerField(_("上传人编号"), null=True, blank=True)
    uploader_name = models.CharField(_("上传人"), max_length=150)
    uploaded_at = models.DateTimeField(_("上传时间"))
    entry_seq = models.BigIntegerField(_("上传记录序号"))
    attached_seq = models.BigIntegerField(_("附入记录序号"), null=True, blank=True)
    # Audio/video recording metadata (执法音像记录), as given with this upload.
    recording_device = models.CharField(_("记录设备"), max_length=100, blank=True)
    officer_id = models.BigIntegerField(_("记录人员编号"), null=True, blank=True)
    officer_name = models.CharField(_("记录人员"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    late_upload = models.BooleanField(_("逾期上传"), default=False)
    # What the file is and where it came from, as the officer states it (证据清单).
    description = models.CharField(_("证据名称"), max_length=200, blank=True)
    source = models.CharField(_("证据来源"), max_length=200, blank=True)
    collected_at = models.DateTimeField(_("取证时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证据上传")
        verbose_name_plural = _("证据上传")
        constraints = [
            models.UniqueConstraint(fields=["case_id", "sha256"], name="record_upload_case_file")
        ]
        indexes = [
            models.Index(fields=["agency_id", "size"], name="record_upload_agency"),
            models.Index(fields=["sha256"], name="record_upload_sha256"),
            models.Index(
                fields=["uploaded_at"],
                condition=models.Q(attached_seq__isnull=True),
                name="record_upload_unattached",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]}) → {self.case_id}"

    @property
    def ref(self) -> EvidenceRef:
        """What a step's entry carries about this upload (its own name and media type)."""
        return EvidenceRef(
            sha256=self.sha256, name=self.name, size=self.size, media_type=self.media_type
        )

    @property
    def is_audio_video(self) -> bool:
        return is_audio_video(self.media_type)
