"""The officer's to-do source (registered with ``zhifa.todos``): 我的案件 — every case not yet
archived to which the officer is assigned, with its next steps and its nearest deadline."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from zhifa.registry.models import Account
from zhifa.todos.items import Todo

from . import transitions
from .models import Case, CaseStep
from .selectors import case_deadlines, cases_assigned_to

# Steps always open while a case is prepared; not worth a line of their own.
# The 公示系统 check is recorded when a 首违 is considered, not a step every case waits for.
QUIET_STEPS = frozenset({"case_party_add", "case_officer_assign", "case_credit_check_record"})


def officer_cases(account: Account) -> list[Case]:
    """The cases ``account``'s officer is assigned to (主办 or 协办), archived ones aside."""
    return list(cases_assigned_to(account).exclude(state=Case.State.ARCHIVED).order_by("id"))


def _educated(cases: list[Case]) -> set[int]:
    """Of the cases ended without penalty, those whose party's education is recorded: the step
    stays open (a second talk may be recorded) but is no longer what the case waits for."""
    ended = [c.pk for c in cases if c.state == Case.State.NOT_PENALISED]
    if not ended:
        return set()
    return set(
        CaseStep.objects.filter(case_id__in=ended, kind=CaseStep.Kind.EDUCATION).values_list(
            "case_id", flat=True
        )
    )


def officer_todos(account: Account, today: date) -> list[Todo]:
    out = []
    cases = officer_cases(account)
    educated = _educated(cases)
    for case in cases:
        quiet = QUIET_STEPS | ({"case_education_record"} if case.pk in educated else set())
        moves = [m for m in transitions.moves_from(case.kind, case.state) if m.service not in quiet]
        own = [m for m in moves if transitions.HEAD not in m.preconditions]
        heads = [m for m in moves if transitions.HEAD in m.preconditions]
        label = transitions.SERVICE_LABELS
        if own:
            what = "下一步：" + "、".join(label.get(m.service, m.service) for m in own)
        elif heads:
            what = "待负责人审批：" + "、".join(label.get(m.service, m.service) for m in heads)
        else:
            continue
        c = next(iter(case_deadlines(case, today)), None)
        out.append(
            Todo(
                key=f"case:{case.pk}",
                kind="my_case",
                kind_label="我的案件",
                what=what,
                url=reverse("case_detail", kwargs={"pk": case.pk}) + "#next-actions",
                case_id=case.pk,
                case_label=f"{case.number or '（未编号）'} {case.title}",
                due_on=c.due_on if c else None,
                remaining=c.remaining if c else None,
                unit=c.unit if c else "",
                article=c.article if c else "",
                deadline_name=c.name if c else "",
                note=case.get_state_display(),
                provisional=c.provisional if c else False,
            )
        )
    return out
