"""The 检查对象名录库 as an import/export kind of the registry's 导入导出 machinery.

The kind ``entities`` is registered with :mod:`zhifa.registry.importing` and
:mod:`zhifa.registry.exporting` at start-up, so the directory is read and written exactly as the
registry's tables are: ``.xlsx``/``.csv``, the same limits and header checks, every problem a row
error naming the row and the column, and all rows or none. A row whose 统一社会信用代码 is already
in the directory updates that entity (``entity_update``, recorded only when something changed);
any other row registers a new one (``entity_create``). Exports write the same columns, so an
export imports again unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from zhifa.core.identifiers import validate_credit_code, validate_division_code
from zhifa.registry.exporting import register_export_rows
from zhifa.registry.importing import (
    Column,
    ImportRow,
    Schema,
    register_import_kind,
    row_call,
    rows_by_key,
    rows_flag_duplicates,
)
from zhifa.registry.models import Account
from zhifa.registry.tabular import Cell

from . import services_directory
from .models import Entity, RiskClass, ScaleCategory
from .selectors import entities_visible_to

ENTITIES = "entities"


def _labels(
    choices: type[ScaleCategory] | type[RiskClass] | type[Entity.Status],
) -> tuple[str, ...]:
    return tuple(str(label) for _, label in choices.choices)


ENTITY_SCHEMA = Schema(
    ENTITIES,
    "检查对象",
    (
        Column("名称", "name", True, "市场主体全称", "示范市青禾食品有限公司", width=30),
        Column(
            "统一社会信用代码",
            "credit_code",
            True,
            "18位，末位为校验位（GB 32100-2015）",
            "91139902MA0000001X",
            width=22,
        ),
        Column("法定代表人", "legal_representative", False, "", "张青禾"),
        Column("注册地址", "address", False, "", "示范市甲区东湖街道人民路8号", width=30),
        Column("行政区划代码", "division_code", True, "6位（GB/T 2260）", "139902"),
        Column("行业", "industry", False, "国民经济行业门类或大类名称", "食品制造业"),
        Column(
            "规模类别",
            "scale_category",
            False,
            "安静期等按此适用；可填：" + "、".join(_labels(ScaleCategory)),
            "规模以上工业企业",
            choices=_labels(ScaleCategory),
            width=20,
        ),
        Column(
            "信用风险分类",
            "risk_class",
            True,
            "填A、B、C或D（A类风险最低）",
            "B",
            choices=_labels(RiskClass),
        ),
        Column(
            "状态",
            "status",
            False,
            "不填为“存续”；可填：" + "、".join(_labels(Entity.Status)),
            "存续",
            choices=_labels(Entity.Status),
        ),
    ),
)


def _import_entities(actor: Account, rows: list[ImportRow], today: date) -> int:
    del today
    for row in rows:
        row.put_text("名称")
        row.put("统一社会信用代码", row.identifier("统一社会信用代码", validate_credit_code))
        row.put("行政区划代码", row.identifier("行政区划代码", validate_division_code))
        for header in ("法定代表人", "注册地址", "行业"):
            row.put_text(header)
        row.put("规模类别", row.choice("规模类别", ScaleCategory) or "")
        row.put("信用风险分类", row.choice("信用风险分类", RiskClass))
        row.put("状态", row.choice("状态", Entity.Status) or Entity.Status.ACTIVE)
    rows_flag_duplicates(
        rows, "统一社会信用代码", lambda r: r.data.get("credit_code"), "统一社会信用代码"
    )
    existing = rows_by_key(
        Entity.objects.all(),
        "credit_code",
        [r.data["credit_code"] for r in rows if r.data.get("credit_code")],
    )
    count = 0
    for row in rows:
        if row.errors:
            continue
        entity = existing.get(row.data["credit_code"])
        if entity is None:
            done = row_call(row, services_directory.entity_create, actor=actor, **row.data)
        else:
            done = row_call(
                row, services_directory.entity_update, actor=actor, entity=entity, **row.data
            )
        if done is not None:
            count += 1
    return count


def _entity_rows(account: Account) -> Iterator[list[Cell]]:
    qs = entities_visible_to(account).order_by("credit_code")
    for e in qs.iterator(chunk_size=2000):
        yield [
            e.name,
            e.credit_code,
            e.legal_representative,
            e.address,
            e.division_code,
            e.industry,
            e.get_scale_category_display() if e.scale_category else "",
            e.risk_class,
            e.get_status_display(),
        ]


def register() -> None:
    register_import_kind(ENTITY_SCHEMA, _import_entities)
    register_export_rows(ENTITIES, _entity_rows)
