"""The officers' to-do items of 双随机 tasks: a drawn task whose entities this agency has not yet
put forward for inspection (谁检查、谁录入: each agency requests its own)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from zhifa.registry.models import Account
from zhifa.todos.items import Todo

from . import draw
from .models import DrawPool, RandomTask


def draw_todos(account: Account, today: date) -> list[Todo]:
    if account.agency_id is None:
        return []
    tasks = (
        RandomTask.objects.filter(state=RandomTask.State.DRAWN)
        .filter(Q(agency_id=account.agency_id) | Q(participants=account.agency_id))
        .distinct()
        .order_by("pk")[:50]
    )
    out: list[Todo] = []
    for task in tasks:
        drawn = sum(
            len(p.selected) for p in task.pools.filter(kind=DrawPool.Kind.ENTITIES).only("selected")
        )
        done = task.inspections.filter(agency_id=account.agency_id).count()
        if done >= drawn:
            continue
        due = task.planned_on
        out.append(
            Todo(
                key=f"draw-task:{task.pk}:{account.agency_id}",
                kind="inspection",
                kind_label="行政检查",
                what=f"双随机任务“{task.title}”已抽取：为抽中的{drawn - done}户提请检查审批",
                url=f"/inspections/draws/{task.pk}/",
                due_on=due,
                remaining=(due - today).days if due else None,
                unit="日" if due else "",
                article=draw.BASIS,
                deadline_name="计划检查日期" if due else "",
            )
        )
    return out
