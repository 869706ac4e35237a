"""Template context: the unread count the header shows beside 通知."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhifa.registry.models import Account


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, Account) or not user.is_authenticated:
        return {}
    from .selectors import unread_count

    return {"unread_notifications": unread_count(user)}
