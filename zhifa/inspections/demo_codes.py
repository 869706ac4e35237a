"""The demo's scanned codes and ratings (``zhifa demo``, after the demo inspections): on the
approved inspections planned on or before the reference day, each named officer scanned the code
on arrival and on leaving; on the emergency-started ones (no code issued) the officers entered
their visit late, with the reason, the next day; enterprises rated some inspections — most
satisfied, one reporting a breach of the discipline rules — so that the agency's aggregate page
and the supervisor's list have something to show. All through ``services_codes``. Idempotent:
nothing is written when visits or ratings exist."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from zhifa.cases.models import CaseOfficer
from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account

from . import services_codes
from .models import Inspection, Rating, Visit

# (score, breaches, comment) of the demo's ratings, in turn; no comment names anyone.
RATINGS: tuple[tuple[int, list[str], str], ...] = (
    (5, [], "检查人员出示证件，说明依据，用时较短。"),
    (4, [], ""),
    (5, [], "提前告知检查内容，资料一次性调取。"),
    (2, ["disturb"], "要求法定代表人必须到场，影响生产安排。"),
    (4, [], ""),
    (3, [], "检查时间较长。"),
)
SH = ZoneInfo("Asia/Shanghai")
LIMIT = 12  # inspections with scanned visits: enough for every page, fast to load


def _account(officer_id: int) -> Account | None:
    return Account.objects.filter(officer_id=officer_id, is_active=True).order_by("pk").first()


def _visit_all(inspection: Inspection) -> int:
    """Arrival and departure of each officer of ``inspection`` (scanned if coded, else 补录)."""
    made = 0
    day = inspection.planned_on
    arrive = datetime.combine(day, time(9, 30), tzinfo=SH)
    leave = datetime.combine(day, time(11, 10), tzinfo=SH)
    officers = CaseOfficer.objects.filter(case_id=inspection.case_id).order_by("role", "id")
    for row in officers:
        actor = _account(row.officer_id)
        if actor is None:
            continue
        try:
            if inspection.state == Inspection.State.APPROVED and inspection.coded:
                for kind, at in (("arrival", arrive), ("departure", leave)):
                    services_codes.visit_scan(actor=actor, inspection=inspection, kind=kind, at=at)
                    made += 1
            else:
                for kind, at in (("arrival", arrive), ("departure", leave)):
                    services_codes.visit_late_record(
                        actor=actor,
                        inspection=inspection,
                        kind=kind,
                        visited_at=at,
                        reason="紧急实施，检查时尚未赋码",
                        at=at + timedelta(days=1),
                    )
                    made += 1
        except RuleViolation:
            continue  # e.g. an officer whose certificate lapsed since: the demo skips them
    return made


def load(today: date) -> str:
    """Load as of ``today``; returns what was done, in Chinese."""
    if Visit.objects.exists() or Rating.objects.exists():
        return "扫码入企示范数据已加载，未做改动。"
    candidates = list(
        Inspection.objects.filter(
            state__in=(Inspection.State.APPROVED, Inspection.State.EMERGENCY),
            planned_on__lte=today,
        ).order_by("planned_on", "pk")[:LIMIT]
    )
    if not candidates:
        return "没有已批准或紧急实施的示范检查，未加载扫码和评价。"
    visits = ratings = 0
    with transaction.atomic():
        for n, inspection in enumerate(candidates):
            visits += _visit_all(inspection)
            if n < len(RATINGS):
                score, breaches, comment = RATINGS[n]
                at = datetime.combine(inspection.planned_on, time(16), tzinfo=SH)
                services_codes.rating_submit(
                    inspection=inspection, score=score, breaches=breaches, comment=comment, at=at
                )
                ratings += 1
    return f"扫码入企：{len(candidates)}次检查，入企记录{visits}条，企业评价{ratings}条。"
