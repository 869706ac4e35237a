"""Statistics benchmark: the annual report of a region of 1,000,000 cases and of one agency.

    .venv/bin/python bench/statistics_bench.py [--data-dir var/bench-statistics]
        [--cases 1000000] [--agencies 1000] [--skip-generate] [--repeat 5]
    ZHIFA_DATA_DIR= scripts/with-postgres.sh .venv/bin/python bench/statistics_bench.py

1. migrates the data folder and, unless they are there, generates the derived facts
   (``statistics.Fact``) that ``counting.facts_of`` gives for ``--cases`` cases of 2026 in one
   region (示范市, division 1399xx, ``--agencies`` agencies over 20 counties): 40 % simple
   procedure penalties (heaviest type, 合计, 罚没金额, 简易程序, 结案: 5 facts), 30 % general
   procedure penalties (+ 立案, 普通程序, 法制审核, some 听证/复议/不予处罚: about 8), 30 %
   inspections (1) — about 4.6 facts a case — plus noise the queries must skip: 10 % as many
   cases in a neighbouring city (1398xx) and 10 % in the region's previous year. The rows are
   inserted in bulk (``executemany`` on SQLite, ``COPY`` on PostgreSQL), not through the
   services: the bench measures the reads. The facts point at one stub case per agency (the
   cases table is not read by the figures; the foreign key only needs a row), which is what
   makes a million cases' facts cheap to generate;
2. builds the monthly sums (``aggregates.months_rebuild``) unless they are there;
3. times, ``--repeat`` times after one warm-up (a query over 5 s only once more), the figures of
   the region and of its largest agency for 2026 as they were read before the monthly sums (one
   grouped query over the facts, "before") and as ``selectors.figures`` /
   ``selectors.figures_by_agency`` read them now ("after"), each against a plain SQL aggregate
   of the same counts (``GROUP BY indicator``) over the facts — or, with ``--monthly-plain``,
   over the monthly table — printing the ratio and whether the counts agree; then the full
   report (``selectors_publication.live_report``: tables assembled, powers held). Goals:
   region ≤ 2 s, agency ≤ 200 ms. ``--after-only`` skips the (slow) "before" queries.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2026
REGION = "139900"
NOISE_REGION = "139800"
BATCH = 50_000


def _setup(data_dir: str) -> None:
    os.environ["ZHIFA_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


# -- generation ------------------------------------------------------------------------------

KINDS = ("warning", "fine", "fine", "fine", "confiscation", "suspension", "revocation")


def _case_facts(rng: random.Random, day0: date) -> list[tuple[str, int, str | None]]:
    """(indicator, day offset, amount) of one generated case, as ``counting.facts_of`` emits."""
    r = rng.random()
    d = rng.randrange(365)
    if r < 0.3:  # an inspection
        return [("inspection.count", d, None)]
    kind = rng.choice(KINDS)
    amount = f"{rng.randrange(100, 200000)}.00" if kind != "warning" else None
    out: list[tuple[str, int, str | None]] = [
        (f"penalty.kind.{kind}", d, None),
        ("penalty.total", d, None),
    ]
    if amount:
        out.append(("penalty.amount", d, amount))
    out.append(("penalty.closed", min(d + rng.randrange(30), 364), None))
    if r < 0.7:
        out.append(("penalty.simple", d, None))
        return out
    out += [
        ("penalty.registered", max(d - rng.randrange(60), 0), None),
        ("penalty.general", d, None),
        ("penalty.legal_review", d, None),
    ]
    if rng.random() < 0.05:
        out.append(("penalty.hearing", d, None))
    if rng.random() < 0.03:
        out.append(("penalty.reconsidered", min(d + 40, 364), None))
    if rng.random() < 0.02:
        out.append(("penalty.not_penalised", d, "5000.00"))
    return out


def _agencies(prefix: str, n: int, serial0: int) -> list[Any]:
    from stdnum.cn import uscc

    from zhifa.registry.models import Agency

    out = []
    for i in range(n):
        county = f"{prefix}{1 + i % 20:02d}"
        body = f"11{county}{serial0 + i:09d}"[:17]
        out.append(
            Agency(
                name=f"示范{county}第{i + 1}执法局",
                credit_code=body + uscc.calc_check_digit(body),
                level="county",
                division_code=county,
                kind="statutory",
            )
        )
    return out


def _rows(
    rng: random.Random, agencies: list[tuple[int, str, int]], n_cases: int, year: int
) -> Iterator[tuple[int, int, str, str, date, str | None]]:
    """(case, agency, division, indicator, day, amount) of ``n_cases`` cases; agencies weighted
    so the largest holds about 1 % of the region's cases."""
    day0 = date(year, 1, 1)
    weights = [1.0 / (1 + i) ** 0.6 for i in range(len(agencies))]
    picks = rng.choices(agencies, weights=weights, k=n_cases)
    for agency_id, division, case_id in picks:
        for indicator, d, amount in _case_facts(rng, day0):
            yield case_id, agency_id, division, indicator, day0 + timedelta(days=d), amount


def _insert(rows: Iterator[tuple[Any, ...]]) -> int:
    from django.db import connection, transaction

    columns = ("case_id", "agency_id", "division_code", "indicator", "day", "amount")
    n = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY statistics_fact ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        else:
            sql = (
                f"INSERT INTO statistics_fact ({', '.join(columns)}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append((*row[:4], row[4].isoformat(), row[5]))
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                n += len(batch)
    return n


def generate(n_cases: int, n_agencies: int, seed: int = 20261206) -> None:
    from django.db import connection

    from zhifa.cases.models import Case
    from zhifa.registry.models import Account, Agency, Domain, PowerItem
    from zhifa.statistics.models import Fact

    rng = random.Random(seed)
    started = time.perf_counter()
    admin = Account.objects.create_user(username="bench-stats", role=Account.Role.ADMIN)
    domain, _ = Domain.objects.get_or_create(
        code="bench-market", defaults={"name": "市场监管（bench）"}
    )
    Agency.objects.bulk_create(_agencies(REGION[:4], n_agencies, 500_000), batch_size=2000)
    Agency.objects.bulk_create(
        _agencies(NOISE_REGION[:4], max(n_agencies // 10, 1), 600_000), batch_size=2000
    )
    made = list(
        Agency.objects.filter(credit_code__regex=r"^11139[89]").values_list("pk", "division_code")
    )
    PowerItem.objects.bulk_create(
        [
            PowerItem(
                agency_id=pk,
                code=f"BENCH-{pk}-{cat}",
                name=f"bench {cat}",
                category=cat,
                domain=domain,
                implementing_level="county",
                status=PowerItem.Status.PUBLISHED,
                published_on=date(2025, 12, 1),
            )
            for pk, _d in made
            for cat in ("penalty", "inspection")
        ],
        batch_size=2000,
    )
    item = PowerItem.objects.filter(code__startswith="BENCH-").first()
    assert item is not None
    Case.objects.bulk_create(
        [
            Case(
                agency_id=pk,
                kind="penalty_general",
                power_item=item,
                domain=domain,
                title="统计基准案件",
                state="closed",
                clue_on=date(2025, 12, 1),
                created_by=admin,
            )
            for pk, _d in made
        ],
        batch_size=2000,
    )
    stub = dict(Case.objects.filter(title="统计基准案件").values_list("agency_id", "pk"))
    region = [(pk, d, stub[pk]) for pk, d in made if d.startswith(REGION[:4])]
    noise = [(pk, d, stub[pk]) for pk, d in made if d.startswith(NOISE_REGION[:4])]
    n = _insert(_rows(rng, region, n_cases, YEAR))
    n += _insert(_rows(rng, noise, n_cases // 10, YEAR))
    n += _insert(_rows(rng, region, n_cases // 10, YEAR - 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generated {n:,} facts ({n_cases:,} cases of {YEAR} in {REGION}, "
        f"{n_cases // 10:,} in {NOISE_REGION}, {n_cases // 10:,} of {YEAR - 1}) for "
        f"{len(made):,} agencies in {time.perf_counter() - started:.1f} s; "
        f"{Fact.objects.count():,} facts in the table"
    )


# -- timing ----------------------------------------------------------------------------------


def _time(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(first run ms, median of the next ``repeat`` ms, result); a query over 5 s is run once
    more only (the machine is shared: minutes of repeats tell nothing more)."""
    t = time.perf_counter()
    result = fn()
    first = (time.perf_counter() - t) * 1000
    runs = []
    for _ in range(repeat if first < 5000 else 1):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return first, statistics.median(runs), result


PLAIN = (
    "SELECT indicator, COUNT(*), SUM(amount) FROM statistics_fact "
    "WHERE {where} AND day >= %s AND day <= %s GROUP BY indicator"
)
PLAIN_MONTHS = (
    "SELECT indicator, SUM(n), SUM(amount) FROM statistics_factmonth "
    "WHERE {where} AND month >= %s AND month <= %s GROUP BY indicator"
)
PLAIN_MONTHS_BY_AGENCY = (
    "SELECT agency_id, indicator, SUM(n), SUM(amount) FROM statistics_factmonth "
    "WHERE {where} AND month >= %s AND month <= %s GROUP BY agency_id, indicator"
)
PLAIN_BY_AGENCY = (
    "SELECT agency_id, indicator, COUNT(*), SUM(amount) FROM statistics_fact "
    "WHERE {where} AND day >= %s AND day <= %s GROUP BY agency_id, indicator"
)


def _plain(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _facts_figures(period: Any, **scope: Any) -> dict[str, Any]:
    """The figures as ``selectors.figures`` read them before the monthly sums: one grouped
    query over the facts (stats-core)."""
    from django.db.models import Count, Sum

    from zhifa.statistics.selectors import Figure, _facts

    rows = (
        _facts(period=period, **scope)
        .values("indicator")
        .annotate(n=Count("id"), amount=Sum("amount"))
        .order_by()
    )
    return {r["indicator"]: Figure(r["n"], r["amount"]) for r in rows}


def _facts_figures_by_agency(period: Any, **scope: Any) -> dict[int, dict[str, Any]]:
    from django.db.models import Count, Sum

    from zhifa.statistics.selectors import Figure, _facts

    out: dict[int, dict[str, Any]] = {}
    rows = (
        _facts(period=period, **scope)
        .values("agency_id", "indicator")
        .annotate(n=Count("id"), amount=Sum("amount"))
        .order_by()
    )
    for r in rows:
        out.setdefault(r["agency_id"], {})[r["indicator"]] = Figure(r["n"], r["amount"])
    return out


def bench(repeat: int, *, before: bool = True, monthly_plain: bool = False) -> None:
    from django.db import connection

    from zhifa.statistics import selectors
    from zhifa.statistics.periods import period_of
    from zhifa.statistics.selectors_publication import live_report, scope_of

    period = period_of(YEAR)
    days = [period.start.isoformat(), period.end.isoformat()]
    prefix = REGION[:4]
    largest = _plain(
        "SELECT agency_id, COUNT(*) FROM statistics_fact WHERE division_code LIKE %s "
        "AND day >= %s AND day <= %s GROUP BY agency_id ORDER BY 2 DESC LIMIT 1",
        [prefix + "%", *days],
    )[0][0]
    print(
        f"\n{connection.vendor}: annual report {YEAR}, times in ms (first run; median of {repeat})"
    )
    region_sql = (PLAIN.format(where="division_code LIKE %s"), [prefix + "%", *days])
    region_sql_by = (PLAIN_BY_AGENCY.format(where="division_code LIKE %s"), [prefix + "%", *days])
    agency_sql = (PLAIN.format(where="agency_id = %s"), [largest, *days])
    agency_sql_by = (PLAIN_BY_AGENCY.format(where="agency_id = %s"), [largest, *days])
    if monthly_plain:  # the after scenarios against plain SQL over the same monthly sums
        m_region = ([prefix + "%", *days], "division_code LIKE %s")
        m_agency = ([largest, *days], "agency_id = %s")
        after_sql = {
            "region": (PLAIN_MONTHS.format(where=m_region[1]), m_region[0]),
            "region_by": (PLAIN_MONTHS_BY_AGENCY.format(where=m_region[1]), m_region[0]),
            "agency": (PLAIN_MONTHS.format(where=m_agency[1]), m_agency[0]),
            "agency_by": (PLAIN_MONTHS_BY_AGENCY.format(where=m_agency[1]), m_agency[0]),
        }
    else:
        after_sql = {
            "region": region_sql,
            "region_by": region_sql_by,
            "agency": agency_sql,
            "agency_by": agency_sql_by,
        }
    region = {"agency_ids": None, "division_prefix": prefix}
    agency = {"agency_ids": [largest], "division_prefix": None}
    scenarios: list[tuple[str, Callable[[], Any], tuple[str, list[Any]], float]] = [
        (
            "region figures, facts (before)",
            lambda: _facts_figures(period, **region),
            region_sql,
            2000,
        ),
        (
            "region figures, monthly sums (after)",
            lambda: selectors.figures(period=period, division_prefix=prefix),
            after_sql["region"],
            2000,
        ),
        (
            "region figures_by_agency, facts (before)",
            lambda: _facts_figures_by_agency(period, **region),
            region_sql_by,
            2000,
        ),
        (
            "region figures_by_agency, monthly (after)",
            lambda: selectors.figures_by_agency(period=period, division_prefix=prefix),
            after_sql["region_by"],
            2000,
        ),
        (
            "agency figures, facts (before)",
            lambda: _facts_figures(period, **agency),
            agency_sql,
            200,
        ),
        (
            "agency figures, monthly sums (after)",
            lambda: selectors.figures(period=period, agency_ids=[largest]),
            after_sql["agency"],
            200,
        ),
        (
            "agency figures_by_agency, facts (before)",
            lambda: _facts_figures_by_agency(period, **agency),
            agency_sql_by,
            200,
        ),
        (
            "agency figures_by_agency, monthly (after)",
            lambda: selectors.figures_by_agency(period=period, agency_ids=[largest]),
            after_sql["agency_by"],
            200,
        ),
    ]
    print(f"  region {REGION} (prefix {prefix}); agency {largest}, the region's largest")
    if not before:
        scenarios = [sc for sc in scenarios if "(before)" not in sc[0]]
    for label, fn, (sql, params), goal in scenarios:
        first, median, result = _time(fn, repeat)
        pfirst, pmedian, plain = _time(lambda sql=sql, params=params: _plain(sql, params), repeat)
        if "by_agency" in label:
            same = sum(f.count for figs in result.values() for f in figs.values()) == sum(
                r[2] for r in plain
            )
        else:
            same = {k: f.count for k, f in result.items()} == {r[0]: r[1] for r in plain}
        counted = sum(r[-2] for r in plain)
        verdict = "ok" if median <= goal else f"MISSES {goal:.0f} ms"
        print(
            f"  {label:42} {first:8.1f} ; {median:8.1f}   plain SQL {pfirst:8.1f} ; "
            f"{pmedian:8.1f}   ratio {median / pmedian:5.2f}   {counted:,} facts  "
            f"same counts: {same}  {verdict}"
        )
    for label, scope in (
        (f"report of region {REGION} (live_report)", scope_of(region=REGION)),
        (f"report of agency {largest} (live_report)", scope_of(agency_id=largest)),
    ):
        first, median, _r = _time(lambda scope=scope: live_report(period, scope), repeat)
        print(f"  {label:42} {first:8.1f} ; {median:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-statistics"))
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=1000)
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--after-only", action="store_true", help="time the monthly sums only, not the facts"
    )
    parser.add_argument(
        "--monthly-plain",
        action="store_true",
        help="compare the monthly sums with plain SQL over the monthly table, not the facts",
    )
    args = parser.parse_args()
    data_dir = os.environ.get("ZHIFA_DATA_DIR") or args.data_dir
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    _setup(data_dir)
    from django.core.management import call_command
    from django.db import connection

    from zhifa.statistics.models import Fact

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    if not Fact.objects.exists():
        if args.skip_generate:
            sys.exit("--skip-generate given but there are no facts")
        generate(args.cases, args.agencies)
    else:
        print(f"{Fact.objects.count():,} facts already there: generation skipped")
    from zhifa.statistics.aggregates import months_rebuild
    from zhifa.statistics.models import FactMonth

    if not FactMonth.objects.exists():
        started = time.perf_counter()
        n = months_rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"monthly sums (aggregates.months_rebuild): {n:,} rows in "
            f"{time.perf_counter() - started:.1f} s"
        )
    bench(args.repeat, before=not args.after_only, monthly_plain=args.monthly_plain)


if __name__ == "__main__":
    main()
