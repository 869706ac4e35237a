"""Reads of the registry. Every list an account sees comes from a ``*_visible_to`` here.

Scope: an account sees its own agency's data; a supervisor (and a regional admin) every agency
whose administrative division lies in its region; the system admin (no agency, no region) all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhifa.core.identifiers import division_prefix

from .eligibility import CertificateFacts, Eligibility, TrainingRule, officer_eligibility
from .models import (
    Account,
    Agency,
    Certificate,
    CertificateStatusChange,
    DiscretionBenchmark,
    Domain,
    LenientListItem,
    Officer,
    PowerItem,
    RandomInspectionItem,
    TrainingRecord,
    TrainingRequirement,
)

Role = Account.Role


def is_system_admin(account: Account) -> bool:
    return account.role == Role.ADMIN and account.agency_id is None and not account.region_code


def region_of(account: Account) -> str | None:
    """The division prefix an account may see, or None for its single agency.

    A supervisor of 本系统内部监督 (条例第四十二条) or 司法所协助 (第六条第二款) scope has no
    region-wide view anywhere: what it supervises is ``zhifa.supervision.scope``'s."""
    if (
        account.role == Role.SUPERVISOR
        and account.supervision_scope != Account.SupervisionScope.REGION
    ):
        return None
    if account.role in (Role.SUPERVISOR, Role.ADMIN) and account.region_code:
        return division_prefix(account.region_code)
    return None


def agencies_below(agency_id: int) -> set[int]:
    """The ids of the bodies below ``agency_id`` through 上级主体 (``Agency.parent``), any depth,
    itself excluded. One query a level; a cycle (not expected in the registry) cannot loop."""
    seen: set[int] = set()
    level = {agency_id}
    while level:
        below = set(Agency.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        level = below - seen - {agency_id}
        seen |= level
    return seen


def system_of(account: Account) -> list[int] | None:
    """For a supervisor of 本系统内部监督 scope (《行政执法监督条例》第四十二条): its department
    and the bodies below it, which it reads as a region's supervisor reads its region (their
    cases, officers, certificates, items); None for every other account."""
    if (
        account.role != Role.SUPERVISOR
        or account.supervision_scope != Account.SupervisionScope.SYSTEM
        or account.agency_id is None
    ):
        return None
    return [account.agency_id, *sorted(agencies_below(account.agency_id))]


def agencies_visible_to(account: Account) -> QuerySet[Agency]:
    qs = Agency.objects.all()
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if is_system_admin(account):
        return qs
    prefix = region_of(account)
    if prefix is not None:
        return qs.filter(division_code__startswith=prefix)
    system = system_of(account)
    if system is not None:
        return qs.filter(pk__in=system)
    if account.agency_id is None:
        return qs.none()
    return qs.filter(pk=account.agency_id)


def _agency_filter(account: Account, field: str = "agency") -> Q:
    if is_system_admin(account):
        return Q()
    prefix = region_of(account)
    if prefix is not None:
        return Q(**{f"{field}__division_code__startswith": prefix})
    system = system_of(account)
    if system is not None:
        return Q(**{f"{field}_id__in": system})
    return Q(**{f"{field}_id": account.agency_id or -1})


def officers_visible_to(account: Account) -> QuerySet[Officer]:
    if not account.is_authenticated or not account.is_active:
        return Officer.objects.none()
    return Officer.objects.filter(_agency_filter(account))


def certificates_visible_to(account: Account) -> QuerySet[Certificate]:
    if not account.is_authenticated or not account.is_active:
        return Certificate.objects.none()
    return Certificate.objects.filter(_agency_filter(account, "officer__agency"))


def power_items_visible_to(account: Account) -> QuerySet[PowerItem]:
    if not account.is_authenticated or not account.is_active:
        return PowerItem.objects.none()
    return PowerItem.objects.filter(_agency_filter(account))


# -- searches used by the list pages and the API ------------------------------------------


def agencies_search(
    qs: QuerySet[Agency], *, q: str = "", level: str = "", domain: str = "", status: str = ""
) -> QuerySet[Agency]:
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code=q.upper()) | Q(division_code=q))
    if level:
        qs = qs.filter(level=level)
    if domain:
        qs = qs.filter(domains__code=domain)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("division_code", "name", "pk")


def officers_search(
    qs: QuerySet[Officer],
    *,
    q: str = "",
    agency_id: int | None = None,
    agency_name: str = "",
    certificate_status: str = "",
    domain: str = "",
) -> QuerySet[Officer]:
    # Certificate conditions are EXISTS subqueries, not joins + DISTINCT: over a province's
    # 100,000 officers the join and DISTINCT cost 50–180 ms a page (bench/registry_bench.py).
    if q:
        by_number = Certificate.objects.filter(officer=OuterRef("pk"), number=q)
        qs = qs.filter(Q(name__startswith=q) | Exists(by_number))
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if agency_name:
        qs = qs.filter(agency__name__contains=agency_name)
    if certificate_status or domain:
        certs = Certificate.objects.filter(officer=OuterRef("pk"))
        if certificate_status:
            certs = certs.filter(status=certificate_status)
        if domain:
            certs = certs.filter(domains__code=domain)
        qs = qs.filter(Exists(certs))
    return qs.select_related("agency").order_by("agency_id", "name", "pk")


def power_items_search(
    qs: QuerySet[PowerItem],
    *,
    q: str = "",
    category: str = "",
    agency_id: int | None = None,
    agency_name: str = "",
    status: str = "",
    random_inspection: bool | None = None,
) -> QuerySet[PowerItem]:
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code=q))
    if category:
        qs = qs.filter(category=category)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if agency_name:
        qs = qs.filter(agency__name__contains=agency_name)
    if status:
        qs = qs.filter(status=status)
    if random_inspection is not None:
        qs = qs.filter(is_random_inspection=random_inspection)
    return qs.select_related("agency", "domain").order_by("agency_id", "code", "-version")


def power_item_versions(item: PowerItem) -> QuerySet[PowerItem]:
    """Every version of the item's code at its agency, newest first."""
    return PowerItem.objects.filter(agency_id=item.agency_id, code=item.code).order_by("-version")


def agency_holds_power(agency: Agency, code: str) -> PowerItem | None:
    """The published version of power ``code`` at ``agency``, or None ("清单之外无权力")."""
    return (
        PowerItem.objects.filter(agency=agency, code=code, status=PowerItem.Status.PUBLISHED)
        .select_related("domain")
        .first()
    )


# -- may officer X act in domain D on date T? ---------------------------------------------


def training_rule_for(division_code: str) -> TrainingRule:
    """The yearly training requirement of the longest region prefix that covers the code."""
    candidates = {division_code[:n].ljust(6, "0") for n in (2, 4, 6)}
    rows = {
        r.region_code: r for r in TrainingRequirement.objects.filter(region_code__in=candidates)
    }
    for n in (6, 4, 2):
        row = rows.get(division_code[:n].ljust(6, "0"))
        if row is not None:
            return TrainingRule(row.legal_hours, row.professional_hours)
    return TrainingRule()


def officer_may_act(
    officer: Officer, domain: Domain, on: date, *, region: str | None = None
) -> Eligibility:
    """May ``officer`` act in ``domain`` on ``on`` (optionally within ``region``)?

    Answers with every reason when not: no certificate, expired, not yet issued, suspended or
    cancelled, domain or region out of scope, last year's training hours short, officer left.
    Three queries, whatever the officer's history.
    """
    certs = list(
        Certificate.objects.filter(officer=officer)
        .prefetch_related("domains")
        .order_by("-expires_on", "pk")
    )
    facts = [
        CertificateFacts(
            number=c.number,
            kind=c.kind,
            status=c.status,
            status_label=c.get_status_display(),
            issued_on=c.issued_on,
            expires_on=c.expires_on,
            domain_codes=frozenset(d.code for d in c.domains.all()),
            region_code=c.region_code,
        )
        for c in certs
    ]
    issued = [c.issued_on for c in certs if c.issued_on is not None]
    training: list[tuple[str, Decimal]] = list(
        TrainingRecord.objects.filter(officer=officer, year=on.year - 1).values_list(
            "kind", "hours"
        )
    )
    return officer_eligibility(
        officer_name=officer.name,
        serving=officer.status == Officer.Status.SERVING,
        certificates=facts,
        domain_code=domain.code,
        domain_name=domain.name,
        on=on,
        region=region,
        training_last_year=training,
        training_rule=training_rule_for(officer.agency.division_code),
        first_issued_on=min(issued) if issued else None,
    )


def certificate_history(certificate: Certificate) -> QuerySet[CertificateStatusChange]:
    return (
        CertificateStatusChange.objects.filter(certificate=certificate)
        .select_related("changed_by")
        .order_by("changed_at", "pk")
    )


def domains_all() -> QuerySet[Domain]:
    """Every enforcement domain; the list is public (it names fields of law, not people)."""
    return Domain.objects.order_by("code")


def domain_by_code(code: str) -> Domain | None:
    return Domain.objects.filter(code=code.strip()).first()


@dataclass(frozen=True)
class TrainingYear:
    year: int
    legal: Decimal
    professional: Decimal
    rule: TrainingRule

    @property
    def total(self) -> Decimal:
        return self.legal + self.professional

    @property
    def met(self) -> bool:
        return self.rule.is_met(self.legal, self.professional)


def officer_training_years(officer: Officer) -> list[TrainingYear]:
    """Training hours per year and kind, newest year first, against the region's requirement."""
    rule = training_rule_for(officer.agency.division_code)
    hours: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for year, kind, h in TrainingRecord.objects.filter(officer=officer).values_list(
        "year", "kind", "hours"
    ):
        hours[year][kind] += h
    return [
        TrainingYear(
            year=year,
            legal=hours[year][TrainingRecord.Kind.LEGAL],
            professional=hours[year][TrainingRecord.Kind.PROFESSIONAL],
            rule=rule,
        )
        for year in sorted(hours, reverse=True)
    ]


@dataclass(frozen=True)
class RegistryOverview:
    counts: dict[str, int]
    expiring_soon: list[Certificate]


def registry_overview(account: Account, today: date, *, warning_days: int) -> RegistryOverview:
    """What the workbench shows: counts in the account's scope and certificates expiring soon."""
    valid = certificates_visible_to(account).filter(status=Certificate.Status.VALID)
    expiring = valid.filter(
        expires_on__gte=today, expires_on__lte=today + timedelta(days=warning_days)
    )
    counts = {
        "agencies": agencies_visible_to(account).count(),
        "officers": officers_visible_to(account).count(),
        "valid_certificates": valid.count(),
        "expiring_certificates": expiring.count(),
        "published_power_items": power_items_visible_to(account)
        .filter(status=PowerItem.Status.PUBLISHED)
        .count(),
    }
    soon = list(expiring.select_related("officer", "agency").order_by("expires_on", "number")[:10])
    return RegistryOverview(counts=counts, expiring_soon=soon)


def account_by_username(username: str, *, active_only: bool = True) -> Account | None:
    """The account a command acts as (``--as USERNAME``)."""
    qs = Account.objects.filter(username=username)
    return (qs.filter(is_active=True) if active_only else qs).first()


# -- published before enforcement: the listings an account manages ------------------------
# (The public reads of the same data, without login, are in ``public.py``.)


def inspection_items_visible_to(account: Account) -> QuerySet[RandomInspectionItem]:
    if not account.is_authenticated or not account.is_active:
        return RandomInspectionItem.objects.none()
    return RandomInspectionItem.objects.filter(_agency_filter(account))


def discretion_benchmarks_visible_to(account: Account) -> QuerySet[DiscretionBenchmark]:
    """The account's agencies' benchmarks and every region-wide one (those are public)."""
    if not account.is_authenticated or not account.is_active:
        return DiscretionBenchmark.objects.none()
    if is_system_admin(account):
        # ``Q() | Q(…)`` is the second Q alone: the empty filter must not be OR-ed.
        return DiscretionBenchmark.objects.all()
    return DiscretionBenchmark.objects.filter(_agency_filter(account) | Q(agency__isnull=True))


def lenient_items_visible_to(account: Account) -> QuerySet[LenientListItem]:
    """The account's agencies' list rows and every region-wide one (those are public)."""
    if not account.is_authenticated or not account.is_active:
        return LenientListItem.objects.none()
    if is_system_admin(account):  # Q() | Q(…) would keep only the right-hand side
        return LenientListItem.objects.all()
    return LenientListItem.objects.filter(_agency_filter(account) | Q(agency__isnull=True))


def listing_versions(
    item: RandomInspectionItem | DiscretionBenchmark | LenientListItem,
) -> list[RandomInspectionItem | DiscretionBenchmark | LenientListItem]:
    """The row and the versions it revised, newest first (following ``previous``)."""
    chain: list[RandomInspectionItem | DiscretionBenchmark | LenientListItem] = []
    current: Any = item
    while current is not None:
        chain.append(current)
        current = current.previous
    return chain
