"""Inspection plans: annual plans published by the configured day (31 March by default,
北京条例第六十七条/上海条例第六十二条) — on time on 30 and 31 March, late on 1 April — and 专项检查
plans published only after approval by the level the deployment sets."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases.tests.conftest import entered_on
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.inspections import plan_publication
from zhifa.inspections import services_directory as svc
from zhifa.inspections.models import Plan
from zhifa.inspections.selectors_directory import annual_plan_publication, entities_replay_check
from zhifa.inspections.todos_directory import head_plan_todos, supervisor_plan_todos
from zhifa.record.models import Entry
from zhifa.registry.models import Agency, PowerItem

from .directory_world import item_of

pytestmark = pytest.mark.django_db
MARCH_30, MARCH_31, APRIL_1 = date(2026, 3, 30), date(2026, 3, 31), date(2026, 4, 1)


def _annual(p: Personas, **kw: Any) -> Plan:
    item = item_of(p, p.agency_a, "JC-900", "食品经营日常监督检查")
    data: dict[str, Any] = {
        "actor": p.head,
        "agency": p.agency_a,
        "kind": Plan.Kind.ANNUAL,
        "year": 2026,
        "title": "甲区市场监管局2026年度行政检查计划",
        "items": [item],
        "subjects": "辖区内食品经营者",
        "method": "双随机抽查为主，现场检查",
        "ratio": "A类不超过5%，B类5%–20%，C类21%–60%，D类61%–100%",
        "frequency": "每年不超过1次",
    }
    data.update(kw)
    return svc.plan_create(**data)


# -- the rule --


@pytest.mark.parametrize(
    ("published_on", "state"),
    [(MARCH_30, "on_time"), (MARCH_31, "on_time"), (APRIL_1, "late")],
)
def test_publication_on_the_deadline_is_on_time_and_the_day_after_late(
    published_on: date, state: str
) -> None:
    deadline = plan_publication.publication_deadline(2026)
    assert deadline == MARCH_31
    status = plan_publication.publication_status(
        published_on=published_on, deadline=deadline, today=date(2026, 5, 1)
    )
    assert status.state == state


@pytest.mark.parametrize(
    ("today", "state"), [(MARCH_30, "pending"), (MARCH_31, "pending"), (APRIL_1, "overdue")]
)
def test_an_unpublished_plan_becomes_overdue_the_day_after_the_deadline(
    today: date, state: str
) -> None:
    status = plan_publication.publication_status(published_on=None, deadline=MARCH_31, today=today)
    assert status.state == state


# -- services --


def test_annual_plan_needs_its_ratio_frequency_and_the_agencys_published_items(
    personas: Personas,
) -> None:
    with pytest.raises(RuleViolation) as refused:
        _annual(personas, ratio="")
    assert refused.value.field == "ratio"
    foreign = item_of(personas, personas.agency_b, "HB-1", "排污检查")
    with pytest.raises(RuleViolation) as refused:
        _annual(personas, items=[foreign])
    assert "不得实施" in str(refused.value)
    with pytest.raises(RuleViolation):  # an officer of another agency
        _annual(personas, actor=personas.officer_b)
    plan = _annual(personas, actor=personas.officer)
    entry = Entry.objects.get(action="inspections.plan.create")
    assert entry.data["plan"]["id"] == plan.pk and entry.data["plan"]["status"] == "draft"


@pytest.mark.parametrize(
    ("published_on", "state"),
    [(MARCH_30, "on_time"), (MARCH_31, "on_time"), (APRIL_1, "late")],
)
def test_agency_published_on_time_at_the_31_march_boundary(
    personas: Personas, published_on: date, state: str
) -> None:
    plan = _annual(personas)
    with pytest.raises(RuleViolation):  # only the head publishes
        svc.plan_publish(actor=personas.officer, plan=plan, on=published_on)
    svc.plan_publish(actor=personas.head, plan=plan, on=published_on)
    agencies = Agency.objects.filter(pk__in=[personas.agency_a.pk, personas.agency_b.pk])
    rows = {r.agency.pk: r.status for r in annual_plan_publication(agencies, 2026, APRIL_1)}
    assert rows[personas.agency_a.pk].state == state
    assert rows[personas.agency_b.pk].state == "overdue"
    # Withdrawing later does not change whether it was published on time.
    svc.plan_withdraw(actor=personas.head, plan=plan, on=date(2026, 6, 1), reason="机构调整")
    rows = {r.agency.pk: r.status for r in annual_plan_publication(agencies, 2026, APRIL_1)}
    assert rows[personas.agency_a.pk].state == state


def test_heads_todo_until_published_and_supervisors_warning_after_the_day(
    personas: Personas,
) -> None:
    with entered_on(MARCH_30):
        # An agency that holds no 行政检查 item owes no inspection plan.
        assert list(head_plan_todos(personas.head, APRIL_1)) == []
        item_of(personas, personas.agency_a, "JC-900", "食品经营日常监督检查")
        item_of(personas, personas.agency_b, "HB-1", "排污检查")
        (todo,) = head_plan_todos(personas.head, MARCH_30)
        assert todo.remaining == 1 and todo.due_on == MARCH_31
        assert "第六十七条" in todo.article
        assert list(supervisor_plan_todos(personas.supervisor, MARCH_30)) == []
        (todo,) = head_plan_todos(personas.head, MARCH_31)
        assert todo.remaining == 0
        assert list(supervisor_plan_todos(personas.supervisor, MARCH_31)) == []
        (todo,) = head_plan_todos(personas.head, APRIL_1)
        assert todo.overdue
        (warning,) = supervisor_plan_todos(personas.supervisor, APRIL_1)
        assert "2个执法主体逾期未公布" in warning.what
        svc.plan_publish(actor=personas.head, plan=_annual(personas), on=MARCH_30)
        assert list(head_plan_todos(personas.head, APRIL_1)) == []
        (warning,) = supervisor_plan_todos(personas.supervisor, APRIL_1)
        assert "1个执法主体逾期未公布" in warning.what


def test_the_publication_day_is_a_setting_shown_with_its_source(
    personas: Personas, settings: Any
) -> None:
    settings.ZHIFA_INSPECTION_PLAN_PUBLISH_BY = "02-28"
    settings.ZHIFA_INSPECTION_PLAN_PUBLISH_BY_SOURCE = "《某省优化营商环境条例》第四十条"
    plan = _annual(personas)
    svc.plan_publish(actor=personas.head, plan=plan, on=MARCH_30)
    rows = annual_plan_publication(Agency.objects.filter(pk=personas.agency_a.pk), 2026, APRIL_1)
    assert rows[0].status.state == "late"
    client = Client()
    client.force_login(personas.supervisor)
    page = client.get(reverse("inspections_plan_publication"), {"year": 2026}).content.decode()
    assert "2026年2月28日" in page and "《某省优化营商环境条例》第四十条" in page
    assert "逾期公布" in page


def test_special_plan_is_published_only_after_approval(personas: Personas) -> None:
    plan = _annual(
        personas,
        kind=Plan.Kind.SPECIAL,
        title="2026年校园周边食品安全专项检查",
        ratio="",
        frequency="",
        necessity="近期校园周边食品投诉集中",
        region="甲区各中小学周边200米",
    )
    with pytest.raises(RuleViolation) as refused:
        svc.plan_publish(actor=personas.head, plan=plan, on=MARCH_30)
    assert "国办发〔2024〕54号（六）" in str(refused.value)
    svc.plan_approve(
        actor=personas.head,
        plan=plan,
        approved_by_body="示范市甲区人民政府",
        approval_document="甲政函〔2026〕8号",
        on=MARCH_30,
    )
    entry = Entry.objects.get(action="inspections.plan.approve")
    assert entry.data["approver_level"].startswith("县级以上人民政府")
    plan = svc.plan_publish(actor=personas.head, plan=plan, on=MARCH_31)
    assert plan.status == Plan.Status.PUBLISHED
    assert list(entities_replay_check([])) == []  # zhifa verify replays the plan
    Plan.objects.filter(pk=plan.pk).update(approval_document="改过的文号")
    assert [p.kind for p in entities_replay_check([])] == ["inspections_plan_differs"]


def test_special_plan_needs_its_necessity_assessment(personas: Personas) -> None:
    with pytest.raises(RuleViolation) as refused:
        _annual(personas, kind=Plan.Kind.SPECIAL, region="甲区")
    assert refused.value.field == "necessity"


# -- pages --


def test_head_publishes_from_the_page_and_the_portal_shows_it_on_time(
    personas: Personas,
) -> None:
    plan = _annual(personas)
    client = Client()
    client.force_login(personas.head)
    with entered_on(MARCH_31):
        response = client.post(reverse("inspections_plan_publish", args=[plan.pk]))
        assert response.status_code == 302
        public = Client()
        page = public.get(reverse("inspections_public_plan_list"), {"year": 2026}).content.decode()
        assert plan.title in page and "按期公布" in page
        detail = public.get(reverse("inspections_public_plan_detail", args=[plan.pk]))
        assert "A类不超过5%" in detail.content.decode()
        client.post(reverse("inspections_plan_withdraw", args=[plan.pk]), {"reason": "有误"})
        page = public.get(reverse("inspections_public_plan_list"), {"year": 2026}).content.decode()
        assert plan.title not in page
        assert (
            public.get(reverse("inspections_public_plan_detail", args=[plan.pk])).status_code == 404
        )


def test_plan_form_keeps_what_was_typed_and_names_the_missing_ratio(
    personas: Personas,
) -> None:
    item = item_of(personas, personas.agency_a, "JC-900", "食品经营日常监督检查")
    client = Client()
    client.force_login(personas.officer)
    response = client.post(
        reverse("inspections_plan_new"),
        {
            "agency": personas.agency_a.pk,
            "kind": "annual",
            "year": 2026,
            "title": "我的年度计划",
            "items": [item.pk],
            "subjects": "辖区内食品经营者",
            "method": "现场检查",
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "我的年度计划" in page and "检查比例不能为空" in page


def test_plans_of_another_agency_are_not_found(personas: Personas) -> None:
    plan = _annual(personas)
    client = Client()
    client.force_login(personas.officer_b)
    assert client.get(reverse("inspections_plan_detail", args=[plan.pk])).status_code == 404
    assert client.post(reverse("inspections_plan_publish", args=[plan.pk])).status_code == 404
    assert PowerItem.objects.exists()


def test_the_portal_names_the_agencies_that_missed_the_day(personas: Personas) -> None:
    item_of(personas, personas.agency_b, "HB-1", "排污检查")
    plan = _annual(personas)
    svc.plan_publish(actor=personas.head, plan=plan, on=APRIL_1)
    with entered_on(date(2026, 4, 2)):
        page = Client().get(reverse("inspections_public_plan_list"), {"year": 2026})
    html = page.content.decode()
    assert "按期公布 0 个，逾期公布 1 个，逾期未公布 1 个" in html
    missed = html.split('id="publication-missed"', 1)[1].split("</table>", 1)[0]
    assert "示范市甲区市场监督管理局" in missed and "2026-04-01" in missed
    assert "示范市乙区生态环境分局" in missed and "逾期未公布" in missed
