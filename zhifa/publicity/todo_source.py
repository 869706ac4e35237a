"""The publisher's to-do source (registered with ``zhifa.todos``): decisions due for
publication, the overdue first, each with its working-day deadline (国办发〔2018〕118号)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from zhifa.registry.models import Account
from zhifa.todos.items import Todo

from .models import Publication
from .policy import GUIDELINE
from .selectors import countdown, publications_visible_to


def publisher_todos(account: Account, today: date) -> list[Todo]:
    out = []
    drafts = (
        publications_visible_to(account)
        .filter(state=Publication.State.DRAFT)
        .select_related("case")
        .order_by("due_on", "id")
    )
    for pub in drafts:
        c = countdown(pub, today)
        case = pub.case
        out.append(
            Todo(
                key=f"publication:{pub.pk}",
                kind="publication",
                kind_label="决定公示",
                what=f"审查并公示{pub.get_kind_display()}",
                url=reverse("publication_review", kwargs={"pk": pub.pk}),
                case_id=case.pk,
                case_label=f"{case.number or '（未编号）'} {case.title}",
                due_on=pub.due_on,
                remaining=c.workdays if c.workdays is not None else (pub.due_on - today).days,
                unit="工作日" if c.workdays is not None else "日",
                article=GUIDELINE,
                deadline_name="公示期限",
                provisional=c.provisional or c.workdays is None,
            )
        )
    return out
