"""Reads open to the public, without login (行政执法公示: "who may enforce").

Only what a citizen is entitled to see leaves here: an officer's name, agency and certificate
facts. Never an identity-card number or a phone number.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Certificate

PUBLIC_LOOKUP_LIMIT = 20

# The fields a citizen may see; the query loads nothing else of the officer.
PUBLIC_CERTIFICATE_FIELDS = (
    "number",
    "kind",
    "region_code",
    "issued_on",
    "expires_on",
    "status",
    "officer__name",
    "agency__name",
)


def certificates_public_lookup(q: str) -> QuerySet[Certificate]:
    """Issued certificates whose number is exactly ``q`` or whose holder is named exactly ``q``.

    At most 20, so the check cannot be used to list every officer. Certificates still at the
    application stage (申领) are not shown: they are not yet certificates a citizen can meet.
    """
    q = q.strip()
    if not q:
        return Certificate.objects.none()
    qs = (
        Certificate.objects.filter(Q(number=q) | Q(officer__name=q))
        .exclude(status=Certificate.Status.APPLIED)
        .select_related("officer", "agency")
        .only(*PUBLIC_CERTIFICATE_FIELDS)
        .prefetch_related("domains")
        .order_by("officer__name", "number")
    )
    return qs[:PUBLIC_LOOKUP_LIMIT]
