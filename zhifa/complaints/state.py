"""The keyed digest of a complaint's state, put in every entry that writes it and checked by
``zhifa verify`` (``selectors.complaints_replay_check``). Keyed (registry.row_state): the entry
holds no personal data, and the digest cannot be guessed from a phone number."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings

from zhifa.registry import row_state

from .models import Complaint

LABEL = "complaints.complaint"

FIELDS = (
    "number",
    "code_hash",
    "origin",
    "source_ref",
    "agency_id",
    "officer_id",
    "officer_given",
    "certificate_number",
    "facts",
    "happened_on",
    "anonymous",
    "complainant_name",
    "complainant_contact",
    "consent_share",
    "submitted_by_id",
    "state",
    "received_on",
    "accept_due",
    "accepted_on",
    "handle_due",
    "extended",
    "closed_on",
    "refusal_reason",
    "transferred_to",
    "result",
    "result_told_on",
    "matter_id",
)


def _key(secret: Any = None) -> bytes:
    return row_state.digest_key(secret if secret is not None else settings.SECRET_KEY)


def complaint_digest(complaint: Complaint, secret: Any = None) -> str:
    values = [getattr(complaint, f) for f in FIELDS]
    raw = row_state.state_digest(_key(secret), LABEL, values)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def digest_matches(complaint: Complaint, recorded: str) -> bool:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(complaint_digest(complaint, s) == recorded for s in secrets)
