"""The rules of evidence uploads, pure: the kind of a media type, the size limit at its
boundary, the quota at its boundary, the day an unattached upload is removed."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.record.upload_limits import (
    GB,
    KB,
    MB,
    MediaKind,
    UploadLimits,
    is_expired,
    media_kind,
    quota_refusal,
    removal_day,
    size_refusal,
    size_text,
)


@pytest.mark.parametrize(
    ("media_type", "kind"),
    [
        ("image/jpeg", MediaKind.IMAGE),
        ("IMAGE/HEIC", MediaKind.IMAGE),
        ("video/mp4", MediaKind.AUDIO_VIDEO),
        ("audio/amr", MediaKind.AUDIO_VIDEO),
        ("application/pdf", MediaKind.DOCUMENT),
        ("application/ofd", MediaKind.DOCUMENT),
        ("text/plain; charset=utf-8", MediaKind.DOCUMENT),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            MediaKind.DOCUMENT,
        ),
        ("application/zip", MediaKind.OTHER),
        ("application/octet-stream", MediaKind.OTHER),
        ("", MediaKind.OTHER),
    ],
)
def test_a_media_type_has_one_kind(media_type: str, kind: MediaKind) -> None:
    assert media_kind(media_type) == kind


def test_a_file_of_exactly_the_limit_is_accepted_one_byte_more_is_refused_naming_it() -> None:
    assert size_refusal(MediaKind.IMAGE, 30 * MB, 30 * MB) is None
    refusal = size_refusal(MediaKind.IMAGE, 30 * MB, 30 * MB + 1)
    assert refusal is not None
    assert "图片文件每个不得超过30 MB" in refusal and 'ZHIFA_UPLOAD_LIMITS["image"]' in refusal


def test_the_quota_may_be_filled_exactly_and_zero_means_none() -> None:
    assert quota_refusal(100 * GB, 99 * GB, 1 * GB) is None
    refusal = quota_refusal(100 * GB, 99 * GB, 1 * GB + 1)
    assert refusal is not None and "配额为100 GB" in refusal and "已使用99 GB" in refusal
    assert quota_refusal(0, 10**15, 10**15) is None


def test_an_upload_is_kept_its_days_counting_the_upload_day() -> None:
    assert removal_day(date(2026, 6, 1), 7) == date(2026, 6, 8)
    assert not is_expired(date(2026, 6, 1), 7, date(2026, 6, 7))
    assert is_expired(date(2026, 6, 1), 7, date(2026, 6, 8))


def test_sizes_read_exactly() -> None:
    assert size_text(512) == "512 字节"
    assert size_text(4 * GB) == "4 GB"
    assert size_text(3000) == "2.9 KB（3000 字节）"
    assert size_text(KB) == "1 KB"


def test_the_default_limits_and_their_summary_for_the_form() -> None:
    limits = UploadLimits()
    assert limits.limit_for("video/mp4") == (MediaKind.AUDIO_VIDEO, 4 * GB)
    assert limits.summary() == (
        "每个文件图片不超过30 MB，音视频不超过4 GB，文档不超过100 MB，其他文件不超过20 MB"
    )
