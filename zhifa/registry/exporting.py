"""Export of the registry in the import columns (so an export can be imported elsewhere), and
the blank import templates.

Rows come from ``selectors.*_visible_to(account)`` only, read with ``iterator()`` so a province's
100,000 officers stream through without being held in memory. Personal fields of officers
(身份证号码, 手机号码) leave the agency only masked unless the account is an administrator, as
in the API and on the pages; such an export cannot be imported again, and needs not be: only
administrators import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import IO

from django.db.models import Exists, OuterRef, QuerySet

from zhifa.law.discretion import RANGE_KIND_LABELS
from zhifa.law.penalty import PenaltyKind

from . import selectors
from .importing import (
    AGENCIES,
    CERTIFICATES,
    DISCRETION_BENCHMARKS,
    LENIENT_ITEMS,
    OFFICERS,
    POWER_ITEMS,
    Schema,
    schema_for,
)
from .models import (
    Account,
    Certificate,
    DiscretionBenchmark,
    Domain,
    LenientListItem,
    Officer,
    PowerItem,
)
from .personal_data import mask_id_number, mask_phone, sees_personal_data
from .tabular import Cell, TemplateColumn, write_csv, write_xlsx, write_xlsx_template

CHUNK = 2000


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def _names(domains: Iterable[Domain]) -> str:
    return "、".join(d.name for d in domains)


def _agency_rows(account: Account) -> Iterator[list[Cell]]:
    qs = (
        selectors.agencies_visible_to(account)
        .select_related("entrusted_by", "parent")
        .prefetch_related("domains")
        .order_by("division_code", "name", "pk")
    )
    for a in qs.iterator(chunk_size=CHUNK):
        yield [
            a.name,
            a.credit_code,
            a.get_level_display(),
            a.division_code,
            a.get_kind_display(),
            a.entrusted_by.credit_code if a.entrusted_by else "",
            a.parent.credit_code if a.parent else "",
            _names(a.domains.all()),
            a.qualification_announced_on,
            a.responsibilities,
            a.address,
            a.phone,
        ]


def _officer_rows(account: Account) -> Iterator[list[Cell]]:
    full = sees_personal_data(account)
    qs: QuerySet[Officer] = (
        selectors.officers_visible_to(account)
        .select_related("agency")
        .order_by("agency__division_code", "agency_id", "name", "pk")
    )
    for o in qs.iterator(chunk_size=CHUNK):
        yield [
            o.agency.credit_code,
            o.name,
            o.id_number if full else mask_id_number(o.id_number),
            o.phone if full else mask_phone(o.phone),
            o.position,
            _yes_no(o.has_legal_qualification),
        ]


def _certificate_rows(account: Account) -> Iterator[list[Cell]]:
    full = sees_personal_data(account)
    qs: QuerySet[Certificate] = (
        selectors.certificates_visible_to(account)
        .select_related("officer")
        .prefetch_related("domains")
        .order_by("number", "pk")
    )
    for c in qs.iterator(chunk_size=CHUNK):
        yield [
            c.number,
            c.officer.id_number if full else mask_id_number(c.officer.id_number),
            c.get_kind_display(),
            _names(c.domains.all()),
            c.region_code,
            c.issued_on,
            c.expires_on,
            c.get_status_display(),
        ]


def _power_item_rows(account: Account) -> Iterator[list[Cell]]:
    # The current version of each item: the published one, or the draft of an item never
    # published. A pending revision (draft beside a published version) is not exported, so
    # every (agency, code) appears once and the file can be imported again.
    published = PowerItem.objects.filter(
        agency_id=OuterRef("agency_id"), code=OuterRef("code"), status=PowerItem.Status.PUBLISHED
    )
    qs: QuerySet[PowerItem] = (
        selectors.power_items_visible_to(account)
        .filter(status__in=(PowerItem.Status.PUBLISHED, PowerItem.Status.DRAFT))
        .exclude(Exists(published.exclude(pk=OuterRef("pk"))))
        .select_related("agency", "domain")
        .prefetch_related("bases")
        .order_by("agency__division_code", "agency_id", "code", "pk")
    )
    for p in qs.iterator(chunk_size=CHUNK):
        yield [
            p.agency.credit_code,
            p.code,
            p.name,
            p.get_category_display(),
            p.domain.name,
            p.get_implementing_level_display(),
            "；".join(f"《{b.law}》{b.article}" for b in p.bases.all()),
            "→".join(str(s) for s in p.procedure_steps),
            _yes_no(p.is_random_inspection),
            _yes_no(p.is_township_empowered),
            p.empowering_decision,
            p.get_status_display(),
        ]


def _num(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _benchmark_rows(account: Account) -> Iterator[list[Cell]]:
    # Published agency entries, one row per grade; the 基准编号 is the entry's id.
    qs = (
        selectors.discretion_benchmarks_visible_to(account)
        .filter(status=DiscretionBenchmark.Status.PUBLISHED, agency__isnull=False)
        .select_related("agency", "domain")
        .prefetch_related("grades", "power_items")
        .order_by("agency_id", "pk")
    )
    kinds = {k.value: label for k, label in RANGE_KIND_LABELS.items()}
    for b in qs.iterator(chunk_size=CHUNK):
        assert b.agency is not None
        head: list[Cell] = [
            str(b.pk),
            b.agency.credit_code,
            b.issuer,
            b.domain.name,
            b.violation,
            b.violated_provision,
            b.penalty_provision or b.basis,
            kinds[b.range_kind],
            _num(b.range_min),
            _num(b.range_max),
            b.base_name,
            "、".join(PenaltyKind(k).label for k in b.penalty_kinds),
            str(b.parent_id or ""),
            "、".join(p.code for p in b.power_items.all()),
        ]
        for g in b.grades.all():
            yield [
                *head,
                g.get_level_display(),
                g.conditions,
                g.standard,
                _num(g.min_amount),
                _num(g.max_amount),
            ]


def _lenient_rows(account: Account) -> Iterator[list[Cell]]:
    # The entries in force and the drafts (as the import takes them back).
    qs = (
        selectors.lenient_items_visible_to(account)
        .filter(status__in=(LenientListItem.Status.PUBLISHED, LenientListItem.Status.DRAFT))
        .select_related("agency", "domain")
        .prefetch_related("power_items")
        .order_by("kind", "pk")
    )
    labels = dict(LenientListItem.Measure.choices)
    for i in qs.iterator(chunk_size=CHUNK):
        yield [
            i.get_kind_display(),
            i.agency.credit_code if i.agency else "",
            i.region_code,
            i.issuer,
            i.domain.name,
            i.violation,
            i.violated_provision,
            i.basis,
            "\n".join(i.conditions),
            i.standard,
            "、".join(str(labels.get(m, m)) for m in i.measures),
            i.measures_note,
            "、".join(sorted(p.code for p in i.power_items.all())),
            i.source,
            i.get_status_display(),
        ]


_ROWS: dict[str, Callable[[Account], Iterator[list[Cell]]]] = {
    DISCRETION_BENCHMARKS: _benchmark_rows,
    AGENCIES: _agency_rows,
    OFFICERS: _officer_rows,
    CERTIFICATES: _certificate_rows,
    POWER_ITEMS: _power_item_rows,
    LENIENT_ITEMS: _lenient_rows,
}


def register_export_rows(kind: str, rows: Callable[[Account], Iterator[list[Cell]]]) -> None:
    """The rows of another app's kind (see :func:`.importing.register_import_kind`)."""
    _ROWS[kind] = rows


def registry_export_rows(*, account: Account, kind: str) -> tuple[Schema, Iterator[list[Cell]]]:
    """The schema of ``kind`` and its rows visible to ``account`` (lazily read)."""
    schema = schema_for(kind)
    return schema, _ROWS[schema.kind](account)


def registry_export(*, account: Account, kind: str, fmt: str, out: IO[bytes]) -> None:
    """Write every row of ``kind`` visible to ``account`` to ``out`` as ``fmt`` (xlsx/csv)."""
    schema, rows = registry_export_rows(account=account, kind=kind)
    if fmt == "csv":
        write_csv(out, schema.headers, rows)
    else:
        write_xlsx(
            out,
            title=schema.label,
            headers=schema.headers,
            rows=rows,
            widths=[c.width for c in schema.columns],
        )


def registry_template(*, kind: str, fmt: str, out: IO[bytes]) -> None:
    """A blank import template of ``kind``: csv = the header row; xlsx = the header row and a
    sheet "说明" explaining every column, its allowed values and an example."""
    schema = schema_for(kind)
    if fmt == "csv":
        write_csv(out, schema.headers, ())
        return
    write_xlsx_template(
        out,
        title=schema.label,
        intro=(
            f"{schema.label}导入模板：第1行为表头，请从第2行起每行填写一条{schema.label}；"
            "红色列为必填。导入时整个文件一并校验，任何一行有错误则整个文件都不导入，"
            "并列出每个错误的行号、列名和原因。身份证号码、统一社会信用代码请以文本填写。"
        ),
        columns=[
            TemplateColumn(
                header=c.header,
                required=c.required,
                note=c.note,
                example=c.example,
                choices=c.choices,
                width=c.width,
            )
            for c in schema.columns
        ],
    )
