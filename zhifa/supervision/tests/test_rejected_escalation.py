"""A rectification report the supervisor checked and did not accept (整改未通过) is escalated by the
daily job like an unreported one once its due day has passed: the check sets no new period, the
agency still owes the correction by the same day (条例第二十八条). Boundary on the configured
calendar (day before, day of, day after), once per document however often the job runs, the
same notifications and to-do; a document already escalated before its late report is not
escalated a second time, and its to-do stays until the proposal is followed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client, override_settings

from zhifa.notifications.models import Notification
from zhifa.record.models import Entry
from zhifa.supervision import escalation, services
from zhifa.supervision.models import Document, Escalation
from zhifa.supervision.selectors import supervision_replay_check, supervisor_todos

from .conftest import Bureau
from .test_services import investigating, opinion

pytestmark = pytest.mark.django_db

DUE = date(2026, 4, 1)  # an 意见书 of 3-2: 30 days (《广东省行政执法监督条例》第三十三条)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


def rejected(b: Bureau, doc: Document, reported_on: date, checked_on: date) -> Document:
    services.document_report(actor=b.p.head, document=doc, report="已退还部分罚款", on=reported_on)
    return services.document_check(
        actor=b.sup1, document=doc, accepted=False, note="未全部退还，整改不到位", on=checked_on
    )


def test_the_rule_treats_a_rejected_report_as_still_owed() -> None:
    args = {"kind": "opinion", "status": "rejected", "due_on": DUE, "already": False}
    assert not escalation.should_escalate(**args, today=DUE, suspended=False)  # type: ignore[arg-type]
    assert escalation.should_escalate(**args, today=DUE + timedelta(days=1), suspended=False)  # type: ignore[arg-type]
    for done in ("reported", "accepted", "done"):
        assert not escalation.should_escalate(  # type: ignore[arg-type]
            **{**args, "status": done}, today=DUE + timedelta(days=1), suspended=False
        )


def test_rejected_before_the_due_day_escalated_the_day_after_once(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = rejected(bureau, opinion(bureau, m), date(2026, 3, 20), date(2026, 3, 25))
    assert doc.status == Document.Status.REJECTED and doc.due_on == DUE  # no new period
    assert services.rectifications_escalate(today=DUE - timedelta(days=1)) == []
    assert services.rectifications_escalate(today=DUE) == []  # the due day is still in time
    (esc,) = services.rectifications_escalate(today=DUE + timedelta(days=1))
    assert esc.document == doc and esc.overdue_days == 1
    assert esc.proposal == Escalation.Proposal.DECISION  # 条例第二十九条
    entry = Entry.objects.get(action="supervision.document.escalate")
    assert entry.seq == esc.entry_seq and entry.data["document"] == doc.number
    # Idempotent: the same day again, and later, add nothing.
    assert services.rectifications_escalate(today=DUE + timedelta(days=1)) == []
    assert services.rectifications_escalate(today=DUE + timedelta(days=10)) == []
    assert Escalation.objects.count() == 1
    assert Entry.objects.filter(action="supervision.document.escalate").count() == 1
    assert not list(supervision_replay_check([]))
    # Told: the team and the agency's head, as for an unreported one.
    assert Notification.objects.filter(recipient=bureau.sup1, title__contains="已逾期1日").exists()
    assert (
        Notification.objects.filter(recipient=bureau.p.head, title__contains=doc.number)
        .filter(title__contains="已逾期")
        .exists()
    )
    (todo,) = [
        t
        for t in supervisor_todos(bureau.sup1, DUE + timedelta(days=1))
        if t.key.startswith("sup-escalation")
    ]
    assert "报请本级人民政府制发行政执法监督决定书" in todo.what and todo.overdue


def test_rejected_after_the_due_day_escalated_at_the_next_run(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    # Reported in time; checked (and not accepted) only after the due day.
    services.document_report(actor=bureau.p.head, document=doc, report="已整改", on=DUE)
    assert services.rectifications_escalate(today=DUE + timedelta(days=3)) == []  # reported
    services.document_check(
        actor=bureau.sup1, document=doc, accepted=False, note="整改不到位", on=DUE + timedelta(5)
    )
    (esc,) = services.rectifications_escalate(today=DUE + timedelta(days=6))
    assert esc.document == doc and esc.overdue_days == 6


def test_a_reported_again_rejected_report_is_not_escalated_until_checked(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = rejected(bureau, opinion(bureau, m), date(2026, 3, 20), date(2026, 3, 25))
    services.document_report(actor=bureau.p.head, document=doc, report="已全部退还", on=DUE)
    assert services.rectifications_escalate(today=DUE + timedelta(days=1)) == []


def test_escalated_before_the_late_report_is_not_escalated_again(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    (first,) = services.rectifications_escalate(today=DUE + timedelta(days=1))
    rejected(bureau, doc, DUE + timedelta(days=2), DUE + timedelta(days=3))
    assert services.rectifications_escalate(today=DUE + timedelta(days=4)) == []
    assert Escalation.objects.get() == first
    # The to-do of the first escalation stands: its proposal is not followed yet.
    assert [
        t
        for t in supervisor_todos(bureau.sup1, DUE + timedelta(days=4))
        if t.key == f"sup-escalation:{first.pk}"
    ]


def test_with_a_province_table_the_boundary_is_on_working_days(bureau: Bureau) -> None:
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
        assert due == date(2026, 3, 30)  # a Monday: 20 working days from Monday 3-2
        rejected(bureau, doc, date(2026, 3, 23), date(2026, 3, 24))
        assert services.rectifications_escalate(today=due - timedelta(days=1)) == []
        assert services.rectifications_escalate(today=due) == []
        (esc,) = services.rectifications_escalate(today=due + timedelta(days=1))
        assert esc.unit == "workdays" and esc.overdue_days == 1
        assert esc.basis == "《贵州省行政执法监督办法》第二十三条"


def test_the_workspace_shows_the_rejected_rectification_overdue(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = rejected(bureau, opinion(bureau, m), date(2026, 3, 20), date(2026, 3, 25))
    services.rectifications_escalate(today=DUE + timedelta(days=4))
    with time_machine.travel(
        datetime(2026, 4, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        c = Client()
        c.force_login(bureau.sup1)
        ws = c.get(f"/supervision/matters/{m.pk}/").content.decode()
        h = Client()
        h.force_login(bureau.p.head)
        inbox = h.get(f"/supervision/inbox/{m.pk}/").content.decode()
    expected = "已逾期4日（依据：《广东省行政执法监督条例》第三十三条）"
    for page in (ws, inbox):
        assert f'id="overdue-{doc.pk}"' in page and expected in page and "整改未通过" in page
    assert "已升级" in ws
