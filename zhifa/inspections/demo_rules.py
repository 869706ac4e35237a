"""The demo's caps and quiet periods for 示范市, each with the document it follows:

- 卫生健康: 2 a year per enterprise for the city and for each county department, 4 for city and
  county combined; 个案检查 not counted (the city rule found, zgwg.gov.cn/contents/62884/715678);
- 煤矿安全 on-site checks by risk class A/B/C/D: 2/4/6/4 a year (河南省工业和信息化厅
  2025-06-06, gxt.henan.gov.cn/2025/06-06/3166641);
- 企业安静期 the 1st–20th of every month for the five categories and 交口县双池镇's six exception
  grounds, with a 商丘-style 报备 3 days before an inspection outside the quiet days.

Idempotent (a row of the same name is not made twice); through the recorded services."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from zhifa.registry.demo import CITY_CODE, CITY_NAME, domains_ensure

from . import services_rules as services
from .models import Cap, Ground, Inspection, QuietPeriod, ScaleCategory

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
    if not made:
        return "检查频次上限和企业安静期：已存在"
    return f"检查频次上限和企业安静期：新建{len(made)}项"
