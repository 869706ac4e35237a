"""Registry writes: validation with the rule named, history kept, nothing overwritten."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas, credit_code, id_number
from zhifa.record.models import Entry
from zhifa.record.verification import log_verify
from zhifa.registry import selectors, services
from zhifa.registry.models import Account, Agency, Certificate, CertificateStatusChange, PowerItem

pytestmark = pytest.mark.django_db

BASIS = [services.Basis("中华人民共和国食品安全法", "第一百二十四条")]


def test_agency_create_refuses_wrong_credit_code_check_character(personas: Personas) -> None:
    good = credit_code(9)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(RuleViolation, match="GB 32100") as exc:
        services.agency_create(
            actor=personas.admin,
            name="测试局",
            credit_code=bad,
            level=Agency.Level.COUNTY,
            division_code="130302",
            kind=Agency.Kind.STATUTORY,
            domains=[personas.domain],
        )
    assert exc.value.field == "credit_code"
    assert not Agency.objects.filter(name="测试局").exists()


def test_entrusted_body_must_name_its_entrusting_body(personas: Personas) -> None:
    with pytest.raises(RuleViolation, match="受委托组织必须写明委托机关") as exc:
        services.agency_create(
            actor=personas.admin,
            name="某综合执法队",
            credit_code=credit_code(10),
            level=Agency.Level.TOWNSHIP,
            division_code="130302",
            kind=Agency.Kind.ENTRUSTED,
            domains=[personas.domain],
        )
    assert "《行政处罚法》第二十条" in str(exc.value)


def test_only_an_admin_of_the_region_writes_the_registry(personas: Personas) -> None:
    with pytest.raises(RuleViolation, match="系统管理员"):
        services.officer_create(
            actor=personas.head, agency=personas.agency_a, name="新人", id_number=id_number(77)
        )


def test_officer_create_refuses_bad_id_number(personas: Personas) -> None:
    good = id_number(78)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(RuleViolation, match="校验码") as exc:
        services.officer_create(
            actor=personas.admin, agency=personas.agency_a, name="新人", id_number=bad
        )
    assert exc.value.field == "id_number"


def test_certificate_application_then_issue_keeps_both_steps(personas: Personas) -> None:
    officer = services.officer_create(
        actor=personas.admin, agency=personas.agency_a, name="陈新", id_number=id_number(79)
    )
    cert = services.certificate_register(
        actor=personas.admin,
        officer=officer,
        number="130399000001",
        kind="enforcement",
        domains=[personas.domain],
        region_code="130302",
        effective_on=date(2026, 11, 2),
    )
    assert not selectors.officer_may_act(officer, personas.domain, date(2026, 11, 20))
    services.certificate_issue(
        actor=personas.admin,
        certificate=cert,
        issued_on=date(2026, 11, 10),
        expires_on=date(2031, 11, 9),
    )
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.VALID
    steps = list(
        CertificateStatusChange.objects.filter(certificate=cert).values_list(
            "from_status", "to_status", "reason"
        )
    )
    assert steps == [("", "applied", "申领"), ("applied", "valid", "核发")]
    # New officers are not measured against a training year they did not serve.
    assert selectors.officer_may_act(officer, personas.domain, date(2026, 11, 20))
    assert not selectors.officer_may_act(officer, personas.domain, date(2026, 11, 9))


def test_status_change_needs_a_reason(personas: Personas) -> None:
    cert = Certificate.objects.get(number="130300000001")
    with pytest.raises(RuleViolation, match="须写明原因"):
        services.certificate_status_change(
            actor=personas.admin,
            certificate=cert,
            to_status="suspended",
            reason=" ",
            effective_on=date(2026, 11, 1),
        )
    assert CertificateStatusChange.objects.filter(certificate=cert).count() == 1


def test_power_item_needs_a_legal_basis(personas: Personas) -> None:
    with pytest.raises(RuleViolation, match="设定依据"):
        services.power_item_create(
            actor=personas.admin,
            agency=personas.agency_a,
            code="330217001000",
            name="对无证经营的处罚",
            category="penalty",
            domain=personas.domain,
            implementing_level="county",
            bases=[],
        )


def test_published_power_item_is_never_edited_a_revision_is_a_new_version(
    personas: Personas,
) -> None:
    v1 = services.power_item_create(
        actor=personas.admin,
        agency=personas.agency_a,
        code="330217001000",
        name="对生产经营不符合食品安全标准食品的处罚",
        category="penalty",
        domain=personas.domain,
        implementing_level="county",
        bases=BASIS,
        procedure_steps=["立案", "调查取证", "决定"],
    )
    assert selectors.agency_holds_power(personas.agency_a, "330217001000") is None
    services.power_item_publish(actor=personas.admin, item=v1, on=date(2026, 1, 5))
    assert selectors.agency_holds_power(personas.agency_a, "330217001000") == v1

    v2 = services.power_item_revise(
        actor=personas.admin,
        item=v1,
        change_note="依据修订",
        name="对生产经营不符合食品安全标准食品等的处罚",
        bases=[*BASIS, services.Basis("中华人民共和国行政处罚法", "第二十八条")],
    )
    assert (v2.version, v2.status, v2.previous_id) == (2, "draft", v1.pk)
    with pytest.raises(RuleViolation, match="已有待发布的第2版"):
        services.power_item_revise(actor=personas.admin, item=v1, change_note="再改", name="x")
    services.power_item_publish(actor=personas.admin, item=v2, on=date(2026, 6, 1))

    v1.refresh_from_db()
    assert v1.status == PowerItem.Status.SUPERSEDED
    assert v1.name == "对生产经营不符合食品安全标准食品的处罚"  # the old text is kept as it was
    assert [b.article for b in v1.bases.all()] == ["第一百二十四条"]
    assert selectors.agency_holds_power(personas.agency_a, "330217001000") == v2
    assert [i.version for i in selectors.power_item_versions(v2)] == [2, 1]


def test_repealed_power_is_no_longer_held(personas: Personas) -> None:
    item = services.power_item_create(
        actor=personas.admin,
        agency=personas.agency_a,
        code="330217002000",
        name="某项检查",
        category="inspection",
        domain=personas.domain,
        implementing_level="county",
        bases=BASIS,
    )
    services.power_item_publish(actor=personas.admin, item=item, on=date(2026, 1, 5))
    services.power_item_repeal(
        actor=personas.admin, item=item, reason="上级取消", on=date(2026, 9, 1)
    )
    assert selectors.agency_holds_power(personas.agency_a, "330217002000") is None
    assert PowerItem.objects.filter(code="330217002000").count() == 1


def test_township_empowered_item_names_its_decision(personas: Personas) -> None:
    with pytest.raises(RuleViolation, match="赋权决定"):
        services.power_item_create(
            actor=personas.admin,
            agency=personas.agency_a,
            code="330217003000",
            name="某项处罚",
            category="penalty",
            domain=personas.domain,
            implementing_level="township",
            bases=BASIS,
            is_township_empowered=True,
        )


def test_account_create_refuses_supervisor_without_region(personas: Personas) -> None:
    with pytest.raises(RuleViolation, match="须指定监督区域"):
        services.account_create(
            actor=personas.admin, username="sup2", password="x" * 12, role="supervisor"
        )


def test_only_the_system_administrator_enters_the_unscoped_django_admin(
    personas: Personas, client: Client
) -> None:
    regional = services.account_create(
        actor=personas.admin,
        username="regional",
        password="x" * 12,
        role="admin",
        region_code="130300",
    )
    assert not regional.is_staff
    client.force_login(regional)
    assert client.get("/admin/").status_code == 302  # sent to the admin login, not let in
    client.force_login(personas.admin)
    assert client.get("/admin/").status_code == 200


def test_createsuperuser_makes_a_system_administrator(db: None) -> None:
    call_command("createsuperuser", username="root", email="", interactive=False, stdout=StringIO())
    root = Account.objects.get(username="root")
    assert (root.role, root.agency_id, root.region_code, root.is_staff) == ("admin", None, "", True)
    # made through the recorded service: the log verifies, registry replay included
    assert Entry.objects.filter(action="registry.account.create").count() == 1
    assert log_verify(check_files=False).ok
