"""What review adds to the to-do lists and tells the reviewers (registered from ``ready``).

- The legal reviewer's list: the open review rounds of their queue (assigned to them or not yet
  taken), with the review time limit; and the cases their agency's officers submitted for 案件
  审核 (``case_submit_review``) that no review round covers yet.
- ``case_review_requested``: a step listener — when an officer submits a case for 案件审核, the
  agency's legal reviewers are notified, so the submission reaches someone.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.cases.selectors import case_deadlines, cases_visible_to
from zhifa.notifications.models import Notification
from zhifa.notifications.services import notification_send
from zhifa.record.models import Entry
from zhifa.registry.models import Account
from zhifa.todos.items import Todo

from .models import Submission
from .selectors import reviewer_queue
from .statistics import review_countdown


def _label(case: Case) -> str:
    return f"{case.number or '（未编号）'} {case.title}"


def reviewer_todos(account: Account, today: date) -> list[Todo]:
    out = []
    for sub in reviewer_queue(account):
        c = review_countdown(sub, today)
        out.append(
            Todo(
                key=f"review:{sub.pk}",
                kind="legal_review",
                kind_label="法制审核",
                what=f"第{sub.round}轮法制审核（{sub.get_state_display()}）",
                url=reverse("review_workspace", kwargs={"pk": sub.pk}),
                case_id=sub.case_id,
                case_label=_label(sub.case),
                due_on=c.due_on if c else None,
                remaining=c.remaining if c else None,
                unit=c.unit if c else "",
                article=c.article if c else "",
                deadline_name=c.name if c else "",
                provisional=c.provisional if c else False,
                note="" if c else "计时中止",
            )
        )
    open_rounds = Submission.objects.filter(state__in=Submission.OPEN_STATES).values("case_id")
    waiting = (
        cases_visible_to(account)
        .filter(state=Case.State.CASE_REVIEW)
        .exclude(pk__in=open_rounds)
        .order_by("id")
    )
    if account.agency_id is not None:
        waiting = waiting.filter(agency_id=account.agency_id)
    for case in waiting:
        c = next(iter(case_deadlines(case, today)), None)
        out.append(
            Todo(
                key=f"case_review:{case.pk}",
                kind="case_review",
                kind_label="案件审核",
                what="承办人员已提交案件审核：阅卷审核，属重大执法决定的由承办机构送法制审核",
                url=reverse("case_detail", kwargs={"pk": case.pk}) + "#legal-review",
                case_id=case.pk,
                case_label=_label(case),
                due_on=c.due_on if c else None,
                remaining=c.remaining if c else None,
                unit=c.unit if c else "",
                article=c.article if c else "",
                deadline_name=c.name if c else "",
                provisional=c.provisional if c else False,
            )
        )
    return out


def case_review_requested(actor: Account, case: Case, service: str, entry: Entry) -> None:
    """Step listener: a case submitted for 案件审核 is announced to the agency's reviewers."""
    if service != "case_submit_review":
        return
    reviewers = Account.objects.filter(
        agency_id=case.agency_id, role=Account.Role.REVIEWER, is_active=True
    )
    notification_send(
        recipients=reviewers,
        kind=Notification.Kind.REVIEW_REQUESTED,
        title=f"案件审核：{_label(case)}",
        body=f"{actor.display_name or actor.get_username()}提交案件审核。",
        url=reverse("case_detail", kwargs={"pk": case.pk}) + "#legal-review",
        case_id=case.pk,
        key=f"case_review:{case.pk}:{entry.seq}",
    )
