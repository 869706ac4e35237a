"""A party's personal data: who sees it, and what everyone else sees. One rule, every page.

Inside the agency handling the case — its officers, reviewers, heads and publishers — a
party's 身份证号码, 联系电话 and 住所 are shown in full. Everyone else who may read the case
(the supervisors of its region, the system administrator) sees them masked: in the party table,
in every free text of the record (简要案情, a step's 内容, 违法事实, an opinion …), in the API,
and on the publisher's review page alike. Reading a case is what supervision needs; the
person's identifiers and home are not (《个人信息保护法》第六条: 限于实现处理目的的最小范围).

Masking keeps each value's length (so offsets into a text, such as the publisher's spans, stay
valid) and the parts that tell values apart: the region and last four digits of an ID number,
the carrier prefix and last four digits of a phone; an address is hidden whole (left out where
it is a field of its own, starred where it stands in a text). Besides the
case's own values, any valid 18-digit resident ID number and any mobile number in a text is
masked too — a text may name a witness who is not a party.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from zhifa.core.identifiers import is_valid_mobile, is_valid_resident_id
from zhifa.registry.models import Account
from zhifa.registry.personal_data import mask_id_number, mask_phone

from .models import Case, Party

HIDDEN = "＊"  # one per character of a hidden address (full-width: the text keeps its width)
# Candidates for the checksummed patterns; a longer run of digits is not one of them.
_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
# A payload's fields that hold a party's personal data, and how each is masked.
PERSONAL_FIELDS = ("id_number", "phone", "address")


def sees_party_data(account: Account, case: Case) -> bool:
    """Whether ``account`` sees the parties of ``case`` in full: only inside its agency."""
    return bool(account.is_authenticated and account.agency_id == case.agency_id)


def mask_address(value: str) -> str:
    return HIDDEN * len(value)


class PartyMask:
    """How the personal data of a case's parties is shown to someone outside the agency."""

    def __init__(self, parties: Iterable[Party]) -> None:
        known: dict[str, str] = {}
        for p in parties:
            if p.id_number:
                known[p.id_number] = mask_id_number(p.id_number)
            if p.phone:
                known[p.phone] = mask_phone(p.phone)
            if p.address:
                known[p.address] = mask_address(p.address)
        # Longest first, so an address containing a shorter value is hidden whole.
        self._known = sorted(known.items(), key=lambda kv: -len(kv[0]))

    def text(self, value: str) -> str:
        """A free text with every personal value masked, its length unchanged."""
        for original, masked in self._known:
            value = value.replace(original, masked)

        def id_number(m: re.Match[str]) -> str:
            return mask_id_number(m[0]) if is_valid_resident_id(m[0]) else m[0]

        def mobile(m: re.Match[str]) -> str:
            return mask_phone(m[0]) if is_valid_mobile(m[0]) else m[0]

        return _MOBILE.sub(mobile, _ID_NUMBER.sub(id_number, value))

    def field(self, name: str, value: str) -> str:
        """A party field by its name: the personal ones masked, others as texts."""
        if name == "id_number":
            return mask_id_number(value)
        if name == "phone":
            return mask_phone(value)
        if name == "address":
            return ""  # a field of its own is left out whole, as in the party table
        return self.text(value)

    def payload(self, value: Any) -> Any:
        """A record payload (JSON) with every personal field and every text masked."""
        if isinstance(value, dict):
            return {
                k: self.field(k, v) if isinstance(v, str) else self.payload(v)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.payload(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value


def party_mask(account: Account, case: Case, parties: Iterable[Party]) -> PartyMask | None:
    """The mask ``account`` reads ``case`` through, or None when it sees the data in full."""
    return None if sees_party_data(account, case) else PartyMask(parties)
