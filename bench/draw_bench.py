"""双随机 draw benchmark at province scale: 1,000,000 entities and 100,000 officers.

    .venv/bin/python bench/draw_bench.py [--entities 1000000] [--officers 100000]
    .venv/bin/python bench/draw_bench.py --db --data-dir /tmp/bench-draw          # + SQLite
    scripts/with-postgres.sh .venv/bin/python bench/draw_bench.py --db --data-dir /tmp/bd-pg

(a) The rule alone (``zhifa.inspections.draw``, no database): generates the identifiers
    (统一社会信用代码 with their check digit, 执法证件编号), then times
    - **freeze**: each pool sorted and de-duplicated, serialised (one a line, "\\n" each) and
      hashed (SHA-256) — the entities in four risk-class pools, the officers in one;
    - **rank + select**: every identifier ranked by SHA-256(C + "/" + D) and each pool's top k
      taken at the default ratios (A 5 %, B 5 %, C 21 %, D 61 %) with 1 % of the candidates
      skipped (as recused or closed), the inspectors' count twice the entities drawn;
    - **verify**: ``draw.verify_document`` over the published document (every pool's hash and
      ranking again, the checkpoint's signature).
    Goal: freeze + rank + select ≤ 10 s.
(b) With ``--db``: migrates the data folder, inserts the entities into the directory
    (``inspections.Entity``, bulk, not the services) unless they are there, and times the
    services themselves on a joint task of three agencies: ``random_task_freeze`` (the
    directory query, the pools, their hashes, the record entry) and, after a head of the seed
    size is signed, ``random_task_draw`` (ranking, skips, the record entry), then the public
    document (``draw_document_for``) and its verification.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLASSES = "ABBCCCDA"  # a province's mix: more B and C than A and D


def _credit_codes(rng: random.Random, n: int) -> list[str]:
    from stdnum.cn import uscc

    divisions = ("130102", "130203", "130302", "130403", "130502", "130602")
    out = []
    for i in range(n):
        body = f"91{divisions[i % len(divisions)]}{rng.randrange(36**9):09d}"[:17]
        body = body[:8] + f"{i:09d}"  # unique
        out.append(body + uscc.calc_check_digit(body))
    return out


def _certificates(n: int) -> list[str]:
    return [f"13{(i * 7919) % 10000:04d}{i:06d}" for i in range(n)]


def _s(t: float) -> str:
    return f"{t:6.2f} s"


def pure(n_entities: int, n_officers: int) -> dict[str, float]:
    from zhifa.inspections import draw
    from zhifa.record.checkpoint import Checkpoint, Signer, sign_checkpoint

    rng = random.Random(20261206)
    t = time.perf_counter()
    codes = _credit_codes(rng, n_entities)
    classes = [CLASSES[rng.randrange(len(CLASSES))] for _ in codes]
    certificates = _certificates(n_officers)
    rng.shuffle(codes)
    print(
        f"generated {len(codes):,} credit codes and {len(certificates):,} certificate numbers "
        f"in {time.perf_counter() - t:.1f} s"
    )
    by_class: dict[str, list[str]] = {c: [] for c in "ABCD"}
    for code, cls in zip(codes, classes, strict=True):
        by_class[cls].append(code)

    gc.collect()
    t0 = time.perf_counter()
    pools: dict[str, list[str]] = {}
    hashes: dict[str, str] = {}
    for cls, members in by_class.items():
        pools[cls] = draw.pool_members(members)
        hashes[cls] = draw.pool_sha256(pools[cls])
    pools["inspectors"] = draw.pool_members(certificates)
    hashes["inspectors"] = draw.pool_sha256(pools["inspectors"])
    freeze = time.perf_counter() - t0

    sizes = {cls: len(pools[cls]) for cls in "ABCD"}
    counts = draw.default_counts(sizes)
    counts["inspectors"] = min(n_officers, 2 * sum(counts.values()))
    seed = hashlib.sha256(b"a root hash").hexdigest()
    skip_every = 100  # 1 %: recused or closed since the freeze

    def skip(identifier: str) -> str | None:
        return "依法回避" if hash(identifier) % skip_every == 0 else None

    t1 = time.perf_counter()
    results = {name: draw.select(pools[name], seed, counts[name], skip) for name in pools}
    rank = time.perf_counter() - t1

    signer = Signer("bench.example/record", bytes(range(32)))
    note = sign_checkpoint(Checkpoint("bench.example/record", 10, bytes.fromhex(seed)), signer)
    doc = draw.draw_document(
        task={"id": 1},
        pools=[
            draw.PoolResult(
                name,
                pools[name],
                hashes[name],
                counts[name],
                results[name].selected,
                [{"id": s.id, "reason": s.reason} for s in results[name].skipped],
            )
            for name in pools
        ],
        seed_size=10,
        checkpoint=note,
        seed=seed,
    )
    t2 = time.perf_counter()
    report = draw.verify_document(doc, key=signer.verifier.key)
    verify = time.perf_counter() - t2
    assert report.ok, report.failures

    print("\n(a) the rule alone, in memory")
    print(
        "    pools: "
        + ", ".join(f"{c} {sizes[c]:,} (k={counts[c]:,})" for c in "ABCD")
        + f", inspectors {len(pools['inspectors']):,} (k={counts['inspectors']:,})"
    )
    print(f"    freeze (sort, serialise, SHA-256 of 5 pools)   {_s(freeze)}")
    print(f"    rank + select (1 % skipped)                    {_s(rank)}")
    print(f"    freeze + rank + select                         {_s(freeze + rank)}  (goal ≤ 10 s)")
    print(f"    verify the published document                  {_s(verify)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"    peak resident memory {peak:.0f} MB")
    return {"freeze": freeze, "rank": rank, "verify": verify}


# -- (b) the services on a database ----------------------------------------------------------


def _setup(data_dir: str) -> None:
    os.environ["ZHIFA_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def _insert_entities(codes: list[str], classes: list[str]) -> None:
    from django.db import connection, transaction

    from zhifa.inspections.models import Entity

    table = connection.ops.quote_name(Entity._meta.db_table)
    sql = (
        f"INSERT INTO {table} (credit_code, name, legal_representative, address, "  # noqa: S608
        "division_code, industry, scale_category, risk_class, status, created_at, updated_at) "
        "VALUES (%s, %s, '', '', %s, %s, '', %s, 'active', %s, %s)"
    )
    from django.utils import timezone

    now = timezone.now()
    batch = 20000
    with transaction.atomic():
        for start in range(0, len(codes), batch):
            rows = [
                (code, f"企业{start + i}", code[2:8], "餐饮" if i % 3 else "零售", cls, now, now)
                for i, (code, cls) in enumerate(
                    zip(codes[start : start + batch], classes[start : start + batch], strict=True)
                )
            ]
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)


def database(n_entities: int, data_dir: str) -> None:
    _setup(data_dir)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from zhifa.core.testing import make_personas
    from zhifa.inspections import draw, selectors_draws, services_draws
    from zhifa.inspections.models import Entity, RandomTask
    from zhifa.inspections.tests.draws_fixtures import grow_log, joint
    from zhifa.record.selectors import log_size
    from zhifa.record.services import head_sign, public_verifier_key
    from zhifa.registry.models import Account

    today = date(2026, 9, 1)
    if not Account.objects.filter(username="admin").exists():
        joint(make_personas(), entities=0)  # three agencies, their items and inspectors
    have = Entity.objects.count()
    if have < n_entities:
        rng = random.Random(20261206)
        codes = _credit_codes(rng, n_entities)
        classes = [CLASSES[rng.randrange(len(CLASSES))] for _ in codes]
        t = time.perf_counter()
        _insert_entities(codes[have:], classes[have:])
        print(f"inserted {n_entities - have:,} entities in {time.perf_counter() - t:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    officer = Account.objects.get(username="p1")
    from zhifa.registry.models import Agency, PowerItem

    items = list(PowerItem.objects.filter(code__startswith="JC-", status="published"))
    partners = list(
        Agency.objects.filter(pk__in=[i.agency_id for i in items]).exclude(pk=officer.agency_id)
    )
    task = services_draws.random_task_create(
        actor=officer, title="省级联合抽查", items=items, participants=partners, today=today
    )
    t = time.perf_counter()
    task = services_draws.random_task_freeze(actor=officer, task=task, today=today)
    freeze = time.perf_counter() - t
    assert task.seed_size is not None
    grow_log(task.seed_size - log_size())
    head_sign()
    t = time.perf_counter()
    task = services_draws.random_task_draw(actor=officer, task=task, today=today)
    drawn = time.perf_counter() - t
    t = time.perf_counter()
    doc = selectors_draws.draw_document_for(task)
    document = time.perf_counter() - t
    t = time.perf_counter()
    report = draw.verify_document(doc, key=public_verifier_key())
    verify = time.perf_counter() - t
    assert report.ok, report.failures
    task = RandomTask.objects.get(pk=task.pk)
    pools = selectors_draws.task_pools(task)
    print(f"\n(b) the services on {connection.vendor}, {Entity.objects.count():,} entities")
    print(
        "    pools: "
        + ", ".join(f"{p.name} {p.size:,} (k={p.count:,}, skipped {len(p.skipped)})" for p in pools)
    )
    print(f"    random_task_freeze (directory query, pools, hashes, entry)  {_s(freeze)}")
    print(f"    random_task_draw (ranking, skips, entry)                    {_s(drawn)}")
    print(f"    freeze + draw                                               {_s(freeze + drawn)}")
    print(f"    draw_document_for (the public JSON's data)                  {_s(document)}")
    print(f"    verify_document                                             {_s(verify)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--db", action="store_true", help="also time the services on a database")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-draw"))
    args = parser.parse_args(argv)
    figures: dict[str, Any] = pure(args.entities, args.officers)
    if args.db:
        database(args.entities, args.data_dir)
    return 0 if figures["freeze"] + figures["rank"] <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
