"""How an inspecting officer's certificate stands today, as the enterprise sees it on the code
page: is it valid today (status 有效, issued, not expired — the expiry day itself is valid), and
does it cover the inspection item's domain and the place (in scope)?

Officers must carry and show a valid 执法证件 (《行政处罚法》第四十二条; 司法部《行政检查文书基本
格式文本（试行）》: "不得以其他证件代替"). Pure: given the certificates' facts and ``on``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from zhifa.core.identifiers import division_contains
from zhifa.registry.eligibility import CertificateFacts

ARTICLE = "《中华人民共和国行政处罚法》第四十二条"


@dataclass(frozen=True)
class Standing:
    """One officer's certificate today: its number (empty: none), whether it is valid today,
    whether it covers the item's domain and region, and why not, in Chinese."""

    number: str
    valid_today: bool
    in_scope: bool
    expires_on: date | None
    notes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.valid_today and self.in_scope


def _chinese(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _valid_on(cert: CertificateFacts, on: date) -> bool:
    return (
        cert.status == "valid"
        and cert.issued_on is not None
        and cert.issued_on <= on
        and (cert.expires_on is None or on <= cert.expires_on)
    )


def _covers(cert: CertificateFacts, domain_code: str, region: str | None) -> bool:
    in_region = region is None or division_contains(cert.region_code, region)
    return domain_code in cert.domain_codes and in_region


def certificate_standing(
    certificates: Sequence[CertificateFacts],
    *,
    domain_code: str,
    domain_name: str,
    region: str | None,
    on: date,
) -> Standing:
    """The standing of the officer's best enforcement certificate on ``on``: one valid and in
    scope if there is one, else one valid today, else the latest (by expiry) they hold."""
    enforcement = [c for c in certificates if c.kind == "enforcement"]
    if not enforcement:
        return Standing("", False, False, None, (f"未持有行政执法证（{ARTICLE}）",))
    ranked = sorted(
        enforcement,
        key=lambda c: (
            _valid_on(c, on) and _covers(c, domain_code, region),
            _valid_on(c, on),
            c.expires_on or date.max,
        ),
        reverse=True,
    )
    best = ranked[0]
    valid = _valid_on(best, on)
    covers = _covers(best, domain_code, region)
    notes: list[str] = []
    if best.status != "valid":
        notes.append(f"证件状态为“{best.status_label}”")
    elif best.issued_on is None or best.issued_on > on:
        notes.append("证件尚未核发")
    elif best.expires_on is not None and best.expires_on < on:
        notes.append(f"证件已于{_chinese(best.expires_on)}过期")
    if domain_code not in best.domain_codes:
        notes.append(f"证件的执法领域不含“{domain_name}”")
    elif region is not None and not division_contains(best.region_code, region):
        notes.append(f"证件的执法区域（{best.region_code}）不含{region}")
    return Standing(best.number, valid, covers, best.expires_on, tuple(notes))
