"""Redaction benchmark: decisions per second on one core at full recall (issue 5: ≥ 1,000/s).

    .venv/bin/python bench/redact_bench.py [--decisions 5000] [--seed 4711] [--skip-cli]

1. generates N labelled 行政处罚决定书 (``zhifa/publicity/tests/redaction_corpus.py``: parties,
   ID numbers, phones, addresses, bank cards and accounts, property certificates, e-mails,
   witnesses and other persons after every name label, half of them with a surname that is also
   a function word (向阳, 于海涛, 东方明); look-alikes: credit codes, document numbers, officers'
   certificate numbers, hotlines, citations, amounts, dates, registered addresses, prose after a
   name label (证人向其证实, 委托代理人于2026年…); ambiguous numbers), with a seed no test uses
   (4711: text the engine was not tuned on);
2. times ``redaction.redact`` over all of them in this process (one core), printing
   decisions/s, characters/s and per-decision percentiles, then recall per kind, the keep rate
   and the share of ambiguous numbers flagged, from the labels; then name recall per context
   rule (names the case does not know, after 证人： / 证人 without a colon …), overall;
3. times ``zhifa redact --jsonl`` on the same decisions as a subprocess (one process, one core),
   with and without its start-up, and checks its output equals the in-process result.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _zhifa() -> list[str]:
    script = Path(sys.executable).parent / "zhifa"
    return [str(script)] if script.exists() else [sys.executable, "-m", "zhifa.cli"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=4711)
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    _setup()

    from zhifa.publicity.redaction import Kind, redact
    from zhifa.publicity.tests.redaction_corpus import Score, generate

    started = time.perf_counter()
    decisions = generate(args.decisions, seed=args.seed)
    chars = sum(len(d.text) for d in decisions)
    print(
        f"generated {len(decisions)} decisions in {time.perf_counter() - started:.1f} s: "
        f"{chars / len(decisions):.0f} characters and "
        f"{sum(len(d.personal) for d in decisions) / len(decisions):.1f} personal values each, "
        f"{sum(1 for d in decisions if d.known) / len(decisions):.0%} with the case's known values"
    )

    redact(decisions[0].text, decisions[0].known)  # compile the rules' patterns once
    per_decision: list[float] = []
    results = []
    cpu = time.process_time()
    wall = time.perf_counter()
    for d in decisions:
        t = time.perf_counter()
        results.append(redact(d.text, d.known))
        per_decision.append(time.perf_counter() - t)
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    per_decision.sort()
    q = statistics.quantiles(per_decision, n=100)
    print(
        f"\n(a) redaction.redact in one process\n"
        f"    {len(decisions) / wall:,.0f} decisions/s   {chars / wall / 1e6:.2f} M characters/s   "
        f"(wall {wall:.2f} s)\n"
        f"    {len(decisions) / cpu:,.0f} decisions per CPU second   "
        f"{chars / cpu / 1e6:.2f} M characters per CPU second (CPU {cpu:.2f} s)\n"
        f"    per decision: mean {wall / len(decisions) * 1e3:.3f} ms  p50 {q[49] * 1e3:.3f}  "
        f"p95 {q[94] * 1e3:.3f}  p99 {q[98] * 1e3:.3f}  max {per_decision[-1] * 1e3:.3f}"
    )

    score = Score()
    for d, r in zip(decisions, results, strict=True):
        score.add(d, r)
    print(f"\n(b) on the labels\n{score.report()}")
    for kind, text in score.misses[:10]:
        print(f"    missed {kind}: {text}")
    for what, text in score.damaged[:10]:
        print(f"    damaged {what}: {text}")
    print(
        f"\n(b) name recall per context rule (names the case does not know)\n{score.rules_report()}"
    )
    print(
        f"\n    name recall {score.recall(Kind.PERSON_NAME):.2%} "
        f"({score.found[Kind.PERSON_NAME]}/{score.total[Kind.PERSON_NAME]}), "
        f"by context alone {score.context_name_recall:.2%}; "
        f"keep rate {score.keep_rate:.2%} ({score.kept}/{score.keep_total})"
    )

    if args.skip_cli:
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        with source.open("w", encoding="utf-8") as f:
            for d in decisions:
                known = [
                    {"value": k.value, "kind": k.kind}
                    if k.replacement is None
                    else {"value": k.value, "kind": k.kind, "replacement": k.replacement}
                    for k in d.known
                ]
                f.write(json.dumps({"text": d.text, "known": known}, ensure_ascii=False) + "\n")
        env = {**os.environ, "ZHIFA_DATA_DIR": tmp, "PYTHONIOENCODING": "utf-8"}
        command = [*_zhifa(), "redact", "--jsonl"]

        def children_cpu() -> float:
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            return usage.ru_utime + usage.ru_stime

        with open(os.devnull, "rb") as empty:
            c = children_cpu()
            t = time.perf_counter()
            subprocess.run(command, stdin=empty, env=env, check=True, capture_output=True)  # noqa: S603
            startup = time.perf_counter() - t
            startup_cpu = children_cpu() - c
        with source.open("rb") as stdin:
            c = children_cpu()
            t = time.perf_counter()
            done = subprocess.run(  # noqa: S603
                command, stdin=stdin, env=env, check=True, capture_output=True
            )
            total = time.perf_counter() - t
            total_cpu = children_cpu() - c
        lines = done.stdout.decode("utf-8").splitlines()
        same = len(lines) == len(results) and all(
            json.loads(line)["text"] == r.text for line, r in zip(lines, results, strict=False)
        )
        print(
            f"\n(c) {' '.join(command[-2:])} < {len(decisions)} JSON lines "
            f"({source.stat().st_size / 1e6:.1f} MB)\n"
            f"    {len(decisions) / total:,.0f} decisions/s including start-up "
            f"({total:.2f} s; start-up alone {startup:.2f} s) → "
            f"{len(decisions) / max(total - startup, 1e-9):,.0f} decisions/s after start-up\n"
            f"    CPU {total_cpu:.2f} s (start-up {startup_cpu:.2f} s) → "
            f"{len(decisions) / max(total_cpu - startup_cpu, 1e-9):,.0f} decisions per CPU second "
            f"after start-up\n"
            f"    output {'equals' if same else 'DIFFERS FROM'} the in-process result"
        )


if __name__ == "__main__":
    main()
