"""The review pages: who sees what, refusals in Chinese with their article, and the case page
saying why a major case cannot be decided yet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import PERSON, World, entered_on
from zhifa.core.testing import PASSWORD
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import Account
from zhifa.review import services
from zhifa.review.models import (
    CatalogRule,
    ChecklistAnswer,
    CrimeTransfer,
    MajorFlag,
    Submission,
)
from zhifa.review.views import case_review_panel

from .conftest import Review, last_entry

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 7, 10, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Tuesday


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def as_(client: Client, account: Account) -> Client:
    client.force_login(account)
    return client


def text(response: object) -> str:
    return str(response.content.decode())  # type: ignore[attr-defined]


# -- gates ------------------------------------------------------------------------------------


def test_every_review_page_sends_anonymous_visitors_to_the_login(
    client: Client, world: World, flow: Review
) -> None:
    sub = flow.submit(flow.stated())
    for url in (
        "/review/",
        f"/review/{sub.pk}/",
        f"/review/submit/{sub.case_id}/",
        "/review/catalog/",
        "/review/stats/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    response = client.post(f"/review/{sub.pk}/steps/pause/", {"pause-reason": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_another_agencys_officer_gets_404_for_the_round_the_submission_and_its_steps(
    client: Client, world: World, flow: Review
) -> None:
    sub = flow.submit(flow.stated())
    as_(client, world.p.officer_b)
    assert client.get(f"/review/{sub.pk}/").status_code == 404
    assert client.get(f"/review/submit/{sub.case_id}/").status_code == 404
    response = client.post(f"/review/{sub.pk}/steps/pause/", {"pause-reason": "补充材料"})
    assert response.status_code == 404
    assert "经营超过保质期的食品" not in text(client.get("/review/"))


def test_a_supervisor_reads_the_workspace_but_cannot_act(
    client: Client, world: World, flow: Review
) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    as_(client, world.p.supervisor)
    page = text(client.get(f"/review/{sub.pk}/"))
    assert "您可以查看本轮审核，但不能办理" in page
    assert "point-form" not in page and 'action="/review/' not in page
    response = client.post(
        f"/review/{sub.pk}/steps/extend/", {"extend-on": "2026-04-07", "extend-reason": "复杂"}
    )
    assert response.status_code == 403
    assert client.get(f"/review/submit/{sub.case_id}/").status_code == 403
    assert "经营超过保质期的食品" in text(client.get("/review/"))  # the region's due list


def test_outside_the_agency_the_round_and_its_transfer_mask_the_partys_data(
    client: Client, world: World, flow: Review
) -> None:
    # The facts, the opinion and the crime finding name the party's ID number, phone and home.
    said = f"当事人刘某某（身份证{PERSON.id_number}，电话{PERSON.phone}，住{PERSON.address}）"
    sub = flow.assign(flow.submit(flow.stated(), facts=said + "销售过期牛奶12盒"))
    flow.answer_all(sub, date(2026, 4, 8))
    services.review_checklist_answer(
        actor=world.p.reviewer,
        submission=sub,
        on=date(2026, 4, 8),
        point="crime",
        verdict="problem",
        comment=said + "涉嫌犯罪",
    )
    services.review_conclude(
        actor=world.p.reviewer,
        submission=sub,
        on=date(2026, 4, 8),
        outcome="other",
        opinion="经审核，" + said + "涉嫌犯罪",
        required_changes=(said + "应移送公安机关",),
    )
    transfer = CrimeTransfer.objects.get(case=sub.case)
    pages = (f"/review/{sub.pk}/", f"/review/transfers/{transfer.pk}/")
    as_(client, world.p.officer)
    for url in pages:
        assert PERSON.address in text(client.get(url))  # in full inside the agency
    for account in (world.p.supervisor, world.p.admin):
        as_(client, account)
        for url in pages:
            page = text(client.get(url))
            for value in (PERSON.id_number, PERSON.phone, PERSON.address):
                assert value not in page, (account, url, value)
            assert "138****5001" in page and "当事人刘某某" in page


# -- the queue ----------------------------------------------------------------------------------


def test_the_reviewers_queue_shows_working_days_left_and_what_the_catalog_matched(
    client: Client, world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    as_(client, world.p.reviewer)
    page = text(client.get("/review/"))
    # Market regulation: 10 working days after 4-3, 清明 (4-4…4-6) not counted → 2026-04-20.
    assert sub.due_on == date(2026, 4, 20)
    assert "审核期限 还剩 9 工作日" in page
    assert "达到10,000.00元的审核标准" in page and "第1项" in page
    assert "群众举报某超市销售过期牛奶" in page  # the case summary


# -- 送审 and the workspace -----------------------------------------------------------------------


def test_the_officer_sends_a_case_to_review_from_the_form(
    client: Client, world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = flow.stated()
    as_(client, world.p.officer)
    page = text(client.get(f"/cases/{case.pk}/"))
    assert f'href="/review/submit/{case.pk}/"' in page
    form = text(client.get(f"/review/submit/{case.pk}/"))
    assert "本案属于重大执法决定" in form
    response = client.post(
        f"/review/submit/{case.pk}/",
        {
            "on": "2026-04-07",
            "penalty_kinds": ["warning", "fine"],
            "fine": "20000",
            "facts": "销售过期牛奶12盒",
            "legal_basis": "《食品安全法》第一百二十四条",
            "discretion": "第3档",
        },
    )
    sub = Submission.objects.get(case=case)
    assert response.status_code == 302 and response["Location"] == f"/review/{sub.pk}/"
    page = text(client.get(response["Location"]))
    assert "销售过期牛奶12盒" in page and "第3档" in page
    assert "执法主体是否合法" in page and "违法行为是否涉嫌犯罪需要移送司法机关" in page


def test_a_refused_submission_shows_the_rule_and_keeps_what_was_typed(
    client: Client, world: World, flow: Review
) -> None:
    case = flow.stated()
    flow.submit(case)  # a round is already open
    as_(client, world.p.officer)
    response = client.post(
        f"/review/submit/{case.pk}/",
        {
            "on": "2026-04-07",
            "facts": "再次送审的事实",
            "legal_basis": "依据",
            "discretion": "说明",
        },
    )
    assert response.status_code == 409
    page = text(response)
    assert "本案已有一轮法制审核尚未完成，不能重复送审" in page
    assert "《行政处罚法》第五十八条" in page
    assert "再次送审的事实" in page


def test_the_reviewer_confirms_a_point_and_a_refused_conclusion_names_its_rule(
    client: Client, world: World, flow: Review
) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    as_(client, world.p.reviewer)
    response = client.post(
        f"/review/{sub.pk}/steps/checklist/",
        {
            "on": "2026-04-07",
            "point-facts-verdict": "problem",
            "point-facts-comment": "货值未鉴定",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#checklist")
    answer = ChecklistAnswer.objects.get(submission=sub, point="facts")
    assert (answer.verdict, answer.comment) == ("problem", "货值未鉴定")

    response = client.post(
        f"/review/{sub.pk}/steps/conclude/",
        {
            "conclude-on": "2026-04-07",
            "conclude-outcome": "agree",
            "conclude-opinion": "同意",
        },
    )
    assert response.status_code == 409
    page = text(response)
    assert "尚未确认，不能出具审核意见" in page and "国办发〔2018〕118号" in page
    assert Submission.objects.get(pk=sub.pk).state == Submission.State.REVIEWING


def test_the_conclusion_offers_the_market_regulation_vocabulary(
    client: Client, world: World, flow: Review
) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    flow.answer_all(sub, date(2026, 4, 7))
    as_(client, world.p.reviewer)
    page = text(client.get(f"/review/{sub.pk}/"))
    for label in ("建议纠正", "建议补充调查", "其他意见"):
        assert label in page
    response = client.post(
        f"/review/{sub.pk}/steps/conclude/",
        {
            "conclude-on": "2026-04-07",
            "conclude-outcome": "supplement",
            "conclude-opinion": "证据不足",
            "conclude-required_changes": "补充货值鉴定\n补充进货凭证",
        },
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.outcome_label == "建议补充调查"
    assert sub.required_changes == ["补充货值鉴定", "补充进货凭证"]


# -- the gate on the case page ------------------------------------------------------------------


def test_the_case_page_says_why_a_major_case_cannot_be_decided_without_review(
    client: Client, world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = flow.stated()
    as_(client, world.p.head)
    page = text(client.get(f"/cases/{case.pk}/"))
    assert "暂不能办理" in page
    assert "本案属于重大执法决定" in page and "《行政处罚法》第五十八条" in page
    assert "disabled" in page
    # Posting the decision anyway is refused by the service with the same article.
    response = client.post(
        f"/cases/{case.pk}/actions/case_decide/",
        {
            "case_decide-on": "2026-04-07",
            "case_decide-penalty_kinds": ["warning", "fine"],
            "case_decide-fine": "20000",
        },
    )
    assert response.status_code == 409
    assert "第五十八条" in text(response)
    assert Case.objects.get(pk=case.pk).state == Case.State.STATEMENT


def test_the_case_page_offers_the_decision_once_the_review_agreed(
    client: Client, world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = flow.stated()
    flow.passed(case)
    as_(client, world.p.head)
    page = text(client.get(f"/cases/{case.pk}/"))
    assert "暂不能办理" not in page
    assert f'action="/cases/{case.pk}/actions/case_decide/"' in page


# -- the catalog and the statistics ---------------------------------------------------------------


def test_the_admin_previews_a_rule_against_decided_cases_then_adds_it(
    client: Client, world: World, flow: Review
) -> None:
    decided = flow.decide(flow.stated(fine=Decimal(20000)))
    as_(client, world.p.admin)
    rule = {
        "rule-on": "2026-04-07",
        "rule-agency": str(world.p.agency_a.pk),
        "rule-kind": "fine_person",
        "rule-amount": "15000",
        "rule-source": "目录清单第9项",
    }
    response = client.post("/review/catalog/", {**rule, "do": "preview"})
    page = text(response)
    assert response.status_code == 200
    assert "该条目会使 1 件列为重大执法决定" in page and decided.title in page
    assert not CatalogRule.objects.exists()  # a preview writes nothing
    response = client.post("/review/catalog/", {**rule, "do": "add"})
    assert response.status_code == 302
    assert CatalogRule.objects.get().amount == Decimal(15000)


def test_the_catalog_editor_is_for_administrators_only(
    client: Client, world: World, fine_catalog: CatalogRule
) -> None:
    as_(client, world.p.reviewer)
    page = text(client.get("/review/catalog/"))
    assert "（2026年版）第1项" in page and "添加目录条目" not in page
    response = client.post(
        f"/review/catalog/{fine_catalog.pk}/retire/",
        {"retire-on": "2026-04-07", "retire-reason": "x"},
    )
    assert response.status_code == 403
    as_(client, world.p.officer_b)
    assert client.post(f"/review/catalog/{fine_catalog.pk}/retire/").status_code == 404


def test_statistics_show_outcomes_and_the_supervisor_sees_the_five_percent_floor(
    client: Client, world: World, flow: Review
) -> None:
    flow.passed(flow.stated())
    as_(client, world.p.supervisor)
    page = text(client.get("/review/stats/"))
    assert "示范市甲区市场监督管理局" in page and "示范市乙区生态环境分局" in page
    assert "同意 1" in page
    # Agency A: 1 reviewer among its 5 serving officers (20 %); agency B has none.
    assert "1/5（20.0%）" in page and "0/1（0.0%）" in page and "低于5%" in page
    as_(client, world.p.officer)
    page = text(client.get("/review/stats/"))
    assert "示范市乙区生态环境分局" not in page and "低于5%" not in page


def test_a_region_administrator_sets_a_floor_from_the_catalog_page(
    client: Client, world: World
) -> None:
    as_(client, world.p.admin)
    page = text(client.get("/review/catalog/"))
    assert "设定区域审核标准" in page
    response = client.post(
        "/review/catalog/",
        {
            "do": "floor",
            "floor-on": "2026-04-07",
            "floor-region_code": "130300",
            "floor-kind": "fine_person",
            "floor-amount": "50000",
            "floor-source": "示范市重大执法决定法制审核目录（区域标准）第1项",
        },
    )
    assert response.status_code == 302
    floor = CatalogRule.objects.get()
    assert (floor.agency_id, floor.region_code, floor.amount) == (None, "130300", Decimal(50000))
    assert "区域 130300（上级设定）" in text(client.get("/review/catalog/"))


def test_a_floor_outside_the_administrators_region_is_refused_with_its_rule(
    client: Client, world: World
) -> None:
    region_admin = registry.account_create(
        actor=world.p.admin,
        username="region-admin",
        password=PASSWORD,
        role=Account.Role.ADMIN,
        region_code="130300",
    )
    as_(client, region_admin)
    response = client.post(
        "/review/catalog/",
        {
            "do": "floor",
            "floor-on": "2026-04-07",
            "floor-region_code": "130400",
            "floor-kind": "fine_person",
            "floor-amount": "50000",
            "floor-source": "邻市目录第1项",
        },
    )
    assert response.status_code == 409
    page = text(response)
    assert "只有该区域（或上级区域）的系统管理员可以设定区域审核标准" in page
    assert "国办发〔2018〕118号" in page and "邻市目录第1项" in page
    assert not CatalogRule.objects.exists()


def test_only_administrators_set_floors(client: Client, world: World) -> None:
    for account in (world.p.reviewer, world.p.supervisor):
        as_(client, account)
        assert "设定区域审核标准" not in text(client.get("/review/catalog/"))
        response = client.post(
            "/review/catalog/",
            {"do": "floor", "floor-region_code": "130300", "floor-kind": "fine_person"},
        )
        assert response.status_code == 403
    assert not CatalogRule.objects.exists()


# -- the officer's flag -----------------------------------------------------------------------


def _flag(reason: str = "涉案牛奶流入三所学校食堂，涉及重大公共利益") -> dict[str, str]:
    return {"flag-on": "2026-04-07", "flag-flag": "public_interest", "flag-reason": reason}


def test_the_officer_flags_a_case_as_major_with_the_reason(
    client: Client, world: World, flow: Review
) -> None:
    case = flow.stated()
    assert case_review_panel(world.p.officer, case)["flag_form"] is not None
    as_(client, world.p.officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="review-flag"' in page and "标注重大执法决定情形" in page
    response = client.post(f"/review/flag/{case.pk}/", _flag())
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/#legal-review"
    flag = MajorFlag.objects.get(case=case)
    assert (flag.flag, flag.reason) == (
        "public_interest",
        "涉案牛奶流入三所学校食堂，涉及重大公共利益",
    )
    assert Entry.objects.filter(case_id=case.pk, action="review.flag").exists()
    response = client.post(f"/review/flag/{case.pk}/", _flag(reason=""))
    assert response.status_code == 400 and MajorFlag.objects.count() == 1


def test_flagging_a_decided_case_is_refused_with_article_58(
    client: Client, world: World, flow: Review
) -> None:
    case = flow.decide(flow.stated())
    as_(client, world.p.officer)
    assert case_review_panel(world.p.officer, case)["flag_form"] is None
    response = client.post(f"/review/flag/{case.pk}/", _flag())
    assert response.status_code == 409
    page = text(response)
    assert "作出决定前才能标注" in page and "《行政处罚法》第五十八条" in page
    assert not MajorFlag.objects.exists()


def test_the_flag_is_404_for_another_agency_and_403_for_the_supervisor(
    client: Client, world: World, flow: Review
) -> None:
    case = flow.stated()
    as_(client, world.p.officer_b)
    assert client.post(f"/review/flag/{case.pk}/", _flag()).status_code == 404
    as_(client, world.p.supervisor)
    assert case_review_panel(world.p.supervisor, case)["flag_form"] is None
    assert client.post(f"/review/flag/{case.pk}/", _flag()).status_code == 403
    client.logout()
    response = client.post(f"/review/flag/{case.pk}/", _flag())
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not MajorFlag.objects.exists()


# -- 两法衔接 -----------------------------------------------------------------------------------


def _crime(flow: Review) -> CrimeTransfer:
    case = flow.stated(fine=Decimal(20000))
    flow.conclude(
        flow.assign(flow.submit(case)),
        "other",
        on=date(2026, 4, 8),
        changes=("涉嫌生产、销售不符合安全标准的食品罪，应移送公安机关",),
        crime="problem",
    )
    return CrimeTransfer.objects.get(case=case)


def test_the_head_approves_and_sends_a_transfer_and_the_officer_records_the_answer(
    client: Client, world: World, flow: Review
) -> None:
    transfer = _crime(flow)
    as_(client, world.p.head)
    page = text(client.get(f"/review/transfers/{transfer.pk}/"))
    assert "2026-04-13 前决定（3日）" in page and "国务院令第310号" in page
    response = client.post(
        f"/review/transfers/{transfer.pk}/steps/decide/",
        {"decide-at": "2026-04-09T10:00", "decide-approved": "yes"},
    )
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "2026-04-10 10:00 前（24小时）" in page
    with entered_on(date(2026, 4, 9)):  # the case moves to 移送 on the day it is sent
        response = client.post(
            f"/review/transfers/{transfer.pk}/steps/send/",
            {
                "send-at": "2026-04-09T15:00",
                "send-organ": "示范市公安局甲区分局",
                "send-documents": ["涉嫌犯罪案件移送书", "涉嫌犯罪案件情况的调查报告"],
            },
        )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == CrimeTransfer.State.TRANSFERRED and not transfer.transfer_late
    assert last_entry(transfer.case).action == "review.crime_transfer.send"
    as_(client, world.p.officer)
    response = client.post(
        f"/review/transfers/{transfer.pk}/steps/answer/",
        {"answer-on": "2026-04-10", "answer-accepted": "yes", "answer-answer": "已立案侦查"},
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == CrimeTransfer.State.ACCEPTED and transfer.answer == "已立案侦查"
    assert last_entry(transfer.case).action == "review.crime_transfer.answer"


def test_refused_transfer_steps_show_the_article_and_change_nothing(
    client: Client, world: World, flow: Review
) -> None:
    transfer = _crime(flow)
    as_(client, world.p.head)
    response = client.post(
        f"/review/transfers/{transfer.pk}/steps/decide/",
        {"decide-at": "2026-04-09T10:00", "decide-approved": "no"},
    )
    assert response.status_code == 409
    page = text(response)
    assert "不批准移送的，须写明理由" in page and "国务院令第310号）第五条" in page
    assert CrimeTransfer.objects.get(pk=transfer.pk).state == CrimeTransfer.State.REPORTED
    client.post(
        f"/review/transfers/{transfer.pk}/steps/decide/",
        {"decide-at": "2026-04-09T10:00", "decide-approved": "yes"},
    )
    seq = last_entry(transfer.case).seq
    response = client.post(
        f"/review/transfers/{transfer.pk}/steps/send/",
        {
            "send-at": "2026-04-09T15:00",
            "send-organ": "示范市公安局甲区分局",
            "send-documents": ["涉嫌犯罪案件移送书"],
        },
    )
    assert response.status_code == 409
    page = text(response)
    assert "缺少涉嫌犯罪案件情况的调查报告" in page and "国务院令第310号）第六条" in page
    assert CrimeTransfer.objects.get(pk=transfer.pk).state == CrimeTransfer.State.APPROVED
    assert last_entry(transfer.case).seq == seq


def test_the_transfer_is_404_for_another_agency_and_read_only_for_the_supervisor(
    client: Client, world: World, flow: Review
) -> None:
    transfer = _crime(flow)
    decide = {"decide-at": "2026-04-09T10:00", "decide-approved": "yes"}
    url = f"/review/transfers/{transfer.pk}/"
    as_(client, world.p.officer_b)
    assert client.get(url).status_code == 404
    assert client.post(url + "steps/decide/", decide).status_code == 404
    as_(client, world.p.supervisor)
    page = text(client.get(url))
    assert "您可以查看本次移送，但不能办理" in page and "steps/decide" not in page
    assert client.post(url + "steps/decide/", decide).status_code == 403
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert CrimeTransfer.objects.get(pk=transfer.pk).state == CrimeTransfer.State.REPORTED
