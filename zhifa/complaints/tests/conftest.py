from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhifa.core.testing import PASSWORD, Personas, credit_code, make_personas
from zhifa.registry import services as registry
from zhifa.registry.models import Account, Agency

# Monday 2 March 2026, no holiday in the weeks around it.
NOW = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@dataclass
class World:
    p: Personas
    bureau: Agency  # 示范市司法局, the supervisory body
    supervisor: Account  # of the bureau, region 1303
    other_supervisor: Account  # another city's: sees neither agency


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db: None) -> World:
    p = make_personas()
    bureau = registry.agency_create(
        actor=p.admin,
        name="示范市司法局",
        credit_code=credit_code(9, division="130300"),
        level=Agency.Level.CITY,
        division_code="130300",
        kind=Agency.Kind.STATUTORY,
        domains=[p.domain],
    )
    supervisor = registry.account_create(
        actor=p.admin,
        username="sfj",
        password=PASSWORD,
        role=Account.Role.SUPERVISOR,
        agency=bureau,
        region_code="130300",
        display_name="郑监督",
    )
    other = registry.account_create(
        actor=p.admin,
        username="other-city",
        password=None,
        role=Account.Role.SUPERVISOR,
        region_code="140800",
        display_name="外市监督",
    )
    return World(p, bureau, supervisor, other)


def client_for(account: Account | None) -> Client:
    client = Client()
    if account is not None:
        client.force_login(account)
    return client
