"""The deployment's tables (``models.TableDefinition``): written only here, each write recorded.

Contract of every ``table_<verb>(*, actor, …)`` service:

- only a table editor acts (``table_editors.may_edit_tables``: the system administrator, or a
  supervisor of a province — one instance serves one province, so its tables are the
  province's; a city's supervisor reads them);
- a table is an ordered list of indicator codes of ``catalogue.INDICATORS``, none twice, at
  least one; its code is a deployment's own (``[a-z0-9_]``) or a standard table's code, whose
  columns it then replaces (hide or add a column of a standard table);
- a change never edits a row: it writes the table's next version (``version`` + 1); the
  newest version is the table in force, an inactive newest version hides the table;
- each write appends one ``statistics.table.*`` entry in the same transaction carrying the row
  (``{"rows": {"statistics.tabledefinition:<id>": {fields}}}``) and links it (``entry_seq``);
  ``tables_replay_check`` compares each row with its entry.

Each returns the new row. Raises RuleViolation (Chinese, with the rule) for a refused change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import transaction

from zhifa.core.exceptions import RuleViolation
from zhifa.record.models import Entry
from zhifa.record.services import record_append
from zhifa.record.verification import Problem
from zhifa.registry.models import Account
from zhifa.registry.selectors import is_system_admin

from . import catalogue
from .models import TableDefinition

ACTION_LABELS = {
    "statistics.table.create": "新建统计表",
    "statistics.table.version": "调整统计表栏目",
    "statistics.table.deactivate": "停用统计表",
    "statistics.table.activate": "启用统计表",
}

TABLE_RULE = "行政执法统计指标以数据形式设定（国办发〔2018〕118号；本地统计口径）"
CODE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
MODEL = "statistics.tabledefinition"


def may_edit_tables(account: Account) -> bool:
    """The system administrator, or a supervisor (or administrator) of a province."""
    if not account.is_authenticated or not account.is_active:
        return False
    if is_system_admin(account):
        return True
    return (
        account.role in (Account.Role.SUPERVISOR, Account.Role.ADMIN)
        and bool(account.region_code)
        and account.region_code.endswith("0000")
    )


def _check_editor(actor: Account) -> None:
    if not may_edit_tables(actor):
        raise RuleViolation("只有系统管理员或省级执法监督人员可以设定统计表", article=TABLE_RULE)


def standard(code: str) -> catalogue.Table | None:
    return next((t for t in catalogue.standard_tables() if t.code == code), None)


def _check_columns(columns: Sequence[str]) -> list[str]:
    cols = [c.strip() for c in columns if c.strip()]
    if not cols:
        raise RuleViolation("统计表至少要有一个栏目", article=TABLE_RULE, field="columns")
    unknown = [c for c in cols if c not in catalogue.INDICATORS]
    if unknown:
        raise RuleViolation(
            f"指标目录中没有这些指标：{'、'.join(unknown)}", article=TABLE_RULE, field="columns"
        )
    twice = sorted({c for c in cols if cols.count(c) > 1})
    if twice:
        raise RuleViolation(
            f"栏目重复：{'、'.join(catalogue.INDICATORS[c].name for c in twice)}",
            article=TABLE_RULE,
            field="columns",
        )
    return cols


def table_plain(row: TableDefinition) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in TableDefinition._meta.concrete_fields:
        if f.primary_key or f.name == "entry_seq":
            continue
        out[f.attname] = getattr(row, f.attname)
    return out


def _actor_name(actor: Account) -> str:
    return actor.display_name or actor.get_username()


def _write(actor: Account, action: str, **fields: Any) -> TableDefinition:
    row = TableDefinition.objects.create(created_by=actor, **fields)
    entry = record_append(
        actor_id=actor.pk,
        actor_name=_actor_name(actor),
        role=actor.role,
        action=action,
        payload={"rows": {f"{MODEL}:{row.pk}": table_plain(row)}},
    )
    TableDefinition.objects.filter(pk=row.pk).update(entry_seq=entry.seq)
    row.entry_seq = entry.seq
    return row


def table_current(code: str) -> TableDefinition | None:
    """The newest version of the deployment's table ``code`` (active or not), or None."""
    return TableDefinition.objects.filter(code=code).order_by("-version").first()


def _locked_current(code: str) -> TableDefinition | None:
    return (
        TableDefinition.objects.select_for_update().filter(code=code).order_by("-version").first()
    )


@transaction.atomic
def table_create(
    *,
    actor: Account,
    code: str,
    name: str,
    columns: Sequence[str],
    source: str = "",
    position: int = 0,
) -> TableDefinition:
    """A deployment's own table, version 1. Its code must be new and not a standard table's."""
    _check_editor(actor)
    code = code.strip()
    if not CODE.match(code):
        raise RuleViolation(
            "表代码由小写字母开头，只含小写字母、数字和下划线", article=TABLE_RULE, field="code"
        )
    if standard(code) is not None or TableDefinition.objects.filter(code=code).exists():
        raise RuleViolation(f"表代码“{code}”已被使用", article=TABLE_RULE, field="code")
    if not name.strip():
        raise RuleViolation("请填写表名", article=TABLE_RULE, field="name")
    return _write(
        actor,
        "statistics.table.create",
        code=code,
        version=1,
        name=name.strip(),
        columns=_check_columns(columns),
        active=True,
        position=position,
        source=source.strip(),
    )


def _columns_now(code: str, current: TableDefinition | None) -> tuple[str, list[str], str, int]:
    if current is not None:
        return current.name, list(current.columns), current.source, current.position
    std = standard(code)
    if std is None:
        raise RuleViolation(f"没有代码为“{code}”的统计表", article=TABLE_RULE, field="code")
    return std.name, list(std.columns), std.source, 0


@transaction.atomic
def table_columns_set(
    *, actor: Account, code: str, columns: Sequence[str], name: str = ""
) -> TableDefinition:
    """The table's next version with ``columns`` (and ``name`` when given). For a standard table
    without a version yet, the first version replaces its standard columns."""
    _check_editor(actor)
    current = _locked_current(code)
    old_name, old_cols, source, position = _columns_now(code, current)
    cols = _check_columns(columns)
    if cols == old_cols and (not name.strip() or name.strip() == old_name):
        raise RuleViolation("栏目没有变化", article=TABLE_RULE, field="columns")
    return _write(
        actor,
        "statistics.table.version",
        code=code,
        version=(current.version + 1) if current else 1,
        name=name.strip() or old_name,
        columns=cols,
        active=current.active if current else True,
        position=position,
        source=source,
    )


def table_column_add(
    *, actor: Account, code: str, indicator: str, before: str = ""
) -> TableDefinition:
    """Add ``indicator`` as a column (before the column ``before``, else at the end)."""
    current = table_current(code)
    _, cols, _, _ = _columns_now(code, current)
    if indicator in cols:
        raise RuleViolation("该指标已在表中", article=TABLE_RULE, field="indicator")
    at = cols.index(before) if before in cols else len(cols)
    return table_columns_set(actor=actor, code=code, columns=[*cols[:at], indicator, *cols[at:]])


def table_column_hide(*, actor: Account, code: str, indicator: str) -> TableDefinition:
    """Hide the column ``indicator`` (the table's next version without it)."""
    current = table_current(code)
    _, cols, _, _ = _columns_now(code, current)
    if indicator not in cols:
        raise RuleViolation("该指标不在表中", article=TABLE_RULE, field="indicator")
    return table_columns_set(actor=actor, code=code, columns=[c for c in cols if c != indicator])


@transaction.atomic
def table_active_set(*, actor: Account, code: str, active: bool) -> TableDefinition:
    """Deactivate (hide) or activate again the table ``code``: its next version."""
    _check_editor(actor)
    current = _locked_current(code)
    name, cols, source, position = _columns_now(code, current)
    if (current.active if current else True) == active:
        raise RuleViolation(
            "该统计表已启用" if active else "该统计表已停用", article=TABLE_RULE, field="code"
        )
    return _write(
        actor,
        "statistics.table.activate" if active else "statistics.table.deactivate",
        code=code,
        version=(current.version + 1) if current else 1,
        name=name,
        columns=cols,
        active=active,
        position=position,
        source=source,
    )


def tables_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """``zhifa verify``: each table definition equals the row its entry carries; a row no
    entry carries is reported too."""
    del groups  # table entries belong to no case: read by action
    replayed: dict[int, tuple[int, dict[str, Any]]] = {}
    for entry in Entry.objects.filter(action__startswith="statistics.table.").order_by("seq"):
        for key, fields in (entry.data.get("rows") or {}).items():
            label, _, pk = key.partition(":")
            if label == MODEL:
                replayed[int(pk)] = (entry.seq, fields)
    for row in TableDefinition.objects.order_by("pk"):
        got = replayed.get(row.pk)
        if got is None:
            yield Problem(
                kind="statistics_table_unrecorded",
                message=f"统计表定义（{row.code} 第{row.version}版）没有全过程记录",
            )
        elif got[1] != table_plain(row) or got[0] != row.entry_seq:
            yield Problem(
                kind="statistics_table_replay_mismatch",
                seq=got[0],
                message=f"统计表定义（{row.code} 第{row.version}版）与全过程记录不一致",
            )
