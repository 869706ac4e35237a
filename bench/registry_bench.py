"""Registry benchmark at province scale: prints its figures (STYLE: speed is measured).

    .venv/bin/python bench/registry_bench.py [--data-dir var/bench] [--skip-generate]

1. migrates the data folder and generates 示范省 (5,000 bodies, 100,000 officers, 50,000 power
   items) unless it is there, timing the generation;
2. times ``selectors.officer_may_act`` over random officers, domains and dates;
3. times the officer list and the power-item list through ``django.test.Client`` for the
   account of the largest agency and for the province-wide supervisor: page 1, a deep page, a
   name search and a filter (the selectors behind them when the pages are not wired yet);
4. times the registry's part of ``zhifa verify`` (``registry.replay``): every registry row
   against the keyed state digest the latest entry that wrote it recorded, with the peak memory.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setup(data_dir: str) -> None:
    os.environ["ZHIFA_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False  # no query log in memory, as in production


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _ms(values: list[float]) -> str:
    return (
        f"p50 {_percentile(values, 0.5):7.1f}  p95 {_percentile(values, 0.95):7.1f}  "
        f"max {max(values):7.1f}"
    )


def generate(skip: bool) -> None:
    from django.core.management import call_command

    from zhifa.registry import demo

    call_command("migrate", verbosity=0)
    if demo.province_loaded():
        print("示范省 already loaded: generation not timed")
        return
    if skip:
        sys.exit("--skip-generate given but the data folder holds no province")
    result = demo.province_load(progress=True)
    c = result.counts
    print(
        f"generated 示范省 in {result.seconds:.1f} s: {c.agencies} agencies, "
        f"{c.officers} officers, {c.certificates} certificates ({c.status_changes} status "
        f"changes), {c.trainings} training records, {c.exams} exams, "
        f"{c.power_items} power-item versions ({c.bases} bases)"
    )


def bench_eligibility(n: int) -> None:
    from zhifa.registry import selectors
    from zhifa.registry.models import Domain, Officer

    rng = random.Random(42)
    ids = list(Officer.objects.values_list("pk", flat=True))
    picked = rng.sample(ids, min(n, len(ids)))
    officers = list(
        Officer.objects.select_related("agency")
        .prefetch_related("agency__domains")
        .filter(pk__in=picked)
        .order_by("pk")
    )
    domains = list(Domain.objects.all())
    # Mostly the question a case asks (its own domain), sometimes a domain it does not cover.
    calls = [
        (
            o,
            rng.choice(list(o.agency.domains.all())) if rng.random() < 0.8 else rng.choice(domains),
            date(2026, 1, 1) + timedelta(days=rng.randint(0, 364)),
        )
        for o in officers
    ]
    times: list[float] = []
    allowed = 0
    started = time.perf_counter()
    for officer, domain, on in calls:
        t = time.perf_counter()
        allowed += selectors.officer_may_act(officer, domain, on).allowed
        times.append((time.perf_counter() - t) * 1000)
    wall = time.perf_counter() - started
    print(
        f"\n(a) selectors.officer_may_act — {len(calls)} random officers, 2026 dates, "
        "80 % their own domain"
    )
    print(
        f"    mean {statistics.mean(times):.2f} ms  p50 {_percentile(times, 0.5):.2f}  "
        f"p95 {_percentile(times, 0.95):.2f}  p99 {_percentile(times, 0.99):.2f}  "
        f"→ {len(calls) / wall:,.0f} calls/s  ({allowed} allowed)"
    )


def _bench_agency_account() -> Any:
    """A login at the agency with the most officers (the worst case for agency scope)."""
    from django.db.models import Count

    from zhifa.registry import services
    from zhifa.registry.models import Account, Agency

    existing = Account.objects.filter(username="bench_agency").first()
    if existing is not None:
        return existing
    agency = Agency.objects.annotate(n=Count("officers")).order_by("-n", "pk").first()
    return services.account_create(
        actor=None,
        username="bench_agency",
        password="bench-only-not-a-login",  # noqa: S106
        role=Account.Role.OFFICER,
        agency=agency,
        display_name="基准测试",
    )


def _scenarios() -> dict[str, list[tuple[str, dict[str, str]]]]:
    return {
        "officer_list": [
            ("page 1", {}),
            ("page 200", {"page": "200"}),
            ("search q=王", {"q": "王"}),
            ("filter 证件状态=有效", {"certificate_status": "valid"}),
        ],
        "power_item_list": [
            ("page 1", {}),
            ("page 200", {"page": "200"}),
            ("search q=食品", {"q": "食品"}),
            ("filter 行政检查·已发布", {"category": "inspection", "status": "published"}),
        ],
    }


def _selector_request(list_name: str, account: Any, params: dict[str, str]) -> Callable[[], object]:
    """What the list page does, without the page: search, paginate, read one page."""
    from django.conf import settings
    from django.core.paginator import Paginator

    from zhifa.registry import selectors

    def run() -> object:
        if list_name == "officer_list":
            qs: Any = selectors.officers_search(
                selectors.officers_visible_to(account),
                q=params.get("q", ""),
                certificate_status=params.get("certificate_status", ""),
            )
        else:
            qs = selectors.power_items_search(
                selectors.power_items_visible_to(account),
                q=params.get("q", ""),
                category=params.get("category", ""),
                status=params.get("status", ""),
            )
        page = Paginator(qs, settings.PAGE_SIZE).get_page(params.get("page"))
        return list(page.object_list)

    return run


def _caller(
    url: str | None, client: Any, list_name: str, account: Any, params: dict[str, str]
) -> Callable[[], object]:
    if url is None:
        return _selector_request(list_name, account, params)

    def call() -> object:
        response = client.get(url, params)
        assert response.status_code == 200, response.status_code
        return response

    return call


def bench_lists(requests: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from zhifa.registry.models import Account

    accounts = [
        ("agency", _bench_agency_account()),
        ("supervisor", Account.objects.get(username="prov_supervisor")),
    ]
    print(f"\n(b) list pages — {requests} requests each after one warm-up, times in ms")
    agency = accounts[0][1].agency
    print(f"    agency account: {agency.name} ({agency.officers.count()} officers)")
    slow: list[tuple[str, list[tuple[float, str]]]] = []
    for list_name, scenarios in _scenarios().items():
        try:
            url: str | None = reverse(list_name)
        except NoReverseMatch:
            url = None
        how = f"GET {url}" if url else "selectors + Paginator (page not wired)"
        print(f"\n    {list_name} — {how}")
        for who, account in accounts:
            client = Client()
            client.force_login(account)
            for label, params in scenarios:
                call = _caller(url, client, list_name, account, params)

                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    response = call()
                    first = (time.perf_counter() - t) * 1000
                size = len(getattr(response, "content", b"")) // 1024
                # Read them now: the next request clears the connection's query log.
                queries = [(float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries]
                n = requests if first < 2000 else max(3, requests // 10)
                times = []
                for _ in range(n):
                    t = time.perf_counter()
                    call()
                    times.append((time.perf_counter() - t) * 1000)
                sql_ms = sum(q for q, _ in queries)
                print(
                    f"      {who:<10} {label:<24} {_ms(times)}  "
                    f"({len(queries)} queries, {sql_ms:.0f} ms in SQL, {size} KB"
                    f"{'' if n == requests else f', {n} requests'})"
                )
                if _percentile(times, 0.5) > 200:
                    slow.append((f"{list_name} {who} {label}", sorted(queries, reverse=True)[:3]))
    if slow:
        print("\n    slowest SQL of the scenarios over 200 ms (warm-up request):")
        for name, queries in slow:
            print(f"      {name}")
            for ms, sql in queries:
                print(f"        {ms:7.1f} ms  {sql[:220]}")


def bench_replay() -> None:
    import resource

    from zhifa.record.models import Entry
    from zhifa.registry import replay

    rows = sum(t.model._default_manager.count() for t in replay.TRACKED)
    entries = Entry.objects.filter(case_id__isnull=True).count()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    problems = list(replay.registry_replay_check([]))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("\n(c) registry replay (the registry's part of zhifa verify)")
    print(
        f"    {rows:,} rows of {len(replay.TRACKED)} tables against {entries:,} entries without a "
        f"case: {seconds:.1f} s ({rows / seconds:,.0f} rows/s), {len(problems)} problems, "
        f"peak resident memory {peak / 1024:.0f} MB (+{max(peak - before, 0) / 1024:.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--officers", type=int, default=2000, help="officer_may_act calls")
    parser.add_argument("--requests", type=int, default=30, help="requests per list scenario")
    args = parser.parse_args()
    _setup(args.data_dir)
    print(f"data folder: {Path(args.data_dir).resolve()}")
    generate(args.skip_generate)
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    bench_eligibility(args.officers)
    bench_lists(args.requests)
    bench_replay()


if __name__ == "__main__":
    main()
