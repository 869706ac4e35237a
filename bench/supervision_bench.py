"""Supervision benchmark at province scale: the warning run and the supervisor's dashboard.

    .venv/bin/python bench/supervision_bench.py [--data-dir var/bench-supervision]
        [--scale-factor 1.0] [--cases 1000000] [--skip-generate] [--requests 50]
    scripts/with-postgres.sh .venv/bin/python bench/supervision_bench.py --data-dir /tmp/b-pg

1. migrates the data folder and generates 示范省 (``registry.demo.province_load``: 5,000
   bodies, 100,000 officers with their certificates, status histories and training, 50,000
   power items) unless it is there; then a year of cases in bulk (model rows inserted with
   ``executemany``, not the
   services: the bench measures reads, not the case workflow) — ``--cases`` cases, 30 % general
   procedure (two recorded steps with two officers each, a party, the decision, its publication,
   a review verdict and round for the major ones), 40 % simple procedure (a party and a fine),
   30 % inspections — with a small share of each irregularity the rules look for (an overdue
   decision, a late or missing publication, a major decision without review, a party fined by
   two agencies for the same 案由); then ANALYZE;
2. times the full warning run (``alerts.services.warnings_refresh(full=True)``, every rule)
   twice: the first run (for ``TODAY``) opens every warning, the second (the next day) is the
   steady state of a full recompute: only the differences are written (every firing warning
   seen again, the overdue days grown). Goal: ≤ 60 s. Then the day after as the daily job runs
   it (incremental: the rules that can examine only what changed since their previous run);
3. times the supervisor's dashboard (``/supervision/dashboard/`` through ``django.test.Client``
   as the province's supervisor ``prov_supervisor``, and its API ``/api/v1/alerts/dashboard``),
   plus the first page of the warning list. Goal: p95 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 12, 1)  # the day the bench's warnings are computed for
TZ = ZoneInfo("Asia/Shanghai")
BATCH = 5000

TITLES = (
    "销售超过保质期的食品",
    "未取得许可从事经营活动",
    "生产不符合安全标准的产品",
    "虚假宣传",
    "未按规定明码标价",
    "超标排放污染物",
    "未批先建",
    "违规处置危险废物",
    "无证驾驶营运车辆",
    "超限运输",
    "非法占用耕地",
    "未经许可取水",
    "安全生产责任制不落实",
    "违规使用特种设备",
    "非法行医",
    "违规销售处方药",
    "未按规定设置消防设施",
    "违法建设",
    "占道经营",
    "擅自排放污水",
    "违规经营网吧",
    "无证经营娱乐场所",
    "未办理用工备案",
    "拖欠农民工工资",
    "非法采砂",
    "违法捕捞",
    "违规使用农药",
    "销售假冒种子",
    "违法发布广告",
    "计量器具未检定",
)


def _setup(data_dir: str) -> None:
    os.environ["ZHIFA_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False  # no query log in memory, as in production
    from django.urls import get_resolver

    # The URLconf loaded, as in a serving process (the run's notifications link to pages):
    # its one-time import (seconds: the API's schemas) is not the run's.
    get_resolver().url_patterns  # noqa: B018


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _ms(values: list[float]) -> str:
    return (
        f"p50 {_percentile(values, 0.5):7.1f}  p95 {_percentile(values, 0.95):7.1f}  "
        f"max {max(values):7.1f} ms"
    )


# -- generation ------------------------------------------------------------------------------


def _credit_codes(rng: random.Random, n: int) -> list[str]:
    from stdnum.cn import uscc

    out = []
    for i in range(n):
        body = f"91{rng.choice(('1301', '1302', '1303', '1304'))}00{i:09d}"[:17]
        out.append(body + uscc.calc_check_digit(body))
    return out


def _id_numbers(n: int) -> list[str]:
    from zhifa.core.testing import id_number

    return [id_number(i, born=date(1970 + i % 30, 1 + i % 12, 1 + i % 28)) for i in range(n)]


class _Inserter:
    """Rows in bulk at the speed of the driver: the model objects are built as for
    ``bulk_create`` (so every column gets its default), their primary keys given here, and the
    rows sent with ``executemany`` — Django's ``bulk_create`` spends most of its time preparing
    each value of each row in Python (~1 ms a case with its rows), which at a million cases is
    twenty minutes. Sequences are reset afterwards (PostgreSQL)."""

    def __init__(self) -> None:
        self.next_id: dict[type, int] = {}
        self.models: list[type] = []

    def __call__(self, model: Any, objs: list[Any]) -> None:
        from django.db import connection
        from django.db.models import DateTimeField, JSONField
        from django.utils import timezone

        if not objs:
            return
        if model not in self.next_id:
            last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
            self.next_id[model] = (last or 0) + 1
            self.models.append(model)
        fields = list(model._meta.concrete_fields)
        now = timezone.now()
        for obj in objs:
            obj.pk = self.next_id[model]
            self.next_id[model] += 1
            for f in fields:
                auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                if auto and getattr(obj, f.attname) is None:
                    setattr(obj, f.attname, now)
        prepared = {f.attname for f in fields if isinstance(f, (JSONField, DateTimeField))}
        qn = connection.ops.quote_name
        # Names from the model's own metadata; values as parameters.
        columns = ", ".join(qn(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        rows = [
            tuple(
                f.get_db_prep_save(getattr(o, f.attname), connection)
                if f.attname in prepared
                else getattr(o, f.attname)
                for f in fields
            )
            for o in objs
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def finish(self) -> None:
        from django.core.management.color import no_style
        from django.db import connection

        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def generate_cases(n_cases: int, seed: int = 20261201) -> None:
    """A year of cases before ``TODAY`` in bulk, with what the rules read."""
    from django.db import connection, transaction

    from zhifa.cases.models import Case, CaseStep, Party
    from zhifa.publicity.models import Publication
    from zhifa.registry.models import Account, Officer, PowerItem
    from zhifa.review.models import Assessment, Submission

    rng = random.Random(seed)
    insert = _Inserter()
    admin = Account.objects.get(username="admin")
    items: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, agency, domain in PowerItem.objects.filter(
        status=PowerItem.Status.PUBLISHED, category=PowerItem.Category.PENALTY
    ).values_list("id", "agency_id", "domain_id"):
        items[agency].append((pk, domain))
    officers: dict[int, list[int]] = defaultdict(list)
    for pk, agency in Officer.objects.filter(status=Officer.Status.SERVING).values_list(
        "id", "agency_id"
    ):
        officers[agency].append(pk)
    agencies = sorted(a for a in items if officers.get(a))
    # Busy and quiet bodies: a few do most of the cases, some none in a quarter.
    weights = [1.0 / (1 + (i % 97)) for i in range(len(agencies))]
    orgs = _credit_codes(rng, 200_000)
    people = _id_numbers(80_000)
    Kind, S = Case.Kind, Case.State
    first_day = TODAY - timedelta(days=365)
    counts: dict[str, int] = defaultdict(int)
    seq = Case.objects.count()
    started = time.perf_counter()
    made = 0
    while made < n_cases:
        size = min(BATCH, n_cases - made)
        picks = rng.choices(agencies, weights=weights, k=size)
        cases: list[Case] = []
        plans: list[dict[str, Any]] = []
        for agency in picks:
            seq += 1
            item, domain = rng.choice(items[agency])
            clue_on = first_day + timedelta(days=rng.randrange(365))
            roll = rng.random()
            plan: dict[str, Any] = {"agency": agency}
            fields: dict[str, Any] = {
                "agency_id": agency,
                "power_item_id": item,
                "domain_id": domain,
                "title": rng.choice(TITLES),
                "number": f"B{seq}",
                "clue_on": clue_on,
                "created_by_id": admin.pk,
                "created_at": datetime.combine(clue_on, datetime.min.time(), tzinfo=TZ),
            }
            if roll < 0.30:  # general procedure
                registered = clue_on + timedelta(days=rng.randrange(6))
                deadline = registered + timedelta(days=90)
                fields.update(
                    kind=Kind.PENALTY_GENERAL, registered_on=registered, decision_deadline=deadline
                )
                pending = (deadline < TODAY and rng.random() < 0.01) or (
                    deadline >= TODAY and rng.random() < 0.5
                )
                decided_on = registered + timedelta(days=rng.randrange(20, 89))
                if pending or decided_on >= TODAY:
                    fields["state"] = S.INVESTIGATING
                    counts["overdue" if deadline < TODAY else "pending"] += 1
                else:
                    fields.update(
                        state=S.CLOSED,
                        decided_on=decided_on,
                        decision_number=f"B罚〔2026〕{seq}号",
                        penalty_kinds=["fine"],
                        fine=Decimal(rng.choice((2000, 5000, 20000, 50000, 150000))),
                    )
                    plan["decided"] = decided_on
                    plan["major"] = fields["fine"] >= 100000
                plan["steps"] = (registered + timedelta(days=3), registered + timedelta(days=10))
                plan["party"] = True
            elif roll < 0.70:  # simple procedure: decided on the spot
                fields.update(
                    kind=Kind.PENALTY_SIMPLE,
                    state=S.FILED,
                    decided_on=clue_on,
                    penalty_kinds=["fine"],
                    fine=Decimal(rng.choice((50, 100, 200))),
                )
                plan["party"] = True
            else:
                fields.update(
                    kind=Kind.INSPECTION,
                    state=S.FINDINGS,
                    inspected_on=clue_on,
                    inspection_outcome="no_problem",
                )
            cases.append(Case(**fields))
            plans.append(plan)
        with transaction.atomic():
            insert(Case, cases)
            parties, steps, through, pubs, assessments, rounds = [], [], [], [], [], []
            for case, plan in zip(cases, plans, strict=True):
                if plan.get("party"):
                    if rng.random() < 0.7:
                        parties.append(
                            Party(
                                case_id=case.pk,
                                kind="organisation",
                                name=f"某某有限公司{rng.randrange(99999)}",
                                credit_code=rng.choice(orgs),
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
                                id_number=rng.choice(people),
                                added_on=case.clue_on,
                            )
                        )
                for on in plan.get("steps", ()):
                    if on < TODAY:
                        steps.append(
                            (
                                CaseStep(
                                    case_id=case.pk,
                                    kind="interview_record",
                                    on=on,
                                    created_by_id=admin.pk,
                                ),
                                plan["agency"],
                            )
                        )
                decided = plan.get("decided")
                if decided is not None:
                    due = decided + timedelta(days=9)
                    r = rng.random()
                    if r < 0.01 and due < TODAY:
                        state, published = Publication.State.DRAFT, None
                        counts["unpublished"] += 1
                    elif r < 0.03:
                        state, published = (
                            Publication.State.PUBLISHED,
                            due + timedelta(days=rng.randint(1, 10)),
                        )
                        counts["published late"] += 1
                    else:
                        state, published = (
                            Publication.State.PUBLISHED,
                            decided + timedelta(days=rng.randint(1, 9)),
                        )
                    pubs.append(
                        Publication(
                            agency_id=case.agency_id,
                            case_id=case.pk,
                            kind="penalty",
                            domain_id=case.domain_id,
                            decided_on=decided,
                            decision_number=case.decision_number,
                            state=state,
                            due_workdays=7,
                            due_on=due,
                            calendar_version="bench",
                            original_text="（决定书正文）",
                            published_on=published,
                            on_time=None if published is None else published <= due,
                            created_at=datetime.combine(decided, datetime.min.time(), tzinfo=TZ),
                        )
                    )
                    if plan.get("major"):
                        assessments.append(
                            Assessment(
                                case_id=case.pk,
                                on=decided - timedelta(days=5),
                                trigger="submitted",
                                major=True,
                                entry_seq=0,
                            )
                        )
                        if rng.random() < 0.97:
                            rounds.append(
                                Submission(
                                    case_id=case.pk,
                                    round=1,
                                    state="concluded",
                                    submitted_by_id=admin.pk,
                                    submitted_on=decided - timedelta(days=5),
                                    entry_seq=0,
                                    digest="0" * 64,
                                    tree_size=0,
                                    tree_root="0" * 64,
                                    time_limit_workdays=5,
                                    due_on=decided,
                                    calendar_version="bench",
                                    outcome="agree",
                                    outcome_label="同意",
                                    concluded_on=decided - timedelta(days=2),
                                )
                            )
                        else:
                            counts["major without review"] += 1
            insert(Party, parties)
            insert(CaseStep, [s for s, _ in steps])
            M2M = CaseStep.officers.through
            for step, agency in steps:
                pool = officers[agency]
                for officer in rng.sample(pool, min(2, len(pool))):
                    through.append(M2M(casestep_id=step.pk, officer_id=officer))
            insert(M2M, through)
            insert(Publication, pubs)
            insert(Assessment, assessments)
            insert(Submission, rounds)
            counts["parties"] += len(parties)
            counts["steps"] += len(steps)
            counts["publications"] += len(pubs)
        made += size
        if made % 100_000 < BATCH or made == n_cases:
            rate = made / (time.perf_counter() - started)
            print(f"    {made:,} cases ({rate:,.0f}/s)", flush=True)
    insert.finish()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generated {n_cases:,} cases in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
    )


def generate(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from zhifa.cases.models import Case
    from zhifa.registry import demo

    call_command("migrate", verbosity=0)
    if not demo.province_loaded():
        if args.skip_generate:
            sys.exit("--skip-generate given but the data folder holds no province")
        result = demo.province_load(scale_factor=args.scale_factor, progress=False)
        c = result.counts
        print(
            f"generated 示范省 ×{args.scale_factor} in {result.seconds:.0f} s: {c.agencies:,} "
            f"agencies, {c.officers:,} officers, {c.certificates:,} certificates, "
            f"{c.power_items:,} power items"
        )
    have = Case.objects.count()
    if have >= args.cases:
        print(f"{have:,} cases already there: generation not timed")
        return
    if args.skip_generate:
        sys.exit("--skip-generate given but the cases are missing")
    generate_cases(args.cases - have)


# -- the warning run -------------------------------------------------------------------------


def bench_run(label: str, day: date, *, full: bool = True, skip: tuple[str, ...] = ()) -> None:
    from zhifa.alerts.rules import registered_rules
    from zhifa.alerts.services import warnings_refresh

    times: list[tuple[str, float, int]] = []
    started = time.perf_counter()
    run = warnings_refresh(
        today=day,
        at=datetime.combine(day, datetime.min.time(), tzinfo=TZ) + timedelta(hours=3),
        on_rule=lambda code, s, n: (
            times.append((code, s, n)),
            print(f"    … {code} {s:.1f} s", flush=True),
        ),
        full=full,
        rules=[r for r in registered_rules() if r.code not in skip],
    )
    total = time.perf_counter() - started
    kind = "full" if full else "incremental"
    without = f", without {', '.join(skip)}" if skip else ""
    print(f"\n({label}) {kind} warning run{without}: {total:.1f} s (goal ≤ 60 s)")
    for code, seconds, firing in times:
        c = run.counts[code]
        print(
            f"    {code:22} {seconds:7.2f} s  firing {firing:7,}  opened {c['opened']:6,}  "
            f"reopened {c['reopened']:5,}  resolved {c['resolved']:5,}  {run.modes[code]}"
        )


# -- the dashboard ---------------------------------------------------------------------------


class _TooSlow(Exception):
    pass


def _too_slow(signum: int, frame: Any) -> None:
    raise _TooSlow


def _reconnect() -> None:
    """A request stopped in the middle of a query leaves PostgreSQL's connection busy: drop it
    (the next query opens a new one)."""
    from django.db import connection

    try:
        connection.close()
    except Exception:  # the broken connection itself
        connection.connection = None


def bench_dashboard(requests: int, limit: float = 30.0) -> None:
    from django.test import Client

    from zhifa.alerts import selectors
    from zhifa.alerts.models import Warning
    from zhifa.registry import services as registry
    from zhifa.registry.models import Account

    account = Account.objects.get(username="prov_supervisor")
    client = Client()
    client.force_login(account)
    _, raw = registry.api_token_issue(actor=account, name="bench")
    api = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    print(
        f"\n(c) the dashboard, {Warning.objects.filter(state='open').count():,} open warnings, "
        f"as {account.username} (the province), {requests} requests after one warm-up"
    )
    scenarios = [
        ("selectors.dashboard", lambda: selectors.dashboard(account)),
        ("GET /supervision/dashboard/", lambda: client.get("/supervision/dashboard/")),
        ("GET /api/v1/alerts/dashboard", lambda: client.get("/api/v1/alerts/dashboard", **api)),
        ("GET /supervision/warnings/ (page 1)", lambda: client.get("/supervision/warnings/")),
        (
            "GET /supervision/warnings/?rule=repeated_fines",
            lambda: client.get("/supervision/warnings/?rule=repeated_fines&state=open"),
        ),
    ]
    for name, call in scenarios:
        # A scenario whose one warm-up request takes longer than ``limit`` is reported, not
        # repeated (its reads do not scale; a run of 50 would take hours).
        signal.signal(signal.SIGALRM, _too_slow)
        signal.setitimer(signal.ITIMER_REAL, limit)
        started = time.perf_counter()
        try:
            first = call()
        except _TooSlow:
            print(f"    {name:48} one request over {limit:.0f} s: stopped, not timed")
            _reconnect()
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        status = getattr(first, "status_code", 200)
        if time.perf_counter() - started > limit / 4:
            print(f"    {name:48} one request {time.perf_counter() - started:.1f} s: not repeated")
            _reconnect()
            continue
        times = []
        for _ in range(requests):
            t = time.perf_counter()
            call()
            times.append((time.perf_counter() - t) * 1000)
        print(f"    {name:48} {_ms(times)}  (status {status})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-supervision"))
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--scale-factor", type=float, default=1.0, help="of the registry province")
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases of the year")
    parser.add_argument("--requests", type=int, default=50, help="requests per dashboard scenario")
    parser.add_argument("--skip-runs", action="store_true", help="time the dashboard only")
    parser.add_argument(
        "--skip-rule", action="append", default=[], help="a rule not run (repeatable)"
    )
    parser.add_argument(
        "--limit", type=float, default=30.0, help="seconds a dashboard request may take at most"
    )
    args = parser.parse_args()
    _setup(args.data_dir)
    print(f"data folder: {Path(args.data_dir).resolve()}")
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    generate(args)
    from zhifa.alerts.models import Warning

    if args.skip_runs:
        bench_dashboard(args.requests, args.limit)
        return
    if Warning.objects.exists():
        print("warnings already stored: the first run below is not the first")
    skip = tuple(args.skip_rule)
    bench_run("a", TODAY, skip=skip)
    bench_run(
        "b, the next day: every firing warning seen again", TODAY + timedelta(days=1), skip=skip
    )
    bench_run(
        "b2, the day after, as the daily job runs it: what changed since the day before",
        TODAY + timedelta(days=2),
        full=False,
        skip=skip,
    )
    bench_dashboard(args.requests, args.limit)


if __name__ == "__main__":
    main()
