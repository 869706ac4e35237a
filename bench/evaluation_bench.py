"""案卷评查 benchmark: the record's proposals for one file, and a campaign's files pre-scored.

    .venv/bin/python bench/evaluation_bench.py [--data-dir var/bench-evaluation]
        [--cases 300000] [--files 1000] [--repeat 50] [--skip-generate]
    scripts/with-postgres.sh .venv/bin/python bench/evaluation_bench.py --data-dir /tmp/be-pg

1. migrates the data folder and, unless they are there, generates 示范省
   (``registry.demo.province_load``) and ``--cases`` cases of the year in bulk with
   ``supervision_bench.generate_cases`` (general-procedure cases with their steps, officers,
   parties, decisions, publications, review rounds; simple-procedure cases; inspections); then
   one general-procedure case of a busy agency with 50 record entries (appended to the log
   through ``record.services.record_append``), 20 steps with two officers each and 20
   documents, the file of (a);
2. **(a)** proposing the scores of that file: ``case_checks.findings_for`` (every registered
   check: one read of the case and what belongs to it, then the pure checks) +
   ``record_checks.proposed_marks`` + ``scoring.score`` on a shipped-like template (广东's
   100 points, 卷面 20 + 内容 80, 24 items of which 12 name a record check, two vetoes) —
   ``--repeat`` times after one warm-up: p50/p95/max and the number of queries. Goal ≤ 200 ms.
3. **(b)** a campaign of ``--files`` files: the population (the decided penalty cases of the
   period, ordered by id) read, ``--files`` drawn with a seeded ``random.Random`` and each file
   pre-scored as in (a). Goal ≤ 60 s. (The campaign services belong to another part of the
   issue; once merged the bench calls their draw and assignment instead of this loop.)
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import supervision_bench as sb  # noqa: E402 - the province and cases generator

TODAY = sb.TODAY
SEED = "2026-评查-示范省"
MARKER = "评查基准案卷"  # the title of the 50-entry file of (a)


def shipped_like_content() -> dict[str, Any]:
    """A 广东-style template (第十四条's contents, 第十六条's 100 points, 第十七条's vetoes)
    with the deduction items of supervision.md §4.3; half the items name a record check."""
    checks = [
        ("two_certified_officers", "执法人员不足两人或未出示执法证件", "per_occurrence", "5"),
        ("power_published", "执法事项不在权责清单内", "fixed", "10"),
        ("registration_approved_in_time", "立案未经批准或超过立案期限", "fixed", "5"),
        ("decision_within_limit", "超过办案期限且未经批准延长", "fixed", "5"),
        ("prior_notice", "未依法告知陈述申辩、听证权利", "per_occurrence", "5"),
        ("no_heavier_than_notified", "决定重于事先告知", "fixed", "10"),
        ("legal_review_before_major", "重大执法决定未经法制审核", "fixed", "10"),
        ("collective_discussion", "应集体讨论而未讨论", "fixed", "5"),
        ("service_in_time", "未按期送达或无送达回证", "per_occurrence", "3"),
        ("execution_recorded", "执行情况无记录", "fixed", "3"),
        ("publication_on_time", "未按期公示", "fixed", "3"),
        ("media_uploaded_in_time", "音像记录逾期上传", "per_occurrence", "1"),
    ]
    content_items = []
    for n, (check, text, kind, points) in enumerate(checks, 1):
        rule: dict[str, str] = {"kind": kind, "points": points}
        if kind == "per_occurrence":
            rule["cap"] = str(int(points) * 2)
        content_items.append(
            {
                "code": f"B{n}",
                "text": text,
                "max_points": str(int(points) * 2),
                "rule": rule,
                "check": check,
                "source": "supervision.md §4.3",
            }
        )
    for n in range(len(checks) + 1, 19):
        content_items.append(
            {
                "code": f"B{n}",
                "text": f"事实认定、法律适用、自由裁量第{n}项",
                "max_points": "2",
                "rule": {"kind": "range", "min": "1", "max": "2"},
            }
        )
    paper = [
        {
            "code": f"A{n}",
            "text": f"卷面第{n}项",
            "max_points": "4",
            "rule": {"kind": "per_occurrence", "points": "1", "cap": "4"},
        }
        for n in range(1, 6)
    ]
    paper.append(
        {
            "code": "A6",
            "text": "案卷归档及时、完整",
            "max_points": "4",
            "rule": {"kind": "fixed", "points": "4"},
            "check": "archived_in_time",
        }
    )
    return {
        "sections": [
            {"code": "A", "name": "卷面", "max_points": "20", "items": paper},
            {"code": "B", "name": "内容", "max_points": "80", "items": content_items},
        ],
        "vetoes": [
            {
                "code": "V1",
                "text": "执法人员不具备执法资格",
                "check": "two_certified_officers",
                "source": "《广东省行政执法案卷评查办法》第十七条",
            },
            {"code": "V2", "text": "超越法定职权", "check": "power_published"},
        ],
    }


def large_file() -> int:
    """The general-procedure case of (a): 50 record entries, 20 steps (two officers each) and
    20 documents, made once in the data folder (rows in bulk, entries through the log)."""
    from django.db import transaction

    from zhifa.cases.models import Case, CaseDocument, CaseOfficer, CaseStep
    from zhifa.record.models import EvidenceFile
    from zhifa.record.services import record_append
    from zhifa.registry.models import Account, Officer

    found = Case.objects.filter(title=MARKER).values_list("pk", flat=True).first()
    if found is not None:
        return int(found)
    base = (
        Case.objects.filter(kind=Case.Kind.PENALTY_GENERAL, decided_on__isnull=False)
        .order_by("id")
        .first()
    )
    assert base is not None, "no decided general-procedure case to copy"
    officers = list(
        Officer.objects.filter(agency_id=base.agency_id)
        .order_by("id")
        .values_list("id", flat=True)[:2]
    )
    admin = Account.objects.get(username="admin")
    insert = sb._Inserter()
    with transaction.atomic():
        case = Case.objects.get(pk=base.pk)
        case.pk = None
        case.title = MARKER
        case.number = "B评查基准"
        case.decision_number = "B评查基准决定"
        case.notified_on = case.decided_on - timedelta(days=10)
        case.notified_penalty_kinds = case.penalty_kinds
        case.notified_fine = case.fine
        case.statement_deadline = case.notified_on + timedelta(days=7)
        case.save()
        CaseOfficer.objects.bulk_create(
            CaseOfficer(case=case, officer_id=o, role=r, assigned_on=case.clue_on)
            for o, r in zip(officers, ("lead", "assistant"), strict=False)
        )
        seqs = []
        for n in range(50):
            entry = record_append(
                actor_id=admin.pk,
                actor_name="基准",
                role="officer",
                action="case.investigate" if n < 20 else "document.generate",
                payload={"on": (case.registered_on + timedelta(days=n % 30)).isoformat()},
                case_id=case.pk,
            )
            seqs.append(entry.seq)
        steps = [
            CaseStep(
                case_id=case.pk,
                kind="interview_record" if n % 2 else "evidence",
                on=case.registered_on + timedelta(days=n),
                created_by_id=admin.pk,
                entry_seq=seqs[n],
            )
            for n in range(20)
        ]
        insert(CaseStep, steps)
        through = CaseStep.officers.through
        insert(through, [through(casestep_id=s.pk, officer_id=o) for s in steps for o in officers])
        now = datetime.now(tz=sb.TZ)
        pdf = EvidenceFile(
            sha256="b" * 64,
            size=1000,
            media_type="application/pdf",
            original_name="基准.pdf",
            storage_key="bench/none",
            stored_at=now,
            uploaded_at=now,
        )
        insert(EvidenceFile, [pdf])
        kinds = [k for k in CaseDocument.Kind.values][:20]
        insert(
            CaseDocument,
            [
                CaseDocument(
                    case_id=case.pk,
                    kind=kinds[n],
                    version=1,
                    number=f"B文书{n}",
                    title=f"文书{n}",
                    generated_on=case.decided_on,
                    pdf_id=pdf.pk,
                    docx_id=pdf.pk,
                    template_source="default",
                    created_by_id=admin.pk,
                    created_at=now,
                    entry_seq=seqs[20 + n],
                )
                for n in range(20)
            ],
        )
        insert.finish()
    return int(case.pk)


def propose(case_id: int, spec: Any, on: date) -> Any:
    from zhifa.evaluation.case_checks import findings_for
    from zhifa.evaluation.record_checks import proposed_marks
    from zhifa.evaluation.scoring import score

    codes = [c for _, c in spec.checked_codes()]
    found = findings_for(case_id, codes, on=on)
    marks = proposed_marks(spec, found)
    # A range item the record cannot answer is scored by the reviewer: the pre-score leaves it.
    return score(spec, marks), found


def bench_one(repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhifa.cases.models import CaseDocument, CaseStep
    from zhifa.evaluation.scoring import parse_template
    from zhifa.record.models import Entry

    case_id = large_file()
    spec = parse_template(shipped_like_content())
    on = TODAY
    with CaptureQueriesContext(connection) as q:
        result, found = propose(case_id, spec, on)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        propose(case_id, spec, on)
        times.append((time.perf_counter() - started) * 1000)
    entries = Entry.objects.filter(case_id=case_id).count()
    docs = CaseDocument.objects.filter(case_id=case_id).count()
    steps = CaseStep.objects.filter(case_id=case_id).count()
    decided = sum(1 for f in found.values() if f.passed is not None)
    print(
        f"\n(a) proposing the scores of one file ({entries} entries, {docs} documents, "
        f"{steps} steps; {len(spec.checked_codes())} checked items of {len(spec.items())} + "
        f"{len(spec.vetoes)} vetoes), {repeat} runs after one warm-up"
    )
    print(
        f"    findings_for + proposed_marks + score   {sb._ms(times)}  "
        f"({len(q)} queries; {decided} checks answered, total {result.total}, {result.grade})"
    )
    print(f"    goal ≤ 200 ms: {'met' if sb._percentile(times, 0.95) <= 200 else 'NOT met'} (p95)")


def bench_campaign(n_files: int) -> None:
    from collections import Counter

    from zhifa.cases.models import Case
    from zhifa.evaluation.case_facts import CHUNK
    from zhifa.evaluation.record_checks import proposed_marks
    from zhifa.evaluation.scoring import parse_template, score
    from zhifa.evaluation.selectors_checks import findings_for_many

    spec = parse_template(shipped_like_content())
    started = time.perf_counter()
    population = list(
        Case.objects.filter(
            kind__in=(Case.Kind.PENALTY_GENERAL, Case.Kind.PENALTY_SIMPLE),
            decided_on__gte=TODAY - timedelta(days=365),
            decided_on__lte=TODAY,
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    read = time.perf_counter() - started
    drawn = random.Random(SEED).sample(population, min(n_files, len(population)))
    grades: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    scoring_started = time.perf_counter()
    for case_id in drawn:
        result, found = propose(case_id, spec, TODAY)
        grades[result.grade] += 1
        for code, f in found.items():
            if f.passed is False:
                failed[code] += 1
    one_by_one = time.perf_counter() - scoring_started
    batch_started = time.perf_counter()
    batch = findings_for_many(drawn, [c for _, c in spec.checked_codes()], on=TODAY)
    batch_grades: Counter[str] = Counter(
        score(spec, proposed_marks(spec, found)).grade for found in batch.values()
    )
    batched = time.perf_counter() - batch_started
    assert batch_grades == grades, (batch_grades, grades)  # the same proposals either way
    print(
        f"\n(b) a campaign of {len(drawn):,} files drawn from {len(population):,} decided penalty "
        f"cases and pre-scored"
    )
    print(f"    population read and drawn          {read:7.2f} s")
    print(
        f"    pre-scored one file at a time      {one_by_one:7.2f} s  "
        f"({one_by_one / max(1, len(drawn)) * 1000:.1f} ms a file; findings_for)"
    )
    print(
        f"    pre-scored in batches of {CHUNK}       {batched:7.2f} s  "
        f"({batched / max(1, len(drawn)) * 1000:.1f} ms a file; findings_for_many)"
    )
    for label, seconds in (("one at a time", one_by_one), ("in batches", batched)):
        total = read + seconds
        verdict = "met" if total <= 60 else "NOT met"
        print(f"    total, {label:14}         {total:7.2f} s  (goal ≤ 60 s: {verdict})")
    print("    grades: " + ", ".join(f"{g} {n}" for g, n in grades.most_common()))
    print("    checks failed: " + ", ".join(f"{c} {n}" for c, n in failed.most_common()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-evaluation"))
    parser.add_argument("--cases", type=int, default=300_000)
    parser.add_argument("--scale-factor", type=float, default=1.0)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--skip-generate", action="store_true")
    args = parser.parse_args()
    sb._setup(args.data_dir)
    from django.db import connection

    started = time.perf_counter()
    sb.generate(args)
    print(f"data ready in {time.perf_counter() - started:.0f} s ({connection.vendor})", flush=True)
    bench_one(args.repeat)
    bench_campaign(args.files)


if __name__ == "__main__":
    main()
