"""The status a certificate has on a given day, as the public is shown it.

The stored status changes only through a service (issued, withheld, cancelled, revoked); expiry
needs none: a certificate counts to the end of its 有效期至 day and is 已过期 from the next day
(the same rule as ``eligibility``: "the expiry day itself is still valid"). A citizen checking an
officer on the spot must read 已过期, never the stored 有效. Pure: no Django, no now().
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

EXPIRED = "expired"
EXPIRED_LABEL = "已过期"

# Stored statuses that the passing of the expiry day overrides. 注销 and 收回 are final and say
# more than 已过期; 申领 has no dates yet.
_LAPSING = frozenset({"valid", "suspended"})


@dataclass(frozen=True)
class StatusShown:
    """``code``: a ``Certificate.Status`` value or ``EXPIRED``; ``label``: what the page says."""

    code: str
    label: str

    @property
    def is_expired(self) -> bool:
        return self.code == EXPIRED


def certificate_status_on(
    *, status: str, status_label: str, expires_on: date | None, on: date
) -> StatusShown:
    """The certificate's status on ``on``: 已过期 once ``on`` is past ``expires_on`` for a
    certificate stored as 有效 or 暂扣, else the stored status."""
    if status in _LAPSING and expires_on is not None and expires_on < on:
        return StatusShown(EXPIRED, EXPIRED_LABEL)
    return StatusShown(status, status_label)
