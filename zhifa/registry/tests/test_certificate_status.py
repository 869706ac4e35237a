"""The status a citizen is shown for a certificate on a day (certificate_status.py)."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.registry.certificate_status import certificate_status_on

EXPIRES = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("status", "label", "on", "shown"),
    [
        ("valid", "有效", date(2026, 6, 30), ("valid", "有效")),  # the expiry day still counts
        ("valid", "有效", date(2026, 7, 1), ("expired", "已过期")),
        ("suspended", "暂扣", date(2026, 7, 1), ("expired", "已过期")),
        ("suspended", "暂扣", date(2026, 1, 1), ("suspended", "暂扣")),
        ("cancelled", "注销", date(2026, 7, 1), ("cancelled", "注销")),  # final says more
        ("revoked", "收回", date(2026, 7, 1), ("revoked", "收回")),
    ],
)
def test_certificate_status_on_a_day(
    status: str, label: str, on: date, shown: tuple[str, str]
) -> None:
    result = certificate_status_on(status=status, status_label=label, expires_on=EXPIRES, on=on)
    assert (result.code, result.label) == shown
    assert result.is_expired == (shown[0] == "expired")


def test_a_certificate_without_an_expiry_date_keeps_its_status() -> None:
    result = certificate_status_on(
        status="valid", status_label="有效", expires_on=None, on=date(2030, 1, 1)
    )
    assert result.code == "valid"
