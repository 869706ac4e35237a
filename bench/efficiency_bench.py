"""Efficiency-evaluation benchmark at province scale: the 效能评价 of 5,000 agencies.

    .venv/bin/python bench/efficiency_bench.py [--data-dir var/bench-efficiency]
        [--cases 200000] [--files-per-agency 10] [--answers-per-agency 20] [--skip-generate]
    ZHIFA_DATA_DIR= scripts/with-postgres.sh .venv/bin/python bench/efficiency_bench.py

1. migrates the data folder and generates 示范省 with a year of cases as
   ``supervision_bench.generate`` does (5,000 bodies, 100,000 officers, 50,000 power items; the
   cases with their decisions, publications — some late or missing — and inspections), unless
   it is there; then, in bulk (model rows with ``executemany``: the bench measures the
   computation, not the workflow), what the efficiency indicators read besides: a 2026 campaign
   of the 司法厅 with ``--files-per-agency`` scored files per agency (every grade, some vetoed),
   one inspection plan per agency with planned inspections (most carried out), one survey per
   agency with ``--answers-per-agency`` answers, and a third party's import of a score for
   every agency; then ANALYZE;
2. times ``services_efficiency.efficiency_compute`` for the province (every agency of the
   司法厅's region: one grouped query per source, the results written in bulk and recorded in
   one entry) — a first computation (inserts) and a recomputation (updates). Goal: ≤ 30 s;
3. times the region report as ``.xlsx`` and PDF and the scheme page of the supervisor.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import supervision_bench as sb

ROOT = sb.ROOT
ON = date(2026, 11, 30)
YEAR = 2026


def _body_and_supervisor() -> tuple[Any, Any]:
    from zhifa.registry import services
    from zhifa.registry.models import Account, Agency

    body = Agency.objects.filter(division_code="130000", name__endswith="司法厅").first()
    if body is None:
        sys.exit("示范省司法厅 not found")
    account = Account.objects.filter(username="eff_supervisor").first()
    if account is None:
        account = services.account_create(
            actor=None,
            username="eff_supervisor",
            password="zhifa-eff-supervisor",  # noqa: S106 - a bench login
            role=Account.Role.SUPERVISOR,
            agency=body,
            region_code="130000",
            display_name="效能评价",
        )
    return body, account


def _inspections(rng: random.Random, insert: Any) -> None:
    from zhifa.cases.models import Case
    from zhifa.inspections.models import Entity, Inspection, Plan

    inspection_cases: dict[int, list[tuple[int, int, int]]] = {}
    for pk, agency, item, domain in (
        Case.objects.filter(kind=Case.Kind.INSPECTION)
        .order_by("pk")
        .values_list("pk", "agency_id", "power_item_id", "domain_id")
        .iterator(20000)
    ):
        lst2 = inspection_cases.setdefault(agency, [])
        if len(lst2) < 5:
            lst2.append((pk, item, domain))
    entities = [
        Entity(
            credit_code=code,
            name=f"基准企业{n}",
            division_code="130102",
            risk_class="B",
        )
        for n, code in enumerate(sb._credit_codes(rng, len(inspection_cases)))
    ]
    insert(Entity, entities)
    plans, inspections = [], []
    for agency in inspection_cases:
        plan = Plan(
            agency_id=agency,
            kind=Plan.Kind.ANNUAL,
            year=YEAR,
            title="2026年度检查计划（基准）",
            subjects="辖区经营主体",
            method="双随机抽查",
            status=Plan.Status.PUBLISHED,
            published_on=date(2026, 1, 20),
        )
        plans.append(plan)
    insert(Plan, plans)
    now = datetime(2026, 1, 20, 9, tzinfo=sb.TZ)
    for plan, (agency, cases3), entity in zip(
        plans, inspection_cases.items(), entities, strict=False
    ):
        for pk, item, domain in cases3:
            planned = date(2026, 1, 1) + timedelta(days=rng.randrange(330))
            done = rng.random() < 0.85
            inspections.append(
                Inspection(
                    case_id=pk,
                    agency_id=agency,
                    entity_id=entity.pk,
                    power_item_id=item,
                    domain_id=domain,
                    ground="routine",
                    plan_id=plan.pk,
                    planned_on=planned,
                    year=YEAR,
                    state=Inspection.State.APPROVED,
                    requested_at=now,
                    code=f"B{pk:012d}",
                    ended_on=planned + timedelta(days=1) if done else None,
                )
            )
    for i in range(0, len(inspections), sb.BATCH):
        insert(Inspection, inspections[i : i + sb.BATCH])
    print(f"  {len(plans):,} plans with {len(inspections):,} inspections")


def generate_efficiency(args: argparse.Namespace, body: Any, actor: Any) -> None:
    from django.db import connection, transaction

    from zhifa.cases.models import Case
    from zhifa.evaluation.models import (
        Campaign,
        File,
        SatisfactionImport,
        Survey,
        SurveyAnswer,
        Template,
    )
    from zhifa.evaluation.recording import record_rows
    from zhifa.evaluation.tests.conftest import small_content
    from zhifa.inspections.models import Inspection
    from zhifa.registry.models import Agency

    if Campaign.objects.filter(number="BENCH-EFF-2026").exists():
        print("efficiency data already there: generation not timed")
        return
    rng = random.Random(20261130)
    started = time.perf_counter()
    insert = sb._Inserter()
    agencies = list(
        Agency.objects.filter(division_code__startswith="13")
        .exclude(pk=body.pk)
        .values_list("pk", "division_code")
    )
    with transaction.atomic():
        template = Template.objects.create(
            key="BENCH-EFF",
            name="基准评查标准",
            issuer="示范省司法厅",
            applies_to=Case.Kind.PENALTY_GENERAL,
            valid_from=date(2026, 1, 1),
            content=small_content(),
            status=Template.Status.PUBLISHED,
            published_on=date(2026, 1, 1),
            created_by=actor,
        )
        campaign = Campaign.objects.create(
            number="BENCH-EFF-2026",
            body=body,
            name="2026年度全省行政执法案卷评查",
            year=YEAR,
            decided_from=date(2026, 1, 1),
            decided_to=date(2026, 12, 31),
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 11, 15),
            sampling=Campaign.Sampling.RANDOM,
            state=Campaign.State.FEEDBACK,
            created_by=actor,
        )
        record_rows(actor, "evaluation.campaign.create", [template, campaign], on=ON)
        # scored files: decided cases of each agency
        by_agency: dict[int, list[int]] = {}
        for pk, agency in (
            Case.objects.filter(decided_on__isnull=False)
            .order_by("pk")
            .values_list("pk", "agency_id")
            .iterator(20000)
        ):
            lst = by_agency.setdefault(agency, [])
            if len(lst) < args.files_per_agency:
                lst.append(pk)
        files = []
        for agency, cases in by_agency.items():
            for case in cases:
                total = Decimal(rng.choice((55, 62, 70, 78, 84, 88, 92, 96)))
                vetoed = rng.random() < 0.03
                grade = (
                    "不合格"
                    if vetoed or total < 60
                    else "合格"
                    if total < 75
                    else "良好"
                    if total < 90
                    else "优秀"
                )
                files.append(
                    File(
                        campaign_id=campaign.pk,
                        case_id=case,
                        agency_id=agency,
                        template_id=template.pk,
                        origin=File.Origin.DRAWN,
                        state=File.State.SCORED,
                        total=total,
                        grade=grade,
                        vetoed=vetoed,
                        result={},
                        proposals={},
                    )
                )
        for i in range(0, len(files), sb.BATCH):
            insert(File, files[i : i + sb.BATCH])
        # inspection plans and their inspections (kept from an earlier run if there)
        if not Inspection.objects.filter(code__startswith="B0").exists():
            _inspections(rng, insert)
        # surveys and answers
        surveys = [
            Survey(
                body_id=body.pk,
                agency_id=agency,
                year=YEAR,
                title="2026年度满意度调查",
                key=f"bench{agency}",
                questions=[{"code": "q1", "text": "总体评价"}],
                mode=Survey.Mode.TOKEN,
                opens_on=date(2026, 11, 1),
                closes_on=date(2026, 12, 15),
                created_by_id=actor.pk,
            )
            for agency, _ in agencies
        ]
        insert(Survey, surveys)
        answers = []
        for s in surveys:
            for _ in range(args.answers_per_agency):
                mark = rng.choice((3, 4, 4, 5, 5))
                answers.append(
                    SurveyAnswer(
                        survey_id=s.pk,
                        marks={"q1": mark},
                        score=Decimal((mark - 1) * 25),
                        answered_on=ON,
                    )
                )
        for i in range(0, len(answers), sb.BATCH):
            insert(SurveyAnswer, answers[i : i + sb.BATCH])
        imported = SatisfactionImport.objects.create(
            body=body,
            year=YEAR,
            source="某第三方评估机构",
            filename="bench.xlsx",
            sha256="0" * 64,
            scores={str(a): str(Decimal(rng.randrange(6000, 10000)) / 100) for a, _ in agencies},
            imported_on=ON,
            created_by=actor,
        )
        record_rows(actor, "evaluation.satisfaction.import", [imported], on=ON)
        insert.finish()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generated in {time.perf_counter() - started:.0f} s: {len(files):,} scored files, "
        f"{len(surveys):,} surveys with {len(answers):,} answers, one import of "
        f"{len(agencies):,} scores"
    )


def bench_compute(body: Any, actor: Any) -> Any:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from zhifa.evaluation import services_efficiency as svc
    from zhifa.evaluation.models import EfficiencyResult, EfficiencyScheme

    scheme = EfficiencyScheme.objects.filter(body=body, year=YEAR).first()
    if scheme is None:
        scheme = svc.scheme_create(actor=actor, year=YEAR, on=ON)
    elif scheme.state == EfficiencyScheme.State.PUBLISHED:
        sys.exit("the bench's scheme is published: use a fresh data folder")
    for label in (
        "first computation" if not scheme.computed_on else "computation",
        "recomputation",
    ):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            scheme = svc.efficiency_compute(actor=actor, scheme=scheme, on=ON)
            seconds = time.perf_counter() - started
        n = EfficiencyResult.objects.filter(scheme=scheme, run=scheme.run).count()
        ranked = EfficiencyResult.objects.filter(
            scheme=scheme, run=scheme.run, rank__isnull=False
        ).count()
        print(
            f"  {label}: {seconds:6.1f} s for {n:,} agencies ({ranked:,} ranked), "
            f"{len(queries)} queries (goal ≤ 30 s)"
        )
    top = (
        EfficiencyResult.objects.filter(scheme=scheme, run=scheme.run)
        .select_related("agency")
        .order_by("rank")
        .first()
    )
    if top is not None:
        print(
            f"  first: {top.agency.name} total {top.total} (质量 {top.quality}, 履行 {top.duty}, "
            f"满意 {top.satisfaction})"
        )
    return scheme


def bench_documents(scheme: Any, actor: Any) -> None:
    from django.test import Client
    from django.utils import timezone

    from zhifa.evaluation import documents_efficiency as docs

    started = time.perf_counter()
    size = len(docs.report_xlsx(scheme))
    print(f"  region report .xlsx: {time.perf_counter() - started:5.1f} s, {size / 1024:,.0f} KB")
    started = time.perf_counter()
    size = len(docs.report_pdf(scheme, None, at=timezone.now()))
    print(f"  region report PDF:   {time.perf_counter() - started:5.1f} s, {size / 1024:,.0f} KB")
    client = Client()
    client.force_login(actor)
    times = []
    for _ in range(6):
        started = time.perf_counter()
        r = client.get(f"/evaluation/efficiency/{scheme.pk}/")
        times.append((time.perf_counter() - started) * 1000)
        assert r.status_code == 200, r.status_code
    print(f"  scheme page (5,000 rows): {sb._ms(times[1:])}, {len(r.content) / 1024:,.0f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-efficiency"))
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--scale-factor", type=float, default=1.0)
    parser.add_argument("--cases", type=int, default=200_000, help="cases of the year")
    parser.add_argument("--files-per-agency", type=int, default=10)
    parser.add_argument("--answers-per-agency", type=int, default=20)
    parser.add_argument("--skip-documents", action="store_true")
    args = parser.parse_args()
    sb._setup(args.data_dir)
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    sb.generate(args)
    body, actor = _body_and_supervisor()
    generate_efficiency(args, body, actor)
    print("效能评价 of the province:")
    scheme = bench_compute(body, actor)
    if not args.skip_documents:
        bench_documents(scheme, actor)


if __name__ == "__main__":
    main()
