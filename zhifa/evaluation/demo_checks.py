"""The demo of the checks part: nothing is written — the record's proposals are computed from
the demo's cases whenever a file is opened. ``load`` only reports what the record checks find
on the decided penalty cases of the agencies under 示范市司法局 (a quick look that they run on
every demo case), so that the demo's output says where to see them."""

from __future__ import annotations

from collections import Counter
from datetime import date

from zhifa.cases.models import Case
from zhifa.registry.models import Agency

from .case_checks import findings_for
from .checks_record import CHECK_CODES

CITY_BODY = "示范市司法局"


def load(today: date) -> list[str]:
    """Lines to print; idempotent (reads only)."""
    body = Agency.objects.filter(name=CITY_BODY).first()
    if body is None:
        return ["系统预评：未找到示范市司法局，跳过"]
    prefix = body.division_code[:4]
    cases = list(
        Case.objects.filter(
            agency__division_code__startswith=prefix,
            kind__in=(Case.Kind.PENALTY_GENERAL, Case.Kind.PENALTY_SIMPLE),
            decided_on__isnull=False,
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    tally: Counter[str] = Counter()
    for case_id in cases:
        for finding in findings_for(case_id, CHECK_CODES, on=today).values():
            tally[
                "不适用" if finding.passed is None else ("符合" if finding.passed else "不符合")
            ] += 1
    return [
        f"系统预评：{len(cases)}个已作出决定的处罚案卷，{len(CHECK_CODES)}项检查"
        f"（符合{tally['符合']}项次、不符合{tally['不符合']}项次、不适用{tally['不适用']}项次）；"
        "见 /evaluation/checks/cases/<案件编号>/"
    ]
