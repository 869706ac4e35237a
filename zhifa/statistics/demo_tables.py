"""The demo of the deployment's tables and of 复议/诉讼 (``zhifa demo``, after the cases).

Tables: a 秦皇岛-style split of 行政处罚 built from the catalogue's indicators, one table per
heading the source names (罚款总额、处罚形式、适用处罚程序、执行情况、争议情况). It is an
APPROXIMATION: 秦皇岛 publishes only that it uses "10大项39小项" and names five headings; the 39
items are not published (supervision.md §3.3), so the grouping follows the closest published
columns. One table has a second version (a column added), to show the versions.

Challenges: on the demo city's decided penalty cases, a 复议 upheld, a 复议 corrected (撤销), a
lawsuit still pending and a 复议 filed after its 60 days but accepted (kept with its note) —
so 被复议/复议纠错/被诉 have figures. Idempotent: each half writes nothing when present.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from zhifa.cases.demo import LATE_REASON
from zhifa.cases.models import Case, Challenge
from zhifa.cases.services_challenges import case_challenge_conclude, case_challenge_record
from zhifa.registry.models import Account

from .catalogue import INDICATORS
from .models import TableDefinition
from .penalty_order import ORDER_2021, OTHER
from .services_tables import table_column_add, table_create

QHD_SOURCE = (
    "近似秦皇岛市行政执法数据采集分析系统的行政处罚“10大项39小项”（仅公开了罚款总额、处罚形式、"
    "适用处罚程序、执行情况、争议情况等大项名称，39个小项清单未公开；按最接近的已公开栏目组合）"
)
QHD_TABLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("qhd_amounts", "罚款总额", ("penalty.amount", "penalty.not_penalised", "penalty.mitigated")),
    (
        "qhd_forms",
        "处罚形式",
        (*(f"penalty.kind.{g.code}" for g in ORDER_2021.groups), f"penalty.kind.{OTHER}"),
    ),
    (
        "qhd_procedures",
        "适用处罚程序",
        ("penalty.simple", "penalty.general", "penalty.legal_review", "penalty.hearing"),
    ),
    ("qhd_execution", "执行情况", ("penalty.closed", "coercion.court")),
    (
        "qhd_disputes",
        "争议情况",
        (
            "penalty.reconsidered",
            "penalty.reconsideration_corrected",
            "penalty.litigated",
            "penalty.litigation_lost",
        ),
    ),
)


def _tables() -> list[str]:
    if TableDefinition.objects.filter(code__startswith="qhd_").exists():
        return []
    admin = Account.objects.filter(username="admin").first()
    if admin is None:
        return []
    for n, (code, heading, columns) in enumerate(QHD_TABLES):
        assert all(c in INDICATORS for c in columns)
        table_create(
            actor=admin,
            code=code,
            name=f"行政处罚·{heading}（秦皇岛式，近似）",
            columns=list(columns),
            source=QHD_SOURCE,
            position=10 + n,
        )
    # the second version: 加处罚款 belongs to 执行情况 too
    table_column_add(actor=admin, code="qhd_execution", indicator="coercion.execution.late_fee")
    return [f"统计表：秦皇岛式行政处罚分项表{len(QHD_TABLES)}张（近似，第2版1张）"]


def _actor(case: Case) -> Account | None:
    return (
        Account.objects.filter(agency_id=case.agency_id, role=Account.Role.HEAD).first()
        or Account.objects.filter(agency_id=case.agency_id, role=Account.Role.OFFICER).first()
    )


def _challenges(today: date) -> list[str]:
    if Challenge.objects.exists():
        return []
    decided = list(
        Case.objects.filter(
            kind=Case.Kind.PENALTY_GENERAL,
            decided_on__isnull=False,
            decided_on__lte=today - timedelta(days=120),
        ).order_by("decided_on", "pk")[:4]
    )
    made = 0
    for n, case in enumerate(decided):
        actor = _actor(case)
        if actor is None or case.decided_on is None:
            continue
        d = case.decided_on
        kind = Challenge.Kind.LITIGATION if n == 2 else Challenge.Kind.RECONSIDERATION
        prefix = "示行初" if kind == Challenge.Kind.LITIGATION else "示府复"
        filed = d + timedelta(days=75 if n == 3 else 20)  # the last: after its 60 days
        row = case_challenge_record(
            actor=actor,
            case=case,
            kind=kind,
            body="示范市人民法院" if kind == Challenge.Kind.LITIGATION else "示范市人民政府",
            reference=f"{prefix}〔{d.year}〕{n + 1}号",
            filed_on=filed,
            accepted_on=filed + timedelta(days=3),
            on=filed + timedelta(days=5),
            late_reason=LATE_REASON,
        )
        made += 1
        if n in (0, 1):
            case_challenge_conclude(
                actor=actor,
                challenge=row,
                outcome=Challenge.Outcome.UPHELD if n == 0 else Challenge.Outcome.REVOKED,
                concluded_on=filed + timedelta(days=60),
                note="" if n == 0 else "认定事实不清，撤销原处罚决定",
                on=filed + timedelta(days=62),
                late_reason=LATE_REASON,
            )
    return [f"行政复议、行政诉讼：{made}件（维持、撤销、审理中、逾期受理各一）"] if made else []


@transaction.atomic
def load(today: date) -> list[str]:
    """Load the tables and the challenges as of ``today``; the lines say what was loaded."""
    return _tables() + _challenges(today)
