"""Party-history benchmark at province scale: ``cases.history.prior_violations``.

    .venv/bin/python bench/history_bench.py [--data-dir var/bench-history]
        [--scale-factor 0.1] [--cases 1000000] [--parties 300000] [--queries 2000]
    DATABASE_URL=postgres://… .venv/bin/python bench/history_bench.py --data-dir /tmp/bh-pg
    scripts/with-postgres.sh .venv/bin/python bench/history_bench.py --data-dir /tmp/bh-pg

1. migrates the data folder and loads 示范省 (``registry.demo.province_load``; ``--scale-factor``
   of its 5,000 bodies and 50,000 power items — the history query reads neither officers nor
   items beyond the case's own, so a tenth is enough) unless it is there; then ``--cases``
   cases over three years before ``TODAY`` for ``--parties`` distinct parties (80 %
   organisations by 统一社会信用代码, 20 % natural persons by 身份证号; each party at least one
   case, a few with many, most with a few), inserted in bulk with ``supervision_bench``'s
   inserter (model rows with ``executemany``, not the services: the bench measures the read).
   55 % general procedure decided, 35 % simple procedure, 5 % 不予处罚 with a ground, 5 % still
   open. Each party keeps to a few power items, so "same violation" hits are common; then
   ANALYZE;
2. times ``prior_violations`` for ``--queries`` random parties and items, both look-backs
   (首违: 2 years, any violation found; 从重 repeat: 1 year, penalties only), ending on a random
   day of the last year. Goal: p95 ≤ 20 ms on SQLite and PostgreSQL.
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

from supervision_bench import (
    BATCH,
    ROOT,
    TITLES,
    TZ,
    _credit_codes,
    _id_numbers,
    _Inserter,
    _ms,
    _percentile,
    _setup,
)

TODAY = date(2026, 12, 1)
YEARS = 3  # cases spread over the three years before TODAY


def _party_picker(rng: random.Random, n: int) -> list[float]:
    # Cumulative weights: a few parties have many cases (chains, repeat offenders).
    weights = [1.0 / (1 + (i % 50)) ** 0.5 for i in range(n)]
    total = 0.0
    cum = []
    for w in weights:
        total += w
        cum.append(total)
    return cum


def generate_cases(n_cases: int, n_parties: int, seed: int = 20261206) -> None:
    from django.db import connection, transaction

    from zhifa.cases.models import Case, Party
    from zhifa.registry.models import Account, PowerItem

    rng = random.Random(seed)
    insert = _Inserter()
    admin = Account.objects.get(username="admin")
    items: dict[int, list[tuple[int, int]]] = {}
    for pk, agency, domain in PowerItem.objects.filter(
        status=PowerItem.Status.PUBLISHED, category=PowerItem.Category.PENALTY
    ).values_list("id", "agency_id", "domain_id"):
        items.setdefault(agency, []).append((pk, domain))
    agencies = sorted(items)
    n_orgs = n_parties * 4 // 5
    orgs = _credit_codes(rng, n_orgs)
    people = _id_numbers(n_parties - n_orgs)
    identities: list[tuple[str, str]] = [("o", c) for c in orgs] + [("p", i) for i in people]
    cum = _party_picker(rng, len(identities))
    # Each party deals with a few agencies (its home county, a market regulator …).
    home: dict[int, list[int]] = {}
    Kind, S, G = Case.Kind, Case.State, Case.NotPenalisedGround
    grounds = [g for g, _ in G.choices]
    first_day = TODAY - timedelta(days=365 * YEARS)
    seq = Case.objects.count()
    started = time.perf_counter()
    made = 0
    # Every party has a case (the first len(identities) cases, in a shuffled order), then the
    # rest go by the weights.
    first_round = list(range(len(identities)))
    rng.shuffle(first_round)
    while made < n_cases:
        size = min(BATCH, n_cases - made)
        if made < len(first_round):
            picks = first_round[made : made + size]
            size = len(picks)
        else:
            picks = rng.choices(range(len(identities)), cum_weights=cum, k=size)
        cases: list[Case] = []
        who: list[int] = []
        for p in picks:
            seq += 1
            mine = home.get(p)
            if mine is None:
                mine = home[p] = rng.sample(agencies, 2)
            agency = rng.choice(mine)
            own = items[agency]
            # A party keeps to a few items of each agency.
            item, domain = own[(p * 7 + rng.randrange(3)) % len(own)]
            clue_on = first_day + timedelta(days=rng.randrange(365 * YEARS))
            fields: dict[str, Any] = {
                "agency_id": agency,
                "power_item_id": item,
                "domain_id": domain,
                "title": rng.choice(TITLES),
                "number": f"H{seq}",
                "clue_on": clue_on,
                "created_by_id": admin.pk,
                "created_at": datetime.combine(clue_on, datetime.min.time(), tzinfo=TZ),
            }
            roll = rng.random()
            decided_on = clue_on + timedelta(days=rng.randrange(10, 80))
            if roll < 0.05 or decided_on >= TODAY:
                fields.update(kind=Kind.PENALTY_GENERAL, state=S.INVESTIGATING)
                fields["registered_on"] = clue_on
            elif roll < 0.60:
                fields.update(
                    kind=Kind.PENALTY_GENERAL,
                    state=S.CLOSED,
                    registered_on=clue_on,
                    decided_on=decided_on,
                    decision_number=f"H罚〔{decided_on.year}〕{seq}号",
                    penalty_kinds=["fine"],
                    fine=Decimal(rng.choice((2000, 5000, 20000))),
                )
            elif roll < 0.95:
                fields.update(
                    kind=Kind.PENALTY_SIMPLE,
                    state=S.FILED,
                    decided_on=clue_on,
                    penalty_kinds=["fine"],
                    fine=Decimal(rng.choice((50, 100, 200))),
                )
            else:
                fields.update(
                    kind=Kind.PENALTY_GENERAL,
                    state=S.NOT_PENALISED,
                    registered_on=clue_on,
                    decided_on=decided_on,
                    decision_number=f"H不罚〔{decided_on.year}〕{seq}号",
                    end_ground=rng.choice(grounds),
                )
            cases.append(Case(**fields))
            who.append(p)
        with transaction.atomic():
            insert(Case, cases)
            parties = []
            for case, p in zip(cases, who, strict=True):
                kind, ident = identities[p]
                if kind == "o":
                    parties.append(
                        Party(
                            case_id=case.pk,
                            kind="organisation",
                            name=f"某某有限公司{p}",
                            credit_code=ident,
                            legal_representative="某",
                            added_on=case.clue_on,
                        )
                    )
                else:
                    parties.append(
                        Party(
                            case_id=case.pk,
                            kind="natural_person",
                            name="张某某",
                            id_number=ident,
                            added_on=case.clue_on,
                        )
                    )
            insert(Party, parties)
        made += size
        if made % 100_000 < BATCH or made == n_cases:
            rate = made / (time.perf_counter() - started)
            print(f"    {made:,} cases ({rate:,.0f}/s)", flush=True)
    insert.finish()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generated {n_cases:,} cases for {len(home):,} parties "
        f"in {time.perf_counter() - started:.0f} s"
    )


def generate(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from zhifa.cases.models import Case
    from zhifa.registry import demo

    call_command("migrate", verbosity=0)
    if not demo.province_loaded():
        result = demo.province_load(scale_factor=args.scale_factor, progress=False)
        c = result.counts
        print(
            f"generated 示范省 ×{args.scale_factor} in {result.seconds:.0f} s: {c.agencies:,} "
            f"agencies, {c.power_items:,} power items"
        )
    have = Case.objects.count()
    if have >= args.cases:
        print(f"{have:,} cases already there: generation not timed")
        return
    generate_cases(args.cases - have, args.parties)


def bench_queries(n: int, seed: int = 7) -> None:
    from django.db import connection

    from zhifa.cases.history import prior_violations
    from zhifa.cases.models import Party
    from zhifa.law import history

    rng = random.Random(seed)
    top = Party.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    samples: list[tuple[tuple[str, str], str, date, int]] = []
    while len(samples) < n:
        # A random party row stands for a random party weighted by its cases (as the officer
        # meets parties in cases); its item is the case's own.
        row = (
            Party.objects.filter(pk__gte=rng.randint(1, top))
            .order_by("pk")
            .values_list("credit_code", "id_number", "case__power_item__code", "case__agency_id")
            .first()
        )
        if row is None:
            continue
        credit, id_number, code, agency = row
        ident = ("credit_code", credit) if credit else ("id_number", id_number)
        until = TODAY - timedelta(days=rng.randrange(365))
        samples.append((ident, code, until, agency))
    print(f"database: {connection.vendor}; {n:,} random parties, each rule")
    for key in (history.FIRST_VIOLATION, history.REPEAT):
        times: list[float] = []
        hits = 0
        for ident, code, until, agency in samples[: min(50, n)]:  # warm the caches
            prior_violations(
                identifier=ident, item_code=code, until=until, key=key, asking_agency_id=agency
            )
        for ident, code, until, agency in samples:
            t0 = time.perf_counter()
            check = prior_violations(
                identifier=ident, item_code=code, until=until, key=key, asking_agency_id=agency
            )
            times.append((time.perf_counter() - t0) * 1000)
            hits += not check.clear
        ok = "ok" if _percentile(times, 0.95) <= 20 else "SLOWER than the goal"
        print(
            f"  prior_violations {key:16s} {_ms(times)}  ({hits:,} with a record; "
            f"goal p95 ≤ 20 ms: {ok})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-history"))
    parser.add_argument("--scale-factor", type=float, default=0.1, help="of the registry province")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--parties", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--skip-queries", action="store_true")
    args = parser.parse_args()
    _setup(args.data_dir)
    print(f"data folder: {Path(args.data_dir).resolve()}")
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    generate(args)
    if not args.skip_queries:
        bench_queries(args.queries)


if __name__ == "__main__":
    main()
