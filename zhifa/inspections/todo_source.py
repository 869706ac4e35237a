"""The head's to-do items of the inspections: requests to approve before their planned day, and
emergency inspections whose approval must be 补办 within the configured limit."""

from __future__ import annotations

from datetime import date

from zhifa.core.time_limits import time_limit
from zhifa.registry.models import Account
from zhifa.todos.items import Todo

from .models import Inspection
from .selectors import inspections_awaiting_approval
from .services import SOURCE_APPROVAL


def head_todos(account: Account, today: date) -> list[Todo]:
    out: list[Todo] = []
    retro = time_limit("inspections.retro_approval")
    for row in inspections_awaiting_approval(account)[:200]:
        emergency = row.state == Inspection.State.EMERGENCY
        due = row.approval_due_on if emergency else row.planned_on
        out.append(
            Todo(
                key=f"inspection:{row.pk}",
                kind="inspection",
                kind_label="行政检查",
                what=("补办审批：" if emergency else "审批行政检查：") + row.case.title,
                url=f"/inspections/{row.pk}/",
                case_id=row.case_id,
                case_label=row.case.number,
                due_on=due,
                remaining=(due - today).days if due else None,
                unit="日",
                article=retro.source if emergency else SOURCE_APPROVAL,
                deadline_name="补办期限" if emergency else "计划检查日期",
            )
        )
    return out
