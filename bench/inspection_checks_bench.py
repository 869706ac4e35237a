"""Inspection-check benchmark at province scale: the caps, quiet-period and warning check an
inspection passes when it is requested and approved (``inspections.checks_rules.rules_check``).

    .venv/bin/python bench/inspection_checks_bench.py [--data-dir var/bench-inspections]
        [--scale-factor 0.1] [--entities 1000000] [--inspections 5000000] [--checks 2000]
    scripts/with-postgres.sh .venv/bin/python bench/inspection_checks_bench.py --data-dir /tmp/bi-pg

1. migrates the data folder and loads 示范省 (``registry.demo.province_load`` at
   ``--scale-factor`` of its 5,000 bodies and 50,000 items: the check reads the inspecting
   agency, its item and the caps, not the officers), then, unless they are there:
   ``--entities`` entities of the directory and ``--inspections`` inspections planned in 2026
   (the year the caps count), inserted in bulk with ``executemany`` (not the services: the
   bench measures the read). Each entity has three home agencies; 90 % of the inspections fall
   on a uniformly drawn entity, 10 % on 10,000 "busy" entities (≈ 55 inspections a year each:
   the worst case the caps and warnings read); 1 % of them have a visit entered late (补录,
   un-coded). States: 88 % approved, 6 % requested, 3 % refused, 3 % cancelled; grounds: 60 %
   日常, 20 % 双随机, 10 % 个案线索, 5 % 专项, 5 % 上级部署. Every inspection is a case: the cases
   are copied inside the database from one template case (the check reads no case column).
   Then the caps of every domain (县级 2, 市级 2, 合计 4; the demo's sources), a province-wide
   quiet period (1st–20th, 报备 3 days ahead) and ANALYZE;
2. times ``rules_check`` for ``--checks`` inspections about to be approved — half on busy
   entities, half on uniformly drawn ones, on a random day of 2026, by one of the entity's home
   agencies — each with its entity, agency and item loaded as the approval service loads them
   (``select_related``): one read of the entity's inspections around the planned day (index
   ``entity, planned_on``), the caps, the quiet periods, the agency's un-coded inspections.
   Goal: p95 ≤ 20 ms on SQLite and PostgreSQL (issue 14);
3. times the supervisor's periodic warning rules (``alert_rules.collect_*``) once each.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from supervision_bench import ROOT, TZ, _credit_codes, _ms, _percentile, _setup

YEAR = 2026
BUSY = 10_000
BATCH = 20_000
STATES = [("approved", 88), ("requested", 6), ("refused", 3), ("cancelled", 3)]
GROUNDS = [("routine", 60), ("random", 20), ("clue", 10), ("special", 5), ("upper", 5)]


def _cum(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    names, cum, total = [], [], 0
    for name, w in pairs:
        total += w
        names.append(name)
        cum.append(total)
    return names, cum


def _insert_rows(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) "  # noqa: S608 - model names
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _homes(agencies: list[int], e: int) -> tuple[int, int, int]:
    n = len(agencies)
    return agencies[(e * 7) % n], agencies[(e * 13 + 1) % n], agencies[(e * 31 + 2) % n]


def generate_entities(n: int, divisions: list[str], seed: int = 14) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from zhifa.inspections.models import Entity

    rng = random.Random(seed)
    started = time.perf_counter()
    codes = _credit_codes(rng, n)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    cats = ["", "", "", "industry", "construction", "trade", "services", "key_project"]
    cols = [
        "credit_code", "name", "legal_representative", "address", "division_code", "industry",
        "scale_category", "risk_class", "status", "created_at", "updated_at",
    ]  # fmt: skip
    for start in range(0, n, BATCH):
        rows = []
        for i in range(start, min(n, start + BATCH)):
            rows.append(
                (
                    codes[i],
                    f"示范省某某有限公司{i}",
                    "某某",
                    "示范省某地",
                    divisions[i % len(divisions)],
                    "制造业",
                    cats[i % len(cats)],
                    "ABCD"[min(3, int(rng.random() ** 2 * 4))],
                    "active",
                    now,
                    now,
                )
            )
        with transaction.atomic():
            _insert_rows(Entity._meta.db_table, cols, rows)
    print(f"    {n:,} entities in {time.perf_counter() - started:.0f} s", flush=True)


def _copy_cases(n: int) -> tuple[int, int]:
    """``n`` cases copied from one template inside the database; their id range."""
    from django.db import connection, transaction

    from zhifa.cases.models import Case
    from zhifa.registry.models import Account, PowerItem

    item = PowerItem.objects.filter(status="published").order_by("pk").first()
    assert item is not None
    admin = Account.objects.get(username="admin")
    template = Case.objects.create(
        agency_id=item.agency_id,
        kind=Case.Kind.INSPECTION,
        power_item=item,
        domain_id=item.domain_id,
        title="行政检查（基准数据）",
        state=Case.State.PLANNED,
        clue_on=date(YEAR, 1, 1),
        created_by=admin,
    )
    q = connection.ops.quote_name
    cols = [f.column for f in Case._meta.concrete_fields if f.column != "id"]
    col_list = ", ".join(q(c) for c in cols)
    table = q(Case._meta.db_table)
    first = template.pk + 1
    step = 500_000
    done = 0
    while done < n:
        k = min(step, n - done)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {table} ({col_list}) SELECT {col_list} FROM {table}, "  # noqa: S608
                    f"generate_series(1, %s) WHERE id = %s",
                    [k, template.pk],
                )
            else:
                cursor.execute(
                    f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "  # noqa: S608
                    f"WHERE n < %s) INSERT INTO {table} ({col_list}) SELECT {col_list} "
                    f"FROM {table}, s WHERE id = %s",
                    [k, template.pk],
                )
        done += k
    last = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert last == first + n - 1, "case ids are not contiguous"
    return first, last


def generate_inspections(n: int, seed: int = 1414) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from zhifa.inspections.models import Entity, Inspection, Visit
    from zhifa.registry.models import Officer, PowerItem

    rng = random.Random(seed)
    started = time.perf_counter()
    items: dict[int, list[tuple[int, int]]] = {}
    for pk, agency, domain in PowerItem.objects.filter(
        status=PowerItem.Status.PUBLISHED, category=PowerItem.Category.INSPECTION
    ).values_list("id", "agency_id", "domain_id"):
        items.setdefault(agency, []).append((pk, domain))
    agencies = sorted(items)
    e_first, e_last = (
        Entity.objects.order_by("pk").values_list("pk", flat=True)[0],
        (Entity.objects.order_by("-pk").values_list("pk", flat=True)[0]),
    )
    n_entities = e_last - e_first + 1
    print(f"    {len(agencies):,} agencies with inspection items; copying {n:,} cases", flush=True)
    case_first, _ = _copy_cases(n)
    print(f"    cases copied in {time.perf_counter() - started:.0f} s", flush=True)
    officer = Officer.objects.order_by("pk").values_list("pk", flat=True).first()
    adapt_d = connection.ops.adapt_datefield_value
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    requested = connection.ops.adapt_datetimefield_value(datetime(YEAR, 1, 2, 9, tzinfo=TZ))
    days = [adapt_d(date(YEAR, 1, 1) + timedelta(days=d)) for d in range(365)]
    states, state_cum = _cum(STATES)
    grounds, ground_cum = _cum(GROUNDS)
    cols = [
        "case_id", "agency_id", "entity_id", "power_item_id", "domain_id", "ground",
        "ground_reference", "planned_on", "year", "state", "requested_at", "decision_note",
        "emergency_reason", "quiet_exception", "quiet_exception_reason",
        "cap_override_reason", "counts_toward_cap", "code", "coded", "created_at",
    ]  # fmt: skip
    visit_cols = ["inspection_id", "officer_id", "kind", "at", "scanned", "late_reason",
                  "recorded_at"]  # fmt: skip
    made = 0
    first_inspection = (Inspection.objects.order_by("-pk").values_list("pk", flat=True).first()
                        or 0) + 1  # fmt: skip
    while made < n:
        size = min(BATCH, n - made)
        rows, visits = [], []
        for j in range(size):
            k = made + j
            e = rng.randrange(BUSY) if rng.random() < 0.1 else rng.randrange(n_entities)
            homes = _homes(agencies, e)
            agency = homes[rng.randrange(3)] if rng.random() < 0.9 else rng.choice(agencies)
            own = items[agency]
            item, domain = own[e % len(own)]
            ground = rng.choices(grounds, cum_weights=ground_cum)[0]
            state = rng.choices(states, cum_weights=state_cum)[0]
            day = rng.randrange(365)
            quiet = "upper" if (day % 30) < 20 and ground == "upper" else ""
            rows.append(
                (
                    case_first + k, agency, e_first + e, item, domain, ground,
                    "12345-线索" if ground == "clue" else "", days[day], YEAR, state,
                    requested, "", "", quiet, "", "", True, f"B{k}", state == "approved", now,
                )
            )  # fmt: skip
            if state == "approved" and rng.random() < 0.01 and officer is not None:
                visits.append(
                    (first_inspection + k, officer, "arrival", requested, False, "系统故障", now)
                )
        with transaction.atomic():
            _insert_rows(Inspection._meta.db_table, cols, rows)
            if visits:
                _insert_rows(Visit._meta.db_table, visit_cols, visits)
        made += size
        if made % 500_000 < BATCH or made == n:
            rate = made / (time.perf_counter() - started)
            print(f"    {made:,} inspections ({rate:,.0f}/s)", flush=True)
    last = Inspection.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert last == first_inspection + n - 1, "inspection ids are not contiguous"
    print(f"generated {n:,} inspections in {time.perf_counter() - started:.0f} s")


def rules_load() -> None:
    from zhifa.inspections import services_rules as s
    from zhifa.inspections.demo_rules import HEALTH_SOURCE, QUIET_SOURCE
    from zhifa.inspections.models import Cap, Ground, Inspection, QuietPeriod
    from zhifa.registry.models import Domain

    if Cap.objects.exists():
        return
    grounds = [Ground.ROUTINE, Ground.RANDOM, Ground.SPECIAL]
    for domain in Domain.objects.order_by("pk"):
        for level, limit in (("county", 2), ("city", 2), ("", 4)):
            s.cap_create(actor=None, name=f"{domain.name}·{level or '合计'}", limit=limit,
                         source=HEALTH_SOURCE, counted_grounds=grounds, domain=domain,
                         level=level, override_allowed=True)  # fmt: skip
    if not QuietPeriod.objects.exists():
        s.quiet_period_create(
            actor=None, name="示范省企业安静期", region_code="130000", days=[[1, 20]],
            source=QUIET_SOURCE, valid_from=date(YEAR, 1, 1),
            exception_grounds=list(Inspection.QuietException.values), filing_lead_days=3,
        )  # fmt: skip


def generate(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from zhifa.inspections.models import Entity, Inspection
    from zhifa.registry import demo
    from zhifa.registry.models import Agency

    call_command("migrate", verbosity=0)
    if not demo.province_loaded():
        result = demo.province_load(scale_factor=args.scale_factor, progress=False)
        c = result.counts
        print(
            f"generated 示范省 ×{args.scale_factor} in {result.seconds:.0f} s: {c.agencies:,} "
            f"agencies, {c.power_items:,} power items"
        )
    if Entity.objects.count() < args.entities:
        divisions = sorted(set(Agency.objects.values_list("division_code", flat=True)))
        generate_entities(args.entities - Entity.objects.count(), divisions)
    have = Inspection.objects.count()
    if have < args.inspections:
        generate_inspections(args.inspections - have)
    else:
        print(f"{have:,} inspections already there: generation not timed")
    rules_load()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def bench_checks(n: int, seed: int = 7) -> None:
    from django.db import connection
    from django.db.models import Count

    from zhifa.core.exceptions import RuleViolation
    from zhifa.inspections.checks_rules import rules_check
    from zhifa.inspections.models import Entity, Inspection
    from zhifa.registry.models import PowerItem

    rng = random.Random(seed)
    items: dict[int, list[int]] = {}
    for pk, agency in PowerItem.objects.filter(
        status=PowerItem.Status.PUBLISHED, category=PowerItem.Category.INSPECTION
    ).values_list("id", "agency_id"):
        items.setdefault(agency, []).append(pk)
    agencies = sorted(items)
    e_first = Entity.objects.order_by("pk").values_list("pk", flat=True)[0]
    n_entities = Entity.objects.count()
    samples = []
    for i in range(n):
        e = rng.randrange(BUSY) if i % 2 == 0 else rng.randrange(n_entities)
        agency = _homes(agencies, e)[rng.randrange(3)]
        item = items[agency][e % len(items[agency])]
        day = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
        samples.append((e_first + e, agency, item, day, i % 2 == 0))
    print(f"database: {connection.vendor}; {n:,} checks (half on busy entities)")

    def one(entity_id: int, agency_id: int, item_id: int, day: date) -> tuple[int, str]:
        item = PowerItem.objects.select_related("agency", "domain").get(pk=item_id)
        insp = Inspection(
            agency=item.agency,
            entity=Entity.objects.get(pk=entity_id),
            power_item=item,
            domain=item.domain,
            ground="routine",
            planned_on=day,
            year=day.year,
            state=Inspection.State.REQUESTED,
            quiet_exception="hazard" if day.day <= 20 else "",
            filed_on=day - timedelta(days=5),
            cap_override_reason="基准测试",
        )
        t0 = time.perf_counter()
        try:
            notices = rules_check(insp, day, "approve")
            outcome = f"{len(notices)}"
        except RuleViolation:
            outcome = "refused"
        return int((time.perf_counter() - t0) * 1_000_000), outcome

    for s in samples[:50]:  # warm the caches
        one(*s[:4])
    times: dict[bool, list[float]] = {True: [], False: []}
    refused = warned = 0
    for entity_id, agency_id, item_id, day, busy in samples:
        micros, outcome = one(entity_id, agency_id, item_id, day)
        times[busy].append(micros / 1000)
        refused += outcome == "refused"
        warned += outcome not in ("refused", "0")
    both = times[True] + times[False]
    ok = "ok" if _percentile(both, 0.95) <= 20 else "SLOWER than the goal"
    print(f"  rules_check  all      {_ms(both)}  (goal p95 ≤ 20 ms: {ok})")
    print(f"  rules_check  busy     {_ms(times[True])}")
    print(f"  rules_check  uniform  {_ms(times[False])}")
    print(f"  {refused:,} refused, {warned:,} with notices")
    counts = list(
        Inspection.objects.filter(entity_id__lt=e_first + BUSY, year=YEAR)
        .values("entity_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)[:2000]
    )
    if counts:
        print(f"  busy entities: {sum(counts) / len(counts):.0f} inspections a year on average")


def bench_alerts() -> None:
    from zhifa.alerts.rules import rule_setting
    from zhifa.inspections import alert_rules as ar

    today = date(YEAR, 12, 1)
    for code, fn in (
        ("inspection_same_agency_repeat", ar.collect_same_agency),
        ("inspection_many_agencies", ar.collect_many_agencies),
        ("inspection_uncoded", ar.collect_uncoded),
    ):
        setting = rule_setting(ar.RULES[code])
        t0 = time.perf_counter()
        found = list(fn(setting, today))
        print(f"  alerts {code:32s} {time.perf_counter() - t0:6.1f} s  ({len(found):,} warnings)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-inspections"))
    parser.add_argument("--scale-factor", type=float, default=0.1, help="of the registry province")
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--inspections", type=int, default=5_000_000)
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--skip-alerts", action="store_true")
    args = parser.parse_args()
    _setup(args.data_dir)
    print(f"data folder: {Path(args.data_dir).resolve()}")
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    generate(args)
    bench_checks(args.checks)
    if not args.skip_alerts:
        bench_alerts()


if __name__ == "__main__":
    main()
