"""The publisher's review page shows supervisors and the system administrator a party's
personal data as the case page shows it to them: masked (cases.personal_data). The publisher of
the agency, who must check every span, reads the original in full."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhifa.registry.models import Account

from .publication_world import PERSON, World, publication_of, world

__all__ = ["world"]

NOW = datetime(2026, 10, 12, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
PERSONAL = (PERSON.id_number, PERSON.phone, PERSON.address)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def review_page(account: Account, pk: int) -> str:
    client = Client()
    client.force_login(account)
    response = client.get(f"/publish/{pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_outside_the_agency_the_original_and_the_spans_are_masked(who: str, world: World) -> None:
    publication = publication_of(world.on_the_spot())
    html = review_page(getattr(world.p, who), publication.pk)
    for value in PERSONAL:
        assert value not in html
    original = html.split('id="original"')[1].split("</pre>")[0]
    assert "138****5001" in original
    assert PERSON.id_number[:6] in original  # the region of birth stays readable
    spans = html.split('id="spans"')[1].split("</table>")[0]
    assert "138****5001" in spans


def test_the_agencys_publisher_reads_the_original_in_full(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    html = review_page(world.p.publisher, publication.pk)
    original = html.split('id="original"')[1].split("</pre>")[0]
    for value in PERSONAL:
        assert value in original
