"""The indicator catalogue, the tables in force and the officers' figures over the JSON API,
mounted at /api/v1/statistics/. Reads for every signed-in account (the officers' figures only
for agencies the account sees); table writes for the system administrator and a province's
supervisors (token), 403 for others, 409 with the rule when refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, cast

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID, QUERY_TEXT_PATTERN
from zhifa.registry.models import Account
from zhifa.registry.selectors import agencies_visible_to

from . import catalogue, selectors_tables, services_tables
from .models import TableDefinition

router = Router(tags=["行政执法统计"])

NO_NUL = QUERY_TEXT_PATTERN  # PostgreSQL cannot hold NUL in text: both databases refuse it (422)
Indicator = Annotated[str, Field(max_length=64, pattern=NO_NUL)]
TableCode = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{1,63}$", description="表代码")]


class StatisticsIndicatorOut(Schema):
    code: str
    name: str
    unit: str
    definition: str
    counted_by: str
    origin: str
    origin_label: str
    source: str
    tables: list[str]


class SettingOut(Schema):
    name: str
    value: str
    setting: str
    source: str


class CatalogueOut(Schema):
    indicators: list[StatisticsIndicatorOut]
    settings: list[SettingOut]


class StatisticsTableOut(Schema):
    code: str
    name: str
    columns: list[str]
    source: str
    kind: str


class TableVersionOut(Schema):
    code: str
    version: int
    name: str
    columns: list[str]
    active: bool
    position: int
    source: str
    entry_seq: int


class TableIn(Schema):
    code: str = Field(max_length=64, pattern=NO_NUL)
    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    columns: list[Indicator] = Field(max_length=200, description="指标代码，按栏目顺序")
    source: str = Field("", max_length=300, pattern=NO_NUL)
    position: int = Field(0, ge=0, le=999)


class ColumnsIn(Schema):
    columns: list[Indicator] = Field(max_length=200)
    name: str = Field("", max_length=200, pattern=NO_NUL)


class ActiveIn(Schema):
    active: bool


class OfficerFigureOut(Schema):
    indicator: str
    name: str
    count: int
    amount: Decimal | None = None


class OfficerFiguresFilters(Schema):
    agency_id: int = Field(ge=1, le=MAX_ID, description="执法机关编号")
    on: date | None = Field(None, description="统计日期（默认今天）")


def _account(request: HttpRequest) -> Account:
    return cast(Account, request.auth)  # type: ignore[attr-defined]


def _editor(request: HttpRequest) -> Account:
    account = _account(request)
    if not services_tables.may_edit_tables(account):
        raise HttpError(403, _("只有系统管理员或省级执法监督人员可以设定统计表"))
    return account


def _version(row: TableDefinition) -> TableVersionOut:
    return TableVersionOut(
        code=row.code,
        version=row.version,
        name=row.name,
        columns=list(row.columns),
        active=row.active,
        position=row.position,
        source=row.source,
        entry_seq=row.entry_seq,
    )


@router.get(
    "/catalogue", response=responses({200: CatalogueOut}, 401), summary="统计指标目录与统计口径"
)
def catalogue_get(request: HttpRequest) -> CatalogueOut:
    return CatalogueOut(
        indicators=[
            StatisticsIndicatorOut(
                code=r.indicator.code,
                name=r.indicator.name,
                unit=r.indicator.unit,
                definition=r.indicator.definition,
                counted_by=r.indicator.counted_by,
                origin=r.indicator.origin,
                origin_label=r.origin_label,
                source=r.indicator.source,
                tables=list(r.tables),
            )
            for r in selectors_tables.catalogue_rows()
        ],
        settings=[SettingOut(**vars(s)) for s in selectors_tables.counting_settings()],
    )


@router.get(
    "/tables", response=responses({200: list[StatisticsTableOut]}, 401), summary="现行统计表"
)
def tables_get(request: HttpRequest) -> list[StatisticsTableOut]:
    return [
        StatisticsTableOut(
            code=t.code, name=t.name, columns=list(t.columns), source=t.source, kind=t.kind
        )
        for t in selectors_tables.tables_for()
    ]


@router.post(
    "/tables",
    response=responses({201: TableVersionOut}, 400, 401, 403, 409, 422),
    summary="新建本地统计表",
)
def table_create(request: HttpRequest, payload: TableIn) -> Status[TableVersionOut]:
    row = services_tables.table_create(actor=_editor(request), **payload.dict())
    return Status(201, _version(row))


@router.get(
    "/tables/{code}",
    response=responses({200: list[TableVersionOut]}, 401, 404, 422),
    summary="统计表的各版本（新版本在前）",
)
def table_versions(request: HttpRequest, code: TableCode) -> list[TableVersionOut]:
    rows = selectors_tables.table_history(code)
    if not rows and services_tables.standard(code) is None:
        raise HttpError(404, _("未找到"))
    return [_version(r) for r in rows]


@router.post(
    "/tables/{code}/columns",
    response=responses({200: TableVersionOut}, 400, 401, 403, 409, 422),
    summary="调整统计表栏目（保存为新版本）",
)
def table_columns(request: HttpRequest, code: TableCode, payload: ColumnsIn) -> TableVersionOut:
    account = _editor(request)
    row = services_tables.table_columns_set(
        actor=account, code=code, columns=payload.columns, name=payload.name
    )
    return _version(row)


@router.post(
    "/tables/{code}/active",
    response=responses({200: TableVersionOut}, 400, 401, 403, 409, 422),
    summary="启用或停用统计表",
)
def table_active(request: HttpRequest, code: TableCode, payload: ActiveIn) -> TableVersionOut:
    account = _editor(request)
    return _version(
        services_tables.table_active_set(actor=account, code=code, active=payload.active)
    )


@router.get(
    "/officers",
    response=responses({200: list[OfficerFigureOut]}, 401, 404, 422),
    summary="执法人员、持证率、年度培训（某机关某日）",
)
def officers_get(
    request: HttpRequest, filters: Query[OfficerFiguresFilters]
) -> list[OfficerFigureOut]:
    account = _account(request)
    if not agencies_visible_to(account).filter(pk=filters.agency_id).exists():
        raise HttpError(404, _("未找到"))
    on = filters.on or timezone.localdate()
    got = selectors_tables.officer_figures([filters.agency_id], on)
    return [
        OfficerFigureOut(
            indicator=code,
            name=catalogue.INDICATORS[code].name,
            count=f.count,
            amount=f.amount,
        )
        for code, f in got.items()
    ]
