"""Writes of notifications. Not recorded in the record log: a notification is a message about
the record, not part of it (docs/decisions.md) — the step, request or answer it points at is.

- ``notification_send`` stores one row per recipient (at most once per ``key``) and, after the
  transaction commits, e-mails those whose channel is on; a failed e-mail is logged, never
  undoes the work that caused it.
- ``notification_open`` / ``notifications_mark_read`` mark the recipient's own rows read.
- ``notification_setting_save`` stores the recipient's channels.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.registry.models import Account

from .channels import channels_for
from .models import Notification, NotificationSetting

logger = logging.getLogger("zhifa.notifications")


def smtp_configured() -> bool:
    return bool(getattr(settings, "ZHIFA_EMAIL_NOTIFICATIONS", False))


def setting_of(account: Account) -> NotificationSetting:
    """The account's channels (an unsaved row with both on when it never chose)."""
    found = NotificationSetting.objects.filter(account=account).first()
    return found or NotificationSetting(account=account)


def _email(notification_ids: list[int]) -> None:
    for note in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
        body = note.body
        if note.url:
            base = getattr(settings, "ZHIFA_SITE_URL", "").rstrip("/")
            body = f"{body}\n\n{base}{note.url}"
        try:
            send_mail(
                subject=f"[zhifa] {note.title}",
                message=body,
                from_email=None,
                recipient_list=[note.recipient.email],
            )
        except Exception:  # an unreachable server must not undo the step that notified
            logger.exception("notification %s: e-mail not sent", note.pk)
            continue
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


@transaction.atomic
def notification_send(
    *,
    recipients: Iterable[Account],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    case_id: int | None = None,
    key: str = "",
    at: datetime | None = None,
) -> list[Notification]:
    """Tell each recipient (once per ``key`` when given: a recipient who already has a row with
    that key is skipped). Returns the rows created. E-mail goes out once the caller's
    transaction commits, to the recipients whose e-mail channel is on."""
    at = at or timezone.now()
    created: list[Notification] = []
    mail: list[int] = []
    for account in {a.pk: a for a in recipients if a.is_active}.values():
        if key and Notification.objects.filter(recipient=account, key=key).exists():
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    recipient=account,
                    kind=kind,
                    title=title[:200],
                    body=body,
                    url=url,
                    case_id=case_id,
                    key=key[:200],
                    created_at=at,
                )
        except IntegrityError:  # sent by a concurrent run in the meantime
            continue
        created.append(note)
        pref = setting_of(account)
        if channels_for(
            in_app_setting=pref.in_app,
            email_setting=pref.email,
            address=account.email,
            smtp_configured=smtp_configured(),
        ).email:
            mail.append(note.pk)
    if mail:
        transaction.on_commit(lambda: _email(mail))
    return created


@transaction.atomic
def notification_open(*, actor: Account, notification: Notification) -> Notification:
    """Mark the recipient's notification read (once; a second open keeps the first time)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def notifications_mark_read(*, actor: Account) -> int:
    """Mark every unread notification of ``actor`` read; returns how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_setting_save(*, actor: Account, in_app: bool, email: bool) -> NotificationSetting:
    row, _created = NotificationSetting.objects.update_or_create(
        account=actor, defaults={"in_app": in_app, "email": email}
    )
    return row
