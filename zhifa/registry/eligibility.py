"""May an officer act in a domain on a date? The rule, as a pure function.

An officer may be named as an acting officer (《行政处罚法》第四十二条: "执法人员不得少于两人…
持有执法证件") only with a certificate that, on that date:
- is an enforcement certificate (a supervision certificate does not allow enforcing),
- has status 有效 (not 申领, 暂扣, 注销 or 收回),
- has been issued and has not expired (the expiry day itself is still valid),
- covers the domain, and the region where the officer acts (when one is given),
and the officer completed last year's minimum training hours (the requirement is a setting per
region: 法治政府建设实施纲要（2021—2025年） asks for at least 60 hours a year; several provinces
split it 30 professional + 30 public legal knowledge). Officers whose first certificate was
issued during or after last year are not yet measured against a full year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from zhifa.core.identifiers import division_contains

ART_42 = "《行政处罚法》第四十二条"
TRAINING_BASIS = "《法治政府建设实施纲要（2021—2025年）》"


@dataclass(frozen=True)
class CertificateFacts:
    number: str
    kind: str  # "enforcement" | "supervision"
    status: str  # Certificate.Status value
    status_label: str
    issued_on: date | None
    expires_on: date | None
    domain_codes: frozenset[str]
    region_code: str


@dataclass(frozen=True)
class TrainingRule:
    legal_hours: Decimal = Decimal(30)
    professional_hours: Decimal = Decimal(30)

    @property
    def total(self) -> Decimal:
        return self.legal_hours + self.professional_hours

    def is_met(self, legal: Decimal, professional: Decimal) -> bool:
        return legal >= self.legal_hours and professional >= self.professional_hours


@dataclass(frozen=True)
class Eligibility:
    """The answer: ``allowed`` and, when not, every reason in Chinese."""

    allowed: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)
    certificate_number: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def _hours(value: Decimal) -> str:
    """29.0 → "29", 12.5 → "12.5"."""
    return f"{value.normalize():f}"


def _certificate_problems(
    cert: CertificateFacts, domain_code: str, domain_name: str, on: date, region: str | None
) -> list[str]:
    problems: list[str] = []
    if cert.kind != "enforcement":
        problems.append(f"证件{cert.number}为监督证，不能用于执法")
    if cert.status != "valid":
        problems.append(f"证件{cert.number}状态为“{cert.status_label}”")
    if cert.issued_on is None or cert.issued_on > on:
        problems.append(f"证件{cert.number}在{on.isoformat()}尚未核发")
    if cert.expires_on is not None and cert.expires_on < on:
        problems.append(f"证件{cert.number}已于{cert.expires_on.isoformat()}过期")
    if domain_code not in cert.domain_codes:
        problems.append(f"证件{cert.number}的执法领域不含“{domain_name}”")
    if region is not None and not division_contains(cert.region_code, region):
        problems.append(f"证件{cert.number}的执法区域（{cert.region_code}）不含{region}")
    return problems


def officer_eligibility(
    *,
    officer_name: str,
    serving: bool,
    certificates: Sequence[CertificateFacts],
    domain_code: str,
    domain_name: str,
    on: date,
    region: str | None,
    training_last_year: Iterable[tuple[str, Decimal]],
    training_rule: TrainingRule,
    first_issued_on: date | None,
) -> Eligibility:
    """Decide whether the officer may act; ``reasons`` explain every obstacle found."""
    reasons: list[str] = []
    if not serving:
        reasons.append(f"{officer_name}已离岗")
    best: CertificateFacts | None = None
    if not certificates:
        reasons.append(f"{officer_name}未持有行政执法证（{ART_42}）")
    else:
        per_cert = [
            (c, _certificate_problems(c, domain_code, domain_name, on, region))
            for c in certificates
        ]
        usable = [c for c, p in per_cert if not p]
        if usable:
            best = usable[0]
        else:
            reasons.append(
                f"{officer_name}没有在{on.isoformat()}有效且覆盖该领域的执法证（{ART_42}）"
            )
            for _, problems in per_cert:
                reasons.extend(problems)

    last_year = on.year - 1
    if first_issued_on is not None and first_issued_on.year < last_year:
        legal = sum((h for k, h in training_last_year if k == "legal"), Decimal(0))
        professional = sum((h for k, h in training_last_year if k == "professional"), Decimal(0))
        if legal < training_rule.legal_hours:
            reasons.append(
                f"{last_year}年度公共法律知识培训{_hours(legal)}学时，不足{_hours(training_rule.legal_hours)}学时"
                f"（{TRAINING_BASIS}）"
            )
        if professional < training_rule.professional_hours:
            reasons.append(
                f"{last_year}年度专业法律知识培训{_hours(professional)}学时，"
                f"不足{_hours(training_rule.professional_hours)}学时（{TRAINING_BASIS}）"
            )
    allowed = not reasons
    return Eligibility(
        allowed=allowed,
        reasons=tuple(reasons),
        certificate_number=best.number if best and allowed else "",
    )
