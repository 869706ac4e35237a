"""同一当事人被多个机关重复罚款: one party (same 统一社会信用代码 or 身份证号) fined under the same
案由 by ``threshold`` or more different agencies in decisions of the last ``period`` days.

《行政处罚法》第二十九条: 对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚. "The same
facts" is read as the same party and the same 案由 — a signal for the supervisor to check,
not a finding of law. The party's identifier is never shown: the subject carries its hash and
a natural person is named by surname only.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

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

CODE = "repeated_fines"
ARTICLE = "《行政处罚法》第二十九条"


def shown_name(kind: str, name: str) -> str:
    """An organisation by its name, a natural person by surname + 某."""
    return name if kind == "organisation" else (name[:1] + "某" if name else "某某")


def subject_digest(identifier: str, title: str) -> str:
    """The subject's key: a hash of the party's identifier and the 案由 (never shown)."""
    return hashlib.sha256(f"{identifier}\x00{title}".encode()).hexdigest()[:32]


def evaluate(rows: Sequence[f.FinedParty], *, setting: RuleSetting) -> list[Finding]:
    """A finding per (party, 案由) fined by at least ``threshold`` agencies. Pure."""
    groups: dict[tuple[str, str], list[f.FinedParty]] = defaultdict(list)
    for r in rows:
        groups[(r.identifier, r.title)].append(r)
    out = []
    for (ident, title), found in sorted(groups.items()):
        agencies = {r.agency_id for r in found}
        if not fires(len(agencies), setting, "at_least"):
            continue
        found.sort(key=lambda r: (r.decided_on, r.case_id))
        latest = found[-1]
        digest = subject_digest(ident, title)
        who = shown_name(latest.kind, latest.name)
        out.append(
            Finding(
                subject=f"party:{digest}",
                agency_id=latest.agency_id,
                division_code=latest.division_code,
                title=f"当事人{who}因“{title}”被{len(agencies)}个机关罚款",
                measure=Decimal(len(agencies)),
                facts=tuple(
                    Fact(
                        "case",
                        r.case_id,
                        r.case_label,
                        f"{r.agency_name} {r.decided_on.isoformat()}作出罚款决定",
                    )
                    for r in found
                ),
            )
        )
    return out


def collect(setting: RuleSetting, today: date) -> Iterable[Finding]:
    rows = f.parties_fined_by_several_agencies(today - timedelta(days=setting.period), today)
    return evaluate(rows, setting=setting)


def collect_changed(setting: RuleSetting, today: date, since: Since) -> Changed | None:
    """Only the (party, 案由) groups that may have changed since the previous run: those of the
    parties of the cases with an entry since, of parties added since, of the cases decided on
    a day that entered or left the period, and of the cases named by a warning that names one
    of those. After a change of an agency (names and regions in the facts) None: a full run."""
    marks = since.marks
    changes = f.changes_since(marks)
    if changes.registry_wide:
        return None
    start, prev_start = (
        today - timedelta(days=setting.period),
        since.on - timedelta(days=setting.period),
    )
    cases = set(changes.cases) | f.cases_of_new_parties(marks["party"])
    cases |= f.cases_decided_in(
        [(prev_start, start - timedelta(days=1)), (since.on + timedelta(days=1), today)]
    )
    named = subjects_naming_cases(CODE, cases)
    for more in named.values():
        cases.update(more)
    identifiers = sorted(f.party_identifiers(sorted(cases)))
    subjects = {f"party:{subject_digest(i, t)}" for i, t in f.identifier_titles(identifiers)}
    subjects.update(named)
    rows = f.parties_fined_by_several_agencies(start, today, identifiers=identifiers)
    found = [x for x in evaluate(rows, setting=setting) if x.subject in subjects]
    return Changed(frozenset(subjects), tuple(found))


RULE = register_rule(
    Rule(
        code=CODE,
        label="同一当事人同一事由被多个机关罚款",
        article=ARTICLE,
        measure_label="作出罚款的机关数",
        default=RuleSetting(enabled=True, threshold=Decimal(2), period=365, source=ARTICLE),
        collect=collect,
        marks=f.high_water_marks,
        collect_changed=collect_changed,
        period_label="统计近若干日作出的罚款决定",
        order=60,
    )
)
