"""条例第三十条 with the deployment's routing (ZHIFA_SUPERVISION_OBJECTION_TO_UPPER): the
agency's objection goes to the supervisory body that issued the document (the 条例's own
reading, the default) or one level up (《广东省行政执法监督条例》第三十三条): the province's
司法局 for a city's document. Both settings, the answer's time limit at its boundary on the
default and on a non-default table, and who may see and answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client, override_settings

from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import credit_code
from zhifa.core.time_limits import time_limit
from zhifa.notifications.models import Notification
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import Account, Agency
from zhifa.supervision import objection_routing, services
from zhifa.supervision import time_limits as tl
from zhifa.supervision.models import Objection
from zhifa.supervision.selectors import (
    matter_countdowns,
    objections_to_answer,
    supervision_replay_check,
    supervisor_todos,
)

from .conftest import Bureau, make_supervisor
from .test_services import ON, investigating, opinion

pytestmark = pytest.mark.django_db

UP = override_settings(ZHIFA_SUPERVISION_OBJECTION_TO_UPPER=True)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


@pytest.fixture
def province(bureau: Bureau) -> Account:
    """The province's 司法局 (130000) with one supervisor: the city bureau's upper level."""
    body = registry.agency_create(
        actor=bureau.p.admin,
        name="示范省司法厅",
        credit_code=credit_code(93, division="130000"),
        level=Agency.Level.PROVINCE,
        division_code="130000",
        kind=Agency.Kind.STATUTORY,
        domains=[bureau.p.domain],
    )
    return make_supervisor(bureau.p, 905, "省厅监督", body, certified=True, region="130000")


def client_for(account: Account) -> Client:
    c = Client()
    c.force_login(account)
    return c


def test_the_upper_division_of_a_county_a_city_and_a_province() -> None:
    assert objection_routing.upper_division_code("130302") == "130300"
    assert objection_routing.upper_division_code("130300") == "130000"
    assert objection_routing.upper_division_code("130000") is None


def test_by_default_the_issuing_body_answers(bureau: Bureau, province: Account) -> None:
    doc = opinion(bureau, investigating(bureau))
    obj = services.document_objection_file(actor=bureau.p.head, document=doc, reasons="r", on=ON)
    assert obj.answer_body is None
    assert obj.answer_due == date(2026, 3, 17)  # 15 days (广东 33)
    assert not objections_to_answer(province).exists()
    with pytest.raises(RuleViolation, match="本监督机构"):
        services.objection_answer(actor=province, objection=obj, upheld=False, answer="a", on=ON)
    services.objection_answer(actor=bureau.sup1, objection=obj, upheld=False, answer="a", on=ON)


def test_routed_upward_the_province_answers_and_the_city_only_reads(
    bureau: Bureau, province: Account
) -> None:
    doc = opinion(bureau, investigating(bureau))
    with UP:
        obj = services.document_objection_file(
            actor=bureau.p.head, document=doc, reasons="事实认定有误", on=ON
        )
    assert obj.answer_body is not None and obj.answer_body.name == "示范省司法厅"
    entry = Entry.objects.filter(action="supervision.objection.file").latest("seq")
    assert entry.data["answer_body"] == "示范省司法厅"
    assert entry.data["limit"] == tl.OBJECTION_ANSWER_UPPER
    assert entry.data["rows"][f"supervision.objection:{obj.pk}"]["answer_body_id"] == (
        obj.answer_body_id
    )
    # The province's supervisor is told, has the to-do with its source, and answers.
    assert Notification.objects.filter(recipient=province, title__contains="异议").exists()
    (todo,) = [t for t in supervisor_todos(province, ON) if t.key.startswith("sup-upper")]
    assert doc.number in todo.what and "广东省行政执法监督条例》第三十三条" in todo.article
    assert list(objections_to_answer(province)) == [obj]
    # The issuing body cannot answer (it reads), and has no to-do to answer it.
    with pytest.raises(RuleViolation, match=r"上一级行政执法监督机构答复.*第三十条"):
        services.objection_answer(actor=bureau.sup1, objection=obj, upheld=False, answer="a", on=ON)
    assert not any("答复异议" in t.what for t in supervisor_todos(bureau.sup1, ON))
    assert not objections_to_answer(bureau.sup1).exists()
    services.objection_answer(
        actor=province, objection=obj, upheld=False, answer="异议不成立，继续整改", on=ON
    )
    obj.refresh_from_db()
    assert obj.status == Objection.Status.DISMISSED and obj.answered_on == ON
    assert Notification.objects.filter(recipient=bureau.sup1, title__contains="上级").exists()
    assert Notification.objects.filter(recipient=bureau.p.head, title__contains="异议答复").exists()
    assert not list(supervision_replay_check([]))


def test_routed_upward_without_an_upper_body_is_refused_naming_the_rule(bureau: Bureau) -> None:
    doc = opinion(bureau, investigating(bureau))
    with UP, pytest.raises(RuleViolation, match=r"没有上一级行政执法监督机构.*广东省"):
        services.document_objection_file(actor=bureau.p.head, document=doc, reasons="r", on=ON)


@pytest.mark.parametrize(
    ("table", "due"),
    [
        ({}, date(2026, 3, 17)),  # 15 days (广东 33)
        (
            {
                tl.OBJECTION_ANSWER_UPPER: {
                    "count": 15,
                    "unit": "workdays",
                    "source": "《吉林省行政执法监督条例》第三十条",
                }
            },
            date(2026, 3, 23),  # 15 working days from Monday 3-2
        ),
    ],
)
def test_the_upper_bodys_answer_is_due_at_its_boundary(
    bureau: Bureau, province: Account, table: dict[str, object], due: date
) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    with UP, override_settings(ZHIFA_TIME_LIMITS=table):
        obj = services.document_objection_file(
            actor=bureau.p.head, document=doc, reasons="r", on=ON
        )
        assert obj.answer_due == due
        source = time_limit(tl.OBJECTION_ANSWER_UPPER).source

        def remaining(day: date) -> int:
            (cd,) = [c for c in matter_countdowns(m, day) if "答复异议" in c.what]
            assert cd.what.startswith("上级行政执法监督机构") and source in cd.text
            (todo,) = [t for t in supervisor_todos(province, day) if t.key.startswith("sup-up")]
            assert source in todo.article and todo.remaining == cd.remaining
            return cd.remaining

        assert remaining(due - timedelta(days=1)) > 0
        assert remaining(due) == 0
        assert remaining(due + timedelta(days=1)) < 0


def test_pages_the_province_answers_the_city_reads_another_city_sees_nothing(
    bureau: Bureau, province: Account
) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    with UP:
        obj = services.document_objection_file(
            actor=bureau.p.head, document=doc, reasons="r", on=ON
        )
        inbox = client_for(bureau.p.head).get(f"/supervision/inbox/{m.pk}/").content.decode()
    assert "示范省司法厅" in inbox  # the head sees where it went
    url = f"/supervision/matters/{m.pk}/"
    city = client_for(bureau.sup1).get(url).content.decode()
    assert "已转上一级行政执法监督机构示范省司法厅答复" in city
    assert f"objection_answer:{obj.pk}" not in city  # no answer form for the issuing body
    prov = client_for(province).get(url).content.decode()
    assert f"objection_answer:{obj.pk}" in prov
    # The province's dashboard counts it among its to-dos; the city's does not.
    assert (
        "答复下级监督文书的异议"
        in client_for(province).get("/supervision/dashboard/").content.decode()
    )
    assert "答复下级监督文书的异议" not in (
        client_for(bureau.sup1).get("/supervision/dashboard/").content.decode()
    )
    assert client_for(bureau.far).get(url).status_code == 404
    # The city's supervisor posting an answer is refused with the rule (409), nothing changes.
    r = client_for(bureau.sup1).post(
        url + "steps/objection_answer/",
        {"objection": obj.pk, "upheld": "0", "answer": "不成立"},
    )
    assert r.status_code == 409
    assert "上一级行政执法监督机构答复" in r.content.decode()
    obj.refresh_from_db()
    assert obj.status == Objection.Status.FILED
    r = client_for(province).post(
        url + "steps/objection_answer/",
        {"objection": obj.pk, "upheld": "0", "answer": "异议不成立"},
    )
    assert r.status_code == 302
    obj.refresh_from_db()
    assert obj.status == Objection.Status.DISMISSED
    assert "异议不成立" in client_for(bureau.sup1).get(url).content.decode()


# -- the upper body's to-dos hold only its own work (found by the browser walk) ------------


def test_the_upper_bodys_to_dos_are_its_own_not_the_lower_bodys_matters(
    bureau: Bureau, province: Account
) -> None:
    """The province sees the city's matters (its region) but the city's deadlines are the
    city's to-dos; the province's is the objection routed to it."""
    m = investigating(bureau)
    doc = opinion(bureau, m)
    assert not [t for t in supervisor_todos(province, ON) if doc.number in t.what]
    assert any(doc.number in t.what for t in supervisor_todos(bureau.sup1, ON))
    with UP:
        services.document_objection_file(actor=bureau.p.head, document=doc, reasons="r", on=ON)
    mine = [t for t in supervisor_todos(province, ON) if m.number in t.what or doc.number in t.what]
    assert [t.kind_label for t in mine] == ["答复下级监督文书的异议"]
    assert client_for(province).get(f"/supervision/matters/{m.pk}/").status_code == 200
