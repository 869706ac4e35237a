"""How every evaluation service records itself, and how ``zhifa verify`` replays it.

Each service appends one entry whose payload carries ``rows``: for every row it wrote, the
fields as now stored (``"evaluation.file:7": {...}``), and sets the rows' ``entry_seq``. The
replay check folds the rows of every ``evaluation.*`` entry in order and compares each table
of :data:`REPLAYED` with the fold: a row changed outside the services, a row without an entry
or an entry's row that no longer exists is reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models

from zhifa.record.models import Entry, EvidenceRef
from zhifa.record.services import record_append
from zhifa.record.verification import Problem
from zhifa.registry.models import Account

# Models whose rows the evaluation services record, by label ("evaluation.file"). Each part of
# the app adds its models here (``register_replayed``); each must have an ``entry_seq`` field.
REPLAYED: list[str] = [
    "evaluation.template",
    "evaluation.campaign",
    "evaluation.teammember",
    "evaluation.file",
    "evaluation.scoring",
]


def register_replayed(*labels: str) -> None:
    for label in labels:
        if label not in REPLAYED:
            REPLAYED.append(label)


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


def actor_name(actor: Account) -> str:
    return actor.display_name or actor.get_username()


def record_rows(
    actor: Account | None,
    action: str,
    rows: Sequence[models.Model],
    *,
    case_id: int | None = None,
    files: Sequence[EvidenceRef] = (),
    **data: Any,
) -> Entry:
    """Append the entry ``action`` carrying ``rows`` (saved already) and ``data``; call inside
    the service's transaction. ``actor`` None is the public (an anonymous survey answer)."""
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


def evaluation_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """``zhifa verify``: the evaluation tables equal the fold of their entries' rows."""
    del groups  # evaluation entries are read here by action, not by case
    replay: dict[str, dict[str, Any]] = {}
    last_seq: dict[str, int] = {}
    for entry in (
        Entry.objects.filter(action__startswith="evaluation.").order_by("seq").iterator(2000)
    ):
        for key, fields in (entry.data.get("rows") or {}).items():
            replay.setdefault(key, {}).update(fields)
            last_seq[key] = entry.seq
    seen: set[str] = set()
    for label in REPLAYED:
        model = apps.get_model(label)
        for obj in model._default_manager.order_by("pk").iterator(chunk_size=2000):
            key = row_key(obj)
            seen.add(key)
            want = replay.get(key)
            if want is None:
                yield Problem(
                    kind="evaluation_row_unrecorded", message=f"评查数据{key}没有对应的记录"
                )
                continue
            have = row_fields(obj)
            diff = sorted(k for k in want if have.get(k) != want[k])
            if diff:
                yield Problem(
                    kind="evaluation_row_differs",
                    seq=last_seq[key],
                    message=f"评查数据{key}的{'、'.join(diff)}与记录#{last_seq[key]}重放的结果不一致",
                )
    for key in sorted(set(replay) - seen):
        yield Problem(
            kind="evaluation_row_missing",
            seq=last_seq[key],
            message=f"记录#{last_seq[key]}登记的评查数据{key}已不存在",
        )
