"""``zhifa demo``: the demo city is complete, valid, idempotent, and its documented logins work."""

from __future__ import annotations

from datetime import date
from io import StringIO
from itertools import pairwise
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import RequestFactory

from zhifa.core.identifiers import (
    is_valid_credit_code,
    is_valid_division_code,
    is_valid_landline,
    is_valid_mobile,
    is_valid_resident_id,
)
from zhifa.registry import demo, selectors
from zhifa.registry.models import (
    Account,
    Agency,
    Certificate,
    CertificateStatusChange,
    Domain,
    ExamResult,
    LegalBasis,
    Officer,
    PowerItem,
    ReviewBody,
    TrainingRecord,
)
from zhifa.registry.transitions import can_move_certificate

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[3] / "docs" / "demo.md"
MODELS = (
    Agency,
    ReviewBody,
    Officer,
    Certificate,
    CertificateStatusChange,
    TrainingRecord,
    ExamResult,
    PowerItem,
    LegalBasis,
    Account,
    Domain,
)


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def test_demo_builds_the_city_with_bodies_officers_power_list_and_every_role() -> None:
    output = _demo()
    assert 40 <= Agency.objects.count() <= 50
    assert 550 <= Officer.objects.count() <= 650
    assert 1800 <= PowerItem.objects.count() <= 2200
    assert {a.role for a in Account.objects.all()} == set(Account.Role.values)
    assert "zhifa-admin" in output and "zhifa-supervisor" in output


def test_demo_city_has_authorised_and_entrusted_bodies_and_empowered_townships() -> None:
    _demo()
    assert Agency.objects.filter(kind=Agency.Kind.AUTHORISED).exists()
    entrusted = Agency.objects.filter(kind=Agency.Kind.ENTRUSTED)
    assert entrusted.exists()
    assert not entrusted.filter(entrusted_by__isnull=True).exists()
    townships = Agency.objects.filter(level=Agency.Level.TOWNSHIP)
    assert townships.exists() and not townships.filter(parent__isnull=True).exists()
    empowered = PowerItem.objects.filter(is_township_empowered=True)
    assert empowered.filter(empowering_decision=demo.CITY_EMPOWERING_DECISION).exists()
    assert not empowered.filter(empowering_decision="").exists()
    assert not empowered.exclude(agency__level=Agency.Level.TOWNSHIP).exists()


def test_every_body_has_a_review_body_with_two_to_five_staff_one_legally_qualified() -> None:
    _demo()
    bodies = ReviewBody.objects.annotate(
        staff_count=Count("staff"),
        qualified=Count("staff", filter=Q(staff__has_legal_qualification=True)),
    )
    assert bodies.count() == Agency.objects.count()
    assert all(2 <= b.staff_count <= 5 and b.qualified >= 1 for b in bodies)


def test_running_demo_twice_changes_nothing() -> None:
    _demo()
    before = _counts()
    output = _demo()
    assert _counts() == before
    assert "已加载，未做改动" in output


def test_every_generated_identifier_passes_its_validator() -> None:
    _demo()
    for code, division, phone in Agency.objects.values_list(
        "credit_code", "division_code", "phone"
    ):
        assert is_valid_credit_code(code), code
        assert is_valid_division_code(division), division
        assert is_valid_landline(phone), phone
    for number, phone in Officer.objects.values_list("id_number", "phone"):
        assert is_valid_resident_id(number), number
        assert is_valid_mobile(phone), phone
    for region in Certificate.objects.values_list("region_code", flat=True).distinct():
        assert is_valid_division_code(region), region


def test_each_agency_and_code_has_at_most_one_published_version_and_revisions_chain() -> None:
    _demo()
    per_code = PowerItem.objects.values("agency_id", "code").annotate(
        published=Count("pk", filter=Q(status=PowerItem.Status.PUBLISHED)),
        versions=Count("pk"),
    )
    assert all(row["published"] <= 1 for row in per_code)
    revised = [row for row in per_code if row["versions"] == 2]
    assert revised
    for item in PowerItem.objects.filter(version=2).select_related("previous"):
        assert item.previous is not None and item.previous.code == item.code
        assert item.change_note
        if item.status == PowerItem.Status.PUBLISHED:
            assert item.previous.status == PowerItem.Status.SUPERSEDED
    superseded = PowerItem.objects.filter(status=PowerItem.Status.SUPERSEDED)
    assert not superseded.filter(next_version__isnull=True).exists()
    assert not PowerItem.objects.filter(bases__isnull=True).exists()


def test_certificate_histories_follow_the_status_table() -> None:
    _demo()
    history: dict[int, list[CertificateStatusChange]] = {}
    for change in CertificateStatusChange.objects.order_by("certificate_id", "changed_at", "pk"):
        history.setdefault(change.certificate_id, []).append(change)
    certificates = list(Certificate.objects.all())
    assert {c.status for c in certificates} >= {"applied", "valid", "suspended", "cancelled"}
    for cert in certificates:
        steps = history[cert.pk]
        assert (steps[0].from_status, steps[0].to_status) == ("", Certificate.Status.APPLIED)
        for before, after in pairwise(steps):
            assert after.from_status == before.to_status
            assert can_move_certificate(after.from_status, after.to_status)
            assert after.effective_on >= before.effective_on
        assert steps[-1].to_status == cert.status
        if cert.status != Certificate.Status.APPLIED:
            assert cert.issued_on and cert.expires_on and cert.expires_on > cert.issued_on


def test_documented_demo_passwords_log_in() -> None:
    _demo()
    docs = DOCS.read_text(encoding="utf-8")
    for spec in demo.CITY_ACCOUNTS:
        assert f"`{spec.username}`" in docs and f"`{spec.password}`" in docs, spec.username
        assert (
            authenticate(
                RequestFactory().post("/login/"), username=spec.username, password=spec.password
            )
            is not None
        )


def test_demo_officer_accounts_may_act_except_the_deliberately_expired_one() -> None:
    _demo()
    on = date(2026, 11, 20)
    market = Domain.objects.get(code="market")
    for username in ("officer", "officer2", "reviewer", "head"):
        officer = Account.objects.get(username=username).officer
        assert officer is not None
        assert selectors.officer_may_act(officer, market, on).allowed, username
    env_officer = Account.objects.get(username="officer_env").officer
    assert env_officer is not None
    environment = Domain.objects.get(code="environment")
    assert selectors.officer_may_act(env_officer, environment, on).allowed
    expired = Account.objects.get(username="expired").officer
    assert expired is not None
    answer = selectors.officer_may_act(expired, market, on)
    assert not answer.allowed
    assert any("2026-06-30过期" in r for r in answer.reasons)


def test_demo_supervisor_sees_the_whole_city_and_holds_a_supervision_certificate() -> None:
    _demo()
    supervisor = Account.objects.get(username="supervisor")
    assert supervisor.region_code == demo.CITY_CODE
    assert selectors.agencies_visible_to(supervisor).count() == Agency.objects.count()
    assert supervisor.officer is not None
    kinds = set(supervisor.officer.certificates.values_list("kind", flat=True))
    assert kinds == {Certificate.Kind.SUPERVISION}


def test_province_generator_at_one_thousandth_scale_is_valid_and_idempotent() -> None:
    args = ("--scale", "province", "--scale-factor", "0.001", "--no-progress")
    _demo(*args)
    assert Agency.objects.count() == 5
    assert Officer.objects.count() == 100
    assert 40 <= PowerItem.objects.count() <= 60
    assert Account.objects.filter(username="prov_supervisor", region_code="130000").exists()
    prov_officer = Account.objects.get(username="prov_officer").officer
    assert prov_officer is not None
    assert all(is_valid_resident_id(n) for n in Officer.objects.values_list("id_number", flat=True))
    before = _counts()
    _demo(*args)
    assert _counts() == before
