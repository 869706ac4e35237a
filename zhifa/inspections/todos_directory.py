"""To-dos of the directory part (for agencies that inspect, i.e. hold a published 行政检查 item):
an agency head's annual inspection plan still to be published
by the configured day (北京条例第六十七条/上海条例第六十二条: 31 March by default), and the
supervisor's list of agencies of the region that missed the day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.urls import reverse

from zhifa.registry.models import Account, Agency
from zhifa.todos.items import Todo, register_todo_source

from .selectors_directory import (
    annual_plan_publication,
    annual_plans_overdue_count,
    directory_region,
    inspecting_agencies,
    plan_deadline,
    plan_publish_by,
)

KIND = "inspection_plan"
KIND_LABEL = "年度检查计划"


def head_plan_todos(account: Account, today: date) -> Iterable[Todo]:
    if account.agency_id is None:
        return []
    agencies = inspecting_agencies(Agency.objects.filter(pk=account.agency_id))
    rows = annual_plan_publication(agencies, today.year, today)
    if not rows or rows[0].status.published_on is not None:
        return []
    row = rows[0]
    deadline = row.status.deadline
    return [
        Todo(
            key=f"inspections.plan.{account.agency_id}.{today.year}",
            kind=KIND,
            kind_label=KIND_LABEL,
            what=f"公布{today.year}年度行政检查计划",
            url=reverse("inspections_plan_list"),
            due_on=deadline,
            remaining=(deadline - today).days,
            unit="日",
            article=plan_publish_by()[1],
            deadline_name="年度检查计划公布期限",
        )
    ]


def supervisor_plan_todos(account: Account, today: date) -> Iterable[Todo]:
    region = directory_region(account)
    if region is None:
        return []
    agencies = inspecting_agencies(Agency.objects.filter(division_code__startswith=region))
    late = annual_plans_overdue_count(agencies, today.year, today)
    if not late:
        return []
    deadline = plan_deadline(today.year)
    return [
        Todo(
            key=f"inspections.plan.region.{region}.{today.year}",
            kind=KIND,
            kind_label=KIND_LABEL,
            what=f"{late}个执法主体逾期未公布{today.year}年度行政检查计划",
            url=reverse("inspections_plan_publication") + f"?year={today.year}",
            due_on=deadline,
            remaining=(deadline - today).days,
            unit="日",
            article=plan_publish_by()[1],
            deadline_name="年度检查计划公布期限",
        )
    ]


def register() -> None:
    register_todo_source((Account.Role.HEAD,), head_plan_todos)
    register_todo_source((Account.Role.SUPERVISOR,), supervisor_plan_todos)
