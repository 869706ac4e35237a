"""Every list is scoped: own agency for agency roles, the region for supervisors, all for admin."""

import pytest
from django.http import Http404

from zhifa.core.testing import Personas, credit_code
from zhifa.registry import access, selectors, services
from zhifa.registry.models import Account, Agency

pytestmark = pytest.mark.django_db


def test_officer_sees_only_own_agency(personas: Personas) -> None:
    agencies = set(selectors.agencies_visible_to(personas.officer))
    officers = {o.name for o in selectors.officers_visible_to(personas.officer)}
    assert agencies == {personas.agency_a}
    assert "张执法" in officers
    assert "周乙区" not in officers


def test_officer_of_agency_b_sees_none_of_agency_a(personas: Personas) -> None:
    officers = {o.name for o in selectors.officers_visible_to(personas.officer_b)}
    certs = {c.number for c in selectors.certificates_visible_to(personas.officer_b)}
    assert officers == {"周乙区"}
    assert certs == {"130300000006"}


def test_supervisor_sees_every_agency_of_the_region_and_no_other(personas: Personas) -> None:
    outside = services.agency_create(
        actor=personas.admin,
        name="邻市市场监督管理局",
        credit_code=credit_code(3, division="130400"),
        level=Agency.Level.CITY,
        division_code="130400",
        kind=Agency.Kind.STATUTORY,
        domains=[personas.domain],
    )
    agencies = set(selectors.agencies_visible_to(personas.supervisor))
    assert agencies == {personas.agency_a, personas.agency_b}
    assert outside in set(selectors.agencies_visible_to(personas.admin))


def test_missing_and_not_yours_answer_the_same_404(personas: Personas) -> None:
    officer_a = personas.officer_record
    with pytest.raises(Http404):
        access.access_officer(personas.officer_b, officer_a.pk)
    with pytest.raises(Http404):
        access.access_officer(personas.officer_b, 10_000_000)
    assert access.access_officer(personas.supervisor, officer_a.pk) == officer_a


def test_anonymous_and_inactive_accounts_see_nothing(personas: Personas) -> None:
    assert not selectors.agencies_visible_to(personas.anonymous).exists()  # type: ignore[arg-type]
    Account.objects.filter(pk=personas.officer.pk).update(is_active=False)
    personas.officer.refresh_from_db()
    assert not selectors.officers_visible_to(personas.officer).exists()
