"""年度培训学时不足: a certified officer short of the year's training hours at year end.

《法治政府建设实施纲要（2021—2025年）》(三十四) (不少于60学时); the region's requirement as the
registry keeps it (``TrainingRequirement``, default 30 公共法律知识 + 30 专业法律知识). The year
checked is the last complete one; from ``period`` days before 31 December the current year is
checked too, so that an officer can still catch up. Fires at a shortfall of ``threshold``
hours (0.1: any shortfall — hours are kept to one decimal).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from .. import facts as f
from . import Fact, Finding, Rule, RuleSetting, fires, register_rule

CODE = "training_short"
ARTICLE = "《法治政府建设实施纲要（2021—2025年）》（三十四）"


def _h(value: Decimal) -> str:
    return f"{value.normalize():f}"


def shortfall(row: f.OfficerTraining) -> Decimal:
    return max(Decimal(0), row.rule.legal_hours - row.legal) + max(
        Decimal(0), row.rule.professional_hours - row.professional
    )


def years_checked(today: date, period: int) -> list[int]:
    """The last complete year, and this one from ``period`` days before its last day. Pure."""
    years = [today.year - 1]
    if (date(today.year, 12, 31) - today).days < period:
        years.append(today.year)
    return years


def evaluate(
    rows: Sequence[f.OfficerTraining], *, year: int, setting: RuleSetting
) -> list[Finding]:
    """A finding per officer whose shortfall reaches ``threshold`` hours. Pure."""
    out = []
    for r in rows:
        short = shortfall(r)
        if not fires(short, setting, "at_least"):
            continue
        out.append(
            Finding(
                subject=f"officer:{r.id}:{year}",
                agency_id=r.agency_id,
                division_code=r.division_code,
                title=f"执法人员{r.name}{year}年度培训学时不足（差{_h(short)}学时）",
                measure=short,
                facts=(
                    Fact(
                        "officer",
                        r.id,
                        r.name,
                        f"{year}年度公共法律知识{_h(r.legal)}/{_h(r.rule.legal_hours)}学时，"
                        f"专业法律知识{_h(r.professional)}/{_h(r.rule.professional_hours)}学时"
                        + (f"（依据：{r.basis}）" if r.basis else ""),
                    ),
                ),
            )
        )
    return out


def collect(setting: RuleSetting, today: date) -> Iterable[Finding]:
    out: list[Finding] = []
    for year in years_checked(today, setting.period):
        out.extend(evaluate(f.officers_training(year), year=year, setting=setting))
    return out


RULE = register_rule(
    Rule(
        code=CODE,
        label="执法人员年度培训学时不足",
        article=ARTICLE,
        measure_label="差额学时",
        default=RuleSetting(enabled=True, threshold=Decimal("0.1"), period=31, source=ARTICLE),
        collect=collect,
        period_label="年末前若干日起预警本年度",
        order=70,
    )
)
