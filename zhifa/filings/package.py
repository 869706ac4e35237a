"""What a filing (备案材料) holds, as a table (pure).

The package is assembled from the case's record, never typed or uploaded again: each item
names the generated document versions (``CaseDocument``: kind, version, the SHA-256 of its PDF
and DOCX) and the record entries (``seq`` and leaf hash) it rests on, so the supervisor reads
what the record says and nothing can drift (``zhifa verify`` checks every reference still
holds). Contents after supervision.md §6: 辽宁 16 (备案报告 + 决定书), 河北 (调查终结报告, 法制审核
意见书, 决定书), 高淳 sample (告知书, 听证通知书, 立案审批表, 案审会会议记录).
"""

from __future__ import annotations

from dataclasses import dataclass

PACKAGE_SOURCE = "《辽宁省行政执法监督规定》第十六条"


@dataclass(frozen=True)
class Item:
    """One item of the package: the documents and record actions it is made of."""

    key: str
    label: str
    documents: tuple[str, ...] = ()  # CaseDocument.Kind values (latest version of each)
    actions: tuple[str, ...] = ()  # record actions (every entry of the case with one)
    required: bool = False  # a filing without it is refused


ITEMS: tuple[Item, ...] = (
    Item(
        "decision",
        "行政处罚决定书",
        documents=("penalty_decision", "simple_decision"),
        actions=("case.decide", "case.simple_decide"),
        required=True,
    ),
    Item("investigation_report", "调查终结报告", actions=("case.submit_review",)),
    Item(
        "review_opinion",
        "法制审核意见书",
        documents=("review_opinion",),
        actions=("review.conclude",),
    ),
    Item(
        "notices",
        "行政处罚事先告知书、听证告知书",
        documents=("penalty_notice", "hearing_right_notice"),
        actions=("case.notify",),
    ),
    Item(
        "hearing",
        "听证通知书、听证笔录",
        documents=("hearing_notice", "hearing_record"),
        actions=("case.hearing_notice", "case.hearing_hold"),
    ),
    Item(
        "collective_discussion",
        "集体讨论记录",
        actions=("review.collective_discussion",),
    ),
    Item("register_approval", "立案审批表", documents=("register_approval",)),
)

ITEM_LABELS = {item.key: item.label for item in ITEMS}
