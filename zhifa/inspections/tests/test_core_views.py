"""The core pages: an officer requests an inspection (a refusal keeps what was typed), the head
sees the warnings and approves, the head's to-do list names what waits."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client

from zhifa.core.testing import Personas, credit_code
from zhifa.inspections.models import Entity, Inspection
from zhifa.registry.models import PowerItem
from zhifa.todos.items import todos_for

from .conftest import SH_NOON, request

pytestmark = pytest.mark.django_db


def _client(account: object) -> Client:
    c = Client()
    c.force_login(account)  # type: ignore[arg-type]
    return c


@time_machine.travel(SH_NOON, tick=False)
def test_officer_requests_and_head_approves_through_the_pages(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    officer = _client(personas.officer)
    assert personas.officer.officer is not None and personas.officer2.officer is not None
    form = {
        "credit_code": entity.credit_code,
        "power_item": inspection_item.pk,
        "ground": "routine",
        "planned_on": "2026-03-12",
        "on": "2026-03-10",
        "lead": personas.officer.officer.pk,
        "assistants": [personas.officer.officer.pk],  # only one officer in all
    }
    refused = officer.post("/inspections/new/", form)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "两名以上" in text and entity.credit_code in text  # what was typed is kept
    form["assistants"] = [personas.officer2.officer.pk]
    done = officer.post("/inspections/new/", form)
    row = Inspection.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/inspections/{row.pk}/"
    # The head finds it on the to-do list and approves it on its page.
    assert [
        t.url for t in todos_for(personas.head, date(2026, 3, 10)) if t.kind == "inspection"
    ] == [f"/inspections/{row.pk}/"]
    head = _client(personas.head)
    page = head.get(f"/inspections/{row.pk}/").content.decode()
    assert 'data-testid="inspection-approve"' in page
    assert (
        'data-testid="inspection-approve"'
        not in officer.get(f"/inspections/{row.pk}/").content.decode()
    )
    head.post(f"/inspections/{row.pk}/approve/", {"on": "2026-03-10", "note": "同意"})
    row.refresh_from_db()
    assert row.state == Inspection.State.APPROVED
    assert row.code in head.get(f"/inspections/{row.pk}/").content.decode()


@time_machine.travel(SH_NOON, tick=False)
def test_unknown_credit_code_is_named_on_the_form(
    personas: Personas, inspection_item: PowerItem
) -> None:
    officer = _client(personas.officer)
    form = {"power_item": inspection_item.pk, "ground": "routine"}
    unknown = officer.post(
        "/inspections/new/", {**form, "credit_code": credit_code(999, prefix="91")}
    )
    assert unknown.status_code == 422
    assert "检查对象名录库中没有该统一社会信用代码" in unknown.content.decode()
    miskeyed = officer.post("/inspections/new/", {**form, "credit_code": "91130302MA0000000X"})
    assert "校验位错误" in miskeyed.content.decode()


@time_machine.travel(SH_NOON, tick=False)
def test_other_agency_cannot_see_the_inspection(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    row = request(personas, entity, date(2026, 3, 10))
    assert _client(personas.officer_b).get(f"/inspections/{row.pk}/").status_code == 404
    assert _client(personas.supervisor).get(f"/inspections/{row.pk}/").status_code == 200
    assert (
        _client(personas.supervisor)
        .post(f"/inspections/{row.pk}/approve/", {"on": "2026-03-10"})
        .status_code
        == 403
    )


@time_machine.travel(SH_NOON, tick=False)
def test_case_workspace_shows_the_approval_awaited_above_the_steps(
    personas: Personas, inspection_item: PowerItem, entity: Entity
) -> None:
    row = request(personas, entity, date(2026, 3, 10))
    page = _client(personas.officer).get(f"/cases/{row.case_id}/").content.decode()
    assert 'data-testid="inspection-panel"' in page and "须经本机关负责人批准" in page
