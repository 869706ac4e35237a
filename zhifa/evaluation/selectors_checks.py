"""Reads of the "checks" part: who may read the record's proposals, one case's findings, and
per template how often the record proposed a mark and how often reviewers overrode it.

The scoring screen stores, in each scoring's ``marks`` (``Scoring.marks``), per item
``{"occurrences", "deduction", "reason", "proposed": <the record's mark or null>,
"overridden": bool, "override_reason"}`` and per veto the same keys beside ``"hit"``. The report
reads the signed scorings only — a draft may still change — of the files the account may see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from zhifa.registry.models import Account

from . import scoring
from .checks_record import CHECK_CODES
from .models import Scoring, Template
from .record_checks import CHECKS, Check, Finding
from .selectors import files_visible_to

Role = Account.Role
REASONS_SHOWN = 5  # the latest override reasons listed per item


def may_read_checks(account: Account) -> bool:
    """Supervisors and agencies' heads read the record's proposals (系统预评) and the override
    report; both run evaluations (《广东省行政执法案卷评查办法》第四条、第六条)."""
    return bool(
        account.is_authenticated
        and account.is_active
        and account.role in (Role.SUPERVISOR, Role.HEAD)
    )


def checks_listed() -> list[Check]:
    """The registered record checks, in the order of the checks part."""
    return [CHECKS[c] for c in CHECK_CODES if c in CHECKS]


def findings_for_many(
    case_ids: Iterable[int], codes: Iterable[str], *, on: date
) -> dict[int, dict[str, Finding]]:
    """``case_checks.findings_for`` for many files at once (a campaign's drawn files
    pre-scored): the facts read in batches (``case_facts.case_facts_many``), then the checks."""
    from .case_facts import case_facts_many

    wanted = [c for c in dict.fromkeys(codes) if c in CHECKS]
    if not wanted:
        return {int(i): {} for i in case_ids}
    return {
        pk: {code: CHECKS[code].run(facts) for code in wanted}
        for pk, facts in case_facts_many(case_ids, on=on).items()
    }


@dataclass(frozen=True)
class Proposal:
    """One check's finding on a case, with its check (label, source)."""

    check: Check
    finding: Finding

    @property
    def verdict(self) -> str:
        if self.finding.passed is None:
            return "不适用"
        return "符合" if self.finding.passed else "不符合"

    @property
    def verdict_class(self) -> str:
        if self.finding.passed is None:
            return "na"
        return "ok" if self.finding.passed else "fail"


def case_proposals(case_id: int, on: date) -> list[Proposal]:
    """Every registered check's finding on ``case_id`` as the record stands on ``on`` (the
    case is gated by the caller)."""
    from .case_checks import findings_for

    checks = checks_listed()
    found = findings_for(case_id, [c.code for c in checks], on=on)
    return [Proposal(c, found[c.code]) for c in checks if c.code in found]


@dataclass
class OverrideRow:
    """One item (or veto) of a template that names a record check."""

    code: str
    text: str
    is_veto: bool
    check: str
    check_label: str
    check_source: str
    files_proposed: int = 0  # files on which the record proposed a mark for the item
    scorings_proposed: int = 0  # signed scorings that received the proposal
    overridden: int = 0  # … of which the reviewer overrode it
    reasons: list[str] = field(default_factory=list)  # the latest override reasons

    @property
    def override_rate(self) -> Decimal | None:
        """Overridden share of the proposals, in per cent (one decimal)."""
        if not self.scorings_proposed:
            return None
        rate = Decimal(100 * self.overridden) / Decimal(self.scorings_proposed)
        return rate.quantize(Decimal("0.1"))


@dataclass
class OverrideReport:
    template: Template
    rows: list[OverrideRow]
    items_total: int  # items and vetoes of the template
    files_scored: int  # files with at least one signed scoring
    scorings_signed: int

    @property
    def items_checked(self) -> int:
        return len(self.rows)

    @property
    def proposals(self) -> int:
        return sum(r.scorings_proposed for r in self.rows)

    @property
    def overrides(self) -> int:
        return sum(r.overridden for r in self.rows)


def _proposed(mark: Any) -> bool:
    return isinstance(mark, Mapping) and mark.get("proposed") is not None


def override_tally(
    spec: scoring.Spec, scorings: Iterable[tuple[int, Mapping[str, Any]]]
) -> tuple[list[OverrideRow], int, int]:
    """Count, per item and veto of ``spec`` naming a check, the files and signed scorings the
    record proposed a mark for and the overrides, from ``(file id, marks)`` in signing order.
    Returns the rows, the files and the scorings read. Pure."""
    rows: dict[tuple[str, str], OverrideRow] = {}
    for item in spec.items():
        if item.check:
            c = CHECKS.get(item.check)
            rows[("items", item.code)] = OverrideRow(
                item.code,
                item.text,
                False,
                item.check,
                c.label if c else item.check,
                c.source if c else "",
            )
    for veto in spec.vetoes:
        if veto.check:
            c = CHECKS.get(veto.check)
            rows[("vetoes", veto.code)] = OverrideRow(
                veto.code,
                veto.text,
                True,
                veto.check,
                c.label if c else veto.check,
                c.source if c else "",
            )
    files: dict[tuple[str, str], set[int]] = {key: set() for key in rows}
    seen_files: set[int] = set()
    count = 0
    for file_id, marks in scorings:
        count += 1
        seen_files.add(file_id)
        for (part, code), row in rows.items():
            mark = (marks.get(part) or {}).get(code) if isinstance(marks, Mapping) else None
            if not _proposed(mark):
                continue
            assert isinstance(mark, Mapping)
            files[(part, code)].add(file_id)
            row.scorings_proposed += 1
            if mark.get("overridden"):
                row.overridden += 1
                reason = str(mark.get("override_reason") or "").strip()
                if reason:
                    row.reasons = [reason, *row.reasons][:REASONS_SHOWN]
    for key, row in rows.items():
        row.files_proposed = len(files[key])
    return list(rows.values()), len(seen_files), count


def override_report(account: Account, template: Template) -> OverrideReport:
    """The report for ``template`` (gated by the caller) over the signed scorings of the files
    ``account`` may see."""
    spec = scoring.parse_template(template.content, veto_effect=template.veto_effect)
    visible = files_visible_to(account).filter(template=template).values("pk")
    scorings = (
        Scoring.objects.filter(file__in=visible, state=Scoring.State.SIGNED)
        .order_by("signed_on", "id")
        .values_list("file_id", "marks")
    )
    rows, files, count = override_tally(spec, scorings.iterator(chunk_size=2000))
    return OverrideReport(
        template=template,
        rows=rows,
        items_total=len(spec.items()) + len(spec.vetoes),
        files_scored=files,
        scorings_signed=count,
    )
