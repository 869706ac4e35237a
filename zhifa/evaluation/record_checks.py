"""What the record can answer about a case file: the checks' shape, their registry, and how a
finding becomes a proposed mark. Pure: no Django.

A check (``Check``) is a pure function from one case's facts (gathered once per file by
``case_checks.findings_for``) to a :class:`Finding`: passed, failed (with how many times and
the evidence — the record entries and documents that prove it), or ``None`` when the record
cannot tell (the step does not apply to this case, or happened outside the platform). A
template item or veto names the check by its code; the finding pre-fills the reviewer's mark,
which the reviewer accepts or overrides with a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .scoring import Spec


@dataclass(frozen=True)
class Evidence:
    """One proof: a record entry (``seq``), a document (``document_id``) or both, with what it
    shows, in Chinese."""

    label: str
    seq: int | None = None
    document_id: int | None = None


@dataclass(frozen=True)
class Finding:
    check: str
    passed: bool | None  # None: the record cannot tell; the reviewer scores the item
    message: str  # what was found, in Chinese ("两名执法人员均持有效证件")
    occurrences: int = 0  # failures counted (per_occurrence items deduct per occurrence)
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["evidence"] = [asdict(e) for e in self.evidence]
        return out

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Finding:
        return cls(
            check=str(raw.get("check", "")),
            passed=raw.get("passed"),
            message=str(raw.get("message", "")),
            occurrences=int(raw.get("occurrences") or 0),
            evidence=tuple(Evidence(**e) for e in raw.get("evidence") or ()),
        )


@dataclass(frozen=True)
class Check:
    code: str  # what a template names: "two_certified_officers"
    label: str  # in Chinese, for the template editor
    source: str  # the article it checks
    run: Callable[[Any], Finding]  # facts -> Finding


CHECKS: dict[str, Check] = {}


def register_check(check: Check) -> None:
    known = CHECKS.get(check.code)
    if known is not None and known != check:
        raise ValueError(f"record check {check.code} registered twice")
    CHECKS[check.code] = check


def proposed_marks(spec: Spec, findings: Mapping[str, Finding]) -> dict[str, Any]:
    """The marks the findings propose ({"items": …, "vetoes": …}), keyed by item/veto code, for
    the checks of ``spec``. ``findings`` is keyed by check code. An item whose check failed is
    proposed with its occurrences (a range item with its lowest deduction, which the reviewer
    may raise); a passed check proposes no deduction; an undecided one proposes nothing."""
    items: dict[str, Any] = {}
    vetoes: dict[str, Any] = {}
    for item in spec.items():
        finding = findings.get(item.check) if item.check else None
        if finding is None or finding.passed is None:
            continue
        if finding.passed:
            items[item.code] = {"occurrences": 0}
        else:
            mark: dict[str, Any] = {"occurrences": max(1, finding.occurrences)}
            if item.rule.kind == "range":
                mark["deduction"] = str(item.rule.low)
            items[item.code] = mark
    for veto in spec.vetoes:
        finding = findings.get(veto.check) if veto.check else None
        if finding is None or finding.passed is None:
            continue
        vetoes[veto.code] = {"hit": not finding.passed}
    return {"items": items, "vetoes": vetoes}
