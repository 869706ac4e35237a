"""Template tags of the registry's pages: a certificate's status as of a day."""

from __future__ import annotations

from datetime import date

from django import template

from zhifa.registry.certificate_status import StatusShown, certificate_status_on
from zhifa.registry.models import Certificate

register = template.Library()


@register.simple_tag
def certificate_status(certificate: Certificate, today: date) -> StatusShown:
    """``{% certificate_status c today as shown %}``: the status a citizen must see today."""
    return certificate_status_on(
        status=certificate.status,
        status_label=certificate.get_status_display(),
        expires_on=certificate.expires_on,
        on=today,
    )
