"""The to-do list: what each role has to do, gathered from the apps that know it.

todos sits low (core, registry, notifications below it): every app that has work for a role
registers a *source* here from its ``AppConfig.ready`` — cases the officer's own cases,
approvals the head's requests and waiting steps, review the legal reviewer's rounds, publicity
the publisher's due publications; the supervision app, when it comes, registers the
supervisor's (``register_todo_source(("supervisor",), …)``). todos imports none of them.

A source is ``source(account, today) -> Iterable[Todo]``. The list is sorted by urgency
(``urgency``): overdue first, then the nearest deadline, items without a deadline last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from zhifa.registry.models import Account


@dataclass(frozen=True)
class Todo:
    """One thing to do. ``key`` names it stably (a reminder is sent once per key, due day and
    stage); ``kind`` is what the list filters on, ``kind_label`` its Chinese name."""

    key: str
    kind: str
    kind_label: str
    what: str
    url: str
    case_id: int | None = None
    case_label: str = ""
    due_on: date | None = None
    remaining: int | None = None  # in ``unit``; negative: overdue
    unit: str = ""  # 工作日 / 日 / 小时
    article: str = ""  # the legal basis of the deadline
    deadline_name: str = ""
    note: str = ""
    provisional: bool = False

    @property
    def overdue(self) -> bool:
        return self.remaining is not None and self.remaining < 0

    @property
    def deadline_text(self) -> str:
        if self.due_on is None or self.remaining is None:
            return ""
        if self.remaining < 0:
            return f"{self.deadline_name}已逾期{-self.remaining}{self.unit}"
        if self.remaining == 0:
            return f"{self.deadline_name}今日到期"
        return f"{self.deadline_name}还剩{self.remaining}{self.unit}"


TodoSource = Callable[[Account, date], Iterable[Todo]]
_sources: dict[str, list[TodoSource]] = {}


def register_todo_source(roles: Iterable[str], source: TodoSource) -> TodoSource:
    """Add ``source`` to the to-do list of each role in ``roles``. Registering twice is
    harmless."""
    for role in roles:
        found = _sources.setdefault(str(role), [])
        if source not in found:
            found.append(source)
    return source


def urgency(item: Todo) -> tuple[bool, date, str]:
    """Sort key: items with a deadline first, the earliest (the most overdue) first."""
    return (item.due_on is None, item.due_on or date.max, item.key)


def todos_for(account: Account, today: date) -> list[Todo]:
    """Everything on ``account``'s list on ``today``, most urgent first (none for anonymous)."""
    if not account.is_authenticated or not account.is_active:
        return []
    items: dict[str, Todo] = {}
    for source in _sources.get(account.role, []):
        for item in source(account, today):
            items.setdefault(item.key, item)
    return sorted(items.values(), key=urgency)


def todo_kinds(items: Iterable[Todo]) -> list[tuple[str, str]]:
    """The kinds present in ``items`` as (kind, label), for the filter."""
    return sorted({(i.kind, i.kind_label) for i in items}, key=lambda k: k[1])


def todos_filtered(items: Iterable[Todo], *, kind: str = "", case: str = "") -> list[Todo]:
    """Narrow by kind and by case (number or title contains ``case``)."""
    case = case.strip()
    return [i for i in items if (not kind or i.kind == kind) and (not case or case in i.case_label)]
