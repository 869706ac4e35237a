"""Helpers for the record tests: a fixed clock and a quick way to fill the log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from zhifa.record import merkle
from zhifa.record.models import Entry, LogState, SignedHead, TreeNode
from zhifa.record.services import record_append

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

Append = Callable[..., list[Entry]]


@pytest.fixture
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return Path(settings.EVIDENCE_DIR)


@pytest.fixture
def append(db: None) -> Append:
    """``append(n, case_id=…)``: n entries, one second apart from T0 (heads as the service signs
    them)."""

    def run(
        n: int, *, case_id: int | None = 1, start: int = 0, action: str = "case.note"
    ) -> list[Entry]:
        return [
            record_append(
                actor_id=7,
                actor_name="张三",
                role="officer",
                action=action,
                payload={"n": start + i, "text": "现场检查记录", "amount": "200.00"},
                case_id=case_id,
                at=T0 + timedelta(seconds=start + i),
            )
            for i in range(n)
        ]

    return run


@pytest.fixture(autouse=True)
def no_replay_checkers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The record tests use made-up case ids: the checkers other apps register (``cases``
    compares its tables) are theirs to test, so they are set aside here."""
    from zhifa.record import verification

    monkeypatch.setattr(verification, "_replay_checkers", [])


# -- tampering, as someone with write access to the database would --


def sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def leaf_of(seq: int) -> bytes:
    return Entry.objects.get(seq=seq).leaf_bytes


def set_leaf(seq: int, leaf: bytes) -> None:
    sql("UPDATE record_entry SET leaf = %s WHERE seq = %s", [leaf, seq])


def edit_leaf(seq: int, old: bytes, new: bytes) -> None:
    """Replace ``old`` (which must occur once) by ``new`` in the leaf bytes of entry ``seq``."""
    leaf = leaf_of(seq)
    assert leaf.count(old) == 1, (old, leaf)
    set_leaf(seq, leaf.replace(old, new))


def rebuild_tree() -> None:
    """Make the tree and the state agree with whatever the leaves now hold, and delete the
    signed heads (which a forger cannot re-sign): the thorough forger's log."""
    leaves = [e.leaf_hash for e in Entry.objects.order_by("seq")]
    TreeNode.objects.all().delete()
    TreeNode.objects.bulk_create(
        [
            TreeNode(level=lv, index=ix, hash=h)
            for (lv, ix), h in merkle.perfect_nodes(leaves).items()
        ]
    )
    frontier = merkle.Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    LogState.objects.update(size=len(leaves), frontier=frontier.to_bytes())
    SignedHead.objects.all().delete()
