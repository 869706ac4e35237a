"""The inspection warnings registered with the alerts app (预警, 《行政执法监督条例》第三十七条):
重复检查 (same agency, 60 days), 多头检查 (three agencies, 30 days) and 未亮码检查 (un-coded).

The rules themselves are :mod:`.repeat_warnings`; their windows and thresholds are these alerts
rules' settings (``ZHIFA_ALERT_RULES``: a changed number names its source), read alike by the
approval check (:func:`warning_window`) and by the supervisor's periodic run (``collect``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count

from zhifa.alerts.rules import Fact, Finding, Rule, RuleSetting, rule_setting

from . import repeat_warnings as warn_rule
from .models import Inspection

ARTICLE = "《行政执法监督条例》第三十七条；国办发〔2024〕54号（预警重复检查、高频检查）"
_BATCH = 500  # entity ids per IN list (SQLite's variable limit)


def _window(code: str, setting: RuleSetting) -> warn_rule.Window:
    return warn_rule.DEFAULTS[code].with_setting(
        period=setting.period,
        threshold=int(setting.threshold),
        source=setting.source,
        enabled=setting.enabled,
    )


def warning_window(code: str) -> warn_rule.Window:
    """The window in force for ``code`` (its default with the deployment's changes)."""
    return _window(code, rule_setting(RULES[code]))


def _done(
    start: date, end: date, entity_ids: Sequence[int]
) -> list[tuple[warn_rule.Done, int, str]]:
    """The inspections of ``entity_ids`` approved or started in ``[start, end]``, each with its
    case id and the agency's division code."""
    out: list[tuple[warn_rule.Done, int, str]] = []
    for i in range(0, len(entity_ids), _BATCH):
        rows = (
            Inspection.objects.filter(
                entity_id__in=entity_ids[i : i + _BATCH],
                state__in=(Inspection.State.APPROVED, Inspection.State.EMERGENCY),
                planned_on__gte=start,
                planned_on__lte=end,
            )
            .order_by()
            .values_list(
                "pk",
                "entity_id",
                "entity__name",
                "agency_id",
                "agency__name",
                "entity__division_code",
                "ground",
                "planned_on",
                "case_id",
                "agency__division_code",
            )
        )
        out.extend((warn_rule.Done(*r[:8]), r[8], r[9]) for r in rows)
    return out


def _candidates(window: warn_rule.Window, today: date, *, distinct: bool) -> list[int]:
    qs = Inspection.objects.filter(
        state__in=(Inspection.State.APPROVED, Inspection.State.EMERGENCY),
        planned_on__gte=today - timedelta(days=window.period),
        planned_on__lte=today,
    ).exclude(ground__in=list(window.excluded_grounds))
    if distinct:
        grouped = qs.values("entity_id").annotate(n=Count("agency_id", distinct=True))
    else:
        grouped = qs.values("entity_id", "agency_id").annotate(n=Count("pk"))
    return sorted({r["entity_id"] for r in grouped.filter(n__gte=window.threshold).order_by()})


def _facts(group: Sequence[warn_rule.Done], cases: dict[int, int]) -> tuple[Fact, ...]:
    return tuple(
        Fact(
            "case",
            cases[r.inspection_id],
            f"{r.entity_name}",
            f"{r.agency_name} {r.planned_on.isoformat()}检查",
        )
        for r in group
    )


def collect_same_agency(setting: RuleSetting, today: date) -> Iterable[Finding]:
    window = _window(warn_rule.SAME_AGENCY, setting)
    start = today - timedelta(days=window.period)
    rows = _done(start, today, _candidates(window, today, distinct=False))
    cases = {d.inspection_id: case for d, case, _ in rows}
    divisions = {d.agency_id: div for d, _, div in rows}
    out = []
    for group in warn_rule.repeats_until(window, [d for d, _, _ in rows], today):
        first = group[0]
        out.append(
            Finding(
                subject=f"entity:{first.entity_id}:agency:{first.agency_id}",
                agency_id=first.agency_id,
                division_code=divisions[first.agency_id],
                title=f"{first.agency_name}{window.period}日内检查{first.entity_name}{len(group)}次",
                measure=Decimal(len(group)),
                facts=_facts(group, cases),
            )
        )
    return out


def collect_many_agencies(setting: RuleSetting, today: date) -> Iterable[Finding]:
    window = _window(warn_rule.MANY_AGENCIES, setting)
    start = today - timedelta(days=window.period)
    rows = _done(start, today, _candidates(window, today, distinct=True))
    cases = {d.inspection_id: case for d, case, _ in rows}
    divisions = {d.agency_id: div for d, _, div in rows}
    out = []
    for group in warn_rule.many_until(window, [d for d, _, _ in rows], today):
        latest = group[-1]
        agencies = {r.agency_id for r in group}
        out.append(
            Finding(
                subject=f"entity:{latest.entity_id}",
                agency_id=latest.agency_id,
                division_code=divisions[latest.agency_id],
                title=f"{latest.entity_name}{window.period}日内被{len(agencies)}个部门检查",
                measure=Decimal(len(agencies)),
                facts=_facts(group, cases),
            )
        )
    return out


def collect_uncoded(setting: RuleSetting, today: date) -> Iterable[Finding]:
    window = _window(warn_rule.UNCODED, setting)
    rows = (
        Inspection.objects.filter(
            state__in=(Inspection.State.APPROVED, Inspection.State.EMERGENCY),
            planned_on__gte=today - timedelta(days=window.period),
            planned_on__lte=today,
            emergency_reason="",
            visits__scanned=False,
        )
        .order_by()
        .values_list("pk", "case_id", "agency_id", "agency__name", "agency__division_code")
        .distinct()
    )
    by_agency: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    for pk, case_id, agency_id, name, division in rows:
        by_agency[agency_id].append((pk, case_id, name, division))
    out = []
    for agency_id, found in sorted(by_agency.items()):
        alert = warn_rule.uncoded(window, uncoded_ids=[f[0] for f in found])
        if alert is None:
            continue
        out.append(
            Finding(
                subject=f"agency:{agency_id}",
                agency_id=agency_id,
                division_code=found[0][3],
                title=f"{found[0][2]}近{window.period}日{len(found)}次检查未扫码入企（补录）",
                measure=Decimal(len(found)),
                facts=tuple(Fact("case", f[1], f"检查 {f[0]}", "补录入企记录") for f in found),
            )
        )
    return out


def _rule(code: str, collect_fn: object, measure: str, order: int) -> Rule:
    w = warn_rule.DEFAULTS[code]
    return Rule(
        code=code,
        label=w.label,
        article=ARTICLE,
        measure_label=measure,
        default=RuleSetting(
            enabled=True, threshold=Decimal(w.threshold), period=w.period, source=w.source
        ),
        collect=collect_fn,  # type: ignore[arg-type]
        period_label="统计期间（日）",
        order=order,
    )


RULES: dict[str, Rule] = {
    warn_rule.SAME_AGENCY: _rule(warn_rule.SAME_AGENCY, collect_same_agency, "检查次数", 80),
    warn_rule.MANY_AGENCIES: _rule(
        warn_rule.MANY_AGENCIES, collect_many_agencies, "检查部门数", 81
    ),
    warn_rule.UNCODED: _rule(warn_rule.UNCODED, collect_uncoded, "未亮码检查次数", 82),
}
