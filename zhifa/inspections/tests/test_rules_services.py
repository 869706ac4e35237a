"""Caps and quiet periods are written by recorded services, within the writer's region; every
row replays against its last entry (``zhifa verify``); the demo ships them with sources."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.inspections import demo_rules, services_rules
from zhifa.inspections.models import Cap, QuietPeriod
from zhifa.record.models import Entry

pytestmark = pytest.mark.django_db
SOURCE = "某省涉企行政检查频次上限（2025年）"


def make_cap(p: Personas, **kw: object) -> Cap:
    args: dict[str, object] = dict(
        actor=p.supervisor,
        name="市场监管县级上限",
        limit=2,
        source=SOURCE,
        counted_grounds=["routine"],
        domain=p.domain,
        level="county",
        region_code="130300",
    )
    args.update(kw)
    return services_rules.cap_create(**args)  # type: ignore[arg-type]


def test_cap_create_records_the_row_with_its_source(personas: Personas) -> None:
    cap = make_cap(personas)
    entry = Entry.objects.filter(action="inspections.cap.create").get()
    assert entry.data["id"] == cap.pk and entry.data["source"] == SOURCE
    assert entry.actor_id == personas.supervisor.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"source": " "}, "source"),
        ({"limit": 0}, "limit"),
        ({"counted_grounds": []}, "counted_grounds"),
        ({"domain": None}, "domain"),
        ({"region_code": "130400"}, "region_code"),  # outside the supervisor's region
        ({"region_code": ""}, "region_code"),  # province-wide: the system administrator's
    ],
)
def test_cap_create_refuses(personas: Personas, change: dict[str, object], field: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        make_cap(personas, **change)
    assert exc.value.field == field
    assert not Entry.objects.filter(action="inspections.cap.create").exists()


def test_an_officer_may_not_set_caps(personas: Personas) -> None:
    with pytest.raises(RuleViolation):
        make_cap(personas, actor=personas.officer)


def test_cap_end_keeps_the_row_and_records_the_reason(personas: Personas) -> None:
    cap = make_cap(personas)
    services_rules.cap_end(actor=personas.supervisor, cap=cap, reason="上级文件废止")
    cap.refresh_from_db()
    assert not cap.active
    entry = Entry.objects.filter(action="inspections.cap.end").get()
    assert entry.data["reason"] == "上级文件废止"


def test_quiet_period_create_and_end(personas: Personas) -> None:
    period = services_rules.quiet_period_create(
        actor=personas.supervisor,
        name="安静期",
        region_code="130300",
        days=[[1, 20]],
        source="交口县双池镇制度第三条",
        valid_from=date(2026, 1, 1),
        exception_grounds=["hazard", "bogus"][:1],
        categories=["industry"],
    )
    assert period.days == [[1, 20]]
    with pytest.raises(RuleViolation):
        services_rules.quiet_period_end(
            actor=personas.supervisor, period=period, on=date(2026, 12, 31), reason=""
        )
    services_rules.quiet_period_end(
        actor=personas.supervisor, period=period, on=date(2026, 12, 31), reason="试行期满"
    )
    period.refresh_from_db()
    assert period.valid_to == date(2026, 12, 31)
    with pytest.raises(RuleViolation) as exc:
        services_rules.quiet_period_create(
            actor=personas.supervisor,
            name="坏",
            region_code="130300",
            days=[[20, 1]],
            source="x",
            valid_from=date(2026, 1, 1),
            exception_grounds=[],
        )
    assert exc.value.field == "days"


def test_replay_finds_a_row_changed_behind_the_log(personas: Personas) -> None:
    cap = make_cap(personas)
    assert list(services_rules.rules_replay_check(iter(()))) == []
    Cap.objects.filter(pk=cap.pk).update(limit=9)
    (problem,) = services_rules.rules_replay_check(iter(()))
    assert problem.kind == "inspection_rule_mismatch"
    QuietPeriod.objects.create(
        name="未记录", region_code="130300", days=[[1, 5]], valid_from=date(2026, 1, 1), source="x"
    )
    kinds = {p.kind for p in services_rules.rules_replay_check(iter(()))}
    assert kinds == {"inspection_rule_mismatch", "inspection_rule_unrecorded"}


def test_demo_ships_the_caps_and_the_quiet_period_with_sources(db: None) -> None:
    assert "新建8项" in demo_rules.load(date(2026, 12, 6))
    assert demo_rules.load(date(2026, 12, 6)).endswith("已存在")
    limits = dict(Cap.objects.filter(name__startswith="煤矿").values_list("risk_class", "limit"))
    assert limits == {"A": 2, "B": 4, "C": 6, "D": 4}
    assert set(Cap.objects.filter(domain__code="health").values_list("level", "limit")) == {
        ("city", 2),
        ("county", 2),
        ("", 4),
    }
    period = QuietPeriod.objects.get()
    assert period.days == [[1, 20]] and period.filing_lead_days == 3
    assert "交口县" in period.source and "商丘" in period.source
    assert all(c.source for c in Cap.objects.all())
    assert list(services_rules.rules_replay_check(iter(()))) == []
