"""Fixtures of the publication tests: agency A's power items and decided cases, made through
``cases.services`` (the decision listener prepares each publication draft)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zhifa.cases import services as cases
from zhifa.cases.models import Case, CaseOfficer
from zhifa.cases.numbering import agency_short_name_set
from zhifa.core.testing import Personas, credit_code, id_number
from zhifa.publicity import services
from zhifa.publicity.models import Publication
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import Officer, PowerItem

PENALTY_CODE = "330217"
INSPECTION_CODE = "JC-001"

PERSON = cases.PartyInput(
    kind="natural_person",
    name="欧阳晓明",
    id_number=id_number(501, born=date(1980, 3, 1)),
    phone="13800135001",
    address="示范市甲区幸福路1号3单元502室",
)
COMPANY = cases.PartyInput(
    kind="organisation",
    name="示范市甲区某某食品有限公司",
    credit_code=credit_code(501, prefix="91"),
    legal_representative="陈建国",
    phone="13912345678",
    address="示范市甲区工业路8号",
)
MINOR = cases.PartyInput(
    kind="natural_person",
    name="林小华",
    id_number=id_number(502, born=date(2010, 5, 1)),
    phone="13700001111",
    address="示范市甲区和平街2号",
    is_minor=True,
)


def _publish_item(p: Personas, code: str, name: str, category: str) -> PowerItem:
    item = registry.power_item_create(
        actor=p.admin,
        agency=p.agency_a,
        code=code,
        name=name,
        category=category,
        domain=p.domain,
        implementing_level="county",
        bases=[registry.Basis("中华人民共和国食品安全法", "第一百二十四条")],
    )
    return registry.power_item_publish(actor=p.admin, item=item, on=date(2025, 12, 1))


@dataclass
class World:
    p: Personas

    @property
    def o1(self) -> Officer:
        assert self.p.officer.officer is not None
        return self.p.officer.officer

    @property
    def o2(self) -> Officer:
        assert self.p.officer2.officer is not None
        return self.p.officer2.officer

    def on_the_spot(
        self,
        on: date = date(2026, 9, 29),
        *,
        party: cases.PartyInput = PERSON,
        fine: Decimal | None = Decimal(200),
        kind: str = "fine",
    ) -> Case:
        """A 当场处罚 (简易程序) decided on ``on``."""
        return cases.case_simple_decide(
            actor=self.p.officer,
            power_code=PENALTY_CODE,
            title="经营超过保质期的食品",
            on=on,
            party=party,
            penalty_kind=kind,
            officers=[self.o1, self.o2],
            place="示范市甲区人民路与解放路路口",
            fine=fine,
            facts=f"当事人{party.name}在幸福路菜市场销售超过保质期的牛奶2盒，联系电话{party.phone}",
            basis="《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        )

    def inspection(self, on: date = date(2026, 6, 1), party: cases.PartyInput = COMPANY) -> Case:
        return cases.case_open(
            actor=self.p.officer,
            kind=Case.Kind.INSPECTION,
            power_code=INSPECTION_CODE,
            title="食品经营日常检查",
            on=on,
            parties=[party],
            officers=[(self.o1, CaseOfficer.Role.LEAD), (self.o2, CaseOfficer.Role.ASSISTANT)],
        )

    def inspected(self, on: date = date(2026, 6, 1)) -> Case:
        case = self.inspection(on)
        cases.case_inspect(
            actor=self.p.officer,
            case=case,
            on=on,
            officers=[self.o1, self.o2],
            summary="检查食品储存条件",
        )
        return cases.case_findings_record(
            actor=self.p.officer,
            case=Case.objects.get(pk=case.pk),
            on=on,
            outcome="no_problem",
            findings="未发现问题",
        )


def publication_of(case: Case) -> Publication:
    return Publication.objects.select_related("agency", "case", "domain").get(case=case)


def entries_since(seq: int) -> list[Entry]:
    return list(Entry.objects.filter(seq__gte=seq).order_by("seq"))


def log_size() -> int:
    return Entry.objects.count()


def reviewed(publication: Publication) -> Publication:
    """Decide every pending span as removed (what a careful publisher does)."""
    for s in list(publication.spans):
        if s["state"] == "pending":
            publication = services.publication_span_resolve(
                actor=_publisher(publication), publication=publication, span_id=s["id"], remove=True
            )
    return publication


def _publisher(publication: Publication) -> Any:
    from zhifa.registry.models import Account

    return Account.objects.get(role="publisher", agency=publication.agency)


def has_redaction_engine() -> bool:
    return services.redaction_engine() is not None


needs_redaction = pytest.mark.skipif(
    not has_redaction_engine(),
    reason="zhifa/publicity/redaction.py (the redaction engine) is not there yet",
)


@pytest.fixture
def world(personas: Personas, settings: Any, tmp_path: Path) -> World:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    agency_short_name_set(actor=personas.admin, agency=personas.agency_a, short_name="示范市监")
    _publish_item(personas, PENALTY_CODE, "对经营超过保质期食品的行政处罚", "penalty")
    _publish_item(personas, INSPECTION_CODE, "食品经营日常监督检查", "inspection")
    return World(personas)
