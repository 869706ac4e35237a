"""The one gate to a filing: missing and not-yours give the same 404."""

from __future__ import annotations

from django.http import Http404

from zhifa.registry.models import Account

from .models import Filing
from .selectors_filings import filings_visible_to


def access_filing(account: Account, pk: int) -> Filing:
    filing = filings_visible_to(account).filter(pk=pk).first()
    if filing is None:
        raise Http404
    return filing
