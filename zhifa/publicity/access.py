"""The one gate to a publication, for the publisher's pages and for the public.

``access_publication(account, id, action)``: missing and not-yours answer the same 404 (an
officer, reviewer or head of any agency, a publisher of another agency, the anonymous visitor).
A supervisor of the region may read and answers 403 on any change. ``public_publication(id)``
is the public's gate: drafts and held ones are 404 like missing ones.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhifa.registry.models import Account

from . import selectors
from .models import CorrectionReport, Publication

Role = Account.Role


class PublicationAction(StrEnum):
    READ = "read"  # see the draft, its original text, versions and reports
    EDIT = "edit"  # review, publish, correct, withdraw (the agency's publisher)


def access_publication(
    account: Account, publication_id: int, action: str = PublicationAction.READ
) -> Publication:
    publication = (
        selectors.publications_visible_to(account)
        .select_related("case", "case__agency")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        raise Http404
    if action == PublicationAction.READ:
        return publication
    if account.role != Role.PUBLISHER or account.agency_id != publication.agency_id:
        raise PermissionDenied("执法监督人员只能查看公示，不能审核或公开")
    return publication


def access_report(account: Account, report_id: int) -> CorrectionReport:
    report = (
        CorrectionReport.objects.filter(
            pk=report_id,
            publication__in=selectors.publications_visible_to(account).values("pk"),
        )
        .select_related("publication")
        .first()
    )
    if report is None:
        raise Http404
    return report


def public_publication(publication_id: int) -> Publication:
    publication = selectors.publication_public(publication_id)
    if publication is None:
        raise Http404
    return publication


def require_publicity_reader(account: Account) -> None:
    """The publisher's pages exist only for publishers, supervisors and the system admin."""
    if not account.is_authenticated or account.role not in (
        Role.PUBLISHER,
        Role.SUPERVISOR,
        Role.ADMIN,
    ):
        raise Http404
