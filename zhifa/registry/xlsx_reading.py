"""The first sheet of an ``.xlsx`` file as rows of cell values, read within fixed bounds.

Why not openpyxl's read-only mode (which zhifa still uses to *write*): it trusts the file. It pads
every row to the sheet's declared ``<dimension>`` (a 5 KB file declaring ``A1:XFD1048576`` turns
into a million rows of 16,384 cells), fills every gap between row numbers with empty rows (a row
numbered 10^12 never ends), keeps the attributes of every row it meets, builds each ``<row>``
element whole before handing it over, and reads shared strings and styles whole from parts of
any size. Here nothing is taken from the file's own claims about its size:

- **the zip**: its central directory is at most :data:`MAX_CENTRAL_DIRECTORY` bytes (so a
  million tiny members cannot be listed into memory), no ZIP64 (a table never needs it), only
  stored or deflated members; every part read must *declare* a size within the budget, and the
  bytes actually inflated are counted as they are read — more than declared, or more than
  ``max_inflated`` for all parts together, stops the reading (a deflate bomb inflates only as
  far as the budget);
- **the XML** is fed to expat in chunks and every element is handled as it passes: nothing is
  built into a tree, a DTD (and so any entity) is refused;
- **rows**: only rows present in the file are seen — no padding, no declared dimension; the
  first row *with a value* numbered beyond ``max_rows + 1`` (the header row and ``max_rows``
  data rows) stops the reading, naming that row, as does a ``max_rows + 2``-th row with values
  (whatever numbers it claims); empty rows cost only the time to skip their bytes;
- **columns**: a value in a column beyond ``max_columns`` stops the reading, naming row and
  column; a row is kept as at most ``max_columns`` cells;
- **text**: a cell holds at most :data:`MAX_CELL_CHARS` characters (Excel's own limit), and the
  shared-strings part, the one part kept whole in memory, at most ``max_inflated // 8`` bytes.

So memory is bounded by the shared strings (a few times their inflated size) plus one chunk
of XML and one row, whatever the file claims; time by the inflated bytes.

Values: shared, inline and formula strings as text; numbers as ``int`` (no decimal point or
exponent) or ``float``; numbers in a date format (built-in or custom, including the East Asian
built-ins 27–36 and 50–58 such as ``yyyy"年"m"月"d"日"``) as ``datetime``/``time`` (the 1904
epoch when the workbook says so); booleans as ``bool``; errors as their text (``#N/A``);
formulas as their cached value (none: empty).
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any
from xml.parsers import expat

from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAX_CENTRAL_DIRECTORY = 1 << 20  # an .xlsx lists a few dozen members in a few KB
MAX_CELL_CHARS = 32_767  # Excel's limit of the characters in one cell
CHUNK = 1 << 16  # bytes of XML fed to the parser at a time
# Built-in number formats that are dates or times: 14–22 and 45–47 everywhere, 27–36 and 50–58
# in East Asian (zh-CN: 27 = yyyy"年"m"月", 31 = yyyy"年"m"月"d"日" …) versions of Excel.
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_CELL_REF = re.compile(r"([A-Za-z]{1,4})(\d*)")


class SheetRefused(Exception):
    """The file is broken, or goes beyond a bound. ``message`` is for people (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SheetTooLarge(SheetRefused):
    """A bound was reached (rows, columns, inflated size, cell text)."""


@dataclass(frozen=True)
class SheetLimits:
    max_rows: int  # data rows, after the header row
    max_columns: int
    max_inflated: int  # bytes of XML inflated from the zip, all parts read together

    @property
    def max_shared_strings(self) -> int:
        return self.max_inflated // 8


def column_letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _mb(size: int) -> str:
    return f"{size / 2**20:g}MB" if size >= 2**20 else f"{size / 2**10:g}KB"


def _broken(why: str = "") -> SheetRefused:
    detail = f"（{why}）" if why else ""
    return SheetRefused(f"无法读取该.xlsx文件，文件可能已损坏{detail}")


# -- the zip -------------------------------------------------------------------------------


def _check_directory(source: IO[bytes]) -> None:
    """Refuse a zip whose central directory is large or ZIP64, before zipfile lists it."""
    source.seek(0, 2)
    size = source.tell()
    tail_size = min(size, 22 + 0xFFFF)
    source.seek(size - tail_size)
    tail = source.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _broken()
    _, _, _, _, entries, directory_size, _, _ = struct.unpack("<4s4H2LH", tail[at : at + 22])
    zip64 = at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07"
    if zip64 or entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        raise SheetRefused("该.xlsx文件使用了ZIP64格式，不是常见的表格文件，拒绝读取")
    if directory_size > MAX_CENTRAL_DIRECTORY:
        raise SheetRefused("该.xlsx文件包含的成员过多，不是常见的表格文件，拒绝读取")
    source.seek(0)


class _Budget:
    """The inflated bytes all parts together may still take."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit

    def refusal(self) -> SheetTooLarge:
        return SheetTooLarge(
            f"该.xlsx文件解压后超过{_mb(self.limit)}，超出导入上限，"
            "请分成几个文件导入，或另存为.csv后导入"
        )


class _Archive:
    def __init__(self, source: IO[bytes], budget: _Budget) -> None:
        _check_directory(source)
        try:
            self.zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise _broken() from None
        self.budget = budget
        self.names = {info.filename: info for info in self.zip.infolist()}

    def has(self, name: str) -> bool:
        return name in self.names

    def chunks(
        self, name: str, limit: int | None = None, what: str = "结构部分"
    ) -> Iterator[bytes]:
        """The part's inflated bytes, in chunks, within its declared size, ``limit`` (for the
        part ``what``, named so in the refusal) and the budget; refuses as soon as one of them
        would be exceeded."""
        info = self.names.get(name)
        if info is None:
            raise _broken(f"缺少{name}")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SheetRefused("该.xlsx文件使用了不常见的压缩方式，拒绝读取")
        declared = info.file_size
        if declared > self.budget.left:
            raise self.budget.refusal()
        if limit is not None and declared > limit:
            raise SheetTooLarge(
                f"该.xlsx文件的{what}解压后超过{_mb(limit)}，超出导入上限，请分成几个文件导入"
            )
        read = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    read += len(chunk)
                    self.budget.left -= len(chunk)
                    if read > declared:  # zipfile stops at the declared size; never trust it
                        raise _broken(f"{name}解压后大于其声明的大小")
                    if self.budget.left < 0:
                        raise self.budget.refusal()
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
            # RuntimeError: an encrypted member; the others: damaged data, a bad CRC
            raise _broken() from None

    def close(self) -> None:
        self.zip.close()


# -- XML through expat ---------------------------------------------------------------------


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _refuse_dtd(*_: Any) -> None:
    raise SheetRefused("该.xlsx文件含有DTD声明，拒绝读取")


def _parser(
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], bool | None],
    text: Callable[[str], None] | None,
) -> expat.XMLParserType:
    """An expat parser calling ``start(local_name, attrs)``, ``text(data)`` and
    ``end(local_name)`` — no tree is built — and refusing any DTD."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
    parser.EndElementHandler = lambda name: end(_local(name))
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def _feed(parser: expat.XMLParserType, chunks: Iterator[bytes]) -> Iterator[None]:
    """Feed ``chunks`` to ``parser``, pausing after each one; a syntax error is a refusal."""
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            yield
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _broken(f"XML格式错误：{expat.errors.messages.get(exc.code, exc)}") from None


def _parse(
    chunks: Iterator[bytes],
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], bool | None] = lambda tag: None,
    text: Callable[[str], None] | None = None,
) -> None:
    """Parse a whole part; ``end`` may return True to stop reading it there."""
    stopped = False

    def on_end(tag: str) -> None:
        nonlocal stopped
        stopped = stopped or bool(end(tag))

    for _ in _feed(_parser(start, on_end, text), chunks):
        if stopped:
            return


def _attr(attrs: dict[str, str], local: str) -> str | None:
    """An attribute by its local name, whatever its namespace (``r:id``, strict OOXML)."""
    for key, value in attrs.items():
        if _local(key) == local:
            return value
    return None


def _relationships(archive: _Archive, part: str) -> dict[str, tuple[str, str]]:
    """``Id → (type, target path)`` of the part's relationships (``…/_rels/x.rels``)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    found: dict[str, tuple[str, str]] = {}
    if not archive.has(rels):
        return found

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), posixpath.normpath(path))

    _parse(archive.chunks(rels, 1 << 20), start)
    return found


@dataclass
class _Workbook:
    sheet: str
    shared_strings: str | None
    styles: str | None
    epoch: datetime


def _workbook(archive: _Archive) -> _Workbook:
    package = _relationships(archive, "")
    office = [t for kind, t in package.values() if kind.endswith("/officeDocument")]
    workbook = office[0] if office else "xl/workbook.xml"
    related = _relationships(archive, workbook)
    first: list[str] = []
    epoch = [CALENDAR_WINDOWS_1900]

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "sheet" and not first:
            first.append(_attr(attrs, "id") or "")
        elif tag == "workbookPr" and attrs.get("date1904") in ("1", "true"):
            epoch[0] = CALENDAR_MAC_1904

    _parse(archive.chunks(workbook, 1 << 20), start)
    if not first or first[0] not in related:
        raise _broken("找不到第一个工作表")

    def part(suffix: str) -> str | None:
        paths = [t for kind, t in related.values() if kind.endswith(suffix)]
        return paths[0] if paths and archive.has(paths[0]) else None

    return _Workbook(
        sheet=related[first[0]][1],
        shared_strings=part("/sharedStrings"),
        styles=part("/styles"),
        epoch=epoch[0],
    )


def _date_styles(archive: _Archive, part: str | None) -> frozenset[int]:
    """The cell style indexes (``s``) whose number format is a date or time."""
    if part is None:
        return frozenset()
    custom: dict[int, str] = {}
    formats: list[int] = []
    where: list[str] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "numFmt":
            number = attrs.get("numFmtId", "")
            if number.isdigit():
                custom[int(number)] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            where.append(tag)
        elif tag == "xf" and where:
            try:
                formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                formats.append(0)

    def end(tag: str) -> bool:
        if tag == "cellXfs" and where:
            where.pop()
            return True  # nothing after the cell formats is needed
        return False

    _parse(archive.chunks(part, 1 << 24, "样式表"), start, end)
    dates = set()
    for index, fmt in enumerate(formats):
        code = custom.get(fmt)
        if (code is not None and is_date_format(code)) or (
            code is None and fmt in _DATE_FORMAT_IDS
        ):
            dates.add(index)
    return frozenset(dates)


class _TextCollector:
    """Character data of the current ``<t>`` (not inside phonetic ``<rPh>``), bounded."""

    def __init__(self, too_long: Callable[[], SheetRefused]) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.collecting = False
        self.phonetic = 0
        self.too_long = too_long

    def text(self, data: str) -> None:
        if self.collecting and not self.phonetic:
            self.size += len(data)
            if self.size > MAX_CELL_CHARS:
                raise self.too_long()
            self.parts.append(data)

    def take(self) -> str:
        value = "".join(self.parts)
        self.parts.clear()
        self.size = 0
        return value


def _shared_strings(archive: _Archive, part: str | None, limits: SheetLimits) -> list[str]:
    if part is None:
        return []
    strings: list[str] = []
    collector = _TextCollector(lambda: SheetTooLarge("该.xlsx文件有单元格超过32767个字符"))

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "rPh":
            collector.phonetic += 1
        elif tag == "t":
            collector.collecting = True

    def end(tag: str) -> None:
        if tag == "rPh":
            collector.phonetic -= 1
        elif tag == "t":
            collector.collecting = False
        elif tag == "si":
            strings.append(collector.take())

    chunks = archive.chunks(part, limits.max_shared_strings, "共享字符串表")
    _parse(chunks, start, end, collector.text)
    return strings


# -- the sheet -----------------------------------------------------------------------------

Row = tuple[int, list[object]]


class _SheetReader:
    """Turns the sheet's XML events into rows ``(row number, values by column)``."""

    def __init__(
        self, limits: SheetLimits, shared: list[str], dates: frozenset[int], epoch: datetime
    ) -> None:
        self.limits = limits
        self.shared = shared
        self.dates = dates
        self.epoch = epoch
        self.done: list[Row] = []
        self.row_number = 0
        self.rows_with_values = 0
        self.cells: dict[int, object] = {}
        self.column = 0
        self.cell_type = "n"
        self.cell_style = 0
        self.collector = _TextCollector(self._cell_too_long)
        self.finished = False

    def _cell_too_long(self) -> SheetTooLarge:
        return SheetTooLarge(f"第{self.row_number}行有单元格超过{MAX_CELL_CHARS}个字符")

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "c":
            ref = _CELL_REF.match(attrs.get("r", ""))
            self.column = _column_number(ref.group(1)) if ref else self.column + 1
            self.cell_type = attrs.get("t", "n")
            try:
                self.cell_style = int(attrs.get("s", "0"))
            except ValueError:
                self.cell_style = 0
            self.collector.take()
        elif tag in ("v", "t"):
            self.collector.collecting = True
        elif tag == "rPh":
            self.collector.phonetic += 1
        elif tag == "row":
            number = attrs.get("r", "")
            self.row_number = int(number) if number.isdigit() else self.row_number + 1
            self.column = 0
            self.cells = {}

    def end(self, tag: str) -> bool:
        if tag in ("v", "t"):
            self.collector.collecting = False
        elif tag == "rPh":
            self.collector.phonetic -= 1
        elif tag == "c":
            value = self._value(self.collector.take())
            if value is not None and value != "":
                if self.column > self.limits.max_columns:
                    raise SheetTooLarge(
                        f"第{self.row_number}行第{column_letter(self.column)}列超出导入上限："
                        f"每行最多{self.limits.max_columns}列"
                    )
                self.cells[self.column] = value
        elif tag == "row":
            if self.cells:
                self.rows_with_values += 1
                last = self.limits.max_rows + 1
                if self.row_number > last or self.rows_with_values > last:
                    raise SheetTooLarge(
                        f"第{self.row_number}行超出导入上限：每个文件最多{self.limits.max_rows}行"
                        "数据（不含表头），请删除多余的行或分成几个文件导入"
                    )
                width = max(self.cells)
                values: list[object] = [None] * width
                for column, value in self.cells.items():
                    values[column - 1] = value
                self.done.append((self.row_number, values))
        elif tag == "sheetData":
            self.finished = True
            return True  # what follows the cells (merges, validations …) is not read
        return False

    def _value(self, text: str) -> object:
        kind = self.cell_type
        if kind == "s":
            try:
                return self.shared[int(text)]
            except (ValueError, IndexError):
                raise _broken(f"第{self.row_number}行引用了不存在的共享字符串") from None
        if kind in ("inlineStr", "str", "e"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            try:
                return datetime.fromisoformat(text.strip())
            except ValueError:
                return text
        text = text.strip()
        if not text:
            return None
        try:
            number: int | float = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            return text
        if self.cell_style in self.dates:
            try:
                return from_excel(number, self.epoch)
            except (ValueError, OverflowError, TypeError):
                return number
        return number


def read_xlsx_rows(source: IO[bytes], limits: SheetLimits) -> Iterator[Row]:
    """The rows with values of the workbook's first sheet, as ``(row number, values)``, where
    ``values[i]`` is column ``i + 1``; rows without any value are skipped.

    ``source`` is a seekable binary file. Raises :class:`SheetRefused` (or its subclass
    :class:`SheetTooLarge`) for a broken file or a bound reached — possibly after some rows
    were yielded.
    """
    archive = _Archive(source, _Budget(limits.max_inflated))
    try:
        workbook = _workbook(archive)
        dates = _date_styles(archive, workbook.styles)
        shared = _shared_strings(archive, workbook.shared_strings, limits)
        reader = _SheetReader(limits, shared, dates, workbook.epoch)
        parser = _parser(reader.start, reader.end, reader.collector.text)
        for _ in _feed(parser, archive.chunks(workbook.sheet)):
            yield from reader.done
            reader.done.clear()
            if reader.finished:
                return
        yield from reader.done
    finally:
        archive.close()
