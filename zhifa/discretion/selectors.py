"""Reads of the 裁量基准 applied to cases: the entries that apply to a case, the evidence a
circumstance may rest on, the party's repeat within a year, the calculation, and the check of
``zhifa verify``. Not access-checked: gate the case first (``cases.access.access_case``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from zhifa.cases.history import HistoryCheck, case_history
from zhifa.cases.models import Case, CaseDocument
from zhifa.law import discretion
from zhifa.law import history as law_history
from zhifa.law.penalty import PenaltyKind
from zhifa.record.action_labels import action_label
from zhifa.record.canonical import canonical_text
from zhifa.record.models import Entry
from zhifa.record.selectors import entries_of_case
from zhifa.record.verification import Problem
from zhifa.registry.models import DiscretionBenchmark
from zhifa.registry.services import benchmark_own_bands, benchmark_range

from .models import Application, DeviationApproval

_PUBLISHED = DiscretionBenchmark.Status.PUBLISHED


def digest_of(content: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of what an entry holds of a row."""
    return hashlib.sha256(canonical_text(content).encode()).hexdigest()


def benchmarks_for_case(case: Case) -> QuerySet[DiscretionBenchmark]:
    """Published entries that apply to the case: tied to its power item (by code, any version:
    a new version of the item keeps the entry) of the case's agency, or issued for a region
    that covers the agency, or by an upper level and refined (国办发〔2022〕27号（五）: the lower
    level's own entry first)."""
    code = case.power_item.code
    division = case.agency.division_code
    regions = {division[:2] + "0000", division[:4] + "00", division}
    tied = Q(power_item__code=code) | Q(power_items__code=code)
    scope = Q(agency=case.agency) | Q(agency__isnull=True, region_code__in=regions)
    return (
        DiscretionBenchmark.objects.filter(tied, scope, status=_PUBLISHED)
        .select_related("agency", "parent")
        .prefetch_related("grades")
        .distinct()
        .order_by(F("agency_id").desc(nulls_last=True), "-pk")
    )


def benchmark_for_case(case: Case, pk: int) -> DiscretionBenchmark | None:
    """A published entry the officer picked: one that applies to the case, or any published
    entry of the case's agency or region (an entry may be tied to no power item)."""
    division = case.agency.division_code
    regions = {division[:2] + "0000", division[:4] + "00", division}
    return (
        DiscretionBenchmark.objects.filter(
            Q(agency=case.agency) | Q(agency__isnull=True, region_code__in=regions),
            pk=pk,
            status=_PUBLISHED,
        )
        .select_related("agency", "parent")
        .first()
    )


def benchmarks_choosable(case: Case) -> QuerySet[DiscretionBenchmark]:
    division = case.agency.division_code
    regions = {division[:2] + "0000", division[:4] + "00", division}
    return DiscretionBenchmark.objects.filter(
        Q(agency=case.agency) | Q(agency__isnull=True, region_code__in=regions),
        status=_PUBLISHED,
    ).order_by("violation", "-pk")


def evidence_options(case: Case) -> list[tuple[str, str]]:
    """What a circumstance may rest on: the case's record entries and documents, as
    ``("entry:<seq>" | "document:<id>", label)``."""
    options = [
        (
            f"entry:{e.seq}",
            f"#{e.seq} {action_label(e.action)}（{timezone.localtime(e.recorded_at):%Y-%m-%d}）",
        )
        for e in entries_of_case(case.pk).exclude(action__startswith="discretion.")
    ]
    options += [
        (f"document:{d.pk}", f"{d.title}{' ' + d.number if d.number else ''}（第{d.version}版）")
        for d in CaseDocument.objects.filter(case=case).order_by("pk")
    ]
    return options


def evidence_label(case: Case, ref: str) -> str | None:
    """The label of ``ref`` when it is the case's own entry or document, else None."""
    kind, _, raw = ref.partition(":")
    if not raw.isdigit():
        return None
    if kind == "entry":
        e = Entry.objects.filter(seq=int(raw), case_id=case.pk).first()
        return None if e is None else f"#{e.seq} {action_label(e.action)}"
    if kind == "document":
        d = CaseDocument.objects.filter(pk=int(raw), case=case).first()
        return None if d is None else f"{d.title}{' ' + d.number if d.number else ''}"
    return None


def repeat_check(case: Case, until: date | None = None) -> list[HistoryCheck]:
    """国市监法规〔2022〕2号第十六条第（三）项: the party's penalties for the same violation
    within one year (``zhifa.law.history.REPEAT``), per party."""
    return case_history(case, law_history.REPEAT, until=until)


def repeat_evidence(case: Case, until: date | None = None) -> str:
    """The earlier case's number, date and agency, when the repeat factor applies ("" if not)."""
    found = [c for c in repeat_check(case, until) if not c.clear]
    return found[0].summary if found else ""


@dataclass(frozen=True)
class Calculation:
    """What the page shows: the range, the proposal, each grade's band."""

    benchmark: DiscretionBenchmark
    range: discretion.StatutoryRange
    proposal: discretion.Proposal
    bands: dict[discretion.Grade, discretion.Band]


def calculate(
    benchmark: DiscretionBenchmark, codes: Iterable[str], base: Decimal | None
) -> Calculation:
    """The calculator for ``benchmark`` with the circumstances ``codes``; raises ValueError
    when a multiple has no base, KeyError for an unknown circumstance."""
    rng = benchmark_range(benchmark)
    own = benchmark_own_bands(benchmark.grades.all())
    proposal = discretion.propose(rng, codes, base=base, own=own)
    return Calculation(benchmark, rng, proposal, discretion.bands(rng, base=base, own=own))


def latest_application(case: Case, stage: str | None = None) -> Application | None:
    """The application that counts: of ``stage``, or (None) the decision's, else the notice's."""
    qs = Application.objects.filter(case=case).select_related("benchmark", "benchmark__agency")
    if stage is not None:
        return qs.filter(stage=stage).order_by("-pk").first()
    return (
        qs.filter(stage=Application.Stage.DECISION).order_by("-pk").first()
        or qs.filter(stage=Application.Stage.NOTICE).order_by("-pk").first()
    )


def latest_approval(application: Application) -> DeviationApproval | None:
    return application.approvals.select_related("approved_by").order_by("-pk").first()


def applications_of_case(case: Case) -> QuerySet[Application]:
    return Application.objects.filter(case=case).select_related("benchmark").order_by("-pk")


# -- verification ---------------------------------------------------------------------------


def applications_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """``zhifa verify``: every application and approval against the entry that wrote it."""
    del groups  # the rows point at their entries directly
    checks: tuple[tuple[Any, str, str, str], ...] = (
        (Application.objects.values_list("id", "case_id", "entry_seq", "digest"),
         "discretion.apply", "application", "裁量基准适用"),
        (DeviationApproval.objects.values_list(
            "id", "application__case_id", "entry_seq", "digest"),
         "discretion.deviation_approve", "approval", "偏离裁量基准的批准"),
    )  # fmt: skip
    for rows, action, key, label in checks:
        for pk, case_id, seq, digest in rows.order_by("id").iterator(chunk_size=2000):
            entry = Entry.objects.filter(seq=seq).first()
            if entry is None or entry.action != action or entry.case_id != case_id:
                yield Problem(
                    kind="discretion_entry",
                    case_id=case_id,
                    seq=seq,
                    message=f"{label}{pk}指向的记录#{seq}不是该案的{label}记录",
                )
                continue
            if digest_of(entry.data.get(key)) != digest:
                yield Problem(
                    kind="discretion_digest",
                    case_id=case_id,
                    seq=seq,
                    message=f"{label}{pk}的内容与记录#{seq}不一致（已被改动）",
                )


# -- what the documents print (国办发〔2022〕27号（十二）; 国市监法规〔2022〕2号第七条) -----------


def application_text(app: Application) -> str:
    """The 基准 applied, in the words the 事先告知书 and 决定书 print: entry, range, the
    circumstances found, the grade and its band, the judgement, any deviation and approval."""
    b = app.benchmark
    parts = [f"适用{b.issuer}制定的“{b.violation}”行政处罚裁量基准（第{b.version}版）"]
    if b.penalty_provision:
        parts.append(f"处罚依据为{b.penalty_provision}")
    kinds = "、".join(PenaltyKind(k).label for k in b.penalty_kinds)
    parts.append(f"法定处罚幅度为{app.range_text}" + (f"（处罚种类：{kinds}）" if kinds else ""))
    if app.base_amount is not None:
        parts.append(f"{b.base_name}为{discretion.yuan(app.base_amount)}元")
    if app.circumstances:
        found = "；".join(f"{c['text']}（{c['article']}）" for c in app.circumstances)
        parts.append(f"认定的裁量情节：{found}")
    else:
        parts.append("未认定从轻、减轻、从重等裁量情节")
    if app.judgement:
        parts.append(f"综合裁量理由：{app.judgement}")
    band = f"（{app.band_text}）" if app.band_text else ""
    parts.append(f"适用裁量阶次为{app.get_grade_label()}{band}")
    text = "，".join(parts[:3]) + "。" + "。".join(parts[3:]) + "。"
    if app.deviates:
        text += f"本案处罚偏离裁量基准，理由：{app.deviation_reason}。"
        approval = latest_approval(app)
        if approval is not None:
            how = (
                "经本机关主要负责人批准"
                if approval.way == DeviationApproval.Way.HEAD
                else f"经本机关集体讨论决定（{approval.minutes}）"
            )
            on = approval.approved_on
            text += f"{how}（{on.year}年{on.month}月{on.day}日）"
            if approval.upper_document:
                text += f"，并经{approval.upper_body}批准（{approval.upper_document}）"
            text += "。"
    return text


def document_values(case: Case, kind: str) -> dict[str, Any]:
    """Registered with ``cases.documents``: the 基准 paragraph of the notice and the decision."""
    stage = Application.Stage.NOTICE if kind == CaseDocument.Kind.PENALTY_NOTICE else None
    app = latest_application(case, stage)
    return {"discretion": application_text(app) if app is not None else ""}


def review_facts(case: Case) -> tuple[bool | None, tuple[str, ...]] | None:
    """Registered with ``review.selectors``: the checklist's "裁量基准运用是否适当" proposal —
    fits when the grade and fine lie within the 基准 or the deviation was approved."""
    app = latest_application(case)
    if app is None:
        return None
    approved = latest_approval(app) is not None
    evidence = [f"{app.get_stage_display()}（记录#{app.entry_seq}）：{application_text(app)}"]
    if app.deviates and not approved:
        evidence.append(
            "偏离裁量基准，尚未经主要负责人批准或者集体讨论决定（国办发〔2022〕27号（十二））"
        )
    return (not app.deviates or approved, tuple(evidence))
