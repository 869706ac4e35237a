"""Imports read with bounded memory and time, whatever the file claims (issue 10, finding 1).

A 4.9 KB ``.xlsx`` declaring ``A1:XFD1048576`` once took the server down: openpyxl padded a
million rows to 16,384 cells and the whole table was kept before anything was checked. Each
bomb here is refused with a clear Chinese message naming the limit (and the row), and the
memory it costs is measured in a separate process, so the bound is the reader's alone: the
growth of the resident-memory peak (``VmHWM``, reset just before the reading) and the
``tracemalloc`` peak, each under :data:`MEMORY_BOUND`. These are memory bounds, not timing
assertions.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import textwrap
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from zhifa.core.testing import Personas
from zhifa.registry.importing import import_limits
from zhifa.registry.tabular import (
    ReadLimits,
    TableTooLarge,
    TableUnreadable,
    read_table,
    write_xlsx,
)

MEMORY_BOUND = 100 * 2**20
ROOT = Path(__file__).resolve().parents[3]

_OOXML = "http://schemas.openxmlformats.org"
_RELS = f"{_OOXML}/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Types xmlns="{_OOXML}/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{_OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<workbook xmlns="{_OOXML}/spreadsheetml/2006/main" xmlns:r="{_RELS}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{_OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_with_sheet(sheet_xml: str) -> bytes:
    """A minimal workbook (no styles, no shared strings) around ``sheet_xml``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _PACKAGE_RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return out.getvalue()


def dimension_bomb() -> bytes:
    """The file of finding 1: a declared ``A1:XFD1048576``, one cell in row 1 and one in row
    1,048,576 (and one in column XFD of row 1, for good measure, in the second variant)."""
    return xlsx_with_sheet(
        SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>'
        f'<row r="1">{_cell("A1", "姓名")}</row>'
        f'<row r="1048576">{_cell("A1048576", "张三")}</row>'
        "</sheetData></worksheet>"
    )


def column_bomb() -> bytes:
    return xlsx_with_sheet(
        SHEET_HEAD + '<dimension ref="A1:XFD2"/><sheetData>'
        f'<row r="1">{_cell("A1", "姓名")}{_cell("XFD1", "x")}</row>'
        "</sheetData></worksheet>"
    )


def _local_header(name: bytes, crc: int, packed: int, size: int) -> bytes:
    return struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, zipfile.ZIP_DEFLATED, 0, 0x21, crc, packed, size,
        len(name), 0,
    ) + name  # fmt: skip


def _central_entry(name: bytes, crc: int, packed: int, size: int, offset: int) -> bytes:
    return struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, zipfile.ZIP_DEFLATED, 0, 0x21, crc, packed,
        size, len(name), 0, 0, 0, 0, 0, offset,
    ) + name  # fmt: skip


def deflate_bomb(inflated: int = 2**30, *, declared: int | None = None) -> bytes:
    """A workbook whose sheet XML inflates to ``inflated`` bytes (1 GiB: about 1 MB packed)
    of spaces after a header row; its zip declares ``declared`` (default: the truth).

    Built without compressing a gigabyte: 1 MiB of spaces deflated after a full flush always
    gives the same bytes, so the stream is that piece repeated and an empty final block."""
    head = (SHEET_HEAD + f"<sheetData><row r='1'>{_cell('A1', '姓名')}</row>").encode()
    block = b" " * 2**20
    blocks = inflated // len(block)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    piece = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = piece.compress(block) + piece.flush(zlib.Z_FULL_FLUSH)
    stream = start + repeated * blocks + b"\x03\x00"  # an empty final block
    crc = zlib.crc32(head)
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    size = len(head) + blocks * len(block)
    declared = size if declared is None else declared
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _PACKAGE_RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        entries = [(i.filename, i.header_offset) for i in z.infolist()]
    data = out.getvalue()
    directory_at = struct.unpack("<L", data[-6:-2])[0]
    name = b"xl/worksheets/sheet1.xml"
    sheet_at = directory_at
    local = _local_header(name, crc, len(stream), declared)
    central = data[directory_at:-22] + _central_entry(name, crc, len(stream), declared, sheet_at)
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries) + 1, len(entries) + 1, len(central),
        sheet_at + len(local) + len(stream), 0,
    )  # fmt: skip
    return data[:directory_at] + local + stream + central + end


def measure(path: Path, filename: str, limits: ReadLimits | None = None) -> dict[str, object]:
    """Read ``path`` in a fresh process; its refusal and how much memory the reading took."""
    limits = limits or ReadLimits()
    script = textwrap.dedent(
        f"""
        import json, sys, tracemalloc
        sys.path.insert(0, {str(ROOT)!r})
        from zhifa.registry.tabular import ReadLimits, TableUnreadable, read_table

        def kib(field):  # the process's resident memory now (VmRSS) or at its peak (VmHWM)
            for line in open("/proc/self/status"):
                if line.startswith(field + ":"):
                    return int(line.split()[1])

        limits = ReadLimits({limits.max_bytes}, {limits.max_rows}, {limits.max_columns},
                            {limits.max_inflated})
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # the peak starts again from here
        before = kib("VmRSS")
        tracemalloc.start()
        message = ""
        with open({str(path)!r}, "rb") as source:
            try:
                read_table(source, {filename!r}, limits)
            except TableUnreadable as exc:
                message = f"{{type(exc).__name__}}: {{exc}}"
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(json.dumps({{"message": message, "rss_growth": (kib("VmHWM") - before) * 1024,
                          "traced_peak": peak}}))
        """
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    result: dict[str, object] = json.loads(done.stdout)
    print(f"{path.name}: {result}")  # shown with pytest -s: the figures of the report
    return result


def within_bound(result: dict[str, object]) -> bool:
    rss, traced = result["rss_growth"], result["traced_peak"]
    assert isinstance(rss, int) and isinstance(traced, int)
    return rss < MEMORY_BOUND and traced < MEMORY_BOUND


# -- the bombs, read in their own process --


def test_dimension_bomb_is_refused_at_its_far_row_within_the_memory_bound(tmp_path: Path) -> None:
    data = dimension_bomb()
    assert len(data) < 5000  # the 4.9 KB file of the finding
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    result = measure(path, "bomb.xlsx")
    assert result["message"] == (
        "TableTooLarge: 第1048576行超出导入上限：每个文件最多100000行数据（不含表头），"
        "请删除多余的行或分成几个文件导入"
    )
    assert within_bound(result)


def test_deflate_bomb_is_refused_before_it_inflates_within_the_memory_bound(
    tmp_path: Path,
) -> None:
    data = deflate_bomb()  # 1 GiB of sheet XML
    assert len(data) < 1_100_000
    path = tmp_path / "deflate.xlsx"
    path.write_bytes(data)
    result = measure(path, "deflate.xlsx")
    assert result["message"] == (
        "TableTooLarge: 该.xlsx文件解压后超过256MB，超出导入上限，"
        "请分成几个文件导入，或另存为.csv后导入"
    )
    assert within_bound(result)


def test_sheet_xml_inflating_within_the_budget_is_streamed_not_held(tmp_path: Path) -> None:
    path = tmp_path / "streamed.xlsx"
    path.write_bytes(deflate_bomb(200 * 2**20))  # read through to its (missing) end
    result = measure(path, "streamed.xlsx")
    assert str(result["message"]).startswith("TableUnreadable: 无法读取该.xlsx文件")
    assert within_bound(result)


def test_deflate_bomb_lying_about_its_size_inflates_no_further_than_it_claims(
    tmp_path: Path,
) -> None:
    path = tmp_path / "liar.xlsx"
    path.write_bytes(deflate_bomb(declared=10_000))
    result = measure(path, "liar.xlsx")
    assert str(result["message"]).startswith("TableUnreadable: 无法读取该.xlsx文件")
    assert within_bound(result)


def test_deflate_bomb_is_refused_by_its_declared_size_against_the_configured_budget(
    tmp_path: Path,
) -> None:
    path = tmp_path / "budget.xlsx"
    path.write_bytes(deflate_bomb(64 * 2**20))
    result = measure(path, "budget.xlsx", ReadLimits(max_inflated=32 * 2**20))
    assert result["message"] == (
        "TableTooLarge: 该.xlsx文件解压后超过32MB，超出导入上限，"
        "请分成几个文件导入，或另存为.csv后导入"
    )
    assert within_bound(result)


def test_csv_beyond_the_row_limit_is_refused_at_the_first_row_beyond_it(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("姓名,身份证号码\n")
        for n in range(150_000):
            out.write(f"张{n},13030219850615{n % 1000:03d}X\n")
    result = measure(path, "rows.csv", ReadLimits(max_rows=1000))
    assert result["message"] == (
        "TableTooLarge: 第1002行超出导入上限：每个文件最多1000行数据（不含表头），"
        "请删除多余的行或分成几个文件导入"
    )
    assert within_bound(result)


def test_csv_line_of_only_separators_is_refused_within_the_memory_bound(tmp_path: Path) -> None:
    path = tmp_path / "commas.csv"
    path.write_bytes("姓名\n".encode() + b"," * (40 * 2**20))
    result = measure(path, "commas.csv")
    assert result["message"] == "TableTooLarge: 第2行超过1048576个字符，CSV文件格式可能有误"
    assert within_bound(result)


# -- the same refusals in process: limits, rows and columns named --


def test_a_value_beyond_the_column_limit_is_refused_naming_row_and_column() -> None:
    with pytest.raises(TableTooLarge, match="第1行第XFD列超出导入上限：每行最多50列"):
        read_table(column_bomb(), "wide.xlsx")


def test_an_empty_declared_dimension_does_not_pad_rows() -> None:
    sheet = (
        SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>'
        f'<row r="1">{_cell("A1", "姓名")}{_cell("B1", "职务")}</row>'
        f'<row r="3">{_cell("A3", "张三")}</row>'
        '<row r="900000" ht="20" customHeight="1"/>'
        "</sheetData></worksheet>"
    )
    table = read_table(xlsx_with_sheet(sheet), "t.xlsx")
    assert table.headers == ["姓名", "职务"]
    assert table.rows == [(3, ["张三", ""])]


def test_a_dtd_is_refused() -> None:
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>&a;</t></is></c></row>"
        "</sheetData></worksheet>"
    )
    with pytest.raises(TableUnreadable, match="DTD"):
        read_table(xlsx_with_sheet(sheet), "t.xlsx")


def test_import_limits_come_from_the_settings() -> None:
    assert import_limits() == ReadLimits(50 * 2**20, 100_000, 50, 256 * 2**20)


def test_registry_import_command_refuses_the_dimension_bomb(
    personas: Personas, tmp_path: Path
) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(dimension_bomb())
    with pytest.raises(CommandError, match="第1048576行超出导入上限"):
        call_command("registry_import", "officers", str(path), "--as", "admin")


# -- the upload page --


def admin_client(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.admin)
    return client


def test_upload_page_refuses_the_dimension_bomb_naming_the_row(personas: Personas) -> None:
    upload = io.BytesIO(dimension_bomb())
    upload.name = "人员.xlsx"  # type: ignore[attr-defined]
    response = admin_client(personas).post(
        reverse("registry_import"), {"kind": "officers", "file": upload}
    )
    assert response.status_code == 400
    assert "第1048576行超出导入上限" in response.content.decode()


class _Unread(io.RawIOBase):
    """A request body of ``size`` bytes that counts what is read of it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.size - self.taken)
        buffer[:n] = b"\0" * n
        self.taken += n
        return n

    def read(self, size: int = -1) -> bytes:
        n = self.size - self.taken if size < 0 else min(size, self.size - self.taken)
        self.taken += n
        return b"\0" * n


def test_upload_page_refuses_an_oversized_body_from_its_length_before_reading_it(
    personas: Personas,
) -> None:
    client = admin_client(personas)
    body = _Unread(2**40)  # a terabyte announced
    tracemalloc.start()
    try:
        response = client.generic(
            "POST",
            reverse("registry_import"),
            b"",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(body.size),
            **{"wsgi.input": body},
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 413
    assert "文件超过50MB，请分成几个文件导入" in response.content.decode()
    assert body.taken == 0
    assert peak < MEMORY_BOUND


def test_upload_page_still_checks_csrf_after_the_size(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.admin)
    upload = io.BytesIO()
    write_xlsx(upload, title="t", headers=["姓名"], rows=[["张三"]])
    upload.seek(0)
    upload.name = "t.xlsx"  # type: ignore[attr-defined]
    response = client.post(reverse("registry_import"), {"kind": "officers", "file": upload})
    assert response.status_code == 403
    assert settings.ZHIFA_IMPORT_MAX_BYTES == 50 * 2**20


def test_dates_in_east_asian_built_in_formats_and_the_1904_epoch_read_as_dates() -> None:
    styles = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<styleSheet xmlns="{_OOXML}/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy/m/d"/></numFmts>'
        '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="31"/><xf numFmtId="176"/></cellXfs>'
        "</styleSheet>"
    )
    sheet = (
        SHEET_HEAD + "<sheetData>"
        f'<row r="1">{_cell("A1", "发证日期")}{_cell("B1", "有效期至")}{_cell("C1", "编号")}</row>'
        '<row r="2"><c r="A2" s="1"><v>45352</v></c><c r="B2" s="2"><v>47483</v></c>'
        '<c r="C2"><v>130300000001</v></c></row>'
        "</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _PACKAGE_RELS)
        z.writestr(
            "xl/workbook.xml", _WORKBOOK.replace("<sheets>", '<workbookPr date1904="1"/><sheets>')
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            _WORKBOOK_RELS.replace(
                "</Relationships>",
                f'<Relationship Id="rId2" Type="{_RELS}/styles" Target="styles.xml"/>'
                "</Relationships>",
            ),
        )
        z.writestr("xl/styles.xml", styles)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    table = read_table(out.getvalue(), "dates.xlsx")
    # 1904 epoch: serial 45352 is 2028-03-02 (1,462 days after the 1900 reading 2024-03-01)
    assert table.rows == [(2, ["2028-03-02", "2034-01-01", "130300000001"])]


def test_the_import_page_states_the_limits(personas: Personas) -> None:
    page = admin_client(personas).get(reverse("registry_transfer")).content.decode()
    assert "每个文件不超过50MB、100000行数据（不含表头）、50列" in page


def test_shared_strings_beyond_their_share_of_the_budget_are_refused_unread() -> None:
    """The shared-strings part is the one kept whole in memory: at most an eighth of the
    inflated budget."""
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sst xmlns="{_OOXML}/spreadsheetml/2006/main">'
        + "".join(f"<si><t>字符串{n}</t></si>" for n in range(2000))
        + "</sst>"
    )
    sheet = (
        SHEET_HEAD
        + '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _PACKAGE_RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            _WORKBOOK_RELS.replace(
                "</Relationships>",
                f'<Relationship Id="rId2" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>",
            ),
        )
        z.writestr("xl/sharedStrings.xml", shared)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    data = out.getvalue()
    assert read_table(data, "s.xlsx").headers == ["字符串0"]
    with pytest.raises(TableTooLarge, match="共享字符串表解压后超过8KB"):
        read_table(data, "s.xlsx", ReadLimits(max_inflated=64 * 1024))
