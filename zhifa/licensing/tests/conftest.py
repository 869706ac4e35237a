"""Fixtures of the licensing tests: a published 行政许可 item of agency A, applicants, and the
clock set to the evening of each step's day (``entered_on``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from zhifa.cases import services as cs
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import entered_on
from zhifa.core.testing import Personas, credit_code, id_number
from zhifa.registry import services as registry
from zhifa.registry.models import PowerItem

LICENCE_CODE = "XK-001"  # 食品经营许可

COMPANY = cs.PartyInput(
    kind="organisation",
    name="示范市甲区某某餐饮有限公司",
    credit_code=credit_code(701, prefix="91"),
    legal_representative="向东",
    address="示范市甲区工业路9号",
    phone="13800137001",
)
PERSON = cs.PartyInput(
    kind="natural_person",
    name="于小梅",
    id_number=id_number(702, born=date(1985, 6, 1)),
    phone="13800137002",
    address="示范市甲区幸福路2号",
)


@pytest.fixture
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return Path(settings.EVIDENCE_DIR)


@pytest.fixture
def licence_item(personas: Personas) -> PowerItem:
    item = registry.power_item_create(
        actor=personas.admin,
        agency=personas.agency_a,
        code=LICENCE_CODE,
        name="食品经营许可",
        category=PowerItem.Category.LICENSING,
        domain=personas.domain,
        implementing_level="county",
        bases=[registry.Basis("中华人民共和国食品安全法", "第三十五条")],
    )
    return registry.power_item_publish(actor=personas.admin, item=item, on=date(2025, 12, 1))


def apply(
    p: Personas,
    on: date,
    applicant: cs.PartyInput = COMPANY,
    **kw: Any,
) -> Case:
    from zhifa.licensing import services

    with entered_on(on):
        return services.licence_apply(
            actor=p.officer,
            power_code=LICENCE_CODE,
            matter="食品经营许可（新办）",
            channel="window",
            on=on,
            applicant=applicant,
            materials=["食品经营许可申请书", "营业执照复印件"],
            **kw,
        )
