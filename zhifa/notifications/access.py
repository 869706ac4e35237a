"""The one gate to a notification: its recipient's, or 404 (missing and not-yours alike)."""

from __future__ import annotations

from django.http import Http404

from zhifa.registry.models import Account

from .models import Notification


def access_notification(account: Account, notification_id: int) -> Notification:
    if not account.is_authenticated:
        raise Http404
    found = Notification.objects.filter(pk=notification_id, recipient=account).first()
    if found is None:
        raise Http404
    return found
