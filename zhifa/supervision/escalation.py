"""Escalation of an overdue rectification (整改逾期升级), run by the scheduled job
``supervision.escalate``. Pure: given the document's facts and ``today``.

A 督办函 (条例第二十七条), 意见书 (第二十八条) or 决定书 (第二十九条) whose rectification report was
not made by its due day — the day counted on the configured calendar by the kind's row of
``core.time_limits`` (``time_limits.FOR_DOCUMENT``) — is overdue from the next day on.
What the 条例 lets the supervisory body do next (条例第二十六条 chooses among the documents):

- a 督办函 or 意见书 not acted on (the agency ignored it): the bureau "提出处理建议，报本级人民政府
  决定" → a 行政执法监督决定书 (条例第二十九条; supervision.md §1.4);
- a 决定书 not executed: the government's decision is a duty the agency "应当履行而未履行" → a
  督办函 urging it (条例第二十七条).

A report the supervisor checked and did not accept (整改未通过) leaves the rectification undone: the
agency must still rectify by the same due day (the check sets no new period — 条例第二十八条 asks
for the correction "在规定时限内"), so once that day has passed it is overdue like an unreported
one and is escalated the same way.

Nothing is issued automatically: the escalation is recorded on the matter, the supervisors and the
agency's head are told, and the supervisor gets the proposal as a to-do.
"""

from __future__ import annotations

from datetime import date

ORDER = "《行政执法监督条例》（国务院令第825号）"

# What an overdue document of each kind leads to: (proposal, the article that allows it).
PROPOSALS: dict[str, tuple[str, str]] = {
    "urge_letter": ("decision", f"{ORDER}第二十九条"),
    "opinion": ("decision", f"{ORDER}第二十九条"),
    "decision": ("urge_letter", f"{ORDER}第二十七条"),
}

# A department supervising its own system (第四十二条) proposes no 决定书: that is the people's
# government's decision on its 司法局's proposal (第二十九条). It urges the body below it by a
# 督办函 (第二十七条, applied by 第四十二条).
DEPARTMENT_PROPOSALS: dict[str, tuple[str, str]] = {
    kind: ("urge_letter", f"{ORDER}第二十七条、第四十二条") for kind in PROPOSALS
}

ESCALATED_KINDS = frozenset(PROPOSALS)

# The statuses in which the rectification is still owed: issued and not reported, or reported
# and not accepted at the check (``Document.Status``).
OWED_STATUSES = frozenset({"issued", "rejected"})


def is_overdue(*, due_on: date | None, today: date) -> bool:
    """Overdue from the day after the due day (the due day itself is still in time)."""
    return due_on is not None and today > due_on


def should_escalate(
    *,
    kind: str,
    status: str,
    due_on: date | None,
    today: date,
    already: bool,
    suspended: bool,
) -> bool:
    """An issued 督办函/意见书/决定书 whose rectification is still owed (not reported, or its
    report not accepted at the check) past the due day, not escalated before, and not suspended
    by a pending objection where the deployment suspends (条例第三十条)."""
    return (
        kind in ESCALATED_KINDS
        and status in OWED_STATUSES
        and not already
        and not suspended
        and is_overdue(due_on=due_on, today=today)
    )


def proposal_for(kind: str, *, department: bool = False) -> tuple[str, str]:
    """(proposal, article) for an overdue document of ``kind`` issued by a 司法局, or by a
    department supervising its own system (``department``)."""
    return (DEPARTMENT_PROPOSALS if department else PROPOSALS)[kind]
