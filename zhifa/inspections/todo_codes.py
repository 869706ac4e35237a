"""The officer's to-do items of the inspection code: an inspection started as an emergency (no
code issued before the visit) whose arrival the officer has not yet entered — the 补录 is due
within the ``inspections.visit_late_entry`` period from the visit's day."""

from __future__ import annotations

from datetime import date, timedelta

from zhifa.core.time_limits import time_limit
from zhifa.registry.models import Account
from zhifa.todos.items import Todo

from .models import Inspection, Visit
from .services_codes import LATE_ENTRY, late_entry_due

LOOK_BACK = timedelta(days=60)  # older visits are long past any 补录 period


def officer_todos(account: Account, today: date) -> list[Todo]:
    if account.officer_id is None:
        return []
    row = time_limit(LATE_ENTRY)
    entered = Visit.objects.filter(officer_id=account.officer_id).values("inspection_id")
    rows = (
        Inspection.objects.filter(
            case__assignments__officer_id=account.officer_id,
            state__in=(Inspection.State.EMERGENCY, Inspection.State.APPROVED),
            coded=False,
            planned_on__lte=today,
            planned_on__gte=today - LOOK_BACK,
        )
        .exclude(pk__in=entered)
        .select_related("case")
        .order_by("planned_on", "pk")[:100]
    )
    out: list[Todo] = []
    for inspection in rows:
        due = late_entry_due(inspection.planned_on)
        out.append(
            Todo(
                key=f"inspection-visit:{inspection.pk}",
                kind="inspection",
                kind_label="行政检查",
                what="补录入企记录：" + inspection.case.title,
                url=f"/public/inspections/code/{inspection.code}/",
                case_id=inspection.case_id,
                case_label=inspection.case.number,
                due_on=due,
                remaining=(due - today).days,
                unit="日",
                article=row.source,
                deadline_name="补录期限",
            )
        )
    return out
