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


def test_the_licence_is_changed_renewed_and_revoked_after_its_case_is_archived(
    personas: Personas, licence_item: PowerItem, client: Any
) -> None:
    from zhifa.cases.services import case_archive, case_close
    from zhifa.cases.tests.conftest import entered_on
    from zhifa.licensing import services
    from zhifa.licensing.models import Licence

    p = personas
    case = apply(p, date(2026, 10, 9))
    day = date(2026, 10, 12)
    with entered_on(day):
        services.case_licence_accept(actor=p.officer, case=case, on=day)
        services.case_licence_grant(
            actor=p.head,
            case=case,
            on=day,
            content="热食类",
            valid_from=day,
            valid_until=date(2026, 12, 31),
        )
        licence = services.case_licence_issue(actor=p.officer, case=case, on=day)
        case_close(actor=p.head, case=case, on=day)
        case_archive(actor=p.head, case=case, on=day)
    with time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=SH), tick=False):
        client.force_login(p.officer)
        late = client.post(
            f"/licensing/{case.pk}/licence/renewal_apply/", {"renewal_apply-on": "2026-12-02"}
        )
        assert late.status_code == 409 and "《行政许可法》第五十条" in late.content.decode()
        refused = client.post(
            f"/licensing/{case.pk}/licence/end/",
            {"end-on": "2026-12-02", "end-state": "revoked", "end-reason": "以欺骗手段取得"},
        )
        assert refused.status_code == 409 and "负责人" in refused.content.decode()
        client.force_login(p.head)
        changed = client.post(
            f"/licensing/{case.pk}/licence/change/",
            {
                "change-on": "2026-12-02",
                "change-content": "热食类、冷食类",
                "change-reason": "申请变更",
            },
        )
        assert changed.status_code == 302
        revoked = client.post(
            f"/licensing/{case.pk}/licence/end/",
            {"end-on": "2026-12-02", "end-state": "revoked", "end-reason": "以欺骗手段取得"},
        )
        assert revoked.status_code == 302
        licence = Licence.objects.get(pk=licence.pk)
        assert licence.content == "热食类、冷食类" and licence.state == Licence.State.REVOKED
        client.logout()
        page = client.get(f"/public/licences/{licence.token}/").content.decode()
        assert "今日无效" in page and "已撤销" in page and "热食类、冷食类" in page
