"""Reads of notifications: each account only ever reads its own."""

from __future__ import annotations

from django.db.models import QuerySet

from zhifa.registry.models import Account

from .models import Notification
from .services import setting_of


def notifications_of(account: Account) -> QuerySet[Notification]:
    """The account's notifications, newest first."""
    if not account.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=account).order_by("-created_at", "-id")


def unread_count(account: Account) -> int:
    """Unread notifications for the header; 0 when the account turned the in-app channel off."""
    if not account.is_authenticated or not setting_of(account).in_app:
        return 0
    return Notification.objects.filter(recipient=account, read_at__isnull=True).count()
