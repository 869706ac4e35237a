"""Reading and writing tables: ``.csv`` and ``.xlsx``, every cell read as text.

Reading: a CSV may be UTF-8 with or without BOM, or GB18030 (Excel on Chinese Windows saves
"CSV" in GBK, which GB18030 contains). An ``.xlsx`` is read with openpyxl in read-only mode;
date cells become ``YYYY-MM-DD``, whole numbers lose their ``.0``. Row 1 is the header; rows
keep the number the user sees in the spreadsheet.

Writing: CSV is UTF-8 with BOM (so Excel opens it as UTF-8); ``.xlsx`` exports use openpyxl's
write-only mode, so a province's 100,000 officers never sit in memory at once.

Spreadsheet formula injection: a text starting with ``= + - @`` could run as a formula when the
file is opened. In ``.xlsx`` such texts are stored as plain strings; in CSV they get a leading
apostrophe (Excel's "this is text" mark), which reading strips again, so files round-trip.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath
from typing import IO

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from zhifa.core.exceptions import ZhifaError

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# A province's 100,000 officers make an .xlsx of about 10 MB; anything far larger is a mistake.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

_FORMULA_START = ("=", "+", "-", "@")
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


def read_table(content: bytes, filename: str) -> Table:
    """Read ``content`` as the table ``filename`` names by its suffix.

    Raises :class:`TableUnreadable` for an unsupported, broken or empty file.
    """
    fmt = table_format(filename)
    rows = _read_xlsx(content) if fmt == "xlsx" else _read_csv(content)
    header: list[str] | None = None
    table = Table(headers=[])
    for number, cells in rows:
        texts = [cell_text(c) for c in cells]
        if header is None:
            header = texts
            table.headers = texts
            continue
        table.rows.append((number, texts))
    if not header or not any(header):
        raise TableUnreadable("文件为空：第1行应为表头")
    return table


def _read_csv(content: bytes) -> Iterator[tuple[int, Sequence[object]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError:
            raise TableUnreadable("无法识别CSV文件的编码，请保存为UTF-8或GBK编码") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [_unescape(c) for c in cells]
    except csv.Error as exc:
        raise TableUnreadable(f"CSV文件格式错误：{exc}") from None


def _unescape(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        return text[1:]
    return text


def _read_xlsx(content: bytes) -> Iterator[tuple[int, Sequence[object]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise TableUnreadable("无法读取该.xlsx文件，文件可能已损坏") from None
    try:
        sheet = workbook.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


# -- writing -------------------------------------------------------------------------------


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
