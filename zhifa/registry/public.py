"""Reads open to the public, without login (行政执法公示: "who may enforce").

Only what a citizen is entitled to see leaves here: an officer's name, agency and certificate
facts. Never an identity-card number or a phone number (an agency's 监督电话 is public).
The portal's gates (``access_public_*``) answer 404 alike for missing and not-public.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from zhifa.core.identifiers import division_prefix
from zhifa.law import coercion, licensing, penalty
from zhifa.law.periods import Period, Unit

from .models import (
    Agency,
    Certificate,
    CertificateStatusChange,
    DiscretionBenchmark,
    DiscretionGrade,
    LenientListItem,
    Officer,
    PowerItem,
    PublicListing,
    RandomInspectionItem,
)

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


# -- the portal before enforcement (事前公开, 国办发〔2018〕118号) ---------------------------------
#
# Every read below shows only what is in force: active bodies, published power items and
# listings, certificates a citizen may meet. Officers appear by name and certificate only.

# Remedies against any enforcement decision, stated on every body's page (救济渠道).
RECONSIDERATION = Period(
    60,
    Unit.CALENDAR_DAYS,
    "《行政复议法》第二十条",
    "自知道或者应当知道该行政行为之日起申请行政复议",
)
LITIGATION = Period(
    6, Unit.MONTHS, "《行政诉讼法》第四十六条", "自知道或者应当知道作出行政行为之日起提起行政诉讼"
)

# Certificates an officer may show a citizen: valid, or withheld (the portal says so).
PUBLIC_CERTIFICATE_STATUSES = (Certificate.Status.VALID, Certificate.Status.SUSPENDED)

_PUBLISHED = PublicListing.Status.PUBLISHED
_ACTIVE = Agency.Status.ACTIVE


@dataclass(frozen=True)
class Freshness:
    """When the data a page shows last changed, and a fingerprint of it.

    ``updated_at`` is the newest timestamp of the data shown (None: nothing published yet); it is
    the page's 最后更新 and its Last-Modified. ``fingerprint`` also changes on changes that carry
    no timestamp (a power item repealed), so the ETag never answers 304 for a changed page.
    """

    updated_at: datetime | None
    fingerprint: tuple[Any, ...] = ()

    def __or__(self, other: Freshness) -> Freshness:
        stamps = [t for t in (self.updated_at, other.updated_at) if t is not None]
        return Freshness(max(stamps) if stamps else None, self.fingerprint + other.fingerprint)

    @property
    def etag(self) -> str:
        stamp = self.updated_at.isoformat() if self.updated_at else ""
        digest = hashlib.sha256(repr((stamp, self.fingerprint)).encode()).hexdigest()
        return f'"{digest[:32]}"'


def _stamp(value: datetime | date | None) -> datetime | None:
    """A date counts from its start (Asia/Shanghai); nothing is later than now."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, tzinfo=timezone.get_current_timezone())
    return min(value, timezone.now())


def _listing_freshness(model: type[PublicListing]) -> Freshness:
    # Over every row, withdrawn and superseded too: a withdrawal touches updated_at.
    row = model._default_manager.aggregate(last=Max("updated_at"), n=Count("pk"))
    return Freshness(_stamp(row["last"]), (model._meta.model_name, row["n"]))


def agencies_freshness() -> Freshness:
    row = Agency.objects.aggregate(last=Max("updated_at"), n=Count("pk"))
    return Freshness(_stamp(row["last"]), ("agency", row["n"]))


def power_items_freshness(agency_id: int | None = None) -> Freshness:
    """Publishing and repealing carry only a date, so the fingerprint counts the published ids."""
    qs = PowerItem.objects.filter(status=PowerItem.Status.PUBLISHED)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    row = qs.aggregate(
        on=Max("published_on"), created=Max("created_at"), n=Count("pk"), ids=Sum("pk")
    )
    stamps = [s for s in (_stamp(row["on"]), _stamp(row["created"])) if s is not None]
    return Freshness(max(stamps) if stamps else None, ("power", row["n"], row["ids"]))


def officers_freshness(today: date) -> Freshness:
    """Every change of a certificate (registered, issued, withheld, cancelled, an officer
    leaving) appends a status change; the newest has the highest id. Expiry appends nothing:
    the newest certificate to have expired by ``today`` left the list at the start of the day
    after its 有效期至, which dates the list too."""
    row = CertificateStatusChange.objects.order_by("-pk").values_list("pk", "changed_at").first()
    lapsed = Certificate.objects.filter(
        status__in=PUBLIC_CERTIFICATE_STATUSES, expires_on__lt=today
    ).aggregate(last=Max("expires_on"))["last"]
    left_on = lapsed + timedelta(days=1) if lapsed is not None else None
    if row is None:
        return Freshness(_stamp(left_on), ("certificate", 0, left_on))
    stamps = [s for s in (_stamp(row[1]), _stamp(left_on)) if s is not None]
    return Freshness(max(stamps) if stamps else None, ("certificate", row[0], left_on))


def inspection_items_freshness() -> Freshness:
    return _listing_freshness(RandomInspectionItem)


def discretion_benchmarks_freshness() -> Freshness:
    return _listing_freshness(DiscretionBenchmark)


def lenient_items_freshness() -> Freshness:
    return _listing_freshness(LenientListItem)


# -- enforcement bodies --------------------------------------------------------------------


def agencies_public() -> QuerySet[Agency]:
    """Bodies that may enforce today (有效); suspended and revoked ones are not listed."""
    return Agency.objects.filter(status=_ACTIVE)


def agencies_public_search(
    *, q: str = "", division: str = "", domain: str = "", level: str = ""
) -> QuerySet[Agency]:
    """``division`` is a division code: the body's division lies in it (130300 → 1303…)."""
    qs = agencies_public()
    if q:
        qs = qs.filter(name__contains=q)
    if division:
        qs = qs.filter(division_code__startswith=division_prefix(division))
    if domain:
        qs = qs.filter(
            Exists(
                Agency.domains.through.objects.filter(agency_id=OuterRef("pk"), domain__code=domain)
            )
        )
    if level:
        qs = qs.filter(level=level)
    return qs.prefetch_related("domains").order_by("division_code", "name", "pk")


def access_public_agency(agency_id: int) -> Agency:
    """An active body, or 404 (a suspended or revoked body has no public page)."""
    agency = (
        agencies_public()
        .select_related("parent", "entrusted_by")
        .prefetch_related("domains")
        .filter(pk=agency_id)
        .first()
    )
    if agency is None:
        raise Http404
    return agency


def agency_public_officer_count(agency: Agency, today: date) -> int:
    """Serving officers of the body holding a certificate a citizen may meet ``today``."""
    return (
        certificates_public(today)
        .filter(agency_id=agency.pk)
        .values("officer_id")
        .distinct()
        .count()
    )


def agency_public_freshness(agency: Agency, today: date) -> Freshness:
    own = Freshness(_stamp(agency.updated_at), ("agency", agency.pk))
    return own | power_items_freshness(agency.pk) | officers_freshness(today)


# -- officers ------------------------------------------------------------------------------


def certificates_public(today: date) -> QuerySet[Certificate]:
    """Certificates a citizen may meet ``today``: valid or withheld and not expired (the
    expiry day itself still counts), of a serving officer, of an active body. Loads only the
    public fields (never 身份证号码 or phone). An expired certificate is still found by the
    certificate check (``certificates_public_lookup``), which shows it as 已过期."""
    return (
        Certificate.objects.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today),
            status__in=PUBLIC_CERTIFICATE_STATUSES,
            officer__status=Officer.Status.SERVING,
            agency__status=_ACTIVE,
        )
        .select_related("officer", "agency")
        .only(*PUBLIC_CERTIFICATE_FIELDS)
    )


def certificates_public_search(
    *, today: date, q: str = "", agency_id: int | None = None, domain: str = ""
) -> QuerySet[Certificate]:
    """By certificate number (exact) or the holder's name (its beginning); ordered by number,
    which the unique index serves at province scale."""
    qs = certificates_public(today)
    q = q.strip()
    if q:
        qs = qs.filter(Q(number=q) | Q(officer__name__startswith=q))
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if domain:
        qs = qs.filter(
            Exists(
                Certificate.domains.through.objects.filter(
                    certificate_id=OuterRef("pk"), domain__code=domain
                )
            )
        )
    return qs.prefetch_related("domains").order_by("number")


# -- power list ----------------------------------------------------------------------------


def power_items_public() -> QuerySet[PowerItem]:
    """The power list in force: published versions of active bodies."""
    return PowerItem.objects.filter(status=PowerItem.Status.PUBLISHED, agency__status=_ACTIVE)


def power_items_public_search(
    *, q: str = "", category: str = "", domain: str = "", agency_id: int | None = None
) -> QuerySet[PowerItem]:
    qs = power_items_public()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code=q))
    if category:
        qs = qs.filter(category=category)
    if domain:
        qs = qs.filter(domain__code=domain)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs.select_related("agency", "domain").order_by("agency_id", "code")


def power_item_public_freshness(item: PowerItem) -> Freshness:
    return Freshness(_stamp(item.agency.updated_at)) | power_items_freshness(item.agency_id)


def access_public_power_item(item_id: int) -> PowerItem:
    """A published item of an active body with its bases, or 404 (drafts, old versions and
    repealed items have no public page)."""
    item = (
        power_items_public()
        .select_related("agency", "domain")
        .prefetch_related("bases")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    return item


def procedure_step_labels(item: PowerItem) -> list[str]:
    """The item's steps as text; tolerates {"name": …} objects from older imports."""
    labels = []
    for step in item.procedure_steps or []:
        if isinstance(step, dict):
            step = step.get("name") or step.get("title") or step.get("step") or ""
        if str(step).strip():
            labels.append(str(step).strip())
    return labels


@dataclass(frozen=True)
class ServiceGuide:
    """办事指南 of a power item: who handles it, the time limit, the fee, whom to call."""

    time_limit: Period | None
    fee: str
    fee_basis: str


_TIME_LIMITS: dict[str, Period] = {
    PowerItem.Category.LICENSING: licensing.DECISION,
    PowerItem.Category.PENALTY: penalty.DECISION_LIMIT,
    PowerItem.Category.COERCION: coercion.SEIZURE,
}


def power_item_service_guide(item: PowerItem) -> ServiceGuide:
    """The statutory time limit of the item's category and whether a fee is charged."""
    if item.category == PowerItem.Category.LICENSING:
        fee, basis = "不收费（法律、行政法规另有规定的，依照其规定）", "《行政许可法》第五十八条"
    elif item.category in (PowerItem.Category.CHARGE, PowerItem.Category.LEVY):
        fee, basis = "按设定依据规定的项目和标准收取", ""
    else:
        fee, basis = "不收费", ""
    return ServiceGuide(time_limit=_TIME_LIMITS.get(item.category), fee=fee, fee_basis=basis)


# -- listings ------------------------------------------------------------------------------


def _in_force_scope() -> Q:
    """A listing of an active body, or one issued for a region."""
    return Q(agency__isnull=True) | Q(agency__status=_ACTIVE)


def inspection_items_public(
    *, q: str = "", agency_id: int | None = None, category: str = ""
) -> QuerySet[RandomInspectionItem]:
    """Published rows whose power item is still on the published list (by code: a revised
    power item keeps its inspection rows); ``current_power_id`` names that published version."""
    current = PowerItem.objects.filter(
        agency_id=OuterRef("agency_id"),
        code=OuterRef("power_item__code"),
        status=PowerItem.Status.PUBLISHED,
    ).values("pk")[:1]
    qs = (
        RandomInspectionItem.objects.filter(status=_PUBLISHED, agency__status=_ACTIVE)
        .annotate(current_power_id=Subquery(current))
        .filter(current_power_id__isnull=False)
    )
    if q:
        qs = qs.filter(Q(subjects__contains=q) | Q(content__contains=q))
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if category:
        qs = qs.filter(category=category)
    return qs.select_related("agency", "power_item").order_by("agency_id", "category", "pk")


def discretion_benchmarks_public(*, q: str = "", domain: str = "") -> QuerySet[DiscretionBenchmark]:
    qs = DiscretionBenchmark.objects.filter(_in_force_scope(), status=_PUBLISHED)
    if q:
        qs = qs.filter(violation__contains=q)
    if domain:
        qs = qs.filter(domain__code=domain)
    grades = Prefetch("grades", queryset=DiscretionGrade.objects.order_by("position"))
    return (
        qs.select_related("agency", "domain", "power_item", "parent")
        .prefetch_related(grades)
        .order_by("domain_id", "violation", "pk")
    )


def lenient_items_public(*, kind: str = "", domain: str = "") -> QuerySet[LenientListItem]:
    qs = LenientListItem.objects.filter(_in_force_scope(), status=_PUBLISHED)
    if kind:
        qs = qs.filter(kind=kind)
    if domain:
        qs = qs.filter(domain__code=domain)
    return qs.select_related("agency", "domain").order_by("kind", "domain_id", "violation", "pk")


def lenient_kinds_published() -> dict[str, int]:
    """How many rows each list kind has in force (a kind absent: that list is 尚未公布)."""
    rows = (
        LenientListItem.objects.filter(_in_force_scope(), status=_PUBLISHED)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {kind: n for kind, n in rows}
