"""How every evaluation service records itself, and how ``zhifa verify`` replays it: the record
app's :class:`~zhifa.record.rows.RowRecorder` over the ``evaluation.*`` entries (each service's
entry carries the rows it wrote; the replay folds them and compares every table of
:data:`REPLAYED`)."""

from __future__ import annotations

from zhifa.record.rows import RowRecorder, actor_name, row_fields, row_key

__all__ = [
    "REPLAYED",
    "actor_name",
    "evaluation_replay_check",
    "record_rows",
    "register_replayed",
    "row_fields",
    "row_key",
]

RECORDER = RowRecorder(
    "evaluation.",
    # Each part of the app adds its models (``register_replayed``); each has ``entry_seq``.
    [
        "evaluation.template",
        "evaluation.campaign",
        "evaluation.teammember",
        "evaluation.file",
        "evaluation.scoring",
    ],
    noun="评查数据",
    kind="evaluation",
    only_replayed=False,
)
REPLAYED = RECORDER.replayed
register_replayed = RECORDER.register_replayed
record_rows = RECORDER.record_rows
evaluation_replay_check = RECORDER.replay_check
