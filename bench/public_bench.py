"""Public-portal benchmark: server time of every public page on the demo city.

    .venv/bin/python bench/public_bench.py [--data-dir var/bench-public] [--requests 30]

Uses its own data folder (created and loaded with ``zhifa demo`` — the demo city with its cases,
reviews and publications — unless it is there already; ``DATABASE_URL`` switches to PostgreSQL,
where the tables are then ANALYZEd as autovacuum would), settings ``config.settings.dev`` with
``DEBUG`` off, and times each public page through ``django.test.Client`` as an anonymous visitor:
one warm-up request, then ``--requests`` timed ones. Prints p50 / p95 / max in milliseconds and
the page size. The goal (issue 5) is p95 under 100 ms for every
public page. Pages not mounted in this build are listed as such, not timed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(data_dir: str) -> None:
    os.environ["ZHIFA_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - idempotent, fast when loaded
    print(f"demo city ready in {time.perf_counter() - t:.1f} s (data folder {data_dir})")
    from django.db import connection

    if connection.vendor == "postgresql":
        # The steady state: statistics as autovacuum gathers them within a minute or so of a
        # load. Without them the planner takes a freshly loaded table for one row and joins the
        # officers list by nested loops (45 ms instead of 17).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _pages() -> list[tuple[str, str]]:
    from zhifa.publicity.models import Publication
    from zhifa.registry.models import Agency, Certificate, PowerItem

    agency = Agency.objects.filter(name__endswith="市场监督管理局").order_by("pk").first()
    item = PowerItem.objects.filter(status="published").order_by("pk").first()
    certificate = Certificate.objects.order_by("pk").first()
    published = Publication.objects.filter(state="published").order_by("pk").first()
    withdrawn = Publication.objects.filter(state="withdrawn").order_by("pk").first()
    pages = [
        ("portal home", "/public/"),
        ("agencies", "/public/agencies/"),
        ("agencies, filtered", "/public/agencies/?q=市场"),
        ("officers", "/public/officers/"),
        ("officers, name search", "/public/officers/?q=王"),
        ("powers", "/public/powers/"),
        ("powers, search", "/public/powers/?q=食品"),
        ("inspection items", "/public/inspection-items/"),
        ("discretion benchmarks", "/public/discretion/"),
        ("lenient lists", "/public/lenient-lists/"),
        ("decisions", "/public/decisions/"),
        ("decision verify page", "/public/decisions/verify/"),
        ("search 罚款", "/public/search/?q=罚款"),
        ("search 食品 + kind", "/public/search/?q=食品&kind=penalty"),
        ("search CSV", "/public/search.csv?q=罚款"),
        ("statistics", "/public/statistics/"),
        ("API decisions", "/api/v1/public/decisions?q=罚款"),
    ]
    if agency is not None:
        pages.append(("agency detail", f"/public/agencies/{agency.pk}/"))
        pages.append(("agency Atom feed", f"/public/agencies/{agency.pk}/decisions.atom"))
    if item is not None:
        pages.append(("power item detail", f"/public/powers/{item.pk}/"))
    if certificate is not None:
        pages.append(("certificate check", f"/check/?q={certificate.number}"))
    if published is not None:
        pages.append(("decision detail", f"/public/decisions/{published.pk}/"))
        pages.append(("decision proof.json", f"/public/decisions/{published.pk}/proof.json"))
    if withdrawn is not None:
        pages.append(("withdrawn decision", f"/public/decisions/{withdrawn.pk}/"))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default="var/bench-public")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    _setup(args.data_dir)

    from django.test import Client

    client = Client()
    worst = 0.0
    print(f"\n{'page':<24} {'p50':>7} {'p95':>7} {'max':>7}  size")
    for label, url in _pages():
        first = client.get(url)
        if first.status_code == 404:
            print(f"{label:<24} not mounted in this build ({url})")
            continue
        assert first.status_code == 200, (url, first.status_code)
        size = len(first.content) if not first.streaming else 0
        times = []
        for _ in range(args.requests):
            t = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
            times.append((time.perf_counter() - t) * 1000)
        p95 = _percentile(times, 0.95)
        worst = max(worst, p95)
        print(
            f"{label:<24} {_percentile(times, 0.5):7.1f} {p95:7.1f} {max(times):7.1f}"
            f"  {size / 1024:.0f} KB"
        )
    verdict = "met" if worst < 100 else "NOT met"
    print(f"\nworst p95 {worst:.1f} ms — goal p95 < 100 ms for every public page: {verdict}")


if __name__ == "__main__":
    main()
