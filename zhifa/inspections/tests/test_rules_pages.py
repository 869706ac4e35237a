"""The pages of caps and quiet periods, and the supervisor's pages: who may keep the rules, the
refusals shown with their source while the form keeps what was typed, the counts of caps
reached, quiet-period exceptions by ground and agency, and the warnings from the alerts run."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.alerts.services import warnings_refresh
from zhifa.core.testing import Personas
from zhifa.inspections import services_rules
from zhifa.inspections.models import Cap, Entity, QuietPeriod
from zhifa.registry.models import PowerItem

from .conftest import make_entity
from .rules_world import insert, other_agency

pytestmark = pytest.mark.django_db


def client_for(account: object) -> Client:
    c = Client()
    c.force_login(account)  # type: ignore[arg-type]
    return c


def test_supervisor_sets_a_cap_and_everyone_reads_it_with_its_source(personas: Personas) -> None:
    c = client_for(personas.supervisor)
    answer = c.post(
        reverse("inspections_cap_new"),
        {
            "name": "市场监管县级上限",
            "domain": personas.domain.pk,
            "level": "county",
            "region_code": "130300",
            "limit": 2,
            "counted_grounds": ["routine", "random"],
            "source": "某市市场监管局频次上限通知",
        },
    )
    assert answer.status_code == 302
    page = client_for(personas.officer).get(reverse("inspections_caps")).content.decode()
    assert "市场监管县级上限" in page and "某市市场监管局频次上限通知" in page
    assert "日常检查、双随机抽查" in page
    assert "新增上限" not in page  # an officer may not keep the caps


def test_a_refused_cap_keeps_what_was_typed(personas: Personas) -> None:
    c = client_for(personas.supervisor)
    answer = c.post(
        reverse("inspections_cap_new"),
        {
            "name": "外地上限",
            "domain": personas.domain.pk,
            "region_code": "130400",
            "limit": 3,
            "counted_grounds": ["routine"],
            "source": "某文件",
        },
    )
    assert answer.status_code == 409
    text = answer.content.decode()
    assert "只能为本辖区设定规则" in text and 'value="外地上限"' in text
    assert not Cap.objects.exists()


def test_officers_and_anonymous_may_not_keep_the_rules(personas: Personas) -> None:
    assert client_for(personas.officer).get(reverse("inspections_cap_new")).status_code == 403
    assert (
        client_for(personas.head).post(reverse("inspections_quiet_period_end")).status_code == 403
    )
    assert Client().get(reverse("inspections_quiet_periods")).status_code == 302
    assert (
        client_for(personas.officer).get(reverse("inspections_supervision_caps")).status_code == 403
    )


def test_quiet_period_in_segments_with_named_entities_and_its_end(personas: Personas) -> None:
    entity = make_entity(811)
    c = client_for(personas.supervisor)
    form = {
        "name": "甲区企业安静期",
        "region_code": "130302",
        "days": "1-10, 16-25",
        "entity_codes": entity.credit_code,
        "exception_grounds": ["upper", "hazard"],
        "filing_lead_days": 3,
        "filing_to": "营商办",
        "valid_from": "2026-01-01",
        "source": "甲区安静期制度第三条",
    }
    assert c.post(reverse("inspections_quiet_period_new"), form).status_code == 302
    period = QuietPeriod.objects.get()
    assert period.days == [[1, 10], [16, 25]] and list(period.entities.all()) == [entity]
    page = c.get(reverse("inspections_quiet_periods")).content.decode()
    assert "每月1日至10日、16日至25日" in page and "安静期外提前3日报备" in page
    bad = c.post(reverse("inspections_quiet_period_new"), {**form, "days": "20-1"})
    assert bad.status_code == 409 and 'value="20-1"' in bad.content.decode()
    answer = c.post(
        reverse("inspections_quiet_period_end"),
        {"pk": period.pk, "on": "2026-12-31", "reason": "试行期满"},
    )
    assert answer.status_code == 302
    period.refresh_from_db()
    assert period.valid_to == date(2026, 12, 31)


def test_supervisor_sees_caps_reached_overrides_and_exceptions(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    services_rules.cap_create(
        actor=personas.admin,
        name="县级上限",
        limit=2,
        source="上限文件",
        counted_grounds=["routine"],
        domain=personas.domain,
        level="county",
    )
    a = personas.agency_a
    insert(personas, a, inspection_item, entity, date(2026, 3, 2))
    insert(personas, a, inspection_item, entity, date(2026, 4, 2), quiet_exception="hazard")
    insert(
        personas,
        a,
        inspection_item,
        entity,
        date(2026, 5, 2),
        cap_override_reason="重大隐患复查",
        quiet_exception="upper",
    )
    c = client_for(personas.supervisor)
    caps = c.get(reverse("inspections_supervision_caps"), {"year": 2026}).content.decode()
    assert entity.name in caps and "超过上限" in caps and "重大隐患复查" in caps
    quiet = c.get(reverse("inspections_supervision_quiet"), {"year": 2026}).content.decode()
    assert "共2次" in quiet and "安全生产、生态环境、食品药品等领域隐患或事件" in quiet
    assert a.name in quiet


def test_the_warnings_run_feeds_the_supervisors_page(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    a = personas.agency_a
    insert(personas, a, inspection_item, entity, date(2026, 9, 1))
    insert(personas, a, inspection_item, entity, date(2026, 10, 20))
    b, item_b = other_agency(personas, "示范市甲区卫生健康局")
    c_, item_c = other_agency(personas, "示范市甲区应急管理局")
    insert(personas, b, item_b, entity, date(2026, 10, 5))
    insert(personas, c_, item_c, entity, date(2026, 10, 10))
    warnings_refresh(today=date(2026, 10, 20))
    page = (
        client_for(personas.supervisor)
        .get(reverse("inspections_supervision_warnings"))
        .content.decode()
    )
    assert "同一部门短期内重复检查同一企业" in page and "多个部门短期内检查同一企业" in page
    assert "60日内2次" in page and "衢州" in page


def test_the_public_page_shows_the_rules_in_force_with_their_sources(db: None) -> None:
    from zhifa.cases.tests.conftest import entered_on
    from zhifa.inspections import demo_rules

    with entered_on(date(2026, 12, 6)):
        demo_rules.load(date(2026, 12, 6))
        page = Client().get(reverse("inspections_public_rules")).content.decode()
    assert "煤矿安全现场检查·C类年度上限" in page and "河南省工业和信息化厅" in page
    assert "每月1日至20日" in page and "安静期外入企检查提前3日报备" in page
    assert "交口县双池镇" in page
