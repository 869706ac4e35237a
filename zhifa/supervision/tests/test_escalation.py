"""Overdue rectifications escalated by the daily job ``supervision.escalate``: at the boundary
of the configured calendar (due day → not escalated, the next day → escalated), once per
document however often the job runs, with a non-default ZHIFA_TIME_LIMITS table; what it
proposes (条例第二十九条 决定书 after an ignored 意见书/督办函, 第二十七条 督办函 after an
unexecuted 决定书); who is told; what the workspace, the inbox and the to-dos show."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings

from zhifa.core.jobs import job_named
from zhifa.notifications.models import Notification
from zhifa.record.action_labels import action_label
from zhifa.record.models import Entry
from zhifa.registry.models import Account
from zhifa.supervision import escalation, services
from zhifa.supervision.models import Document, Escalation
from zhifa.supervision.selectors import head_todos, supervision_replay_check, supervisor_todos

from .conftest import Bureau
from .test_services import ON, investigating, opinion

pytestmark = pytest.mark.django_db

DUE = date(2026, 4, 1)  # an 意见书 of 3-2: 30 days (《广东省行政执法监督条例》第三十三条)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


def client_for(account: Account) -> Client:
    c = Client()
    c.force_login(account)
    return c


def test_the_rule_overdue_from_the_day_after_the_due_day() -> None:
    args = {"kind": "opinion", "status": "issued", "due_on": DUE, "already": False}
    assert not escalation.should_escalate(**args, today=DUE, suspended=False)  # type: ignore[arg-type]
    assert escalation.should_escalate(**args, today=DUE + timedelta(days=1), suspended=False)  # type: ignore[arg-type]
    assert not escalation.should_escalate(**args, today=DUE + timedelta(days=1), suspended=True)  # type: ignore[arg-type]
    assert escalation.proposal_for("opinion")[0] == "decision"
    assert "第二十九条" in escalation.proposal_for("urge_letter")[1]
    assert escalation.proposal_for("decision") == (
        "urge_letter",
        "《行政执法监督条例》（国务院令第825号）第二十七条",
    )


def test_due_day_not_escalated_next_day_escalated_rerun_adds_nothing(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    assert doc.due_on == DUE
    assert services.rectifications_escalate(today=DUE - timedelta(days=1)) == []
    assert services.rectifications_escalate(today=DUE) == []
    assert not Escalation.objects.exists()
    (esc,) = services.rectifications_escalate(today=DUE + timedelta(days=1))
    assert esc.document == doc and esc.overdue_days == 1 and esc.unit == "days"
    assert esc.proposal == Escalation.Proposal.DECISION
    assert "广东省行政执法监督条例》第三十三条" in esc.basis
    entry = Entry.objects.get(action="supervision.document.escalate")
    assert entry.seq == esc.entry_seq and entry.role == "system" and entry.actor_id is None
    assert entry.data["matter"] == m.pk and "第二十九条" in entry.data["article"]
    assert action_label("supervision.document.escalate") == "整改逾期升级"
    # Rerun the same day and days later: never a second escalation or entry.
    assert services.rectifications_escalate(today=DUE + timedelta(days=1)) == []
    assert services.rectifications_escalate(today=DUE + timedelta(days=9)) == []
    assert Escalation.objects.count() == 1
    assert Entry.objects.filter(action="supervision.document.escalate").count() == 1
    assert not list(supervision_replay_check([]))


def test_with_a_province_table_the_boundary_moves(bureau: Bureau) -> None:
    table = {
        "supervision.opinion_rectify": {
            "count": 20,
            "unit": "workdays",
            "source": "《贵州省行政执法监督办法》第二十三条",
        }
    }
    with override_settings(ZHIFA_TIME_LIMITS=table):
        doc = opinion(bureau, investigating(bureau))
        due = doc.due_on
        assert due == date(2026, 3, 30)  # 20 working days from Monday 3-2
        assert services.rectifications_escalate(today=due) == []
        # Tuesday after a Monday due day: one working day overdue.
        (esc,) = services.rectifications_escalate(today=due + timedelta(days=1))
        assert esc.unit == "workdays" and esc.overdue_days == 1
        assert esc.basis == "《贵州省行政执法监督办法》第二十三条"
        (todo,) = [
            t
            for t in supervisor_todos(bureau.sup1, due + timedelta(days=1))
            if t.key.startswith("sup-escalation")
        ]
        assert "贵州省行政执法监督办法》第二十三条" in todo.article
        assert "已逾期1个工作日" in todo.what
        assert services.rectifications_escalate(today=due + timedelta(days=7)) == []


def test_who_is_told_and_the_to_do_until_the_decision_is_proposed(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    day = DUE + timedelta(days=3)
    services.rectifications_escalate(today=day)
    assert Notification.objects.filter(recipient=bureau.sup1, title__contains="已逾期3日").exists()
    assert (
        Notification.objects.filter(recipient=bureau.p.head, title__contains=doc.number)
        .filter(title__contains="已逾期")
        .exists()
    )
    (todo,) = [t for t in supervisor_todos(bureau.sup1, day) if t.key.startswith("sup-escalation")]
    assert todo.kind_label == "逾期整改升级"
    assert "报请本级人民政府制发行政执法监督决定书" in todo.what and todo.overdue
    # The proposed step names the article that allows it (条例第二十九条).
    assert todo.note == "建议措施的依据：《行政执法监督条例》（国务院令第825号）第二十九条"
    # Another body's supervisor has none of it.
    assert not [t for t in supervisor_todos(bureau.far, day) if "escalation" in t.key]
    # The government's 决定书 issued on the bureau's proposal ends the to-do.
    services.matter_document_issue(
        actor=bureau.sup1,
        matter=m,
        kind=Document.Kind.DECISION,
        findings="拒不落实意见书",
        requirement="立即撤销第二次罚款决定",
        fields={"approved_by": "示范市人民政府", "approved_on": day.isoformat()},
        on=day,
    )
    assert not [t for t in supervisor_todos(bureau.sup1, day) if "escalation" in t.key]


def test_an_unexecuted_decision_leads_to_an_urge_letter(bureau: Bureau) -> None:
    m = investigating(bureau)
    decision = services.matter_document_issue(
        actor=bureau.sup1,
        matter=m,
        kind=Document.Kind.DECISION,
        findings="重大问题",
        requirement="立即纠正",
        fields={"approved_by": "示范市人民政府", "approved_on": ON.isoformat(), "grave": True},
        on=ON,
    )
    (esc,) = services.rectifications_escalate(today=decision.due_on + timedelta(days=1))  # type: ignore[operator]
    assert esc.proposal == Escalation.Proposal.URGE_LETTER


def test_reported_or_objected_under_suspension_is_not_escalated(bureau: Bureau) -> None:
    m = investigating(bureau)
    reported = opinion(bureau, m)
    services.document_report(actor=bureau.p.head, document=reported, report="已整改", on=ON)
    objected = opinion(bureau, m)
    services.document_objection_file(actor=bureau.p.head, document=objected, reasons="r", on=ON)
    after = DUE + timedelta(days=1)
    with override_settings(ZHIFA_SUPERVISION_OBJECTION_SUSPENDS=True):
        assert services.rectifications_escalate(today=after) == []
    (esc,) = services.rectifications_escalate(today=after)  # the objection does not suspend
    assert esc.document == objected


def test_workspace_and_inbox_show_days_overdue_with_the_basis(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    day = DUE + timedelta(days=4)
    services.rectifications_escalate(today=day)
    with time_machine.travel(
        datetime(2026, 4, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        ws = client_for(bureau.sup1).get(f"/supervision/matters/{m.pk}/").content.decode()
        inbox = client_for(bureau.p.head).get(f"/supervision/inbox/{m.pk}/").content.decode()
        heads = head_todos(bureau.p.head, date(2026, 4, 5))
    expected = "已逾期4日（依据：《广东省行政执法监督条例》第三十三条）"
    assert expected in ws and doc.number in ws
    assert "已升级" in ws and "行政执法监督决定书" in ws
    assert expected in inbox
    assert any(t.overdue and doc.number in t.what for t in heads)


def test_the_daily_job_and_the_command(bureau: Bureau) -> None:
    opinion(bureau, investigating(bureau))
    job = job_named("supervision.escalate")
    assert job is not None
    now = datetime(2026, 4, 2, 1, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert "升级1项逾期整改" in job.run(now)
    assert job.run(now) == "没有新逾期的整改。"
    out = StringIO()
    call_command("supervision_escalate", "--on", "2026-04-03", stdout=out)
    assert "共升级0项逾期整改" in out.getvalue()
