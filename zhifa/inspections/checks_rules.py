"""The approval check of caps, quiet periods and warnings (registered with the inspections core's
``register_approval_check``): run when an inspection is requested and again when the head
approves it.

- 企业安静期: planned on a quiet day of a period covering the enterprise without an exception
  ground the period lists → refused (:mod:`.quiet_periods`); at approval, outside the quiet days
  of a period asking for a 报备, not filed in time → refused; at the request the missing 报备 is
  a notice.
- 年度频次上限: over a cap → refused, or (where the cap allows) allowed with the recorded reason
  at the head's approval; every applying cap's count is a notice (:mod:`.caps`).
- Warnings (:mod:`.repeat_warnings`): the same agency within 60 days, three agencies within 30
  days — notices the head sees before approving, decided on the spot; their windows and
  thresholds are the alerts rules' settings (:mod:`.alert_rules`). The agency's un-coded
  inspections are counted by the daily run of the alerts rule; its open warning is shown.

One read of the enterprise's inspections serves the caps and the warnings
(``selectors_rules.entity_inspections_between``).
"""

from __future__ import annotations

from datetime import date

from . import caps as caps_rule
from . import quiet_periods as quiet_rule
from . import repeat_warnings as warn_rule
from . import selectors_rules as sel
from .alert_rules import warning_window
from .models import Inspection
from .services import Notice


def rules_check(inspection: Inspection, on: date, stage: str) -> list[Notice]:
    """Refuse (``RuleViolation`` naming the rule and its source) or return the notices.

    ``inspection`` carries its entity, agency, item, ground, planned day, quiet-period
    exception, 报备 day and cap-override reason (saved or not: its own row, if saved, is not
    counted). ``stage`` is "request" or "approve"."""
    notices: list[Notice] = []
    entity = inspection.entity
    verdict = quiet_rule.quiet_check(
        sel.periods_for(entity_id=entity.pk, day=inspection.planned_on),
        entity_id=entity.pk,
        division_code=entity.division_code,
        scale_category=entity.scale_category,
        ground=inspection.ground,
        planned_on=inspection.planned_on,
        exception=inspection.quiet_exception,
        exception_reason=inspection.quiet_exception_reason,
        exception_labels={k: str(v) for k, v in Inspection.QuietException.choices},
        filed_on=inspection.filed_on,
        # The 报备 is of planned inspections: an emergency cannot be filed days ahead (商丘
        # excepts 重大突发事件), so it is demanded at the head's approval of a planned one only.
        filing_required=stage == "approve"
        and inspection.state != Inspection.State.EMERGENCY
        and not inspection.emergency_reason,
    )
    period = verdict.period or verdict.filing_period
    for text in verdict.notices:
        rule = quiet_rule.RULE if verdict.period else quiet_rule.FILING_RULE
        notices.append(Notice(rule, text, period.source if period else ""))

    windows = [warning_window(code) for code in warn_rule.DEFAULTS]
    start, end = sel.window_bounds(inspection.planned_on, windows)
    rows = sel.entity_inspections_between(entity.pk, start, end, exclude_id=inspection.pk)

    counts = caps_rule.cap_counts(
        sel.caps_for(domain_id=inspection.domain_id, power_code=inspection.power_item.code),
        sel.planned_of(inspection),
        [r.earlier() for r in rows],
    )
    for text, source in caps_rule.cap_check(counts, override_reason=inspection.cap_override_reason):
        notices.append(Notice(caps_rule.RULE, text, source))

    others = [r.other() for r in rows]
    by_code = {w.code: w for w in windows}
    found = [
        warn_rule.same_agency_repeat(
            by_code[warn_rule.SAME_AGENCY],
            agency_id=inspection.agency_id,
            ground=inspection.ground,
            planned_on=inspection.planned_on,
            others=others,
        ),
        warn_rule.many_agencies(
            by_code[warn_rule.MANY_AGENCIES],
            agency_id=inspection.agency_id,
            planned_on=inspection.planned_on,
            others=others,
        ),
    ]
    for alert in found:
        if alert is not None:
            notices.append(Notice(by_code[alert.code].label, alert.message, alert.source))
    uncoded = by_code[warn_rule.UNCODED]
    open_warning = sel.uncoded_warning(inspection.agency_id) if uncoded.enabled else None
    if open_warning is not None:
        title, since = open_warning
        notices.append(
            Notice(
                uncoded.label,
                f"本部门有未亮码检查预警（{since.year}年{since.month}月{since.day}日起）：{title}",
                uncoded.source,
            )
        )
    return notices


def register_rules() -> None:
    """Register the warnings with alerts, the approval check with the core (once it exists),
    the record labels and the replay check (called from ``InspectionsConfig.ready``)."""
    from zhifa.alerts.rules import register_rule
    from zhifa.record.action_labels import register_action_labels
    from zhifa.record.verification import register_replay_checker

    from .alert_rules import RULES
    from .services import register_approval_check
    from .services_rules import ACTION_LABELS, rules_replay_check

    for rule in RULES.values():
        register_rule(rule)
    register_action_labels(ACTION_LABELS)
    register_replay_checker(rules_replay_check)
    register_approval_check(rules_check)
