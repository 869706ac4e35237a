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
from zhifa.cases.tests.conftest import World
from zhifa.registry.models import Account
from zhifa.review.models import CatalogRule, ChecklistAnswer, Submission

from .conftest import Review

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
            "point": "facts",
            "point-facts-point": "facts",
            "point-facts-on": "2026-04-07",
            "point-facts-verdict": "problem",
            "point-facts-comment": "货值未鉴定",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#point-facts")
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
