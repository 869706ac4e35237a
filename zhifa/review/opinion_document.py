"""The written opinion (法制审核意见书) as an enforcement document of the case file.

The review app registers :data:`SOURCE` with ``cases.documents`` (``ReviewConfig.ready``), so
``document_generate(kind="review_opinion")`` renders the latest concluded round — the case, the
round and its submission, every checklist point with its verdict and comment, the outcome, what
must change, the reviewers and the date — as PDF and DOCX, numbered (法审), stored as evidence and
recorded like every other document. A new round's opinion takes a new number; regenerating one
round's opinion keeps it (the round is the document's subject).

Reads only: the opinion itself is written by ``services.review_conclude``.
"""

from __future__ import annotations

from typing import Any

from zhifa.cases.documents import DocumentSource, SourceValues, chinese_date, money
from zhifa.cases.models import Case
from zhifa.law import penalty
from zhifa.registry.models import Account

from .checklist import Point, verdict_label
from .models import ChecklistAnswer, ReviewDispute, Submission


def _latest_concluded(case: Case) -> Submission | None:
    return (
        Submission.objects.filter(case=case, state=Submission.State.CONCLUDED)
        .select_related("reviewer", "submitted_by")
        .order_by("-round")
        .first()
    )


def opinion_ready(case: Case) -> str | None:
    """None once a round of the case is concluded (the opinion exists to be written out)."""
    if _latest_concluded(case) is None:
        return "须在法制审核机构出具审核意见之后生成"
    return None


def _proposal(row: Submission) -> str:
    if not row.proposal_kinds:
        return "不予行政处罚"
    order = list(penalty.PenaltyKind)
    kinds = sorted((penalty.PenaltyKind(k) for k in row.proposal_kinds), key=order.index)
    text = "、".join(k.label for k in kinds)
    if row.proposal_fine is not None:
        fine = money(row.proposal_fine)
        text += f"，罚款{fine['figures']}（大写：{fine['words']}）"
    if row.proposal_confiscation is not None:
        text += f"，没收{money(row.proposal_confiscation)['figures']}"
    return text


def _name(account: Account | None) -> str:
    if account is None:
        return ""
    return account.display_name or account.get_username()


def _reviewers(row: Submission, answers: list[ChecklistAnswer]) -> list[str]:
    """The assigned reviewer, then anyone else who answered a point, each once."""
    names: list[str] = []
    if row.reviewer is not None:
        names.append(row.reviewer.name)
    for a in answers:
        name = a.answered_by.officer.name if a.answered_by and a.answered_by.officer else ""
        name = name or _name(a.answered_by)
        if name and name not in names:
            names.append(name)
    return names


def opinion_values(case: Case) -> SourceValues:
    """The template values of the latest concluded round's opinion (``review`` in the
    template), dated the day it was concluded; the subject is the round."""
    row = _latest_concluded(case)
    if row is None:  # document_check asked opinion_ready first
        raise LookupError(f"case {case.pk} has no concluded review round")
    answers = list(
        ChecklistAnswer.objects.filter(submission=row)
        .select_related("answered_by", "answered_by__officer")
        .order_by("position")
    )
    checklist = [
        {
            "label": Point(a.point).label,
            "verdict": verdict_label(Point(a.point), a.verdict) if a.verdict else "未审核",
            "comment": a.comment,
        }
        for a in answers
    ]
    assessment = case.assessments.order_by("-id").first()
    reasons = (
        [f"{m['reason']}（{m['source']}）" for m in assessment.matches]
        if assessment is not None and assessment.major
        else []
    )
    dispute = ReviewDispute.objects.filter(submission=row).first()
    review: dict[str, Any] = {
        "round": str(row.round),
        "submitted_on": chinese_date(row.submitted_on),
        "submitted_by": _name(row.submitted_by),
        "proposal": _proposal(row),
        "major": row.major,
        "major_reasons": "；".join(reasons),
        "checklist": checklist,
        "outcome": row.outcome_label,
        "agreed": row.agreed,
        "opinion": row.opinion,
        "required_changes": [
            {"index": str(i), "text": text} for i, text in enumerate(row.required_changes, 1)
        ],
        "suspected_crime": row.suspected_crime,
        "reviewers": "、".join(_reviewers(row, answers)),
        "due_on": chinese_date(row.due_on),
        "concluded_on": chinese_date(row.concluded_on),
        "late": row.concluded_on is not None and row.concluded_on > row.due_on,
        "dispute": dispute.get_state_display() if dispute is not None else "",
    }
    return SourceValues(
        values={"review": review}, on=row.concluded_on, subject=f"round {row.round}"
    )


# Reviewers write their opinion out; the handling unit and the head may print it too.
SOURCE = DocumentSource(
    case_kinds=frozenset({Case.Kind.PENALTY_GENERAL}),
    ready=opinion_ready,
    values=opinion_values,
    roles=frozenset({Account.Role.REVIEWER, Account.Role.OFFICER, Account.Role.HEAD}),
)
