"""The one gate to an inspection: ``access_inspection(account, pk)``; missing and not-yours
answer the same 404. Acting on it (approve, refuse, cancel, emergency start) is the head's or the
agency's; the services check the same rules again with their source."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhifa.registry.models import Account

from .models import Entity, Inspection
from .selectors import entities_visible_to, inspections_visible_to


def access_inspection(account: Account, pk: int, *, act: bool = False) -> Inspection:
    row = inspections_visible_to(account).filter(pk=pk).first()
    if row is None:
        raise Http404
    if act and (
        account.agency_id != row.agency_id
        or account.role not in (Account.Role.OFFICER, Account.Role.HEAD)
    ):
        raise PermissionDenied("只有本机关的执法人员和负责人可以办理该检查")
    return row


def access_entity(account: Account, pk: int) -> Entity:
    row = entities_visible_to(account).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row
