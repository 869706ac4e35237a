"""The one gate to a supervision matter: missing and not-yours give the same 404."""

from __future__ import annotations

from django.http import Http404

from zhifa.registry.models import Account

from .models import Document, Matter
from .selectors import matters_visible_to


def access_matter(account: Account, pk: int, *, side: str = "supervisor") -> Matter:
    """The matter, if ``account`` sees it from ``side`` ("supervisor": the body's workspace;
    "agency": the supervised agency's inbox). Raises Http404 otherwise."""
    role = Account.Role.SUPERVISOR if side == "supervisor" else Account.Role.HEAD
    if account.role != role:
        raise Http404
    matter = matters_visible_to(account).filter(pk=pk).first()
    if matter is None:
        raise Http404
    return matter


def access_document(account: Account, pk: int) -> Document:
    """A document of a matter the account sees (either side)."""
    doc = (
        Document.objects.select_related("matter", "pdf", "docx")
        .filter(matter__in=matters_visible_to(account), pk=pk)
        .first()
    )
    if doc is None:
        raise Http404
    return doc
