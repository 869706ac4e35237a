"""执法人员无有效执法证件执法: an officer named on a case step on a day none of the officer's
enforcement certificates was valid.

《行政处罚法》第四十二条 (执法人员…持有执法证件); validity on a day as the registry reads it
(``registry.eligibility``: status 有效, issued, not expired — the expiry day itself is valid),
with the status history's effective days (a certificate withheld or revoked with effect from a
past day makes the steps after that day count). Fires per officer at ``threshold`` steps in the
last ``period`` days.

Cheap at scale: the certificate history gives each officer's days without a valid certificate;
one narrow pass over the period's (officer, step) rows keeps the steps on such days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from zhifa.cases.models import CaseStep

from .. import facts as f
from . import (
    Changed,
    Fact,
    Finding,
    Rule,
    RuleSetting,
    Since,
    fires,
    register_rule,
    subjects_naming_cases,
)

CODE = "certificate_invalid"
ARTICLE = "《行政处罚法》第四十二条"

_STEP_LABELS = dict(CaseStep.Kind.choices)


def evaluate(
    steps: Sequence[f.ActingStep],
    *,
    invalid_days: dict[int, list[f.Interval]],
    officers: dict[int, tuple[str, int, str]],
    setting: RuleSetting,
) -> list[Finding]:
    """A finding per officer with at least ``threshold`` steps on days without a valid
    certificate. Pure."""
    bad: dict[int, list[f.ActingStep]] = defaultdict(list)
    for s in steps:
        if any(a <= s.on <= b for a, b in invalid_days.get(s.officer_id, ())):
            bad[s.officer_id].append(s)
    out = []
    for officer_id, found in sorted(bad.items()):
        if not fires(len(found), setting, "at_least") or officer_id not in officers:
            continue
        name, agency_id, division = officers[officer_id]
        steps = sorted(found, key=lambda s: (s.on, s.step_id))
        facts = (
            Fact("officer", officer_id, name),
            *(
                Fact(
                    "case",
                    s.case_id,
                    s.case_label,
                    f"{s.on.isoformat()} {_STEP_LABELS.get(s.kind, s.kind)}：当日无有效执法证件",
                )
                for s in steps
            ),
        )
        out.append(
            Finding(
                subject=f"officer:{officer_id}",
                agency_id=agency_id,
                division_code=division,
                title=f"执法人员{name}在无有效执法证件的日期参与执法{len(found)}次",
                measure=Decimal(len(found)),
                facts=facts,
            )
        )
    return out


def collect(setting: RuleSetting, today: date) -> Iterable[Finding]:
    since = today - timedelta(days=setting.period)
    steps, invalid = f.steps_without_valid_certificate(since, today)
    officers = f.officers_brief(list(invalid))
    return evaluate(steps, invalid_days=invalid, officers=officers, setting=setting)


def collect_changed(setting: RuleSetting, today: date, since: Since) -> Changed | None:
    """Only the officers whose finding may have changed since the previous run: acting on a
    step added since (or on a step of a case with an entry since), holding a certificate
    registered, issued or changed since, or acting on a step whose day entered or left the
    period; and the officers whose warnings name a case with an entry since. After a
    registry-wide change (an agency or an officer changed) None: a full run."""
    marks = since.marks
    changes = f.changes_since(marks)
    if changes.registry_wide:
        return None
    start, prev_start = (
        today - timedelta(days=setting.period),
        since.on - timedelta(days=setting.period),
    )
    officers = f.officers_on_steps(
        cases=sorted(changes.cases),
        new_after=marks["step_officer"],
        dated=[
            (prev_start, start - timedelta(days=1)),  # left the period
            (since.on + timedelta(days=1), today),  # entered it
        ],
    )
    officers |= f.officers_of_certificates(
        ids=sorted(changes.certificates),
        new_after=marks["certificate"],
        changes_after=marks["status_change"],
    )
    subjects = {f"officer:{o}" for o in officers}
    subjects.update(subjects_naming_cases(CODE, changes.cases))
    wanted = sorted(int(s.split(":", 1)[1]) for s in subjects)
    steps, invalid = f.steps_without_valid_certificate(start, today, officers=wanted)
    brief = f.officers_brief(list(invalid))
    found = evaluate(steps, invalid_days=invalid, officers=brief, setting=setting)
    return Changed(frozenset(subjects), tuple(found))


RULE = register_rule(
    Rule(
        code=CODE,
        label="执法人员无有效执法证件执法",
        article=ARTICLE,
        measure_label="无证参与执法的步骤数",
        default=RuleSetting(enabled=True, threshold=Decimal(1), period=365, source=ARTICLE),
        collect=collect,
        marks=f.high_water_marks,
        collect_changed=collect_changed,
        period_label="检查近若干日的办案步骤",
        order=40,
    )
)
