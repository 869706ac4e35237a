"""复核: what the agency made of the party's statement and defence (陈述、申辩) or of the
hearing (听证), as the decision must say it.

《行政处罚法》第四十五条第一款: the agency must hear the party fully and review (复核) the facts,
reasons and evidence the party put forward; what holds must be adopted. A decision therefore
says, for what the party said, whether it was adopted (采纳), partly adopted (部分采纳) or not
adopted (不予采纳) and why; where the party waived the right (or did not attend the hearing,
第六十四条第八项), it says so.

Pure: no Django, no clock.
"""

from __future__ import annotations

from enum import StrEnum

from zhifa.core.exceptions import RuleViolation
from zhifa.law import penalty

ARTICLE = f"{penalty.article('四十五')}第一款"


class Adoption(StrEnum):
    """The outcome of the review of what the party said."""

    ADOPTED = "adopted"  # 采纳: what the party put forward holds
    PARTLY = "partly"  # 部分采纳: some of it holds
    REJECTED = "rejected"  # 不予采纳: none of it holds


LABELS: dict[str, str] = {
    Adoption.ADOPTED: "采纳",
    Adoption.PARTLY: "部分采纳",
    Adoption.REJECTED: "不予采纳",
}


def review_recorded(*, said: bool, adoption: str, reasons: str, what: str) -> None:
    """When the party said something (``said``), the review's outcome is recorded with it;
    partly or not adopting needs the reasons. ``what`` names it (陈述、申辩意见 / 听证意见).

    Raises RuleViolation naming the field and 第四十五条第一款."""
    if not said:
        return
    if adoption not in LABELS:
        raise RuleViolation(
            f"请写明对当事人{what}的复核意见（采纳、部分采纳或不予采纳）",
            article=ARTICLE,
            field="adoption",
        )
    if adoption != Adoption.ADOPTED and not reasons.strip():
        raise RuleViolation(
            f"{LABELS[adoption]}当事人{what}的，须写明理由",
            article=ARTICLE,
            field="adoption_reasons",
        )


def review_sentence(*, adoption: str, reasons: str, what: str) -> str:
    """The decision's sentence: "经复核，本机关不予采纳当事人的陈述、申辩意见，理由：…"
    (empty when no outcome was recorded, as in cases recorded before this rule)."""
    label = LABELS.get(adoption)
    if label is None:
        return ""
    reason = reasons.strip().rstrip("。")
    return f"经复核，本机关{label}当事人的{what}" + (f"，理由：{reason}" if reason else "") + "。"
