"""Allowed moves of a certificate's status (执法证状态), of a power item's status and of a
published listing's (随机抽查事项, 裁量基准, 不予处罚/从轻减轻清单)."""

from __future__ import annotations

from .models import Certificate, PowerItem, PublicListing

CS = Certificate.Status
CERTIFICATE_TRANSITIONS: dict[str, frozenset[str]] = {
    CS.APPLIED: frozenset({CS.VALID, CS.CANCELLED}),  # issued, or application withdrawn
    CS.VALID: frozenset({CS.SUSPENDED, CS.CANCELLED, CS.REVOKED}),
    CS.SUSPENDED: frozenset({CS.VALID, CS.CANCELLED, CS.REVOKED}),  # restored or ended
    CS.CANCELLED: frozenset(),  # final
    CS.REVOKED: frozenset(),  # final
}

PS = PowerItem.Status
POWER_ITEM_TRANSITIONS: dict[str, frozenset[str]] = {
    PS.DRAFT: frozenset({PS.PUBLISHED}),
    PS.PUBLISHED: frozenset({PS.SUPERSEDED, PS.REPEALED}),
    PS.SUPERSEDED: frozenset(),
    PS.REPEALED: frozenset(),
}

LS = PublicListing.Status
LISTING_TRANSITIONS: dict[str, frozenset[str]] = {
    LS.DRAFT: frozenset({LS.PUBLISHED, LS.WITHDRAWN}),
    LS.PUBLISHED: frozenset({LS.SUPERSEDED, LS.WITHDRAWN}),
    LS.SUPERSEDED: frozenset(),
    LS.WITHDRAWN: frozenset(),
}


def can_move_certificate(from_status: str, to_status: str) -> bool:
    return to_status in CERTIFICATE_TRANSITIONS.get(from_status, frozenset())


def can_move_power_item(from_status: str, to_status: str) -> bool:
    return to_status in POWER_ITEM_TRANSITIONS.get(from_status, frozenset())


def can_move_listing(from_status: str, to_status: str) -> bool:
    return to_status in LISTING_TRANSITIONS.get(from_status, frozenset())
