"""The complaint form's agency field at province scale: the citizen finds the body by typing
part of its name (the JSON lookup the page uses, and the 查找 button without script)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from zhifa.complaints.models import Complaint
from zhifa.registry.models import Agency
from zhifa.registry.public_api import AGENCY_MATCHES

from .conftest import World, client_for

pytestmark = pytest.mark.django_db


def lookup(q: str) -> Any:
    return client_for(None).get(reverse("api:public_agency_lookup"), {"q": q})


def test_the_lookup_lists_active_bodies_whose_name_contains_the_words(world: World) -> None:
    response = lookup("甲区市场")
    assert response.status_code == 200
    names = [r["name"] for r in response.json()["results"]]
    assert names == [world.p.agency_a.name]
    assert response.json()["more"] is False
    assert lookup("没有这个机关").json()["results"] == []


def test_a_suspended_body_is_not_offered(world: World) -> None:
    Agency.objects.filter(pk=world.p.agency_a.pk).update(status=Agency.Status.SUSPENDED)
    assert lookup("甲区市场").json()["results"] == []


def test_many_matches_are_cut_at_the_limit_and_say_so(world: World) -> None:
    bodies = [
        Agency(
            name=f"示范市第{i:02d}检查大队",
            credit_code=f"11130300MB{i:07d}X"[:18],
            level=Agency.Level.COUNTY,
            division_code="130302",
            kind=Agency.Kind.STATUTORY,
            status=Agency.Status.ACTIVE,
        )
        for i in range(AGENCY_MATCHES + 5)
    ]
    Agency.objects.bulk_create(bodies)
    body = lookup("检查大队").json()
    assert len(body["results"]) == AGENCY_MATCHES and body["more"] is True
    assert len(lookup("第07检查大队").json()["results"]) == 1


def test_an_empty_or_overlong_query_is_a_clear_422(world: World) -> None:
    for q in ("", "字" * 51):
        response = lookup(q)
        assert response.status_code == 422
        assert response.json()["detail"]


def test_without_script_find_lists_the_matches_and_keeps_what_was_typed(world: World) -> None:
    client = client_for(None)
    response = client.post(
        reverse("complaint_public"),
        {"agency_q": "甲区", "find": "1", "facts": "态度粗暴", "name": "陈投诉", "mode": "named"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{world.p.agency_a.pk}">{world.p.agency_a.name}</option>' in page
    assert world.p.agency_b.name not in page  # 乙区 does not match 甲区
    assert "态度粗暴" in page and 'value="陈投诉"' in page  # nothing typed is lost
    assert 'class="error"' not in page  # finding is not submitting: no errors yet
    assert not Complaint.objects.exists()


def test_submitting_without_choosing_a_body_says_to_find_one_first(world: World) -> None:
    response = client_for(None).post(
        reverse("complaint_public"),
        {"agency_q": "甲区", "facts": "态度粗暴", "happened_on": "2026-02-27", "mode": "anonymous"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请先查找并选择被投诉的执法主体" in page
    assert f'<option value="{world.p.agency_a.pk}">' in page  # the matches are offered again
    assert not Complaint.objects.exists()


def test_the_chosen_body_stays_chosen_when_the_form_comes_back_with_an_error(world: World) -> None:
    response = client_for(None).post(
        reverse("complaint_public"),
        {"agency": world.p.agency_a.pk, "facts": "", "happened_on": "2026-02-27", "mode": "named"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<option value="{world.p.agency_a.pk}" selected>{world.p.agency_a.name}' in page


def test_a_monitor_finds_the_body_to_rate_without_script(world: World) -> None:
    from .test_monitors import monitor

    account, _appointment = monitor(world)
    client = client_for(account)
    response = client.post(
        reverse("monitor_rate"),
        {"agency_q": "乙区", "find": "1", "campaign": "2026年度评议", "score": "4"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{world.p.agency_b.pk}">{world.p.agency_b.name}</option>' in page
    assert 'value="2026年度评议"' in page
    response = client.post(
        reverse("monitor_rate"),
        {
            "agency_q": "乙区",
            "agency": world.p.agency_b.pk,
            "campaign": "2026年度评议",
            "score": "4",
        },
    )
    assert response.status_code == 303  # rated, the words typed to find it not in the way
