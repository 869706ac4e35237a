"""The record log's scheduled jobs (registered in ``RecordConfig.ready``, run by ``zhifa cron``):
signing heads, and removing evidence uploads never attached to a step.

An append signs a head itself when one is due (``services.HEAD_EVERY_*``), so heads go stale only
when appends stop within a minute of the last head: the entries after it wait for the next
append. This job signs them: every minute, when the log has grown since the latest head and that
head is at least ``HEAD_EVERY_SECONDS`` old. An unchanged log needs no new head (a checkpoint has
no time in it: the same size signs the same note).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .evidence_uploads import evidence_uploads_expire, uploads_expired_before
from .models import EvidenceUpload
from .selectors import latest_head, log_size
from .services import HEAD_EVERY_SECONDS, head_sign_if_due


def head_needed(now: datetime) -> bool:
    """Entries the latest head does not cover, and that head is old enough to replace."""
    head = latest_head()
    size = log_size()
    if head is None:
        return size > 0
    return head.size < size and now - head.signed_at >= timedelta(seconds=HEAD_EVERY_SECONDS)


def head_sign_job(now: datetime) -> str:
    head = head_sign_if_due(at=now)
    if head is None:  # an append signed one in the meantime
        return _("树头已是最新，无需签署。")
    return _("已签署树头，覆盖%(size)d条记录。") % {"size": head.size}


def uploads_expire_needed(now: datetime) -> bool:
    """Some upload never attached whose keeping time ran out by today (Beijing date)."""
    cutoff = uploads_expired_before(timezone.localdate(now))
    return EvidenceUpload.objects.filter(attached_seq__isnull=True, uploaded_at__lt=cutoff).exists()


def uploads_expire_job(now: datetime) -> str:
    """Once a day: remove the uploads never attached within ``ZHIFA_UPLOAD_UNATTACHED_DAYS``
    (``evidence_uploads_expire``: one ``evidence.expire`` entry each)."""
    return str(evidence_uploads_expire(today=timezone.localdate(now), at=now))
