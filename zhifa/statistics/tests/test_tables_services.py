"""The deployment's tables: built from the indicator catalogue, changed only as new versions,
recorded, replayed, and applied by ``tables_for`` to the standard tables."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.record.action_labels import action_label
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import Account
from zhifa.statistics import catalogue
from zhifa.statistics.models import TableDefinition
from zhifa.statistics.penalty_order import ORDER_SHANDONG
from zhifa.statistics.selectors_tables import catalogue_rows, counting_settings, tables_for
from zhifa.statistics.services_tables import (
    may_edit_tables,
    table_active_set,
    table_column_add,
    table_column_hide,
    table_create,
    tables_replay_check,
)

pytestmark = pytest.mark.django_db


def _province(p: Personas) -> Account:
    return registry.account_create(
        actor=p.admin,
        username="province",
        password="x-Passw0rd-long-enough",
        role=Account.Role.SUPERVISOR,
        region_code="130000",
        display_name="省司法厅",
    )


def _codes(order: object = None) -> list[str]:
    return [t.code for t in tables_for()]


def test_without_changes_the_tables_in_force_are_the_standard_ones(personas: Personas) -> None:
    assert [t.code for t in tables_for()] == [t.code for t in catalogue.standard_tables()]
    shandong = tables_for(ORDER_SHANDONG)[0]
    assert shandong.columns == catalogue.penalty_table(ORDER_SHANDONG).columns


def test_hiding_and_adding_a_column_of_a_standard_table_writes_new_versions(
    personas: Personas,
) -> None:
    editor = personas.admin
    v1 = table_column_hide(actor=editor, code="penalty_extended", indicator="penalty.hearing")
    assert v1.version == 1
    ext = next(t for t in tables_for() if t.code == "penalty_extended")
    assert "penalty.hearing" not in ext.columns
    assert ext.kind == "penalty"
    v2 = table_column_add(
        actor=editor, code="penalty_extended", indicator="penalty.hearing", before="penalty.closed"
    )
    assert v2.version == 2
    ext = next(t for t in tables_for() if t.code == "penalty_extended")
    assert ext.columns[:2] == ("penalty.registered", "penalty.hearing")
    assert TableDefinition.objects.filter(code="penalty_extended").count() == 2  # v1 kept
    entry = Entry.objects.get(seq=v2.entry_seq)
    assert entry.action == "statistics.table.version"
    assert entry.data["rows"][f"statistics.tabledefinition:{v2.pk}"]["columns"][1] == (
        "penalty.hearing"
    )
    assert action_label("statistics.table.version") == "调整统计表栏目"
    assert list(tables_replay_check([])) == []


def test_a_deployments_own_table_and_its_deactivation(personas: Personas) -> None:
    editor = _province(personas)
    table_create(
        actor=editor,
        code="qhd_penalty",
        name="行政处罚数据统计（秦皇岛式）",
        columns=["penalty.amount", "penalty.kind.fine", "penalty.simple", "penalty.general"],
        source="本地统计口径",
    )
    assert _codes()[-1] == "qhd_penalty"
    table_active_set(actor=editor, code="qhd_penalty", active=False)
    assert "qhd_penalty" not in _codes()
    table_active_set(actor=editor, code="officers", active=False)  # a standard one too
    assert "officers" not in _codes()
    assert Entry.objects.filter(action="statistics.table.deactivate").count() == 2


def test_tables_refuse_unknown_indicators_duplicates_and_taken_codes(personas: Personas) -> None:
    editor = personas.admin
    with pytest.raises(RuleViolation) as exc:
        table_create(actor=editor, code="mine", name="自定义", columns=["penalty.nonsense"])
    assert "penalty.nonsense" in exc.value.message and exc.value.field == "columns"
    with pytest.raises(RuleViolation):
        table_create(
            actor=editor, code="mine", name="自定义", columns=["penalty.total", "penalty.total"]
        )
    with pytest.raises(RuleViolation):
        table_create(actor=editor, code="penalty", name="重名", columns=["penalty.total"])
    with pytest.raises(RuleViolation):
        table_column_hide(actor=editor, code="penalty", indicator="penalty.hearing")
    assert not TableDefinition.objects.exists()


def test_only_the_system_admin_and_a_province_supervisor_edit_tables(personas: Personas) -> None:
    p = personas
    assert may_edit_tables(p.admin)
    assert may_edit_tables(_province(p))
    for account in (p.supervisor, p.head, p.officer):  # a city's supervisor reads only
        assert not may_edit_tables(account)
        with pytest.raises(RuleViolation) as exc:
            table_create(actor=account, code="mine", name="自定义", columns=["penalty.total"])
        assert "省级" in exc.value.message


def test_zhifa_verify_finds_a_table_changed_behind_the_record(personas: Personas) -> None:
    row = table_create(actor=personas.admin, code="mine", name="自定义", columns=["penalty.total"])
    TableDefinition.objects.filter(pk=row.pk).update(columns=["penalty.amount"])
    assert [p.kind for p in tables_replay_check([])] == ["statistics_table_replay_mismatch"]


def test_the_catalogue_lists_every_indicator_and_the_settings_name_their_source(
    personas: Personas,
) -> None:
    rows = catalogue_rows()
    assert len(rows) == len(catalogue.INDICATORS)
    fine = next(r for r in rows if r.indicator.code == "penalty.kind.fine")
    assert fine.tables == ("行政处罚实施情况统计表",)
    assert fine.origin_label.startswith("系统计算")
    settings = counting_settings()
    assert all(s.source for s in settings)
    assert settings[0].value.startswith("2021年通行顺序")


def test_the_demo_builds_the_qinhuangdao_style_tables_and_challenges_once(
    world: object,
) -> None:
    from zhifa.cases.models import Challenge
    from zhifa.cases.tests.conftest import World
    from zhifa.statistics.demo_tables import QHD_TABLES, load

    assert isinstance(world, World)
    world.decided(decided_on=date(2026, 4, 28))
    lines = load(date(2026, 11, 1))
    assert any("秦皇岛式" in line for line in lines)
    codes = [t.code for t in tables_for()]
    assert [c for c in codes if c.startswith("qhd_")] == [c for c, _, _ in QHD_TABLES]
    disputes = next(t for t in tables_for() if t.code == "qhd_disputes")
    assert "近似" in disputes.name and "39个小项清单未公开" in disputes.source
    assert Challenge.objects.count() == 1
    assert load(date(2026, 11, 1)) == []  # idempotent
    assert list(tables_replay_check([])) == []
