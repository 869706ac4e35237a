"""The publisher's to-do source (registered with ``zhifa.todos``): decisions due for
publication, the overdue first, each with its working-day deadline (国办发〔2018〕118号)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from zhifa.registry.models import Account
from zhifa.todos.items import Todo

from .models import Publication
from .policy import GUIDELINE
from .results import OGI_26
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
        result = case is None  # a supervision result (条例第三十一条), due by 政府信息公开条例
        out.append(
            Todo(
                key=f"publication:{pub.pk}",
                kind="publication",
                kind_label="执法监督结果公开" if result else "决定公示",
                what=f"审查并公开{pub.decision_number}"
                if result
                else f"审查并公示{pub.get_kind_display()}",
                url=reverse("publication_review", kwargs={"pk": pub.pk}),
                case_id=None if case is None else case.pk,
                case_label="" if case is None else f"{case.number or '（未编号）'} {case.title}",
                due_on=pub.due_on,
                remaining=c.workdays if c.workdays is not None else (pub.due_on - today).days,
                unit="工作日" if c.workdays is not None else "日",
                article=OGI_26 if result else GUIDELINE,
                deadline_name="公示期限",
                provisional=c.provisional or c.workdays is None,
            )
        )
    return out
