"""Import and export of the registry: all or nothing, every error with its row and column."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from zhifa.core.exceptions import RuleViolation
from zhifa.core.identifiers import is_valid_credit_code, is_valid_resident_id
from zhifa.core.testing import Personas, credit_code, id_number
from zhifa.registry import services
from zhifa.registry.exporting import registry_export, registry_export_rows, registry_template
from zhifa.registry.importing import (
    AGENCY_SCHEMA,
    CERTIFICATE_SCHEMA,
    OFFICER_SCHEMA,
    POWER_ITEM_SCHEMA,
    ImportResult,
    registry_import,
)
from zhifa.registry.models import (
    Account,
    Agency,
    Certificate,
    CertificateStatusChange,
    Domain,
    LegalBasis,
    Officer,
    PowerItem,
)
from zhifa.registry.tabular import TableUnreadable, read_table, write_csv

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
CITY_B = "130400"  # 示范市 B: a region of its own, empty before the tests import into it


def csv_file(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    if encoding == "utf-8-sig":
        out = io.BytesIO()
        write_csv(out, rows[0], rows[1:])
        return out.getvalue()
    text = "\r\n".join(",".join(r) for r in rows) + "\r\n"
    return text.encode(encoding)


def xlsx_file(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(actor: Account, kind: str, content: bytes, filename: str = "data.csv") -> ImportResult:
    return registry_import(actor=actor, kind=kind, content=content, filename=filename, today=TODAY)


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (Agency, Officer, Certificate, CertificateStatusChange, PowerItem, LegalBasis)
    }


def messages(result: ImportResult) -> list[str]:
    return [str(e) for e in result.errors]


def regional_admin(personas: Personas) -> Account:
    return services.account_create(
        actor=personas.admin,
        username="admin_b",
        password="zhifa-test-pass",
        role=Account.Role.ADMIN,
        region_code=CITY_B,
    )


def agency_row(serial: int, name: str, **overrides: str) -> list[str]:
    values = {
        "名称": name,
        "统一社会信用代码": credit_code(serial, division="130402"),
        "层级": "县级",
        "行政区划代码": "130402",
        "主体类别": "法定行政机关",
        "委托机关统一社会信用代码": "",
        "上级主体统一社会信用代码": "",
        "执法领域": "市场监管",
        "主体资格确认公告日期": "",
        "主要职责": "",
        "办公地址": "",
        "监督电话": "",
    } | overrides
    return [values[h] for h in AGENCY_SCHEMA.headers]


def officer_row(serial: int, name: str, agency_code: str, **overrides: str) -> list[str]:
    values = {
        "所属主体统一社会信用代码": agency_code,
        "姓名": name,
        "身份证号码": id_number(serial, division="130402"),
        "手机号码": f"1390000{serial:04d}",
        "职务": "科员",
        "具有法律职业资格": "否",
    } | overrides
    return [values[h] for h in OFFICER_SCHEMA.headers]


# -- round trips ---------------------------------------------------------------------------


def _round_trip_files(personas: Personas) -> dict[str, list[list[str]]]:
    Domain.objects.create(code="transport", name="交通运输")
    city = credit_code(10, division=CITY_B)
    county = credit_code(11, division="130402")
    entrusted = credit_code(12, division="130402", prefix="12")
    agencies = [
        AGENCY_SCHEMA.headers,
        # The county body names its parent, defined further down the file.
        agency_row(11, "示范市B甲县市场监督管理局", 上级主体统一社会信用代码=city,
                   执法领域="市场监管、交通运输", 主体资格确认公告日期="2024-03-01",
                   主要职责="市场监管", 办公地址="甲县人民路1号", 监督电话="0335-1234567"),
        agency_row(10, "示范市B市场监督管理局", 统一社会信用代码=city, 层级="市级",
                   行政区划代码=CITY_B),
        agency_row(12, "甲县综合执法队", 统一社会信用代码=entrusted, 层级="乡镇（街道）",
                   主体类别="受委托组织", 委托机关统一社会信用代码=county),
    ]  # fmt: skip
    officers = [
        OFFICER_SCHEMA.headers,
        officer_row(21, "陈一", county, 具有法律职业资格="是"),
        officer_row(22, "陈二", county, 手机号码="", 职务=""),
    ]
    certificates = [
        CERTIFICATE_SCHEMA.headers,
        ["130400000021", id_number(21, division="130402"), "行政执法证", "市场监管、交通运输",
         "130402", "2025-01-01", "2030-12-31", "有效"],
        ["130400000022", id_number(22, division="130402"), "行政执法证", "市场监管",
         "130402", "", "", "申领"],
    ]  # fmt: skip
    power_items = [
        POWER_ITEM_SCHEMA.headers,
        [county, "330217001000", "对未取得营业执照从事经营活动的处罚", "行政处罚", "市场监管",
         "县级", "《无证无照经营查处办法》第十三条；《行政处罚法》第二十二条",
         "立案→调查取证→告知→决定", "否", "否", "", "已发布"],
        [county, "330217002000", "对企业年度报告的抽查", "行政检查", "市场监管", "乡镇（街道）",
         "《企业信息公示暂行条例》第十四条", "", "是", "是", "示范市B人民政府2025年第3号决定",
         "草稿"],
    ]  # fmt: skip
    return {
        "agencies": agencies,
        "officers": officers,
        "certificates": certificates,
        "power-items": power_items,
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_then_export_gives_back_the_same_table(personas: Personas, fmt: str) -> None:
    actor = regional_admin(personas)
    files = _round_trip_files(personas)
    for kind, rows in files.items():
        content = csv_file(rows) if fmt == "csv" else xlsx_file(list(rows))
        result = run(actor, kind, content, f"{kind}.{fmt}")
        assert result.ok, messages(result)
        assert result.created == len(rows) - 1

    for kind, rows in files.items():
        out = io.BytesIO()
        registry_export(account=actor, kind=kind, fmt=fmt, out=out)
        table = read_table(out.getvalue(), f"export.{fmt}")
        assert table.headers == rows[0]
        assert sorted(cells for _, cells in table.rows) == sorted(rows[1:]), kind


def test_imported_rows_are_written_through_the_services(personas: Personas) -> None:
    actor = regional_admin(personas)
    for kind, rows in _round_trip_files(personas).items():
        assert run(actor, kind, csv_file(rows)).ok
    county = Agency.objects.get(name="示范市B甲县市场监督管理局")
    assert county.parent is not None and county.parent.name == "示范市B市场监督管理局"
    assert Agency.objects.get(name="甲县综合执法队").entrusted_by == county
    cert = Certificate.objects.get(number="130400000021")
    assert cert.status == Certificate.Status.VALID
    assert cert.status_changes.get().effective_on == date(2025, 1, 1)
    item = PowerItem.objects.get(code="330217001000")
    assert item.status == PowerItem.Status.PUBLISHED
    assert item.published_on == TODAY
    assert [(b.law, b.article) for b in item.bases.all()] == [
        ("无证无照经营查处办法", "第十三条"),
        ("行政处罚法", "第二十二条"),
    ]
    assert item.procedure_steps == ["立案", "调查取证", "告知", "决定"]
    assert PowerItem.objects.get(code="330217002000").status == PowerItem.Status.DRAFT


def test_export_of_officer_b_has_no_row_of_agency_a(personas: Personas) -> None:
    _, rows = registry_export_rows(account=personas.officer_b, kind="officers")
    assert [r[1] for r in rows] == ["周乙区"]
    _, certs = registry_export_rows(account=personas.officer_b, kind="certificates")
    assert [r[0] for r in certs] == ["130300000006"]


def test_export_lists_the_published_version_not_a_pending_revision(personas: Personas) -> None:
    item = services.power_item_create(
        actor=personas.admin,
        agency=personas.agency_a,
        code="P1",
        name="旧名称",
        category="penalty",
        domain=personas.domain,
        implementing_level="county",
        bases=[services.Basis("行政处罚法", "第十条")],
    )
    item = services.power_item_publish(actor=personas.admin, item=item, on=TODAY)
    services.power_item_revise(actor=personas.admin, item=item, change_note="改名", name="新名称")
    _, rows = registry_export_rows(account=personas.officer, kind="power-items")
    assert [(r[1], r[2], r[-1]) for r in rows] == [("P1", "旧名称", "已发布")]


# -- all or nothing ------------------------------------------------------------------------


def test_three_bad_rows_are_each_reported_and_nothing_is_saved(personas: Personas) -> None:
    a = personas.agency_a.credit_code
    before = counts()
    result = run(
        personas.admin,
        "officers",
        csv_file(
            [
                OFFICER_SCHEMA.headers,
                officer_row(31, "好一", a),
                officer_row(32, "坏身份证", a, 身份证号码="130402198506150320"),
                officer_row(33, "好二", a),
                officer_row(34, "坏主体", credit_code(99, division="130402")),
                officer_row(35, "坏手机", a, 手机号码="12345"),
                officer_row(36, "好三", a),
            ]
        ),
    )
    assert result.created == 0
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "身份证号码"),
        (5, "所属主体统一社会信用代码"),
        (6, "手机号码"),
    ]
    assert messages(result)[0] == "第3行「身份证号码」：居民身份证号码校验码错误（GB 11643-1999）"
    assert "未找到统一社会信用代码为" in messages(result)[1]
    assert "手机号码应为11位数字" in messages(result)[2]
    assert counts() == before


def test_wrong_check_digit_of_credit_code_is_reported_on_its_cell(personas: Personas) -> None:
    good = credit_code(40, division="130402")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    result = run(
        personas.admin,
        "agencies",
        csv_file([AGENCY_SCHEMA.headers, agency_row(40, "某局", 统一社会信用代码=bad)]),
    )
    assert messages(result) == [
        "第2行「统一社会信用代码」：统一社会信用代码校验位错误（GB 32100-2015）"
    ]
    assert not Agency.objects.filter(name="某局").exists()


def test_unknown_domain_is_reported(personas: Personas) -> None:
    result = run(
        personas.admin,
        "agencies",
        csv_file([AGENCY_SCHEMA.headers, agency_row(41, "某局", 执法领域="市场监管、天文")]),
    )
    assert messages(result) == ["第2行「执法领域」：执法领域“天文”不存在"]


def test_label_that_is_not_a_choice_lists_the_allowed_labels(personas: Personas) -> None:
    result = run(
        personas.admin,
        "agencies",
        csv_file([AGENCY_SCHEMA.headers, agency_row(42, "某局", 层级="区级")]),
    )
    assert messages(result) == ["第2行「层级」：“区级”无效，可填：省级、市级、县级、乡镇（街道）"]


def test_duplicate_within_the_file_names_both_rows(personas: Personas) -> None:
    a = personas.agency_a.credit_code
    result = run(
        personas.admin,
        "officers",
        csv_file(
            [
                OFFICER_SCHEMA.headers,
                officer_row(51, "甲", a),
                officer_row(52, "乙", a),
                officer_row(51, "丙", a),
            ]
        ),
    )
    assert messages(result) == ["第4行「身份证号码」：身份证号码与第2行重复"]
    assert not Officer.objects.filter(name="甲").exists()


def test_duplicate_power_item_code_of_one_agency_names_both_rows(personas: Personas) -> None:
    a = personas.agency_a.credit_code
    row = [
        a,
        "X1",
        "事项",
        "行政处罚",
        "市场监管",
        "县级",
        "《行政处罚法》第十条",
        "",
        "",
        "",
        "",
        "",
    ]
    result = run(personas.admin, "power-items", csv_file([POWER_ITEM_SCHEMA.headers, row, row]))
    assert messages(result) == ["第3行「事项编码」：同一实施主体的事项编码与第2行重复"]


def test_missing_required_header_is_reported_once_against_row_1(personas: Personas) -> None:
    headers = [h for h in OFFICER_SCHEMA.headers if h != "身份证号码"]
    rows = [[v for h, v in zip(OFFICER_SCHEMA.headers, officer_row(n, "某", "x"), strict=True)
             if h != "身份证号码"] for n in (1, 2, 3)]  # fmt: skip
    result = run(personas.admin, "officers", csv_file([headers, *rows]))
    assert messages(result) == ["第1行「身份证号码」：缺少必填列"]


def test_headers_marked_with_an_asterisk_are_recognised(personas: Personas) -> None:
    headers = [f"{h}*" if OFFICER_SCHEMA.column(h).required else h for h in OFFICER_SCHEMA.headers]
    a = personas.agency_a.credit_code
    result = run(personas.admin, "officers", csv_file([headers, officer_row(61, "星号", a)]))
    assert result.ok, messages(result)


def test_a_rule_of_the_service_is_reported_on_its_column(personas: Personas) -> None:
    result = run(
        personas.admin,
        "agencies",
        csv_file([AGENCY_SCHEMA.headers, agency_row(62, "某队", 主体类别="受委托组织")]),
    )
    assert messages(result) == [
        "第2行「委托机关统一社会信用代码」：受委托组织必须写明委托机关（《行政处罚法》第二十条）"
    ]


def test_already_registered_credit_code_is_refused(personas: Personas) -> None:
    row = agency_row(63, "甲区", 统一社会信用代码=personas.agency_a.credit_code)
    result = run(personas.admin, "agencies", csv_file([AGENCY_SCHEMA.headers, row]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "统一社会信用代码")]
    assert "已登记" in result.errors[0].message


def test_basis_not_written_as_law_and_article_is_reported(personas: Personas) -> None:
    a = personas.agency_a.credit_code
    row = [a, "X2", "事项", "行政处罚", "市场监管", "县级", "《行政处罚法》第十条；行政处罚法",
           "", "", "", "", ""]  # fmt: skip
    result = run(personas.admin, "power-items", csv_file([POWER_ITEM_SCHEMA.headers, row]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "设定依据")]
    assert "“行政处罚法”无法识别" in result.errors[0].message


# -- references within the file ------------------------------------------------------------


def test_reference_to_a_body_defined_later_in_the_file_works(personas: Personas) -> None:
    parent = credit_code(70, division="130302")
    result = run(
        personas.admin,
        "agencies",
        csv_file(
            [
                AGENCY_SCHEMA.headers,
                agency_row(71, "下级", 行政区划代码="130302", 上级主体统一社会信用代码=parent),
                agency_row(70, "上级", 统一社会信用代码=parent, 行政区划代码="130300"),
            ]
        ),
    )
    assert result.ok, messages(result)
    assert result.created == 2
    child = Agency.objects.get(name="下级")
    assert child.parent is not None and child.parent.credit_code == parent


def test_bodies_referring_to_each_other_in_a_circle_are_refused(personas: Personas) -> None:
    one, two = credit_code(72, division="130402"), credit_code(73, division="130402")
    result = run(
        personas.admin,
        "agencies",
        csv_file(
            [
                AGENCY_SCHEMA.headers,
                agency_row(72, "甲", 上级主体统一社会信用代码=two),
                agency_row(73, "乙", 上级主体统一社会信用代码=one),
            ]
        ),
    )
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "上级主体统一社会信用代码"),
        (3, "上级主体统一社会信用代码"),
    ]
    assert "循环" in result.errors[0].message


def test_reference_to_a_bad_row_says_which_row(personas: Personas) -> None:
    parent = credit_code(74, division="130402")
    result = run(
        personas.admin,
        "agencies",
        csv_file(
            [
                AGENCY_SCHEMA.headers,
                agency_row(75, "下级", 上级主体统一社会信用代码=parent),
                agency_row(74, "上级", 统一社会信用代码=parent, 层级=""),
            ]
        ),
    )
    assert messages(result) == [
        "第2行「上级主体统一社会信用代码」：所引用的第3行执法主体有错误，未能导入",
        "第3行「层级」：必填项不能为空",
    ]


# -- who may import, what may be imported --------------------------------------------------


def test_import_is_refused_for_a_non_admin(personas: Personas) -> None:
    content = csv_file([OFFICER_SCHEMA.headers, officer_row(80, "某", "x")])
    with pytest.raises(
        RuleViolation, match="只有本辖区的系统管理员可以维护执法主体、人员和权责清单"
    ):
        run(personas.officer, "officers", content)


def test_regional_admin_cannot_import_a_body_outside_its_region(personas: Personas) -> None:
    actor = regional_admin(personas)
    row = agency_row(81, "外区", 统一社会信用代码=credit_code(81), 行政区划代码="130302")
    result = run(actor, "agencies", csv_file([AGENCY_SCHEMA.headers, row]))
    assert messages(result) == ["第2行「行政区划代码」：该执法主体不在您的管辖范围内，不能导入"]
    assert not Agency.objects.filter(name="外区").exists()


def test_regional_admin_cannot_add_officers_to_a_body_it_cannot_see(personas: Personas) -> None:
    actor = regional_admin(personas)
    a = personas.agency_a.credit_code
    result = run(actor, "officers", csv_file([OFFICER_SCHEMA.headers, officer_row(82, "某", a)]))
    assert messages(result) == [
        f"第2行「所属主体统一社会信用代码」：未找到统一社会信用代码为{a}的执法主体"
        "（或不在您的管辖范围内）"
    ]


# -- reading files -------------------------------------------------------------------------


def test_gbk_encoded_csv_from_excel_is_read(personas: Personas) -> None:
    a = personas.agency_a.credit_code
    rows = [OFFICER_SCHEMA.headers, officer_row(90, "欧阳锋", a, 职务="副科长")]
    result = run(personas.admin, "officers", csv_file(rows, encoding="gbk"))
    assert result.ok, messages(result)
    assert Officer.objects.get(name="欧阳锋").position == "副科长"


def test_xlsx_with_date_cells_and_numbers_is_read(personas: Personas) -> None:
    officer = personas.officer_record
    excel_date = datetime(2026, 1, 5)  # noqa: DTZ001 - an Excel date cell has no time zone
    row: list[object] = ["NEW-1", officer.id_number, "行政执法监督证", "市场监管", 130302,
                         excel_date, "2031/1/4", "有效"]  # fmt: skip
    result = run(
        personas.admin,
        "certificates",
        xlsx_file([CERTIFICATE_SCHEMA.headers, [], row]),
        "证件.xlsx",
    )
    assert result.ok, messages(result)
    cert = Certificate.objects.get(number="NEW-1")
    assert (cert.issued_on, cert.expires_on) == (date(2026, 1, 5), date(2031, 1, 4))


def test_blank_rows_keep_the_row_numbers_the_user_sees(personas: Personas) -> None:
    rows: list[list[object]] = [CERTIFICATE_SCHEMA.headers, [], []]
    rows.append(["N2", "130302198506150000", "行政执法证", "市场监管", "130302", "", "", "有效"])
    result = run(personas.admin, "certificates", xlsx_file(rows), "c.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(4, "持证人身份证号码")]


def test_old_excel_format_is_refused_with_advice(personas: Personas) -> None:
    with pytest.raises(TableUnreadable, match=r"另存为\.xlsx"):
        run(personas.admin, "officers", b"\xd0\xcf\x11\xe0", "人员.xls")


def test_csv_cell_that_looks_like_a_formula_is_escaped_and_read_back() -> None:
    out = io.BytesIO()
    write_csv(out, ["名称"], [["=1+1"], ["-5"], ["\t=1+1"], ["@A1"]])
    assert out.getvalue().startswith("\ufeff".encode())
    written = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert written == [["名称"], ["'=1+1"], ["'-5"], ["'\t=1+1"], ["'@A1"]]
    assert [cells for _, cells in read_table(out.getvalue(), "x.csv").rows] == [
        ["=1+1"],
        ["-5"],
        ["=1+1"],  # the apostrophe removed; reading trims the surrounding blanks of every cell
        ["@A1"],
    ]


# -- templates -----------------------------------------------------------------------------


def test_xlsx_template_has_the_header_row_and_an_explanation_sheet() -> None:
    out = io.BytesIO()
    registry_template(kind="certificates", fmt="xlsx", out=out)
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    data, notes = workbook.worksheets
    assert [c.value for c in data[1]] == CERTIFICATE_SCHEMA.headers
    assert data.max_row == 1
    assert notes.title == "说明"
    explained = {row[0]: row[2] for row in notes.iter_rows(min_row=4, values_only=True)}
    assert "申领、有效、暂扣、注销、收回" in str(explained["状态"])


def test_csv_template_is_the_header_row_only() -> None:
    out = io.BytesIO()
    registry_template(kind="power-items", fmt="csv", out=out)
    table = read_table(out.getvalue(), "t.csv")
    assert table.headers == POWER_ITEM_SCHEMA.headers
    assert table.rows == []


# -- commands ------------------------------------------------------------------------------


def test_import_command_prints_every_error_and_fails(personas: Personas, tmp_path: Path) -> None:
    a = personas.agency_a.credit_code
    path = tmp_path / "人员.csv"
    path.write_bytes(
        csv_file(
            [
                OFFICER_SCHEMA.headers,
                officer_row(91, "甲", a, 手机号码="1"),
                officer_row(92, "乙", a, 姓名=""),
            ]
        )
    )
    before = counts()
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="发现2处错误，未导入任何数据"):
        call_command("registry_import", "officers", str(path), "--as", "admin", stderr=stderr)
    lines = stderr.getvalue().splitlines()
    assert lines[0].startswith("第2行「手机号码」：")
    assert lines[1] == "第3行「姓名」：必填项不能为空"
    assert counts() == before


def test_import_command_refuses_a_non_admin(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "人员.csv"
    path.write_bytes(csv_file([OFFICER_SCHEMA.headers, officer_row(93, "甲", "x")]))
    with pytest.raises(CommandError, match="只有本辖区的系统管理员"):
        call_command("registry_import", "执法人员", str(path), "--as", "p1")


def test_export_command_writes_the_format_of_the_suffix(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "证件.xlsx"
    stdout = io.StringIO()
    call_command("registry_export", "certificates", str(path), "--as", "p6", stdout=stdout)
    table = read_table(path.read_bytes(), path.name)
    assert [cells[0] for _, cells in table.rows] == ["130300000006"]
    assert "已导出执法证件" in stdout.getvalue()


def test_a_filled_in_xlsx_template_imports(personas: Personas) -> None:
    out = io.BytesIO()
    registry_template(kind="officers", fmt="xlsx", out=out)
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    workbook.worksheets[0].append(officer_row(94, "模板", personas.agency_a.credit_code))
    filled = io.BytesIO()
    workbook.save(filled)
    result = run(personas.admin, "officers", filled.getvalue(), "模板.xlsx")
    assert result.ok, messages(result)
    assert result.created == 1


def test_every_example_in_the_templates_is_a_valid_identifier() -> None:
    for schema in (AGENCY_SCHEMA, OFFICER_SCHEMA, CERTIFICATE_SCHEMA, POWER_ITEM_SCHEMA):
        for column in schema.columns:
            if column.example and column.header.endswith("统一社会信用代码"):
                assert is_valid_credit_code(column.example), column.header
            if column.example and column.header.endswith("身份证号码"):
                assert is_valid_resident_id(column.example), column.header
