"""The gates to evaluation objects: missing and not-yours give the same 404."""

from __future__ import annotations

from django.http import Http404

from zhifa.registry.models import Account

from .models import Campaign, File, Template
from .selectors import campaigns_visible_to, files_visible_to, templates_visible_to


def access_template(account: Account, pk: int) -> Template:
    obj = templates_visible_to(account).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def access_campaign(account: Account, pk: int) -> Campaign:
    obj = campaigns_visible_to(account).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def access_file(account: Account, pk: int) -> File:
    obj = files_visible_to(account).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj
