"""The one gate to a review round: ``access_review(account, submission_id, action)``.

Missing and not-yours answer the same 404 (scope of ``selectors.reviews_visible_to``). A round
the account may see but not act on answers 403 with the reason; the services check the same
rules again with the article.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhifa.registry.models import Account

from . import selectors
from .models import CrimeTransfer, Submission

Role = Account.Role


class ReviewAction(StrEnum):
    READ = "read"  # see the round, its frozen submission, checklist and opinion
    REVIEW = "review"  # the assigned reviewer answers the checklist, pauses, concludes
    ASSIGN = "assign"  # the review body or the head assigns a reviewer
    HANDLE = "handle"  # the handling unit resumes the clock, disputes the opinion
    APPROVE = "approve"  # the head extends the limit, decides a dispute


def access_review(
    account: Account, submission_id: int, action: str = ReviewAction.READ
) -> Submission:
    """The round, if ``account`` may do ``action`` on it (Http404 / PermissionDenied)."""
    row = (
        selectors.reviews_visible_to(account)
        .select_related("case", "case__agency", "case__domain", "reviewer")
        .filter(pk=submission_id)
        .first()
    )
    if row is None:
        raise Http404
    if action == ReviewAction.READ:
        return row
    if account.agency_id != row.case.agency_id:
        raise PermissionDenied("执法监督人员只能查看法制审核，不能办理")
    if action == ReviewAction.REVIEW:
        if row.reviewer_id is not None and account.officer_id == row.reviewer_id:
            return row
        raise PermissionDenied("只有分配给本轮审核的审核人员可以审核")
    if action == ReviewAction.ASSIGN and account.role in (Role.REVIEWER, Role.HEAD):
        return row
    if action == ReviewAction.HANDLE and account.role in (Role.OFFICER, Role.HEAD):
        return row
    if action == ReviewAction.APPROVE and account.role == Role.HEAD:
        return row
    raise PermissionDenied("您的角色不能办理该事项")


def access_crime_transfer(account: Account, transfer_id: int) -> CrimeTransfer:
    """A transfer the account may see (404 alike for missing and not-yours)."""
    row = (
        selectors.crime_transfers_visible_to(account)
        .select_related("case", "case__agency")
        .filter(pk=transfer_id)
        .first()
    )
    if row is None:
        raise Http404
    return row
