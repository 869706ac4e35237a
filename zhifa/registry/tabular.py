"""Reading and writing tables: ``.csv`` and ``.xlsx``, every cell read as text.

Reading: a CSV may be UTF-8 with or without BOM, or GB18030 (Excel on Chinese Windows saves
"CSV" in GBK, which GB18030 contains). An ``.xlsx`` is read by :mod:`.xlsx_reading` (a bounded
streaming reader, not openpyxl); date cells become ``YYYY-MM-DD``, whole numbers lose their
``.0``. Row 1 is the header; rows keep the number the user sees in the spreadsheet. Both are
streamed within :class:`ReadLimits` (file size, rows, columns, inflated size): a file that goes
beyond one is refused with the limit and the row named, after reading no more than that.

Writing: CSV is UTF-8 with BOM (so Excel opens it as UTF-8); ``.xlsx`` exports use openpyxl's
write-only mode, so a province's 100,000 officers never sit in memory at once.

Spreadsheet formula injection: a text starting with ``= + - @`` could run as a formula when the
file is opened. In ``.xlsx`` such texts are stored as plain strings; in CSV they get a leading
apostrophe (``zhifa.core.formula_injection``), which reading strips again, so files round-trip.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhifa.core.exceptions import ZhifaError
from zhifa.core.formula_injection import csv_cell, csv_cell_read

from .xlsx_reading import SheetLimits, SheetRefused, SheetTooLarge, column_letter, read_xlsx_rows

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# A province's 100,000 officers make an .xlsx of about 10 MB; anything far larger is a mistake.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

_DATE_FORMAT = "yyyy-mm-dd"

Cell = str | date | None


class TableUnreadable(ZhifaError):
    """The uploaded file is not a table we can read (wrong type, broken, empty)."""


@dataclass
class Table:
    """A header row and the data rows, each with the row number the spreadsheet shows."""

    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def table_format(filename: str) -> str:
    """``"xlsx"`` or ``"csv"`` from the file name; refuses anything else."""
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if suffix in ("xls", "et", "wps", "ods", "numbers"):
        raise TableUnreadable("不支持该文件格式，请在表格软件中另存为.xlsx或.csv后再导入")
    raise TableUnreadable("只能导入.xlsx或.csv文件")


def cell_text(value: object) -> str:
    """A cell as the text the user typed: dates ISO, whole numbers without ``.0``, trimmed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, int | Decimal):
        return str(value)
    return str(value).strip()


@dataclass(frozen=True)
class ReadLimits:
    """How much of a file an import reads (settings ``ZHIFA_IMPORT_*``, see
    :func:`zhifa.registry.importing.import_limits`): the file's size, its data rows after the
    header, its columns, and the bytes an ``.xlsx`` may inflate to."""

    max_bytes: int = MAX_UPLOAD_BYTES
    max_rows: int = 100_000
    max_columns: int = 50
    max_inflated: int = 256 * 2**20


class TableTooLarge(TableUnreadable):
    """The file goes beyond a limit of :class:`ReadLimits`; the message names it."""


def too_large_message(max_bytes: int) -> str:
    return f"文件超过{max_bytes / 2**20:g}MB，请分成几个文件导入"


def read_table(
    content: bytes | IO[bytes], filename: str, limits: ReadLimits | None = None
) -> Table:
    """Read ``content`` (bytes or a seekable binary file) as the table ``filename`` names by
    its suffix, within ``limits``: rows are streamed and checked as they come, so memory and
    time stay bounded whatever the file claims (see :mod:`zhifa.registry.xlsx_reading`).

    Raises :class:`TableTooLarge` when a limit is reached (the message names the limit and the
    row), :class:`TableUnreadable` for an unsupported, broken or empty file.
    """
    limits = limits or ReadLimits()
    fmt = table_format(filename)
    source: IO[bytes] = io.BytesIO(content) if isinstance(content, bytes) else content
    source.seek(0, 2)
    if source.tell() > limits.max_bytes:
        raise TableTooLarge(too_large_message(limits.max_bytes))
    source.seek(0)
    rows = _read_xlsx(source, limits) if fmt == "xlsx" else _read_csv(source, limits)
    header: list[str] | None = None
    table = Table(headers=[])
    for number, cells in rows:
        texts = [cell_text(c) for c in cells]
        if header is None:
            if number != 1:
                break  # row 1 is empty
            header = texts
            table.headers = texts
            continue
        if any(texts):
            # As wide as the header: an .xlsx row ends at its last value, and a value beyond the
            # header has no column to go to (nothing is kept that the import cannot use).
            texts = texts[: len(header)] + [""] * (len(header) - len(texts))
            table.rows.append((number, texts))
    if not header or not any(header):
        raise TableUnreadable("文件为空：第1行应为表头")
    return table


def _read_xlsx(source: IO[bytes], limits: ReadLimits) -> Iterator[tuple[int, Sequence[object]]]:
    sheet_limits = SheetLimits(limits.max_rows, limits.max_columns, limits.max_inflated)
    try:
        yield from read_xlsx_rows(source, sheet_limits)
    except SheetTooLarge as exc:
        raise TableTooLarge(exc.message) from None
    except SheetRefused as exc:
        raise TableUnreadable(exc.message) from None


# -- CSV --
# Read as a stream of lines: the encoding is found by one pass of an incremental UTF-8 decoder
# (nothing kept), then the text is decoded a chunk at a time. A physical line is at most
# MAX_CSV_LINE characters and a record at most MAX_CSV_RECORD_LINES lines (a quoted field may
# hold line breaks), so no single row can grow without bound; rows and columns as for .xlsx.

CSV_CHUNK = 1 << 20
MAX_CSV_LINE = 1 << 20
MAX_CSV_RECORD_LINES = 1000


def _csv_encoding(source: IO[bytes]) -> str:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := source.read(CSV_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "gb18030"
    source.seek(0)
    return encoding


class _CsvLines:
    """The lines of the decoded text, ends kept, each within MAX_CSV_LINE characters; a record
    spanning more than MAX_CSV_RECORD_LINES lines is refused (``record_started`` resets)."""

    def __init__(self, source: IO[bytes], encoding: str) -> None:
        self.source = source
        self.decoder = codecs.getincrementaldecoder(encoding)()
        self.record = 1  # the record (row) being read
        self.lines_in_record = 0

    def record_started(self, number: int) -> None:
        self.record = number
        self.lines_in_record = 0

    def _line(self, line: str) -> str:
        if len(line) > MAX_CSV_LINE:
            raise self._too_long()
        self.lines_in_record += 1
        if self.lines_in_record > MAX_CSV_RECORD_LINES:
            raise TableTooLarge(
                f"第{self.record}行超过{MAX_CSV_RECORD_LINES}个换行，CSV文件的引号可能不配对"
            )
        return line

    def __iter__(self) -> Iterator[str]:
        pending = ""
        final = False
        while not final:
            chunk = self.source.read(CSV_CHUNK)
            final = not chunk
            try:
                pending += self.decoder.decode(chunk, final=final)
            except UnicodeDecodeError:
                raise TableUnreadable("无法识别CSV文件的编码，请保存为UTF-8或GBK编码") from None
            if final:
                complete, pending = pending, ""
            else:  # complete lines only; a last "\r" may be the first half of "\r\n"
                cut = max(pending.rfind("\n"), pending.rfind("\r", 0, len(pending) - 1))
                complete, pending = pending[: cut + 1], pending[cut + 1 :]
            for line in io.StringIO(complete, newline=""):
                yield self._line(line)
            if len(pending) > MAX_CSV_LINE:
                raise self._too_long()

    def _too_long(self) -> TableTooLarge:
        return TableTooLarge(f"第{self.record}行超过{MAX_CSV_LINE}个字符，CSV文件格式可能有误")


def _read_csv(source: IO[bytes], limits: ReadLimits) -> Iterator[tuple[int, Sequence[object]]]:
    lines = _CsvLines(source, _csv_encoding(source))
    reader = csv.reader(lines)
    last = limits.max_rows + 1
    number = 1
    try:
        for cells in reader:
            if len(cells) > limits.max_columns:
                extra = next(
                    (i for i in range(limits.max_columns, len(cells)) if cells[i].strip()), None
                )
                if extra is not None:
                    raise TableTooLarge(
                        f"第{number}行第{column_letter(extra + 1)}列超出导入上限："
                        f"每行最多{limits.max_columns}列"
                    )
                cells = cells[: limits.max_columns]
            if number > last and any(c.strip() for c in cells):
                raise TableTooLarge(
                    f"第{number}行超出导入上限：每个文件最多{limits.max_rows}行数据（不含表头），"
                    "请删除多余的行或分成几个文件导入"
                )
            yield number, [csv_cell_read(c) for c in cells]
            number += 1
            lines.record_started(number)
    except csv.Error as exc:
        raise TableUnreadable(f"CSV文件格式错误：{exc}") from None


# -- writing -------------------------------------------------------------------------------


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return csv_cell(value)


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    """The CSV file as UTF-8 chunks (BOM first), for streaming a response or writing a file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    yield "\ufeff".encode() + _drain(buffer)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_text(v) for v in row])
        if count % 500 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    return data


def write_csv(out: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    for chunk in csv_chunks(headers, rows):
        out.write(chunk)


def write_xlsx(
    out: IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    widths: Sequence[int] = (),
) -> None:
    """One sheet, header row in bold, rows streamed (openpyxl write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    workbook.save(out)


def _xlsx_cell(sheet: object, value: Cell) -> object:
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
        cell.number_format = _DATE_FORMAT
        return cell
    if value is not None and value.startswith("="):
        # openpyxl would store it as a formula; keep it the text it is.
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
        cell.data_type = "s"
        return cell
    return value


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    required: bool
    note: str
    example: str
    choices: Sequence[str] = ()
    width: int = 16


def write_xlsx_template(
    out: IO[bytes], *, title: str, columns: Sequence[TemplateColumn], intro: str
) -> None:
    """A blank import template: the header row (required columns in red, drop-down lists for
    fixed values, every cell text so long numbers keep their digits) and a sheet "说明"."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    last_row = 5001  # drop-downs and text format reach this far
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="C00000" if column.required else None)
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].number_format = "@"
        if column.choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="取值无效",
                error="可填：" + "、".join(column.choices),
            )
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("说明")
    notes.append([intro])
    notes.append([])
    notes.append(["列名", "是否必填", "填写说明", "示例"])
    for cell in notes[3]:
        cell.font = Font(bold=True)
    for column in columns:
        notes.append([column.header, "必填" if column.required else "选填", column.note, ""])
        # The example is text even when it looks like a formula or a number.
        example = notes.cell(row=notes.max_row, column=4, value=column.example)
        example.data_type = "s"
    for letter, width in zip("ABCD", (28, 10, 60, 36), strict=True):
        notes.column_dimensions[letter].width = width
    workbook.save(out)
