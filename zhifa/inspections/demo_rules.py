"""The demo's caps and quiet periods for 示范市, each with the document it follows:

- 卫生健康: 2 a year per enterprise for the city and for each county department, 4 for city and
  county combined; 个案检查 not counted (the city rule found, zgwg.gov.cn/contents/62884/715678);
- 煤矿安全 on-site checks by risk class A/B/C/D: 2/4/6/4 a year (河南省工业和信息化厅
  2025-06-06, gxt.henan.gov.cn/2025/06-06/3166641);
- 企业安静期 the 1st–20th of every month for the five categories and 交口县双池镇's six exception
  grounds, with a 商丘-style 报备 3 days before an inspection outside the quiet days.

Once the directory part's demo is there (its entities; the city's ``officer`` and ``head``),
inspections of the city market regulator show the rules at work: one on a quiet day under an
exception ground (approved), one outside the quiet days filed in time (approved), one on a quiet
day under "其他" that the head refuses, and a second inspection of the first entity within 60
days (approved with the repeat warning in its record). Load this after the directory's demo: its
own requests are made without exception grounds and would meet the quiet period.

Idempotent (a row of the same name is not made twice); through the recorded services."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from zhifa.cases.demo import LATE_REASON
from zhifa.cases.models import CaseOfficer
from zhifa.core.exceptions import RuleViolation
from zhifa.registry.demo import CITY_CODE, CITY_NAME, domains_ensure
from zhifa.registry.models import Account, Officer, PowerItem

from . import services_rules as services
from .models import Cap, Entity, Ground, Inspection, QuietPeriod, ScaleCategory

HEALTH_SOURCE = (
    "某市卫生健康委员会《关于公布涉企行政检查频次上限的通知》（2025年8月7日）：市、县两级卫生健康"
    "执法部门对同一企业年度检查各不超过2次，合计不超过4次，个案检查不受限（示范数据参照）"
)
COAL_SOURCE = (
    "河南省工业和信息化厅《涉企行政检查事项及频次上限》（2025年6月6日）：煤矿安全A/B/C/D类"
    "年度现场检查分别不超过2/4/6/4次（示范数据参照）"
)
QUIET_SOURCE = (
    "交口县双池镇《“企业安静期”制度（试行）》（2025年7月14日）第二条、第三条；"
    "商丘市“企业宁静日”制度（2023年7月，安静期外入企检查提前3日报备《入企行政执法报备表》）"
    "（示范数据参照）"
)
ROUTINE = [Ground.ROUTINE, Ground.RANDOM, Ground.SPECIAL]


@transaction.atomic
def load(today: date) -> str:
    """The rows; says what it made (nothing when they are there)."""
    domains = domains_ensure()
    made: list[str] = []

    def cap(name: str, limit: int, source: str, **kw: object) -> None:
        if Cap.objects.filter(name=name).exists():
            return
        services.cap_create(
            actor=None,
            name=name,
            limit=limit,
            source=source,
            counted_grounds=ROUTINE,
            region_code=CITY_CODE,
            **kw,  # type: ignore[arg-type]
        )
        made.append(name)

    health = domains["health"]
    cap("卫生健康·市级部门年度上限", 2, HEALTH_SOURCE, domain=health, level="city")
    cap("卫生健康·县级部门年度上限", 2, HEALTH_SOURCE, domain=health, level="county")
    cap("卫生健康·市县合计年度上限", 4, HEALTH_SOURCE, domain=health)
    for risk, limit in (("A", 2), ("B", 4), ("C", 6), ("D", 4)):
        cap(
            f"煤矿安全现场检查·{risk}类年度上限",
            limit,
            COAL_SOURCE,
            domain=domains["emergency"],
            risk_class=risk,
        )
    name = f"{CITY_NAME}企业安静期（每月1日至20日）"
    if not QuietPeriod.objects.filter(name=name).exists():
        services.quiet_period_create(
            actor=None,
            name=name,
            region_code=CITY_CODE,
            days=[[1, 20]],
            source=QUIET_SOURCE,
            valid_from=date(today.year, 1, 1),
            categories=list(ScaleCategory.values),
            exception_grounds=list(Inspection.QuietException.values),
            filing_lead_days=3,
            filing_to=f"{CITY_NAME}优化营商环境攻坚领导小组办公室",
        )
        made.append(name)
    examples = _examples(today)
    if not made:
        line = "检查频次上限和企业安静期：已存在"
    else:
        line = f"检查频次上限和企业安静期：新建{len(made)}项"
    return line + (f"；示例检查{examples}项" if examples else "")


EXAMPLE_MARK = "（规则示例）"


def _examples(today: date) -> int:
    """The example inspections (module docstring); 0 when already there or not possible."""
    from . import services as core

    officer = Account.objects.filter(username="officer").first()
    head = Account.objects.filter(username="head").first()
    if officer is None or head is None or officer.agency is None:
        return 0
    if Inspection.objects.filter(decision_note__endswith=EXAMPLE_MARK).exists():
        return 0
    item = (
        PowerItem.objects.filter(
            agency=officer.agency,
            category=PowerItem.Category.INSPECTION,
            status=PowerItem.Status.PUBLISHED,
        )
        .order_by("code")
        .first()
    )
    if item is None:
        return 0
    officers = list(
        Officer.objects.filter(
            agency=officer.agency,
            certificates__status="valid",
            certificates__domains=item.domain,
            certificates__expires_on__gte=today,
        )
        .distinct()
        .order_by("pk")[:2]
    )
    entities = list(
        Entity.objects.filter(
            status=Entity.Status.ACTIVE,
            division_code__startswith=CITY_CODE[:4],
            scale_category=ScaleCategory.INDUSTRY,
            inspections__isnull=True,
        ).order_by("pk")[:3]
    )
    if len(officers) < 2 or len(entities) < 3:
        return 0
    team = list(zip(officers, [CaseOfficer.Role.LEAD, CaseOfficer.Role.ASSISTANT], strict=True))
    month = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    quiet_day, free_day = month.replace(day=10), month.replace(day=25)

    def ask(entity: Entity, planned_on: date, **kw: object) -> Inspection | None:
        try:
            with transaction.atomic():
                return core.inspection_request(
                    actor=officer,
                    entity=entity,
                    power_code=item.code,
                    ground=Ground.ROUTINE,
                    planned_on=planned_on,
                    officers=team,
                    on=today,
                    late_reason=LATE_REASON,
                    **kw,  # type: ignore[arg-type]
                )
        except RuleViolation:
            return None

    made = 0
    first = ask(
        entities[0],
        quiet_day,
        quiet_exception=Inspection.QuietException.HAZARD,
        quiet_exception_reason="食品安全隐患整改复查",
    )
    second = ask(entities[1], free_day, filed_on=today)
    third = ask(
        entities[2],
        quiet_day.replace(day=12),
        quiet_exception=Inspection.QuietException.OTHER,
        quiet_exception_reason="企业扩建，拟上门指导",
    )
    again = ask(entities[0], free_day.replace(day=26), filed_on=today)
    for row in (first, second, again):
        if row is not None:
            core.inspection_approve(
                actor=head, inspection=row, on=today, note=f"同意{EXAMPLE_MARK}"
            )
            made += 1
    if third is not None:
        core.inspection_refuse(
            actor=head,
            inspection=third,
            on=today,
            note=f"不属安静期例外情形，安静期后再行检查{EXAMPLE_MARK}",
            late_reason=LATE_REASON,
        )
        made += 1
    return made
