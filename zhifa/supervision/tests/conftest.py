"""The supervision personas: the 示范市司法局 with two certified supervisors, one without a
监督证, and a supervisor of another region; the agency A persona's head answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from zhifa.cases.tests.conftest import fresh_tokens, world  # noqa: F401 - the cases fixtures
from zhifa.core.testing import PASSWORD, Personas, credit_code, id_number
from zhifa.registry import services as registry
from zhifa.registry.models import Account, Agency, Certificate


@dataclass
class Bureau:
    p: Personas
    body: Agency
    sup1: Account  # 监督证 valid 2024-01-01 … 2028-12-31
    sup2: Account  # same
    sup3: Account  # no 监督证
    far: Account  # another city's bureau: sees neither A nor B


def make_supervisor(
    p: Personas,
    n: int,
    name: str,
    body: Agency,
    *,
    certified: bool,
    region: str = "130300",
    scope: str = Account.SupervisionScope.REGION,
) -> Account:
    """A supervisor account of ``body`` (its officer, with a valid 监督证 when ``certified``)."""
    officer = registry.officer_create(
        actor=p.admin, agency=body, name=name, id_number=id_number(n, division="130300")
    )
    if certified:
        registry.certificate_register(
            actor=p.admin,
            officer=officer,
            number=f"J130{n:08d}",
            kind=Certificate.Kind.SUPERVISION,
            domains=[p.domain],
            region_code=region,
            status=Certificate.Status.VALID,
            issued_on=date(2024, 1, 1),
            expires_on=date(2028, 12, 31),
            reason="导入",
            effective_on=date(2024, 1, 1),
        )
    return registry.account_create(
        actor=p.admin,
        username=f"s{n}",
        password=PASSWORD,
        role=Account.Role.SUPERVISOR,
        agency=body,
        region_code=region,
        officer=officer,
        supervision_scope=scope,
    )


def make_bureau(p: Personas) -> Bureau:
    body = registry.agency_create(
        actor=p.admin,
        name="示范市司法局",
        credit_code=credit_code(91, division="130300"),
        level=Agency.Level.CITY,
        division_code="130300",
        kind=Agency.Kind.STATUTORY,
        domains=[p.domain],
    )
    other = registry.agency_create(
        actor=p.admin,
        name="另市司法局",
        credit_code=credit_code(92, division="130400"),
        level=Agency.Level.CITY,
        division_code="130400",
        kind=Agency.Kind.STATUTORY,
        domains=[p.domain],
    )
    return Bureau(
        p=p,
        body=body,
        sup1=make_supervisor(p, 901, "陈监督", body, certified=True),
        sup2=make_supervisor(p, 902, "林监督", body, certified=True),
        sup3=make_supervisor(p, 903, "何无证", body, certified=False),
        far=make_supervisor(p, 904, "外市监督", other, certified=True, region="130400"),
    )


@pytest.fixture
def bureau(personas: Personas) -> Bureau:
    return make_bureau(personas)
