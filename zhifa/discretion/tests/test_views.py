"""The 裁量基准 page of a case: the panel in the workspace, the live calculation, the
application recorded, the head's approval; gated like the case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import World
from zhifa.discretion.models import Application
from zhifa.record.models import Entry
from zhifa.registry.models import Account, DiscretionBenchmark

pytestmark = pytest.mark.django_db


def client_of(account: Account) -> Client:
    c = Client()
    c.force_login(account)
    return c


def stated(w: World) -> Case:
    return w.stated(date(2026, 3, 4), date(2026, 4, 1), date(2026, 4, 2), fine=D(60000))


def form_data(case: Case, benchmark: DiscretionBenchmark, **kw: str) -> dict[str, str]:
    seq = Entry.objects.filter(case_id=case.pk, action="case.investigate").values_list(
        "seq", flat=True
    )[0]
    data = {
        "stage": "decision",
        "benchmark": str(benchmark.pk),
        "f_removed_harm": "on",
        "e_removed_harm": f"entry:{seq}",
        "f_gave_evidence": "on",
        "e_gave_evidence": f"entry:{seq}",
        "grade": "lighter",
        "fine": "60000",
    }
    return data | kw


def test_workspace_shows_the_panel_and_the_page_proposes_the_entry(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    c = client_of(world.p.officer)
    page = c.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "运用裁量基准" in page and "经营超过保质期的食品" in page
    page = c.get(reverse("discretion_apply", args=[case.pk])).content.decode()
    assert f'<option value="{benchmark.pk}" selected>' in page
    assert "50,000元以上100,000元以下罚款" in page


def test_live_calculation_gives_the_band_of_the_ticked_circumstances(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    r = client_of(world.p.officer).post(
        reverse("discretion_calculate", args=[case.pk]), form_data(case, benchmark)
    )
    assert "从轻处罚（50,000元至65,000元）" in r.content.decode()


def test_posting_records_the_application_and_a_refusal_keeps_the_input(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    c = client_of(world.p.officer)
    r = c.post(
        reverse("discretion_apply", args=[case.pk]), form_data(case, benchmark, fine="45000")
    )
    assert r.status_code == 409
    assert "国办发〔2022〕27号（十二）" in r.content.decode()
    assert 'value="45000"' in r.content.decode()
    r = c.post(reverse("discretion_apply", args=[case.pk]), form_data(case, benchmark))
    assert r.status_code == 302
    assert Application.objects.get(case=case).grade == "lighter"


def test_head_approves_a_deviation_on_the_page(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    client_of(world.p.officer).post(
        reverse("discretion_apply", args=[case.pk]),
        form_data(case, benchmark, fine="45000", deviation_reason="货值极小"),
    )
    app = Application.objects.get(case=case)
    head = client_of(world.p.head)
    assert (
        f"approve-form-{app.pk}"
        in head.get(reverse("discretion_apply", args=[case.pk])).content.decode()
    )
    url = reverse("discretion_deviation_approve", args=[case.pk])
    data = {"application": str(app.pk), "way": "head", "reason": "同意减轻"}
    assert client_of(world.p.officer).post(url, data).status_code == 403
    r = head.post(url, data)
    assert r.status_code == 302 and app.approvals.count() == 1


def test_other_agency_and_anonymous_are_kept_out(
    world: World, benchmark: DiscretionBenchmark
) -> None:
    case = stated(world)
    url = reverse("discretion_apply", args=[case.pk])
    assert client_of(world.p.officer_b).get(url).status_code == 404
    assert "/login/" in Client().get(url)["Location"]
