"""双随机 pages: officers' list, form, task page with freeze and draw; the public pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhifa.core.testing import Personas
from zhifa.inspections import services_draws
from zhifa.inspections.models import RandomTask
from zhifa.record.selectors import log_size
from zhifa.record.services import head_sign
from zhifa.registry.models import Account

from .draws_fixtures import TODAY, Joint, grow_log, joint

NOW = datetime(2026, 9, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(personas: Personas) -> Joint:
    return joint(personas)


def _client(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def test_an_officer_creates_a_joint_task_freezes_and_draws_it(
    personas: Personas, world: Joint
) -> None:
    client = _client(personas.officer)
    assert client.get("/inspections/draws/new/").status_code == 200
    response = client.post(
        "/inspections/draws/new/",
        {
            "title": "联合抽查",
            "participants": [personas.agency_b.pk, world.agency_c.pk],
            "items": [i.pk for i in world.items],
            "industry": "餐饮、零售",
            "inspectors_per_entity": 2,
        },
    )
    assert response.status_code == 303
    task = RandomTask.objects.get()
    assert task.filters == {"industry": ["零售", "餐饮"]}
    page = client.get(f"/inspections/draws/{task.pk}/").content.decode()
    assert "冻结名录并公布" in page
    assert client.post(f"/inspections/draws/{task.pk}/freeze/").status_code == 303
    task.refresh_from_db()
    assert task.state == RandomTask.State.FROZEN
    page = client.get(f"/inspections/draws/{task.pk}/", follow=True).content.decode()
    assert "尚无规模不小于" in page
    client.post(f"/inspections/draws/{task.pk}/draw/")
    page = client.get(f"/inspections/draws/{task.pk}/").content.decode()
    assert "种子尚未产生" in page  # the refusal, shown as a message
    assert task.seed_size is not None
    grow_log(task.seed_size - log_size())
    head_sign()
    client.post(f"/inspections/draws/{task.pk}/draw/")
    task.refresh_from_db()
    assert task.state == RandomTask.State.DRAWN
    page = client.get(f"/inspections/draws/{task.pk}/").content.decode()
    assert task.seed in page and "检查组" in page


def test_the_form_keeps_what_was_typed_and_names_the_rule(personas: Personas, world: Joint) -> None:
    response = _client(personas.officer).post(
        "/inspections/draws/new/",
        {
            "title": "只选本部门事项",
            "participants": [personas.agency_b.pk],
            "items": [world.items[0].pk],
            "inspectors_per_entity": 2,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "只选本部门事项" in page and "国发〔2019〕5号" in page


def test_a_participant_sees_the_task_but_cannot_freeze_it(personas: Personas, world: Joint) -> None:
    task = services_draws.random_task_create(
        actor=personas.officer,
        title="t",
        items=world.items[:2],
        participants=[personas.agency_b],
        today=TODAY,
    )
    client = _client(personas.officer_b)
    assert client.get(f"/inspections/draws/{task.pk}/").status_code == 200
    assert client.post(f"/inspections/draws/{task.pk}/freeze/").status_code == 403


def test_another_agency_and_the_anonymous_do_not_see_the_task(
    personas: Personas, world: Joint
) -> None:
    task = services_draws.random_task_create(
        actor=personas.officer, title="t", items=world.items[:1], today=TODAY
    )
    assert _client(personas.officer_b).get(f"/inspections/draws/{task.pk}/").status_code == 404
    assert Client().get(f"/inspections/draws/{task.pk}/").status_code == 302


def test_public_pages_show_the_draw_and_the_algorithm(personas: Personas, world: Joint) -> None:
    task = services_draws.random_task_create(
        actor=personas.officer,
        title="公示的任务",
        items=world.items,
        participants=[personas.agency_b, world.agency_c],
        today=TODAY,
    )
    task = services_draws.random_task_freeze(actor=personas.officer, task=task, today=TODAY)
    client = Client()
    assert "公示的任务" in client.get("/public/inspections/draws/").content.decode()
    page = client.get(f"/public/inspections/draws/{task.pk}/").content.decode()
    assert str(task.seed_size) in page and "尚未产生" in page
    pool = task.pools.get(position=0)
    text = client.get(f"/public/inspections/draws/{task.pk}/pools/0.txt")
    assert text.content == pool.members.encode()
    algorithm = client.get("/public/inspections/draws/algorithm/").content.decode()
    assert 'SHA-256(UTF-8(C + "/" + D))' in algorithm
    assert "林甸" in algorithm
