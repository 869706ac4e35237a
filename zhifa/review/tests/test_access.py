"""The one gate to a review round: 404 alike for missing and not-yours, 403 with the reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhifa.review.access import ReviewAction, access_crime_transfer, access_review

from .conftest import Review, World

pytestmark = pytest.mark.django_db


def test_access_review_answers_404_for_another_agency_anonymous_and_missing(
    world: World, flow: Review
) -> None:
    sub = flow.submit(flow.stated())
    for account in (world.p.officer_b, world.p.anonymous):
        with pytest.raises(Http404):
            access_review(account, sub.pk)  # type: ignore[arg-type]
    with pytest.raises(Http404):
        access_review(world.p.officer, sub.pk + 1000)
    with pytest.raises(Http404):
        access_crime_transfer(world.p.officer_b, 1)


def test_access_review_lets_each_role_do_its_part(world: World, flow: Review) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    assert access_review(world.p.supervisor, sub.pk) == sub
    with pytest.raises(PermissionDenied, match="只能查看"):
        access_review(world.p.supervisor, sub.pk, ReviewAction.REVIEW)
    assert access_review(world.p.reviewer, sub.pk, ReviewAction.REVIEW) == sub
    with pytest.raises(PermissionDenied, match="分配给本轮审核的审核人员"):
        access_review(world.p.officer, sub.pk, ReviewAction.REVIEW)
    assert access_review(world.p.officer, sub.pk, ReviewAction.HANDLE) == sub
    assert access_review(world.p.head, sub.pk, ReviewAction.APPROVE) == sub
    with pytest.raises(PermissionDenied):
        access_review(world.p.officer, sub.pk, ReviewAction.APPROVE)
