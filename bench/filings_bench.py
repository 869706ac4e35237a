"""The filings app at province scale: the list page of unfiled major decisions and the early
warning ``filing_overdue``, over a data folder ``supervision_bench.py`` generated.

    .venv/bin/python bench/filings_bench.py --data-dir D [--requests 20] [--skip-rule-run]

1. times ``GET /filings/`` as ``prov_supervisor`` (the province): page 1 of the unfiled list,
   a later page, and one agency's list (``?agency=N``, the to-do's link), ``--requests`` each
   after one warm-up;
2. times the rule alone: its collection (``alert_rule.collect``) and two full runs of it through
   ``alerts.services.warnings_refresh`` (the bench's day and the next), then an incremental one
   the day after (the rule runs in full when it cannot run incrementally).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from supervision_bench import TODAY, TZ, _ms, _setup


def bench_pages(requests: int) -> None:
    from django.test import Client

    from zhifa.cases.models import Case
    from zhifa.registry.models import Account

    account = Account.objects.get(username="prov_supervisor")
    client = Client()
    client.force_login(account)
    # An agency with unfiled decisions (the to-do's link filters by one).
    row = (
        Case.objects.filter(decided_on__isnull=False, major_filing__isnull=True, fine__gte=10_000)
        .values("agency_id")
        .order_by("agency_id")
        .first()
    )
    assert row is not None
    agency = row["agency_id"]
    scenarios = [
        ("GET /filings/ (page 1)", "/filings/"),
        ("GET /filings/?upage=40 (a later page)", "/filings/?upage=40"),
        (f"GET /filings/?agency={agency}", f"/filings/?agency={agency}"),
    ]
    print(f"\n(pages) as {account.username}, {requests} requests after one warm-up")
    for name, url in scenarios:
        t = time.perf_counter()
        first = client.get(url)
        warm = time.perf_counter() - t
        times = []
        for _ in range(requests):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        print(f"    {name:44} {_ms(times)}  (warm-up {warm:.2f} s, status {first.status_code})")


def bench_rule() -> None:
    from zhifa.alerts.rules import registered_rules, rule_setting
    from zhifa.alerts.services import warnings_refresh
    from zhifa.filings import alert_rule

    rule = next(r for r in registered_rules() if r.code == alert_rule.CODE)
    setting = rule_setting(rule)
    t = time.perf_counter()
    n = sum(1 for _ in rule.collect(setting, TODAY))
    print(f"\n(rule) filing_overdue collect alone: {time.perf_counter() - t:.2f} s, {n:,} findings")
    for label, day, full in (
        ("full", TODAY, True),
        ("full, the next day", TODAY + timedelta(days=1), True),
        ("daily job, the day after", TODAY + timedelta(days=2), False),
    ):
        t = time.perf_counter()
        run = warnings_refresh(
            today=day,
            at=datetime.combine(day, datetime.min.time(), tzinfo=TZ) + timedelta(hours=3),
            rules=[rule],
            full=full,
        )
        c = run.counts[rule.code]
        print(
            f"    run ({label}, {day}): {time.perf_counter() - t:6.2f} s  firing {c['firing']:,}"
            f"  opened {c['opened']:,}  reopened {c['reopened']:,}  resolved {c['resolved']:,}"
            f"  {run.modes[rule.code]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-rule-run", action="store_true")
    args = parser.parse_args()
    _setup(args.data_dir)
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if not args.skip_pages:
        bench_pages(args.requests)
    if not args.skip_rule_run:
        bench_rule()


if __name__ == "__main__":
    main()
