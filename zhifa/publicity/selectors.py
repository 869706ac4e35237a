"""Reads of decision publications: the publisher's lists, the public list, proofs, statistics.

``publications_visible_to(account)`` is the only source of the publisher's lists (the
publisher of an agency its own; a supervisor the agencies of its region; the system
administrator all). ``publications_public()`` is the only source of the public lists: published
and not taken down, each with its current version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from zhifa.cases.personal_data import PartyMask
from zhifa.core.calendar import current_calendar
from zhifa.core.exceptions import CalendarUnknown
from zhifa.record import merkle
from zhifa.record.selectors import entry_by_seq, inclusion_proof_for
from zhifa.record.services import public_verifier_key
from zhifa.registry.models import Account, Agency
from zhifa.registry.selectors import agencies_visible_to, is_system_admin, region_of

from . import decision_text
from . import spans as sp
from .models import CorrectionReport, Publication, PublicationVersion

S = Publication.State
Role = Account.Role
PROOF_FORMAT = "zhifa-publication-proof/1"


def publications_visible_to(account: Account) -> QuerySet[Publication]:
    """The publications ``account`` may see in the publisher's pages (none for others)."""
    qs = Publication.objects.select_related("agency", "domain")
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if is_system_admin(account):
        return qs
    if account.role == Role.SUPERVISOR:
        prefix = region_of(account)
        return qs.filter(agency__division_code__startswith=prefix) if prefix else qs.none()
    if account.role == Role.PUBLISHER and account.agency_id is not None:
        return qs.filter(agency_id=account.agency_id)
    return qs.none()


def publications_due(account: Account, today: date) -> QuerySet[Publication]:
    """Drafts not yet overdue, the nearest due day first."""
    return (
        publications_visible_to(account)
        .filter(state=S.DRAFT, due_on__gte=today)
        .order_by("due_on", "id")
    )


def publications_overdue(account: Account, today: date) -> QuerySet[Publication]:
    """Drafts past their due day, the longest overdue first."""
    return (
        publications_visible_to(account)
        .filter(state=S.DRAFT, due_on__lt=today)
        .order_by("due_on", "id")
    )


def publications_held(account: Account) -> QuerySet[Publication]:
    return publications_visible_to(account).filter(state=S.HELD).order_by("-held_at", "-id")


def publications_withdrawn(account: Account) -> QuerySet[Publication]:
    return publications_visible_to(account).filter(state=S.WITHDRAWN).order_by("-withdrawn_on")


def reports_open(account: Account) -> QuerySet[CorrectionReport]:
    return CorrectionReport.objects.filter(
        publication__in=publications_visible_to(account).values("pk"),
        state=CorrectionReport.State.OPEN,
    ).select_related("publication")


@dataclass(frozen=True)
class Countdown:
    """Working days left until the due day (negative: overdue by that many)."""

    due_on: date
    workdays: int | None  # None: the calendar of the year is not published yet
    provisional: bool

    @property
    def overdue(self) -> bool:
        return self.workdays is not None and self.workdays < 0


def countdown(publication: Publication, today: date) -> Countdown:
    try:
        left: int | None = current_calendar().workdays_between(today, publication.due_on)
    except CalendarUnknown:
        left = None
    return Countdown(publication.due_on, left, publication.due_provisional)


# -- the review screen ------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """What the publisher's review screen shows of a draft."""

    original: list[sp.Segment]
    redacted: list[sp.Segment]
    spans: list[dict[str, Any]]
    pending: int
    labels: dict[str, str]


def publication_review(publication: Publication, mask: PartyMask | None = None) -> Review:
    """The review of a draft: its original beside the redacted text, and the spans. ``mask``
    (for a reader outside the agency, see ``cases.personal_data``) masks the original — length
    kept, so the spans still fall on their text."""
    from .services import kind_labels

    labels = kind_labels()
    original = publication.original_text if mask is None else mask.text(publication.original_text)
    spans = sorted((dict(s) for s in publication.spans), key=lambda s: (s["start"], s["id"]))
    for s in spans:
        s["label"] = labels.get(s["kind"], s["kind"])
        s["text"] = original[s["start"] : s["end"]]
    return Review(
        original=sp.original_segments(original, publication.spans, labels),
        redacted=sp.redacted_segments(publication.original_text, publication.spans, labels),
        spans=spans,
        pending=len(sp.pending(publication.spans)),
        labels=labels,
    )


def publication_versions(publication: Publication) -> QuerySet[PublicationVersion]:
    return publication.versions.order_by("number")


def current_version(publication: Publication) -> PublicationVersion | None:
    return publication.versions.order_by("-number").first()


# -- the public portal ------------------------------------------------------------------------


def publications_public() -> QuerySet[Publication]:
    """Published decisions still online, newest decision first, each with ``current`` (its
    latest version, prefetched as ``current_versions``). No personal field is reachable from
    here except through the published versions."""
    latest = PublicationVersion.objects.order_by("-number")
    return (
        Publication.objects.filter(state=S.PUBLISHED, source=Publication.Source.DECISION)
        .select_related("agency", "domain")
        .prefetch_related(Prefetch("versions", queryset=latest, to_attr="current_versions"))
        .order_by("-decided_on", "-id")
    )


def supervision_results_public() -> QuerySet[Publication]:
    """Supervision results online (执法监督结果公开, 条例第三十一条), the portal's own column:
    newest first, each with ``current_versions`` prefetched as ``publications_public``."""
    latest = PublicationVersion.objects.order_by("-number")
    return (
        Publication.objects.filter(state=S.PUBLISHED, source=Publication.Source.SUPERVISION)
        .select_related("agency")
        .prefetch_related(Prefetch("versions", queryset=latest, to_attr="current_versions"))
        .order_by("-decided_on", "-id")
    )


def current_of(publication: Publication) -> PublicationVersion | None:
    """The current version of a publication from ``publications_public()`` (prefetched)."""
    versions: list[PublicationVersion] = getattr(publication, "current_versions", [])
    return versions[0] if versions else None


def publications_public_search(
    qs: QuerySet[Publication],
    *,
    agency: int | None = None,
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Publication]:
    if agency:
        qs = qs.filter(agency_id=agency)
    if kind:
        qs = qs.filter(kind=kind)
    if since:
        qs = qs.filter(decided_on__gte=since)
    if until:
        qs = qs.filter(decided_on__lte=until)
    return qs


def public_agencies() -> QuerySet[Agency]:
    """The agencies that have a decision online (for the list's filter)."""
    return (
        Agency.objects.filter(
            publications__state=S.PUBLISHED, publications__source=Publication.Source.DECISION
        )
        .distinct()
        .order_by("name")
    )


def publication_public(publication_id: int) -> Publication | None:
    """A publication the public may open: published, withdrawn (its notice) or taken down
    (the page says so). Drafts and held ones do not exist for the public."""
    return (
        Publication.objects.filter(
            pk=publication_id, state__in=(S.PUBLISHED, S.WITHDRAWN, S.EXPIRED)
        )
        .select_related("agency", "domain")
        .first()
    )


def version_bundle(version: PublicationVersion) -> dict[str, Any] | None:
    """The machine-readable proof of one version (``proof.json``): its content, the record
    entry's exact bytes, the RFC 9162 inclusion proof, the signed checkpoint and the log's
    key. None when no signed head covers the entry yet."""
    entry = entry_by_seq(version.entry_seq)
    if entry is None:
        return None
    proof = inclusion_proof_for(entry)
    if proof is None:
        return None
    payload = json.loads(entry.leaf_bytes.decode())["payload"]
    return {
        "format": PROOF_FORMAT,
        "publication": version.publication_id,
        "version": version.number,
        "content": payload["content"],
        "content_sha256": version.content_sha256,
        "entry": {
            "seq": entry.seq,
            "leaf": entry.leaf_bytes.decode(),
            "leaf_hash": merkle.leaf_hash(entry.leaf_bytes).hex(),
        },
        "proof": {"tree_size": proof.size, "root_hash": proof.root_hash, "hashes": proof.proof},
        "checkpoint": proof.checkpoint,
        "public_key": public_verifier_key(),
    }


def public_field_rows(
    fields: dict[str, Any], labels: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """(label, value) of the public fields in the page's order, empty ones left out (``labels``:
    the source's, a decision's by default)."""
    return [
        (label, str(fields[name]))
        for name, label in (labels or decision_text.FIELD_LABELS).items()
        if fields.get(name)
    ]


# -- on-time statistics -------------------------------------------------------------------------


@dataclass(frozen=True)
class OnTimeRow:
    agency: Agency
    published: int
    on_time: int
    late: int
    overdue: int

    @property
    def rate(self) -> float | None:
        return None if not self.published else self.on_time / self.published


def on_time_rates(account: Account, today: date) -> list[OnTimeRow]:
    """Per agency in the account's scope: decisions published (ever, incl. those since
    withdrawn or taken down), on time, late, and drafts overdue today."""
    published_states = (S.PUBLISHED, S.WITHDRAWN, S.EXPIRED)
    counts = {
        row["agency_id"]: row
        for row in publications_visible_to(account)
        .filter(source=Publication.Source.DECISION)  # 118号's rates: decisions only
        .order_by()
        .values("agency_id")
        .annotate(
            n_published=Count("id", filter=Q(state__in=published_states)),
            n_on_time=Count("id", filter=Q(state__in=published_states, on_time=True)),
            n_late=Count("id", filter=Q(state__in=published_states, on_time=False)),
            n_overdue=Count("id", filter=Q(state=S.DRAFT, due_on__lt=today)),
        )
    }
    rows = []
    for agency in agencies_visible_to(account).order_by("division_code", "name"):
        c = counts.get(agency.pk)
        if c is None:
            continue
        rows.append(
            OnTimeRow(agency, c["n_published"], c["n_on_time"], c["n_late"], c["n_overdue"])
        )
    return rows


def publication_of_source(source_ref: str) -> Publication | None:
    """The publication of a supervision document (``"supervision.document:7"``), if any."""
    return Publication.objects.filter(source_ref=source_ref).first() if source_ref else None
