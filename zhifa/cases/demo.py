"""Demo cases for 示范市 (``zhifa demo``): a few hundred cases in every state of every procedure.

Every case is written through ``cases.services`` (and its documents through
``documents.document_generate``), so each step appends its record entry and ``zhifa verify``
can replay every case from the log. Nothing here writes a case row directly.

Each case is planned first as a list of dated operations (a pure function of its own seeded
``random.Random`` and a start day), then the start is shifted so that the last operation falls
where the scenario wants it — long finished, a few working days before the demo's "today", or
long enough ago that a deadline has passed (the overdue lists need content) — and finally the
operations run through the services. Dates are real 2026 working days of the statutory calendar,
never after ``today`` and never in 2027 (whose holidays are not published yet).

Deterministic: the same seed gives the same cases, parties and amounts (primary keys, creation
timestamps and the record's wall-clock times differ). Idempotent: when the demo agencies
already have cases, nothing is written. One transaction: an interrupted run leaves nothing.
"""

# ruff: noqa: S311 - random.Random here generates demo data, not secrets

from __future__ import annotations

import hashlib
import io
import random
import struct
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Count

from zhifa.core.calendar import current_calendar
from zhifa.core.exceptions import RuleViolation
from zhifa.core.identifiers import validate_credit_code, validate_mobile, validate_resident_id
from zhifa.core.testing import credit_code, id_number
from zhifa.core.workdays import WorkdayCalendar
from zhifa.law import coercion, penalty
from zhifa.law.periods import deadline
from zhifa.record.evidence_uploads import EvidenceInput, evidence_receive
from zhifa.record.models import Entry, EvidenceFile, EvidenceRef
from zhifa.record.services import Recording
from zhifa.registry import demo as city
from zhifa.registry import services as registry_services
from zhifa.registry.models import Account, Agency, Domain, LegalBasis, Officer, PowerItem
from zhifa.registry.selectors import officer_may_act

from . import services
from .documents import document_generate
from .models import Case, CaseDocument, CaseOfficer, CaseStep, Extension, Party
from .numbering import agency_short_name_set
from .selectors import cases_overdue
from .transitions import TRANSITIONS

K = Case.Kind
S = Case.State
LOCAL = coercion.LOCAL_TIME
SEED = city.SEED + 3
YEAR_START = date(2026, 1, 5)  # the first Monday of 2026; every demo case starts on or after it
# No deadline may fall after this day: 2027's holidays are not published yet (services would
# mark such deadlines provisional).
LAST_DAY = date(2026, 12, 31)
# The demo enters a year of cases at once: every step older than the 补录 window carries this
# reason, and the timeline shows it (legal_dates.late_entry).
LATE_REASON = "演示数据：按办案日期一次性录入"
Role = Account.Role

# -- agencies and their accounts ------------------------------------------------------------


@dataclass(frozen=True)
class AgencySpec:
    """A demo-city body that gets cases, with the accounts that act for it."""

    key: str
    name: str
    weight: int  # relative share of the cases
    officer: str  # username of the officer account (acts on steps)
    head: str  # username of the head account (approves)
    short_name: str = ""  # 机关代字 to set when the derived one does not read well


AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec("market", f"{city.CITY_NAME}市场监督管理局", 34, "officer", "head"),
    AgencySpec("environment", f"{city.CITY_NAME}生态环境局", 16, "officer_env", "head_env"),
    AgencySpec(
        "urban", f"{city.CITY_NAME}城市管理综合行政执法局", 20, "officer_urban", "head_urban"
    ),
    AgencySpec(
        "transport",
        f"{city.CITY_NAME}交通运输综合行政执法支队",
        10,
        "officer_transport",
        "head_transport",
        short_name="示范交执",
    ),
    AgencySpec(
        "emergency", f"{city.CITY_NAME}应急管理局", 10, "officer_emergency", "head_emergency"
    ),
    AgencySpec("jq_market", f"{city.CITY_NAME}甲区市场监督管理局", 10, "officer_jq", "head_jq"),
)

# Accounts the cases need beyond registry.demo.CITY_ACCOUNTS (docs/demo.md lists them). The
# officer accounts are linked to an officer of the body with a valid certificate, the head
# accounts to its 局长 / 支队长.
CASE_ACCOUNTS: tuple[city.DemoAccount, ...] = (
    city.DemoAccount(
        "head_env", "zhifa-head-env", Role.HEAD, AGENCIES[1].name, "", "分管执法的副局长"
    ),
    city.DemoAccount(
        "officer_urban", "zhifa-officer-urban", Role.OFFICER, AGENCIES[2].name, "", "执法证有效"
    ),
    city.DemoAccount("head_urban", "zhifa-head-urban", Role.HEAD, AGENCIES[2].name, "", "局长"),
    city.DemoAccount(
        "officer_transport",
        "zhifa-officer-transport",
        Role.OFFICER,
        AGENCIES[3].name,
        "",
        "执法证有效",
    ),
    city.DemoAccount(
        "head_transport", "zhifa-head-transport", Role.HEAD, AGENCIES[3].name, "", "支队长"
    ),
    city.DemoAccount(
        "officer_emergency",
        "zhifa-officer-emergency",
        Role.OFFICER,
        AGENCIES[4].name,
        "",
        "执法证有效",
    ),
    city.DemoAccount(
        "head_emergency", "zhifa-head-emergency", Role.HEAD, AGENCIES[4].name, "", "局长"
    ),
    city.DemoAccount(
        "officer_jq", "zhifa-officer-jq", Role.OFFICER, AGENCIES[5].name, "", "执法证有效"
    ),
    city.DemoAccount("head_jq", "zhifa-head-jq", Role.HEAD, AGENCIES[5].name, "", "局长"),
)

# -- scenarios ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A kind of demo case: the procedure, the state it is left in, the road taken there.

    ``lag`` places the last step: ``None`` anywhere in the year (finished cases), else
    ``(lo, hi)`` working days before the demo's today — small for live cases, large enough for
    a deadline to have passed in the ``overdue`` ones. ``count`` is the number in the full demo;
    the sample (tests) has one of each.
    """

    kind: str
    stop: str
    count: int
    path: str = ""
    lag: tuple[int, int] | None = None
    flags: frozenset[str] = frozenset()


def _sc(
    kind: str,
    stop: str,
    count: int,
    path: str = "",
    lag: tuple[int, int] | None = None,
    *flags: str,
) -> Scenario:
    return Scenario(kind, stop, count, path, lag, frozenset(flags))


G, P, N, Z = K.PENALTY_GENERAL, K.PENALTY_SIMPLE, K.INSPECTION, K.SEIZURE
SCENARIOS: tuple[Scenario, ...] = (
    # 行政处罚 普通程序 — live cases at every step
    _sc(G, S.CLUE, 8, "", (0, 15)),
    _sc(G, S.REGISTERED, 7, "", (0, 10)),
    _sc(G, S.REGISTERED, 2, "", (70, 85), "overdue"),  # 第六十条: 90 days passed, no decision
    _sc(G, S.INVESTIGATING, 11, "", (0, 10)),
    _sc(G, S.INVESTIGATING, 3, "", (62, 75), "overdue"),
    _sc(G, S.INVESTIGATING, 2, "", (0, 6), "extend"),  # the 第六十条 limit extended once
    _sc(G, S.CASE_REVIEW, 8, "", (0, 8)),
    _sc(G, S.NOTIFIED, 6, "silent", (0, 3)),
    _sc(G, S.NOTIFIED, 3, "silent", (12, 30), "overdue"),  # awaiting the head's decision
    _sc(G, S.HEARING_REQUESTED, 2, "hearing", (0, 3)),
    _sc(G, S.HEARING_REQUESTED, 2, "hearing", (0, 3), "notice"),  # hearing day still ahead
    _sc(G, S.HEARING_HELD, 3, "hearing", (0, 8)),
    _sc(G, S.STATEMENT, 6, "statement", (0, 8)),
    _sc(G, S.DECIDED, 5, "statement", (0, 4), "documents"),
    _sc(G, S.DECIDED, 2, "silent", (12, 20), "overdue"),  # 第六十一条: not served in 7 wd
    _sc(G, S.SERVED, 5, "statement", (0, 4)),
    _sc(G, S.SERVED, 3, "silent", (16, 30), "overdue"),  # 第六十七条: fine not paid
    _sc(G, S.EXECUTING, 3, "statement", (0, 15), "instalments"),
    _sc(G, S.EXECUTING, 2, "silent", (0, 8), "deferral"),
    _sc(G, S.EXECUTING, 2, "statement", (0, 10), "late", "fee_owed"),
    _sc(G, S.EXECUTING, 2, "silent", (15, 30), "partial"),
    _sc(G, S.EXECUTING, 2, "silent", (0, 10), "court"),
    # … finished ones
    _sc(G, S.CLOSED, 7, "statement", None, "documents"),
    _sc(G, S.CLOSED, 4, "silent", None, "late"),  # paid late: 第七十二条 surcharge paid too
    _sc(G, S.CLOSED, 2, "statement", None, "instalments"),
    _sc(G, S.CLOSED, 1, "silent", None, "late_service"),
    _sc(G, S.CLOSED, 1, "silent", None, "court"),
    _sc(G, S.CLOSED, 2, "hearing", None, "documents"),
    _sc(G, S.ARCHIVED, 12, "statement", None, "documents"),
    _sc(G, S.ARCHIVED, 5, "silent", None),
    _sc(G, S.ARCHIVED, 3, "hearing", None, "documents", "collective"),
    _sc(G, S.ARCHIVED, 2, "statement", None, "extend"),
    _sc(G, S.ARCHIVED, 1, "silent", None, "deferral"),
    # … and every other end
    _sc(G, S.NOT_REGISTERED, 4, "", None),
    _sc(G, S.NOT_PENALISED, 4, "first_violation", None),  # 首违不罚, 第三十三条第一款
    _sc(G, S.NOT_PENALISED, 2, "minor_corrected", None),
    _sc(G, S.NOT_PENALISED, 2, "facts_not_established", None),
    _sc(G, S.WITHDRAWN, 3, "", None),
    _sc(G, S.TRANSFERRED, 3, "", None),  # 移送司法机关
    _sc(G, S.ARCHIVED, 2, "first_violation", None, "end"),
    _sc(G, S.ARCHIVED, 1, "withdrawn", None, "end"),
    _sc(G, S.ARCHIVED, 1, "transferred", None, "end"),
    _sc(G, S.ARCHIVED, 1, "not_registered", None, "end"),
    # 行政处罚 简易程序
    _sc(P, S.DECIDED, 3, "", (0, 0)),
    _sc(P, S.SERVED, 4, "", (0, 4)),
    _sc(P, S.SERVED, 3, "", (12, 25), "overdue"),  # 第五十二条: not filed in time
    _sc(P, S.FILED, 6, "", (0, 6)),
    _sc(P, S.CLOSED, 9, "", None, "documents"),
    _sc(P, S.CLOSED, 3, "", None, "late_filing"),
    _sc(P, S.ARCHIVED, 20, "", None),
    # 行政检查
    _sc(N, S.PLANNED, 8, "", (0, 5)),
    _sc(N, S.INSPECTED, 6, "", (0, 4)),
    _sc(N, S.FINDINGS, 3, "no_problem", (0, 4)),
    _sc(N, S.FINDINGS, 6, "rectify", (0, 5)),
    _sc(N, S.FINDINGS, 3, "rectify", (35, 45), "overdue"),  # the re-check is late
    _sc(N, S.FINDINGS, 3, "rectify", (0, 10), "penalty"),  # a penalty case opened from it
    _sc(N, S.RECHECKED, 4, "rectify", (0, 8)),
    _sc(N, S.RECHECKED, 2, "not_rectified", (0, 8), "penalty"),
    _sc(N, S.CLOSED, 8, "no_problem", None),
    _sc(N, S.CLOSED, 4, "rectify", None),
    _sc(N, S.ARCHIVED, 12, "rectify", None),
    # 行政强制措施（查封、扣押）
    _sc(Z, S.PROPOSED, 4, "", (0, 3)),
    _sc(Z, S.APPROVED, 3, "", (0, 2)),
    _sc(Z, S.EMERGENCY_EXECUTED, 2, "emergency", (1, 8)),  # not yet approved: 24 h passed
    _sc(Z, S.EXECUTED, 4, "", (0, 12), "documents"),
    _sc(Z, S.EXECUTED, 1, "emergency", (0, 12)),  # approved within 24 hours
    _sc(Z, S.EXECUTED, 2, "", (26, 35), "overdue"),  # 第二十五条: 30 days passed
    _sc(Z, S.EXTENDED, 3, "", (0, 12)),
    _sc(Z, S.RELEASED, 3, "", (0, 10)),
    _sc(Z, S.RELEASED, 1, "emergency_refused", (0, 10)),  # not approved: lifted at once
    _sc(Z, S.HANDLED, 3, "", (0, 10)),
    _sc(Z, S.CLOSED, 5, "", None),
    _sc(Z, S.ARCHIVED, 9, "", None),
    _sc(Z, S.ARCHIVED, 1, "night", None),  # 第四十三条: at night, urgent, reasons recorded
)

# How many cases get their documents generated (about 0.4 s a document).
DOCUMENT_CASES_FULL = 20
DOCUMENT_CASES_SAMPLE = 1

# -- results --------------------------------------------------------------------------------


@dataclass
class DemoCasesResult:
    """What ``demo_cases_load`` did (``already``: the demo cases were there; nothing written)."""

    already: bool
    cases: int = 0
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    entries: int = 0
    evidence_files: int = 0
    documents: int = 0
    overdue: int = 0
    accounts: tuple[city.DemoAccount, ...] = CASE_ACCOUNTS
    highlights: list[tuple[str, str, str]] = field(default_factory=list)  # (what, number, agency)
    seconds: float = 0.0

    def labelled(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """``by_kind`` in Chinese, kinds and states in the order of the models."""
        return [
            (
                kind.label,
                [(s.label, self.by_kind[kind][s]) for s in S if s in self.by_kind[kind]],
            )
            for kind in K
            if kind in self.by_kind
        ]


class _Out(Protocol):
    def write(self, msg: str, /) -> Any: ...


# -- fictional people and companies ---------------------------------------------------------

_DISTRICTS = (("139902", "甲区"), ("139903", "乙区"), ("139921", "丙县"))
_ROADS = (
    "人民路",
    "建设路",
    "解放路",
    "幸福路",
    "和平街",
    "工业路",
    "滨河路",
    "新华街",
    "文化路",
    "光明路",
    "长江路",
    "黄河路",
    "东风路",
    "朝阳街",
    "兴业大道",
)
_TRADE_NAMES = tuple(  # 字号, two characters each
    _pair
    for _text in (
        "鑫盛恒达华联诚信金源宏图顺发永安佳美瑞丰东方万家",
        "汇通天成百草绿源康泰福满嘉禾联创锦程美味乐购和润鼎盛立达众鑫隆兴润泽",
    )
    for _pair in (_text[i : i + 2] for i in range(0, len(_text), 2))
)
_INDUSTRIES: dict[str, tuple[str, ...]] = {
    "market": ("食品", "超市", "餐饮管理", "大药房", "商贸", "电子商务", "日用品"),
    "environment": ("化工", "建材", "电镀", "印染", "混凝土", "塑料制品", "再生资源"),
    "urban": ("餐饮", "建筑工程", "装饰工程", "渣土运输", "广告", "物业服务"),
    "transport": ("物流", "客运", "货物运输", "汽车租赁", "搬家服务"),
    "emergency": ("化工", "机械制造", "五金制品", "仓储", "燃气", "家具制造"),
}


@dataclass(frozen=True)
class DemoParty:
    input: services.PartyInput
    short: str  # how the case title names the party
    district: str


class _People:
    """Names, identifiers and addresses: fictional, valid in format, unique in the demo."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.codes: set[str] = set()
        self.company_serial = 0

    def name(self, female: bool | None = None) -> str:
        rng = self.rng
        if female is None:
            female = rng.random() < 0.45
        surname = rng.choices(city.SURNAMES, city.SURNAME_WEIGHTS)[0]
        pool = city.GIVEN_FEMALE if female else city.GIVEN_MALE
        if rng.random() < 0.3:
            return surname + rng.choice(pool)
        return surname + rng.choice(pool + city.GIVEN_ANY) + rng.choice(pool)

    def mobile(self) -> str:
        prefix = self.rng.choice(("133", "135", "138", "139", "150", "158", "177", "186", "189"))
        return validate_mobile(prefix + f"{self.rng.randrange(10**8):08d}")

    def address(self, district: str) -> str:
        rng = self.rng
        where = f"{city.CITY_NAME}{district}{rng.choice(_ROADS)}{rng.randint(1, 399)}号"
        if rng.random() < 0.4:
            where += f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(101, 2802)}室"
        return where

    def person(self, on: date) -> DemoParty:
        rng = self.rng
        division, district = rng.choice(_DISTRICTS)
        female = rng.random() < 0.45
        name = self.name(female)
        while True:
            born = date(rng.randint(1962, 2004), rng.randint(1, 12), rng.randint(1, 28))
            # The 17th digit is odd for men, even for women (GB 11643).
            serial = rng.randrange(0, 500) * 2 + (0 if female else 1)
            number = id_number(serial, division=division, born=born)
            if number not in self.ids:
                break
        self.ids.add(validate_resident_id(number, today=on))
        return DemoParty(
            services.PartyInput(
                kind=Party.Kind.NATURAL_PERSON,
                name=name,
                id_number=number,
                phone=self.mobile(),
                address=self.address(district),
            ),
            name,
            district,
        )

    def company(self, domain: str) -> DemoParty:
        rng = self.rng
        division, district = rng.choice(_DISTRICTS)
        self.company_serial += 1
        # GB 32100 position 1–2: 91 = 市场监管 · 企业; 92 = 个体工商户.
        sole = domain in ("market", "urban") and rng.random() < 0.25
        trade = rng.choice(_TRADE_NAMES)
        industry = rng.choice(_INDUSTRIES.get(domain, _INDUSTRIES["market"]))
        if sole:
            name = f"{city.CITY_NAME}{district}{trade}{industry}店"
        else:
            name = f"{city.CITY_NAME}{district}{trade}{industry}有限公司"
        code = validate_credit_code(
            credit_code(
                7000 + self.company_serial, prefix="92" if sole else "91", division=division
            )
        )
        self.codes.add(code)
        phone = (
            self.mobile()
            if sole or rng.random() < 0.5
            else f"0399-{rng.randint(2, 8)}{rng.randrange(10**6):06d}"
        )
        return DemoParty(
            services.PartyInput(
                kind=Party.Kind.ORGANISATION,
                name=name,
                credit_code=code,
                legal_representative=self.name(),
                phone=phone,
                address=self.address(district),
            ),
            name.removeprefix(city.CITY_NAME).removeprefix(district),
            district,
        )


# -- generated evidence ---------------------------------------------------------------------


def _png(seed: bytes, width: int = 64, height: int = 48) -> bytes:
    """A small real PNG (a deterministic colour pattern) standing in for a scene photo."""
    colour = hashlib.sha256(seed).digest()
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            rows += bytes(
                ((colour[0] + x * 3) % 256, (colour[1] + y * 5) % 256, (colour[2] + x * y) % 256)
            )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _video_placeholder(seed: bytes, size: int = 6144) -> bytes:
    """NOT a playable video: a few KB of deterministic bytes standing in for a 执法记录仪
    recording, stored with media type video/mp4 so the seizure's audio/video rule is met and
    ``zhifa verify`` has a file to hash."""
    out = bytearray(b"ZHIFA DEMO: placeholder bytes for a body-camera recording, not an MP4\n")
    block = seed
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


# -- plans ----------------------------------------------------------------------------------


@dataclass
class Op:
    """One planned call of a service: its day (and moment, for coercive measures)."""

    on: date
    name: str
    args: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None


class _Days:
    """Walks forward over working days of the statutory calendar."""

    def __init__(self, calendar: WorkdayCalendar, start: date) -> None:
        self.cal = calendar
        self.day = self.workday(start)

    def workday(self, day: date) -> date:
        return day if self.cal.is_workday(day) else self.cal.next_workday(day)

    def wd(self, n: int) -> date:
        self.day = self.cal.add_workdays(self.day, n)
        return self.day

    def days(self, n: int) -> date:
        self.day = self.workday(self.day + timedelta(days=n))
        return self.day

    def at(self, day: date) -> date:
        self.day = self.workday(day)
        return self.day


def _end(ops: Sequence[Op]) -> date:
    return max(op.on for op in ops)


def _overrun(sc: Scenario, ops: Sequence[Op]) -> int:
    """Days by which the case's 90-day decision limit (第六十条, plus the extension) would
    reach into 2027, whose holidays are not published: such a deadline would be provisional."""
    registered = next((op.on for op in ops if op.name == "register"), None)
    if registered is None:
        return 0
    limit = registered + timedelta(days=90 + (30 if "extend" in sc.flags else 0))
    return (limit - LAST_DAY).days


def _moment(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


def _money(rng: random.Random, lo: int, hi: int, step: int) -> Decimal:
    return Decimal(rng.randrange(lo // step, hi // step + 1) * step)


@dataclass
class _Context:
    """What a plan needs to know about its case that is drawn once, outside the plan."""

    scenario: Scenario
    party: DemoParty
    person: bool


class _Planner:
    """Pure: turns a scenario, a seeded rng and a start day into dated operations."""

    def __init__(self, calendar: WorkdayCalendar) -> None:
        self.cal = calendar

    def plan(self, ctx: _Context, seed: int, start: date) -> list[Op]:
        rng = random.Random(seed)
        d = _Days(self.cal, start)
        kind = ctx.scenario.kind
        if kind == K.PENALTY_GENERAL:
            return self._general(ctx, rng, d)
        if kind == K.PENALTY_SIMPLE:
            return self._simple(ctx, rng, d)
        if kind == K.INSPECTION:
            return self._inspection(ctx, rng, d)
        return self._seizure(ctx, rng, d)

    # 行政处罚 普通程序

    def _general(self, ctx: _Context, rng: random.Random, d: _Days) -> list[Op]:
        sc = ctx.scenario
        stop, path, flags = sc.stop, sc.path, sc.flags
        ops = [Op(d.day, "open", {"act_days": rng.randint(2, 60)})]
        # The road to an end (不予处罚 ground, 撤销立案, 移送 …): the path when it names one.
        end = path if ("end" in flags or stop == S.NOT_PENALISED) else stop
        if stop == S.CLUE:
            return ops
        if end in (S.NOT_REGISTERED, "not_registered"):
            ops.append(Op(d.wd(rng.randint(1, 5)), "not_register"))
            return self._archive(ops, d, rng, stop)
        registered = d.wd(rng.randint(1, 5))
        ops.append(Op(registered, "register"))
        limit = registered + timedelta(days=90)  # 第六十条
        if stop == S.REGISTERED:
            return ops
        if end in (S.WITHDRAWN, "withdrawn") and rng.random() < 0.5:
            ops.append(Op(d.wd(rng.randint(2, 8)), "withdraw"))
            return self._archive(ops, d, rng, stop)
        ops.append(Op(d.wd(rng.randint(1, 6)), "investigate", {"step": "inspection_record"}))
        ops.append(Op(d.wd(rng.randint(1, 5)), "investigate", {"step": "interview_record"}))
        if rng.random() < 0.5:
            ops.append(Op(d.wd(rng.randint(1, 4)), "investigate", {"step": "evidence"}))
        if "extend" in flags:
            # Shortly before the 90-day limit runs out, the head extends it (第六十条).
            day = d.at(registered + timedelta(days=rng.randint(78, 84)))
            ops.append(Op(day, "extend"))
            limit += timedelta(days=30)
        if stop == S.INVESTIGATING:
            return ops
        if end in (S.WITHDRAWN, "withdrawn"):
            ops.append(Op(d.wd(rng.randint(2, 8)), "withdraw"))
            return self._archive(ops, d, rng, stop)
        if end in (S.TRANSFERRED, "transferred"):
            ops.append(Op(d.wd(rng.randint(2, 8)), "transfer"))
            return self._archive(ops, d, rng, stop)
        if end in ("first_violation", "minor_corrected") or (
            end == "facts_not_established" and rng.random() < 0.5
        ):
            ops.append(Op(d.wd(rng.randint(2, 8)), "not_penalise", {"ground": path}))
            return self._archive(ops, d, rng, stop)
        ops.append(Op(d.wd(rng.randint(2, 8)), "submit_review"))
        if stop == S.CASE_REVIEW:
            return ops
        if end == "facts_not_established":
            ops.append(Op(d.wd(rng.randint(2, 8)), "not_penalise", {"ground": path}))
            return self._archive(ops, d, rng, stop)
        hearing = path == "hearing"
        fine = self._fine(rng, ctx.person, hearing, "instalments" in flags)
        kinds = ["fine"] if rng.random() < 0.6 else ["warning", "fine"]
        confiscation = None
        if not hearing and rng.random() < 0.2:
            kinds.append("confiscation_of_gains")
            confiscation = _money(rng, 300, 8000, 100)
        notified = d.wd(rng.randint(2, 6))
        ops.append(
            Op(notified, "notify", {"fine": fine, "kinds": kinds, "confiscation": confiscation})
        )
        if "documents" in flags:
            ops.append(Op(notified, "document", {"kind": CaseDocument.Kind.PENALTY_NOTICE}))
        if stop == S.NOTIFIED:
            return ops
        decided_fine = fine
        collective = "collective" in flags or (hearing and rng.random() < 0.5)
        if path == "hearing":
            ops.append(Op(d.wd(rng.randint(1, 4)), "hearing_request"))
            if stop == S.HEARING_REQUESTED and "notice" not in flags:
                return ops
            notice = d.wd(rng.randint(1, 2))
            # 第六十四条第二项: seven whole working days between the notice and the hearing.
            hearing_on = self.cal.add_workdays(notice, rng.randint(8, 10))
            ops.append(Op(notice, "hearing_notice", {"hearing_on": hearing_on}))
            if stop == S.HEARING_REQUESTED:
                return ops
            ops.append(Op(d.at(hearing_on), "hearing_hold", {"absent": rng.random() < 0.15}))
            if stop == S.HEARING_HELD:
                return ops
            if rng.random() < 0.4:  # the hearing moved the head to a lighter fine
                decided_fine = (fine * Decimal("0.8")).quantize(Decimal(100))
            decided = d.wd(rng.randint(2, 6))
        elif path == "statement":
            ops.append(Op(d.wd(rng.randint(1, 4)), "statement", {"waived": rng.random() < 0.2}))
            if stop == S.STATEMENT:
                return ops
            decided = d.wd(rng.randint(2, 6))
        else:  # silent: decided once the periods for statement and hearing request elapsed
            waiting = max(services.statement_period().length, penalty.HEARING_REQUEST.length)
            decided = d.wd(waiting + rng.randint(1, 4))
        assert decided <= limit, "the demo plan must decide within the 第六十条 limit"
        ops.append(
            Op(
                decided,
                "decide",
                {
                    "fine": decided_fine,
                    "kinds": kinds,
                    "confiscation": confiscation,
                    "collective": collective,
                },
            )
        )
        if "documents" in flags:
            ops.append(Op(decided, "document", {"kind": CaseDocument.Kind.PENALTY_DECISION}))
        if stop == S.DECIDED:
            return ops
        late_service = "late_service" in flags
        served = d.wd(rng.randint(9, 12) if late_service else rng.randint(0, 4))
        ops.append(Op(served, "serve"))
        if stop == S.SERVED:
            return ops
        due = deadline(penalty.PAYMENT, served, self.cal)  # 第六十七条: 15 days
        ops += self._execution(ctx, rng, d, decided_fine, served, due)
        if confiscation and stop != S.EXECUTING and "court" not in flags:
            # The confiscated gains are an amount of their own, paid apart from the fine.
            ops.append(
                Op(d.wd(rng.randint(0, 2)), "pay", {"amount": confiscation, "item": "confiscation"})
            )
        if stop == S.EXECUTING:
            return ops
        ops.append(Op(d.wd(rng.randint(1, 5)), "close"))
        return self._archive(ops, d, rng, stop)

    def _fine(self, rng: random.Random, person: bool, hearing: bool, thirds: bool) -> Decimal:
        # 第六十三条: a hearing right from 10,000 元 (person) / 100,000 元 (organisation).
        if person:
            fine = _money(rng, 10000, 50000, 1000) if hearing else _money(rng, 500, 9500, 500)
        else:
            fine = _money(rng, 100000, 400000, 10000) if hearing else _money(rng, 3000, 90000, 1000)
        if thirds:  # three equal instalments
            fine = max(Decimal(3000), (fine / 3).quantize(Decimal(100)) * 3)
        return fine

    def _execution(
        self,
        ctx: _Context,
        rng: random.Random,
        d: _Days,
        fine: Decimal,
        served: date,
        due: date,
    ) -> list[Op]:
        flags, stop = ctx.scenario.flags, ctx.scenario.stop
        ops: list[Op] = []
        if "instalments" in flags:
            arranged = d.wd(rng.randint(1, 4))
            part = (fine / 3).quantize(Decimal("0.01"))
            # Three instalments 20 days apart (the last still in 2026 for a live case).
            days = [d.workday(due + timedelta(days=20 * i)) for i in (1, 2, 3)]
            plan = [(days[0], part), (days[1], part), (days[2], fine - 2 * part)]
            ops.append(Op(arranged, "arrange_instalments", {"plan": plan}))
            paid = 1 if stop == S.EXECUTING else 3
            for day, amount in plan[:paid]:
                ops.append(
                    Op(d.at(day - timedelta(days=rng.randint(0, 5))), "pay", {"amount": amount})
                )
            return ops
        if "deferral" in flags:
            arranged = d.wd(rng.randint(1, 4))
            new_due = d.workday(due + timedelta(days=rng.randint(30, 45)))
            ops.append(Op(arranged, "arrange_deferral", {"due_on": new_due}))
            if stop != S.EXECUTING:
                ops.append(
                    Op(d.at(new_due - timedelta(days=rng.randint(0, 10))), "pay", {"amount": fine})
                )
            return ops
        if "court" in flags:
            # Unpaid; once the six months for a lawsuit have passed (《行政诉讼法》第四十六条),
            # the agency applies to the court within three months (《行政强制法》第五十三条).
            end = coercion.appeal_periods_end(served, self.cal)
            ops.append(Op(d.at(end + timedelta(days=rng.randint(1, 15))), "court"))
            return ops
        if "partial" in flags:
            ops.append(
                Op(
                    d.at(due - timedelta(days=rng.randint(1, 8))),
                    "pay",
                    {"amount": (fine / 2).quantize(Decimal(1))},
                )
            )
            return ops
        if "late" in flags:
            paid_on = d.at(due + timedelta(days=rng.randint(3, 20)))
            ops.append(Op(paid_on, "pay", {"amount": fine}))
            fee = penalty.late_fee(fine, due, paid_on)  # 第七十二条: 3 % a day, at most the fine
            if "fee_owed" not in flags and fee > 0:
                ops.append(Op(d.wd(rng.randint(1, 5)), "pay", {"amount": fee, "item": "late_fee"}))
            return ops
        paid_on = d.at(served + timedelta(days=rng.randint(1, max(1, (due - served).days))))
        if paid_on > due:
            paid_on = d.at(due)
        ops.append(Op(paid_on, "pay", {"amount": fine}))
        return ops

    def _archive(self, ops: list[Op], d: _Days, rng: random.Random, stop: str) -> list[Op]:
        if stop == S.ARCHIVED:
            ops.append(Op(d.wd(rng.randint(3, 15)), "archive"))
        return ops

    # 行政处罚 简易程序

    def _simple(self, ctx: _Context, rng: random.Random, d: _Days) -> list[Op]:
        stop, flags = ctx.scenario.stop, ctx.scenario.flags
        limit = 200 if ctx.person else 3000  # 第五十一条
        warning = rng.random() < 0.2
        fine = None if warning else _money(rng, 50, limit, 50)
        ops = [Op(d.day, "simple_decide", {"fine": fine})]
        if "documents" in flags:
            ops.append(Op(d.day, "document", {"kind": CaseDocument.Kind.SIMPLE_DECISION}))
        if stop == S.DECIDED:
            return ops
        ops.append(Op(d.day, "serve_on_the_spot"))
        on_the_spot = fine is not None and fine <= penalty.ON_THE_SPOT_SMALL_FINE
        if on_the_spot:  # 第六十八条第一项: a fine up to 100 元 is collected there and then
            ops.append(Op(d.day, "pay", {"amount": fine, "channel": "on_the_spot"}))
        if stop == S.SERVED:
            return ops
        ops.append(
            Op(d.wd(rng.randint(9, 12) if "late_filing" in flags else rng.randint(1, 6)), "file")
        )
        if stop == S.FILED:
            return ops
        if fine is not None and not on_the_spot:  # paid at the bank within 15 days (第六十七条)
            ops.append(Op(d.wd(rng.randint(0, 2)), "pay", {"amount": fine}))
        ops.append(Op(d.wd(rng.randint(1, 5)), "close"))
        return self._archive(ops, d, rng, stop)

    # 行政检查

    def _inspection(self, ctx: _Context, rng: random.Random, d: _Days) -> list[Op]:
        stop, path, flags = ctx.scenario.stop, ctx.scenario.path, ctx.scenario.flags
        ops = [Op(d.day, "open")]
        if stop == S.PLANNED:
            return ops
        ops.append(Op(d.wd(rng.randint(2, 10)), "inspect"))
        if stop == S.INSPECTED:
            return ops
        findings = d.wd(rng.randint(0, 3))
        if path == "no_problem":
            ops.append(Op(findings, "findings", {"rectify": None}))
        else:
            due = d.workday(findings + timedelta(days=rng.randint(15, 30)))
            ops.append(Op(findings, "findings", {"rectify": due}))
            if stop == S.FINDINGS:
                if "penalty" in flags:
                    ops.append(Op(d.wd(rng.randint(1, 5)), "penalty_open"))
                return ops
            ops.append(
                Op(
                    d.at(due + timedelta(days=rng.randint(1, 6))),
                    "recheck",
                    {"rectified": path != "not_rectified"},
                )
            )
            if stop == S.RECHECKED:
                if "penalty" in flags:
                    ops.append(Op(d.wd(rng.randint(1, 5)), "penalty_open"))
                return ops
        if stop == S.FINDINGS:
            return ops
        ops.append(Op(d.wd(rng.randint(1, 5)), "close"))
        return self._archive(ops, d, rng, stop)

    # 行政强制措施（查封、扣押）

    def _seizure(self, ctx: _Context, rng: random.Random, d: _Days) -> list[Op]:
        stop, path, flags = ctx.scenario.stop, ctx.scenario.path, ctx.scenario.flags
        ops = [Op(d.day, "open")]
        if stop == S.PROPOSED:
            return ops
        emergency = path in ("emergency", "emergency_refused", "night")
        if emergency:
            day = d.wd(rng.randint(0, 2))
            if path == "night":  # 第四十三条: urgent, at night, with the reasons recorded
                seized = _moment(day, 22, rng.randint(5, 50))
            else:
                seized = _moment(day, rng.randint(9, 16), rng.randint(0, 59))
            ops.append(Op(day, "execute", {"emergency": True, "night": path == "night"}, seized))
            if stop == S.EMERGENCY_EXECUTED:
                return ops
            if path == "emergency_refused":
                ops.append(Op(d.wd(1), "release", {"refused": True}))
                return ops
            ratified = seized + timedelta(hours=rng.randint(2, 20), minutes=rng.randint(0, 59))
            d.at(ratified.date())
            ops.append(Op(ratified.date(), "ratify", at=ratified))
        else:
            day = d.wd(rng.randint(0, 2))
            approved = _moment(day, rng.randint(8, 11), rng.randint(0, 59))
            ops.append(Op(day, "approve", at=approved))
            if stop == S.APPROVED:
                return ops
            if rng.random() < 0.5:
                day = d.wd(1)
                seized = _moment(day, rng.randint(9, 16), rng.randint(0, 59))
            else:
                seized = approved + timedelta(hours=rng.randint(1, 4), minutes=rng.randint(0, 59))
            ops.append(Op(day, "execute", {"emergency": False, "night": False}, seized))
            if "documents" in flags:
                ops.append(Op(day, "document", {"kind": CaseDocument.Kind.SEIZURE_DECISION}))
        seized_day = seized.date()
        if stop == S.EXECUTED:
            return ops
        if stop == S.EXTENDED or rng.random() < 0.3:
            # 第二十五条: extended once, before the 30 days run out.
            ops.append(Op(d.at(seized_day + timedelta(days=rng.randint(20, 26))), "extend"))
            if stop == S.EXTENDED:
                return ops
        end = d.at(d.day + timedelta(days=rng.randint(3, 12)))
        if stop == S.HANDLED or (stop != S.RELEASED and rng.random() < 0.5):
            ops.append(Op(end, "handle"))
        else:
            ops.append(Op(end, "release"))
        if stop in (S.RELEASED, S.HANDLED):
            return ops
        ops.append(Op(d.wd(rng.randint(1, 5)), "close"))
        return self._archive(ops, d, rng, stop)


# -- texts ------------------------------------------------------------------------------------


def _is_seizure(item: PowerItem) -> bool:
    return item.name.startswith(("查封", "扣押"))


def _act(item: PowerItem) -> str:
    """对销售失效、变质产品的行政处罚 → 销售失效、变质产品."""
    name = item.name.removeprefix("对")
    for suffix in ("的行政处罚", "的按日连续处罚"):
        if suffix in name:
            return name.rsplit(suffix, 1)[0]
    return name


_INTERVIEWS = (
    "询问当事人{who}，其承认{act}的事实，称系对相关规定了解不够。",
    "询问当事人{who}，其对现场检查发现的问题无异议，表示愿意配合调查并立即整改。",
    "询问当事人{who}，其陈述了违法行为的起止时间和经营数量，提供了进货凭证。",
)
_STATEMENTS = (
    "当事人称系初次违法，已全部整改，请求从轻处罚。",
    "当事人对违法事实无异议，称经营困难，请求减轻罚款。",
    "当事人提交书面陈述申辩意见，对部分证据的证明力提出异议。",
)
_SEIZED_ITEMS: dict[str, tuple[tuple[str, str], ...]] = {
    "market": (
        ("涉嫌过期食品", "36箱"),
        ("涉嫌假冒注册商标的白酒", "120瓶"),
        ("不合格电热水壶", "48台"),
    ),
    "environment": (("涉嫌违法排污的水泵", "2台"), ("危险废物（废矿物油）", "12桶")),
    "urban": (("违法施工机具（挖掘机）", "1台"), ("违法设置的户外广告牌", "3块")),
    "emergency": (("不符合国家标准的压力容器", "4台"), ("无标识的危险化学品", "20桶")),
}


# -- the loader -------------------------------------------------------------------------------


@dataclass
class _Agency:
    spec: AgencySpec
    agency: Agency
    domain: Domain
    officer: Account
    head: Account
    actors: list[Officer]  # officers valid all year for the agency's domain
    presiders: list[Officer]  # legal-review staff: hearing presiders
    items: dict[str, list[PowerItem]]  # category → published items
    bases: dict[int, str] = field(default_factory=dict)


class _Loader:
    def __init__(self, today: date, sample: bool, out: _Out | None) -> None:
        self.today = today
        self.sample = sample
        self.out = out
        self.cal = current_calendar()
        self.last_day = today if self.cal.is_workday(today) else self._workday_before(today)
        self.rng = random.Random(SEED)
        self.people = _People(random.Random(SEED + 1))
        self.planner = _Planner(self.cal)
        self.admin = Account.objects.get(username="admin")
        self.agencies: list[_Agency] = []
        self.documents_left = DOCUMENT_CASES_SAMPLE if sample else DOCUMENT_CASES_FULL
        self.highlights: dict[str, tuple[str, str, str]] = {}
        self.evidence_serial = 0

    def _workday_before(self, day: date) -> date:
        day -= timedelta(days=1)
        while not self.cal.is_workday(day):
            day -= timedelta(days=1)
        return day

    def _back(self, day: date, n: int) -> date:
        for _ in range(n):
            day = self._workday_before(day)
        return day

    # setup

    def setup(self) -> None:
        for spec in AGENCIES:
            agency = Agency.objects.get(name=spec.name, division_code__startswith="1399")
            if spec.short_name:
                agency_short_name_set(actor=self.admin, agency=agency, short_name=spec.short_name)
            domain = agency.domains.order_by("pk").first()
            assert domain is not None
            officers = list(Officer.objects.filter(agency=agency).order_by("pk"))
            head_officer = next(
                (o for o in officers if o.position in ("局长", "支队长")),
                next((o for o in officers if o.position in ("副局长", "副支队长")), None),
            )
            # Hearings are presided over by legal-review staff, never by an investigator.
            presiders = [o for o in officers if o.review_body_id is not None]
            # Acting officers: valid all year for the domain, neither the head nor a reviewer.
            actors = [
                o
                for o in officers
                if o != head_officer
                and o.review_body_id is None
                and all(
                    officer_may_act(o, domain, day, region=agency.division_code).allowed
                    for day in (YEAR_START, self.today)
                )
            ]
            officer_account = self._account(spec.officer, agency, actors)
            head_account = self._account(spec.head, agency, [head_officer] if head_officer else [])
            if officer_account.officer is not None and officer_account.officer in actors:
                # The account's officer leads half of the body's cases: first in the list.
                actors.remove(officer_account.officer)
                actors.insert(0, officer_account.officer)
            items: dict[str, list[PowerItem]] = {}
            for item in PowerItem.objects.filter(
                agency=agency,
                status=PowerItem.Status.PUBLISHED,
                published_on__lte=YEAR_START,
                domain=domain,
            ).order_by("code"):
                if item.category == PowerItem.Category.COERCION and not _is_seizure(item):
                    continue  # 强制拆除 and the like are not 查封、扣押
                items.setdefault(item.category, []).append(item)
            self.agencies.append(
                _Agency(
                    spec, agency, domain, officer_account, head_account, actors, presiders, items
                )
            )

    def _account(self, username: str, agency: Agency, candidates: Sequence[Officer]) -> Account:
        existing = Account.objects.filter(username=username).first()
        if existing is not None:
            return existing
        spec = next(a for a in CASE_ACCOUNTS if a.username == username)
        officer = candidates[0] if candidates else None
        return registry_services.account_create(
            actor=None,
            username=spec.username,
            password=spec.password,
            role=spec.role,
            agency=agency,
            officer=officer,
            display_name=officer.name if officer else "",
        )

    def _basis(self, a: _Agency, item: PowerItem) -> str:
        if item.pk not in a.bases:
            rows = LegalBasis.objects.filter(power_item=item).order_by("position", "pk")
            a.bases[item.pk] = "、".join(f"《{b.law}》{b.article}" for b in rows)
        return a.bases[item.pk]

    # cases

    def load(self) -> list[Case]:
        queue: list[tuple[Scenario, int]] = []
        for sc in SCENARIOS:
            n = 1 if self.sample else sc.count
            queue += [(sc, i) for i in range(n)]
        # Interleave the kinds so that case numbers of one agency are not grouped by scenario.
        self.rng.shuffle(queue)
        cases: list[Case] = []
        started = time.perf_counter()
        for done, (sc, _i) in enumerate(queue, start=1):
            cases += self._case(sc)
            if self.out is not None and done % 50 == 0:
                self.out.write(
                    f"  案件 {done}/{len(queue)}（{time.perf_counter() - started:.0f}秒）\n"
                )
        return cases

    def _agency_for(self, sc: Scenario) -> _Agency:
        category = services.POWER_CATEGORY[sc.kind]
        pool = [a for a in self.agencies if a.items.get(category) and len(a.actors) >= 2]
        if sc.kind == K.PENALTY_SIMPLE:  # mostly street-level: 城管, 交通, 市场
            weights = [
                a.spec.weight * (3 if a.spec.key in ("urban", "transport") else 1) for a in pool
            ]
        else:
            weights = [a.spec.weight for a in pool]
        return self.rng.choices(pool, weights)[0]

    def _party(self, a: _Agency, sc: Scenario) -> tuple[DemoParty, bool]:
        if sc.kind == K.PENALTY_SIMPLE:
            person = self.rng.random() < 0.7
        elif sc.kind in (K.INSPECTION, K.SEIZURE):
            person = False
        else:
            person = self.rng.random() < (0.5 if a.spec.key == "urban" else 0.3)
        party = self.people.person(YEAR_START) if person else self.people.company(a.spec.key)
        return party, person

    def _fit(self, ctx: _Context, seed: int) -> list[Op]:
        """Plan the case so that its last step falls where the scenario wants it."""
        ops = self.planner.plan(ctx, seed, YEAR_START)
        span = (_end(ops) - YEAR_START).days
        latest = self.last_day
        if ctx.scenario.lag is None:
            room = (self._back(latest, 3) - YEAR_START).days - span
            target = YEAR_START + timedelta(days=span + self.rng.randint(0, max(room, 0)))
        else:
            lo, hi = ctx.scenario.lag
            target = self._back(latest, self.rng.randint(lo, hi))
        start = YEAR_START + (target - _end(ops))
        for _attempt in range(8):
            start = max(start, YEAR_START)
            ops = self.planner.plan(ctx, seed, start)
            over = max((_end(ops) - target).days, _overrun(ctx.scenario, ops))
            if over <= 0 or start == YEAR_START:
                break
            start -= timedelta(days=over)
        if _end(ops) > latest or _overrun(ctx.scenario, ops) > 0:
            raise AssertionError(f"demo plan does not fit in 2026: {ctx.scenario} {_end(ops)}")
        return ops

    def _case(self, sc: Scenario) -> list[Case]:
        a = self._agency_for(sc)
        party, person = self._party(a, sc)
        ctx = _Context(sc, party, person)
        seed = self.rng.randrange(2**32)
        ops = self._fit(ctx, seed)
        run = _Run(self, a, ctx, random.Random(seed + 1))
        for op in ops:
            run.do(op)
        return run.cases

    def evidence_name(self) -> int:
        self.evidence_serial += 1
        return self.evidence_serial


class _Run:
    """Executes one case's operations through the services."""

    def __init__(self, loader: _Loader, a: _Agency, ctx: _Context, rng: random.Random) -> None:
        self.loader = loader
        self.a = a
        self.ctx = ctx
        self.rng = rng
        self.cases: list[Case] = []
        self.case: Case | None = None
        pair = self._pair()
        self.lead, self.assistant = pair
        category = services.POWER_CATEGORY[ctx.scenario.kind]
        self.item = rng.choice(a.items[category])
        self.act = _act(self.item)
        self.basis = loader._basis(a, self.item)
        self.wants_documents = False
        if "documents" in ctx.scenario.flags and loader.documents_left > 0:
            loader.documents_left -= 1
            self.wants_documents = True

    def _pair(self) -> tuple[Officer, Officer]:
        actors = self.a.actors
        if self.rng.random() < 0.5:  # the account's officer leads half of the agency's cases
            return actors[0], self.rng.choice(actors[1:])
        first, second = self.rng.sample(actors, 2)
        return first, second

    @property
    def officers(self) -> list[Officer]:
        return [self.lead, self.assistant]

    def do(self, op: Op) -> None:
        getattr(self, f"_{op.name}")(op)

    def _c(self) -> Case:
        assert self.case is not None
        return self.case

    def _note(self, what: str) -> None:
        """Remember the first case showing ``what`` (docs/demo.md names a few to open)."""
        if what in self.loader.highlights:
            return
        number = Case.objects.filter(pk=self._c().pk).values_list("number", flat=True).get()
        if number:
            self.loader.highlights[what] = (what, number, self.a.agency.name)

    # evidence

    def _photo_inputs(self, n: int, label: str) -> list[EvidenceInput]:
        inputs = []
        for i in range(n):
            serial = self.loader.evidence_name()
            data = _png(f"zhifa-demo-photo-{SEED}-{serial}".encode())
            inputs.append(
                EvidenceInput(
                    stream=io.BytesIO(data), name=f"{label}{i + 1}.png", media_type="image/png"
                )
            )
        return inputs

    def _upload(self, inputs: list[EvidenceInput], at: datetime) -> list[EvidenceRef]:
        """Upload files for the case as its officer did that day (evidence.upload entries)."""
        uploads = services.case_evidence_upload(
            actor=self.a.officer, case=self._c(), uploads=inputs, at=at
        )
        return [u.ref for u in uploads]

    def _photos(self, on: date, n: int, label: str) -> list[EvidenceRef]:
        return self._upload(self._photo_inputs(n, label), _moment(on, 17, 30))

    def _video(self, seized: datetime, late: bool) -> EvidenceRef:
        serial = self.loader.evidence_name()
        started = seized - timedelta(minutes=self.rng.randint(10, 30))
        ended = seized + timedelta(minutes=self.rng.randint(20, 50))
        # Uploaded within the 24 hours most provinces require; a few late, to show the flag.
        uploaded = ended + (
            timedelta(hours=self.rng.randint(26, 40))
            if late
            else timedelta(hours=self.rng.randint(1, 5))
        )
        video = EvidenceInput(
            stream=io.BytesIO(_video_placeholder(f"zhifa-demo-video-{SEED}-{serial}".encode())),
            name=f"查封扣押现场执法记录仪录像{serial}.mp4",
            media_type="video/mp4",
            recording=Recording(
                device=f"执法记录仪 DSJ-{self.a.agency.pk:03d}{self.lead.pk % 100:02d}",
                officer_id=self.lead.pk,
                officer_name=self.lead.name,
                started_at=started,
                ended_at=ended,
                place=self.ctx.party.input.address,
            ),
        )
        (ref,) = self._upload([video], uploaded)
        return ref

    # opening

    def _title(self) -> str:
        kind = self.ctx.scenario.kind
        who = self.ctx.party.short
        if kind == K.INSPECTION:
            return f"{self.item.name}（{who}）"[:200]
        if kind == K.SEIZURE:  # 查封、扣押 + the party + what: 查封、扣押某公司不合格的产品
            verb = next(v for v in ("查封、扣押", "查封", "扣押") if self.item.name.startswith(v))
            return f"{verb}{who}{self.item.name.removeprefix(verb)}"[:200]
        return f"{who}涉嫌{self.act}案"[:200]

    def _open(self, op: Op) -> None:
        a, kind = self.a, self.ctx.scenario.kind
        act_days = op.args.get("act_days")
        summaries: dict[str, str] = {
            K.PENALTY_GENERAL: f"{op.on:%Y年%m月%d日}接群众举报，反映当事人涉嫌{self.act}。",
            K.INSPECTION: f"按照年度“双随机、一公开”监管工作计划，对当事人实施{self.item.name}。",
            K.SEIZURE: f"执法人员检查时发现当事人涉嫌违法，依据{self.basis}拟采取查封、扣押措施。",
        }
        summary = summaries[kind]
        self.case = services.case_open(
            actor=a.officer,
            kind=kind,
            power_code=self.item.code,
            title=self._title(),
            on=op.on,
            summary=summary,
            act_ended_on=op.on - timedelta(days=act_days) if act_days else None,
            parties=[self.ctx.party.input],
            officers=[
                (self.lead, CaseOfficer.Role.LEAD),
                (self.assistant, CaseOfficer.Role.ASSISTANT),
            ],
            late_reason=LATE_REASON,
        )
        self.cases.append(self.case)

    # 行政处罚 普通程序

    def _register(self, op: Op) -> None:
        services.case_register(
            actor=self.a.head,
            case=self._c(),
            on=op.on,
            opinion="同意立案调查",
            late_reason=LATE_REASON,
        )
        if "overdue" in self.ctx.scenario.flags:
            self._note("超过第六十条办案期限")

    def _not_register(self, op: Op) -> None:
        services.case_not_register(
            actor=self.a.head,
            case=self._c(),
            on=op.on,
            reason="经核查，举报反映的问题不属实",
            late_reason=LATE_REASON,
        )

    def _investigate(self, op: Op) -> None:
        step = op.args["step"]
        who = self.ctx.party.input.legal_representative or self.ctx.party.input.name
        if step == CaseStep.Kind.INSPECTION_RECORD:
            summary = (
                f"在{self.ctx.party.input.address}进行现场检查，"
                f"发现当事人涉嫌{self.act}，现场拍照取证。"
            )
            files = self._photos(op.on, self.rng.randint(1, 2), "现场检查照片")
        elif step == CaseStep.Kind.INTERVIEW_RECORD:
            summary = self.rng.choice(_INTERVIEWS).format(who=who, act=self.act)
            files = []
        else:
            summary = "调取当事人进销货台账、销售凭证等书证，制作证据清单。"
            files = self._photos(op.on, 1, "书证照片")
        services.case_investigate(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            kind=step,
            officers=self.officers,
            summary=summary,
            files=files,
            late_reason=LATE_REASON,
        )

    def _extend(self, op: Op) -> None:
        if self.ctx.scenario.kind == K.SEIZURE:
            services.case_seizure_extend(
                actor=self.a.head,
                case=self._c(),
                on=op.on,
                reason="涉案物品需送检，检验结果尚未出具，经批准延长查封扣押期限",
                late_reason=LATE_REASON,
            )
            self._note("查封扣押延长一次")
            return
        services.case_decision_extend(
            actor=self.a.head,
            case=self._c(),
            on=op.on,
            reason="案情复杂，需进一步调取外地证据，经机关负责人批准延长办案期限",
            late_reason=LATE_REASON,
        )
        self._note("延长第六十条办案期限")

    def _withdraw(self, op: Op) -> None:
        services.case_withdraw(
            actor=self.a.head,
            case=self._c(),
            on=op.on,
            reason="经调查，违法行为已超过追责时效，撤销立案",
            late_reason=LATE_REASON,
        )
        self._note("撤销立案")

    def _transfer(self, op: Op) -> None:
        services.case_transfer(
            actor=self.a.head,
            case=self._c(),
            on=op.on,
            organ=f"{city.CITY_NAME}公安局{self.ctx.party.district}分局",
            reason="涉案货值金额超过五万元，涉嫌生产、销售伪劣产品罪",
            late_reason=LATE_REASON,
        )
        self._note("移送司法机关")

    def _not_penalise(self, op: Op) -> None:
        ground = op.args["ground"]
        reason = {
            "first_violation": "当事人系初次违法，危害后果轻微并已及时改正，依法不予行政处罚",
            "minor_corrected": "违法行为轻微并已及时改正，没有造成危害后果",
            "facts_not_established": "经调查，现有证据不足以证明违法事实成立",
        }[ground]
        if ground == "first_violation":
            # zhifa sees only its own cases: the 公示系统 is checked and recorded first.
            services.case_credit_check_record(
                actor=self.a.officer,
                case=self._c(),
                on=op.on,
                checked_by=self.a.officer.display_name or "执法人员",
                seen="国家企业信用信息公示系统“行政处罚信息”栏未显示同类违法记录",
                none_found=True,
                late_reason=LATE_REASON,
            )
        try:
            services.case_not_penalise(
                actor=self.a.head,
                case=self._c(),
                on=op.on,
                ground=ground,
                reason=reason,
                late_reason=LATE_REASON,
            )
        except RuleViolation:  # the generated party has a similar violation on record
            ground = "minor_corrected"
            services.case_not_penalise(
                actor=self.a.head,
                case=self._c(),
                on=op.on,
                ground=ground,
                reason="违法行为轻微并已及时改正，没有造成危害后果",
                late_reason=LATE_REASON,
            )
        if ground == "first_violation":
            self._note("首违不罚")
        if ground != "facts_not_established":  # 第三十三条第三款
            services.case_education_record(
                actor=self.a.officer,
                case=self._c(),
                on=op.on,
                method="当面批评教育",
                content="告知当事人违法行为的危害和应遵守的法律规定，责令其依法经营",
                late_reason=LATE_REASON,
            )

    def _submit_review(self, op: Op) -> None:
        services.case_submit_review(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            report="调查终结，违法事实清楚，证据确实充分，建议给予行政处罚",
            late_reason=LATE_REASON,
        )

    def _notify(self, op: Op) -> None:
        services.case_notify(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            facts=f"经查，当事人{self.ctx.party.input.name}存在{self.act}的行为，有现场检查笔录、询问笔录等证据为证。",
            reasons=f"当事人的上述行为违反了{self.basis}的规定。",
            basis=self.basis,
            penalty_kinds=op.args["kinds"],
            fine=op.args["fine"],
            confiscation=op.args["confiscation"],
            late_reason=LATE_REASON,
        )

    def _hearing_request(self, op: Op) -> None:
        services.case_hearing_request(
            actor=self.a.officer, case=self._c(), on=op.on, late_reason=LATE_REASON
        )

    def _hearing_notice(self, op: Op) -> None:
        investigators = set(self.officers)
        presider = next(
            (o for o in self.a.presiders if o not in investigators),
            next(o for o in self.a.actors if o not in investigators),
        )
        services.case_hearing_notice(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            hearing_on=op.args["hearing_on"],
            presider=presider,
            place=f"{self.a.agency.name}听证室",
            late_reason=LATE_REASON,
        )

    def _hearing_hold(self, op: Op) -> None:
        absent = bool(op.args["absent"])
        record = (
            "当事人经依法通知，无正当理由未出席听证，视为放弃听证权利。"
            if absent
            else "调查人员提出当事人违法的事实、证据和处罚建议；"
            "当事人进行申辩和质证，请求减轻处罚。"
        )
        services.case_hearing_hold(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            record=record,
            party_absent=absent,
            adoption="" if absent else "rejected",
            adoption_reasons="" if absent else "当事人所述不足以推翻已查明的违法事实",
            late_reason=LATE_REASON,
        )
        self._note("举行听证")

    def _statement(self, op: Op) -> None:
        waived = bool(op.args["waived"])
        services.case_statement_record(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            content="" if waived else self.rng.choice(_STATEMENTS),
            waived=waived,
            adoption="" if waived else "rejected",
            adoption_reasons="" if waived else "当事人所述不足以推翻已查明的违法事实",
            late_reason=LATE_REASON,
        )

    def _decide(self, op: Op) -> None:
        collective = bool(op.args["collective"])
        services.case_decide(
            actor=self.a.head,
            case=self._c(),
            on=op.on,
            penalty_kinds=op.args["kinds"],
            fine=op.args["fine"],
            confiscation=op.args["confiscation"],
            complex_or_grave=collective,
            collective_discussion=collective,
            opinion="经集体讨论，同意作出行政处罚决定" if collective else "同意",
            late_reason=LATE_REASON,
        )

    def _serve(self, op: Op) -> None:
        method = self.rng.choice(
            (
                Case.ServiceMethod.DIRECT,
                Case.ServiceMethod.DIRECT,
                Case.ServiceMethod.MAIL,
                Case.ServiceMethod.ELECTRONIC,
                Case.ServiceMethod.LEFT,
            )
        )
        services.case_serve(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            method=method,
            recipient=self.ctx.party.input.legal_representative or self.ctx.party.input.name,
            electronic_consent=method == Case.ServiceMethod.ELECTRONIC,
            late_reason=LATE_REASON,
        )
        if "late_service" in self.ctx.scenario.flags:
            self._note("逾期送达（已标记）")
        if "overdue" in self.ctx.scenario.flags:
            self._note("罚款逾期未缴")

    def _pay(self, op: Op) -> None:
        channel = op.args.get("channel", "bank")
        prefix = "罚没款收据" if channel == "on_the_spot" else "非税收入缴款书"
        case = services.case_payment_record(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            amount=op.args["amount"],
            item=op.args.get("item", "fine"),
            channel=channel,
            receipt=f"{prefix}{op.on:%Y%m%d}{self.rng.randrange(10**6):06d}",
            late_reason=LATE_REASON,
        )
        if case.late_fee > 0:
            self._note("加处罚款（第七十二条）")

    def _arrange_instalments(self, op: Op) -> None:
        plan: list[tuple[date, Decimal]] = op.args["plan"]
        services.case_payment_arrange(
            actor=self.a.head,
            case=self._c(),
            on=op.on,
            kind=Extension.Kind.PAYMENT_INSTALMENT,
            reason="当事人经营困难，申请分期缴纳罚款，经批准分三期缴纳",
            due_on=plan[-1][0],
            instalments=plan,
            late_reason=LATE_REASON,
        )
        self._note("分期缴纳罚款")

    def _arrange_deferral(self, op: Op) -> None:
        services.case_payment_arrange(
            actor=self.a.head,
            case=self._c(),
            on=op.on,
            kind=Extension.Kind.PAYMENT_DEFERRAL,
            reason="当事人确有经济困难，申请暂缓缴纳罚款，经批准暂缓",
            due_on=op.args["due_on"],
            late_reason=LATE_REASON,
        )

    def _court(self, op: Op) -> None:
        services.case_court_apply(
            actor=self.a.head,
            case=self._c(),
            on=op.on,
            court=f"{city.CITY_NAME}{self.ctx.party.district}人民法院",
            late_reason=LATE_REASON,
        )
        self._note("申请人民法院强制执行")

    def _close(self, op: Op) -> None:
        services.case_close(
            actor=self.a.head, case=self._c(), on=op.on, opinion="同意结案", late_reason=LATE_REASON
        )

    def _archive(self, op: Op) -> None:
        services.case_archive(actor=self.a.head, case=self._c(), on=op.on, late_reason=LATE_REASON)

    def _document(self, op: Op) -> None:
        if not self.wants_documents:
            return
        document_generate(actor=self.a.officer, case=self._c(), kind=op.args["kind"], on=op.on)

    # 行政处罚 简易程序

    def _simple_decide(self, op: Op) -> None:
        fine = op.args["fine"]
        self.case = services.case_simple_decide(
            actor=self.a.officer,
            power_code=self.item.code,
            title=self._title(),
            on=op.on,
            party=self.ctx.party.input,
            penalty_kind="warning" if fine is None else "fine",
            fine=fine,
            officers=self.officers,
            place="幸福路菜市场门前",
            facts=f"执法人员当场发现当事人{self.act}，事实清楚，当事人无异议。",
            basis=self.basis,
            # No case to upload to before it is decided: received first, bound by the service.
            evidence=[evidence_receive(p) for p in self._photo_inputs(1, "当场处罚照片")],
            late_reason=LATE_REASON,
        )
        self.cases.append(self.case)

    def _serve_on_the_spot(self, op: Op) -> None:
        services.case_serve(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            method=Case.ServiceMethod.ON_THE_SPOT,
            recipient=self.ctx.party.input.name,
            late_reason=LATE_REASON,
        )
        if "overdue" in self.ctx.scenario.flags:
            self._note("当场处罚逾期未备案")

    def _file(self, op: Op) -> None:
        services.case_file(actor=self.a.officer, case=self._c(), on=op.on, late_reason=LATE_REASON)

    # 行政检查

    def _inspect(self, op: Op) -> None:
        services.case_inspect(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            officers=self.officers,
            summary=f"依据{self.basis}对当事人经营场所实施现场检查，检查了相关台账和现场情况。",
            files=self._photos(op.on, self.rng.randint(1, 2), "检查照片"),
            late_reason=LATE_REASON,
        )

    def _findings(self, op: Op) -> None:
        due: date | None = op.args["rectify"]
        services.case_findings_record(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            outcome=Case.InspectionOutcome.NO_PROBLEM
            if due is None
            else Case.InspectionOutcome.RECTIFY,
            findings="未发现违法违规问题"
            if due is None
            else "发现台账记录不全、部分设施不符合要求，责令限期整改",
            rectification_due_on=due,
            late_reason=LATE_REASON,
        )
        if due is not None and "overdue" in self.ctx.scenario.flags:
            self._note("整改期满未复查")

    def _recheck(self, op: Op) -> None:
        rectified = bool(op.args["rectified"])
        services.case_recheck(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            officers=self.officers,
            rectified=rectified,
            summary="复查发现已按要求整改到位" if rectified else "复查发现当事人逾期未整改",
            files=self._photos(op.on, 1, "复查照片"),
            late_reason=LATE_REASON,
        )

    def _penalty_open(self, op: Op) -> None:
        # The penalty case is based on one of the agency's penalty items.
        item = self.rng.choice(self.a.items[PowerItem.Category.PENALTY])
        opened = services.case_penalty_open(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            power_code=item.code,
            title=f"{self.ctx.party.short}涉嫌{_act(item)}案"[:200],
            summary="行政检查中发现涉嫌违法行为，转立处罚案件",
            act_ended_on=op.on - timedelta(days=self.rng.randint(5, 30)),
            late_reason=LATE_REASON,
        )
        self.cases.append(opened)
        self._note("检查转立处罚案件")

    # 行政强制措施（查封、扣押）

    def _approve(self, op: Op) -> None:
        assert op.at is not None
        services.case_seizure_approve(
            actor=self.a.head,
            case=self._c(),
            at=op.at,
            opinion="同意实施查封、扣押",
            late_reason=LATE_REASON,
        )

    def _execute(self, op: Op) -> None:
        assert op.at is not None
        emergency, night = bool(op.args["emergency"]), bool(op.args["night"])
        pool = _SEIZED_ITEMS.get(self.a.spec.key, _SEIZED_ITEMS["market"])
        items = [
            services.SeizedItem(name, qty) for name, qty in self.rng.sample(pool, min(2, len(pool)))
        ]
        video = self._video(op.at, late=self.rng.random() < 0.1)
        signed = self.rng.random() < 0.8
        services.case_seizure_execute(
            actor=self.a.officer,
            case=self._c(),
            at=op.at,
            officers=self.officers,
            measure=self.rng.choice((Case.SeizureMeasure.SEAL, Case.SeizureMeasure.SEIZE)),
            items=items,
            files=[video, *self._photos(op.at.date(), 1, "查封扣押现场照片")],
            party_signed=signed,
            witness_name="" if signed else self.loader.people.name(),
            urgent=night,
            urgent_reason="当事人正在连夜转移涉案物品，不立即实施将导致证据灭失" if night else "",
            emergency_reason="当事人正在转移涉案物品，情况紧急，需当场实施" if emergency else "",
            record="执法人员出示执法证件，告知当事人采取行政强制措施的理由、依据以及依法享有的权利、救济途径，听取了当事人的陈述和申辩。",
            late_reason=LATE_REASON,
        )
        if night:
            self._note("夜间紧急实施（第四十三条）")
        elif emergency and self.ctx.scenario.stop == S.EMERGENCY_EXECUTED:
            self._note("紧急实施超过24小时未补批")
        elif "overdue" in self.ctx.scenario.flags:
            self._note("查封扣押期限届满未处理")

    def _ratify(self, op: Op) -> None:
        assert op.at is not None
        services.case_seizure_ratify(
            actor=self.a.head,
            case=self._c(),
            at=op.at,
            opinion="情况紧急，同意补办批准手续",
            late_reason=LATE_REASON,
        )

    def _release(self, op: Op) -> None:
        refused = bool(op.args.get("refused"))
        services.case_seizure_release(
            actor=self.a.officer,
            case=self._c(),
            on=op.on,
            reason="机关负责人认为不应当采取查封扣押措施，立即解除"
            if refused
            else "经检验涉案物品合格，解除查封扣押，退还当事人",
            late_reason=LATE_REASON,
        )

    def _handle(self, op: Op) -> None:
        outcome = self.rng.choice(
            (
                Case.SeizureOutcome.CONFISCATED,
                Case.SeizureOutcome.DESTROYED,
                Case.SeizureOutcome.TRANSFERRED,
            )
        )
        services.case_seizure_handle(
            actor=self.a.head,
            case=self._c(),
            on=op.on,
            outcome=outcome,
            reason=f"依据{self.basis}依法处理涉案物品",
            late_reason=LATE_REASON,
        )


# -- entry points -----------------------------------------------------------------------------


def _demo_agency_ids() -> list[int]:
    return list(
        Agency.objects.filter(
            name__in=[a.name for a in AGENCIES], division_code__startswith="1399"
        ).values_list("pk", flat=True)
    )


def _accounts_described() -> tuple[city.DemoAccount, ...]:
    """CASE_ACCOUNTS with the names of the officers they were linked to."""
    names = dict(
        Account.objects.filter(username__in=[a.username for a in CASE_ACCOUNTS]).values_list(
            "username", "display_name"
        )
    )
    return tuple(replace(a, display_name=names.get(a.username, "")) for a in CASE_ACCOUNTS)


def demo_cases_loaded() -> bool:
    """Whether the demo bodies already have cases (then ``demo_cases_load`` writes nothing)."""
    return Case.objects.filter(agency_id__in=_demo_agency_ids()).exists()


def demo_cases_counts() -> dict[str, dict[str, int]]:
    """Cases of the demo bodies per kind and state."""
    out: dict[str, dict[str, int]] = {}
    rows = (
        Case.objects.filter(agency_id__in=_demo_agency_ids())
        .values_list("kind", "state")
        .annotate(n=Count("pk"))
    )
    for kind, state, n in rows:
        out.setdefault(kind, {})[state] = n
    return out


def reachable_states() -> dict[str, frozenset[str]]:
    """Every state of every kind that the transition tables define (the demo covers each)."""
    return {
        kind: frozenset(table) | frozenset(m.to for moves in table.values() for m in moves)
        for kind, table in TRANSITIONS.items()
    }


def demo_cases_load(
    *, today: date, stdout: _Out | None = None, sample: bool = False
) -> DemoCasesResult:
    """Add the demo cases to 示范市 (loaded first by ``registry.demo.city_load``).

    Guarantees: every case change goes through ``cases.services`` (so through the record);
    no date after ``today``; every state of every kind in ``transitions.TRANSITIONS`` is
    present; idempotent (``already=True`` and nothing written when the demo bodies have cases);
    one transaction. ``sample`` loads one case per scenario (about 80 instead of about 330),
    documents for one case only — for tests.
    Raises ``RuntimeError`` when the demo city is not loaded.
    """
    started = time.perf_counter()
    if not city.city_loaded():
        raise RuntimeError("the demo city 示范市 is not loaded (registry.demo.city_load)")
    if demo_cases_loaded():
        return DemoCasesResult(
            already=True, by_kind=demo_cases_counts(), accounts=_accounts_described()
        )
    entries_before = Entry.objects.count()
    files_before = EvidenceFile.objects.count()
    with transaction.atomic():
        loader = _Loader(today, sample, stdout)
        loader.setup()
        cases = loader.load()
    supervisor = Account.objects.filter(username="supervisor").first()
    overdue = cases_overdue(supervisor, today).count() if supervisor is not None else 0
    return DemoCasesResult(
        already=False,
        cases=len(cases),
        by_kind=demo_cases_counts(),
        entries=Entry.objects.count() - entries_before,
        evidence_files=EvidenceFile.objects.count() - files_before,
        documents=CaseDocument.objects.filter(case__in=cases).count(),
        overdue=overdue,
        accounts=_accounts_described(),
        highlights=sorted(loader.highlights.values()),
        seconds=time.perf_counter() - started,
    )
