"""The demo reviews of ``zhifa demo``: catalogs for the demo bodies, reviews in every outcome, a
crime transfer, a head's and a collective decision, all through the services; the log verifies
and a second run adds nothing.

Loaded once for the module (``zhifa demo --cases sample``: the sample cases, then the reviews)
inside a transaction rolled back at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory

from zhifa.cases.models import Case, CaseDocument, CaseStep
from zhifa.demo.testing import DemoSnapshot, demo_loaded
from zhifa.record.models import Entry
from zhifa.record.verification import log_verify
from zhifa.registry import demo as city
from zhifa.registry.models import Account, Agency
from zhifa.review import demo, selectors
from zhifa.review.models import (
    CatalogRule,
    CollectiveDiscussion,
    CrimeTransfer,
    ReviewDispute,
    Submission,
)

TODAY = city.REFERENCE_DAY
DOCS = Path(__file__).resolve().parents[3] / "docs" / "demo.md"

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Loaded:
    output: str
    again: demo.DemoReviewsResult


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: Any, demo_snapshot: DemoSnapshot
) -> Iterator[Loaded]:
    with (
        demo_loaded(demo_snapshot, django_db_blocker) as output,
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield Loaded(output, demo.demo_reviews_load(today=TODAY, sample=True))
        transaction.set_rollback(True)


def _demo_rounds() -> list[Submission]:
    return list(Submission.objects.select_related("case").order_by("pk"))


def test_every_demo_body_has_a_catalog_under_the_city_floor(loaded: Loaded) -> None:
    floors = CatalogRule.objects.filter(region_code=city.CITY_CODE, active=True)
    assert {r.kind for r in floors} == {"fine_person", "fine_organisation", "confiscation"}
    for spec in demo.case_demo.AGENCIES:
        agency = Agency.objects.get(name=spec.name, division_code__startswith="1399")
        own = CatalogRule.objects.filter(agency=agency, active=True)
        kinds = {r.kind for r in own}
        assert {"fine_person", "fine_organisation", "penalty_kind", "hearing"} <= kinds
        floor = {r.kind: r.amount for r in floors}
        for r in own.filter(kind__in=list(floor)):
            assert r.amount is not None and r.amount <= floor[r.kind], (spec.key, r)


def test_the_general_procedure_switch_is_off_in_the_city_and_on_in_one_county(
    loaded: Loaded,
) -> None:
    switches = CatalogRule.objects.filter(kind="all_general").select_related("agency")
    on = {r.agency.name for r in switches if r.active and r.agency is not None}
    off = {r.agency.name for r in switches if not r.active and r.agency is not None}
    assert on == {f"{city.CITY_NAME}甲区市场监督管理局"}
    assert off == {f"{city.CITY_NAME}市场监督管理局"}


def test_reviews_show_every_outcome_of_both_vocabularies(loaded: Loaded) -> None:
    labels = {s.outcome_label for s in _demo_rounds() if s.state == Submission.State.CONCLUDED}
    assert {"同意", "建议纠正", "建议补充调查", "其他意见", "存在问题"} <= labels
    assert all(s.major for s in _demo_rounds())
    # A second round after 建议补充调查, every round kept.
    assert Submission.objects.filter(round=2, outcome="agree").exists()


def test_open_rounds_fill_the_due_and_overdue_lists(loaded: Loaded) -> None:
    supervisor = Account.objects.get(username="supervisor")
    assert selectors.reviews_due(supervisor, TODAY).exists()
    assert selectors.reviews_overdue(supervisor, TODAY).exists()
    reviewer = Account.objects.get(username="reviewer")
    assert selectors.reviewer_queue(reviewer).exists()


def test_a_crime_transfer_is_decided_sent_and_answered(loaded: Loaded) -> None:
    transfer = CrimeTransfer.objects.get()
    assert transfer.state == CrimeTransfer.State.ACCEPTED
    assert transfer.transferred_at is not None and not transfer.transfer_late
    assert transfer.case.state == Case.State.TRANSFERRED


def test_disputes_are_decided_by_the_head_and_by_collective_discussion(loaded: Loaded) -> None:
    decided_by = set(ReviewDispute.objects.values_list("decided_by", flat=True))
    assert decided_by == {ReviewDispute.DecidedBy.HEAD, ReviewDispute.DecidedBy.COLLECTIVE}
    discussion = CollectiveDiscussion.objects.get()
    assert discussion.chair in {m["name"] for m in discussion.members}


def test_reviewed_cases_are_decided_and_carry_the_written_opinion(loaded: Loaded) -> None:
    decided = Case.objects.filter(review_rounds__isnull=False, decided_on__isnull=False).distinct()
    assert decided.count() == 3  # 同意 (city and 甲区), and the head's decision on 建议纠正
    assert CaseDocument.objects.filter(kind=CaseDocument.Kind.REVIEW_OPINION).count() == 1


def test_no_review_date_is_after_today_and_no_time_limit_is_provisional(loaded: Loaded) -> None:
    rounds = Submission.objects.all()
    assert not rounds.filter(submitted_on__gt=TODAY).exists()
    assert not rounds.filter(concluded_on__gt=TODAY).exists()
    assert not CaseStep.objects.filter(on__gt=TODAY).exists()
    assert not rounds.filter(due_provisional=True).exists()
    assert not Case.objects.filter(deadlines_provisional=True).exists()


def test_the_log_verifies_after_the_reviews(loaded: Loaded) -> None:
    report = log_verify(workers=1)
    assert report.ok, [p.message for p in report.problems]
    assert Entry.objects.filter(action="review.conclude").count() >= 7


def test_a_second_run_adds_nothing_and_the_command_prints_the_summary(loaded: Loaded) -> None:
    assert loaded.again.already
    assert "已加载法制审核目录清单" in loaded.output and "集体讨论1次" in loaded.output
    before = (Entry.objects.count(), CatalogRule.objects.count(), Submission.objects.count())
    out = StringIO()
    call_command("demo", "--cases", "sample", stdout=out)
    assert "示范法制审核已加载，未做改动" in out.getvalue()
    assert (Entry.objects.count(), CatalogRule.objects.count(), Submission.objects.count()) == (
        before
    )


def test_review_accounts_log_in_and_are_documented(loaded: Loaded) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for spec in demo.REVIEW_ACCOUNTS:
        assert f"`{spec.username}`" in docs and f"`{spec.password}`" in docs, spec.username
        account = authenticate(
            RequestFactory().post("/login/"), username=spec.username, password=spec.password
        )
        assert isinstance(account, Account) and account.officer is not None
        assert account.officer.has_legal_qualification
        assert selectors.reviews_visible_to(account).exists()
