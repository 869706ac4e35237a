"""双随机 tasks: create, freeze, draw (services_draws), their record entries, the public document,
the replay check and the scheduled draw."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.inspections import draw, selectors_draws, services_draws
from zhifa.inspections.models import Conflict, DrawPool, Entity, RandomTask
from zhifa.record.models import Entry, SignedHead
from zhifa.record.selectors import log_size
from zhifa.record.services import head_sign, public_verifier_key
from zhifa.record.verification import log_verify

from .draws_fixtures import TODAY, Joint, grow_log, joint, published_item

NOW = datetime(2026, 9, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(personas: Personas) -> Joint:
    return joint(personas)


def _task(p: Personas, w: Joint, **kwargs: object) -> RandomTask:
    return services_draws.random_task_create(
        actor=p.officer,
        title="2026年度餐饮零售联合抽查",
        items=w.items,
        participants=[p.agency_b, w.agency_c],
        today=TODAY,
        **kwargs,  # type: ignore[arg-type]
    )


def _last_entry() -> Entry:
    return Entry.objects.order_by("-seq").first()  # type: ignore[return-value]


def _drawn(p: Personas, w: Joint, **kwargs: object) -> RandomTask:
    task = services_draws.random_task_freeze(
        actor=p.officer, task=_task(p, w, **kwargs), today=TODAY
    )
    assert task.seed_size is not None
    grow_log(task.seed_size - log_size())
    head_sign()
    return services_draws.random_task_draw(actor=p.officer, task=task, today=TODAY)


# -- create ---------------------------------------------------------------------------------


def test_task_create_records_itself(personas: Personas, world: Joint) -> None:
    task = _task(personas, world)
    entry = _last_entry()
    assert entry.action == "inspection.draw_task_create"
    assert entry.data["task"] == task.pk
    assert sorted(entry.data["participants"]) == sorted([personas.agency_b.pk, world.agency_c.pk])


def test_task_create_refuses_an_item_not_yet_published_that_day(
    personas: Personas, world: Joint
) -> None:
    item = world.items[0]
    with pytest.raises(RuleViolation, match="未经公布的，不得实施"):
        services_draws.random_task_create(
            actor=personas.officer,
            title="t",
            items=[item],
            today=date(2026, 1, 4),  # the item was published on 5 January
        )
    task = services_draws.random_task_create(
        actor=personas.officer, title="t", items=[item], today=date(2026, 1, 5)
    )
    assert task.pk


def test_task_create_refuses_an_item_off_the_random_inspection_list(
    personas: Personas, world: Joint
) -> None:
    item = published_item(personas.admin, personas.agency_a, personas.domain, "JC-A-02")
    item.is_random_inspection = False
    item.save(update_fields=["is_random_inspection"])
    with pytest.raises(RuleViolation, match="随机抽查"):
        services_draws.random_task_create(
            actor=personas.officer, title="t", items=[item], today=TODAY
        )


def test_a_participant_without_its_own_item_is_refused(personas: Personas, world: Joint) -> None:
    with pytest.raises(RuleViolation, match="各部门按本部门事项抽取检查人员"):
        services_draws.random_task_create(
            actor=personas.officer,
            title="t",
            items=world.items[:1],
            participants=[personas.agency_b],
            today=TODAY,
        )


def test_fewer_than_two_inspectors_per_entity_is_refused(personas: Personas, world: Joint) -> None:
    with pytest.raises(RuleViolation, match="第四十二条"):
        _task(personas, world, inspectors_per_entity=1)


# -- freeze ---------------------------------------------------------------------------------


def test_freeze_publishes_pools_hashes_counts_and_a_seed_size_ahead_of_the_log(
    personas: Personas, world: Joint
) -> None:
    task = _task(personas, world)
    before = log_size()
    task = services_draws.random_task_freeze(actor=personas.officer, task=task, today=TODAY)
    entry = _last_entry()
    assert entry.action == "inspection.draw_freeze"
    assert task.state == RandomTask.State.FROZEN and task.frozen_seq == entry.seq
    assert task.seed_size == before + 1 + services_draws.DEFAULT_SEED_MARGIN
    assert task.seed_size > log_size()
    pools = list(task.pools.order_by("position"))
    # one pool per risk class (40 entities: A 10, B 15, C 10, D 5), one per agency
    assert [p.name for p in pools] == [
        "检查对象（A类）",
        "检查对象（B类）",
        "检查对象（C类）",
        "检查对象（D类）",
        f"检查人员（{personas.agency_a.name}）",
        f"检查人员（{personas.agency_b.name}）",
        f"检查人员（{world.agency_c.name}）",
    ]
    assert [(p.size, p.count) for p in pools[:4]] == [(10, 1), (15, 1), (10, 3), (5, 4)]
    assert entry.data["seed_size"] == task.seed_size
    for pool, announced in zip(pools, entry.data["pools"], strict=True):
        members = draw.members_from_text(pool.members)
        assert members == sorted(members)
        assert pool.sha256 == announced["sha256"] == draw.pool_sha256(members)
    # A's inspectors: the personas with a certificate valid on 1 September 2026 (not 王过期)
    assert draw.members_from_text(pools[4].members) == [
        "130300000001",
        "130300000002",
        "130300000004",
        "130300000005",
    ]


def test_freeze_refuses_counts_outside_the_risk_band(personas: Personas, world: Joint) -> None:
    task = _task(personas, world, counts={"A": 5, "B": 1, "C": 3, "D": 4})
    with pytest.raises(RuleViolation, match="林甸"):
        services_draws.random_task_freeze(actor=personas.officer, task=task, today=TODAY)


def test_freeze_refuses_an_agency_with_fewer_than_two_inspectors(
    personas: Personas, world: Joint
) -> None:
    for officer in world.officers[world.agency_c.pk][1:]:
        officer.certificates.update(status="suspended")
    with pytest.raises(RuleViolation, match="不足每户2人"):
        services_draws.random_task_freeze(
            actor=personas.officer, task=_task(personas, world), today=TODAY
        )


# -- draw -----------------------------------------------------------------------------------


def test_draw_waits_for_a_head_of_the_seed_size(personas: Personas, world: Joint) -> None:
    task = services_draws.random_task_freeze(
        actor=personas.officer, task=_task(personas, world), today=TODAY
    )
    assert task.seed_size is not None
    head_sign()  # a head of the current size: smaller than N
    with pytest.raises(RuleViolation, match="种子尚未产生"):
        services_draws.random_task_draw(actor=personas.officer, task=task, today=TODAY)
    grow_log(task.seed_size - log_size() - 1)
    head_sign()
    with pytest.raises(RuleViolation, match="种子尚未产生"):  # one entry short
        services_draws.random_task_draw(actor=personas.officer, task=task, today=TODAY)
    grow_log(1)
    head = head_sign()
    assert head.size == task.seed_size
    task = services_draws.random_task_draw(actor=personas.officer, task=task, today=TODAY)
    assert task.seed == bytes(head.root_hash).hex() and task.checkpoint == head.note
    entry = _last_entry()
    assert entry.action == "inspection.draw" and entry.seq == task.drawn_seq
    assert entry.data["seed"] == task.seed and entry.data["head_size"] == head.size


def test_each_pool_selection_is_its_top_k(personas: Personas, world: Joint) -> None:
    task = _drawn(personas, world)
    for pool in task.pools.all():
        members = draw.members_from_text(pool.members)
        assert pool.selected == draw.ranked(members, task.seed)[: pool.count]
        assert pool.skipped == []
    with pytest.raises(RuleViolation):  # once only
        services_draws.random_task_draw(actor=personas.officer, task=task, today=TODAY)


def test_a_recused_officer_is_skipped_with_the_reason_and_the_next_takes_the_place(
    personas: Personas, world: Joint
) -> None:
    # Draw once to learn the ranking, then replay the same draw with a conflict declared.
    task = _task(personas, world)
    task = services_draws.random_task_freeze(actor=personas.officer, task=task, today=TODAY)
    assert task.seed_size is not None
    grow_log(task.seed_size - log_size())
    head = head_sign()
    seed = bytes(head.root_hash).hex()
    entities = [
        c
        for p in task.pools.filter(kind=DrawPool.Kind.ENTITIES).order_by("position")
        for c in draw.select(draw.members_from_text(p.members), seed, p.count).selected
    ]
    pool_c = task.pools.get(agency=world.agency_c)
    ranking = draw.ranked(draw.members_from_text(pool_c.members), seed)
    first = ranking[0]
    from zhifa.registry.models import Certificate

    officer = Certificate.objects.get(number=first).officer
    Conflict.objects.create(
        officer=officer,
        entity=Entity.objects.get(credit_code=entities[0]),
        reason="近亲属任该企业高管",
        declared_on=date(2026, 8, 1),
        recorded_by=personas.head,
    )
    task = services_draws.random_task_draw(actor=personas.officer, task=task, today=TODAY)
    pool_c.refresh_from_db()
    assert pool_c.skipped == [
        {"id": first, "reason": f"与抽中的检查对象{entities[0]}有利害关系，依法回避"}
    ]
    assert pool_c.selected == [c for c in ranking if c != first][: pool_c.count]
    doc = selectors_draws.draw_document_for(task)
    assert draw.verify_document(doc, key=public_verifier_key()).ok
    assert all(first not in team["inspectors"] for team in doc["task"]["assignments"])


def test_a_closed_entity_is_skipped_with_the_reason(personas: Personas, world: Joint) -> None:
    task = services_draws.random_task_freeze(
        actor=personas.officer, task=_task(personas, world), today=TODAY
    )
    assert task.seed_size is not None
    grow_log(task.seed_size - log_size())
    seed = bytes(head_sign().root_hash).hex()
    pool_d = task.pools.get(risk_class="D")
    top = draw.ranked(draw.members_from_text(pool_d.members), seed)[0]
    Entity.objects.filter(credit_code=top).update(status=Entity.Status.CLOSED)
    services_draws.random_task_draw(actor=personas.officer, task=task, today=TODAY)
    pool_d.refresh_from_db()
    assert pool_d.skipped == [{"id": top, "reason": "冻结后已注销或被吊销"}]
    assert top not in pool_d.selected and len(pool_d.selected) == pool_d.count


def test_every_drawn_entity_gets_two_inspectors_of_each_agency(
    personas: Personas, world: Joint
) -> None:
    task = _drawn(personas, world)
    teams = selectors_draws.task_assignments(task, selectors_draws.task_pools(task))
    assert len(teams) == sum(p.count for p in task.pools.filter(kind="entities"))
    for team in teams:
        assert len(team["inspectors"]) == 6 == len(set(team["inspectors"]))


def test_the_scheduled_job_draws_frozen_tasks_whose_head_exists(
    personas: Personas, world: Joint
) -> None:
    task = services_draws.random_task_freeze(
        actor=personas.officer, task=_task(personas, world), today=TODAY
    )
    assert not services_draws.draws_needed(NOW)
    assert task.seed_size is not None
    grow_log(task.seed_size - log_size())
    head_sign()
    assert services_draws.draws_needed(NOW)
    assert services_draws.draws_run_due(NOW) == "已抽取1个双随机任务。"
    task.refresh_from_db()
    assert task.state == RandomTask.State.DRAWN
    assert _last_entry().actor_name == "系统"
    assert not services_draws.draws_needed(NOW)


# -- the published document, draw-verify, zhifa verify ----------------------------------------


def test_public_json_verifies_with_draw_verify(
    personas: Personas, world: Joint, tmp_path: object
) -> None:
    task = _drawn(personas, world)
    response = Client().get(f"/public/inspections/draws/{task.pk}.json")
    assert response.status_code == 200
    doc = response.json()
    assert set(doc) == {"task", "pools", "seed_size", "checkpoint", "seed"}
    assert doc["seed"] == task.seed and doc["seed_size"] == task.seed_size
    assert set(doc["pools"][0]) == {"name", "pool", "pool_sha256", "count", "selected", "skipped"}
    from pathlib import Path

    path = Path(str(tmp_path)) / "draw.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    call_command("draw-verify", str(path))
    doc["pools"][1]["pool"][0] = "91130302MA0000000X"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as failed:
        call_command("draw-verify", str(path))
    assert failed.value.returncode == 1 and "pool_hash" in str(failed.value)


def test_draw_verify_fails_a_tampered_checkpoint(
    personas: Personas, world: Joint, tmp_path: object
) -> None:
    task = _drawn(personas, world)
    doc = selectors_draws.draw_document_for(task)
    other = SignedHead.objects.order_by("size").first()
    assert other is not None and other.note != doc["checkpoint"]
    doc["checkpoint"] = other.note  # a real head of the log, but not the seed's
    from pathlib import Path

    path = Path(str(tmp_path)) / "draw.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as failed:
        call_command("draw-verify", str(path))
    assert "seed" in str(failed.value)


def test_a_frozen_task_is_public_before_the_draw_and_a_draft_is_not(
    personas: Personas, world: Joint
) -> None:
    task = _task(personas, world)
    assert Client().get(f"/public/inspections/draws/{task.pk}.json").status_code == 404
    services_draws.random_task_freeze(actor=personas.officer, task=task, today=TODAY)
    doc = Client().get(f"/public/inspections/draws/{task.pk}.json").json()
    assert doc["seed"] == "" and all(p["selected"] == [] for p in doc["pools"])


def test_zhifa_verify_replays_the_task(personas: Personas, world: Joint) -> None:
    task = _drawn(personas, world)
    assert not [p for p in log_verify().problems if p.kind.startswith("draw")]
    pool = task.pools.get(risk_class="C")
    DrawPool.objects.filter(pk=pool.pk).update(selected=list(reversed(pool.selected)))
    kinds = [p.kind for p in log_verify().problems]
    assert "draw_replay_mismatch" in kinds
    DrawPool.objects.filter(pk=pool.pk).update(members=pool.members.replace("\n", "\n ", 1))
    assert "draw_pool_altered" in [p.kind for p in log_verify().problems]


# -- the drawn entities' inspections -----------------------------------------------------------


def test_each_agency_requests_inspections_of_the_drawn_entities_with_its_drawn_inspectors(
    personas: Personas, world: Joint
) -> None:
    from zhifa.inspections.models import Inspection

    task = _drawn(personas, world, planned_on=date(2026, 9, 15))
    drawn = [c for p in task.pools.filter(kind="entities").order_by("position") for c in p.selected]
    requested, refused = services_draws.random_task_inspections_request(
        actor=personas.officer, task=task, on=TODAY
    )
    assert (requested, refused) == (len(drawn), [])
    rows = Inspection.objects.filter(task=task, agency=personas.agency_a)
    assert sorted(r.entity.credit_code for r in rows) == sorted(drawn)
    pool_a = task.pools.get(agency=personas.agency_a)
    for row in rows:
        assert row.ground == "random" and row.planned_on == date(2026, 9, 15)
        numbers = {a.officer.certificates.get().number for a in row.case.assignments.all()}
        assert len(numbers) == 2 and numbers <= set(pool_a.selected)
    # Again: nothing new (each entity once per agency and task).
    assert services_draws.random_task_inspections_request(
        actor=personas.officer, task=task, on=TODAY
    ) == (0, [])
    # Agency B's body is not confirmed and announced: each request refused, with the rule.
    requested, refused = services_draws.random_task_inspections_request(
        actor=personas.officer_b, task=task, on=TODAY
    )
    assert requested == 0 and len(refused) == len(drawn)


def test_an_entity_not_drawn_is_not_inspected_under_the_task(
    personas: Personas, world: Joint
) -> None:
    from zhifa.cases.models import CaseOfficer
    from zhifa.inspections import services as inspections

    task = _drawn(personas, world)
    drawn = {c for p in task.pools.filter(kind="entities") for c in p.selected}
    other = Entity.objects.exclude(credit_code__in=drawn).first()
    assert other is not None
    with pytest.raises(RuleViolation, match="未在双随机任务"):
        inspections.inspection_request(
            actor=personas.officer,
            entity=other,
            power_code=world.items[0].code,
            ground="random",
            planned_on=TODAY,
            officers=[
                (personas.officer.officer, CaseOfficer.Role.LEAD),  # type: ignore[list-item]
                (personas.officer2.officer, CaseOfficer.Role.ASSISTANT),  # type: ignore[list-item]
            ],
            on=TODAY,
            task=task,
        )


def test_a_pool_swapped_after_the_freeze_fails_against_the_recorded_freeze_entry(
    personas: Personas, world: Joint
) -> None:
    task = _drawn(personas, world)
    doc = selectors_draws.draw_document_for(task)
    key = public_verifier_key()
    assert doc["task"]["freeze_entry"]["seq"] == task.frozen_seq
    assert draw.verify_document(doc, key=key).freeze_checked
    # Someone replaces a pool and publishes its own hash and a consistent selection: the pool
    # checks pass, but the log recorded another hash before the seed existed.
    pool = doc["pools"][0]
    pool["pool"] = sorted([*pool["pool"], "91130302MA00000000"])
    pool["pool_sha256"] = draw.pool_sha256(pool["pool"])
    pool["selected"] = list(draw.select(pool["pool"], doc["seed"], pool["count"]).selected)
    pool["skipped"] = []
    kinds = [f.kind for f in draw.verify_document(doc, key=key).failures]
    assert kinds == ["freeze_entry"]


def test_a_smaller_seed_size_than_recorded_fails(personas: Personas, world: Joint) -> None:
    task = _drawn(personas, world)
    doc = selectors_draws.draw_document_for(task)
    doc["seed_size"] -= 1
    kinds = [f.kind for f in draw.verify_document(doc, key=public_verifier_key()).failures]
    assert kinds == ["freeze_entry"]


def test_a_drawn_task_is_on_each_agencys_to_do_list_until_it_requests_its_inspections(
    personas: Personas, world: Joint
) -> None:
    from zhifa.todos.items import todos_for

    task = _drawn(personas, world, planned_on=date(2026, 9, 15))
    item = next(t for t in todos_for(personas.officer, TODAY) if t.key.startswith("draw-task"))
    assert item.url == f"/inspections/draws/{task.pk}/" and item.remaining == 14
    assert any(t.key.startswith("draw-task") for t in todos_for(personas.officer_b, TODAY))
    services_draws.random_task_inspections_request(actor=personas.officer, task=task, on=TODAY)
    assert not any(t.key.startswith("draw-task") for t in todos_for(personas.officer, TODAY))
