"""How officers' personal data is shown to those who may see the record but not the person.

Pages, the API and exports show 身份证号码 and 手机号码 in full only to administrators; everyone
else sees them masked. One rule, one place.
"""

from __future__ import annotations

from .models import Account


def sees_personal_data(account: Account) -> bool:
    return bool(account.is_authenticated and account.role == Account.Role.ADMIN)


def mask_id_number(value: str) -> str:
    """110101********1234: the region of birth and the last four digits stay readable."""
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_phone(value: str) -> str:
    """138****0001: the carrier prefix and the last four digits stay readable."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
