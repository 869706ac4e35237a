"""The rules of taking a complaint (pure: no Django models, no clock — ``today`` is given).

The 《行政执法监督条例》 (国务院令第825号) has no complaint procedure and no day counts: its
article 20 names 政务服务便民热线 and other channels as sources of clues, article 33 forbids
supervising again what is under 行政复议 or 行政诉讼 and says to guide the complainant there.
The day counts are provincial or local rules (docs: supervision.md §7), so each is a row of
``core.time_limits`` that a deployment may replace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhifa.core.exceptions import RuleViolation
from zhifa.core.time_limits import TimeLimit

ARTICLE_33 = "《行政执法监督条例》第三十三条"
ARTICLE_11 = "《行政执法监督条例》第十一条"
ARTICLE_20 = "《行政执法监督条例》第二十条"
ARTICLE_8 = "《行政执法监督条例》第八条"

# -- time limits (rows of core.time_limits, registered in ComplaintsConfig.ready) -------------

ACCEPT = "complaints.accept"
HANDLE = "complaints.handle"
TRANSFER = "complaints.transfer"

TIME_LIMITS = (
    TimeLimit(
        key=ACCEPT,
        label="决定是否受理投诉",
        count=5,
        unit="workdays",
        source="郑州市行政执法投诉处理规定（收到之日起5个工作日内决定是否受理）",
    ),
    TimeLimit(
        key=HANDLE,
        label="办结投诉",
        count=30,
        unit="days",
        extension=30,
        source="郑州市行政执法投诉处理规定（受理之日起30日内办结，经批准可延长30日）",
    ),
    TimeLimit(
        key=TRANSFER,
        label="移送有权处理的机关",
        count=10,
        unit="days",
        source="《四川省行政执法监督条例》第三十一条",
    ),
)

# -- refusal ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefusalReason:
    code: str
    label: str  # what the supervisor chooses
    article: str  # the rule it rests on
    guidance: str  # what the complainant is told


REFUSAL_REASONS: dict[str, RefusalReason] = {
    r.code: r
    for r in (
        RefusalReason(
            "review_or_litigation",
            "已进入行政复议或者行政诉讼程序",
            ARTICLE_33,
            "该行政争议已进入行政复议或者行政诉讼程序，行政执法监督机构不重复监督；"
            "请在复议或者诉讼程序中主张您的权利。",
        ),
        RefusalReason(
            "not_enforcement",
            "不属于行政执法监督事项",
            ARTICLE_11,
            "所反映的事项不属于行政执法行为，不在行政执法监督范围内；可向有权处理的机关反映。",
        ),
        RefusalReason(
            "duplicate",
            "重复投诉，已受理或者已办结",
            ARTICLE_33,
            "同一事项已经受理或者办结，不再重复受理。",
        ),
    )
}


def refusal_reason(code: str) -> RefusalReason:
    try:
        return REFUSAL_REASONS[code]
    except KeyError:
        raise RuleViolation("请选择不予受理的理由", article=ARTICLE_33, field="reason") from None


# -- the complaint's states -----------------------------------------------------------------

RECEIVED, ACCEPTED, REFUSED, TRANSFERRED, CONCLUDED = (
    "received",
    "accepted",
    "refused",
    "transferred",
    "concluded",
)

# action → (the states it may start from, the state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({RECEIVED}), ACCEPTED),
    "refuse": (frozenset({RECEIVED}), REFUSED),
    "transfer": (frozenset({RECEIVED, ACCEPTED}), TRANSFERRED),
    "extend": (frozenset({ACCEPTED}), ACCEPTED),
    "open_matter": (frozenset({ACCEPTED}), ACCEPTED),
    "conclude": (frozenset({ACCEPTED}), CONCLUDED),
}

_ACTION_NAMES = {
    "accept": "受理",
    "refuse": "不予受理",
    "transfer": "移送",
    "extend": "延长办理期限",
    "open_matter": "立为监督事项",
    "conclude": "办结",
}


def next_state(state: str, action: str) -> str:
    """The state after ``action``; RuleViolation when the complaint's state does not allow it."""
    allowed, after = TRANSITIONS[action]
    if state not in allowed:
        raise RuleViolation(f"投诉当前状态下不能{_ACTION_NAMES[action]}", article=ARTICLE_20)
    return after


def check_happened_on(happened_on: date, today: date) -> None:
    if happened_on > today:
        raise RuleViolation("发生日期不能晚于今天", article=ARTICLE_20, field="happened_on")


def check_extension(extended: bool, extension_days: int) -> None:
    if extended:
        raise RuleViolation("办理期限已经延长过一次", article=ARTICLE_20)
    if extension_days <= 0:
        raise RuleViolation("本地规定的办理期限不能延长", article=ARTICLE_20)


# -- attachments: what a citizen may attach, judged by the bytes, not the name ----------------

ATTACHMENT_TYPES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
MAX_ATTACHMENTS = 5
DEFAULT_ATTACHMENT_BYTES = 10 * 1024 * 1024


def attachment_media_type(head: bytes) -> str | None:
    """The media type of a file by its first bytes (PDF, PNG, JPEG, GIF, WebP), else None."""
    for magic, media_type in ATTACHMENT_TYPES.items():
        if head.startswith(magic):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None
