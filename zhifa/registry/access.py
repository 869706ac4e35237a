"""The one gate to each registry object: missing and not-yours answer the same 404."""

from __future__ import annotations

from django.http import Http404

from zhifa.core.exceptions import RuleViolation

from . import selectors
from .models import Account, Agency, Certificate, Officer, PowerItem

Role = Account.Role


def access_agency(account: Account, agency_id: int) -> Agency:
    agency = selectors.agencies_visible_to(account).filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    return agency


def access_officer(account: Account, officer_id: int) -> Officer:
    officer = (
        selectors.officers_visible_to(account)
        .select_related("agency")
        .filter(pk=officer_id)
        .first()
    )
    if officer is None:
        raise Http404
    return officer


def access_certificate(account: Account, certificate_id: int) -> Certificate:
    cert = (
        selectors.certificates_visible_to(account)
        .select_related("officer", "agency")
        .filter(pk=certificate_id)
        .first()
    )
    if cert is None:
        raise Http404
    return cert


def access_power_item(account: Account, item_id: int) -> PowerItem:
    item = (
        selectors.power_items_visible_to(account)
        .select_related("agency", "domain")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    return item


def can_manage_registry(account: Account, agency: Agency | None = None) -> bool:
    """Registry writes belong to administrators, within what they can see."""
    if not account.is_authenticated or account.role != Role.ADMIN:
        return False
    if agency is None:
        return True
    return selectors.agencies_visible_to(account).filter(pk=agency.pk).exists()


def require_registry_manager(account: Account, agency: Agency | None = None) -> None:
    if not can_manage_registry(account, agency):
        raise RuleViolation("只有本辖区的系统管理员可以维护执法主体、人员和权责清单")
