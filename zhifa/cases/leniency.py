"""What a decision not to penalise (《行政处罚法》第三十三条) reads: the list entries that fit the
case, the party's history as the officer may see it, and the confirmation of the 国家企业信用信息
公示系统 — and the workspace panel that shows them beside the 不予处罚 form.

Reads only; the checks are in ``guards`` and ``services.case_not_penalise``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhifa.law import history as law_history
from zhifa.registry.models import Account, LenientListItem

from . import history
from .models import Case, CaseStep

NOT_PENALISE_KINDS = (LenientListItem.Kind.FIRST_VIOLATION, LenientListItem.Kind.NO_PENALTY)


def list_items_for(case: Case) -> QuerySet[LenientListItem]:
    """The 首违不罚 and 轻微不罚 entries in force for the case: published, of its agency or of a
    region that holds it, naming the case's power item (by its code, whatever the version) —
    or, naming none, of the case's domain."""
    division = case.agency.division_code
    regions = {division, division[:4] + "00", division[:2] + "0000"}
    return (
        LenientListItem.objects.filter(
            status=LenientListItem.Status.PUBLISHED, kind__in=NOT_PENALISE_KINDS
        )
        .filter(Q(agency_id=case.agency_id) | Q(agency__isnull=True, region_code__in=regions))
        .filter(
            Q(power_items__code=case.power_item.code)
            | Q(power_items__isnull=True, domain_id=case.domain_id)
        )
        .distinct()
        .order_by("kind", "violation", "pk")
    )


def item_plain(item: LenientListItem) -> dict[str, Any]:
    """A list entry as the record and the 不予行政处罚决定书 cite it."""
    return {
        "id": item.pk,
        "version": item.version,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "violation": item.violation,
        "violated_provision": item.violated_provision,
        "basis": item.basis,
        "measures": item.measure_labels,
        "source": item.source or item.issuer,
    }


def violation_line(v: history.PriorViolation) -> str:
    """An earlier violation as the officer sees it: number, date, agency — no file."""
    on = f"{v.decided_on.year}年{v.decided_on.month}月{v.decided_on.day}日"
    return f"{v.agency_name} {v.number}（{on}，{v.outcome}）"


def credit_check(case: Case) -> CaseStep | None:
    """The latest recorded look at the 国家企业信用信息公示系统."""
    return (
        CaseStep.objects.filter(case=case, kind=CaseStep.Kind.CREDIT_CHECK)
        .order_by("on", "id")
        .last()
    )


def history_panel(account: Account, case: Case, next_actions: list[Any]) -> dict[str, Any] | None:
    """The workspace panel beside 不予处罚: each party's history within the 首违 look-back
    (this deployment only), the 公示系统 confirmation, the list entries with their conditions;
    after the decision, whether the party was educated."""
    offered = {a.service for a in next_actions}
    if "case_not_penalise" not in offered and "case_education_record" not in offered:
        return None
    parties = list(case.parties.all())
    checks = history.case_history(case, law_history.FIRST_VIOLATION) if parties else []
    rows = [
        {
            "party": p.name,
            "summary": c.summary,
            "found": [violation_line(v) for v in c.found],
        }
        for p, c in zip(parties, checks, strict=True)
    ]
    credit = credit_check(case)
    return {
        "template": "cases/_leniency_panel.html",
        "after_actions": True,  # the next step stays on a phone's first screen
        "lookback": history.lookback(law_history.FIRST_VIOLATION),
        "history": rows,
        "credit": credit,
        "items": list(list_items_for(case)) if "case_not_penalise" in offered else [],
        "educated": CaseStep.objects.filter(case=case, kind=CaseStep.Kind.EDUCATION).exists(),
        "not_penalised": case.state == Case.State.NOT_PENALISED,
    }
