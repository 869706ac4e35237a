"""Approval requests (提请审批): an officer asks, the head approves by taking the step or
returns with a reason, the requester is told; each on the case's record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from zhifa.approvals import services
from zhifa.approvals.models import ApprovalRequest
from zhifa.approvals.selectors import approval_queue
from zhifa.cases import services as cases
from zhifa.cases.tests.conftest import World, entered_on
from zhifa.core.exceptions import RuleViolation
from zhifa.notifications.models import Notification
from zhifa.record.models import Entry
from zhifa.registry.models import Account
from zhifa.todos.items import todos_for

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 10, tzinfo=SH)
R = ApprovalRequest.State


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def last_entry(case_id: int) -> Entry:
    found = Entry.objects.filter(case_id=case_id).order_by("-seq").first()
    assert found is not None
    return found


def ask(
    world: World, case: Any, service: str = "case_register", note: str = "证据确凿，建议立案"
) -> ApprovalRequest:
    return services.approval_request(actor=world.p.officer, case=case, service=service, note=note)


# -- the services -----------------------------------------------------------------------------


def test_approval_request_records_the_note_and_notifies_the_heads(world: World) -> None:
    clue = world.clue()
    row = ask(world, clue)
    assert row.state == R.PENDING
    entry = last_entry(clue.pk)
    assert entry.action == "approval.request"
    data = json.loads(entry.payload)
    assert data["service"] == "case_register" and data["note"] == "证据确凿，建议立案"
    note = Notification.objects.get(recipient=world.p.head)
    assert "立案审批" in note.title and note.case_id == clue.pk
    assert not Notification.objects.filter(recipient=world.p.officer).exists()


def test_approval_request_refuses_a_step_that_is_not_the_heads(world: World) -> None:
    case = world.registered()
    with pytest.raises(RuleViolation, match="不是此阶段须经负责人审批的事项") as exc:
        ask(world, case, "case_investigate")
    assert "第五十七条" in exc.value.article
    assert not ApprovalRequest.objects.exists()


def test_approval_request_refuses_an_empty_note(world: World) -> None:
    with pytest.raises(RuleViolation, match="写明") as exc:
        ask(world, world.clue(), note="  ")
    assert exc.value.field == "note"


def test_approval_request_refuses_a_second_pending_request_for_the_same_step(world: World) -> None:
    clue = world.clue()
    ask(world, clue)
    with pytest.raises(RuleViolation, match="已提请审批"):
        ask(world, clue)


def test_approval_request_refuses_an_officer_of_another_agency(world: World) -> None:
    with pytest.raises(RuleViolation, match="本机关"):
        services.approval_request(
            actor=world.p.officer_b, case=world.clue(), service="case_register", note="x"
        )


def test_the_head_taking_the_step_approves_the_request_and_tells_the_requester(
    world: World,
) -> None:
    clue = world.clue()
    row = ask(world, clue)
    with entered_on(date(2026, 3, 4)):
        cases.case_register(actor=world.p.head, case=clue, on=date(2026, 3, 4), opinion="同意")
    row.refresh_from_db()
    assert row.state == R.APPROVED and row.answered_by == world.p.head
    actions = list(Entry.objects.filter(case_id=clue.pk).values_list("action", flat=True))
    assert actions[-2:] == ["case.register", "approval.approve"]
    told = Notification.objects.get(recipient=world.p.officer)
    assert told.title.startswith("立案审批已批准")


def test_approval_return_needs_a_reason_and_tells_the_requester(world: World) -> None:
    clue = world.clue()
    row = ask(world, clue)
    with pytest.raises(RuleViolation, match="理由"):
        services.approval_return(actor=world.p.head, request=row, reason="")
    services.approval_return(actor=world.p.head, request=row, reason="证据不足，补充核查")
    row.refresh_from_db()
    assert row.state == R.RETURNED and row.reason == "证据不足，补充核查"
    assert last_entry(clue.pk).action == "approval.return"
    told = Notification.objects.get(recipient=world.p.officer)
    assert "被退回" in told.title and "证据不足" in told.body
    # Returned, the officer sees it again on their list.
    keys = [t.key for t in todos_for(world.p.officer, NOW.date())]
    assert f"returned:{row.pk}" in keys


def test_approval_return_is_the_heads(world: World) -> None:
    row = ask(world, world.clue())
    with pytest.raises(RuleViolation, match="负责人批准"):
        services.approval_return(actor=world.p.officer2, request=row, reason="不同意")


def test_approval_withdraw_is_the_requesters_and_recorded(world: World) -> None:
    clue = world.clue()
    row = ask(world, clue)
    with pytest.raises(RuleViolation, match="提请人"):
        services.approval_withdraw(actor=world.p.officer2, request=row)
    services.approval_withdraw(actor=world.p.officer, request=row)
    row.refresh_from_db()
    assert row.state == R.WITHDRAWN
    assert last_entry(clue.pk).action == "approval.withdraw"


def test_a_request_lapses_when_the_case_moves_where_the_step_is_impossible(world: World) -> None:
    clue = world.clue()
    row = ask(world, clue)
    with entered_on(date(2026, 3, 4)):
        cases.case_not_register(
            actor=world.p.head, case=clue, on=date(2026, 3, 4), reason="不属于本机关管辖"
        )
    row.refresh_from_db()
    assert row.state == R.LAPSED
    assert last_entry(clue.pk).action == "approval.lapse"


# -- the head's queue -------------------------------------------------------------------------


def test_queue_puts_the_request_with_the_nearest_deadline_first_with_its_basis(
    world: World,
) -> None:
    later = world.clue(date(2026, 3, 9))
    sooner = world.clue(date(2026, 3, 2))
    ask(world, later)
    items = sorted(approval_queue(world.p.head, NOW.date()), key=lambda t: (t.due_on, t.key))
    first = todos_for(world.p.head, NOW.date())[0]
    assert first.case_id == sooner.pk == items[0].case_id
    # 15 working days from 2026-03-02 (《市场监督管理行政处罚程序规定》第十八条)
    assert first.due_on == date(2026, 3, 23)
    assert "第十八条" in first.article
    requested = next(t for t in items if t.case_id == later.pk)
    assert requested.key.startswith("approval:") and "证据确凿" in requested.note


def test_queue_leaves_archiving_out_and_counts_it_apart(world: World) -> None:
    clue = world.clue()
    with entered_on(date(2026, 3, 4)):
        cases.case_not_register(actor=world.p.head, case=clue, on=date(2026, 3, 4), reason="无")
    assert all(t.case_id != clue.pk for t in approval_queue(world.p.head, NOW.date()))
    page = text(client_for(world.p.head).get(reverse("case_approvals")))
    assert "件已办结案件等待归档" in page


def test_approvals_page_filters_by_kind_and_case(world: World) -> None:
    clue = world.clue()
    case = world.registered(date(2026, 3, 5), clue_on=date(2026, 3, 5))
    client = client_for(world.p.head)
    page = text(client.get(reverse("case_approvals"), {"kind": "case_register"}))
    assert f"/cases/{clue.pk}/" in page
    assert f"/cases/{case.pk}/#" not in page
    page = text(client.get(reverse("case_approvals"), {"case": "没有这样的案件"}))
    assert f"/cases/{clue.pk}/" not in page


# -- the pages --------------------------------------------------------------------------------


def request_url(case: Any, what: str = "request") -> str:
    return reverse(f"approval_{what}", kwargs={"pk": case.pk})


def test_officer_requests_from_the_workspace(world: World) -> None:
    clue = world.clue()
    client = client_for(world.p.officer)
    page = text(client.get(reverse("case_detail", kwargs={"pk": clue.pk})))
    assert "提请立案审批" in page
    response = client.post(request_url(clue), {"service": "case_register", "note": "请审批"})
    assert response.status_code == 302
    assert ApprovalRequest.objects.get().note == "请审批"
    head_page = text(client_for(world.p.head).get(reverse("case_detail", kwargs={"pk": clue.pk})))
    assert "请审批" in head_page and "退回理由" in head_page


def test_a_refused_request_keeps_the_note_and_cites_the_article(world: World) -> None:
    clue = world.clue()
    ask(world, clue)
    response = client_for(world.p.officer).post(
        request_url(clue), {"service": "case_register", "note": "再次提请的说明"}
    )
    assert response.status_code == 409
    page = text(response)
    assert "再次提请的说明" in page and "第五十七条" in page


def test_head_returns_from_the_workspace(world: World) -> None:
    clue = world.clue()
    ask(world, clue)
    response = client_for(world.p.head).post(
        request_url(clue, "return"), {"service": "case_register", "reason": "补充证据"}
    )
    assert response.status_code == 302
    assert ApprovalRequest.objects.get().state == R.RETURNED


def test_return_without_a_pending_request_is_refused_with_a_message(world: World) -> None:
    clue = world.clue()
    response = client_for(world.p.head).post(
        request_url(clue, "return"), {"service": "case_register", "reason": "补充证据"}
    )
    assert response.status_code == 409 and "没有待审批" in text(response)


@pytest.mark.parametrize("what", ["request", "return", "withdraw"])
def test_approval_posts_answer_404_to_another_agency_and_login_to_anonymous(
    world: World, what: str
) -> None:
    clue = world.clue()
    url = request_url(clue, what)
    data = {"service": "case_register", "note": "x", "reason": "x"}
    assert client_for(world.p.officer_b).post(url, data).status_code == 404
    response = Client().post(url, data)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not ApprovalRequest.objects.exists() or what != "request"


def test_approvals_page_is_scoped_and_needs_a_login(world: World) -> None:
    clue = world.clue()
    assert f"/cases/{clue.pk}/" not in text(
        client_for(world.p.officer_b).get(reverse("case_approvals"))
    )
    response = Client().get(reverse("case_approvals"))
    assert response.status_code == 302


def test_e_mail_goes_to_heads_who_keep_the_channel_on(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from zhifa.notifications.services import notification_setting_save

    head = world.p.head
    head.email = "head@example.org"
    head.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        ask(world, world.clue())
    assert [m.to for m in mail.outbox] == [["head@example.org"]]
    assert "立案审批" in mail.outbox[0].subject
    notification_setting_save(actor=head, in_app=True, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        ask(world, world.clue(date(2026, 3, 3)))
    assert len(mail.outbox) == 1


# -- verification ---------------------------------------------------------------------------


def test_verify_finds_a_request_row_changed_behind_the_records_back(world: World) -> None:
    from zhifa.approvals.selectors import approvals_replay_check
    from zhifa.record.verification import case_groups

    clue = world.clue()
    row = ask(world, clue)
    services.approval_return(actor=world.p.head, request=row, reason="补充证据")
    assert list(approvals_replay_check(case_groups())) == []
    ApprovalRequest.objects.filter(pk=row.pk).update(state=R.PENDING)  # tampering
    problems = list(approvals_replay_check(case_groups()))
    assert [p.kind for p in problems] == ["approval_replay_mismatch"]
    assert problems[0].case_id == clue.pk
