"""Import of the registry from tables: 执法主体, 执法人员, 执法证件, 权责清单事项.

Each kind has a schema of Chinese column headers (:data:`SCHEMAS`); exports write the same
columns, so an export can be imported elsewhere. An import is all or nothing:

- every row is parsed and checked, then written through the registry services (so their rules
  apply) inside one transaction;
- every problem becomes a :class:`RowError` with the spreadsheet row number, the column header
  and the Chinese reason; when there is any error the transaction is rolled back and *all*
  errors are returned, not only the first;
- the acting account must be a registry manager, and every row must lie within what it can see.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet, TextChoices

from zhifa.core.exceptions import InvalidIdentifier, RuleViolation
from zhifa.core.identifiers import validate_credit_code, validate_resident_id
from zhifa.law import discretion
from zhifa.law.penalty import PenaltyKind

from . import selectors, services
from .access import can_manage_registry, require_registry_manager
from .models import (
    Account,
    Agency,
    Certificate,
    DiscretionBenchmark,
    DiscretionGrade,
    Domain,
    LenientListItem,
    Officer,
    PowerItem,
)
from .tabular import MAX_UPLOAD_BYTES, ReadLimits, read_table

T = TypeVar("T")
M = TypeVar("M", bound=Model)

AGENCIES = "agencies"
OFFICERS = "officers"
CERTIFICATES = "certificates"
POWER_ITEMS = "power-items"
DISCRETION_BENCHMARKS = "discretion-benchmarks"
LENIENT_ITEMS = "lenient-items"

# Separators users type between several values in one cell.
_LIST_SPLIT = re.compile(r"[、;；,，/\s]+")
_BASES_SPLIT = re.compile(r"[；;\r\n]+")
_BASIS = re.compile(r"^《(?P<law>[^《》]+)》\s*(?P<article>\S.*)$")
_STEPS_SPLIT = re.compile(r"\s*(?:->|→|>|＞)\s*")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+[\d:]+)?$")
_YES = frozenset({"是", "Y", "YES", "TRUE", "1", "√"})
_NO = frozenset({"否", "N", "NO", "FALSE", "0", "×"})
_BASIS_FORMAT = "设定依据应写成《法律法规名称》第X条，多项之间用“；”或换行分隔"


@dataclass(frozen=True)
class Column:
    """One column of an import schema. ``field`` is the service keyword (and the
    ``RuleViolation.field``) this column answers for."""

    header: str
    field: str
    required: bool = False
    note: str = ""
    example: str = ""
    choices: tuple[str, ...] = ()
    width: int = 16


@dataclass(frozen=True)
class Schema:
    kind: str
    label: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, header: str) -> Column:
        return next(c for c in self.columns if c.header == header)

    def header_for(self, field_name: str) -> str:
        """The column a service's ``RuleViolation.field`` points at ("" when none)."""
        for c in self.columns:
            if c.field == field_name:
                return c.header
        return ""


def _labels(choices: type[TextChoices], only: Iterable[str] | None = None) -> tuple[str, ...]:
    wanted = set(only) if only is not None else None
    return tuple(
        str(label) for value, label in choices.choices if wanted is None or value in wanted
    )


def _one_of(labels: Sequence[str]) -> str:
    return "可填：" + "、".join(labels)


_PUBLISHABLE = (PowerItem.Status.DRAFT, PowerItem.Status.PUBLISHED)
_YES_NO_NOTE = "填“是”或“否”，不填为“否”"
_CODE_NOTE = "18位统一社会信用代码（GB 32100-2015），须是已登记且在您管辖范围内的执法主体"
_DOMAINS_NOTE = "执法领域名称，多个用“、”分隔"

AGENCY_SCHEMA = Schema(
    AGENCIES,
    str(Agency._meta.verbose_name),
    (
        Column("名称", "name", True, "执法主体全称", "示范市甲区市场监督管理局", width=30),
        Column(
            "统一社会信用代码",
            "credit_code",
            True,
            "18位，末位为校验位（GB 32100-2015）",
            "11130302000000001E",
            width=22,
        ),
        Column(
            "层级",
            "level",
            True,
            _one_of(_labels(Agency.Level)),
            "县级",
            choices=_labels(Agency.Level),
        ),
        Column("行政区划代码", "division_code", True, "6位（GB/T 2260）", "130302"),
        Column(
            "主体类别",
            "kind",
            True,
            _one_of(_labels(Agency.Kind)),
            "法定行政机关",
            choices=_labels(Agency.Kind),
            width=20,
        ),
        Column(
            "委托机关统一社会信用代码",
            "entrusted_by",
            False,
            "主体类别为受委托组织时必填；可为已登记的主体，也可为本文件中的另一行",
            "",
            width=24,
        ),
        Column(
            "上级主体统一社会信用代码",
            "parent",
            False,
            "可为已登记的主体，也可为本文件中的另一行",
            "",
            width=24,
        ),
        Column("执法领域", "domains", True, _DOMAINS_NOTE, "市场监管"),
        Column(
            "主体资格确认公告日期",
            "qualification_announced_on",
            False,
            "日期，如2024-03-01",
            "2024-03-01",
            width=20,
        ),
        Column("主要职责", "responsibilities", False, "", "负责本辖区市场监督管理工作", width=30),
        Column("办公地址", "address", False, "", "示范市甲区人民路1号", width=30),
        Column("监督电话", "phone", False, "", "0335-1234567"),
    ),
)

OFFICER_SCHEMA = Schema(
    OFFICERS,
    str(Officer._meta.verbose_name),
    (
        Column(
            "所属主体统一社会信用代码", "agency", True, _CODE_NOTE, "11130302000000001E", width=24
        ),
        Column("姓名", "name", True, "", "张执法"),
        Column(
            "身份证号码",
            "id_number",
            True,
            "18位居民身份证号码（GB 11643-1999），末位可为X",
            "13030219850615001X",
            width=22,
        ),
        Column("手机号码", "phone", False, "11位手机号码", "13800131234", width=14),
        Column("职务", "position", False, "", "科员"),
        Column(
            "具有法律职业资格",
            "has_legal_qualification",
            False,
            _YES_NO_NOTE,
            "否",
            choices=("是", "否"),
        ),
    ),
)

CERTIFICATE_SCHEMA = Schema(
    CERTIFICATES,
    str(Certificate._meta.verbose_name),
    (
        Column("证件编号", "number", True, "", "130300000001"),
        Column(
            "持证人身份证号码",
            "officer",
            True,
            "须是已登记且在您管辖范围内的执法人员（可先导入执法人员）",
            "13030219850615001X",
            width=22,
        ),
        Column(
            "证件类别",
            "kind",
            True,
            _one_of(_labels(Certificate.Kind)),
            "行政执法证",
            choices=_labels(Certificate.Kind),
        ),
        Column("执法领域", "domains", True, _DOMAINS_NOTE, "市场监管"),
        Column("执法区域代码", "region_code", True, "6位行政区划代码（GB/T 2260）", "130302"),
        Column("发证日期", "issued_on", False, "日期；状态不是“申领”时必填", "2023-01-01"),
        Column(
            "有效期至",
            "expires_on",
            False,
            "日期，须晚于发证日期；状态不是“申领”时必填",
            "2029-12-31",
        ),
        Column(
            "状态",
            "status",
            True,
            _one_of(_labels(Certificate.Status)),
            "有效",
            choices=_labels(Certificate.Status),
        ),
    ),
)

POWER_ITEM_SCHEMA = Schema(
    POWER_ITEMS,
    str(PowerItem._meta.verbose_name),
    (
        Column(
            "实施主体统一社会信用代码", "agency", True, _CODE_NOTE, "11130302000000001E", width=24
        ),
        Column("事项编码", "code", True, "同一实施主体内唯一", "330217001000"),
        Column("事项名称", "name", True, "", "对未取得营业执照从事经营活动的处罚", width=30),
        Column(
            "权力类别",
            "category",
            True,
            _one_of(_labels(PowerItem.Category)),
            "行政处罚",
            choices=_labels(PowerItem.Category),
        ),
        Column("执法领域", "domain", True, "一个执法领域名称", "市场监管"),
        Column(
            "实施层级",
            "implementing_level",
            True,
            _one_of(_labels(Agency.Level)),
            "县级",
            choices=_labels(Agency.Level),
        ),
        Column(
            "设定依据", "bases", True, _BASIS_FORMAT, "《无证无照经营查处办法》第十三条", width=36
        ),
        Column(
            "办理流程",
            "procedure_steps",
            False,
            "各步骤用“→”或“>”分隔",
            "立案→调查取证→告知→决定→送达→执行",
            width=30,
        ),
        Column(
            "随机抽查事项",
            "is_random_inspection",
            False,
            _YES_NO_NOTE,
            "否",
            choices=("是", "否"),
        ),
        Column(
            "乡镇赋权事项",
            "is_township_empowered",
            False,
            _YES_NO_NOTE + "；填“是”时须填写赋权决定",
            "否",
            choices=("是", "否"),
        ),
        Column("赋权决定", "empowering_decision", False, "赋权的决定文件名称和文号", "", width=24),
        Column(
            "状态",
            "status",
            False,
            _one_of(_labels(PowerItem.Status, _PUBLISHABLE)) + "；不填为“已发布”",
            "已发布",
            choices=_labels(PowerItem.Status, _PUBLISHABLE),
        ),
    ),
)

# -- 行政处罚裁量基准 (issue 13): one row per 裁量阶次; rows with one 基准编号 form one entry --

_RANGE_LABELS = tuple(discretion.RANGE_KIND_LABELS.values())
_GRADE_LABELS = _labels(DiscretionGrade.Level)
DISCRETION_SCHEMA = Schema(
    DISCRETION_BENCHMARKS,
    str(DiscretionBenchmark._meta.verbose_name),
    (
        Column(
            "基准编号", "key", True, "本文件内的编号；同一编号的各行为同一基准的各裁量阶次", "1"
        ),
        Column(
            "适用主体统一社会信用代码", "agency", True, _CODE_NOTE, "11130302000000001E", width=24
        ),
        Column("制定机关", "issuer", True, "", "示范市市场监督管理局", width=24),
        Column("执法领域", "domain", True, "一个执法领域名称", "市场监管"),
        Column("违法行为", "violation", True, "", "未按规定建立进货查验记录制度", width=30),
        Column(
            "违反条款", "violated_provision", False, "条款级", "《食品安全法》第五十三条", width=24
        ),
        Column(
            "处罚依据",
            "penalty_provision",
            True,
            "条款级",
            "《食品安全法》第一百二十六条第一款",
            width=24,
        ),
        Column(
            "法定幅度方式",
            "range_kind",
            True,
            _one_of(_RANGE_LABELS),
            "罚款数额幅度",
            choices=_RANGE_LABELS,
        ),
        Column("法定幅度下限", "range_min", False, "元，或倍数罚款的最低倍数", "5000"),
        Column("法定幅度上限", "range_max", False, "元，或倍数罚款的最高倍数", "50000"),
        Column("倍数基数", "base_name", False, "倍数罚款时必填，如货值金额、违法所得", ""),
        Column(
            "法定处罚种类",
            "penalty_kinds",
            False,
            "处罚依据规定的处罚种类，多项用“、”分隔，如：警告、罚款、没收违法所得；不填为未列明",
            "警告、罚款",
            width=24,
        ),
        Column(
            "上级裁量基准ID",
            "parent",
            False,
            "细化上级基准时填写上级已公布基准的ID；只能在上级的阶次和幅度内细化（国办发〔2022〕27号（五））",
            "",
            width=20,
        ),
        Column(
            "适用事项编码", "power_items", False, "适用主体的行政处罚事项编码，多个用“、”分隔", ""
        ),
        Column(
            "裁量阶次", "grades", True, _one_of(_GRADE_LABELS), "从轻处罚", choices=_GRADE_LABELS
        ),
        Column("适用条件", "conditions", True, "", "主动消除违法行为危害后果", width=30),
        Column("具体标准", "standard", True, "", "处五千元以上一万八千五百元以下罚款", width=30),
        Column("阶次下限", "min_amount", False, "元或倍数，与法定幅度同一单位", "5000"),
        Column("阶次上限", "max_amount", False, "元或倍数，与法定幅度同一单位", "18500"),
    ),
)


# 包容审慎监管 lists (首违不罚, 轻微不罚, 从轻, 减轻, 不予实施行政强制措施), as the national and
# provincial lists are published: one row per entry, conditions one per line.
_LISTING_STATES = (LenientListItem.Status.DRAFT, LenientListItem.Status.PUBLISHED)
LENIENT_SCHEMA = Schema(
    LENIENT_ITEMS,
    str(LenientListItem._meta.verbose_name),
    (
        Column(
            "清单类别",
            "kind",
            True,
            _one_of(_labels(LenientListItem.Kind)),
            "首违不罚",
            choices=_labels(LenientListItem.Kind),
        ),
        Column(
            "适用主体统一社会信用代码",
            "agency",
            False,
            "本机关的清单填写；区域适用的清单不填而填写适用区域",
            "",
            width=24,
        ),
        Column("适用区域", "region_code", False, "6位行政区划代码", "139900"),
        Column("制定机关", "issuer", True, "", "国家市场监督管理总局", width=24),
        Column("执法领域", "domain", True, "一个执法领域名称", "市场监管"),
        Column("违法行为", "violation", True, "", "经营超过保质期的食品", width=30),
        Column(
            "违反条款", "violated_provision", False, "", "《中华人民共和国食品安全法》第三十四条"
        ),
        Column(
            "处罚依据", "basis", True, "", "《中华人民共和国食品安全法》第一百二十四条", width=30
        ),
        Column(
            "适用条件",
            "conditions",
            True,
            "每项条件一行，或用“；”分隔",
            "初次违法；危害后果轻微；及时改正",
            width=36,
        ),
        Column("裁量标准", "standard", True, "", "不予行政处罚"),
        Column(
            "配套措施",
            "measures",
            False,
            _one_of(_labels(LenientListItem.Measure)) + "；多项用“、”分隔",
            "责令改正、督促整改",
            width=24,
        ),
        Column("其他配套措施", "measures_note", False, "", ""),
        Column(
            "适用的权责清单事项编码",
            "power_items",
            False,
            "多项用“、”分隔；须是适用主体（或适用区域内）已发布的事项",
            "330217001000",
            width=24,
        ),
        Column("来源", "source", False, "文件名称及文号", "国市监法〔2025〕10号", width=30),
        Column(
            "状态",
            "status",
            False,
            _one_of(_labels(LenientListItem.Status, _LISTING_STATES)) + "；不填为“已公布”",
            "已公布",
            choices=_labels(LenientListItem.Status, _LISTING_STATES),
        ),
    ),
)

SCHEMAS: dict[str, Schema] = {
    s.kind: s
    for s in (
        AGENCY_SCHEMA,
        OFFICER_SCHEMA,
        CERTIFICATE_SCHEMA,
        POWER_ITEM_SCHEMA,
        DISCRETION_SCHEMA,
        LENIENT_SCHEMA,
    )
}


def schema_for(kind: str) -> Schema:
    """The schema of ``kind``: its slug (``officers``) or its Chinese name (``执法人员``)."""
    for schema in SCHEMAS.values():
        if kind in (schema.kind, schema.label):
            return schema
    raise RuleViolation(f"未知的数据类别“{kind}”，可选：{'、'.join(SCHEMAS)}")


@dataclass(frozen=True)
class RowError:
    """One problem: spreadsheet row number (1 = header row), column header, Chinese reason."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" + (f"「{self.column}」" if self.column else "")
        return f"{where}：{self.message}"


@dataclass
class ImportResult:
    """How many records were created (0 whenever there is an error) and every error."""

    kind: str
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# -- the import ----------------------------------------------------------------------------


def import_limits() -> ReadLimits:
    """What an import reads at most (settings ``ZHIFA_IMPORT_*``)."""
    defaults = ReadLimits()
    return ReadLimits(
        max_bytes=getattr(settings, "ZHIFA_IMPORT_MAX_BYTES", MAX_UPLOAD_BYTES),
        max_rows=getattr(settings, "ZHIFA_IMPORT_MAX_ROWS", defaults.max_rows),
        max_columns=getattr(settings, "ZHIFA_IMPORT_MAX_COLUMNS", defaults.max_columns),
        max_inflated=getattr(settings, "ZHIFA_IMPORT_MAX_INFLATED_BYTES", defaults.max_inflated),
    )


def registry_import(
    *, actor: Account, kind: str, content: bytes | IO[bytes], filename: str, today: date
) -> ImportResult:
    """Import one table of ``kind`` (``content``: bytes or a seekable binary file); all rows
    or none.

    Raises RuleViolation when ``actor`` may not maintain the registry or ``kind`` is unknown,
    :class:`~zhifa.registry.tabular.TableUnreadable` when the file cannot be read and its
    subclass :class:`~zhifa.registry.tabular.TableTooLarge` when it goes beyond
    :func:`import_limits` (checked while reading: nothing beyond the limit is read). Every other
    problem is a RowError in the result, and then nothing is saved. ``today`` is the date
    published power items and newly registered certificates take effect.
    """
    require_registry_manager(actor)
    schema = schema_for(kind)
    table = read_table(content, filename, import_limits())
    result = ImportResult(kind=schema.kind)
    headers = [_header(h) for h in table.headers]
    result.errors = _header_errors(schema, headers)
    if result.errors:
        return result
    known = set(schema.headers)
    rows = []
    for number, cells in table.rows:
        values = {h: v for h, v in zip(headers, cells, strict=False) if h in known}
        if any(values.values()):
            rows.append(_Row(number, values, schema))
    if not rows:
        result.errors = [RowError(2, "", "文件中没有数据行（第1行为表头，数据从第2行开始）")]
        return result
    with transaction.atomic():
        created = _IMPORTERS[schema.kind](actor, rows, today)
        errors = sorted((e for r in rows for e in r.errors), key=lambda e: e.row)
        if errors:
            transaction.set_rollback(True)
            result.errors = errors
        else:
            result.created = created
    return result


def _header(text: str) -> str:
    # Templates of other systems mark required columns "名称*" or "*名称".
    return text.strip().strip("*＊").strip()


def _header_errors(schema: Schema, headers: list[str]) -> list[RowError]:
    errors = [
        RowError(1, c.header, "缺少必填列")
        for c in schema.columns
        if c.required and c.header not in headers
    ]
    seen: set[str] = set()
    for h in headers:
        if h and h in seen and h in schema.headers:
            errors.append(RowError(1, h, "列名重复"))
        seen.add(h)
    return errors


class _Row:
    """One data row: its cells by header, the values parsed for the service, its errors."""

    def __init__(self, number: int, values: dict[str, str], schema: Schema) -> None:
        self.number = number
        self.values = values
        self.schema = schema
        self.errors: list[RowError] = []
        self.data: dict[str, Any] = {}

    def error(self, header: str, message: str) -> None:
        self.errors.append(RowError(self.number, header, message))

    def text(self, header: str) -> str:
        value = self.values.get(header, "").strip()
        if not value and self.schema.column(header).required:
            self.error(header, "必填项不能为空")
        return value

    def put(self, header: str, value: object) -> None:
        self.data[self.schema.column(header).field] = value

    def put_text(self, header: str) -> str:
        value = self.text(header)
        self.put(header, value)
        return value

    def identifier(self, header: str, validator: Callable[[str], str]) -> str | None:
        value = self.text(header)
        if not value:
            return None
        try:
            return validator(value)
        except InvalidIdentifier as exc:
            self.error(header, str(exc))
            return None

    def choice(
        self, header: str, choices: type[TextChoices], only: Sequence[str] | None = None
    ) -> str | None:
        value = self.text(header)
        if not value:
            return None
        allowed = [(v, str(label)) for v, label in choices.choices if only is None or v in only]
        wanted = _fold(value)
        for v, label in allowed:
            if wanted in (_fold(label), v.upper()):
                return str(v)
        self.error(header, f"“{value}”无效，" + _one_of([label for _, label in allowed]))
        return None

    def yes_no(self, header: str) -> bool:
        value = self.text(header).upper()
        if value in _YES:
            return True
        if value and value not in _NO:
            self.error(header, f"“{value}”无效，请填“是”或“否”")
        return False

    def date(self, header: str) -> date | None:
        value = self.text(header)
        if not value:
            return None
        match = _DATE.match(value) or (
            re.match(r"^(\d{4})(\d{2})(\d{2})$", value) if len(value) == 8 else None
        )
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
        self.error(header, f"日期“{value}”无效，请写成如2026-01-31")
        return None

    def domains(self, header: str, index: dict[str, Domain]) -> list[Domain]:
        found: list[Domain] = []
        for name in _LIST_SPLIT.split(self.text(header)):
            if not name:
                continue
            domain = index.get(name) or index.get(name.lower())
            if domain is None:
                self.error(header, f"执法领域“{name}”不存在")
            elif domain not in found:
                found.append(domain)
        return found


def _fold(text: str) -> str:
    """Compare labels ignoring spaces and half-/full-width brackets: 乡镇(街道) = 乡镇（街道）."""
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）").upper()


def _domain_index() -> dict[str, Domain]:
    index: dict[str, Domain] = {}
    for d in Domain.objects.all():
        index[d.name] = d
        index[d.code.lower()] = d
    return index


def _flag_duplicates(
    rows: Sequence[_Row], header: str, key: Callable[[_Row], Hashable | None], what: str
) -> None:
    """A key seen on an earlier row is an error on the later row naming the first one."""
    first: dict[Hashable, int] = {}
    for row in rows:
        k = key(row)
        if k is None:
            continue
        if k in first:
            row.error(header, f"{what}与第{first[k]}行重复")
        else:
            first[k] = row.number


def _by_key(qs: QuerySet[M], field_name: str, keys: Iterable[str]) -> dict[str, M]:
    """Objects of ``qs`` whose ``field_name`` is one of ``keys``, looked up in chunks (SQLite
    allows a bounded number of query parameters)."""
    wanted = sorted(set(keys))
    found: dict[str, M] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for obj in qs.filter(**{f"{field_name}__in": chunk}):
            found[getattr(obj, field_name)] = obj
    return found


def _not_found_agency(code: str) -> str:
    return f"未找到统一社会信用代码为{code}的执法主体（或不在您的管辖范围内）"


def _call(row: _Row, service: Callable[..., T], **kwargs: Any) -> T | None:
    """Run one service for the row; a refusal becomes the row's error on the column at fault."""
    try:
        return service(**kwargs)
    except RuleViolation as exc:
        row.error(row.schema.header_for(exc.field), str(exc))
    except IntegrityError:
        row.error("", "与已登记的数据冲突")
    return None


# -- 执法主体 --


def _import_agencies(actor: Account, rows: list[_Row], today: date) -> int:
    domains = _domain_index()
    refs = ("委托机关统一社会信用代码", "上级主体统一社会信用代码")
    for row in rows:
        row.put_text("名称")
        row.put("统一社会信用代码", row.identifier("统一社会信用代码", validate_credit_code))
        row.put("层级", row.choice("层级", Agency.Level))
        row.put_text("行政区划代码")
        row.put("主体类别", row.choice("主体类别", Agency.Kind))
        for header in refs:
            code = row.identifier(header, validate_credit_code)
            if code is not None and code == row.data["credit_code"]:
                row.error(header, "不能引用本主体自身")
                code = None
            row.put(header, code)
        row.put("执法领域", row.domains("执法领域", domains))
        row.put("主体资格确认公告日期", row.date("主体资格确认公告日期"))
        for header in ("主要职责", "办公地址", "监督电话"):
            row.put_text(header)
    _flag_duplicates(rows, "统一社会信用代码", lambda r: r.data["credit_code"], "统一社会信用代码")

    in_file = {
        r.data["credit_code"]: r
        for r in reversed(rows)  # the first of duplicates wins
        if r.data["credit_code"] is not None
    }
    wanted = {r.data[f] for r in rows for f in ("entrusted_by", "parent") if r.data[f]}
    in_db = _by_key(selectors.agencies_visible_to(actor), "credit_code", wanted)

    # A row referring to another row of the file is written after it (Kahn's algorithm, in
    # file order); rows left over refer to each other in a circle.
    waiting_on: dict[int, int] = {}
    dependants: dict[int, list[_Row]] = {}
    for row in rows:
        targets = {
            in_file[code].number
            for code in (row.data["entrusted_by"], row.data["parent"])
            if code and code not in in_db and code in in_file
        }
        waiting_on[row.number] = len(targets)
        for target in targets:
            dependants.setdefault(target, []).append(row)
    ready = [(r.number, r) for r in rows if waiting_on[r.number] == 0]
    heapq.heapify(ready)
    created: dict[str, Agency] = {}
    count = 0
    while ready:
        _, row = heapq.heappop(ready)
        if _create_agency(actor, row, in_db, in_file, created):
            count += 1
        for dependant in dependants.get(row.number, ()):
            waiting_on[dependant.number] -= 1
            if waiting_on[dependant.number] == 0:
                heapq.heappush(ready, (dependant.number, dependant))
    for row in rows:
        if waiting_on[row.number] > 0:
            row.error(refs[1], "上级主体或委托机关与本文件其他行相互引用，形成循环")
    return count


def _create_agency(
    actor: Account,
    row: _Row,
    in_db: dict[str, Agency],
    in_file: dict[str, _Row],
    created: dict[str, Agency],
) -> bool:
    resolved: dict[str, Agency | None] = {}
    for header in ("委托机关统一社会信用代码", "上级主体统一社会信用代码"):
        field_name = row.schema.column(header).field
        code = row.data[field_name]
        resolved[field_name] = None
        if code is None:
            continue
        if code in in_db:
            resolved[field_name] = in_db[code]
        elif code in in_file:
            target = in_file[code]
            if code in created:
                resolved[field_name] = created[code]
            else:
                row.error(header, f"所引用的第{target.number}行执法主体有错误，未能导入")
        else:
            row.error(header, _not_found_agency(code))
    if row.errors:
        return False
    agency = _call(row, services.agency_create, actor=actor, **(row.data | resolved))
    if agency is None:
        return False
    if not can_manage_registry(actor, agency):
        row.error("行政区划代码", "该执法主体不在您的管辖范围内，不能导入")
        return False
    created[agency.credit_code] = agency
    return True


# -- 执法人员 --


def _import_officers(actor: Account, rows: list[_Row], today: date) -> int:
    for row in rows:
        row.put(
            "所属主体统一社会信用代码",
            row.identifier("所属主体统一社会信用代码", validate_credit_code),
        )
        row.put_text("姓名")
        row.put("身份证号码", row.identifier("身份证号码", validate_resident_id))
        row.put_text("手机号码")
        row.put_text("职务")
        row.put("具有法律职业资格", row.yes_no("具有法律职业资格"))
    _flag_duplicates(rows, "身份证号码", lambda r: r.data["id_number"], "身份证号码")
    agencies = _agencies_of(actor, rows, "所属主体统一社会信用代码")
    count = 0
    for row in rows:
        if row.errors:
            continue
        row.data["agency"] = agencies[row.data["agency"]]
        if _call(row, services.officer_create, actor=actor, **row.data) is not None:
            count += 1
    return count


def _agencies_of(actor: Account, rows: list[_Row], header: str) -> dict[str, Agency]:
    """The visible agencies the rows name in ``header``; a row naming another gets an error."""
    field_name = rows[0].schema.column(header).field
    codes = {r.data[field_name] for r in rows if r.data[field_name]}
    found = _by_key(selectors.agencies_visible_to(actor), "credit_code", codes)
    for row in rows:
        code = row.data[field_name]
        if code and code not in found:
            row.error(header, _not_found_agency(code))
    return found


# -- 执法证件 --


def _import_certificates(actor: Account, rows: list[_Row], today: date) -> int:
    domains = _domain_index()
    for row in rows:
        row.put_text("证件编号")
        row.put("持证人身份证号码", row.identifier("持证人身份证号码", validate_resident_id))
        row.put("证件类别", row.choice("证件类别", Certificate.Kind))
        row.put("执法领域", row.domains("执法领域", domains))
        row.put_text("执法区域代码")
        row.put("发证日期", row.date("发证日期"))
        row.put("有效期至", row.date("有效期至"))
        row.put("状态", row.choice("状态", Certificate.Status))
    _flag_duplicates(rows, "证件编号", lambda r: r.data["number"] or None, "证件编号")
    ids = {r.data["officer"] for r in rows if r.data["officer"]}
    visible = selectors.officers_visible_to(actor).select_related("agency")
    officers = _by_key(visible, "id_number", ids)
    count = 0
    for row in rows:
        officer = officers.get(row.data["officer"] or "")
        if row.data["officer"] and officer is None:
            row.error("持证人身份证号码", "未找到该身份证号码的执法人员（或不在您的管辖范围内）")
        if row.errors:
            continue
        status = row.data["status"]
        issued_on = row.data["issued_on"]
        # The history starts on the issue date for a valid certificate; any other status is
        # known to the registry from today.
        effective_on = issued_on if status == Certificate.Status.VALID and issued_on else today
        cert = _call(
            row,
            services.certificate_register,
            actor=actor,
            **(row.data | {"officer": officer}),
            reason="批量导入",
            effective_on=effective_on,
        )
        if cert is not None:
            count += 1
    return count


# -- 权责清单事项 --


def parse_bases(text: str) -> tuple[list[services.Basis], list[str]]:
    """``《法律》第X条；《法规》第Y条第Z款`` → bases, and the parts that are not of that form."""
    bases: list[services.Basis] = []
    bad: list[str] = []
    for part in _BASES_SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        match = _BASIS.match(part)
        if match:
            bases.append(services.Basis(law=match["law"].strip(), article=match["article"].strip()))
        else:
            bad.append(part)
    return bases, bad


def _import_power_items(actor: Account, rows: list[_Row], today: date) -> int:
    domains = _domain_index()
    for row in rows:
        row.put(
            "实施主体统一社会信用代码",
            row.identifier("实施主体统一社会信用代码", validate_credit_code),
        )
        row.put_text("事项编码")
        row.put_text("事项名称")
        row.put("权力类别", row.choice("权力类别", PowerItem.Category))
        found = row.domains("执法领域", domains)
        if len(found) > 1:
            row.error("执法领域", "每个事项只能填写一个执法领域")
        row.put("执法领域", found[0] if found else None)
        row.put("实施层级", row.choice("实施层级", Agency.Level))
        bases, bad = parse_bases(row.text("设定依据"))
        for part in bad:
            row.error("设定依据", f"“{part}”无法识别：{_BASIS_FORMAT}")
        row.put("设定依据", bases)
        steps = _STEPS_SPLIT.split(row.text("办理流程"))
        row.put("办理流程", [s.strip() for s in steps if s.strip()])
        row.put("随机抽查事项", row.yes_no("随机抽查事项"))
        row.put("乡镇赋权事项", row.yes_no("乡镇赋权事项"))
        row.put_text("赋权决定")
        status = row.choice("状态", PowerItem.Status, _PUBLISHABLE)
        row.put("状态", status or PowerItem.Status.PUBLISHED)
    _flag_duplicates(
        rows,
        "事项编码",
        lambda r: (
            (r.data["agency"], r.data["code"]) if r.data["agency"] and r.data["code"] else None
        ),
        "同一实施主体的事项编码",
    )
    agencies = _agencies_of(actor, rows, "实施主体统一社会信用代码")
    count = 0
    for row in rows:
        if row.errors:
            continue
        data = dict(row.data)
        publish = data.pop("status") == PowerItem.Status.PUBLISHED
        data["agency"] = agencies[data["agency"]]
        if (
            _call(row, _power_item_add, actor=actor, publish=publish, today=today, **data)
            is not None
        ):
            count += 1
    return count


@transaction.atomic
def _power_item_add(*, actor: Account, publish: bool, today: date, **data: Any) -> PowerItem:
    item = services.power_item_create(actor=actor, **data)
    if publish:
        item = services.power_item_publish(actor=actor, item=item, on=today)
    return item


# -- 行政处罚裁量基准 --


def _decimal(row: _Row, header: str) -> Decimal | None:
    value = row.text(header).replace(",", "").replace("，", "")
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        row.error(header, f"“{value}”不是数字")
        return None
    if not amount.is_finite() or amount < 0:
        row.error(header, f"“{value}”须是不小于0的数字")
        return None
    return amount


def _import_benchmarks(actor: Account, rows: list[_Row], today: date) -> int:
    """Rows grouped by 基准编号: the entry's columns from its first row, one grade a row.
    Each entry is created and published through the services, so their rules (the grades, the
    range, the parent's band — 国办发〔2022〕27号（五）) refuse it on the row at fault."""
    domains = _domain_index()
    range_kinds = {label: kind.value for kind, label in discretion.RANGE_KIND_LABELS.items()}
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        key = row.text("基准编号")
        row.put("基准编号", key)
        row.put(
            "适用主体统一社会信用代码",
            row.identifier("适用主体统一社会信用代码", validate_credit_code),
        )
        row.put("裁量阶次", row.choice("裁量阶次", DiscretionGrade.Level))
        for header in ("适用条件", "具体标准"):
            row.put_text(header)
        row.put("阶次下限", _decimal(row, "阶次下限"))
        row.put("阶次上限", _decimal(row, "阶次上限"))
        if key:
            groups.setdefault(key, []).append(row)
    agencies = _agencies_of(actor, rows, "适用主体统一社会信用代码")
    # The upper level's entries are public (国办发〔2022〕27号（十三）): any published one.
    published = DiscretionBenchmark.objects.filter(status=DiscretionBenchmark.Status.PUBLISHED)
    count = 0
    for group in groups.values():
        first = group[0]
        for header in ("制定机关", "违法行为", "违反条款", "处罚依据", "倍数基数"):
            first.put_text(header)
        found = first.domains("执法领域", domains)
        if len(found) > 1:
            first.error("执法领域", "每个基准只能填写一个执法领域")
        first.put("执法领域", found[0] if found else None)
        label = first.text("法定幅度方式")
        kind = range_kinds.get(label)
        if label and kind is None:
            first.error("法定幅度方式", f"“{label}”无效，" + _one_of(_RANGE_LABELS))
        first.put("法定幅度方式", kind)
        first.put("法定幅度下限", _decimal(first, "法定幅度下限"))
        first.put("法定幅度上限", _decimal(first, "法定幅度上限"))
        first.put("法定处罚种类", _penalty_kinds(first, "法定处罚种类"))
        parent_id = first.text("上级裁量基准ID")
        parent = None
        if parent_id:
            parent = published.filter(pk=int(parent_id)).first() if parent_id.isdigit() else None
            if parent is None:
                first.error("上级裁量基准ID", f"未找到ID为{parent_id}的裁量基准")
        codes = [c for c in _LIST_SPLIT.split(first.text("适用事项编码")) if c]
        agency = agencies.get(first.data["agency"] or "")
        items = []
        for code in codes:
            item = PowerItem.objects.filter(
                agency=agency, code=code, status=PowerItem.Status.PUBLISHED
            ).first()
            if item is None:
                first.error("适用事项编码", f"未找到适用主体已发布的事项“{code}”")
            else:
                items.append(item)
        for row in group[1:]:
            if row.data["agency"] != first.data["agency"]:
                row.error("适用主体统一社会信用代码", f"与同一基准编号的第{first.number}行不一致")
        if any(r.errors for r in group) or agency is None:
            continue
        data = dict(first.data)
        grades = [
            services.Grade(
                r.data["grades"],
                r.data["conditions"],
                r.data["standard"],
                r.data["min_amount"],
                r.data["max_amount"],
            )
            for r in group
        ]
        created = _call(
            first,
            _benchmark_add,
            actor=actor,
            today=today,
            agency=agency,
            issuer=data["issuer"],
            domain=data["domain"],
            violation=data["violation"],
            basis=f"违法依据：{data['violated_provision']}\n处罚依据：{data['penalty_provision']}",
            violated_provision=data["violated_provision"],
            penalty_provision=data["penalty_provision"],
            range_kind=data["range_kind"],
            range_min=data["range_min"],
            range_max=data["range_max"],
            base_name=data["base_name"],
            penalty_kinds=data["penalty_kinds"],
            parent=parent,
            power_items=items,
            grades=grades,
        )
        if created is not None:
            count += 1
    return count


def _penalty_kinds(row: _Row, header: str) -> list[str]:
    """Kinds of penalty by their statutory names (《行政处罚法》第九条)."""
    by_label = {_fold(k.label): k.value for k in PenaltyKind}
    out = []
    for part in _LIST_SPLIT.split(row.text(header)):
        if not part:
            continue
        value = by_label.get(_fold(part))
        if value is None:
            row.error(header, f"“{part}”不是《行政处罚法》第九条规定的处罚种类")
        else:
            out.append(value)
    return out


# -- 包容审慎监管清单 --


def _lenient_measures(row: _Row) -> list[str]:
    labels = {_fold(str(label)): value for value, label in LenientListItem.Measure.choices}
    out = []
    for part in _LIST_SPLIT.split(row.text("配套措施")):
        if not part:
            continue
        value = labels.get(_fold(part))
        if value is None:
            row.error("配套措施", f"“{part}”无效，" + _one_of(_labels(LenientListItem.Measure)))
        else:
            out.append(value)
    return out


def _lenient_power_items(row: _Row, agency: Agency | None, region: str) -> list[PowerItem]:
    codes = [c for c in _LIST_SPLIT.split(row.text("适用的权责清单事项编码")) if c]
    if not codes:
        return []
    published = PowerItem.objects.filter(status=PowerItem.Status.PUBLISHED, code__in=codes)
    if agency is not None:
        published = published.filter(agency=agency)
    else:
        published = published.filter(agency__division_code__startswith=region.rstrip("0")[:6])
    found = list(published)
    missing = sorted(set(codes) - {p.code for p in found})
    if missing:
        row.error("适用的权责清单事项编码", f"未找到已发布的事项：{'、'.join(missing)}")
    return found


def _import_lenient_items(actor: Account, rows: list[_Row], today: date) -> int:
    domains = _domain_index()
    for row in rows:
        row.put("清单类别", row.choice("清单类别", LenientListItem.Kind))
        code = row.identifier("适用主体统一社会信用代码", validate_credit_code)
        row.put("适用主体统一社会信用代码", code)
        region = row.put_text("适用区域")
        if not code and not region:
            row.error("适用区域", "须填写适用主体或适用区域")
        for header in (
            "制定机关",
            "违法行为",
            "违反条款",
            "处罚依据",
            "裁量标准",
            "其他配套措施",
            "来源",
        ):
            row.put_text(header)
        found = row.domains("执法领域", domains)
        if len(found) > 1:
            row.error("执法领域", "每个事项只能填写一个执法领域")
        row.put("执法领域", found[0] if found else None)
        row.put("适用条件", row.text("适用条件"))
        row.put("配套措施", _lenient_measures(row))
        status = row.choice("状态", LenientListItem.Status, _LISTING_STATES)
        row.put("状态", status or LenientListItem.Status.PUBLISHED)
    agencies = _agencies_of(actor, rows, "适用主体统一社会信用代码")
    count = 0
    for row in rows:
        agency = agencies.get(row.data["agency"] or "")
        row.put(
            "适用的权责清单事项编码", _lenient_power_items(row, agency, row.data["region_code"])
        )
        if row.errors:
            continue
        data = dict(row.data)
        publish = data.pop("status") == LenientListItem.Status.PUBLISHED
        data["agency"] = agency
        if _call(row, _lenient_item_add, actor=actor, publish=publish, today=today, **data):
            count += 1
    return count


@transaction.atomic
def _benchmark_add(*, actor: Account, today: date, **data: Any) -> DiscretionBenchmark:
    benchmark = services.discretion_benchmark_create(actor=actor, **data)
    return services.discretion_benchmark_publish(actor=actor, benchmark=benchmark, on=today)


@transaction.atomic
def _lenient_item_add(
    *, actor: Account, publish: bool, today: date, **data: Any
) -> LenientListItem:
    item = services.lenient_item_create(actor=actor, **data)
    if publish:
        item = services.lenient_item_publish(actor=actor, item=item, on=today)
    return item


_IMPORTERS: dict[str, Callable[[Account, list[_Row], date], int]] = {
    DISCRETION_BENCHMARKS: _import_benchmarks,
    AGENCIES: _import_agencies,
    OFFICERS: _import_officers,
    CERTIFICATES: _import_certificates,
    POWER_ITEMS: _import_power_items,
    LENIENT_ITEMS: _import_lenient_items,
}


# -- kinds of other apps ---------------------------------------------------------------------
# An app above the registry (inspections' 检查对象名录库) imports its own table through this
# machinery — the same reading, limits, header checks, row errors and all-or-nothing
# transaction — by registering its schema and importer at start-up (the registry imports none of
# them). The importer gets the rows as :class:`ImportRow` and reports each problem on its row.

ImportRow = _Row
Importer = Callable[[Account, list[_Row], date], int]
row_call = _call
rows_flag_duplicates = _flag_duplicates
rows_by_key = _by_key


def register_import_kind(schema: Schema, importer: Importer) -> None:
    """Add ``schema``'s kind to the imports (and the 导入导出 page); registering twice is
    harmless."""
    SCHEMAS[schema.kind] = schema
    _IMPORTERS[schema.kind] = importer
