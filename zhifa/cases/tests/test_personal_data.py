"""One rule for a party's personal data: in full inside the agency, masked for everyone else who
may read the case — in the party table, in every free text of the record, in the API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case, CaseStep
from zhifa.cases.personal_data import PartyMask, sees_party_data
from zhifa.core.testing import id_number
from zhifa.registry.models import Account

from .conftest import PERSON, World

NOW = datetime(2026, 3, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
WITNESS_ID = id_number(777, born=date(1975, 5, 5))
WITNESS_PHONE = "13911112222"
# An interview record naming the party's home and phone, and a witness who is no party.
SUMMARY = (
    f"询问当事人刘某某（住{PERSON.address}，电话{PERSON.phone}，身份证{PERSON.id_number}），"
    f"证人王某（身份证{WITNESS_ID}，电话{WITNESS_PHONE}）在场；决定书编号示范市监罚〔2026〕12号"
)


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(world: World) -> Case:
    case = world.registered(date(2026, 3, 4))
    services.case_investigate(
        actor=world.p.officer,
        case=case,
        on=date(2026, 3, 5),
        kind=CaseStep.Kind.INTERVIEW_RECORD,
        officers=[world.o1, world.o2],
        summary=SUMMARY,
    )
    return Case.objects.get(pk=case.pk)


def page(account: Account, case: Case) -> str:
    client = Client()
    client.force_login(account)
    response = client.get(reverse("case_detail", kwargs={"pk": case.pk}))
    assert response.status_code == 200
    return response.content.decode()


SECRETS = (PERSON.address, PERSON.phone, PERSON.id_number, WITNESS_ID, WITNESS_PHONE)


def test_the_officer_reads_the_interview_in_full(world: World, case: Case) -> None:
    html = page(world.p.officer, case)
    for value in SECRETS:
        assert value in html


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_outside_the_agency_the_free_texts_are_masked(who: str, world: World, case: Case) -> None:
    html = page(getattr(world.p, who), case)
    for value in SECRETS:
        assert value not in html
    assert "138****5001" in html and "139****2222" in html
    assert "＊" * len(PERSON.address) in html
    assert "询问当事人刘某某" in html  # the rest of the text is read as written
    assert "示范市监罚〔2026〕12号" in html


def test_the_api_masks_the_same_texts(world: World, case: Case) -> None:
    client = Client()
    client.force_login(world.p.supervisor)
    entries = client.get(f"/api/v1/cases/{case.pk}/entries")
    assert entries.status_code == 200
    body = json.dumps(entries.json(), ensure_ascii=False)
    for value in SECRETS:
        assert value not in body
    assert "询问当事人刘某某" in body
    client.force_login(world.p.officer)
    assert PERSON.address in json.dumps(
        client.get(f"/api/v1/cases/{case.pk}/entries").json(), ensure_ascii=False
    )


def test_the_rule_is_the_agency(world: World, case: Case) -> None:
    assert sees_party_data(world.p.officer, case)
    assert sees_party_data(world.p.publisher, case)
    assert not sees_party_data(world.p.supervisor, case)
    assert not sees_party_data(world.p.admin, case)
    assert not sees_party_data(world.p.officer_b, case)


def test_the_mask_keeps_length_and_leaves_non_personal_numbers() -> None:
    mask = PartyMask([])
    not_an_id = "11010119900307123X"  # wrong check digit: a number, not a person
    text = f"证人身份证{WITNESS_ID}，电话{WITNESS_PHONE}，货号{not_an_id}，编号138001350011"
    masked = mask.text(text)
    assert len(masked) == len(text)
    assert WITNESS_ID not in masked and WITNESS_ID[:6] in masked and WITNESS_ID[-4:] in masked
    assert "139****2222" in masked
    assert not_an_id in masked  # fails its check digit: not masked
    assert "138001350011" in masked  # twelve digits: no mobile number
