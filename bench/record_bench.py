"""Record-log benchmark: append rate (signed heads included) and verification rate.

    .venv/bin/python bench/record_bench.py [--data-dir var/bench-record] [--entries 50000]
                                           [--keep]

1. starts from an empty data folder (removed first unless ``--keep``) and migrates it;
2. appends ``--entries`` entries one per transaction, then as many again 100 per transaction,
   through ``services.record_append`` — realistic ~500-byte payloads, heads signed as the
   service signs them (every 1,000 entries or 60 s) — and prints entries/s for each;
3. times ``verification.log_verify`` over the whole log (leaf hashes, tree nodes, heads; no
   evidence files, no case replay) as ``zhifa verify`` runs it (two worker processes from
   ``verification.PARALLEL_MIN_ENTRIES`` entries) and in this process alone (``workers=1``);
   then the baseline, a bare loop ``hashlib.sha256(b"\\x00" + leaf).digest()`` over every
   entry's leaf bytes (``canonical.entry_leaf_bytes``, the bytes the verifier hashes) held in a
   list in memory, in one process — so on one core. The ratio printed is verification entries/s
   divided by bare-loop entries/s;
4. times inclusion proofs of random entries against the latest head.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

ACTIONS = [
    "case.register",
    "case.investigate",
    "case.evidence.add",
    "case.notice.serve",
    "case.hearing.request",
    "case.decision.approve",
    "case.decision.serve",
    "case.payment.record",
]
FACTS = [
    "当事人未按规定在经营场所显著位置公示食品经营许可证，现场检查时发现过期食品三批次",
    "当事人超范围经营，销售未经检验的预包装食品，货值金额共计人民币一千二百元",
    "执法人员出示执法证件，告知当事人陈述、申辩的权利，当事人表示无异议并签字确认",
]


def _setup(data_dir: str, keep: bool) -> None:
    if not keep and Path(data_dir).exists():
        shutil.rmtree(data_dir)
    os.environ["ZHIFA_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log in memory, as in production
    call_command("migrate", verbosity=0)


def _payload(rng: random.Random, i: int) -> dict[str, Any]:
    return {
        "case_number": f"示范市监罚〔2026〕{i % 100000}号",
        "before": {"status": "investigating", "deadline": "2027-02-18"},
        "after": {"status": "notified", "deadline": "2027-02-25"},
        "officers": [rng.randrange(1, 100_000), rng.randrange(1, 100_000)],
        "facts": rng.choice(FACTS),
        "basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        "amount": Decimal(rng.randrange(100, 500_000)) / 100,
        "party": {"kind": "organisation", "name": "示范市甲区某某食品商行"},
    }


def _append(n: int, per_transaction: int, rng: random.Random, start: int) -> float:
    from django.db import transaction

    from zhifa.record.services import record_append

    payloads = [_payload(rng, start + i) for i in range(n)]  # built before the clock starts
    t = time.perf_counter()
    i = 0
    while i < n:
        with transaction.atomic():
            for _ in range(min(per_transaction, n - i)):
                record_append(
                    actor_id=rng.randrange(1, 100_000),
                    actor_name="张三",
                    role="officer",
                    action=ACTIONS[i % len(ACTIONS)],
                    payload=payloads[i],
                    case_id=(start + i) // 20,
                )
                i += 1
    return time.perf_counter() - t


def _leaf_bytes() -> list[bytes]:
    """Every entry's leaf bytes, rebuilt from the table as verification does (not timed)."""
    from django.db import connection

    from zhifa.record.canonical import entry_leaf_bytes
    from zhifa.record.models import Entry
    from zhifa.record.services import ENTRY_COLUMNS, quoted_columns
    from zhifa.record.verification import _iso

    q = connection.ops.quote_name
    columns = ", ".join(quoted_columns(Entry, ENTRY_COLUMNS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {q(Entry._meta.db_table)} ORDER BY {q('seq')}"  # noqa: S608
        )
        return [
            entry_leaf_bytes(
                seq=r[0],
                recorded_at=_iso(r[1]),
                actor_id=r[2],
                actor_name=r[3],
                role=r[4],
                case_id=r[5],
                action=r[6],
                payload=r[7],
                files=r[8],
                corrects_seq=r[9],
            )
            for r in cursor.fetchall()
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default="var/bench-record")
    parser.add_argument("--entries", type=int, default=50_000, help="per append mode")
    parser.add_argument("--keep", action="store_true", help="append to the existing log")
    args = parser.parse_args()
    _setup(args.data_dir, args.keep)

    from django.db import connection

    from zhifa.record import merkle, selectors
    from zhifa.record.models import Entry, SignedHead
    from zhifa.record.services import head_sign
    from zhifa.record.verification import log_verify

    rng = random.Random(2026)
    start = selectors.log_size()
    print(f"record log bench — {connection.vendor}, data folder {args.data_dir}, log size {start}")

    heads_before = SignedHead.objects.count()
    seconds = _append(args.entries, 1, rng, start)
    heads_1 = SignedHead.objects.count() - heads_before
    print(
        f"(a) append, 1 entry per transaction:    {args.entries:>8,} entries in {seconds:6.2f} s"
        f"  → {args.entries / seconds:8,.0f} entries/s  ({heads_1} heads signed)"
    )
    seconds = _append(args.entries, 100, rng, start + args.entries)
    heads_100 = SignedHead.objects.count() - heads_before - heads_1
    print(
        f"    append, 100 entries per transaction: {args.entries:>8,} entries in {seconds:6.2f} s"
        f"  → {args.entries / seconds:8,.0f} entries/s  ({heads_100} heads signed)"
    )
    head_sign()

    leaves = _leaf_bytes()
    sha = hashlib.sha256
    t = time.perf_counter()
    for data in leaves:
        sha(b"\x00" + data).digest()
    bare = time.perf_counter() - t
    bare_rate = len(leaves) / bare

    reports = [
        ("as zhifa verify runs it", log_verify(check_files=False, check_replay=False)),
        ("in this process alone", log_verify(check_files=False, check_replay=False, workers=1)),
    ]
    report = reports[0][1]
    size = report.size
    mb = report.entry_bytes / 1e6
    print(
        f"(b) verify (log_verify): {report.entries:,} entries, {report.nodes:,} tree nodes, "
        f"{report.heads} heads; leaf bytes {mb:.1f} MB, "
        f"mean {report.entry_bytes / max(1, size):.0f} B/entry"
    )
    for label, run in reports:
        assert run.ok and run.path == "fast", run.problems[:5]
        rate = run.entries / run.seconds
        print(
            f"    {label + ',':<24} {run.workers} process{'es' if run.workers > 1 else '':<2}:"
            f" {rate:10,.0f} entries/s {mb / run.seconds:7.1f} MB/s in {run.seconds:.2f} s"
            f" (entries + tree {run.timings['entries']:.2f} s, heads {run.timings['heads']:.2f}"
            f" s)  → ratio {rate / bare_rate:.2f}"
        )
    print(
        f"    bare hashlib loop, 1 process: {bare_rate:10,.0f} entries/s {mb / bare:7.1f} MB/s"
        '  (sha256(b"\\x00" + leaf) over the same leaves, in memory)'
    )
    verify_rate = reports[0][1].entries / reports[0][1].seconds

    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {connection.ops.quote_name(Entry._meta.db_table)}"  # noqa: S608
        )
        while cursor.fetchmany(4096):
            pass
    fetch = time.perf_counter() - t
    print(
        f"    reading the entry rows alone (SELECT *, no hashing, 1 process): "
        f"{size / fetch:10,.0f} rows/s  → ratio that / bare hashlib {size / fetch / bare_rate:.2f}"
    )

    t = time.perf_counter()
    frontier = merkle.Frontier()
    for data in leaves:
        frontier.append(sha(b"\x00" + data).digest())
    tree = time.perf_counter() - t
    print(
        f"    hashlib + tree in memory (no database): {len(leaves) / tree:10,.0f} entries/s"
        f"  → ratio verify / that {verify_rate / (len(leaves) / tree):.2f}"
    )

    n = 1000
    sample = list(Entry.objects.filter(seq__in=rng.sample(range(size), min(n, size))))
    t = time.perf_counter()
    for entry in sample:
        selectors.inclusion_proof_for(entry)
    proof = time.perf_counter() - t
    print(
        f"(c) inclusion proofs: {len(sample)} random entries, "
        f"{proof / len(sample) * 1000:.2f} ms each"
    )


if __name__ == "__main__":
    main()
