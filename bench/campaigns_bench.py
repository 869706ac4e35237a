"""Evaluation campaign benchmark at province scale: 1,000 files drawn and pre-scored.

    .venv/bin/python bench/campaigns_bench.py [--data-dir var/bench-supervision] [--files 1000]
        [--cases 1000000] [--skip-generate]
    scripts/with-postgres.sh .venv/bin/python bench/campaigns_bench.py --data-dir /tmp/bc-pg

1. the province and a year of cases as ``supervision_bench.py`` makes them (the same data
   folder serves both: 5,000 bodies, 100,000 officers, ``--cases`` cases in bulk, 30 % of them
   general-procedure penalties);
2. a provincial 司法局 with three supervisors and a published penalty template (once);
3. times ``campaign_plan`` over the agencies with the most decided general-procedure files
   (enough for ``--files`` files at ten per agency) and ``campaign_draw`` as a random 抽查: the
   population read through the cases selector and recorded with its SHA-256 and the seed
   (one entry), the draw, each file's template, reviewers (round-robin, recusal) and the
   record's proposals (``case_checks.findings_for``: as many checks as are registered), one
   entry for the draw. Goal: ≤ 60 s for 1,000 files.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import supervision_bench as sb  # noqa: E402 - after the path

PERIOD = (date(2025, 12, 1), date(2026, 11, 30))
ON = date(2026, 12, 2)


def _body() -> tuple[Any, list[Any]]:
    from zhifa.core.testing import credit_code, id_number
    from zhifa.registry import services as registry
    from zhifa.registry.models import Account, Agency, Domain

    admin = Account.objects.get(username="admin")
    body = Agency.objects.filter(name="示范省司法厅（评查基准）").first()
    if body is None:
        body = registry.agency_create(
            actor=admin,
            name="示范省司法厅（评查基准）",
            credit_code=credit_code(9901, division="130000"),
            level=Agency.Level.PROVINCE,
            division_code="130000",
            kind=Agency.Kind.STATUTORY,
            domains=list(Domain.objects.order_by("pk")[:1]),
        )
    sups = []
    for n in (1, 2, 3):
        acc = Account.objects.filter(username=f"bench_sup{n}").first()
        if acc is None:
            officer = registry.officer_create(
                actor=admin,
                agency=body,
                name=f"评查{n}",
                id_number=id_number(990000 + n, division="130000"),
            )
            acc = registry.account_create(
                actor=admin,
                username=f"bench_sup{n}",
                password="bench-pass-1234",  # noqa: S106 - a bench account
                role=Account.Role.SUPERVISOR,
                agency=body,
                region_code="130000",
                officer=officer,
            )
        sups.append(acc)
    return body, sups


def _template(sup: Any) -> None:
    from zhifa.evaluation import services
    from zhifa.evaluation.demo_campaigns import FALLBACK
    from zhifa.evaluation.models import Template

    if Template.objects.filter(key="BENCH-PENALTY").exists():
        return
    t = services.template_create(
        actor=sup,
        key="BENCH-PENALTY",
        name="处罚案卷评查标准（基准）",
        issuer="示范省司法厅",
        applies_to="penalty_general",
        valid_from=date(2025, 1, 1),
        content=FALLBACK,
        on=ON,
    )
    services.template_publish(actor=sup, template=t, on=ON)


def run(files: int) -> None:
    from django.db import connection
    from django.db.models import Count

    from zhifa.cases.selectors import cases_concluded_between
    from zhifa.evaluation import case_checks
    from zhifa.evaluation import services_campaigns as sc
    from zhifa.evaluation.models import TeamMember
    from zhifa.evaluation.record_checks import CHECKS
    from zhifa.registry.models import Agency

    _, sups = _body()
    _template(sups[0])
    per_agency = 10
    t = time.perf_counter()
    busiest = list(
        cases_concluded_between(
            agency_ids=Agency.objects.values_list("pk", flat=True),
            kinds=["penalty_general"],
            start=PERIOD[0],
            end=PERIOD[1],
        )
        .values("agency_id")
        .annotate(n=Count("id"))
        .filter(n__gte=per_agency)
        .order_by("-n", "agency_id")
        .values_list("agency_id", flat=True)[: max(1, files // per_agency)]
    )
    agencies = list(Agency.objects.filter(pk__in=busiest))
    print(
        f"chose {len(agencies)} agencies with ≥ {per_agency} decided general-procedure files "
        f"in {time.perf_counter() - t:.2f} s"
    )
    t = time.perf_counter()
    campaign = sc.campaign_plan(
        actor=sups[0],
        name=f"基准评查{time.time():.0f}",
        agencies=agencies,
        kinds=["penalty_general"],
        decided_from=PERIOD[0],
        decided_to=PERIOD[1],
        starts_on=ON,
        ends_on=date(2026, 12, 31),
        sampling_mode="random",
        sample_count=per_agency,
        on=ON,
    )
    for n, sup in enumerate(sups):
        sc.campaign_member_add(
            actor=sups[0],
            campaign=campaign,
            kind=TeamMember.Kind.SUPERVISOR,
            account=sup,
            is_leader=n == 0,
            on=ON,
        )
    plan_s = time.perf_counter() - t
    population = sum(len(v) for v in sc.campaign_population(campaign).values())
    t = time.perf_counter()
    drawn = sc.campaign_draw(
        actor=sups[0],
        campaign=campaign,
        on=ON,
        seed="bench",
    )
    draw_s = time.perf_counter() - t
    checks = sorted(CHECKS)
    print(
        f"plan + team: {plan_s:.2f} s; draw: {len(drawn):,} files from a population of "
        f"{population:,} over {len(agencies)} agencies, each with 2 reviewers and its "
        f"proposals ({len(checks)} record checks registered"
        f"{': ' + ', '.join(checks) if checks else ''}): {draw_s:.2f} s "
        f"({connection.vendor}; goal ≤ 60 s)"
    )
    del case_checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-supervision"))
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--scale-factor", type=float, default=1.0, help="of the registry province")
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases of the year")
    parser.add_argument("--files", type=int, default=1000, help="files to draw")
    args = parser.parse_args()
    sb._setup(args.data_dir)
    print(f"data folder: {Path(args.data_dir).resolve()}")
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    sb.generate(args)
    run(args.files)


if __name__ == "__main__":
    main()
