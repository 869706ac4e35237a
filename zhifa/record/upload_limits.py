"""What an evidence upload may be: its size by media kind, the agency's storage quota, and how
long an upload never attached to a step is kept (pure; the numbers come from the settings,
``services.upload_limits``; docs/evidence.md gives each default and where it comes from).

No statute sets these numbers: they protect the server (no account can fill the disk) while
leaving room for what enforcement really records — photos, scanned 笔录 and 书证, and the
recordings of 执法记录仪 (行政执法全过程记录, 国办发〔2018〕118号), which are large.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

KB = 1024
MB = 1024 * KB
GB = 1024 * MB


class MediaKind(StrEnum):
    """The kinds an upload's size limit is set for, by its declared media type."""

    IMAGE = "image"  # image/*: 现场照片, photographed 书证
    AUDIO_VIDEO = "audio_video"  # audio/*, video/*: 执法记录仪, 听证录音录像
    DOCUMENT = "document"  # PDF, OFD, Word/WPS, spreadsheets, text: 笔录扫描件, 书证
    OTHER = "other"  # anything else (archives, unknown types)


KIND_LABELS: dict[MediaKind, str] = {
    MediaKind.IMAGE: "图片",
    MediaKind.AUDIO_VIDEO: "音视频",
    MediaKind.DOCUMENT: "文档",
    MediaKind.OTHER: "其他文件",
}

# Media types counted as documents besides text/*.
DOCUMENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/ofd",  # GB/T 33190 版式文档 (OFD), the national format of e-documents
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/rtf",
        "application/wps-office.wps",  # WPS 文字
        "application/wps-office.et",  # WPS 表格
    }
)

# Defaults of ``ZHIFA_UPLOAD_LIMITS`` (bytes per file), ``ZHIFA_EVIDENCE_QUOTA`` (bytes per
# agency; 0: none) and ``ZHIFA_UPLOAD_UNATTACHED_DAYS`` (calendar days).
DEFAULT_LIMITS: dict[MediaKind, int] = {
    MediaKind.IMAGE: 30 * MB,
    MediaKind.AUDIO_VIDEO: 4 * GB,
    MediaKind.DOCUMENT: 100 * MB,
    MediaKind.OTHER: 20 * MB,
}
DEFAULT_QUOTA = 500 * GB
DEFAULT_UNATTACHED_DAYS = 7


@dataclass(frozen=True)
class UploadLimits:
    """The configured limits: bytes per file by kind, bytes per agency (0: no quota), and the
    days an unattached upload is kept."""

    per_kind: dict[MediaKind, int] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    quota: int = DEFAULT_QUOTA
    unattached_days: int = DEFAULT_UNATTACHED_DAYS

    def limit_for(self, media_type: str) -> tuple[MediaKind, int]:
        kind = media_kind(media_type)
        return kind, self.per_kind.get(kind, DEFAULT_LIMITS[kind])

    def summary(self) -> str:
        """The per-kind limits in one line, for the upload form's hint."""
        parts = [
            f"{KIND_LABELS[kind]}不超过{size_text(self.per_kind.get(kind, DEFAULT_LIMITS[kind]))}"
            for kind in MediaKind
        ]
        return "每个文件" + "，".join(parts)


def is_audio_video(media_type: str) -> bool:
    """Whether a file of ``media_type`` is an audio or video record (执法音像记录): it needs its
    recording's device and times, and a seizure needs one (行政强制法第十八条)."""
    return media_kind(media_type) is MediaKind.AUDIO_VIDEO


def media_kind(media_type: str) -> MediaKind:
    """The kind of a declared media type (parameters and case are ignored)."""
    base = media_type.split(";", 1)[0].strip().lower()
    if base.startswith("image/"):
        return MediaKind.IMAGE
    if base.startswith(("audio/", "video/")):
        return MediaKind.AUDIO_VIDEO
    if base.startswith("text/") or base in DOCUMENT_TYPES:
        return MediaKind.DOCUMENT
    return MediaKind.OTHER


def size_text(size: int) -> str:
    """A byte count as people read it, exact: ``30 MB``, ``4 GB``, ``512 字节``, and a count
    that is no whole number of its unit with its bytes: ``2.9 KB（3000 字节）``."""
    for unit, name in ((GB, "GB"), (MB, "MB"), (KB, "KB")):
        if size >= unit:
            if size % unit == 0:
                return f"{size // unit} {name}"
            return f"{size / unit:.1f} {name}（{size} 字节）"
    return f"{size} 字节"


def size_refusal(kind: MediaKind, limit: int, size: int) -> str | None:
    """Why a file of ``size`` bytes may not be uploaded as ``kind`` (None: it may). A file of
    exactly ``limit`` bytes is accepted."""
    if size <= limit:
        return None
    return (
        f"{KIND_LABELS[kind]}文件每个不得超过{size_text(limit)}"
        f'（设置项ZHIFA_UPLOAD_LIMITS["{kind.value}"]），'
        f"本文件已超过此限"
    )


def quota_refusal(quota: int, used: int, adding: int) -> str | None:
    """Why ``adding`` more bytes may not be stored for an agency that uses ``used`` of its
    ``quota`` (None: they may; a quota of 0 means none). Filling the quota exactly is allowed."""
    if quota <= 0 or used + adding <= quota:
        return None
    return (
        f"本机关的证据存储配额为{size_text(quota)}（设置项ZHIFA_EVIDENCE_QUOTA），"
        f"已使用{size_text(used)}，本次上传{size_text(adding)}将超过配额："
        "请联系系统管理员调整配额"
    )


def removal_day(uploaded_on: date, days: int) -> date:
    """The first day on which an upload of ``uploaded_on`` (Beijing date) that was never
    attached to a step is removed: it is kept ``days`` calendar days, the upload day being
    the first."""
    return uploaded_on + timedelta(days=days)


def is_expired(uploaded_on: date, days: int, today: date) -> bool:
    return today >= removal_day(uploaded_on, days)
