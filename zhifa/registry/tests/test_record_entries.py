"""Every registry write records itself: one log entry per service call, in its transaction.

The entry names the object (model, id, business key) and what changed; it has no case, carries
the actor's account, and holds no personal data beyond an officer's id and name.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas, credit_code, id_number
from zhifa.record import selectors
from zhifa.record.models import Entry
from zhifa.record.verification import log_verify
from zhifa.registry import replay, row_state, services
from zhifa.registry.importing import OFFICERS, POWER_ITEMS, ImportResult, registry_import
from zhifa.registry.models import (
    Account,
    Agency,
    ApiToken,
    Certificate,
    Officer,
    PowerItem,
    ReviewBody,
    TrainingRecord,
)
from zhifa.registry.tabular import write_csv

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = date(2026, 11, 20)
BASIS = [services.Basis("中华人民共和国食品安全法", "第一百二十四条", "违反本法规定……")]

# A scenario prepares what the service needs and returns the call (run once, while the log is
# watched) and the payload fields its entry must hold, given the call's result.
Call = Callable[[], Any]
Expected = Callable[[Any], dict[str, Any]]
Scenario = Callable[[Personas], tuple[Call, Expected]]
SCENARIOS: dict[str, Scenario] = {}


def scenario(action: str) -> Callable[[Scenario], Scenario]:
    def register(fn: Scenario) -> Scenario:
        SCENARIOS[action] = fn
        return fn

    return register


def log_size() -> int:
    return selectors.log_size()  # PostgreSQL keeps no LogState row


def entries_since(size: int) -> list[Entry]:
    return list(Entry.objects.filter(seq__gte=size).order_by("seq"))


def agency_ref(agency: Agency) -> dict[str, Any]:
    return {"id": agency.pk, "credit_code": agency.credit_code, "name": agency.name}


def new_officer(p: Personas, n: int = 90) -> Officer:
    return services.officer_create(
        actor=p.admin, agency=p.agency_a, name="陈新", id_number=id_number(n), phone="13800139090"
    )


def applied_certificate(p: Personas, officer: Officer, number: str = "130399000001") -> Certificate:
    return services.certificate_register(
        actor=p.admin,
        officer=officer,
        number=number,
        kind=Certificate.Kind.ENFORCEMENT,
        domains=[p.domain],
        region_code="130302",
        effective_on=date(2026, 11, 2),
    )


def draft_item(p: Personas, code: str = "330217") -> PowerItem:
    return services.power_item_create(
        actor=p.admin,
        agency=p.agency_a,
        code=code,
        name="对经营超过保质期食品的处罚",
        category=PowerItem.Category.PENALTY,
        domain=p.domain,
        implementing_level=Agency.Level.COUNTY,
        bases=BASIS,
        procedure_steps=["立案", "调查", "决定"],
    )


def published_item(p: Personas) -> PowerItem:
    return services.power_item_publish(actor=p.admin, item=draft_item(p), on=date(2025, 12, 1))


@scenario("registry.agency.create")
def _agency_create(p: Personas) -> tuple[Call, Expected]:
    def call() -> Agency:
        return services.agency_create(
            actor=p.admin,
            name="示范市甲区综合行政执法队",
            credit_code=credit_code(30),
            level=Agency.Level.TOWNSHIP,
            division_code="130302",
            kind=Agency.Kind.ENTRUSTED,
            entrusted_by=p.agency_a,
            domains=[p.domain, p.other_domain],
            qualification_announced_on=date(2024, 3, 1),
        )

    return call, lambda agency: {
        "model": "registry.agency",
        "id": agency.pk,
        "credit_code": credit_code(30),
        "name": "示范市甲区综合行政执法队",
        "kind": "entrusted",
        "entrusted_by": agency_ref(p.agency_a),
        "parent": None,
        "domains": ["environment", "market"],
        "qualification_announced_on": "2024-03-01",
        "status": "active",
    }


@scenario("registry.agency.status_change")
def _agency_status_change(p: Personas) -> tuple[Call, Expected]:
    def call() -> Agency:
        return services.agency_status_change(
            actor=p.admin, agency=p.agency_b, to_status=Agency.Status.REVOKED
        )

    return call, lambda agency: {
        "model": "registry.agency",
        "id": p.agency_b.pk,
        "credit_code": p.agency_b.credit_code,
        "from": "active",
        "to": "revoked",
    }


@scenario("registry.review_body.set")
def _review_body_set(p: Personas) -> tuple[Call, Expected]:
    def call() -> Any:
        return services.review_body_set(
            actor=p.admin, agency=p.agency_a, name="法制科", established_on=date(2025, 1, 2)
        )

    return call, lambda body: {
        "model": "registry.reviewbody",
        "id": body.pk,
        "agency": agency_ref(p.agency_a),
        "created": False,
        "from": {"name": "甲区市场监管局法制审核科", "established_on": None},
        "to": {"name": "法制科", "established_on": "2025-01-02"},
    }


@scenario("registry.review_staff.assign")
def _review_staff_assign(p: Personas) -> tuple[Call, Expected]:
    officer = p.officer.officer
    assert officer is not None
    body_id = ReviewBody.objects.get(agency=p.agency_a).pk

    def call() -> Officer:
        return services.review_staff_assign(actor=p.admin, officer=officer)

    return call, lambda _: {
        "model": "registry.officer",
        "id": officer.pk,
        "name": "张执法",
        "assigned": True,
        "from": None,
        "to": body_id,
    }


@scenario("registry.officer.create")
def _officer_create(p: Personas) -> tuple[Call, Expected]:
    def call() -> Officer:
        return services.officer_create(
            actor=p.admin,
            agency=p.agency_a,
            name="陈新",
            id_number=id_number(91),
            phone="13800139091",
            position="科员",
        )

    return call, lambda officer: {
        "model": "registry.officer",
        "id": officer.pk,
        "name": "陈新",
        "agency": agency_ref(p.agency_a),
        "position": "科员",
        "has_legal_qualification": False,
        "status": "serving",
    }


@scenario("registry.officer.leave")
def _officer_leave(p: Personas) -> tuple[Call, Expected]:
    officer = p.officer2.officer
    assert officer is not None
    cert = Certificate.objects.get(officer=officer)

    def call() -> Officer:
        return services.officer_leave(actor=p.admin, officer=officer, reason="调离", on=TODAY)

    return call, lambda _: {
        "model": "registry.officer",
        "id": officer.pk,
        "from": "serving",
        "to": "left",
        "reason": "调离",
        "on": "2026-11-20",
        "certificates": [
            {"id": cert.pk, "number": cert.number, "from": "valid", "to": "cancelled"}
        ],
    }


@scenario("registry.certificate.register")
def _certificate_register(p: Personas) -> tuple[Call, Expected]:
    officer = new_officer(p)
    return lambda: applied_certificate(p, officer), lambda cert: {
        "model": "registry.certificate",
        "id": cert.pk,
        "number": "130399000001",
        "kind": "enforcement",
        "officer": {"id": officer.pk, "name": "陈新"},
        "agency": agency_ref(p.agency_a),
        "domains": ["market"],
        "region_code": "130302",
        "from": "",
        "to": "applied",
        "reason": "申领",
        "effective_on": "2026-11-02",
    }


@scenario("registry.certificate.issue")
def _certificate_issue(p: Personas) -> tuple[Call, Expected]:
    officer = new_officer(p)
    cert = applied_certificate(p, officer)

    def call() -> Certificate:
        return services.certificate_issue(
            actor=p.admin,
            certificate=cert,
            issued_on=date(2026, 11, 10),
            expires_on=date(2031, 11, 9),
        )

    return call, lambda _: {
        "model": "registry.certificate",
        "id": cert.pk,
        "number": cert.number,
        "officer": {"id": officer.pk, "name": "陈新"},
        "from": "applied",
        "to": "valid",
        "reason": "核发",
        "effective_on": "2026-11-10",
        "issued_on": "2026-11-10",
        "expires_on": "2031-11-09",
    }


@scenario("registry.certificate.status_change")
def _certificate_status_change(p: Personas) -> tuple[Call, Expected]:
    cert = Certificate.objects.get(officer__name="张执法")

    def call() -> Certificate:
        return services.certificate_status_change(
            actor=p.admin,
            certificate=cert,
            to_status=Certificate.Status.SUSPENDED,
            reason=" 违规使用 ",
            effective_on=TODAY,
        )

    return call, lambda _: {
        "model": "registry.certificate",
        "id": cert.pk,
        "number": cert.number,
        "from": "valid",
        "to": "suspended",
        "reason": "违规使用",
        "effective_on": "2026-11-20",
    }


@scenario("registry.training.add")
def _training_record_add(p: Personas) -> tuple[Call, Expected]:
    officer = new_officer(p)

    def call() -> TrainingRecord:
        return services.training_record_add(
            actor=p.admin,
            officer=officer,
            year=2026,
            kind=TrainingRecord.Kind.LEGAL,
            hours=Decimal("12.5"),
            course="行政处罚法",
            completed_on=date(2026, 5, 6),
        )

    return call, lambda record: {
        "model": "registry.trainingrecord",
        "id": record.pk,
        "officer": {"id": officer.pk, "name": "陈新"},
        "year": 2026,
        "kind": "legal",
        "hours": "12.5",
        "course": "行政处罚法",
        "completed_on": "2026-05-06",
    }


@scenario("registry.exam.add")
def _exam_result_add(p: Personas) -> tuple[Call, Expected]:
    officer = new_officer(p)

    def call() -> Any:
        return services.exam_result_add(
            actor=p.admin,
            officer=officer,
            name="执法资格考试",
            taken_on=date(2026, 6, 1),
            score=86,
            passed=True,
        )

    return call, lambda result: {
        "model": "registry.examresult",
        "id": result.pk,
        "officer": {"id": officer.pk, "name": "陈新"},
        "taken_on": "2026-06-01",
        "score": "86.0",
        "passed": True,
    }


@scenario("registry.power_item.create")
def _power_item_create(p: Personas) -> tuple[Call, Expected]:
    return lambda: draft_item(p), lambda item: {
        "model": "registry.poweritem",
        "id": item.pk,
        "agency": agency_ref(p.agency_a),
        "code": "330217",
        "version": 1,
        "category": "penalty",
        "domain": "market",
        "procedure_steps": ["立案", "调查", "决定"],
        "status": "draft",
        "bases": [
            {
                "law": "中华人民共和国食品安全法",
                "article": "第一百二十四条",
                "text": "违反本法规定……",
            }
        ],
    }


@scenario("registry.power_item.publish")
def _power_item_publish(p: Personas) -> tuple[Call, Expected]:
    first = published_item(p)
    draft = services.power_item_revise(actor=p.admin, item=first, change_note="依据修订")

    def call() -> PowerItem:
        return services.power_item_publish(actor=p.admin, item=draft, on=TODAY)

    return call, lambda item: {
        "model": "registry.poweritem",
        "id": draft.pk,
        "code": "330217",
        "version": 2,
        "from": "draft",
        "to": "published",
        "on": "2026-11-20",
        "superseded": [{"id": first.pk, "version": 1}],
    }


@scenario("registry.power_item.revise")
def _power_item_revise(p: Personas) -> tuple[Call, Expected]:
    first = published_item(p)

    def call() -> PowerItem:
        return services.power_item_revise(
            actor=p.admin, item=first, change_note="名称规范", name="对经营过期食品的处罚"
        )

    return call, lambda item: {
        "model": "registry.poweritem",
        "id": item.pk,
        "code": "330217",
        "version": 2,
        "name": "对经营过期食品的处罚",
        "status": "draft",
        "previous": {"id": first.pk, "version": 1},
        "change_note": "名称规范",
        "changed": ["name"],
        "bases": [
            {
                "law": "中华人民共和国食品安全法",
                "article": "第一百二十四条",
                "text": "违反本法规定……",
            }
        ],
    }


@scenario("registry.power_item.repeal")
def _power_item_repeal(p: Personas) -> tuple[Call, Expected]:
    item = published_item(p)

    def call() -> PowerItem:
        return services.power_item_repeal(actor=p.admin, item=item, reason="法律废止", on=TODAY)

    return call, lambda _: {
        "model": "registry.poweritem",
        "id": item.pk,
        "code": "330217",
        "version": 1,
        "from": "published",
        "to": "repealed",
        "reason": "法律废止",
        "on": "2026-11-20",
    }


@scenario("registry.account.create")
def _account_create(p: Personas) -> tuple[Call, Expected]:
    officer = new_officer(p)

    def call() -> Account:
        return services.account_create(
            actor=p.admin,
            username="chenxin",
            password="zhifa-secret-pass",
            role=Account.Role.OFFICER,
            agency=p.agency_a,
            officer=officer,
        )

    return call, lambda account: {
        "model": "registry.account",
        "id": account.pk,
        "username": "chenxin",
        "role": "officer",
        "agency": agency_ref(p.agency_a),
        "officer": {"id": officer.pk, "name": "陈新"},
        "display_name": "陈新",
        "is_superuser": False,
    }


@scenario("registry.api_token.issue")
def _api_token_issue(p: Personas) -> tuple[Call, Expected]:
    def call() -> tuple[ApiToken, str]:
        return services.api_token_issue(actor=p.admin, name="报送")

    return call, lambda issued: {
        "model": "registry.apitoken",
        "id": issued[0].pk,
        "name": "报送",
        "prefix": issued[1][:8],
        "account": {"id": p.admin.pk},
    }


@scenario("registry.api_token.revoke")
def _api_token_revoke(p: Personas) -> tuple[Call, Expected]:
    token, _ = services.api_token_issue(actor=p.admin, name="报送")

    def call() -> ApiToken:
        return services.api_token_revoke(actor=p.admin, token=token)

    return call, lambda _: {
        "model": "registry.apitoken",
        "id": token.pk,
        "prefix": token.prefix,
        "revoked_at": "2026-11-20T02:00:00.000000Z",
    }


@scenario("registry.officer.update")
def _officer_update(p: Personas) -> tuple[Call, Expected]:
    officer = new_officer(p)

    def call() -> Officer:
        return services.officer_update(
            actor=p.admin, officer=officer, name="陈欣", phone="13900139001", position="科员"
        )

    return call, lambda _: {
        "model": "registry.officer",
        "id": officer.pk,
        "name": "陈欣",
        "changed": ["name", "phone", "position"],
        # the phone changed, but its value is not in the log (the state digest covers it)
        "from": {"name": "陈新", "position": ""},
        "to": {"name": "陈欣", "position": "科员"},
    }


@scenario("registry.account.update")
def _account_update(p: Personas) -> tuple[Call, Expected]:
    def call() -> Account:
        return services.account_update(
            actor=p.admin,
            account=p.publisher,
            role=Account.Role.PUBLISHER,
            agency=p.agency_a,
            region_code="",
            officer=None,
            display_name="孙公示",
            is_active=False,
        )

    return call, lambda _: {
        "model": "registry.account",
        "id": p.publisher.pk,
        "username": "publisher",
        "changed": ["is_active"],
        "from": {"is_active": True},
        "to": {"is_active": False},
    }


@scenario("registry.training_requirement.set")
def _training_requirement_set(p: Personas) -> tuple[Call, Expected]:
    def call() -> Any:
        return services.training_requirement_set(
            actor=p.admin,
            region_code="130300",
            legal_hours=Decimal(20),
            professional_hours=Decimal(40),
            basis="示范市行政执法人员培训办法第十条",
        )

    return call, lambda requirement: {
        "model": "registry.trainingrequirement",
        "id": requirement.pk,
        "from": None,
        "to": {
            "region_code": "130300",
            "legal_hours": "20.0",
            "professional_hours": "40.0",
            "basis": "示范市行政执法人员培训办法第十条",
        },
    }


@scenario("registry.rows.load")
def _rows_load(p: Personas) -> tuple[Call, Expected]:
    officer = p.officer_record
    record = TrainingRecord.objects.create(
        officer=officer, year=2026, kind="legal", hours=Decimal(4)
    )

    def call() -> Entry:
        return services.rows_load_record(actor=p.admin, load="补录培训", rows=[record])

    return call, lambda _: {"load": "补录培训", "counts": {"registry.trainingrecord": 1}}


def test_every_recorded_action_has_a_scenario_here() -> None:
    assert set(SCENARIOS) == set(services.ACTIONS) - {"registry.demo.load"}


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("action", list(SCENARIOS))
def test_each_registry_entry_holds_the_state_digest_of_every_row_it_wrote(
    action: str, personas: Personas
) -> None:
    """The entry's ``state`` lists the rows the service wrote, each with the keyed digest of
    its state as stored (API tokens are not tracked), and the log verifies afterwards."""
    call, _ = SCENARIOS[action](personas)
    before = log_size()
    call()
    [entry] = entries_since(before)
    if action.startswith("registry.api_token."):
        assert "state" not in entry.data
    else:
        state = entry.data["state"]
        assert state["key"] == row_state.key_id(replay.current_key())
        for label, runs in state["rows"].items():
            spec = replay.BY_LABEL[label]
            recorded = dict(row_state.unpack(runs))
            assert recorded
            assert recorded == dict(replay.digests_of(spec.model(pk=pk) for pk in recorded)[label])
    assert log_verify(check_files=False).ok


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("action", list(SCENARIOS))
def test_each_registry_service_appends_exactly_one_entry(action: str, personas: Personas) -> None:
    call, expected = SCENARIOS[action](personas)
    before = log_size()
    result = call()
    [entry] = entries_since(before)
    assert entry.action == action
    assert entry.case_id is None
    assert (entry.actor_id, entry.actor_name, entry.role) == (
        personas.admin.pk,
        "系统管理员",
        "admin",
    )
    want = expected(result)
    assert {key: entry.data.get(key) for key in want} == want


def test_bootstrap_account_is_recorded_as_the_system(db: None) -> None:
    before = log_size()
    account = services.account_create(
        actor=None,
        username="root",
        password="zhifa-secret-pass",
        role=Account.Role.ADMIN,
    )
    [entry] = entries_since(before)
    assert (entry.actor_id, entry.actor_name, entry.role) == (None, "系统", "system")
    assert entry.action == "registry.account.create"
    assert entry.data["id"] == account.pk
    assert entry.data["is_superuser"] is True


def test_entry_names_the_actor_by_username_when_the_account_has_no_display_name(
    personas: Personas,
) -> None:
    manager = services.account_create(
        actor=personas.admin,
        username="region-admin",
        password="zhifa-secret-pass",
        role=Account.Role.ADMIN,
        region_code="130300",
    )
    before = log_size()
    services.agency_status_change(
        actor=manager, agency=personas.agency_a, to_status=Agency.Status.SUSPENDED
    )
    [entry] = entries_since(before)
    assert (entry.actor_id, entry.actor_name, entry.role) == (manager.pk, "region-admin", "admin")


def test_demo_load_record_is_one_summary_entry_of_the_system(db: None) -> None:
    before = log_size()
    services.demo_load_record(actor=None, demo="city", counts={"agencies": 12, "officers": 300})
    [entry] = entries_since(before)
    assert entry.action == "registry.demo.load"
    assert entry.role == "system"
    assert entry.data == {"demo": "city", "counts": {"agencies": 12, "officers": 300}}


# -- refusals and rollbacks --


def _refused_revoke(p: Personas) -> Call:
    token, _ = services.api_token_issue(actor=p.admin, name="报送")
    return lambda: services.api_token_revoke(actor=p.officer, token=token)


def _refused_publish(p: Personas) -> Call:
    item = published_item(p)
    return lambda: services.power_item_publish(actor=p.admin, item=item, on=TODAY)


# Each prepares a call the service refuses (preparation may write; the call must not).
REFUSALS: dict[str, Callable[[Personas], Call]] = {
    "not-a-registry-manager": lambda p: (
        lambda: services.officer_create(
            actor=p.head, agency=p.agency_a, name="新人", id_number=id_number(77)
        )
    ),
    "duplicate-id-number": lambda p: (
        lambda: services.officer_create(
            actor=p.admin, agency=p.agency_a, name="重复", id_number=id_number(1)
        )
    ),
    "status-change-without-reason": lambda p: (
        lambda: services.certificate_status_change(
            actor=p.admin,
            certificate=Certificate.objects.get(officer__name="张执法"),
            to_status=Certificate.Status.SUSPENDED,
            reason=" ",
            effective_on=TODAY,
        )
    ),
    "issue-a-valid-certificate": lambda p: (
        lambda: services.certificate_issue(
            actor=p.admin,
            certificate=Certificate.objects.get(officer__name="张执法"),
            issued_on=date(2026, 11, 10),
            expires_on=date(2031, 11, 9),
        )
    ),
    "publish-a-published-item": _refused_publish,
    "revoke-another-accounts-token": _refused_revoke,
    "duplicate-username": lambda p: (
        lambda: services.account_create(
            actor=p.admin,
            username="admin",
            password="zhifa-secret-pass",
            role=Account.Role.ADMIN,
        )
    ),
}


@pytest.mark.parametrize("refusal", list(REFUSALS))
def test_a_refused_service_leaves_the_log_unchanged(refusal: str, personas: Personas) -> None:
    call = REFUSALS[refusal](personas)
    before = log_size()
    with pytest.raises(RuleViolation):
        call()
    assert log_size() == before
    assert Entry.objects.count() == before


def test_a_refused_certificate_issue_keeps_the_certificate_unissued(personas: Personas) -> None:
    cert = applied_certificate(personas, new_officer(personas))
    before = log_size()
    with pytest.raises(RuleViolation):
        services.certificate_issue(
            actor=personas.admin,
            certificate=cert,
            issued_on=date(2026, 11, 10),
            expires_on=date(2026, 11, 10),
        )
    assert log_size() == before
    cert.refresh_from_db()
    assert (cert.status, cert.issued_on) == (Certificate.Status.APPLIED, None)


def officers_csv(rows: list[list[str]]) -> bytes:
    out = io.BytesIO()
    write_csv(
        out,
        ["所属主体统一社会信用代码", "姓名", "身份证号码", "手机号码"],
        rows,
    )
    return bytes(out.getvalue())


def run_import(actor: Account, kind: str, content: bytes) -> ImportResult:
    return registry_import(
        actor=actor, kind=kind, content=content, filename="data.csv", today=TODAY
    )


def test_a_failed_import_leaves_no_entry_even_for_its_good_rows(personas: Personas) -> None:
    code = personas.agency_a.credit_code
    before = log_size()
    result = run_import(
        personas.admin,
        OFFICERS,
        officers_csv(
            [
                [code, "新人甲", id_number(81), ""],  # written through the service, then undone
                [code, "新人乙", id_number(82), ""],
                [code, "重复", id_number(1), ""],  # already registered: the service refuses
            ]
        ),
    )
    assert not result.ok
    assert any("已登记" in str(e) for e in result.errors)
    assert log_size() == before
    assert Entry.objects.count() == before
    assert not Officer.objects.filter(name__startswith="新人").exists()
    # The log goes on from where it was, and still verifies.
    services.officer_create(
        actor=personas.admin, agency=personas.agency_a, name="新人丙", id_number=id_number(83)
    )
    [entry] = entries_since(before)
    assert (entry.seq, entry.action) == (before, "registry.officer.create")
    assert log_verify(check_files=False).ok


def test_a_successful_import_records_each_row_through_its_service(personas: Personas) -> None:
    code = personas.agency_a.credit_code
    before = log_size()
    result = run_import(
        personas.admin,
        OFFICERS,
        officers_csv([[code, "新人甲", id_number(81), ""], [code, "新人乙", id_number(82), ""]]),
    )
    assert result.ok and result.created == 2
    entries = entries_since(before)
    assert [(e.action, e.data["name"]) for e in entries] == [
        ("registry.officer.create", "新人甲"),
        ("registry.officer.create", "新人乙"),
    ]
    assert {e.actor_id for e in entries} == {personas.admin.pk}


def test_an_imported_published_power_item_records_its_creation_and_publication(
    personas: Personas,
) -> None:
    out = io.BytesIO()
    write_csv(
        out,
        [
            "实施主体统一社会信用代码",
            "事项编码",
            "事项名称",
            "权力类别",
            "执法领域",
            "实施层级",
            "设定依据",
        ],
        [
            [
                personas.agency_a.credit_code,
                "JC-009",
                "食品经营监督检查",
                "行政检查",
                "市场监管",
                "县级",
                "《中华人民共和国食品安全法》第一百一十条",
            ]
        ],
    )
    before = log_size()
    result = run_import(personas.admin, POWER_ITEMS, out.getvalue())
    assert result.ok, result.errors
    assert [e.action for e in entries_since(before)] == [
        "registry.power_item.create",
        "registry.power_item.publish",
    ]


# -- what never enters the log --


def test_no_token_value_or_hash_and_no_id_number_or_phone_is_ever_logged(
    personas: Personas,
) -> None:
    token, raw = services.api_token_issue(actor=personas.officer, name="报送")
    services.api_token_revoke(actor=personas.officer, token=token)
    officer = new_officer(personas)
    applied_certificate(personas, officer)
    services.account_create(
        actor=personas.admin,
        username="chenxin",
        password="zhifa-secret-pass",
        role=Account.Role.OFFICER,
        agency=personas.agency_a,
        officer=officer,
    )
    services.officer_leave(actor=personas.admin, officer=officer, reason="调离", on=TODAY)
    logged = "\n".join(e.payload for e in Entry.objects.all())
    assert raw not in logged and raw[8:] not in logged
    assert token.key_hash not in logged
    assert "zhifa-secret-pass" not in logged
    secrets = Officer.objects.values_list("id_number", "phone")
    for number, phone in secrets:
        assert number not in logged
        if phone:
            assert phone not in logged
    assert all(
        "id_number" not in json.loads(e.payload) and "phone" not in json.loads(e.payload)
        for e in Entry.objects.filter(action__startswith="registry.officer")
    )


# -- the log as a whole --


def test_the_log_verifies_after_a_series_of_registry_writes(personas: Personas) -> None:
    for action in ("registry.officer.leave", "registry.power_item.publish"):
        call, _ = SCENARIOS[action](personas)
        call()
    token, _ = services.api_token_issue(actor=personas.officer, name="报送")
    services.api_token_revoke(actor=personas.officer, token=token)
    report = log_verify(check_files=False)
    assert report.ok, [p.message for p in report.problems]
    assert report.size == Entry.objects.count() > 0
    assert not Entry.objects.filter(case_id__isnull=False).exists()
