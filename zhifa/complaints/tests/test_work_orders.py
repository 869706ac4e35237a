"""12345 work orders from .xlsx: all or nothing, errors with row numbers."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook

from zhifa.complaints import services
from zhifa.complaints.models import Complaint

from .conftest import NOW, World, client_for

pytestmark = pytest.mark.django_db

HEADER = [
    "工单编号",
    "受理日期",
    "被反映单位",
    "执法人员",
    "诉求内容",
    "发生日期",
    "诉求人",
    "联系方式",
]


def sheet(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good(n: str = "GD2026030100001", **kw: Any) -> list[Any]:
    row = {
        "number": n,
        "received": date(2026, 3, 1),
        "agency": "示范市甲区市场监督管理局",
        "officer": "130300000001",
        "facts": "反映执法人员乱罚款",
        "happened": date(2026, 2, 20),
        "name": "刘市民",
        "contact": "13700000000",
    }
    row.update(kw)
    return list(row.values())


def test_a_sheet_of_work_orders_becomes_complaints_received_on_their_day(world: World) -> None:
    content = sheet(
        [good(), good("GD2026030100002", name="", contact="", agency=world.p.agency_b.credit_code)]
    )
    response = client_for(world.supervisor).post(
        reverse("complaint_import"), {"file": _upload(content)}
    )
    assert response.status_code == 303
    first, second = Complaint.objects.order_by("source_ref")
    assert first.origin == "hotline_12345" and first.received_on == date(2026, 3, 1)
    assert first.officer is not None and first.officer.name == "张执法"
    assert second.anonymous and second.agency == world.p.agency_b
    assert first.accept_due == date(2026, 3, 6)  # 5 working days from Sunday 1 March


def test_any_bad_row_refuses_the_whole_sheet_naming_each_row(world: World) -> None:
    content = sheet(
        [
            good(),
            good("GD2", received="2026-13-01"),
            good("GD3", agency="外省某局"),
            good("GD2026030100001"),
            good("GD5", facts=""),
            good("GD6", received=date(2026, 3, 3)),
        ]
    )
    with pytest.raises(services.WorkOrdersRefused) as refused:
        services.complaints_import(
            actor=world.supervisor, content=content, filename="a.xlsx", today=NOW.date()
        )
    errors = refused.value.errors
    assert any(e.startswith("第3行") and "受理日期" in e for e in errors)
    assert any(e.startswith("第4行") and "外省某局" in e for e in errors)
    assert any(e.startswith("第5行") and "重复" in e for e in errors)
    assert any(e.startswith("第6行") and "诉求内容" in e for e in errors)
    assert any(e.startswith("第7行") and "晚于今天" in e for e in errors)
    assert not Complaint.objects.exists()


def test_a_work_order_is_imported_once(world: World) -> None:
    content = sheet([good()])
    services.complaints_import(
        actor=world.supervisor, content=content, filename="a.xlsx", today=NOW.date()
    )
    with pytest.raises(services.WorkOrdersRefused) as refused:
        services.complaints_import(
            actor=world.supervisor, content=content, filename="a.xlsx", today=NOW.date()
        )
    assert refused.value.errors == ["第2行：工单编号GD2026030100001已经导入过"]


def test_the_page_lists_the_errors_and_a_missing_column(world: World) -> None:
    content = sheet([["1"]], header=["工单编号"])
    response = client_for(world.supervisor).post(
        reverse("complaint_import"), {"file": _upload(content)}
    )
    assert response.status_code == 400
    assert "第1行：缺少列" in response.content.decode()


def test_an_agency_outside_the_region_cannot_be_imported_and_others_may_not_import(
    world: World,
) -> None:
    with pytest.raises(services.WorkOrdersRefused):
        services.complaints_import(
            actor=world.other_supervisor,
            content=sheet([good()]),
            filename="a.xlsx",
            today=NOW.date(),
        )
    assert client_for(world.p.head).get(reverse("complaint_import")).status_code == 403


def _upload(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "orders.xlsx",
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
