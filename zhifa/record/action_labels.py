"""The Chinese name of every record action, for whoever reads the log: the case timeline, the
API's ``action_label``, lists and exports. Evaluators and courts read the timeline, so an entry
is never titled with its internal name (``review.assess``).

Each app registers the labels of the actions it records (``register_action_labels`` in its
``ready()``), as it registers its replay checker: the record app knows no app above it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

_LABELS: dict[str, str] = {}

# What an entry says, in Chinese (label, value) lines, for actions whose payload holds more
# than plain texts (a verdict, a list of matches): the timeline never prints a payload's
# structure as it is stored.
EntryFacts = Callable[[Mapping[str, Any]], list[tuple[str, str]]]
_FACTS: dict[str, EntryFacts] = {}

# Actions of the record app itself, and of core (which cannot import record: it records through
# ``core.recording``, which this app fills).
RECORD_LABELS = {
    "record.key_rotate": "更换签名密钥",
    "core.calendar_year.save": "登记年度节假日安排",
    "core.calendar_year.delete": "删除年度节假日安排",
    "core.calendar_override.save": "登记节假日调整",
    "core.calendar_override.delete": "删除节假日调整",
    "evidence.view": "调阅证据文件",
    "evidence.upload": "上传证据文件",
    "evidence.expire": "删除逾期未使用的上传文件",
}


def register_action_labels(labels: Mapping[str, str]) -> None:
    """Name these actions (action → Chinese label); a second name for an action is a bug."""
    for action, label in labels.items():
        known = _LABELS.get(action)
        if known is not None and known != label:
            raise ValueError(f"record action {action!r} named twice: {known!r}, {label!r}")
        _LABELS[action] = label


def action_label(action: str) -> str:
    """The Chinese name of ``action``; one never registered reads as 其他记录 (the test of every
    app's actions, ``record/tests/test_action_labels.py``, keeps that from happening)."""
    return _LABELS.get(action, "其他记录")


def action_labelled(action: str) -> bool:
    return action in _LABELS


def register_entry_facts(action: str, describe: EntryFacts) -> None:
    """Let the app that records ``action`` say what its payload means (one describer each)."""
    known = _FACTS.get(action)
    if known is not None and known is not describe:
        raise ValueError(f"record action {action!r} described twice")
    _FACTS[action] = describe


def entry_facts(action: str, payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (label, value) lines the app of ``action`` registered for this payload; none when
    it registered no describer."""
    describe = _FACTS.get(action)
    return describe(payload) if describe is not None else []


register_action_labels(RECORD_LABELS)
