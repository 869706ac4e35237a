"""Which channels reach an account (pure): inside zhifa, and by e-mail where the deployment has
an SMTP server (``ZHIFA_EMAIL_NOTIFICATIONS``), the account an address and its setting allows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Channels:
    in_app: bool
    email: bool


def channels_for(
    *, in_app_setting: bool, email_setting: bool, address: str, smtp_configured: bool
) -> Channels:
    """The channels a notification takes. In-app rows are always kept (the list page shows
    them); ``in_app`` says whether they count in the header."""
    return Channels(
        in_app=in_app_setting,
        email=email_setting and smtp_configured and bool(address.strip()),
    )
