"""The 导入导出 page: templates, scoped exports, all-or-nothing uploads."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.core.testing import Personas, id_number
from zhifa.registry.importing import CERTIFICATE_SCHEMA, OFFICER_SCHEMA
from zhifa.registry.models import Account, Officer
from zhifa.registry.tabular import read_table, write_csv

pytestmark = pytest.mark.django_db


def client_for(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def body(response: object) -> bytes:
    streaming = getattr(response, "streaming_content", None)
    if streaming is not None:
        return b"".join(streaming)
    return bytes(response.content)  # type: ignore[attr-defined]


def officers_csv(rows: list[list[str]]) -> SimpleUploadedFile:
    out = io.BytesIO()
    write_csv(out, OFFICER_SCHEMA.headers, rows)
    return SimpleUploadedFile("人员.csv", out.getvalue(), content_type="text/csv")


def officer_row(serial: int, name: str, agency_code: str, phone: str = "") -> list[str]:
    return [agency_code, name, id_number(serial), phone, "", "否"]


# -- anonymous -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("registry_transfer", []),
        ("registry_template", ["officers", "xlsx"]),
        ("registry_export", ["officers", "csv"]),
    ],
)
def test_anonymous_visitor_is_sent_to_login(personas: Personas, name: str, args: list[str]) -> None:
    response = Client().get(reverse(name, args=args))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_anonymous_upload_is_sent_to_login_and_saves_nothing(personas: Personas) -> None:
    before = Officer.objects.count()
    upload = officers_csv([officer_row(40, "匿名", personas.agency_a.credit_code)])
    response = Client().post(reverse("registry_import"), {"kind": "officers", "file": upload})
    assert response.status_code == 302
    assert Officer.objects.count() == before


# -- the page ------------------------------------------------------------------------------


def test_officer_sees_exports_and_templates_but_no_upload_form(personas: Personas) -> None:
    response = client_for(personas.officer).get(reverse("registry_transfer"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("registry_export", args=["officers", "xlsx"]) in html
    assert reverse("registry_template", args=["power-items", "csv"]) in html
    assert reverse("registry_import") not in html


def test_admin_sees_the_upload_form(personas: Personas) -> None:
    html = client_for(personas.admin).get(reverse("registry_transfer")).content.decode()
    assert reverse("registry_import") in html
    assert 'enctype="multipart/form-data"' in html


# -- exports -------------------------------------------------------------------------------


def test_officer_b_export_has_no_row_of_agency_a(personas: Personas) -> None:
    client = client_for(personas.officer_b)
    response = client.get(reverse("registry_export", args=["officers", "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    table = read_table(body(response), "x.csv")
    assert [cells[1] for _, cells in table.rows] == ["周乙区"]
    text = body(response).decode("utf-8-sig")
    assert personas.agency_a.credit_code not in text
    assert "张执法" not in text

    agencies = client.get(reverse("registry_export", args=["agencies", "xlsx"]))
    sheet = load_workbook(io.BytesIO(body(agencies))).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [personas.agency_b.name]


def test_officer_export_masks_personal_data_but_admin_export_does_not(
    personas: Personas,
) -> None:
    url = reverse("registry_export", args=["officers", "csv"])
    full = id_number(1)
    masked = body(client_for(personas.officer).get(url)).decode("utf-8-sig")
    assert full not in masked
    assert f"{full[:6]}********{full[-4:]}" in masked
    assert full in body(client_for(personas.admin).get(url)).decode("utf-8-sig")


def test_export_is_named_after_the_kind_and_the_day(personas: Personas) -> None:
    response = client_for(personas.supervisor).get(
        reverse("registry_export", args=["certificates", "xlsx"])
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(body(response))).worksheets[0]
    assert [c.value for c in sheet[1]] == CERTIFICATE_SCHEMA.headers
    assert sheet.max_row == 1 + 6  # the six certificates of agencies A and B


def test_unknown_kind_or_format_is_not_found(personas: Personas) -> None:
    client = client_for(personas.admin)
    assert client.get(reverse("registry_export", args=["cases", "csv"])).status_code == 404
    assert client.get(reverse("registry_template", args=["officers", "xls"])).status_code == 404


def test_templates_download_as_xlsx_with_explanation_and_csv_header(personas: Personas) -> None:
    client = client_for(personas.officer)
    xlsx = client.get(reverse("registry_template", args=["agencies", "xlsx"]))
    assert xlsx.status_code == 200
    assert [s.title for s in load_workbook(io.BytesIO(body(xlsx))).worksheets] == [
        "执法主体",
        "说明",
    ]
    csv = client.get(reverse("registry_template", args=["officers", "csv"]))
    assert body(csv).decode("utf-8-sig").strip() == ",".join(OFFICER_SCHEMA.headers)


# -- uploads -------------------------------------------------------------------------------


def test_officer_upload_is_refused_with_the_rule(personas: Personas) -> None:
    before = Officer.objects.count()
    upload = officers_csv([officer_row(41, "越权", personas.agency_a.credit_code)])
    response = client_for(personas.officer).post(
        reverse("registry_import"), {"kind": "officers", "file": upload}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "只有本辖区的系统管理员可以维护执法主体、人员和权责清单" in html
    assert "未导入任何数据" in html
    assert Officer.objects.count() == before


def test_admin_upload_with_bad_rows_shows_the_error_table_and_saves_nothing(
    personas: Personas,
) -> None:
    a = personas.agency_a.credit_code
    before = Officer.objects.count()
    upload = officers_csv(
        [
            officer_row(42, "好人", a),
            officer_row(43, "坏手机", a, phone="12345"),
            officer_row(42, "重复", a),
        ]
    )
    response = client_for(personas.admin).post(
        reverse("registry_import"), {"kind": "officers", "file": upload}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "执法人员导入失败：发现2处错误" in html
    assert "未导入任何数据" in html
    for header in ("行号", "列", "原因"):
        assert f"<th>{header}</th>" in html
    assert '<td class="num">3</td><td>手机号码</td>' in html
    assert '<td class="num">4</td><td>身份证号码</td><td>身份证号码与第2行重复</td>' in html
    assert Officer.objects.count() == before


def test_admin_upload_of_good_rows_reports_the_count(personas: Personas) -> None:
    a = personas.agency_a.credit_code
    upload = officers_csv([officer_row(44, "新一", a), officer_row(45, "新二", a)])
    response = client_for(personas.admin).post(
        reverse("registry_import"), {"kind": "officers", "file": upload}
    )
    assert response.status_code == 200
    assert "导入成功：共导入2条执法人员" in response.content.decode()
    assert set(Officer.objects.filter(name__startswith="新").values_list("name", flat=True)) == {
        "新一",
        "新二",
    }


def test_admin_upload_of_an_unreadable_file_says_why(personas: Personas) -> None:
    upload = SimpleUploadedFile("人员.xlsx", b"not a zip file")
    response = client_for(personas.admin).post(
        reverse("registry_import"), {"kind": "officers", "file": upload}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "无法读取该.xlsx文件" in html
    assert "未导入任何数据" in html
