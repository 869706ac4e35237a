"""Apps beside alerts add their rules (filings: 重大处罚决定未按期备案; complaints: 投诉集中于
同一执法人员) and their facts' pages by registration, and their to-do items reach the
supervisor's dashboard through ``zhifa.todos``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from zhifa.alerts import rules as alert_rules
from zhifa.alerts.models import Warning
from zhifa.alerts.rules import Fact, Finding, Rule, RuleSetting, fires, register_rule
from zhifa.alerts.selectors import fact_url, register_fact_url, todo_counts
from zhifa.alerts.services import warnings_refresh
from zhifa.core.testing import Personas
from zhifa.registry.models import Account
from zhifa.todos import items as todo_items
from zhifa.todos.items import Todo, register_todo_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing_rule(personas: Personas) -> Iterator[Rule]:
    agency = personas.agency_a

    def collect(setting: RuleSetting, today: date) -> list[Finding]:
        late = 3  # filings not filed in time, as the filings app would count them
        if not fires(late, setting, "at_least"):
            return []
        return [
            Finding(
                subject=f"agency:{agency.pk}",
                agency_id=agency.pk,
                division_code=agency.division_code,
                title=f"{agency.name}：{late}件重大行政处罚决定未按期备案",
                measure=Decimal(late),
                facts=(Fact("filing", 7, "示市监罚〔2026〕3号", "应于2026年5月15日前备案"),),
            )
        ]

    rule = register_rule(
        Rule(
            code="filing_late",
            label="重大行政处罚决定未按期备案",
            article="《四川省行政执法监督条例》第三十六条",
            measure_label="未按期备案件数",
            default=RuleSetting(True, Decimal(1), 0, "《四川省行政执法监督条例》第三十六条"),
            collect=collect,
            order=80,
        )
    )
    yield rule
    alert_rules._RULES.pop("filing_late")


def test_a_registered_rule_runs_with_the_others(filing_rule: Rule) -> None:
    warnings_refresh(today=date(2026, 6, 1), rules=[filing_rule])
    w = Warning.objects.get(rule="filing_late")
    assert w.measure == 3 and w.facts[0]["kind"] == "filing"
    assert fact_url(w.facts[0]) == ""  # no page registered for filings: shown without a link
    register_fact_url("filing", "agency_detail")  # any page with a pk, for the test
    assert fact_url(w.facts[0]) == "/registry/agencies/7/"


def test_the_supervisors_todo_counts_come_from_the_registered_sources(
    personas: Personas, client: Client
) -> None:
    def source(account: Account, today: date) -> list[Todo]:
        return [
            Todo(
                key="c1",
                kind="complaint_accept",
                kind_label="待受理投诉",
                what="投诉1",
                url="/",
                due_on=date(2026, 5, 30),
                remaining=-2,
                unit="工作日",
            ),
            Todo(
                key="c2",
                kind="complaint_accept",
                kind_label="待受理投诉",
                what="投诉2",
                url="/",
                due_on=date(2026, 6, 5),
                remaining=3,
                unit="工作日",
            ),
        ]

    register_todo_source(("supervisor",), source)
    try:
        counts = todo_counts(personas.supervisor, date(2026, 6, 1))
        assert [(c.label, c.count, c.overdue) for c in counts if c.kind == "complaint_accept"] == [
            ("待受理投诉", 2, 1)
        ]
        client.force_login(personas.supervisor)
        assert "待受理投诉" in client.get("/supervision/dashboard/").content.decode()
    finally:
        todo_items._sources["supervisor"].remove(source)
