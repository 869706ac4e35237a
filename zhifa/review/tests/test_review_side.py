"""The review side of daily work: the checklist in one form with an explicit "not reviewed" for
what the record cannot judge, the queue listing each round once, the reviewer writing out their
own 法制审核意见书 from the review page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhifa.cases.models import CaseDocument
from zhifa.cases.tests.conftest import World
from zhifa.record.models import Entry
from zhifa.registry.models import Account
from zhifa.review.models import ChecklistAnswer

from .conftest import Review

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 7, 10, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Tuesday


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def as_(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def text(response: object) -> str:
    return str(response.content.decode())  # type: ignore[attr-defined]


def selected(page: str, point: str) -> str:
    """The value selected in the point's verdict select ("" for the blank 未审查)."""
    select = re.search(rf'<select name="point-{point}-verdict".*?</select>', page, re.S)
    assert select is not None, point
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    return chosen.group(1) if chosen else ""


def test_the_checklist_is_one_form_and_unjudged_points_start_unreviewed(
    world: World, flow: Review
) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    page = text(as_(world.p.reviewer).get(f"/review/{sub.pk}/"))
    assert page.count("保存审核要点") == 1
    assert page.count(f'action="/review/{sub.pk}/steps/checklist/"') == 1
    # The record judges the subject (the power list) and shows what it looked at…
    assert selected(page, "subject") == "pass" and "权责清单事项" in page
    # …but not the facts, the discretion or a suspected crime: those start as 未审查.
    for point in ("facts", "discretion", "crime", "law"):
        assert selected(page, point) == "", point
    assert "未审查（请选择）" in page


def test_one_submit_answers_every_chosen_point_and_leaves_the_rest_unanswered(
    world: World, flow: Review
) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    before = Entry.objects.count()
    response = as_(world.p.reviewer).post(
        f"/review/{sub.pk}/steps/checklist/",
        {
            "on": "2026-04-07",
            "point-facts-verdict": "pass",
            "point-discretion-verdict": "problem",
            "point-discretion-comment": "裁量档次偏低",
            "point-crime-verdict": "",
        },
    )
    assert response.status_code == 302
    answers = {a.point: a.verdict for a in ChecklistAnswer.objects.filter(submission=sub)}
    assert answers["facts"] == "pass" and answers["discretion"] == "problem"
    assert answers["crime"] == ""
    assert Entry.objects.count() == before + 2  # one review.checklist entry per point answered


def test_a_refused_sheet_names_the_point_and_keeps_every_choice(world: World, flow: Review) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    response = as_(world.p.reviewer).post(
        f"/review/{sub.pk}/steps/checklist/",
        {"on": "2026-04-07", "point-facts-verdict": "pass", "point-law-verdict": "problem"},
    )
    assert response.status_code == 409
    page = text(response)
    assert "适用法律、法规、规章是否准确" in page and "须写明具体问题" in page
    assert selected(page, "facts") == "pass" and selected(page, "law") == "problem"
    assert not ChecklistAnswer.objects.filter(submission=sub).exclude(verdict="").exists()


def test_the_queue_lists_an_overdue_round_once_and_first(world: World, flow: Review) -> None:
    sub = flow.submit(flow.stated())
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        page = text(as_(world.p.reviewer).get("/review/"))
    assert page.count(f'href="/review/{sub.pk}/"') == 1
    assert "已逾期" in page and "已超过审核期限，排在最前" in page


def test_the_reviewer_writes_out_the_opinion_from_the_review_page(
    world: World, flow: Review, evidence_dir: object
) -> None:
    sub = flow.conclude(flow.assign(flow.submit(flow.stated())))  # concluded 2026-04-08
    client = as_(world.p.reviewer)
    with time_machine.travel(datetime(2026, 4, 9, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        assert "生成法制审核意见书" in text(client.get(f"/review/{sub.pk}/"))
        response = client.post(f"/review/{sub.pk}/opinion-document/")
    assert response.status_code == 302, re.findall(r"form-errors.*?</div>", text(response), re.S)
    assert response["Location"].endswith("#documents")
    doc = CaseDocument.objects.get(case=sub.case, kind=CaseDocument.Kind.REVIEW_OPINION)
    assert doc.version == 1


def test_the_opinion_before_the_conclusion_is_refused_with_its_reason(
    world: World, flow: Review, evidence_dir: object
) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    response = as_(world.p.reviewer).post(f"/review/{sub.pk}/opinion-document/")
    assert response.status_code == 409 and "出具审核意见之后" in text(response)


def test_the_opinion_post_is_refused_outside_the_agency_and_to_anonymous(
    world: World, flow: Review
) -> None:
    sub = flow.conclude(flow.assign(flow.submit(flow.stated())))
    assert as_(world.p.officer_b).post(f"/review/{sub.pk}/opinion-document/").status_code == 404
    assert as_(world.p.supervisor).post(f"/review/{sub.pk}/opinion-document/").status_code == 403
    response = Client().post(f"/review/{sub.pk}/opinion-document/")
    assert response.status_code == 302 and "/login/" in response["Location"]
