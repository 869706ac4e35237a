"""The reminder job of ``zhifa cron``: every account's to-do items with a deadline are reminded
3 working days before, on the day and once overdue — each stage once (``reminders``)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from zhifa.core.calendar import counted
from zhifa.notifications.models import Notification
from zhifa.notifications.services import notification_send
from zhifa.registry.models import Account

from .items import Todo, _sources, todos_for
from .reminders import Stage, reminder_key, reminder_stage


def _stage(item: Todo, today: date) -> Stage | None:
    assert item.due_on is not None
    due_on = item.due_on
    stage, _provisional = counted(
        lambda cal: reminder_stage(due_on, today, cal), from_year=today.year
    )
    return stage


def reminders_send(*, today: date, at: datetime | None = None) -> int:
    """Send the reminders due on ``today`` to every active account with a to-do list; returns
    how many were sent (a reminder already sent is not sent again)."""
    sent = 0
    roles = [role for role, sources in _sources.items() if sources]
    for account in Account.objects.filter(is_active=True, role__in=roles).order_by("pk"):
        for item in todos_for(account, today):
            if item.due_on is None:
                continue
            stage = _stage(item, today)
            if stage is None:
                continue
            title = f"{stage.label}：{item.what}"
            if item.case_label:
                title = f"{title}（{item.case_label}）"
            body = f"{item.deadline_name}：{item.due_on:%Y-%m-%d}"
            if item.article:
                body += f"（{item.article}）"
            sent += len(
                notification_send(
                    recipients=[account],
                    kind=Notification.Kind.REMINDER,
                    title=title,
                    body=body,
                    url=item.url,
                    case_id=item.case_id,
                    key=reminder_key(item.key, item.due_on, stage),
                    at=at,
                )
            )
    return sent


def reminders_job(now: datetime) -> str:
    sent = reminders_send(today=timezone.localdate(now), at=now)
    return f"sent {sent} reminders"
