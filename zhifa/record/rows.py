"""Services that record the rows they wrote, and the replay of those rows for ``zhifa verify``.

An app whose services record themselves this way (evaluation, statistics) makes one
:class:`RowRecorder`. Each service appends one entry whose payload carries ``rows``: for every
row it wrote, the fields as now stored (``"evaluation.file:7": {...}``), and sets the rows'
``entry_seq``. The replay check folds the rows of every entry of the app's actions in order and
compares each replayed table with the fold: a row changed outside the services, a row without an
entry, or an entry's row that no longer exists is reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from django.apps import apps
from django.db import models

from .models import Entry, EvidenceRef
from .services import record_append
from .verification import Problem


def row_key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def _value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def row_fields(obj: models.Model) -> dict[str, Any]:
    """Every stored field of ``obj`` but its id and ``entry_seq``, as JSON values (foreign keys
    as ids, many-to-many as sorted ids)."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.name == "entry_seq":
            continue
        out[f.attname] = _value(getattr(obj, f.attname))
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            out[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
    return out


class Actor(Protocol):
    """The account that acts (the registry's ``Account``; the record app does not import it)."""

    pk: Any
    role: str
    display_name: str

    def get_username(self) -> str: ...


def actor_name(actor: Actor) -> str:
    return actor.display_name or actor.get_username()


class RowRecorder:
    """The recording of one app: its actions (``prefix``, "evaluation."), the tables replayed
    (labels; each model has an ``entry_seq`` field), and the words of its problems (``noun``,
    "评查数据"; ``kind`` prefix, "evaluation"). With ``only_replayed`` the fold ignores rows of
    other tables, which another checker replays."""

    def __init__(
        self, prefix: str, replayed: Sequence[str], *, noun: str, kind: str, only_replayed: bool
    ) -> None:
        self.prefix = prefix
        self.replayed: list[str] = list(replayed)
        self.noun = noun
        self.kind = kind
        self.only_replayed = only_replayed

    def register_replayed(self, *labels: str) -> None:
        for label in labels:
            if label not in self.replayed:
                self.replayed.append(label)

    def record_rows(
        self,
        actor: Actor | None,
        action: str,
        rows: Sequence[models.Model],
        *,
        case_id: int | None = None,
        files: Sequence[EvidenceRef] = (),
        **data: Any,
    ) -> Entry:
        """Append the entry ``action`` carrying ``rows`` (saved already) and ``data``; call
        inside the service's transaction. ``actor`` None is the public (an anonymous answer)."""
        payload = {
            "rows": {row_key(r): row_fields(r) for r in rows},
            **{k: _value(v) for k, v in data.items()},
        }
        entry = record_append(
            actor_id=actor.pk if actor is not None else None,
            actor_name=actor_name(actor) if actor is not None else "公众",
            role=actor.role if actor is not None else "public",
            action=action,
            payload=payload,
            case_id=case_id,
            files=files,
        )
        # One UPDATE per table, not per row (an efficiency evaluation writes 5,000 results).
        by_model: dict[type[models.Model], list[Any]] = {}
        for row in rows:
            by_model.setdefault(type(row), []).append(row.pk)
            row.entry_seq = entry.seq  # type: ignore[attr-defined]
        for model, pks in by_model.items():
            for i in range(0, len(pks), 5000):
                model._default_manager.filter(pk__in=pks[i : i + 5000]).update(entry_seq=entry.seq)
        return entry

    def replay_check(self, groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
        """``zhifa verify``: the replayed tables equal the fold of their entries' rows."""
        del groups  # the app's entries are read here by action, not by case
        replay: dict[str, dict[str, Any]] = {}
        last_seq: dict[str, int] = {}
        entries = Entry.objects.filter(action__startswith=self.prefix).order_by("seq")
        for entry in entries.iterator(2000):
            for key, fields in (entry.data.get("rows") or {}).items():
                if self.only_replayed and key.split(":", 1)[0] not in self.replayed:
                    continue
                replay.setdefault(key, {}).update(fields)
                last_seq[key] = entry.seq
        seen: set[str] = set()
        noun = self.noun
        for label in self.replayed:
            model = apps.get_model(label)
            for obj in model._default_manager.order_by("pk").iterator(chunk_size=2000):
                key = row_key(obj)
                seen.add(key)
                want = replay.get(key)
                if want is None:
                    yield Problem(
                        kind=f"{self.kind}_row_unrecorded", message=f"{noun}{key}没有对应的记录"
                    )
                    continue
                have = row_fields(obj)
                diff = sorted(k for k in want if have.get(k) != want[k])
                if diff:
                    seq = last_seq[key]
                    yield Problem(
                        kind=f"{self.kind}_row_differs",
                        seq=seq,
                        message=f"{noun}{key}的{'、'.join(diff)}与记录#{seq}重放的结果不一致",
                    )
        for key in sorted(set(replay) - seen):
            yield Problem(
                kind=f"{self.kind}_row_missing",
                seq=last_seq[key],
                message=f"记录#{last_seq[key]}登记的{noun}{key}已不存在",
            )
