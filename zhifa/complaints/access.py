"""The one gate to a complaint: missing and not-yours answer the same 404."""

from __future__ import annotations

from django.http import Http404

from zhifa.core.identifiers import division_prefix
from zhifa.registry.models import Account

from . import selectors
from .models import Complaint

Role = Account.Role


def access_complaint(account: Account, complaint_id: int) -> Complaint:
    complaint = (
        selectors.complaints_visible_to(account)
        .select_related("agency", "officer")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def can_handle(account: Account, complaint: Complaint) -> bool:
    """Intake belongs to the supervisors of the region the complained-about agency lies in."""
    if not account.is_authenticated or not account.is_active:
        return False
    if account.role != Role.SUPERVISOR or not account.region_code:
        return False
    return complaint.agency.division_code.startswith(division_prefix(account.region_code))
