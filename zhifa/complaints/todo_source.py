"""The supervisor's to-do items from complaints: awaiting acceptance, due to be handled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from zhifa.core.time_limits import time_limit
from zhifa.registry.models import Account
from zhifa.todos.items import Todo

from . import intake, selectors


def supervisor_todos(account: Account, today: date) -> Iterator[Todo]:
    accept = time_limit(intake.ACCEPT)
    for c in selectors.complaints_awaiting_acceptance(account).select_related("agency")[:200]:
        cd = selectors.countdown(intake.ACCEPT, c.accept_due, today)
        yield Todo(
            key=f"complaint:{c.pk}:accept",
            kind="complaint_accept",
            kind_label=_("投诉待受理"),
            what=_("投诉%(n)s（%(agency)s）") % {"n": c.number, "agency": c.agency.name},
            url=reverse("complaint_detail", args=[c.pk]),
            due_on=c.accept_due,
            remaining=cd.remaining,
            unit=cd.unit,
            article=accept.source,
            deadline_name=_("受理期限"),
        )
    handle = time_limit(intake.HANDLE)
    for c in selectors.complaints_in_handling(account).select_related("agency")[:200]:
        if c.handle_due is None:
            continue
        cd = selectors.countdown(intake.HANDLE, c.handle_due, today)
        yield Todo(
            key=f"complaint:{c.pk}:handle",
            kind="complaint_handle",
            kind_label=_("投诉待办结"),
            what=_("投诉%(n)s（%(agency)s）") % {"n": c.number, "agency": c.agency.name},
            url=reverse("complaint_detail", args=[c.pk]),
            due_on=c.handle_due,
            remaining=cd.remaining,
            unit=cd.unit,
            article=handle.source,
            deadline_name=_("办结期限"),
        )
