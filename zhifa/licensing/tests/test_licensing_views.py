"""The licensing pages without a browser: a refused step keeps what was typed and names its
article (no 500), the case's deadlines and the officer's to-dos show the licensing period."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhifa.cases.models import Case
from zhifa.core.testing import Personas
from zhifa.registry.models import PowerItem
from zhifa.todos.items import todos_for

from .conftest import apply

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_a_refused_step_keeps_the_form_and_names_the_article(
    personas: Personas, licence_item: PowerItem, client: Any
) -> None:
    case = apply(personas, date(2026, 9, 24))
    with time_machine.travel(datetime(2026, 10, 10, 10, tzinfo=SH), tick=False):
        client.force_login(personas.officer)
        answer = client.post(
            f"/licensing/{case.pk}/steps/case_licence_correct/",
            {"case_licence_correct-on": "2026-10-10", "case_licence_correct-missing": "健康证明"},
        )
        body = answer.content.decode()
        assert answer.status_code == 409
        assert "《行政许可法》第三十二条" in body and "健康证明</textarea>" in body
        page = client.get(f"/licensing/{case.pk}/")
        assert "2026年10月9日" in page.content.decode()  # the 补正 deadline, shown
        accepted = client.post(
            f"/licensing/{case.pk}/steps/case_licence_accept/",
            {"case_licence_accept-on": "2026-10-10"},
        )
        assert accepted.status_code == 302
        # The officer who registered it handles it: on the to-do list with the 第四十二条 period.
        todo = next(
            t for t in todos_for(personas.officer, date(2026, 10, 10)) if t.case_id == case.pk
        )
        assert todo.deadline_name == "作出行政许可决定" and "第四十二条" in todo.article
        assert Case.objects.get(pk=case.pk).state == Case.State.ACCEPTED
        client.force_login(personas.reviewer)
        assert (
            client.post(f"/licensing/{case.pk}/steps/case_licence_verify/", {}).status_code == 403
        )
