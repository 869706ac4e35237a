"""Reads of the search index: the only source of the public decision lists (page, JSON, CSV,
Atom) and of the statistics.

The query's tokens and the facet filters (agency, domain, kind, division prefix) are required
tokens of the full-text index; the date range is a range of the sort key (``models.entry_key``),
the amounts and a division prefix of no level are conditions on the row. The two databases read
the index differently, each the cheapest way it has:

- **SQLite** (FTS5): newest first is the descending order of the FTS5 rowid (the sort key; the
  second table's rowid is the amount key), so the page is a backwards walk of the doclists that
  stops after the page, and a date range bounds the walk. Counting walks on to ``COUNT_CAP``
  and stops there ("more than 10,000").
- **PostgreSQL** (tsvector + GIN in the narrow ``publicity_search_terms`` table): GIN returns
  matches unordered and a count visits every match, so the index is read newest first one slice
  of decision days at a time (``buckets.py``: every row carries day-bucket tokens, and a slice is
  one more GIN key). Each token is its own GIN key, so the scan leapfrogs from one posting list
  to the next instead of decoding every list. Slices start at one day and widen with the
  density seen so far, until the page is found and ``PG_EXACT_COUNT`` matches are counted; the
  count is then exact if the walk reached the oldest day, else ``counted`` plus an estimate of
  the rest: the share of matches among the rows of a sample of days spread over it, times the
  rows there (from the key's histogram) — shown as "约 12 万条（估算）" (``SearchPage.estimated``).
  "By amount" walks the ``amount_key`` index and checks each row when the matches are dense,
  and sorts the GIN matches when they are few. Every query's plan is fixed by the planner
  settings of its transaction (``_Pg``), not left to estimates of a tsvector check's cost.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, router, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import CharField, Count, Max, Q, QuerySet
from django.db.models.functions import Cast, Substr
from django.utils.translation import gettext as _

from .buckets import cover, day_of_key, day_tokens, sample_days
from .models import KEY_DAY, Entry
from .services import DIVISION_PREFIX_LENGTHS, HEAD_MARK, KINDS, facet_token
from .tokenize import query_tokens

# Counting every match of a one-character query over a million decisions costs more than
# showing them; past this many the lists page no further (SQLite says "more than 10,000").
COUNT_CAP = 10_000
# PostgreSQL counts this many matches exactly; past it the count is an estimate (each counted
# match is a visit of its row: 10,000 of them cost ~15 ms on their own).
PG_EXACT_COUNT = 1_000
# The estimate's sample of days holds about this many matches (± 5 %), and 8 to 64 days.
PG_SAMPLE_MATCHES = 400
PG_SAMPLE_DAYS = (8, 64)
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
    """One query, for either database."""

    tokens: tuple[str, ...]  # all required in the full-text index
    head: tuple[str, ...]  # relevance: the heading holds these
    first_day: int | None = None  # decided on or after this day (ordinal)
    end_day: int | None = None  # decided before this day
    min_amount: Any = None  # the backend's adapted decimals
    max_amount: Any = None
    division_like: str | None = None  # a division prefix of no level: LIKE on the row
    key_below: int | None = None  # the CSV's keyset: key < this (newest first)
    amount_key_below: int | None = None  # … amount_key < this (by amount)

    @property
    def where(self) -> tuple[str, ...]:
        """The conditions on the entry row "e" (SQLite), with ``params``."""
        where = []
        if self.division_like is not None:
            where.append("e.division_code LIKE %s")
        if self.first_day is not None:
            where.append("e.key >= %s")
        if self.end_day is not None:
            where.append("e.key < %s")
        if self.min_amount is not None:
            where.append("e.amount >= %s")
        if self.max_amount is not None:
            where.append("e.amount <= %s")
        if self.key_below is not None:
            where.append("e.key < %s")
        if self.amount_key_below is not None:
            where.append("e.amount_key < %s")
        return tuple(where)

    @property
    def params(self) -> tuple[Any, ...]:
        values = (
            self.division_like,
            None if self.first_day is None else self.first_day * KEY_DAY,
            None if self.end_day is None else self.end_day * KEY_DAY,
            self.min_amount,
            self.max_amount,
            self.key_below,
            self.amount_key_below,
        )
        return tuple(v for v in values if v is not None)


def _plan(query: SearchQuery) -> _Plan | None:
    """The query as a plan, or None when nothing can match (an unknown kind)."""
    tokens = list(query.terms)
    division_like = None
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
            division_like = query.division.replace("%", "").replace("_", "") + "%"
    ops = connection.ops
    head = tuple(HEAD_MARK + t for t in query.terms) if query.sort == Sort.RELEVANCE else ()
    return _Plan(
        tuple(tokens),
        head,
        first_day=query.decided_from.toordinal() if query.decided_from else None,
        end_day=query.decided_to.toordinal() + 1 if query.decided_to else None,
        min_amount=None
        if query.min_amount is None
        else ops.adapt_decimalfield_value(query.min_amount, 16, 2),
        max_amount=None
        if query.max_amount is None
        else ops.adapt_decimalfield_value(query.max_amount, 16, 2),
        division_like=division_like,
    )


@dataclass(frozen=True)
class SearchPage:
    """One page of results.

    ``count`` is exact unless ``estimated`` (PostgreSQL past PG_EXACT_COUNT matches: an estimate
    rounded to two significant digits). ``more``: there are more than COUNT_CAP matches and the
    pages stop there; on SQLite ``count`` is then COUNT_CAP itself."""

    entries: list[Entry]
    count: int
    more: bool
    number: int
    page_size: int
    terms: tuple[str, ...]
    estimated: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(min(self.count, COUNT_CAP) / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.entries else 0

    @property
    def total_label(self) -> str:
        """How many matched, as the page says it: 共 856 条 · 约 12 万条（估算） · 超过 10,000 条
        (and, past COUNT_CAP, to narrow the query)."""
        if self.estimated:
            if self.count >= 10_000:
                text = _("约 %(count)s 万条（估算）") % {"count": f"{self.count / 10_000:g}"}
            else:
                text = _("约 %(count)s 条（估算）") % {"count": f"{self.count:,}"}
        elif self.more:
            text = _("超过 %(count)s 条") % {"count": f"{self.count:,}"}
        else:
            return _("共 %(count)s 条") % {"count": f"{self.count:,}"}
        if self.more:
            text += _("，请增加关键词或筛选条件")
        return text


def round_estimate(value: float) -> int:
    """An estimate as it is shown: two significant digits (123,456 → 120,000)."""
    if value < 1:
        return 0
    digits = math.floor(math.log10(value)) - 1
    return int(round(value / 10**digits) * 10**digits) if digits > 0 else round(value)


# -- SQLite: FTS5 ----------------------------------------------------------------------------


def _fts(tokens: tuple[str, ...]) -> str:
    # Tokens are str.isalnum() plus the private-use marks: no quote to escape, and one quoted
    # token is one FTS5 token (never a phrase, which detail=none refuses).
    return " ".join(f'"{t}"' for t in tokens)


def _tsquery(tokens: Sequence[str], op: str = "&") -> str:
    return f" {op} ".join(f"'{t}'" for t in tokens)


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
    if plan.tokens:
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
        if sort is not None:
            order = "e.amount_key DESC" if sort == Sort.AMOUNT else "e.key DESC"
    for condition in where:
        sql += f" AND {condition}"
    params.extend(plan.params)
    if order:
        sql += f" ORDER BY {order}"
    return sql, params


def _entry_columns() -> str:
    return ", ".join(f"e.{f.column}" for f in Entry._meta.concrete_fields)


def _entries(plan: _Plan, tier: int | None, sort: str, limit: int, offset: int) -> list[Entry]:
    if plan.tokens:
        # Two steps: the page's keys through the full-text walk (with the row-side filters
        # read from the narrow search_key_filters index), then those rows — so the published
        # texts of candidates a filter rejects are never read.
        sql, params = _sql(plan, select="e.key", tier=tier, sort=sort, need_row=False)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset])
            keys = [row[0] for row in cursor.fetchall()]
        return _rows(keys, _db_alias())
    sql, params = _sql(plan, select=_entry_columns(), tier=tier, sort=sort, need_row=True)
    sql += " LIMIT %s OFFSET %s"
    return list(Entry.objects.raw(sql, [*params, limit, offset]))


def _count(plan: _Plan, tier: int | None, cap: int) -> int:
    sql, params = _sql(plan, select="1", tier=tier, sort=None, need_row=False)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT %s) capped", [*params, cap])  # noqa: S608
        row = cursor.fetchone()
    return int(row[0])


def _rows(keys: list[int], alias: str) -> list[Entry]:
    """The entries of ``keys``, in that order."""
    rows = Entry.objects.using(alias).in_bulk(keys)
    return [rows[key] for key in keys if key in rows]


def _sqlite_search(query: SearchQuery, plan: _Plan, page: int, size: int) -> SearchPage:
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


# -- PostgreSQL: tsvector + GIN, read in slices of days ----------------------------------------

_TERMS = "publicity_search_terms"


@dataclass(frozen=True)
class _Scope:
    """The days a PostgreSQL search covers: [first, end), and the oldest day in the index."""

    first: int
    end: int
    oldest: int


@dataclass(frozen=True)
class _Walk:
    keys: list[int]  # the matches asked for (ranks skip … skip + take - 1), newest first
    counted: int  # matches in the days walked
    stop: int  # the oldest day walked; [scope.first, stop) is not walked
    complete: bool  # every day was walked: counted is the exact total


def _pg_histogram(cursor: CursorWrapper) -> tuple[list[int], float]:
    """The bounds of the key's histogram and the number of rows, from the statistics of the
    last ANALYZE (cached for a few minutes)."""
    cached: tuple[list[int], float] | None = cache.get("publicity_search:pg_histogram")
    if cached is None:
        cursor.execute(
            "SELECT (SELECT histogram_bounds::text::bigint[] FROM pg_stats"
            " WHERE tablename = %s AND attname = 'key'),"
            " (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = %s::regclass)",
            [_TERMS, _TERMS],
        )
        bounds, total = cursor.fetchone()
        if not total:  # never analysed
            cursor.execute(f"SELECT count(*) FROM {_TERMS}")  # noqa: S608
            total = cursor.fetchone()[0]
        cached = ([int(b) for b in bounds or []], float(total))
        cache.set("publicity_search:pg_histogram", cached, CHOICES_CACHE_SECONDS)
    return cached


class _Pg:
    """One search on PostgreSQL: a cursor in a transaction whose planner settings make every
    query take the plan chosen here (the planner prices a tsvector check at one operator, not at
    the TOAST fetch of a 4 KB tsvector, and so prefers walking an index or the table)."""

    def __init__(self, cursor: CursorWrapper, plan: _Plan) -> None:
        self.cursor = cursor
        self.plan = plan
        # Two probes of the primary key (before index scans are turned off).
        cursor.execute(f"SELECT min(key), max(key) FROM {_TERMS}")  # noqa: S608
        low, high = cursor.fetchone()
        cursor.execute(
            "SELECT set_config('jit', 'off', true),"
            " set_config('max_parallel_workers_per_gather', '0', true),"
            " set_config('enable_seqscan', 'off', true),"
            " set_config('enable_indexscan', 'off', true)"
        )
        self.btree = False
        self.empty = low is None
        oldest = day_of_key(low) if low is not None else 0
        newest = day_of_key(high) if high is not None else 0
        first = max(oldest, plan.first_day or oldest)
        end = min(newest + 1, plan.end_day or newest + 1)
        if plan.key_below is not None:
            end = min(end, day_of_key(plan.key_below - 1) + 1)
        self.scope = _Scope(first, max(first, end), oldest)

    def _use_btree(self, btree: bool) -> None:
        """Bitmap scans of the GIN index (the default here), or walks of a B-tree with a check of
        each row."""
        if btree != self.btree:
            on, off = ("on", "off") if btree else ("off", "on")
            self.cursor.execute(
                "SELECT set_config('enable_indexscan', %s, true),"
                " set_config('enable_bitmapscan', %s, true)",
                [on, off],
            )
            self.btree = btree

    def _conditions(
        self, extra: Sequence[str], days: tuple[int, int] | None, *, key_range: bool
    ) -> tuple[str, list[Any]]:
        """The WHERE of the plan on the terms table "t": the row's own filters first (cheap),
        then one GIN key per token — and per ``extra`` tsquery, and for the slice of ``days``
        unless it reaches the oldest day (then it is a bound of the key). ``key_range``: bound
        the key by the scope's days instead (no slice)."""
        plan = self.plan
        where: list[str] = []
        params: list[Any] = []

        def add(condition: str, value: Any) -> None:
            where.append(condition)
            params.append(value)

        if plan.min_amount is not None:
            add("t.amount >= %s", plan.min_amount)
        if plan.max_amount is not None:
            add("t.amount <= %s", plan.max_amount)
        if plan.division_like is not None:
            add("t.division_code LIKE %s", plan.division_like)
        if plan.key_below is not None:
            add("t.key + 0 < %s", plan.key_below)
        if plan.amount_key_below is not None:
            add("t.amount_key < %s", plan.amount_key_below)
        if key_range:
            # "+ 0": a filter of the rows read, never a range scan of the primary key (the
            # planner, not knowing how dense the matches are, would sort a range's matches).
            if self.scope.first > self.scope.oldest:
                add("t.key + 0 >= %s", self.scope.first * KEY_DAY)
            if self.plan.end_day is not None:
                add("t.key + 0 < %s", self.scope.end * KEY_DAY)
        elif days is not None:
            first, end = days
            if first <= self.scope.oldest and (plan.tokens or extra):
                add("t.key + 0 < %s", end * KEY_DAY)
            else:
                add("t.tokens @@ %s::tsquery", _tsquery(cover(first, end), "|"))
        for token in plan.tokens:
            add("t.tokens @@ %s::tsquery", f"'{token}'")
        for tsquery in extra:
            add("t.tokens @@ %s::tsquery", tsquery)
        return " AND ".join(where) or "true", params

    def _slice(
        self, extra: Sequence[str], first: int, end: int, limit: int
    ) -> tuple[int, list[int]]:
        """The matches decided on days [first, end): how many, and the newest ``limit`` keys."""
        self._use_btree(False)
        condition, params = self._conditions(extra, (first, end), key_range=False)
        if limit > 0:
            self.cursor.execute(
                f"SELECT t.key, count(*) OVER () FROM {_TERMS} t WHERE {condition} "  # noqa: S608
                "ORDER BY t.key DESC LIMIT %s",
                [*params, limit],
            )
            rows = self.cursor.fetchall()
            return (int(rows[0][1]) if rows else 0), [int(row[0]) for row in rows]
        self.cursor.execute(f"SELECT count(*) FROM {_TERMS} t WHERE {condition}", params)  # noqa: S608
        return int(self.cursor.fetchone()[0]), []

    def walk(self, *, skip: int, take: int, cap: int, extra: Sequence[str] = ()) -> _Walk:
        """Newest first, slice after slice, until the matches ranked ``skip`` … ``skip + take - 1``
        are found and at least ``cap`` are counted, or the oldest day is reached.

        A slice starts at one day; the next is as wide as the matches still wanted need at the
        density just seen (× 1.25), at most 8 times the last (× 8 after an empty one), so a
        sparse query reaches the oldest day in a few steps and a dense one reads few rows."""
        scope = self.scope
        want = max(cap, skip + take)
        keys: list[int] = []
        counted = 0
        end = scope.end
        width = 1
        while end > scope.first:
            first = max(scope.first, end - width)
            found, top = self._slice(extra, first, end, skip + take - counted)
            keys += top[max(0, skip - counted) :]
            counted += found
            if counted >= want:
                return _Walk(keys, counted, first, first <= scope.first)
            if found:
                width = min(8 * width, math.ceil(1.25 * (want - counted) * (end - first) / found))
            else:
                width *= 8
            end = first
        return _Walk(keys, counted, scope.first, True)

    def rows(self, ranges: Sequence[tuple[int, int]]) -> float:
        """How many rows were decided on the days of ``ranges``, as PostgreSQL's statistics tell
        (the key's histogram, interpolated as the planner does; summed per range, where the
        planner would take the ranges of an OR for independent)."""
        bounds, total = _pg_histogram(self.cursor)
        if len(bounds) < 2:  # never analysed: as if every day held as many
            days = max(1, self.scope.end - self.scope.oldest)
            return total * sum(end - first for first, end in ranges) / days

        def below(day: int) -> float:
            key = day * KEY_DAY
            i = bisect.bisect_right(bounds, key)
            if i == 0:
                return 0.0
            if i == len(bounds):
                return 1.0
            low, high = bounds[i - 1], bounds[i]
            return (i - 1 + (key - low) / (high - low)) / (len(bounds) - 1)

        return total * sum(max(0.0, below(end) - below(first)) for first, end in ranges)

    def estimate(self, walk: _Walk, extra: Sequence[str] = ()) -> float:
        """The matches of the whole scope: those counted, plus the days not walked at the
        density found in a sample of them — days spread evenly, enough of them for about
        PG_SAMPLE_MATCHES at the density walked; the sample's matches over its rows (counted
        exactly on the primary key), times the rows of the days not walked (statistics)."""
        scope = self.scope
        rest = self.rows([(scope.first, walk.stop)])
        if walk.complete or rest < 1:
            return walk.counted
        per_day = walk.counted / max(1, scope.end - walk.stop)
        low, high = PG_SAMPLE_DAYS
        wanted = min(high, max(low, round(PG_SAMPLE_MATCHES / per_day)))
        days = sample_days(scope.first, walk.stop, wanted)
        sample = _tsquery([day_tokens(day)[0] for day in days], "|")
        self._use_btree(False)
        condition, params = self._conditions([*extra, sample], None, key_range=False)
        self.cursor.execute(f"SELECT count(*) FROM {_TERMS} t WHERE {condition}", params)  # noqa: S608
        found = int(self.cursor.fetchone()[0])
        # The rows of those days: an index-only count of each day's range of keys.
        self._use_btree(True)
        sql = (
            "SELECT coalesce(sum(n), 0) FROM unnest(%s::bigint[]) AS d(first), LATERAL ("  # noqa: S608
            f"SELECT count(*) AS n FROM {_TERMS} t WHERE t.key >= d.first AND t.key < d.first + %s"
            ") c"
        )
        self.cursor.execute(sql, [[day * KEY_DAY for day in days], KEY_DAY])
        sampled = int(self.cursor.fetchone()[0])
        if not sampled:
            return walk.counted
        return walk.counted + min(rest, found / sampled * rest)

    def by_amount(self, total: float, exact: bool, skip: int, take: int) -> list[int]:
        """The keys ranked ``skip`` … by amount. Few matches (or a count that is exact): sort the
        GIN matches. Many: walk the amount_key index from the top and check each row, as long
        as the rows expected before the page (at the scope's density) cost less than visiting
        every match (a row check reads the 4 KB tsvector: ~5 µs; a GIN match ~1 µs)."""
        btree = not self.plan.tokens
        if not exact and self.plan.tokens:
            density = total / max(1.0, self.rows([(self.scope.first, self.scope.end)]))
            btree = (skip + take) / max(density, 1e-9) * 5 < total * 1
        self._use_btree(btree)
        condition, params = self._conditions((), None, key_range=True)
        self.cursor.execute(
            f"SELECT t.key FROM {_TERMS} t WHERE {condition} "  # noqa: S608
            "ORDER BY t.amount_key DESC LIMIT %s OFFSET %s",
            [*params, take, skip],
        )
        return [int(row[0]) for row in self.cursor.fetchall()]

    def count(self, *, skip: int = 0, take: int = 0) -> tuple[_Walk, int, bool]:
        """A walk for the page (newest first) and the count: (walk, count, estimated)."""
        walk = self.walk(skip=skip, take=take, cap=min(PG_EXACT_COUNT, COUNT_CAP) + 1)
        if walk.complete:
            return walk, walk.counted, False
        return walk, round_estimate(self.estimate(walk)), True


def _db_alias() -> str:
    return router.db_for_read(Entry) or DEFAULT_DB_ALIAS


_PG_SETTINGS = ("jit", "max_parallel_workers_per_gather", "enable_seqscan", "enable_indexscan")


@contextmanager
def _pg(plan: _Plan, alias: str) -> Iterator[_Pg]:
    """A PostgreSQL search in its own transaction (a savepoint inside another one, whose
    planner settings are then put back)."""
    nested = connections[alias].in_atomic_block
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        yield _Pg(cursor, plan)
        if nested:
            names = (*_PG_SETTINGS, "enable_bitmapscan")
            cursor.execute("; ".join(f"SET LOCAL {name} TO DEFAULT" for name in names))


def _pg_search(query: SearchQuery, plan: _Plan, page: int, size: int) -> SearchPage:
    alias = _db_alias()
    number = min(max(page, 1), max(1, math.ceil(COUNT_CAP / size)))
    with _pg(plan, alias) as pg:
        if pg.empty:
            return SearchPage([], 0, False, 1, size, query.terms)
        relevance = query.sort == Sort.RELEVANCE and bool(plan.tokens and plan.head)
        newest = query.sort != Sort.AMOUNT and not relevance
        offset = (number - 1) * size
        walk, total, estimated = pg.count(skip=offset, take=size if newest else 0)
        if walk.complete and number > 1 and offset >= walk.counted:
            # Past the last page: give the last.
            number = max(1, math.ceil(min(walk.counted, COUNT_CAP) / size))
            offset = (number - 1) * size
            walk, total, estimated = pg.count(skip=offset, take=size if newest else 0)
        more = total > COUNT_CAP
        if more and not estimated:
            total = COUNT_CAP  # an exact count past the cap reads as on SQLite: "more than"
        if query.sort == Sort.AMOUNT:
            keys = pg.by_amount(total, not estimated, offset, size)
        elif relevance:
            heading = [f"'{t}'" for t in plan.head]
            first = pg.walk(skip=offset, take=size, cap=0, extra=heading)
            keys = first.keys
            if len(keys) < size:  # the walk reached the oldest day: first.counted is exact
                others = f"({_tsquery(plan.tokens)}) & !({_tsquery(plan.head)})"
                rest = max(0, offset + len(keys) - first.counted)
                keys += pg.walk(skip=rest, take=size - len(keys), cap=0, extra=[others]).keys
        else:
            keys = walk.keys
        entries = _rows(keys, alias)
    return SearchPage(entries, total, more, number, size, query.terms, estimated)


def decisions_search(
    query: SearchQuery, *, page: int = 1, page_size: int | None = None
) -> SearchPage:
    """The ``page``-th page (from 1; out-of-range pages give the last) of the published decisions
    matching ``query``, in its order, with how many match (exact, or on PostgreSQL past
    PG_EXACT_COUNT an estimate: ``SearchPage.estimated``)."""
    size = page_size or settings.PAGE_SIZE
    plan = _plan(query)
    if plan is None:
        return SearchPage([], 0, False, 1, size, query.terms)
    if connections[_db_alias()].vendor == "postgresql":
        return _pg_search(query, plan, page, size)
    return _sqlite_search(query, plan, page, size)


def _pg_export(plan: _Plan, sort: str, limit: int, chunk: int) -> Iterator[Entry]:
    alias = _db_alias()
    counted: tuple[int, bool] | None = None  # by amount: (count, exact), taken once
    sent = 0
    while sent < limit:
        size = min(chunk, limit - sent)
        with _pg(plan, alias) as pg:
            if pg.empty:
                return
            if sort == Sort.AMOUNT:
                if counted is None:
                    _walk, total, estimated = pg.count()
                    counted = (total, not estimated)
                keys = pg.by_amount(*counted, 0, size)
            else:
                keys = pg.walk(skip=0, take=size, cap=0).keys
            rows = _rows(keys, alias)
        yield from rows
        sent += len(rows)
        if len(rows) < size:
            return
        if sort == Sort.AMOUNT:
            plan = replace(plan, amount_key_below=rows[-1].amount_key)
        else:
            plan = replace(plan, key_below=rows[-1].key)


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
    if connections[_db_alias()].vendor == "postgresql":
        yield from _pg_export(plan, sort, limit, chunk)
        return
    column = "amount_key" if sort == Sort.AMOUNT else "key"
    sent = 0
    page = plan
    while sent < limit:
        rows = _entries(page, None, sort, min(chunk, limit - sent), 0)
        yield from rows
        sent += len(rows)
        if len(rows) < chunk:
            return
        page = replace(plan, **{f"{column}_below": getattr(rows[-1], column)})


def decisions_of_agency(agency_id: int, *, limit: int = 50) -> list[Entry]:
    """The agency's newest published decisions (its Atom feed): the first rows of the export,
    which counts nothing."""
    return list(decisions_export(SearchQuery(agency=agency_id), limit=limit, chunk=limit))


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
