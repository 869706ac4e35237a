"""The outcomes pages: the supervisor's campaign outcomes, the agency's evaluated files with its
objection form and countdown, the repeated failures, the accountability register (list, detail,
new; linked from the case workspace and filtered by officer) — each with its wrong-agency and
anonymous test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.test import Client

from zhifa.cases.tests.conftest import World
from zhifa.evaluation import services_outcomes as services
from zhifa.evaluation.models import Accountability, Objection, Report, Scoring, TeamMember
from zhifa.evaluation.recording import record_rows
from zhifa.evaluation.tests.outcomes_world import Outcomes, campaign_with_files
from zhifa.registry.models import Account
from zhifa.supervision.models import Matter
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db


def client(account: Account | None) -> Client:
    c = Client()
    if account is not None:
        c.force_login(account)
    return c


@pytest.fixture
def o(bureau: Bureau, world: World, template: object) -> Iterator[Outcomes]:
    with time_machine.travel("2026-10-30 10:00 +08:00", tick=False):
        yield campaign_with_files(bureau, world, template)  # type: ignore[arg-type]


def fed_back(b: Bureau, o: Outcomes) -> None:
    with time_machine.travel("2026-11-02 10:00 +08:00", tick=False):
        services.campaign_report_team(actor=b.sup1, campaign=o.campaign, on=date(2026, 10, 30))
        services.campaign_feedback(actor=b.sup1, campaign=o.campaign, on=date(2026, 11, 2))


def test_the_supervisor_makes_the_team_report_and_feedback_from_the_page(
    bureau: Bureau, o: Outcomes
) -> None:
    url = f"/evaluation/campaigns/{o.campaign.pk}/outcomes/"
    with time_machine.travel("2026-10-30 10:00 +08:00", tick=False):
        page = client(bureau.sup1).get(url).content.decode()
        assert "处罚决定书和告知书均无送达回证" in page and "登记监督事项" in page
        r = client(bureau.sup1).post(url + "team-report/", {"suggestions": "规范送达"})
        assert r.status_code == 302
        page = client(bureau.sup1).get(url).content.decode()
        assert "评查小组报告" in page and "反馈评查结果" in page
        report = Report.objects.get(kind=Report.Kind.TEAM)
        pdf = client(bureau.sup1).get(f"/evaluation/reports/{report.pk}/pdf/")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        # a refusal names its rule and keeps the page (the state moved on)
        again = client(bureau.sup1).post(url + "team-report/", {"suggestions": "再来一次"})
        assert again.status_code == 409 and "第十二条第（四）项" in again.content.decode()
    for outsider in (bureau.far, bureau.p.head, bureau.p.officer):
        assert client(outsider).get(url).status_code == 404
        assert client(outsider).get(f"/evaluation/reports/{report.pk}/pdf/").status_code == 404
    assert client(None).get(url).status_code == 302


def test_one_click_opens_a_matter_from_a_failed_file(bureau: Bureau, o: Outcomes) -> None:
    with time_machine.travel("2026-10-30 10:00 +08:00", tick=False):
        r = client(bureau.sup1).post(f"/evaluation/files/{o.failing.pk}/matter/")
    matter = Matter.objects.get(origin=Matter.Origin.EVALUATION)
    assert r.status_code == 302 and r["Location"] == f"/supervision/matters/{matter.pk}/"
    assert client(bureau.far).post(f"/evaluation/files/{o.vetoed.pk}/matter/").status_code == 404
    assert client(bureau.p.head).post(f"/evaluation/files/{o.vetoed.pk}/matter/").status_code == 404


def test_the_agency_sees_its_results_and_deductions_but_not_the_drafts(
    bureau: Bureau, o: Outcomes
) -> None:
    member = TeamMember.objects.get(campaign=o.campaign, is_leader=True)
    draft = Scoring.objects.create(
        file=o.good,
        reviewer=member,
        marks={"items": {"A1": {"occurrences": 1, "reason": "草稿中的意见"}}},
    )
    record_rows(bureau.sup2, "evaluation.fixture.scoring", [draft], on="2026-10-20")
    assert "2026年度" not in client(bureau.p.head).get("/evaluation/agency/").content.decode()
    fed_back(bureau, o)
    with time_machine.travel("2026-11-13 10:00 +08:00", tick=False):
        page = client(bureau.p.head).get("/evaluation/agency/").content.decode()
    assert "处罚决定书和告知书均无送达回证" in page and "40.00" in page
    assert "草稿中的意见" not in page
    assert "提出异议还剩1个工作日" in page
    assert "《广东省行政执法案卷评查办法》第十二条第（七）项" in page
    assert "评查结果反馈意见" in page
    other = client(o.head_b).get("/evaluation/agency/").content.decode()
    assert "处罚决定书和告知书均无送达回证" not in other
    assert client(bureau.p.officer).get("/evaluation/agency/").status_code == 404
    assert client(None).get("/evaluation/agency/").status_code == 302


def test_an_objection_on_the_day_after_the_limit_is_refused_and_keeps_the_text(
    bureau: Bureau, o: Outcomes
) -> None:
    fed_back(bureau, o)
    url = f"/evaluation/files/{o.failing.pk}/objection/"
    with time_machine.travel("2026-11-17 10:00 +08:00", tick=False):
        r = client(bureau.p.head).post(url, {"reasons": "送达回证在副卷第3页"})
    body = r.content.decode()
    assert r.status_code == 409 and "第十二条第（七）项" in body and "送达回证在副卷第3页" in body
    assert not Objection.objects.exists()
    assert client(o.head_b).post(url, {"reasons": "x"}).status_code == 404
    with time_machine.travel("2026-11-16 10:00 +08:00", tick=False):
        r = client(bureau.p.head).post(url, {"reasons": "送达回证在副卷第3页"})
        assert r.status_code == 302
        objection = Objection.objects.get()
        page = (
            client(bureau.sup1)
            .get(f"/evaluation/campaigns/{o.campaign.pk}/outcomes/")
            .content.decode()
        )
        assert "复核答复还剩10个工作日" in page
        a = client(bureau.sup1).post(
            f"/evaluation/objections/{objection.pk}/answer/",
            {"outcome": "upheld", "answer": "副卷有送达回证", f"a{objection.pk}_occ_A1": "1"},
        )
    assert a.status_code == 302
    assert Objection.objects.get().outcome == Objection.Outcome.UPHELD
    assert (
        client(bureau.p.head).post(f"/evaluation/objections/{objection.pk}/answer/").status_code
        == 404
    )


def test_the_repeated_failures_page_shows_its_threshold_and_source(
    bureau: Bureau, world: World, o: Outcomes
) -> None:
    page = client(bureau.sup1).get("/evaluation/repeated-failures/?year=2026").content.decode()
    assert "示范市甲区市场监督管理局" in page and world.o1.name in page
    assert "《广东省行政执法案卷评查办法》第二十五条" in page
    assert (
        world.o1.name
        not in client(bureau.far).get("/evaluation/repeated-failures/?year=2026").content.decode()
    )
    assert client(bureau.p.head).get("/evaluation/repeated-failures/").status_code == 404
    assert client(None).get("/evaluation/repeated-failures/").status_code == 302


def test_accountability_pages_for_supervisors_the_agency_and_nobody_else(
    bureau: Bureau, world: World, o: Outcomes
) -> None:
    with time_machine.travel("2026-10-30 10:00 +08:00", tick=False):
        form = client(bureau.sup1).get(f"/evaluation/accountability/new/?officer={world.o1.pk}")
        assert form.status_code == 200
        bad = client(bureau.sup1).post(
            "/evaluation/accountability/new/",
            {
                "agency": bureau.p.agency_b.pk,
                "officer": world.o1.pk,
                "ground": "fault",
                "measure": "retraining",
                "deciding_body": "示范市乙区人民政府",
                "decided_on": "2026-10-28",
                "note": "连续两件案卷不合格",
            },
        )
        assert bad.status_code == 409 and "连续两件案卷不合格" in bad.content.decode()
        r = client(bureau.sup1).post(
            "/evaluation/accountability/new/",
            {
                "agency": bureau.p.agency_a.pk,
                "officer": world.o1.pk,
                "case": o.failing.case_id,
                "ground": "fault",
                "measure": "retraining",
                "deciding_body": "示范市甲区市场监督管理局",
                "decided_on": "2026-10-28",
            },
        )
    row = Accountability.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/evaluation/accountability/{row.pk}/"
    detail = f"/evaluation/accountability/{row.pk}/"
    assert "离岗培训" in client(bureau.sup1).get(detail).content.decode()
    assert client(bureau.p.head).get(detail).status_code == 200
    for outsider in (bureau.far, o.head_b):
        assert client(outsider).get(detail).status_code == 404
    assert client(bureau.p.officer).get(detail).status_code == 404
    assert client(None).get(detail).status_code == 302
    listing = client(bureau.sup1).get(f"/evaluation/accountability/?officer={world.o1.pk}")
    assert world.o1.name in listing.content.decode() and "离岗培训" in listing.content.decode()
    assert "离岗培训" not in client(o.head_b).get("/evaluation/accountability/").content.decode()
    assert client(bureau.p.head).get("/evaluation/accountability/new/").status_code == 404
    assert client(None).get("/evaluation/accountability/").status_code == 302
    # the officer's page shows it to the supervisor and the head, with a link to the list
    officer_page = client(bureau.sup1).get(f"/registry/officers/{world.o1.pk}/").content.decode()
    assert (
        "责任追究" in officer_page
        and f"/evaluation/accountability/?officer={world.o1.pk}" in officer_page
    )
    assert (
        "离岗培训"
        in client(bureau.p.head).get(f"/registry/officers/{world.o1.pk}/").content.decode()
    )
    # the case workspace shows the record to the agency
    ws = client(bureau.p.officer).get(f"/cases/{o.failing.case_id}/").content.decode()
    assert "责任追究" in ws and "离岗培训" in ws
