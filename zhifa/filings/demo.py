"""The demo filings of ``zhifa demo`` (after the cases): the 示范市司法局's view of the major
penalty decisions of 示范市 as of the demo's reference day — filed on time, filed late,
registered (予以备案), 建议纠正 (with its supervision matter), 移送, closed under 行政复议, one
waiting for review, and the two most recent left unfiled (overdue on both sides' lists). All
through the services; idempotent (nothing is written when a filing exists)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from django.db import transaction

from zhifa.cases.documents import document_generate
from zhifa.cases.models import Case, CaseDocument
from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account

from . import services
from .models import Filing
from .selectors import decisions_unfiled

F = Filing.State
SUPERVISOR = "supervisor"  # the demo's 示范市司法局 supervisor (registry.demo.CITY_ACCOUNTS)
MAX_FILED = 8


class _Out(Protocol):
    def write(self, msg: str) -> object: ...


@dataclass
class DemoFilingsResult:
    already: bool = False
    states: dict[str, int] = field(default_factory=dict)
    late: int = 0
    unfiled: int = 0
    overdue: int = 0


def demo_filings_loaded() -> bool:
    return Filing.objects.exists()


def _filer(case: Case) -> Account | None:
    return (
        Account.objects.filter(agency_id=case.agency_id, role=Account.Role.HEAD, is_active=True)
        .order_by("pk")
        .first()
    )


def _with_decision_document(case: Case, filer: Account) -> bool:
    if CaseDocument.objects.filter(case=case, kind="penalty_decision").exists():
        return True
    if case.state == Case.State.ARCHIVED or case.decided_on is None:
        return False
    try:
        document_generate(actor=filer, case=case, kind="penalty_decision", on=case.decided_on)
    except RuleViolation:
        return False
    return True


def load(*, today: date, stdout: _Out | None = None) -> DemoFilingsResult:
    """File and review the demo's major decisions as of ``today``."""
    if demo_filings_loaded():
        return DemoFilingsResult(already=True)
    supervisor = Account.objects.filter(username=SUPERVISOR).first()
    if supervisor is None:
        raise RuntimeError("the demo city 示范市 is not loaded (registry.demo.city_load)")
    result = DemoFilingsResult()
    with transaction.atomic():
        due = [u for u in decisions_unfiled(supervisor, today) if u.case.decided_on]
        due.sort(key=lambda u: (u.case.decided_on, u.case.pk))
        # The most recently decided stay unfiled (overdue ones show on both sides' lists):
        # two of a full demo, one of the sample's few.
        keep = 2 if len(due) > 5 else 1
        to_file = due[:-keep] if len(due) > keep else []
        filed: list[Filing] = []
        for u in to_file:
            if len(filed) == MAX_FILED:
                break
            case, filer = u.case, _filer(u.case)
            if filer is None or not _with_decision_document(case, filer):
                continue
            assert case.decided_on is not None
            late = len(filed) == 1
            on = u.due_on + timedelta(days=3) if late else case.decided_on + timedelta(days=5)
            if on > today:
                continue
            filed.append(
                services.filing_submit(
                    actor=filer,
                    case=case,
                    on=on,
                    report="当事人违法事实清楚，已依法作出处罚决定，现报送备案。",
                    late_reason="承办人员误以为结案后报送，已整改" if late else "",
                )
            )
        outcomes = [F.REGISTERED, F.CORRECTION, F.TRANSFERRED, F.CLOSED, F.REGISTERED]
        for filing, outcome in zip(filed, outcomes, strict=False):
            on = min(filing.filed_on + timedelta(days=12), today)
            if outcome == F.CLOSED:
                services.filing_close(
                    actor=supervisor,
                    filing=filing,
                    proceeding=Filing.Proceeding.RECONSIDERATION,
                    body="示范市人民政府",
                    accepted_on=on,
                )
                continue
            services.filing_review(
                actor=supervisor,
                filing=filing,
                outcome=outcome,
                on=on,
                opinion={
                    F.REGISTERED: "",
                    F.CORRECTION: "罚款数额未说明适用裁量基准的理由，建议自行纠正",
                    F.TRANSFERRED: "案件涉嫌犯罪，建议移送公安机关",
                }[outcome],
                transferred_to="示范市公安局" if outcome == F.TRANSFERRED else "",
            )
        for state in Filing.objects.values_list("state", flat=True):
            result.states[state] = result.states.get(state, 0) + 1
        result.late = Filing.objects.filter(late=True).count()
        left = decisions_unfiled(supervisor, today)
        result.unfiled, result.overdue = len(left), sum(1 for u in left if u.overdue)
    if stdout is not None:
        labels = dict(F.choices)
        parts = "、".join(f"{labels[s]}{n}" for s, n in sorted(result.states.items()))
        stdout.write(
            f"已加载重大行政处罚决定备案：{parts or '无'}（逾期报送{result.late}件），"
            f"应报未报{result.unfiled}件（已逾期{result.overdue}件）。"
        )
    return result
