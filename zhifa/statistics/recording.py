"""How every statistics service records itself, and how ``zhifa verify`` replays it: the record
app's :class:`~zhifa.record.rows.RowRecorder` over the ``statistics.*`` entries. A row changed
outside the services (a frozen filing's figures edited in the database) is reported. Only the
tables of :data:`REPLAYED` are folded: the tables' definitions have a checker of their own
(``services_tables``), and the derived facts (``statistics.fact``) are not the record."""

from __future__ import annotations

from zhifa.record.rows import RowRecorder

RECORDER = RowRecorder(
    "statistics.", ["statistics.filing"], noun="统计数据", kind="statistics", only_replayed=True
)
REPLAYED = RECORDER.replayed
register_replayed = RECORDER.register_replayed
record_rows = RECORDER.record_rows
statistics_replay_check = RECORDER.replay_check
