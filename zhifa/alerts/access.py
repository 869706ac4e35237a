"""The one gate to a warning: missing and not-yours answer alike (404)."""

from __future__ import annotations

from django.http import Http404

from zhifa.registry.models import Account

from .models import Warning
from .selectors import warnings_visible_to


def access_warning(account: Account, warning_id: int) -> Warning:
    found = warnings_visible_to(account).select_related("agency").filter(pk=warning_id).first()
    if found is None:
        raise Http404("预警不存在")
    return found
