"""The 检查对象名录库: recorded entity services, the all-or-nothing import with row errors, the
export that imports again, the entity page listing every agency's inspections of the region,
回避 and the link from cases by credit code."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases.tests.conftest import entered_on
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas, credit_code
from zhifa.inspections import services_directory as svc
from zhifa.inspections.models import Conflict, Entity
from zhifa.inspections.selectors_directory import entities_replay_check, entity_for_credit_code
from zhifa.record.models import Entry
from zhifa.registry.exporting import registry_export
from zhifa.registry.importing import registry_import
from zhifa.registry.tabular import read_table, write_csv

from .directory_world import inspection_of, other_city

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 10)
HEADERS = [
    "名称",
    "统一社会信用代码",
    "法定代表人",
    "注册地址",
    "行政区划代码",
    "行业",
    "规模类别",
    "信用风险分类",
    "状态",
]


def _row(serial: int, **kw: str) -> list[str | None]:
    values = {
        "名称": f"示范市甲区青禾食品有限公司{serial}",
        "统一社会信用代码": credit_code(serial, prefix="91"),
        "法定代表人": "张青禾",
        "注册地址": "示范市甲区人民路8号",
        "行政区划代码": "130302",
        "行业": "食品制造业",
        "规模类别": "规模以上工业企业",
        "信用风险分类": "B",
        "状态": "存续",
    }
    values.update(kw)
    return [values[h] for h in HEADERS]


def _csv(rows: list[list[str | None]]) -> bytes:
    out = io.BytesIO()
    write_csv(out, HEADERS, rows)
    return out.getvalue()


def _import(p: Personas, content: bytes, filename: str = "entities.csv"):  # type: ignore[no-untyped-def]
    return registry_import(
        actor=p.admin, kind="entities", content=content, filename=filename, today=DAY
    )


def _entity(p: Personas, serial: int = 501, **kw: str) -> Entity:
    data = {
        "name": f"示范市甲区某某商贸有限公司{serial}",
        "credit_code": credit_code(serial, prefix="91"),
        "division_code": "130302",
        "industry": "批发业",
        "risk_class": "C",
        **kw,
    }
    return svc.entity_create(actor=p.admin, **data)


# -- services --


def test_entity_create_records_the_row_and_validates_the_credit_code(personas: Personas) -> None:
    entity = _entity(personas)
    entry = Entry.objects.get(action="inspections.entity.create")
    assert entry.data["entity"]["credit_code"] == entity.credit_code
    assert entry.data["entity"]["risk_class"] == "C"
    bad = credit_code(502, prefix="91")[:-1] + (
        "0" if credit_code(502, prefix="91")[-1] != "0" else "1"
    )
    with pytest.raises(RuleViolation) as refused:
        _entity(personas, 502, credit_code=bad)
    assert refused.value.field == "credit_code" and "GB 32100-2015" in str(refused.value)
    with pytest.raises(RuleViolation):  # the same code twice
        _entity(personas, 501)


def test_entity_is_never_deleted_it_changes_status_with_before_and_after(
    personas: Personas,
) -> None:
    entity = _entity(personas)
    svc.entity_update(actor=personas.admin, entity=entity, status=Entity.Status.CLOSED)
    entity.refresh_from_db()
    assert entity.status == Entity.Status.CLOSED
    entry = Entry.objects.get(action="inspections.entity.update")
    assert entry.data["changed"] == ["status"]
    assert entry.data["before"] == {"status": "active"}
    # Nothing changed: nothing recorded.
    svc.entity_update(actor=personas.admin, entity=entity, status=Entity.Status.CLOSED)
    assert Entry.objects.filter(action="inspections.entity.update").count() == 1
    assert list(entities_replay_check([])) == []


def test_only_an_administrator_of_the_region_maintains_the_directory(personas: Personas) -> None:
    with pytest.raises(RuleViolation):
        svc.entity_create(
            actor=personas.head,
            name="某公司",
            credit_code=credit_code(503, prefix="91"),
            division_code="130302",
            risk_class="A",
        )


def test_replay_check_finds_an_entity_changed_behind_the_services(personas: Personas) -> None:
    entity = _entity(personas)
    Entity.objects.filter(pk=entity.pk).update(risk_class="D")
    problems = list(entities_replay_check([]))
    assert [p.kind for p in problems] == ["inspections_entity_differs"]


# -- import and export --


def test_import_with_a_bad_credit_code_on_row_3_imports_nothing_and_names_row_and_column(
    personas: Personas,
) -> None:
    bad = credit_code(12, prefix="91")[:-1] + "Z"
    if bad == credit_code(12, prefix="91"):
        bad = bad[:-1] + "Y"
    content = _csv([_row(11), _row(12, 统一社会信用代码=bad), _row(13)])
    result = _import(personas, content)
    assert not result.ok and result.created == 0
    assert [(e.row, e.column) for e in result.errors] == [(3, "统一社会信用代码")]
    assert "第3行「统一社会信用代码」" in str(result.errors[0])
    assert Entity.objects.count() == 0
    assert not Entry.objects.filter(action__startswith="inspections.entity").exists()


def test_import_reports_every_row_error_with_its_column(personas: Personas) -> None:
    content = _csv(
        [
            _row(21, 信用风险分类="E"),
            _row(22, 行政区划代码="12"),
            _row(23, 名称=""),
            _row(21),  # the same code as row 2
        ]
    )
    result = _import(personas, content)
    found = {(e.row, e.column) for e in result.errors}
    assert {(2, "信用风险分类"), (3, "行政区划代码"), (4, "名称"), (5, "统一社会信用代码")} <= found
    assert Entity.objects.count() == 0


def test_import_creates_then_updates_through_the_recorded_services(personas: Personas) -> None:
    result = _import(personas, _csv([_row(31), _row(32)]))
    assert result.ok and result.created == 2
    assert Entry.objects.filter(action="inspections.entity.create").count() == 2
    result = _import(personas, _csv([_row(31, 信用风险分类="D", 状态="经营异常")]))
    assert result.ok
    entity = Entity.objects.get(credit_code=credit_code(31, prefix="91"))
    assert (entity.risk_class, entity.status) == ("D", "abnormal")
    assert Entry.objects.filter(action="inspections.entity.update").count() == 1


def test_import_outside_the_administrators_region_is_a_row_error(personas: Personas) -> None:
    from zhifa.registry import services as registry
    from zhifa.registry.models import Account

    regional = registry.account_create(
        actor=personas.admin,
        username="regional",
        password=None,
        role=Account.Role.ADMIN,
        region_code="130300",
    )
    content = _csv([_row(41), _row(42, 行政区划代码="130402")])
    result = registry_import(
        actor=regional, kind="entities", content=content, filename="e.csv", today=DAY
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "行政区划代码")]
    assert Entity.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_imports_again_unchanged(personas: Personas, fmt: str) -> None:
    rows = [_row(51), _row(52, 规模类别="", 信用风险分类="A"), _row(53, 状态="注销/吊销")]
    assert _import(personas, _csv(rows)).ok
    out = io.BytesIO()
    registry_export(account=personas.admin, kind="entities", fmt=fmt, out=out)
    table = read_table(out.getvalue(), f"e.{fmt}")
    assert table.headers == HEADERS
    assert [cells for _, cells in table.rows] == [[c or "" for c in r] for r in rows]
    entries = Entry.objects.count()
    result = _import(personas, out.getvalue(), f"e.{fmt}")
    assert result.ok and result.created == 3
    assert Entry.objects.count() == entries  # nothing changed, nothing recorded


def test_entities_appear_on_the_registry_transfer_page(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.admin)
    page = client.get(reverse("registry_transfer")).content.decode()
    assert 'value="entities"' in page and "检查对象" in page
    response = client.get(reverse("registry_export", args=["entities", "csv"]))
    assert response.status_code == 200
    template = client.get(reverse("registry_template", args=["entities", "xlsx"]))
    assert template.status_code == 200
    assert read_table(template.content, "t.xlsx").headers == HEADERS


# -- the entity page --


def test_entity_page_lists_inspections_of_two_agencies_to_the_region_only(
    personas: Personas,
) -> None:
    entity = _entity(personas)
    inspection_of(personas, personas.agency_a, entity, date(2026, 3, 2), ground="routine")
    inspection_of(
        personas,
        personas.agency_b,
        entity,
        date(2026, 4, 8),
        ground="special",
        code="HB-1",
        name="排污许可执行情况检查",
    )
    url = reverse("inspections_entity_detail", args=[entity.pk])
    for viewer in (personas.supervisor, personas.officer):
        client = Client()
        client.force_login(viewer)
        page = client.get(url).content.decode()
        table = page.split('id="entity-inspections"', 1)[1].split("</table>", 1)[0]
        assert "示范市甲区市场监督管理局" in table and "示范市乙区生态环境分局" in table
        assert "2026-03-02" in table and "2026-04-08" in table
        assert "日常检查" in table and "专项检查" in table
    _, neighbour = other_city(personas)
    client = Client()
    client.force_login(neighbour)
    page = client.get(url).content.decode()
    table = page.split('id="entity-inspections"', 1)[1].split("</table>", 1)[0]
    assert "示范市甲区市场监督管理局" not in table and "示范市乙区生态环境分局" not in table
    client = Client()
    assert client.get(url).status_code == 302  # anonymous: to the login


def test_entity_list_filters_by_class_category_division_and_status(personas: Personas) -> None:
    _entity(personas, 61, risk_class="A", scale_category="industry")
    _entity(personas, 62, risk_class="D", division_code="130303", status="abnormal")
    client = Client()
    client.force_login(personas.supervisor)
    url = reverse("inspections_entity_list")
    page = client.get(url, {"risk_class": "A"}).content.decode()
    assert "商贸有限公司61" in page and "商贸有限公司62" not in page
    page = client.get(url, {"division": "130303", "status": "abnormal"}).content.decode()
    assert "商贸有限公司62" in page and "商贸有限公司61" not in page
    page = client.get(url, {"category": "industry"}).content.decode()
    assert "商贸有限公司61" in page and "商贸有限公司62" not in page


def test_entity_form_keeps_what_was_typed_on_a_bad_code(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.admin)
    response = client.post(
        reverse("inspections_entity_new"),
        {
            "name": "示范市某某公司",
            "credit_code": "911303021234567890",
            "division_code": "130302",
            "risk_class": "B",
            "status": "active",
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "示范市某某公司" in page and "GB 32100-2015" in page


# -- 回避 and cases --


def test_conflict_is_registered_by_the_head_and_ended_with_a_reason(personas: Personas) -> None:
    with entered_on(DAY):
        _conflict_flow(personas)


def _conflict_flow(personas: Personas) -> None:
    entity = _entity(personas)
    officer = personas.officer_record
    client = Client()
    client.force_login(personas.head)
    url = reverse("inspections_conflict_new", args=[entity.pk])
    response = client.post(url, {"officer": officer.pk, "reason": "近亲属任该公司法定代表人"})
    assert response.status_code == 302
    conflict = Conflict.objects.get()
    assert conflict.officer == officer and conflict.ended_on is None
    assert Entry.objects.filter(action="inspections.conflict.register").exists()
    page = client.get(reverse("inspections_entity_detail", args=[entity.pk])).content.decode()
    assert "近亲属任该公司法定代表人" in page
    with pytest.raises(RuleViolation):  # the officer of another agency is not the head's
        svc.conflict_register(
            actor=personas.head,
            officer=personas.officer_b.officer,  # type: ignore[arg-type]
            entity=entity,
            reason="x",
            on=DAY,
        )
    svc.conflict_end(actor=personas.head, conflict=conflict, on=DAY, reason="已离职")
    conflict.refresh_from_db()
    assert conflict.ended_on == DAY
    assert list(entities_replay_check([])) == []
    # An officer cannot record one.
    client.force_login(personas.officer)
    assert client.post(url, {"officer": officer.pk, "reason": "x"}).status_code == 403


def test_cases_link_to_the_entity_by_credit_code(personas: Personas) -> None:
    from zhifa.cases.models import Party

    entity = _entity(personas)
    assert entity_for_credit_code(entity.credit_code.lower()) == entity
    assert entity_for_credit_code("") is None
    row = inspection_of(personas, personas.agency_a, entity, date(2026, 3, 2))
    Party.objects.create(
        case=row.case,
        kind=Party.Kind.ORGANISATION,
        name=entity.name,
        credit_code=entity.credit_code,
        added_on=date(2026, 3, 2),
    )
    client = Client()
    client.force_login(personas.officer)
    page = client.get(reverse("inspections_entity_detail", args=[entity.pk])).content.decode()
    cases = page.split('id="entity-cases"', 1)[1].split("</ul>", 1)[0]
    assert reverse("case_detail", args=[row.case_id]) in cases
    client.force_login(personas.officer_b)  # B cannot see A's case
    page = client.get(reverse("inspections_entity_detail", args=[entity.pk])).content.decode()
    cases = page.split('id="entity-cases"', 1)[1].split("</ul>", 1)[0]
    assert reverse("case_detail", args=[row.case_id]) not in cases
