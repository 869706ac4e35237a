"""Reads of early warnings: the lists a supervisor sees, the dashboard's counts, the replay
check of ``zhifa verify``.

Scope: a supervisor (or a regional admin) sees the warnings about agencies of its region, the
system administrator all, an agency's head those about its own agency; nobody else any.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.urls import NoReverseMatch, reverse

from zhifa.record.models import Entry
from zhifa.record.verification import Problem
from zhifa.registry.models import Account, Agency
from zhifa.registry.selectors import is_system_admin, region_of

from .models import Warning, WarningCount, WarningRun
from .rules import registered_rules

W = Warning.State
Role = Account.Role


def _in_region(qs: QuerySet[Any], prefix: str) -> QuerySet[Any]:
    """The rows whose ``division_code`` starts with ``prefix``, as a range of codes ("13" → from
    13 up to 14), which an index reads, where LIKE '13%' would scan."""
    upper = str(int(prefix) + 1).zfill(len(prefix))
    qs = qs.filter(division_code__gte=prefix)
    return qs.filter(division_code__lt=upper) if len(upper) == len(prefix) else qs


def warnings_visible_to(account: Account) -> QuerySet[Warning]:
    qs = Warning.objects.all()
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if is_system_admin(account):
        return qs
    prefix = region_of(account)
    if prefix is not None:
        return _in_region(qs, prefix)
    if account.role == Role.HEAD and account.agency_id is not None:
        return qs.filter(agency_id=account.agency_id)
    return qs.none()


def may_read_warnings(account: Account) -> bool:
    return account.is_authenticated and account.role in (Role.SUPERVISOR, Role.ADMIN, Role.HEAD)


def may_see_dashboard(account: Account) -> bool:
    return account.is_authenticated and account.role in (Role.SUPERVISOR, Role.ADMIN)


def may_act_on_warnings(account: Account) -> bool:
    """Only supervisors dismiss warnings and open matters from them."""
    return account.is_authenticated and account.role == Role.SUPERVISOR


def warnings_search(
    qs: QuerySet[Warning],
    *,
    rule: str = "",
    state: str = "",
    agency: int | None = None,
    q: str = "",
) -> QuerySet[Warning]:
    if rule:
        qs = qs.filter(rule=rule)
    if state:
        qs = qs.filter(state=state)
    if agency:
        qs = qs.filter(agency_id=agency)
    if q:
        qs = qs.filter(title__contains=q)
    # Newest first by id: the primary key walked backwards, no sort of a province's warnings.
    return qs.select_related("agency").order_by("-id")


# -- the dashboard -------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyCount:
    agency_id: int
    name: str
    open: int


@dataclass(frozen=True)
class RuleCount:
    code: str
    label: str
    open: int
    with_matter: int


@dataclass(frozen=True)
class Dashboard:
    total_open: int
    per_rule: list[RuleCount]
    per_agency: list[AgencyCount]
    agencies_with_warnings: int
    last_run: WarningRun | None


def counted_run_id() -> int | None:
    """The run whose count snapshot the dashboard reads (the latest that wrote one)."""
    return (
        WarningRun.objects.filter(counted=True).order_by("-id").values_list("id", flat=True).first()
    )


def _counts_visible_to(account: Account) -> QuerySet[WarningCount]:
    """The dashboard's count rows in the account's scope; the region as a range of division
    codes ("13" → 13… up to 14), which the index reads, where LIKE '13%' would scan."""
    # The latest snapshot with the changes appended to it since (append-only counts).
    qs = WarningCount.objects.filter(run_id=counted_run_id())
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if is_system_admin(account):
        return qs
    prefix = region_of(account)
    if prefix is not None:
        return _in_region(qs, prefix)
    if account.role == Role.HEAD and account.agency_id is not None:
        return qs.filter(agency_id=account.agency_id)
    return qs.none()


def open_per_agency(account: Account, rule: str) -> list[tuple[int, str, int]]:
    """(agency id, name, open warnings) of one rule in the account's scope, from the count rows
    (the daily run's snapshot with the changes appended since), the most first: what a to-do
    list per agency reads without counting the warnings themselves."""
    rows = (
        _counts_visible_to(account)
        .filter(rule=rule)
        .order_by()
        .values("agency_id", "agency__name")
        .annotate(n=Sum("open"))
        .filter(n__gt=0)
        .order_by("-n", "agency_id")
        .values_list("agency_id", "agency__name", "n")
    )
    return list(rows)


def dashboard(account: Account, *, top: int = 20) -> Dashboard:
    """Open warnings of the account's scope, per rule and per agency (the ``top`` agencies with
    the most), from the count rows the services append (``WarningCount``: the latest counted
    run's snapshot, one row per agency and rule with open warnings, plus the dismissals' and
    matters' changes appended since): two aggregates over its indexes and one read of the
    named agencies, whatever the number of warnings."""
    counts = _counts_visible_to(account).order_by()
    by_rule: dict[str, tuple[int, int]] = {
        rule: (n or 0, m or 0)
        for rule, n, m in counts.values("rule")
        .annotate(n=Sum("open"), m=Sum("with_matter"))
        .values_list("rule", "n", "m")
    }
    per_rule = [
        RuleCount(r.code, r.label, *by_rule.get(r.code, (0, 0))) for r in registered_rules()
    ]
    agencies = [
        (agency, n)
        for agency, n in counts.values("division_code", "agency_id")
        .annotate(n=Sum("open"))
        .values_list("agency_id", "n")
        if n
    ]
    agencies.sort(key=lambda a: (-a[1], a[0]))
    names = dict(
        Agency.objects.filter(pk__in=[a for a, _ in agencies[:top]]).values_list("id", "name")
    )
    return Dashboard(
        total_open=sum(r.open for r in per_rule),
        per_rule=per_rule,
        per_agency=[AgencyCount(a, names.get(a, ""), n) for a, n in agencies[:top]],
        agencies_with_warnings=len(agencies),
        last_run=WarningRun.objects.order_by("-started_at", "-id").first(),
    )


@dataclass(frozen=True)
class TodoCount:
    kind: str
    label: str
    count: int
    overdue: int


def todo_counts(account: Account, today: date) -> list[TodoCount]:
    """The account's to-do items (``zhifa.todos``: open matters, complaints awaiting
    acceptance, filings awaiting review, rectifications due — each registered by its app),
    counted per kind."""
    from zhifa.todos.items import todos_for

    counts: dict[tuple[str, str], list[int]] = {}
    for item in todos_for(account, today):
        c = counts.setdefault((item.kind, item.kind_label), [0, 0])
        c[0] += 1
        c[1] += int(item.overdue)
    return [
        TodoCount(k, label, n, o)
        for (k, label), (n, o) in sorted(counts.items(), key=lambda x: x[0][1])
    ]


# -- links of the facts ------------------------------------------------------------------------

_FACT_URLS: dict[str, str] = {
    "case": "case_detail",
    "officer": "officer_detail",
    "agency": "agency_detail",
}


def register_fact_url(kind: str, url_name: str) -> None:
    """A fact kind of another app (a filing, a complaint) and its page's URL name (``pk``)."""
    _FACT_URLS[kind] = url_name


def fact_url(fact: dict[str, Any]) -> str:
    name = _FACT_URLS.get(str(fact.get("kind")))
    if name is None:
        return ""
    try:
        return reverse(name, kwargs={"pk": int(fact["id"])})
    except (NoReverseMatch, KeyError, ValueError):
        return ""


def facts_with_urls(warning: Warning) -> list[dict[str, Any]]:
    return [{**fact, "url": fact_url(fact)} for fact in warning.facts]


# -- zhifa verify --------------------------------------------------------------------------


def warnings_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """``zhifa verify``: every dismissal and matter recorded (``alerts.dismiss``,
    ``alerts.matter_open``) against the warning rows — reason and matter as recorded — and every
    dismissed warning or warning with a matter has its entry. Case groups are not read: warnings
    are no case's entries."""
    del groups  # not read: see above
    yield from _runs_replay_check()
    dismissed: dict[int, tuple[str, int]] = {}
    matters: dict[int, tuple[int, int]] = {}
    for entry in Entry.objects.filter(action__in=("alerts.dismiss", "alerts.matter_open")).order_by(
        "seq"
    ):
        data = entry.data
        if entry.action == "alerts.dismiss":
            dismissed[int(data["warning"])] = (str(data["reason"]), entry.seq)
        else:
            matters[int(data["warning"])] = (int(data["matter"]), entry.seq)
    rows = Warning.objects.filter(
        Q(pk__in=list(dismissed) + list(matters))
        | Q(dismissed_at__isnull=False)
        | Q(matter_id__isnull=False)
    ).values_list("pk", "dismissed_reason", "dismissed_at", "matter_id")
    for pk, reason, dismissed_at, matter in rows:
        if dismissed_at is not None or pk in dismissed:
            rec = dismissed.get(pk)
            if rec is None or rec[0] != reason:
                yield Problem(
                    kind="warning_dismiss_mismatch",
                    seq=None if rec is None else rec[1],
                    message=f"预警{pk}的排除理由与全过程记录不一致",
                )
        if matter is not None or pk in matters:
            rec2 = matters.get(pk)
            if rec2 is None or rec2[0] != matter:
                yield Problem(
                    kind="warning_matter_mismatch",
                    seq=None if rec2 is None else rec2[1],
                    message=f"预警{pk}的监督事项与全过程记录不一致",
                )


def _runs_replay_check() -> Iterator[Problem]:
    """Every warning's opening, re-openings and resolution as the runs recorded them
    (``alerts.run``: the ids per rule): each warning was recorded opened, its state agrees with
    its last recorded change (resolved or not), and it was opened as many times as recorded."""
    last: dict[int, tuple[str, int]] = {}  # warning → (last change, seq)
    opened: dict[int, int] = {}
    for entry in Entry.objects.filter(action="alerts.run").order_by("seq"):
        for change in (entry.data.get("rules") or {}).values():
            for key in ("opened", "reopened", "resolved"):
                for pk in change.get(key, ()):
                    last[int(pk)] = (key, entry.seq)
                    if key != "resolved":
                        opened[int(pk)] = opened.get(int(pk), 0) + 1
    rows = Warning.objects.values_list("pk", "state", "times_opened").order_by("pk")
    for pk, state, times in rows.iterator(chunk_size=10000):
        change = last.get(pk)
        if change is None:
            yield Problem(
                kind="warning_run_missing",
                seq=None,
                message=f"预警{pk}未见于预警规则运行的全过程记录",
            )
            continue
        if (state == W.RESOLVED) != (change[0] == "resolved") or opened.get(pk, 0) != times:
            yield Problem(
                kind="warning_run_mismatch",
                seq=change[1],
                message=f"预警{pk}的状态与预警规则运行的全过程记录不一致",
            )
