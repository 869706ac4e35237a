"""The one gate to a filing: ``access_filing(account, filing_id, action)``.

Missing and not-yours answer the same 404; a filing the account may read but not review
(its agency, an upper-level supervisor) answers 403 with the reason.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhifa.registry.models import Account

from .models import Filing
from .selectors import filings_visible_to, reviews_filing


class FilingAction(StrEnum):
    READ = "read"
    REVIEW = "review"  # 审查, 终止审查: the addressed body's supervisors


def access_filing(account: Account, filing_id: int, action: str = FilingAction.READ) -> Filing:
    filing = filings_visible_to(account).filter(pk=filing_id).first()
    if filing is None:
        raise Http404
    if action == FilingAction.REVIEW and not reviews_filing(account, filing):
        raise PermissionDenied("只有备案审查机关的执法监督人员可以审查该备案")
    return filing
