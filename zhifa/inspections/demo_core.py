"""The demo's 涉企行政检查 (``zhifa demo``, after the cases): each part's demo in the order they
need one another — the directory and plans, the caps and quiet periods with their example
inspections, then the core's own inspections of 示范市市场监督管理局 in every approval state (one
awaiting the head, an emergency awaiting 补办, one cancelled, two carried out with their results,
and an enterprise brought to its yearly cap within 60 days: the next request refused, the
repeat warning raised), the joint 双随机 task drawn from a real signed head, and last the scanned
codes and ratings. All through the services, dated on or before the reference day and entered
late with the demo's reason. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from zhifa.cases import services as cs
from zhifa.cases.demo import LATE_REASON
from zhifa.cases.models import Case, CaseOfficer
from zhifa.core.exceptions import RuleViolation
from zhifa.registry.demo import CITY_CODE
from zhifa.registry.models import Account, Officer, PowerItem

from . import demo_codes, demo_directory, demo_draws, demo_rules, services, services_rules
from .models import Cap, Entity, Ground, Inspection

MARK = "（示范）"
CAP_NAME = "市场监管·同一部门对同一企业日常检查年度上限（示范）"
CAP_SOURCE = (
    "国办发〔2024〕54号（四）：有关主管部门公布同一行政机关对同一企业实施行政检查的年度频次上限；"
    "示范数据：部署时按省级主管部门公布的上限配置"
)


@dataclass
class DemoInspectionsResult:
    lines: list[str] = field(default_factory=list)


def _core_loaded() -> bool:
    return Inspection.objects.filter(decision_note__endswith=MARK).exists() or (
        Inspection.objects.filter(emergency_reason__endswith=MARK).exists()
    )


def load(*, today: date) -> DemoInspectionsResult:
    """Load every part as of ``today`` (the demo's reference day); lines saying what was done."""
    result = DemoInspectionsResult()
    result.lines.append(demo_directory.load(today))
    result.lines.append(demo_rules.load(today))
    result.lines.append(_core(today))
    result.lines.append(demo_draws.load(today))
    result.lines.append(demo_codes.load(today))
    return result


def _core(today: date) -> str:
    if _core_loaded():
        return "示范行政检查审批已加载，未做改动。"
    officer = Account.objects.filter(username="officer").first()
    head = Account.objects.filter(username="head").first()
    if officer is None or head is None or officer.agency is None:
        return "未找到示范市市场监督管理局的执法人员和负责人，未加载示范行政检查审批。"
    item = (
        PowerItem.objects.filter(
            agency=officer.agency,
            category=PowerItem.Category.INSPECTION,
            status=PowerItem.Status.PUBLISHED,
        )
        .order_by("code")
        .first()
    )
    officers = list(
        Officer.objects.filter(account__username__in=["officer", "officer2"]).order_by("pk")
    )
    if item is None or len(officers) < 2:
        return "示范市市场监督管理局没有公布的行政检查事项或持证人员，未加载示范行政检查审批。"
    team = list(zip(officers, [CaseOfficer.Role.LEAD, CaseOfficer.Role.ASSISTANT], strict=True))
    # Entities of the city not inspected yet and outside every quiet period's categories.
    entities = list(
        Entity.objects.filter(
            status=Entity.Status.ACTIVE,
            division_code__startswith=CITY_CODE[:4],
            scale_category="",
            inspections__isnull=True,
        ).order_by("pk")[:8]
    )
    if len(entities) < 6:
        return "检查对象名录库中的示范企业不足，未加载示范行政检查审批。"

    def ask(entity: Entity, day: date, planned_on: date, **kw: object) -> Inspection:
        return services.inspection_request(
            actor=officer,
            entity=entity,
            power_code=item.code,
            planned_on=planned_on,
            officers=team,
            on=day,
            late_reason=LATE_REASON,
            **{"ground": Ground.ROUTINE, **kw},  # type: ignore[arg-type]
        )

    counts: dict[str, int] = {}
    refused_text = ""
    with transaction.atomic():
        # Two carried out: approved beforehand, inspected, findings recorded (the result is
        # published by the publicity app on its 20 working days).
        done_days = (today - timedelta(days=40), today - timedelta(days=20))
        for entity, day in zip(entities[:2], done_days, strict=True):
            row = ask(entity, day - timedelta(days=2), day)
            row = services.inspection_approve(
                actor=head, inspection=row, on=day - timedelta(days=1), note=f"同意{MARK}"
            )
            cs.case_inspect(
                actor=officer,
                case=row.case,
                on=day,
                officers=officers,
                summary="依据检查事项对经营场所、进货查验记录和从业人员健康证明实施现场检查。",
                late_reason=LATE_REASON,
            )
            cs.case_findings_record(
                actor=officer,
                case=row.case,
                on=day,
                outcome=Case.InspectionOutcome.NO_PROBLEM,
                findings="未发现违法违规问题。",
                late_reason=LATE_REASON,
            )
        counts["carried_out"] = 2
        # One awaiting the head's approval, planned after the reference day.
        ask(entities[2], today, today + timedelta(days=7))
        counts["awaiting"] = 1
        # An emergency: inspected at once on a complaint, the approval to follow (补办).
        services.inspection_request(
            actor=officer,
            entity=entities[3],
            power_code=item.code,
            ground=Ground.CLUE,
            ground_reference="12345-20261031-0213",
            planned_on=today,
            officers=team,
            on=today,
            late_reason=LATE_REASON,
            emergency_reason=f"群众举报该店销售过期食品，需立即核查以防证据灭失{MARK}",
        )
        counts["emergency"] = 1
        # One withdrawn before the visit.
        cancelled = services.inspection_approve(
            actor=head,
            inspection=ask(entities[4], today - timedelta(days=5), today + timedelta(days=10)),
            on=today - timedelta(days=5),
            note=f"同意{MARK}",
        )
        services.inspection_cancel(
            actor=head,
            inspection=cancelled,
            on=today - timedelta(days=3),
            reason=f"已纳入市场监管、消防联合检查，不再单独检查{MARK}",
            late_reason=LATE_REASON,
        )
        counts["cancelled"] = 1
        # A yearly cap reached: two inspections this year, the third request refused.
        if not Cap.objects.filter(name=CAP_NAME).exists():
            services_rules.cap_create(
                actor=None,
                name=CAP_NAME,
                limit=2,
                source=CAP_SOURCE,
                counted_grounds=[Ground.ROUTINE, Ground.RANDOM, Ground.SPECIAL],
                region_code=CITY_CODE,
                power_code=item.code,
            )
        # Both within 60 days before the reference day: the daily alerts run also raises the
        # repeat-inspection warning (same agency twice within 60 days) for the supervisor.
        capped = entities[5]
        for days_before in (50, 15):
            day = today - timedelta(days=days_before)
            services.inspection_approve(
                actor=head, inspection=ask(capped, day, day), on=day, note=f"同意{MARK}"
            )
        counts["capped"] = 2
    try:
        with transaction.atomic():
            ask(capped, today, today + timedelta(days=3))
    except RuleViolation as exc:
        refused_text = str(exc)
    parts = "、".join(
        f"{label}{counts[key]}件"
        for key, label in (
            ("carried_out", "已实施"),
            ("awaiting", "待审批"),
            ("emergency", "紧急实施待补办"),
            ("cancelled", "已取消"),
            ("capped", "达到年度频次上限的企业已检查"),
        )
    )
    line = f"示范行政检查审批：{parts}"
    if refused_text:
        line += f"；第三次提请被拒绝：{refused_text}"
    return line
