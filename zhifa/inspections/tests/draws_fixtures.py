"""A joint 双随机 set-up for the draws tests: three agencies (the personas' A and B and a third),
each with a published random-inspection item and certified inspectors, and a directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhifa.core.testing import Personas, credit_code, id_number
from zhifa.inspections.models import Entity
from zhifa.record.services import record_append
from zhifa.registry import services as registry
from zhifa.registry.models import Account, Agency, Certificate, Domain, Officer, PowerItem

TODAY = date(2026, 9, 1)


@dataclass
class Joint:
    agency_c: Agency
    items: list[PowerItem]  # A's, B's, C's
    officers: dict[int, list[Officer]]  # agency pk → its extra inspectors
    entities: list[Entity]


def officer_with_certificate(
    admin: Account, agency: Agency, domain: Domain, n: int, name: str
) -> Officer:
    officer = registry.officer_create(
        actor=admin, agency=agency, name=name, id_number=id_number(n, born=date(1980, 1, 1))
    )
    registry.certificate_register(
        actor=admin,
        officer=officer,
        number=f"ZF{n:06d}",
        kind="enforcement",
        domains=[domain],
        region_code=agency.division_code,
        status=Certificate.Status.VALID,
        issued_on=date(2025, 1, 1),
        expires_on=date(2030, 12, 31),
        reason="导入",
        effective_on=date(2025, 1, 1),
    )
    return officer


def published_item(admin: Account, agency: Agency, domain: Domain, code: str) -> PowerItem:
    item = registry.power_item_create(
        actor=admin,
        agency=agency,
        code=code,
        name=f"{agency.name}随机抽查（{code}）",
        category=PowerItem.Category.INSPECTION,
        domain=domain,
        implementing_level=agency.level,
        bases=[registry.Basis(law="《优化营商环境条例》", article="第五十四条")],
        is_random_inspection=True,
    )
    return registry.power_item_publish(actor=admin, item=item, on=date(2026, 1, 5))


def joint(personas: Personas, *, entities: int = 40) -> Joint:
    """Agency C (卫生健康), one published item per agency, three extra inspectors each for B
    and C (A has the personas' officers), ``entities`` entities spread over A–D."""
    admin = personas.admin
    health, _ = Domain.objects.get_or_create(code="health", defaults={"name": "卫生健康"})
    agency_c = registry.agency_create(
        actor=admin,
        name="示范市甲区卫生健康局",
        credit_code=credit_code(3),
        level=Agency.Level.COUNTY,
        division_code="130302",
        kind=Agency.Kind.STATUTORY,
        domains=[health],
        qualification_announced_on=date(2024, 3, 1),
    )
    items = [
        published_item(admin, personas.agency_a, personas.domain, "JC-A-01"),
        published_item(admin, personas.agency_b, personas.other_domain, "JC-B-01"),
        published_item(admin, agency_c, health, "JC-C-01"),
    ]
    officers: dict[int, list[Officer]] = {}
    for base, (agency, domain) in enumerate(
        [(personas.agency_b, personas.other_domain), (agency_c, health)]
    ):
        officers[agency.pk] = [
            officer_with_certificate(admin, agency, domain, 500 + base * 10 + i, f"检查员{base}{i}")
            for i in range(3)
        ]
    classes = "AABBBCCD"
    rows = [
        Entity(
            credit_code=credit_code(1000 + i, prefix="91"),
            name=f"示范企业{i:03d}有限公司",
            division_code="130302",
            industry="餐饮" if i % 2 else "零售",
            risk_class=classes[i % len(classes)],
        )
        for i in range(entities)
    ]
    Entity.objects.bulk_create(rows)
    return Joint(agency_c, items, officers, list(Entity.objects.order_by("credit_code")))


def grow_log(entries: int) -> None:
    """Append ``entries`` entries (as any other activity would) so the log passes a seed size."""
    for i in range(entries):
        record_append(
            actor_id=None,
            actor_name="测试",
            role="system",
            action="registry.demo.load",
            payload={"demo": f"filler-{i}", "counts": {}},
        )
