"""The officers' figures on a day: 执法岗位人数, 持证人数 (a certificate counts to the end of its
有效期至 day), 持证率, 完成年度培训人数 (the year's hours against the region's requirement)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.core.testing import Personas, id_number
from zhifa.registry import services
from zhifa.registry.models import Certificate, TrainingRecord
from zhifa.statistics.selectors_tables import certified_rate, officer_figures

pytestmark = pytest.mark.django_db


def _counts(p: Personas, on: date) -> dict[str, int]:
    return {k: f.count for k, f in officer_figures([p.agency_a.pk], on).items()}


def _officer_expiring(p: Personas, expires: date, *, hours: Decimal = Decimal(30)) -> None:
    officer = services.officer_create(
        actor=p.admin, agency=p.agency_a, name="郑年末", id_number=id_number(41), phone=""
    )
    services.certificate_register(
        actor=p.admin,
        officer=officer,
        number="130300000041",
        kind="enforcement",
        domains=[p.domain],
        region_code=p.agency_a.division_code,
        status=Certificate.Status.VALID,
        issued_on=date(2022, 1, 1),
        expires_on=expires,
        reason="导入",
        effective_on=date(2026, 11, 1),  # imported late in the year: valid since its issue day
    )
    rows = [
        TrainingRecord.objects.create(officer=officer, year=2026, kind=k, hours=hours)
        for k in ("legal", "professional")
    ]
    services.rows_load_record(actor=None, load="test", rows=rows)


def test_a_certificate_expiring_on_31_december_counts_on_31_december_not_on_1_january(
    personas: Personas,
) -> None:
    p = personas
    before = _counts(p, date(2026, 12, 31))
    _officer_expiring(p, date(2026, 12, 31))
    on_the_day = _counts(p, date(2026, 12, 31))
    assert on_the_day["officers.posts"] == before["officers.posts"] + 1
    assert on_the_day["officers.certified"] == before["officers.certified"] + 1
    assert _counts(p, date(2027, 1, 1))["officers.certified"] == before["officers.certified"]
    assert _counts(p, date(2026, 12, 30))["officers.certified"] == on_the_day["officers.certified"]


def test_the_personas_expired_certificate_counts_to_30_june(personas: Personas) -> None:
    # 5 officers serve in agency A; 王过期's certificate ends on 30 June 2026.
    assert _counts(personas, date(2026, 6, 29))["officers.certified"] == 5
    assert _counts(personas, date(2026, 6, 30))["officers.certified"] == 5
    got = officer_figures([personas.agency_a.pk], date(2026, 7, 1))
    assert got["officers.posts"].count == 5
    assert got["officers.certified"].count == 4
    assert got["officers.certified_rate"].amount == Decimal("80.0")


def test_a_suspended_certificate_does_not_count_from_its_effective_day(
    personas: Personas,
) -> None:
    p = personas
    assert p.officer.officer is not None
    cert = Certificate.objects.get(officer=p.officer.officer)
    services.certificate_status_change(
        actor=p.admin,
        certificate=cert,
        to_status=Certificate.Status.SUSPENDED,
        reason="涉嫌违法执法，暂扣",
        effective_on=date(2026, 9, 1),
    )
    # 王过期's certificate ended on 30 June: 4 certified before the suspension, 3 from it.
    assert _counts(p, date(2026, 8, 31))["officers.certified"] == 4
    assert _counts(p, date(2026, 9, 1))["officers.certified"] == 3


def test_training_completed_against_the_years_requirement(personas: Personas) -> None:
    p = personas
    assert _counts(p, date(2026, 12, 31))["officers.trained"] == 5
    assert _counts(p, date(2027, 12, 31))["officers.trained"] == 0  # nothing recorded for 2027
    _officer_expiring(p, date(2029, 12, 31), hours=Decimal("29.5"))  # half an hour short
    got = _counts(p, date(2026, 12, 31))
    assert got["officers.posts"] == 6
    assert got["officers.trained"] == 5


def test_the_rate_is_rounded_half_up_and_absent_without_posts() -> None:
    assert certified_rate(2, 3) == Decimal("66.7")
    assert certified_rate(1, 8) == Decimal("12.5")
    assert certified_rate(0, 0) is None
