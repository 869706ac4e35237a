"""Every registry write is on the record, the Django admin's included, and ``zhifa verify``
catches a registry row changed behind the log's back, naming it (issue 10, finding 3).

The finding: as ``admin``, changing an officer's name and phone and extending an expired
certificate from 2026-06-30 to 2030-06-30 in ``/admin/`` added no entry and no status history,
made the officer eligible to act, and ``zhifa verify`` still passed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings

from zhifa.core.models import CalendarOverride
from zhifa.core.testing import Personas
from zhifa.record import selectors as record_selectors
from zhifa.record.models import Entry
from zhifa.record.verification import Problem, log_verify
from zhifa.registry import demo, services
from zhifa.registry.models import (
    Account,
    Agency,
    Certificate,
    CertificateStatusChange,
    Officer,
    PowerItem,
    TrainingRecord,
)
from zhifa.registry.selectors import officer_may_act

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = date(2026, 11, 20)


def registry_problems() -> list[Problem]:
    report = log_verify(check_files=False)
    return [p for p in report.problems if p.kind.startswith("registry_")]


def entries_since(size: int) -> list[Entry]:
    return list(Entry.objects.filter(seq__gte=size).order_by("seq"))


def admin_client(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.admin)
    return client


def expired_certificate(personas: Personas) -> Certificate:
    officer = personas.expired_officer.officer
    assert officer is not None
    return Certificate.objects.get(officer=officer)


def last_entry_of(certificate: Certificate) -> int:
    """The seq of the latest entry that wrote the certificate (its registration here)."""
    entry = (
        Entry.objects.filter(action__startswith="registry.certificate.")
        .order_by("-seq")
        .only("seq", "leaf", "action")
    )
    return next(e.seq for e in entry if e.data.get("id") == certificate.pk)


# -- the Django admin ----------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_admin_cannot_extend_an_expired_certificate(personas: Personas) -> None:
    cert = expired_certificate(personas)
    client = admin_client(personas)
    page = client.get(f"/admin/registry/certificate/{cert.pk}/change/")
    assert page.status_code == 200  # shown, read-only
    assert 'name="expires_on"' not in page.content.decode()
    before = record_selectors.log_size()
    response = client.post(
        f"/admin/registry/certificate/{cert.pk}/change/",
        {"number": cert.number, "expires_on": "2030-06-30", "status": "valid"},
    )
    assert response.status_code == 403
    cert.refresh_from_db()
    assert cert.expires_on == date(2026, 6, 30)
    assert record_selectors.log_size() == before
    officer = personas.expired_officer.officer
    assert officer is not None
    assert not officer_may_act(officer, personas.domain, TODAY)


def test_admin_shows_registry_rows_but_adds_changes_and_deletes_none(personas: Personas) -> None:
    client = admin_client(personas)
    cert = expired_certificate(personas)
    item = PowerItem.objects.first()
    for path in (
        f"/admin/registry/agency/{personas.agency_a.pk}/change/",
        f"/admin/registry/certificate/{cert.pk}/change/",
        "/admin/registry/trainingrecord/",
    ):
        assert client.get(path).status_code == 200, path
    for path in (
        "/admin/registry/agency/add/",
        "/admin/registry/officer/add/",
        "/admin/registry/certificate/add/",
        "/admin/registry/trainingrecord/add/",
        "/admin/registry/poweritem/add/",
        "/admin/registry/apitoken/add/",
    ):
        assert client.get(path).status_code == 403, path
    assert (
        client.post(
            f"/admin/registry/agency/{personas.agency_a.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        item is None
        or client.post(f"/admin/registry/poweritem/{item.pk}/change/").status_code == 403
    )
    assert log_verify(check_files=False).ok


@time_machine.travel(NOW, tick=False)
def test_admin_edit_of_an_officers_name_and_phone_goes_through_the_service_and_is_recorded(
    personas: Personas,
) -> None:
    officer = personas.expired_officer.officer
    assert officer is not None
    before = record_selectors.log_size()
    response = admin_client(personas).post(
        f"/admin/registry/officer/{officer.pk}/change/",
        {"name": "王过期改", "phone": "13900139009", "position": "科员"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.name, officer.phone, officer.has_legal_qualification) == (
        "王过期改",
        "13900139009",
        False,
    )
    [entry] = entries_since(before)
    assert entry.action == "registry.officer.update"
    assert (entry.actor_id, entry.role) == (personas.admin.pk, "admin")
    assert entry.data["changed"] == ["name", "phone", "position"]
    assert "13900139009" not in entry.leaf_bytes.decode()  # the phone stays out of the log
    assert log_verify(check_files=False).ok


def test_admin_officer_edit_refused_by_the_service_keeps_nothing(personas: Personas) -> None:
    officer = personas.officer_record
    before = record_selectors.log_size()
    client = admin_client(personas)
    response = client.post(
        f"/admin/registry/officer/{officer.pk}/change/",
        {"name": "张执法", "phone": "12345", "position": ""},
        follow=True,
    )
    assert "手机号码" in response.content.decode()
    officer.refresh_from_db()
    assert officer.phone == "13800130001"
    assert record_selectors.log_size() == before


def test_admin_makes_and_changes_accounts_through_the_recorded_services(
    personas: Personas,
) -> None:
    client = admin_client(personas)
    before = record_selectors.log_size()
    response = client.post(
        "/admin/registry/account/add/",
        {
            "username": "newclerk",
            "password1": "zhifa-new-pass-1",
            "password2": "zhifa-new-pass-1",
            "role": Account.Role.PUBLISHER,
            "agency": personas.agency_a.pk,
            "region_code": "",
            "officer": "",
            "display_name": "新公示员",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = Account.objects.get(username="newclerk")
    assert account.check_password("zhifa-new-pass-1")
    response = client.post(
        f"/admin/registry/account/{account.pk}/change/",
        {
            "role": Account.Role.ADMIN,
            "agency": "",
            "region_code": "",
            "officer": "",
            "display_name": "新管理员",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.role, account.is_superuser, account.is_staff) == ("admin", True, True)
    assert [e.action for e in entries_since(before)] == [
        "registry.account.create",
        "registry.account.update",
    ]
    assert log_verify(check_files=False).ok


def test_admin_calendar_override_is_saved_and_deleted_through_a_recorded_service(
    personas: Personas,
) -> None:
    client = admin_client(personas)
    before = record_selectors.log_size()
    response = client.post(
        "/admin/core/calendaroverride/add/",
        {"date": "2027-01-01", "is_workday": "", "note": "元旦", "notice": "国办发明电〔2026〕x号"},
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get(date=date(2027, 1, 1))
    response = client.post(f"/admin/core/calendaroverride/{override.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entries = entries_since(before)
    assert [e.action for e in entries] == [
        "core.calendar_override.save",
        "core.calendar_override.delete",
    ]
    assert entries[0].data["to"] == {
        "date": "2027-01-01",
        "is_workday": False,
        "note": "元旦",
        "notice": "国办发明电〔2026〕x号",
    }
    assert entries[0].actor_id == personas.admin.pk


def test_training_requirement_is_set_in_the_admin_through_the_recorded_service(
    personas: Personas,
) -> None:
    before = record_selectors.log_size()
    response = admin_client(personas).post(
        "/admin/registry/trainingrequirement/add/",
        {
            "region_code": "130300",
            "legal_hours": "20",
            "professional_hours": "40",
            "basis": "示范市行政执法人员培训办法",
        },
    )
    assert response.status_code == 302
    [entry] = entries_since(before)
    assert entry.action == "registry.training_requirement.set"
    assert log_verify(check_files=False).ok


# -- zhifa verify: rows changed behind the log's back ----------------------------------------


def test_a_certificate_extended_behind_the_log_fails_verify_naming_the_row(
    personas: Personas,
) -> None:
    assert log_verify(check_files=False).ok
    cert = expired_certificate(personas)
    Certificate.objects.filter(pk=cert.pk).update(expires_on=date(2030, 6, 30))
    [problem] = registry_problems()
    assert problem.kind == "registry_row_altered"
    assert problem.seq == last_entry_of(cert)
    assert problem.message == (
        f"执法证件{cert.pk}（{cert.number}）与第{problem.seq}条记录所记的状态不一致"
        "（在记录之外被修改）"
    )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify", "--skip-files", stdout=out, stderr=out)
    assert f"执法证件{cert.pk}（{cert.number}）" in out.getvalue()


def test_an_officers_phone_changed_behind_the_log_is_caught_though_the_log_never_held_it(
    personas: Personas,
) -> None:
    officer = personas.officer_record
    assert "13800130001" not in b"".join(e.leaf_bytes for e in Entry.objects.all()).decode()
    Officer.objects.filter(pk=officer.pk).update(phone="13900000000")
    [problem] = registry_problems()
    assert problem.kind == "registry_row_altered"
    assert f"执法人员{officer.pk}（张执法）" in problem.message


def test_a_status_step_added_behind_the_log_alters_its_certificate(personas: Personas) -> None:
    cert = expired_certificate(personas)
    CertificateStatusChange.objects.create(
        certificate=cert, from_status="valid", to_status="valid", reason="延期", effective_on=TODAY
    )
    [problem] = registry_problems()
    assert problem.kind == "registry_row_altered"
    assert f"执法证件{cert.pk}" in problem.message


def test_rows_inserted_or_deleted_behind_the_log_are_named(personas: Personas) -> None:
    officer = personas.officer_record
    added = TrainingRecord.objects.create(officer=officer, year=2026, kind="legal", hours=30)
    gone = TrainingRecord.objects.filter(officer=officer).exclude(pk=added.pk).first()
    assert gone is not None
    gone_pk = gone.pk
    gone.delete()
    kinds = {(p.kind, p.message) for p in registry_problems()}
    assert (
        "registry_row_unrecorded",
        f"培训记录{added.pk}没有任何全过程记录（在记录之外写入）",
    ) in kinds
    assert any(
        kind == "registry_row_missing" and f"培训记录{gone_pk}已不存在" in message
        for kind, message in kinds
    )


def test_an_account_made_superuser_behind_the_log_is_caught(personas: Personas) -> None:
    Account.objects.filter(pk=personas.officer.pk).update(is_superuser=True, is_staff=True)
    [problem] = registry_problems()
    assert f"账号{personas.officer.pk}（p1）" in problem.message


def test_a_change_of_secret_key_is_told_apart_from_tampering(personas: Personas) -> None:
    with override_settings(SECRET_KEY="another-key-entirely"):
        problems = registry_problems()
        assert [p.kind for p in problems] == ["registry_digest_key_unknown"]
        assert "SECRET_KEY_FALLBACKS" in problems[0].message
    with override_settings(
        SECRET_KEY="another-key-entirely", SECRET_KEY_FALLBACKS=["test-only-not-secret"]
    ):
        assert registry_problems() == []


def test_baseline_records_rows_never_recorded_but_never_blesses_an_altered_one(
    personas: Personas,
) -> None:
    officer = personas.officer_record
    added = TrainingRecord.objects.create(officer=officer, year=2026, kind="legal", hours=30)
    Agency.objects.filter(pk=personas.agency_b.pk).update(name="改名")
    out = StringIO()
    call_command("registry_baseline", stdout=out)
    assert "已补记培训记录1条" in out.getvalue()
    [problem] = registry_problems()
    assert problem.kind == "registry_row_altered"
    assert f"执法主体{personas.agency_b.pk}（改名）" in problem.message
    assert added.pk  # recorded now: no longer reported
    out = StringIO()
    call_command("registry_baseline", stdout=out)
    assert "未做改动" in out.getvalue()


def test_services_keep_the_registry_verifiable_through_its_history(personas: Personas) -> None:
    officer = personas.officer_record
    cert = Certificate.objects.get(officer=officer)
    services.certificate_status_change(
        actor=personas.admin,
        certificate=cert,
        to_status=Certificate.Status.SUSPENDED,
        reason="年度考核不合格",
        effective_on=TODAY,
    )
    services.training_record_add(
        actor=personas.admin, officer=officer, year=2026, kind="legal", hours=Decimal(8)
    )
    services.officer_leave(actor=personas.admin, officer=officer, reason="调任", on=TODAY)
    assert log_verify(check_files=False).ok


# -- the demo --------------------------------------------------------------------------------


def test_the_demo_city_verifies_and_an_admin_edit_of_its_expired_officer_is_caught() -> None:
    demo.city_load()
    assert log_verify(check_files=False).ok
    liu = Certificate.objects.get(officer__name="刘洋", expires_on=date(2026, 6, 30))
    Certificate.objects.filter(pk=liu.pk).update(expires_on=date(2030, 6, 30))
    [problem] = registry_problems()
    assert problem.kind == "registry_row_altered"
    assert f"执法证件{liu.pk}（{liu.number}）" in problem.message
    load = Entry.objects.get(seq=problem.seq)
    assert (load.action, load.data["load"]) == ("registry.rows.load", "city")


def test_the_province_demo_verifies() -> None:
    call_command(
        "demo", "--scale", "province", "--scale-factor", "0.001", "--no-progress", stdout=StringIO()
    )
    assert log_verify(check_files=False).ok


def test_every_zhifa_model_writable_in_the_admin_saves_and_deletes_through_a_service(
    personas: Personas,
) -> None:
    """A model added to the admin later is writable only with a ``save_model`` (and, if it can
    be deleted, a ``delete_model``) of its own — which must call a recorded service."""
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = personas.admin
    zhifa_apps = {"core", "registry", "record", "cases", "review", "publicity", "publicity_search"}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in zhifa_apps:
            continue
        kind = type(model_admin)
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
            assert kind.save_model is not admin.ModelAdmin.save_model, model
        if model_admin.has_delete_permission(request):
            assert kind.delete_model is not admin.ModelAdmin.delete_model, model
            assert kind.delete_queryset is not admin.ModelAdmin.delete_queryset, model


# -- rows recorded before their model gained columns ----------------------------------------


def test_a_benchmark_recorded_before_the_upgrade_verifies_and_edits_to_any_column_are_caught(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from zhifa.registry import replay
    from zhifa.registry.models import DiscretionBenchmark

    spec = replay.BY_MODEL[DiscretionBenchmark]
    assert spec.added is not None
    before = replace(
        spec,
        columns=tuple(c for c in spec.columns if c not in spec.added.columns),
        children=tuple(c for c in spec.children if c.model not in spec.added.children),
        added=None,
    )
    # Written by the release before issue 13: its entry digests the old layout.
    monkeypatch.setitem(replay.BY_MODEL, DiscretionBenchmark, before)  # type: ignore[misc]
    benchmark = services.discretion_benchmark_create(
        actor=personas.admin,
        issuer="示范市市场监督管理局",
        domain=personas.domain,
        agency=personas.agency_a,
        violation="未按规定查验进货",
        basis="《食品安全法》第一百二十六条",
        grades=[services.Grade("standard", "一般情形", "罚款五千元")],
    )
    monkeypatch.undo()
    assert registry_problems() == []

    DiscretionBenchmark.objects.filter(pk=benchmark.pk).update(range_min=1, range_max=2)
    DiscretionBenchmark.objects.filter(pk=benchmark.pk).update(range_kind="amount")
    [problem] = registry_problems()
    assert problem.kind == "registry_row_altered"

    DiscretionBenchmark.objects.filter(pk=benchmark.pk).update(
        range_kind="kinds", range_min=None, range_max=None, violation="已被改动的违法行为"
    )
    [problem] = registry_problems()
    assert problem.kind == "registry_row_altered"

    DiscretionBenchmark.objects.filter(pk=benchmark.pk).update(violation="未按规定查验进货")
    assert registry_problems() == []
    item = services.power_item_create(
        actor=personas.admin,
        agency=personas.agency_a,
        code="330217",
        name="对未按规定查验进货的行政处罚",
        category="penalty",
        domain=personas.domain,
        implementing_level="county",
        bases=[services.Basis("中华人民共和国食品安全法", "第一百二十六条")],
    )
    benchmark.power_items.add(item)  # behind the log's back
    [problem] = registry_problems()
    assert problem.kind == "registry_row_altered"
