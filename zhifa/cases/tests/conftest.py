"""Fixtures for the case tests: published power items of agency A, evidence files, and a
``Flow`` that walks a case to a given step on given dates."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhifa.cases import services
from zhifa.cases.models import Case, CaseOfficer, CaseStep
from zhifa.cases.numbering import agency_short_name_set
from zhifa.core.testing import Personas, credit_code, id_number
from zhifa.record.evidence_uploads import EvidenceInput
from zhifa.record.models import Entry, EvidenceRef
from zhifa.record.services import Recording
from zhifa.registry import services as registry
from zhifa.registry.models import Account, Officer, PowerItem

SH = ZoneInfo("Asia/Shanghai")
PENALTY_CODE = "330217"  # 食品经营者经营超过保质期的食品
INSPECTION_CODE = "JC-001"
SEIZURE_CODE = "QZ-001"

PERSON = services.PartyInput(
    kind="natural_person",
    name="刘某某",
    id_number=id_number(501, born=date(1980, 3, 1)),
    phone="13800135001",
    address="示范市甲区幸福路1号",
)
COMPANY = services.PartyInput(
    kind="organisation",
    name="示范市甲区某某食品有限公司",
    credit_code=credit_code(501, prefix="91"),
    legal_representative="陈某",
    address="示范市甲区工业路8号",
)


@contextmanager
def entered_on(day: date) -> Iterator[None]:
    """The clock on the evening of ``day``: a step of that day (or moment) is entered on the
    day it happens, as the services want (cases/legal_dates.py: never a day after today)."""
    with time_machine.travel(datetime(day.year, day.month, day.day, 23, 30, tzinfo=SH), tick=False):
        yield


@pytest.fixture
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return Path(settings.EVIDENCE_DIR)


@dataclass(frozen=True)
class FileIn:
    """A file an officer has at hand, to upload for a case (``upload``)."""

    data: bytes
    name: str
    media_type: str
    recording: Recording | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def ref(self) -> EvidenceRef:
        return EvidenceRef(
            sha256=self.sha256, name=self.name, size=len(self.data), media_type=self.media_type
        )

    def input(self) -> EvidenceInput:
        return EvidenceInput(
            stream=io.BytesIO(self.data),
            name=self.name,
            media_type=self.media_type,
            recording=self.recording,
            size=len(self.data),
        )


def upload(
    actor: Account, case: Case, *files: FileIn, at: datetime | None = None
) -> list[EvidenceRef]:
    """Upload ``files`` for ``case`` as ``actor`` (each with its evidence.upload entry); the
    refs a step of the case may then carry."""
    uploads = services.case_evidence_upload(
        actor=actor, case=case, uploads=[f.input() for f in files], at=at
    )
    return [u.ref for u in uploads]


@pytest.fixture
def video(db: None, evidence_dir: Path) -> FileIn:
    """A video of the on-site seizure (执法记录仪)."""
    return FileIn(b"\x00video" * 64, "扣押现场.mp4", "video/mp4")


@pytest.fixture
def photo(db: None, evidence_dir: Path) -> FileIn:
    return FileIn(b"\xff\xd8photo" * 32, "现场.jpg", "image/jpeg")


def _publish(p: Personas, code: str, name: str, category: str) -> PowerItem:
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
    penalty_item: PowerItem
    inspection_item: PowerItem
    seizure_item: PowerItem

    @property
    def o1(self) -> Officer:
        assert self.p.officer.officer is not None
        return self.p.officer.officer

    @property
    def o2(self) -> Officer:
        assert self.p.officer2.officer is not None
        return self.p.officer2.officer

    @property
    def expired(self) -> Officer:
        assert self.p.expired_officer.officer is not None
        return self.p.expired_officer.officer

    @property
    def reviewer_officer(self) -> Officer:
        assert self.p.reviewer.officer is not None
        return self.p.reviewer.officer

    # -- walking a penalty case ----------------------------------------------------------------

    def clue(
        self,
        on: date = date(2026, 3, 2),
        *,
        act_ended_on: date | None = date(2026, 2, 20),
        party: services.PartyInput = PERSON,
        serious: bool = False,
    ) -> Case:
        with entered_on(on):
            return self._open(on, act_ended_on, party, serious)

    def _open(
        self, on: date, act_ended_on: date | None, party: services.PartyInput, serious: bool
    ) -> Case:
        return services.case_open(
            actor=self.p.officer,
            kind=Case.Kind.PENALTY_GENERAL,
            power_code=PENALTY_CODE,
            title="经营超过保质期的食品",
            summary="群众举报某超市销售过期牛奶",
            on=on,
            act_ended_on=act_ended_on,
            serious=serious,
            parties=[party],
            officers=[(self.o1, CaseOfficer.Role.LEAD), (self.o2, CaseOfficer.Role.ASSISTANT)],
        )

    def registered(self, on: date = date(2026, 3, 4), **kw: Any) -> Case:
        case = self.clue(on=kw.pop("clue_on", on), **kw)
        with entered_on(on):
            return services.case_register(actor=self.p.head, case=case, on=on, opinion="同意立案")

    def investigated(self, case: Case, on: date) -> Case:
        with entered_on(on):
            services.case_investigate(
                actor=self.p.officer,
                case=case,
                on=on,
                kind=CaseStep.Kind.INTERVIEW_RECORD,
                officers=[self.o1, self.o2],
                summary="询问当事人，承认销售过期牛奶12盒",
            )
        return Case.objects.get(pk=case.pk)

    def in_review(self, registered_on: date, review_on: date, **kw: Any) -> Case:
        case = self.investigated(self.registered(registered_on, **kw), registered_on)
        with entered_on(review_on):
            return services.case_submit_review(actor=self.p.officer, case=case, on=review_on)

    def notified(
        self,
        registered_on: date,
        notified_on: date,
        *,
        fine: Decimal = Decimal(20000),
        **kw: Any,
    ) -> Case:
        case = self.in_review(registered_on, notified_on, **kw)
        with entered_on(notified_on):
            return services.case_notify(
                actor=self.p.officer,
                case=case,
                on=notified_on,
                facts="2026年2月20日销售超过保质期的牛奶12盒",
                reasons="违反《食品安全法》第三十四条第（十）项",
                basis="《食品安全法》第一百二十四条第一款第（五）项",
                penalty_kinds=["warning", "fine"],
                fine=fine,
            )

    def stated(self, registered_on: date, notified_on: date, stated_on: date, **kw: Any) -> Case:
        case = self.notified(registered_on, notified_on, **kw)
        with entered_on(stated_on):
            return services.case_statement_record(
                actor=self.p.officer,
                case=case,
                on=stated_on,
                content="当事人称系店员疏忽",
                adoption="rejected",
                adoption_reasons="店员的行为由当事人承担责任",
            )

    def decided(self, decided_on: date = date(2026, 4, 28), fine: Decimal = Decimal(20000)) -> Case:
        case = self.stated(date(2026, 3, 4), date(2026, 4, 1), date(2026, 4, 2), fine=fine)
        with entered_on(decided_on):
            return services.case_decide(
                actor=self.p.head,
                case=case,
                on=decided_on,
                penalty_kinds=["warning", "fine"],
                fine=fine,
            )


@pytest.fixture
def world(personas: Personas) -> World:
    agency_short_name_set(actor=personas.admin, agency=personas.agency_a, short_name="示范市监")
    return World(
        p=personas,
        penalty_item=_publish(personas, PENALTY_CODE, "对经营超过保质期食品的行政处罚", "penalty"),
        inspection_item=_publish(personas, INSPECTION_CODE, "食品经营日常监督检查", "inspection"),
        seizure_item=_publish(
            personas, SEIZURE_CODE, "查封扣押不符合食品安全标准的食品", "coercion"
        ),
    )


def entries_of(case: Case) -> list[Entry]:
    return list(Entry.objects.filter(case_id=case.pk).order_by("seq"))


def actions_of(case: Case) -> list[str]:
    return [e.action for e in entries_of(case)]


# -- API tokens: one per account and test ---------------------------------------------------

_tokens: dict[int, str] = {}


def bearer(account: Account) -> dict[str, str]:
    """The Authorization header of ``account``'s token (issued once per test; recorded)."""
    if account.pk not in _tokens:
        _, raw = registry.api_token_issue(actor=account, name="测试")
        _tokens[account.pk] = raw
    return {"Authorization": f"Bearer {_tokens[account.pk]}"}


@pytest.fixture(autouse=True)
def fresh_tokens() -> Iterator[None]:
    _tokens.clear()
    yield
    _tokens.clear()
