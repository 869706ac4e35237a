"""The record log (执法全过程记录): entries, their Merkle tree, signed heads, evidence files.

Every table here is append-only: rows are inserted by ``record.services`` and never updated or
deleted, except the single ``LogState`` row, which holds the tree's right edge (its frontier)
and is locked by each append to serialise writers. ``zhifa verify`` recomputes everything from
the entries and the evidence bytes, so an edit behind the services' back is found.

``record`` depends only on ``core``: actors and cases are stored as plain ids and names, never
foreign keys into other apps, so the log outlives any change to those tables.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    """One log entry; its ``seq`` is its leaf index in the Merkle tree (0-based, gap-free).

    ``payload`` and ``files`` hold the exact canonical JSON text that was hashed (see
    ``canonical.py``); the leaf is ``services.entry_leaf_bytes`` of the fields.
    """

    seq = models.BigIntegerField(_("序号"), primary_key=True)
    recorded_at = models.DateTimeField(_("记录时间"))
    actor_id = models.BigIntegerField(_("操作人编号"), null=True, blank=True)  # None: the system
    actor_name = models.CharField(_("操作人"), max_length=100)
    role = models.CharField(_("角色"), max_length=50)
    case_id = models.BigIntegerField(_("案件编号"), null=True, blank=True)
    action = models.CharField(_("动作"), max_length=100)
    payload = models.TextField(_("内容（规范JSON）"))
    files = models.TextField(_("附件（规范JSON）"), default="[]")
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    leaf_hash = models.BinaryField(_("叶哈希"), max_length=32)

    class Meta:
        verbose_name = _("记录")
        verbose_name_plural = _("记录")
        ordering = ["seq"]
        indexes = [models.Index(fields=["case_id", "seq"], name="record_entry_case_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def data(self) -> Any:
        """The payload as Python objects (decimals and datetimes are strings, see canonical)."""
        return json.loads(self.payload)

    @property
    def file_refs(self) -> list[EvidenceRef]:
        """The attached evidence files."""
        return [EvidenceRef(**item) for item in json.loads(self.files)]

    @property
    def leaf_hash_hex(self) -> str:
        return bytes(self.leaf_hash).hex()

    @property
    def leaf_bytes(self) -> bytes:
        """The exact bytes the leaf hash covers (``SHA-256(0x00 || leaf_bytes)``)."""
        from .canonical import canonical_datetime, entry_leaf_bytes

        return entry_leaf_bytes(
            seq=self.seq,
            recorded_at=canonical_datetime(self.recorded_at),
            actor_id=self.actor_id,
            actor_name=self.actor_name,
            role=self.role,
            case_id=self.case_id,
            action=self.action,
            payload=self.payload,
            files=self.files,
            corrects_seq=self.corrects_id,
        )


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
    """The single row holding the log's size and frontier; locked by every append.

    ``head_size``/``head_at`` repeat the latest signed head so an append can tell whether a new
    head is due without another query.
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

    Recording fields are filled for audio/video (执法记录仪) files. ``late_upload`` is set when the
    upload came more than ``ZHIFA_AV_UPLOAD_HOURS`` (24) hours after the recording ended:
    several provinces require 执法音像记录 to be uploaded within 24 hours.
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
        return self.media_type.startswith(("audio/", "video/"))

    @property
    def upload_delay(self) -> timedelta | None:
        if self.ended_at is None:
            return None
        return self.uploaded_at - self.ended_at
