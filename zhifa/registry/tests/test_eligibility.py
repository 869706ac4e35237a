"""May officer X act in domain D on date T? — the selector and its reasons."""

from datetime import date
from decimal import Decimal

import pytest

from zhifa.core.testing import Personas
from zhifa.registry import selectors, services
from zhifa.registry.models import Certificate, TrainingRecord, TrainingRequirement

pytestmark = pytest.mark.django_db


def test_officer_with_valid_certificate_may_act_in_its_domain(personas: Personas) -> None:
    answer = selectors.officer_may_act(personas.officer_record, personas.domain, date(2026, 11, 20))
    assert answer.allowed
    assert answer.reasons == ()
    assert answer.certificate_number == "130300000001"


def test_certificate_is_valid_on_its_expiry_day_and_not_the_day_after(personas: Personas) -> None:
    officer = personas.expired_officer.officer
    assert officer is not None
    assert selectors.officer_may_act(officer, personas.domain, date(2026, 6, 29)).allowed
    assert selectors.officer_may_act(officer, personas.domain, date(2026, 6, 30)).allowed
    answer = selectors.officer_may_act(officer, personas.domain, date(2026, 7, 1))
    assert not answer.allowed
    assert "证件130300000003已于2026-06-30过期" in answer.reasons
    assert any("《行政处罚法》第四十二条" in r for r in answer.reasons)


def test_officer_may_not_act_outside_certificate_domain(personas: Personas) -> None:
    answer = selectors.officer_may_act(
        personas.officer_record, personas.other_domain, date(2026, 11, 20)
    )
    assert not answer.allowed
    assert "证件130300000001的执法领域不含“生态环境”" in answer.reasons


def test_officer_may_not_act_outside_certificate_region(personas: Personas) -> None:
    officer = personas.officer_record
    inside = selectors.officer_may_act(
        officer, personas.domain, date(2026, 11, 20), region="130302"
    )
    outside = selectors.officer_may_act(
        officer, personas.domain, date(2026, 11, 20), region="130303"
    )
    assert inside.allowed
    assert not outside.allowed
    assert "证件130300000001的执法区域（130302）不含130303" in outside.reasons


def test_suspended_certificate_stops_acting_until_restored(personas: Personas) -> None:
    cert = Certificate.objects.get(number="130300000001")
    services.certificate_status_change(
        actor=personas.admin,
        certificate=cert,
        to_status="suspended",
        reason="涉嫌违纪",
        effective_on=date(2026, 11, 1),
    )
    answer = selectors.officer_may_act(personas.officer_record, personas.domain, date(2026, 11, 20))
    assert not answer.allowed
    assert "证件130300000001状态为“暂扣”" in answer.reasons
    services.certificate_status_change(
        actor=personas.admin,
        certificate=cert,
        to_status="valid",
        reason="调查结束",
        effective_on=date(2026, 11, 21),
    )
    assert selectors.officer_may_act(personas.officer_record, personas.domain, date(2026, 11, 21))
    history = [(c.from_status, c.to_status) for c in selectors.certificate_history(cert)]
    assert history == [("", "valid"), ("valid", "suspended"), ("suspended", "valid")]


def test_cancelled_certificate_cannot_be_restored(personas: Personas) -> None:
    cert = Certificate.objects.get(number="130300000001")
    services.certificate_status_change(
        actor=personas.admin,
        certificate=cert,
        to_status="cancelled",
        reason="调离",
        effective_on=date(2026, 11, 1),
    )
    with pytest.raises(Exception, match="证件状态不能从“注销”变为“有效”"):
        services.certificate_status_change(
            actor=personas.admin,
            certificate=cert,
            to_status="valid",
            reason="误操作",
            effective_on=date(2026, 11, 2),
        )


def test_training_hours_short_last_year_is_a_reason(personas: Personas) -> None:
    officer = personas.officer_record
    TrainingRecord.objects.filter(officer=officer, year=2025, kind="legal").update(
        hours=Decimal(29)
    )
    answer = selectors.officer_may_act(officer, personas.domain, date(2026, 3, 1))
    assert not answer.allowed
    assert any("2025年度公共法律知识培训29学时，不足30学时" in r for r in answer.reasons)
    # The year before is measured only in 2026; in 2025 the 2024 hours count and are complete.
    assert selectors.officer_may_act(officer, personas.domain, date(2025, 3, 1)).allowed


def test_regional_training_requirement_overrides_the_default(personas: Personas) -> None:
    TrainingRequirement.objects.create(
        region_code="130000", legal_hours=Decimal(40), professional_hours=Decimal(40)
    )
    answer = selectors.officer_may_act(personas.officer_record, personas.domain, date(2026, 3, 1))
    assert not answer.allowed
    assert any("不足40学时" in r for r in answer.reasons)


def test_supervision_certificate_does_not_allow_enforcing(personas: Personas) -> None:
    cert = Certificate.objects.get(number="130300000001")
    Certificate.objects.filter(pk=cert.pk).update(kind="supervision")
    answer = selectors.officer_may_act(personas.officer_record, personas.domain, date(2026, 11, 20))
    assert not answer.allowed
    assert "证件130300000001为监督证，不能用于执法" in answer.reasons


def test_officer_who_left_may_not_act(personas: Personas) -> None:
    services.officer_leave(
        actor=personas.admin,
        officer=personas.officer_record,
        reason="调往他处",
        on=date(2026, 11, 1),
    )
    answer = selectors.officer_may_act(personas.officer_record, personas.domain, date(2026, 11, 20))
    assert not answer.allowed
    assert "张执法已离岗" in answer.reasons
    assert "证件130300000001状态为“注销”" in answer.reasons
