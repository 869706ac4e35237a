"""Record-log benchmark: append rate (signed heads included) and verification rate.

    .venv/bin/python bench/record_bench.py [--data-dir var/bench-record] [--entries 50000]
                                           [--writers 4] [--keep]

1. starts from an empty data folder (removed first unless ``--keep``) and migrates it;
2. appends ``--entries`` entries one per transaction, then as many again 100 per transaction,
   then as many again from ``--writers`` concurrent writer processes, each appending one entry
   per transaction (as the workers of a web server would), through
   ``services.record_append`` — realistic ~500-byte payloads, heads signed as the service
   signs them (every 1,000 entries or 60 s) — and prints entries/s for each (for the writers:
   all their entries over the wall-clock time from their common start to the last one's end);
3. times ``verification.log_verify`` over the whole log (leaf hashes, tree nodes, heads; no
   evidence files, no case replay) as ``zhifa verify`` runs it (two worker processes from
   ``verification.PARALLEL_MIN_ENTRIES`` entries) and in this process alone (``workers=1``);
   then the baseline, a bare loop ``hashlib.sha256(b"\\x00" + leaf).digest()`` over every
   entry's leaf bytes (the ``leaf`` column, the bytes the verifier hashes) held in a list in
   memory, in one process — so on one core. The ratio printed is verification entries/s
   divided by bare-loop entries/s;
4. times inclusion proofs of random entries against the latest head.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import random
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
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


def _append(
    n: int,
    per_transaction: int,
    rng: random.Random,
    start: int,
    payloads: list[dict[str, Any]] | None = None,
) -> float:
    from django.db import transaction

    from zhifa.record.services import record_append

    if payloads is None:  # built before the clock starts
        payloads = [_payload(rng, start + i) for i in range(n)]
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


def _writer(
    n: int, seed: int, start: int, barrier: Any, results: Any
) -> None:  # pragma: no cover - runs in a child process
    """One writer process: ``n`` entries, one per transaction, after the common start."""
    from django.db import connection

    rng = random.Random(seed)
    payloads = [_payload(rng, start + i) for i in range(n)]
    connection.ensure_connection()
    barrier.wait()
    seconds = _append(n, 1, rng, start, payloads)
    connection.close()
    results.put(seconds)


def _append_concurrently(n: int, writers: int, start: int) -> float:
    """``n`` entries from ``writers`` processes, one entry per transaction each: the wall-clock
    seconds from their common start until the last one finished."""
    from django.db import connections

    connections.close_all()  # each child opens its own connection
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(writers + 1)
    results = context.Queue()
    shares = [n // writers + (1 if i < n % writers else 0) for i in range(writers)]
    processes = [
        context.Process(
            target=_writer,
            args=(share, 7000 + i, start + sum(shares[:i]), barrier, results),
        )
        for i, share in enumerate(shares)
    ]
    for process in processes:
        process.start()
    barrier.wait()
    t = time.perf_counter()
    for _ in processes:
        results.get()
    seconds = time.perf_counter() - t
    for process in processes:
        process.join()
        assert process.exitcode == 0, process.exitcode
    return seconds


def _bare_seconds(count: int) -> float:
    """The bare loop over ``count`` leaf-sized byte strings (made here: a forked worker that
    walked the parent's list would copy its pages as it touched the reference counts)."""
    sha = hashlib.sha256
    data = os.urandom(707)
    t = time.perf_counter()
    for _ in range(count):
        sha(b"\x00" + data).digest()
    return time.perf_counter() - t


def _leaf_bytes() -> list[bytes]:
    """Every entry's leaf bytes, as stored (not timed)."""
    from django.db import connection

    from zhifa.record.models import Entry

    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q('leaf')} FROM {q(Entry._meta.db_table)} ORDER BY {q('seq')}"  # noqa: S608
        )
        return [bytes(row[0]) for row in cursor.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default="var/bench-record")
    parser.add_argument("--entries", type=int, default=50_000, help="per append mode")
    parser.add_argument("--writers", type=int, default=4, help="concurrent writer processes")
    parser.add_argument("--keep", action="store_true", help="append to the existing log")
    args = parser.parse_args()
    _setup(args.data_dir, args.keep)

    from django.db import connection

    from zhifa.record import selectors
    from zhifa.record.models import Entry, SignedHead
    from zhifa.record.services import head_sign
    from zhifa.record.verification import log_verify

    rng = random.Random(2026)
    start = selectors.log_size()
    print(f"record log bench — {connection.vendor}, data folder {args.data_dir}, log size {start}")

    def heads() -> int:
        return SignedHead.objects.count()

    n = args.entries
    modes: list[tuple[str, Callable[[int], float]]] = [
        ("1 entry per transaction", lambda at: _append(n, 1, rng, at)),
        ("100 entries per transaction", lambda at: _append(n, 100, rng, at)),
        (
            f"{args.writers} writer processes, 1 per tx",
            lambda at: _append_concurrently(n, args.writers, at),
        ),
    ]
    for i, (label, append) in enumerate(modes):
        before = heads()
        seconds = append(start + i * n)
        print(
            f"{'(a)' if i == 0 else '   '} append, {label + ':':<38} {n:>8,} entries in "
            f"{seconds:6.2f} s  → {n / seconds:8,.0f} entries/s  ({heads() - before} heads signed)"
        )
    assert selectors.log_size() == start + len(modes) * n
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
            f"SELECT {connection.ops.quote_name('leaf')} "  # noqa: S608
            f"FROM {connection.ops.quote_name(Entry._meta.db_table)}"
        )
        while cursor.fetchmany(4096):
            pass
    fetch = time.perf_counter() - t
    print(
        f"    reading the leaves alone (SELECT leaf, no hashing, 1 process): "
        f"{size / fetch:10,.0f} rows/s  → ratio that / bare hashlib {size / fetch / bare_rate:.2f}"
    )

    # The floor of any verification: the leaf hashes plus the tree's inner nodes, level by
    # level in list comprehensions, in memory (no database, no checks), on one core.
    t = time.perf_counter()
    level = [sha(b"\x00" + data).digest() for data in leaves]
    while len(level) > 1:
        pairs = iter(level)
        odd = [level[-1]] if len(level) % 2 else []
        level = [sha(b"\x01" + a + b).digest() for a, b in zip(pairs, pairs, strict=False)] + odd
    tree = time.perf_counter() - t
    print(
        f"    hashlib + tree in memory (no database, 1 process): {len(leaves) / tree:10,.0f}"
        f" entries/s  → ratio that / bare hashlib {bare / tree:.2f};"
        f" ratio verify / that {verify_rate / (len(leaves) / tree):.2f}"
    )
    # What a second core adds on this machine: the same loop, once in one process and then
    # split over two running at the same time.
    count = len(leaves)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_bare_seconds, [1, 1]))  # both workers started
        one = _bare_seconds(count)
        t = time.perf_counter()
        list(pool.map(_bare_seconds, [count // 2, count - count // 2]))
        both = time.perf_counter() - t
    print(
        f"    bare hashlib loop split over 2 processes: speedup {one / both:.2f}× over one"
        " process (what a second core adds on this machine)"
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
