"""Reads of the search index: the only source of the public decision lists (page, JSON, CSV,
Atom) and of the statistics.

One SQL shape serves every list. The query's tokens and the facet filters (agency, domain,
kind, division prefix) become one full-text condition — FTS5 ``MATCH`` on SQLite, a tsquery
``@@`` the GIN-indexed tsvector on PostgreSQL —; the date range becomes a range of the sort key
(``models.entry_key``), the amounts a condition on the joined row. Newest first is the key's
descending order, so SQLite walks the FTS5 doclists backwards and stops at the page: nothing is
sorted, however many decisions match. Counting stops at ``COUNT_CAP``.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Count, Max, Q, QuerySet
from django.db.models.functions import Cast, Substr

from .models import KEY_DAY, Entry
from .services import DIVISION_PREFIX_LENGTHS, HEAD_MARK, KINDS, facet_token
from .tokenize import query_tokens

# Counting every match of a one-character query over a million decisions costs more than
# showing them; past this many the lists say "more than 10,000" and page no further.
COUNT_CAP = 10_000
# The most rows one CSV download holds.
EXPORT_LIMIT = 100_000


class Sort:
    """The orders a list can take (code → label in SORT_LABELS)."""

    NEWEST = "newest"  # decision date, newest first (the default)
    RELEVANCE = "relevance"  # every word in the title, subject or number first, then newest
    AMOUNT = "amount"  # fine + confiscation, largest first (models.amount_key); none last


SORT_LABELS = {
    Sort.NEWEST: "决定日期（新→旧）",
    Sort.RELEVANCE: "相关度",
    Sort.AMOUNT: "金额（高→低）",
}


@dataclass(frozen=True)
class SearchQuery:
    """What the public asked for; every field optional."""

    q: str = ""
    agency: int | None = None
    domain: str = ""
    kind: str = ""
    decided_from: date | None = None
    decided_to: date | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    division: str = ""  # a division-code prefix: 13, 1303, 130302 …
    sort: str = Sort.NEWEST
    terms: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "terms", tuple(query_tokens(self.q)))


@dataclass(frozen=True)
class _Plan:
    """The SQL pieces of one query, for the database in use."""

    tokens: tuple[str, ...]  # all required in the full-text index
    head: tuple[str, ...]  # relevance: the heading holds these
    where: tuple[str, ...]  # further conditions on the entry row "e"
    params: tuple[Any, ...]


def _plan(query: SearchQuery) -> _Plan | None:
    """The query as SQL conditions, or None when nothing can match (an unknown kind)."""
    tokens = list(query.terms)
    where: list[str] = []
    params: list[Any] = []
    if query.agency is not None:
        tokens.append(facet_token("a", query.agency))
    if query.domain:
        tokens.append(facet_token("d", query.domain))
    if query.kind:
        if query.kind not in KINDS:
            return None
        tokens.append(facet_token("k", query.kind))
    if query.division:
        if len(query.division) in DIVISION_PREFIX_LENGTHS:
            tokens.append(facet_token("v", query.division))
        else:
            where.append("e.division_code LIKE %s")
            params.append(query.division.replace("%", "").replace("_", "") + "%")
    if query.decided_from:
        where.append("e.key >= %s")
        params.append(query.decided_from.toordinal() * KEY_DAY)
    if query.decided_to:
        where.append("e.key < %s")
        params.append((query.decided_to.toordinal() + 1) * KEY_DAY)
    if query.min_amount is not None:
        where.append("e.amount >= %s")
        params.append(connection.ops.adapt_decimalfield_value(query.min_amount, 16, 2))
    if query.max_amount is not None:
        where.append("e.amount <= %s")
        params.append(connection.ops.adapt_decimalfield_value(query.max_amount, 16, 2))
    head = tuple(HEAD_MARK + t for t in query.terms) if query.sort == Sort.RELEVANCE else ()
    return _Plan(tuple(tokens), head, tuple(where), tuple(params))


def _fts(tokens: tuple[str, ...]) -> str:
    # Tokens are str.isalnum() plus the private-use marks: no quote to escape, and one quoted
    # token is one FTS5 token (never a phrase, which detail=none refuses).
    return " ".join(f'"{t}"' for t in tokens)


def _tsquery(tokens: tuple[str, ...]) -> str:
    return " & ".join(f"'{t}'" for t in tokens)


# SQLite's two full-text tables hold the same tokens under different rowids: the entry's key
# (newest first) and its amount key (largest amount first). A page in either order is a
# backwards walk of one of them.
_FTS_BY_KEY = ("publicity_search_fts", "key")
_FTS_BY_AMOUNT = ("publicity_search_fts_amount", "amount_key")


def _sql(
    plan: _Plan, *, select: str, tier: int | None, sort: str | None, need_row: bool
) -> tuple[str, list[Any]]:
    """SELECT ``select`` over the plan's matches, ordered by ``sort`` (None: unordered).
    ``tier`` 1 = the heading holds every word, 2 = the others (relevance), None = all.
    ``need_row``: the select reads the entry's columns (else, on SQLite, only the key and the
    row-side filters are read, from the search_key_filters index)."""
    where = list(plan.where)
    params: list[Any] = []
    order = ""
    if connection.vendor == "sqlite" and plan.tokens:
        table, column = _FTS_BY_AMOUNT if sort == Sort.AMOUNT else _FTS_BY_KEY
        expr = _fts(plan.tokens)
        if tier == 1:
            expr = f"{expr} {_fts(plan.head)}"
        elif tier == 2:
            expr = f"{expr} NOT ({_fts(plan.head)})"
        params.append(expr)
        # A range of the table's own key (dates; the export's keyset) bounds the doclist walk.
        where = [w.replace(f"e.{column} ", f"{table}.rowid ") for w in where]
        filtered = any("e." in w for w in where)
        if column == "key" and not need_row:
            if select == "e.key":
                select = f"{table}.rowid"
            # The rowid is the key: the row-side filters read the narrow index, not the row.
            index = "INDEXED BY search_key_filters " if filtered else ""
            join = (
                f"JOIN publicity_search_entry e {index}ON e.key = {table}.rowid " if index else ""
            )
        else:
            join = f"JOIN publicity_search_entry e ON e.{column} = {table}.rowid "
        sql = f"SELECT {select} FROM {table} {join}WHERE {table} MATCH %s"  # noqa: S608
        if sort is not None:
            order = f"{table}.rowid DESC"
    else:
        sql = f"SELECT {select} FROM publicity_search_entry e WHERE 1=1"  # noqa: S608
        if plan.tokens:  # PostgreSQL
            sql += " AND e.tokens @@ %s::tsquery"
            params.append(_tsquery(plan.tokens))
            if tier == 1:
                sql += " AND e.tokens @@ %s::tsquery"
                params.append(_tsquery(plan.head))
            elif tier == 2:
                sql += " AND NOT e.tokens @@ %s::tsquery"
                params.append(_tsquery(plan.head))
        if sort is not None:
            order = "e.amount_key DESC" if sort == Sort.AMOUNT else "e.key DESC"
    for condition in where:
        sql += f" AND {condition}"
    params.extend(plan.params)
    if order:
        sql += f" ORDER BY {order}"
    return sql, params


def _entry_columns() -> str:
    # The model's columns only: PostgreSQL's row also holds the tsvector (kilobytes a row).
    return ", ".join(f"e.{f.column}" for f in Entry._meta.concrete_fields)


def _entries(plan: _Plan, tier: int | None, sort: str, limit: int, offset: int) -> list[Entry]:
    if connection.vendor == "sqlite" and plan.tokens:
        # Two steps: the page's keys through the full-text walk (with the row-side filters
        # read from the narrow search_key_filters index), then those rows — so the published
        # texts of candidates a filter rejects are never read.
        sql, params = _sql(plan, select="e.key", tier=tier, sort=sort, need_row=False)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset])
            keys = [row[0] for row in cursor.fetchall()]
        rows = Entry.objects.in_bulk(keys)
        return [rows[key] for key in keys]
    sql, params = _sql(plan, select=_entry_columns(), tier=tier, sort=sort, need_row=True)
    sql += " LIMIT %s OFFSET %s"
    return list(Entry.objects.raw(sql, [*params, limit, offset]))


def _count(plan: _Plan, tier: int | None, cap: int) -> int:
    sql, params = _sql(plan, select="1", tier=tier, sort=None, need_row=False)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT %s) capped", [*params, cap])  # noqa: S608
        row = cursor.fetchone()
    return int(row[0])


@dataclass(frozen=True)
class SearchPage:
    """One page of results; ``count`` stops at COUNT_CAP (``more`` says it did)."""

    entries: list[Entry]
    count: int
    more: bool
    number: int
    page_size: int
    terms: tuple[str, ...]

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.entries else 0


def decisions_search(
    query: SearchQuery, *, page: int = 1, page_size: int | None = None
) -> SearchPage:
    """The ``page``-th page (from 1; out-of-range pages give the last) of the published decisions
    matching ``query``, in its order."""
    size = page_size or settings.PAGE_SIZE
    plan = _plan(query)
    if plan is None:
        return SearchPage([], 0, False, 1, size, query.terms)
    total = _count(plan, None, COUNT_CAP + 1)
    more = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    pages = max(1, math.ceil(total / size))
    number = min(max(page, 1), pages)
    offset = (number - 1) * size
    if query.sort == Sort.RELEVANCE and plan.tokens and plan.head:
        entries = _entries(plan, 1, Sort.NEWEST, size, offset)
        if len(entries) < size:
            first = _count(plan, 1, COUNT_CAP + 1)
            rest = offset + len(entries) - first
            entries += _entries(plan, 2, Sort.NEWEST, size - len(entries), max(rest, 0))
    else:
        entries = _entries(plan, None, query.sort, size, offset)
    return SearchPage(entries, total, more, number, size, query.terms)


def decisions_export(
    query: SearchQuery, *, limit: int = EXPORT_LIMIT, chunk: int = 2000
) -> Iterator[Entry]:
    """Every match of ``query`` in its order (relevance as newest), at most ``limit``, read
    ``chunk`` rows at a time, each chunk starting below the last key seen: the CSV download
    streams these."""
    plan = _plan(query)
    if plan is None:
        return
    sort = Sort.AMOUNT if query.sort == Sort.AMOUNT else Sort.NEWEST
    column = "amount_key" if sort == Sort.AMOUNT else "key"
    sent = 0
    page = plan
    while sent < limit:
        rows = _entries(page, None, sort, min(chunk, limit - sent), 0)
        yield from rows
        sent += len(rows)
        if len(rows) < chunk:
            return
        last = getattr(rows[-1], column)
        page = replace(plan, where=(*plan.where, f"e.{column} < %s"), params=(*plan.params, last))


def decisions_of_agency(agency_id: int, *, limit: int = 50) -> list[Entry]:
    """The agency's newest published decisions (its Atom feed)."""
    return decisions_search(SearchQuery(agency=agency_id), page_size=limit).entries


def agency_name(agency_id: int) -> str | None:
    """The agency's name as its newest decision gives it, None when it has published none."""
    entries = decisions_of_agency(agency_id, limit=1)
    return entries[0].agency_name if entries else None


def _qs(query: SearchQuery) -> QuerySet[Entry]:
    """The statistics' rows: the same filters as the search, without words."""
    qs = Entry.objects.all()
    if query.agency is not None:
        qs = qs.filter(agency_id=query.agency)
    if query.domain:
        qs = qs.filter(domain_code=query.domain)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.division:
        qs = qs.filter(division_code__startswith=query.division)
    if query.decided_from:
        qs = qs.filter(decided_on__gte=query.decided_from)
    if query.decided_to:
        qs = qs.filter(decided_on__lte=query.decided_to)
    return qs


@dataclass(frozen=True)
class AgencyFigures:
    agency_id: int
    agency_name: str
    decisions: int
    on_time: int
    judged: int  # decisions whose timeliness is known

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.judged if self.judged else None

    @property
    def on_time_percent(self) -> str:
        rate = self.on_time_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass(frozen=True)
class Statistics:
    total: int
    per_month: list[tuple[str, int]]  # ("2026-03", n), oldest first
    per_kind: list[tuple[str, str, int]]  # (code, label, n), largest first
    per_agency: list[AgencyFigures]  # most decisions first, at most ``agency_limit``
    agencies: int  # how many agencies published any
    on_time: int
    judged: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.judged if self.judged else None

    @property
    def on_time_percent(self) -> str:
        rate = self.on_time_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


def decisions_statistics(query: SearchQuery | None = None, *, agency_limit: int = 30) -> Statistics:
    """Counts of published decisions per month (of the decision date), per kind and per agency,
    with each agency's on-time rate (published by the due date, among those with one).

    The three aggregates read only the columns of the ``search_stats`` index (never the texts);
    the result is cached for STATISTICS_CACHE_SECONDS per query."""
    query = replace(query, q="") if query else SearchQuery()
    scope: tuple[object, ...] = (query.agency, query.domain, query.kind, query.division)
    scope += (query.decided_from, query.decided_to, agency_limit)
    cache_key = "publicity_search:stats:" + hashlib.sha256(repr(scope).encode()).hexdigest()
    cached: Statistics | None = cache.get(cache_key)
    if cached is not None:
        return cached
    qs = _qs(query)
    # The month as text: native SQL on both databases (TruncMonth is a Python function
    # called once per row on SQLite).
    month = Substr(Cast("decided_on", output_field=CharField()), 1, 7)
    per_month = [
        (row["month"], row["n"])
        for row in qs.annotate(month=month).values("month").annotate(n=Count("*")).order_by("month")
    ]
    kinds = Counter(dict(qs.values_list("kind").annotate(n=Count("*")).order_by()))
    per_kind = [(code, KINDS.get(code, code), n) for code, n in kinds.most_common()]
    agency_rows = list(
        qs.values("agency_id")
        .annotate(
            n=Count("*"),
            timely=Count("agency_id", filter=Q(on_time=True)),
            judged=Count("agency_id", filter=Q(on_time__isnull=False)),
        )
        .order_by("-n", "agency_id")
    )
    names = {pk: name for pk, name, _code in _agencies()}
    per_agency = [
        AgencyFigures(
            r["agency_id"], names.get(r["agency_id"], ""), r["n"], r["timely"], r["judged"]
        )
        for r in agency_rows[:agency_limit]
    ]
    result = Statistics(
        total=sum(n for _, n in per_month),
        per_month=per_month,
        per_kind=per_kind,
        per_agency=per_agency,
        agencies=len(agency_rows),
        on_time=sum(r["timely"] for r in agency_rows),
        judged=sum(r["judged"] for r in agency_rows),
    )
    cache.set(cache_key, result, STATISTICS_CACHE_SECONDS)
    return result


# The filter lists change only when an agency publishes its first decision, the statistics
# slowly: both are kept a few minutes (each process its own copy).
CHOICES_CACHE_SECONDS = 300
STATISTICS_CACHE_SECONDS = 300


def _agencies() -> list[tuple[int, str, str]]:
    """(id, name, division code) of every agency with a published decision, by name, as its
    newest decision gives them; cached."""
    cached: list[tuple[int, str, str]] | None = cache.get("publicity_search:agencies")
    if cached is None:
        # The newest key per agency comes from the search_stats index; only those rows are read.
        newest = Entry.objects.values("agency_id").annotate(newest=Max("key")).values("newest")
        rows = Entry.objects.filter(key__in=newest).values_list(
            "agency_id", "agency_name", "division_code"
        )
        cached = sorted(rows, key=lambda a: (a[1], a[0]))
        cache.set("publicity_search:agencies", cached, CHOICES_CACHE_SECONDS)
    return cached


def agencies_published(division: str = "") -> list[tuple[int, str]]:
    """(id, name) of every agency with a published decision, by name; only those whose
    division code starts with ``division`` when it is given."""
    return [(pk, name) for pk, name, code in _agencies() if code.startswith(division)]


def domains_published() -> list[tuple[str, str]]:
    """(code, name) of every domain with a published decision, by code."""
    cached: list[tuple[str, str]] | None = cache.get("publicity_search:domains")
    if cached is None:
        rows = Entry.objects.values("domain_code").annotate(name=Max("domain_name")).order_by()
        cached = sorted((r["domain_code"], r["name"]) for r in rows)
        cache.set("publicity_search:domains", cached, CHOICES_CACHE_SECONDS)
    return cached
