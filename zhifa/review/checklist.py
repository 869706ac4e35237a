"""The legal-review checklist (法制审核要点) and what the registry and the record already answer.

国办发〔2018〕118号 lists what the review body checks: the enforcement subject and officers'
qualification, facts and evidence, the law applied and the discretion, procedure, powers,
documents, and whether the act is a suspected crime to transfer. Ten points, each answered
with a verdict and a comment.

:func:`prefill` is pure: given :class:`FileFacts` (read by the services from the registry and the
case), it proposes a verdict for the points the data can answer (subject, officers' certificates
on the step dates, deadlines, documents present) with the evidence behind it. The reviewer
confirms or changes every proposal; nothing is concluded on a proposal alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Point(StrEnum):
    SUBJECT = "subject"
    OFFICERS = "officers"
    FACTS = "facts"
    LAW = "law"
    DISCRETION = "discretion"
    PROCEDURE = "procedure"
    POWERS = "powers"
    DOCUMENTS = "documents"
    CRIME = "crime"
    OTHER = "other"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS: dict[Point, str] = {
    Point.SUBJECT: "执法主体是否合法",
    Point.OFFICERS: "执法人员是否具备执法资格",
    Point.FACTS: "事实是否清楚，证据是否确凿、充分、合法",
    Point.LAW: "适用法律、法规、规章是否准确",
    Point.DISCRETION: "裁量基准运用是否适当",
    Point.PROCEDURE: "程序是否合法",
    Point.POWERS: "是否超越职权或滥用职权",
    Point.DOCUMENTS: "执法文书是否规范、齐备",
    Point.CRIME: "违法行为是否涉嫌犯罪需要移送司法机关",
    Point.OTHER: "其他",
}

POINTS: tuple[Point, ...] = tuple(Point)


class Verdict(StrEnum):
    """The answer to one point. For :attr:`Point.CRIME`, ``problem`` means 涉嫌犯罪、需要移送."""

    PASS = "pass"  # noqa: S105 - 无问题, not a password
    PROBLEM = "problem"  # 存在问题
    NOT_APPLICABLE = "na"  # 不适用

    @property
    def label(self) -> str:
        return {"pass": "无问题", "problem": "存在问题", "na": "不适用"}[self.value]


def verdict_label(point: Point, verdict: str) -> str:
    if point is Point.CRIME and verdict == Verdict.PROBLEM:
        return "涉嫌犯罪，需要移送"
    if point is Point.CRIME and verdict == Verdict.PASS:
        return "未发现涉嫌犯罪"
    return Verdict(verdict).label


@dataclass(frozen=True)
class OfficerFact:
    name: str
    allowed: bool
    reasons: tuple[str, ...] = ()
    certificate: str = ""


@dataclass(frozen=True)
class StepFact:
    """One recorded step that officers took (笔录、证据 …) with each officer's eligibility on
    the step's date (``officer_may_act``)."""

    label: str
    on: date
    seq: int | None
    officers: tuple[OfficerFact, ...]
    needs_two: bool = True


@dataclass(frozen=True)
class DeadlineFact:
    name: str
    due_on: date
    done_on: date | None  # None: still running, compared with the submission day
    article: str


@dataclass(frozen=True)
class FileFacts:
    agency_name: str
    agency_active: bool
    power_code: str
    power_name: str
    power_published: bool
    power_bases: tuple[str, ...]
    submitted_on: date
    steps: tuple[StepFact, ...] = ()
    deadlines: tuple[DeadlineFact, ...] = ()
    documents_present: tuple[str, ...] = ()
    documents_expected: tuple[str, ...] = ()
    # The 裁量基准 applied (registered by the discretion app): whether it fits, and what it says.
    discretion: tuple[bool | None, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Prefill:
    """A proposed answer: ``verdict`` None means the data cannot answer it, ``evidence`` says
    what was looked at either way."""

    verdict: str | None
    evidence: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {"verdict": self.verdict, "evidence": list(self.evidence)}


def _d(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _subject(f: FileFacts) -> Prefill:
    evidence = [
        f"执法主体：{f.agency_name}（{'有效' if f.agency_active else '主体资格非有效状态'}）",
        f"权责清单事项：{f.power_code} {f.power_name}"
        f"（{'已发布' if f.power_published else '未在已发布清单中'}）",
    ]
    ok = f.agency_active and f.power_published
    return Prefill(Verdict.PASS if ok else Verdict.PROBLEM, tuple(evidence))


def _officers(f: FileFacts) -> Prefill:
    if not f.steps:
        return Prefill(None, ("案卷中没有执法人员实施的调查取证步骤",))
    evidence: list[str] = []
    ok = True
    for step in f.steps:
        where = f"{_d(step.on)}{step.label}" + (
            f"（记录#{step.seq}）" if step.seq is not None else ""
        )
        if step.needs_two and len(step.officers) < 2:
            ok = False
            evidence.append(f"{where}：执法人员不足两人（《行政处罚法》第四十二条）")
        for o in step.officers:
            if o.allowed:
                evidence.append(f"{where}：{o.name}持有效执法证{o.certificate}")
            else:
                ok = False
                evidence.append(f"{where}：{o.name}不具备执法资格——{'；'.join(o.reasons)}")
    return Prefill(Verdict.PASS if ok else Verdict.PROBLEM, tuple(evidence))


def _procedure(f: FileFacts) -> Prefill:
    if not f.deadlines:
        return Prefill(None, ())
    evidence: list[str] = []
    late = False
    for d in f.deadlines:
        checked = d.done_on or f.submitted_on
        if checked > d.due_on:
            late = True
            evidence.append(f"{d.name}：期限{_d(d.due_on)}，{_d(checked)}已超过（{d.article}）")
        elif d.done_on is not None:
            evidence.append(f"{d.name}：{_d(d.done_on)}办理，未超过期限{_d(d.due_on)}")
        else:
            evidence.append(f"{d.name}：期限至{_d(d.due_on)}，送审时未届满（{d.article}）")
    # Deadlines are only part of procedure (告知、听证、回避 …): a clean record is a proposal
    # the reviewer confirms; a missed deadline is a problem the record proves.
    return Prefill(Verdict.PROBLEM if late else Verdict.PASS, tuple(evidence))


def _documents(f: FileFacts) -> Prefill:
    missing = [d for d in f.documents_expected if d not in f.documents_present]
    evidence = [f"已生成：{'、'.join(f.documents_present) or '无'}"]
    if missing:
        evidence.append(f"缺少：{'、'.join(missing)}")
    return Prefill(Verdict.PROBLEM if missing else Verdict.PASS, tuple(evidence))


def _law(f: FileFacts) -> Prefill:
    # The bases on the power list are shown; whether they fit the facts is the reviewer's call.
    return Prefill(None, tuple(f"权责清单所列依据：{b}" for b in f.power_bases))


def _discretion(f: FileFacts) -> Prefill:
    # 国办发〔2022〕27号（十二）: the 基准 applied, its circumstances with their evidence, any
    # deviation and its approval; a deviation without approval is a problem the record proves.
    if f.discretion is None:
        return Prefill(None, ("案卷中未记录裁量基准的适用情况",))
    fits, evidence = f.discretion
    verdict = None if fits is None else (Verdict.PASS if fits else Verdict.PROBLEM)
    return Prefill(verdict, evidence)


def prefill(facts: FileFacts) -> dict[Point, Prefill]:
    """A proposal for every point (``verdict`` None where the data cannot answer)."""
    out = {p: Prefill(None) for p in POINTS}
    out[Point.SUBJECT] = _subject(facts)
    out[Point.OFFICERS] = _officers(facts)
    out[Point.LAW] = _law(facts)
    out[Point.PROCEDURE] = _procedure(facts)
    out[Point.DOCUMENTS] = _documents(facts)
    out[Point.DISCRETION] = _discretion(facts)
    return out


_VERDICTS = frozenset(v.value for v in Verdict)


def unanswered(answers: dict[str, str]) -> list[Point]:
    """The points without a confirmed verdict (in checklist order)."""
    return [p for p in POINTS if answers.get(p.value, "") not in _VERDICTS]


def problems(answers: dict[str, str]) -> list[Point]:
    return [p for p in POINTS if answers.get(p.value) == Verdict.PROBLEM]


def labels_of(points: Sequence[Point]) -> str:
    return "、".join(f"“{p.label}”" for p in points)
