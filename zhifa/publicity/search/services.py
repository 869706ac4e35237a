"""Writes to the search index. The publication core calls these when a decision is published,
corrected (put again), withdrawn or expired (removed); a rebuild loads everything in bulk.

The index is derived: it holds only what ``SearchDocument`` carries — already redacted — and
can be dropped and reloaded from the publications at any time. It is not the record, so these
functions append nothing to the record log; the publication services that call them do.

Changing the segmentation (tokenize.py, or upgrading rjieba and so its dictionary) needs a
rebuild — ``search_index_clear``, ``search_index_bulk_load``, ``search_index_optimize`` — since
SQLite removes a row from a contentless FTS5 table by repeating the tokens it was indexed with.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction

from .buckets import day_of_key, day_tokens
from .models import Entry, Kind, amount_key, entry_key
from .tokenize import document_tokens

# The kinds of decision, code → label (the publication core uses the same codes).
KINDS: dict[str, str] = {str(value): str(label) for value, label in Kind.choices}

# Filter values become tokens no query can produce: tokenize.py never emits this private-use
# character (it keeps letters and digits only).
FACET_MARK = "\ue000"
# Tokens of the title, subject and number are indexed a second time with this mark: "relevance"
# puts the decisions whose heading holds every query token first (selectors.py).
HEAD_MARK = "\ue001"
_FACET_SAFE = re.compile(r"[^0-9a-z]")
# SQLite's full-text tables: rowid = Entry.key (newest first), rowid = Entry.amount_key.
FTS_TABLES = ("publicity_search_fts", "publicity_search_fts_amount")
# Division codes are searched by prefix: province (2), city (4), county (6), town (9), village.
DIVISION_PREFIX_LENGTHS = (2, 4, 6, 9, 12)


@dataclass(frozen=True)
class SearchDocument:
    """A published decision as the index receives it: every text is already redacted."""

    publication_id: int
    agency_id: int
    agency_name: str
    division_code: str
    domain_code: str
    domain_name: str
    kind: str  # a key of KINDS
    decision_number: str
    decided_on: date
    published_on: date
    due_on: date | None
    on_time: bool | None
    amount: Decimal | None  # total fine + confiscation, for the amount filter
    subject: str  # 执法对象 as published
    title: str  # 执法类别 / 案由
    body: str  # published text + facts + basis + conclusion
    url: str  # the public page of the decision


def facet_token(name: str, value: object) -> str:
    """The token that stands for ``name = value`` (a = agency, d = domain, k = kind,
    v = division prefix)."""
    return f"{FACET_MARK}{name}{_FACET_SAFE.sub('', str(value).lower())}"


def facet_tokens(agency_id: int, domain_code: str, kind: str, division_code: str) -> list[str]:
    tokens = [
        facet_token("a", agency_id),
        facet_token("d", domain_code),
        facet_token("k", kind),
    ]
    tokens += [
        facet_token("v", division_code[:n])
        for n in DIVISION_PREFIX_LENGTHS
        if len(division_code) >= n
    ]
    return tokens


def entry_tokens(
    *,
    agency_id: int,
    agency_name: str,
    division_code: str,
    domain_code: str,
    kind: str,
    decision_number: str,
    subject: str,
    title: str,
    body: str,
) -> list[str]:
    """Every token of one decision: its searchable texts, its heading's tokens marked, then its
    facets."""
    head = "\n".join((title, subject, decision_number))
    text = "\n".join((head, agency_name, body))
    return (
        document_tokens(text)
        + [HEAD_MARK + token for token in document_tokens(head)]
        + facet_tokens(agency_id, domain_code, kind, division_code)
    )


def _doc_tokens(doc: SearchDocument) -> list[str]:
    return entry_tokens(
        agency_id=doc.agency_id,
        agency_name=doc.agency_name,
        division_code=doc.division_code,
        domain_code=doc.domain_code,
        kind=doc.kind,
        decision_number=doc.decision_number,
        subject=doc.subject,
        title=doc.title,
        body=doc.body,
    )


def _stored_tokens(entry: Entry) -> list[str]:
    return entry_tokens(
        agency_id=entry.agency_id,
        agency_name=entry.agency_name,
        division_code=entry.division_code,
        domain_code=entry.domain_code,
        kind=entry.kind,
        decision_number=entry.decision_number,
        subject=entry.subject,
        title=entry.title,
        body=entry.body,
    )


# One entry row as the database adapters want it, in _COLUMNS order.
Row = tuple[Any, ...]

_COLUMNS = (
    "key",
    "publication_id",
    "agency_id",
    "agency_name",
    "division_code",
    "domain_code",
    "domain_name",
    "kind",
    "decision_number",
    "decided_on",
    "published_on",
    "due_on",
    "on_time",
    "amount",
    "amount_key",
    "subject",
    "title",
    "body",
    "url",
)


def _forget_choices() -> None:
    """The filter lists (selectors.agencies_published …) may have changed."""
    cache.delete_many(["publicity_search:agencies", "publicity_search:domains"])
    # Cached statistics (selectors.decisions_statistics) simply age out within minutes.


def _check(doc: SearchDocument) -> None:
    if doc.kind not in KINDS:
        raise ValueError(f"unknown decision kind {doc.kind!r}; one of {sorted(KINDS)}")


def _row(doc: SearchDocument) -> Row:
    _check(doc)
    # Dates and amounts go through the backend's adapters as the ORM would pass them.
    ops = connection.ops
    return (
        entry_key(doc.decided_on, doc.publication_id),
        doc.publication_id,
        doc.agency_id,
        doc.agency_name,
        doc.division_code,
        doc.domain_code,
        doc.domain_name,
        doc.kind,
        doc.decision_number,
        ops.adapt_datefield_value(doc.decided_on),
        ops.adapt_datefield_value(doc.published_on),
        ops.adapt_datefield_value(doc.due_on),
        doc.on_time,
        None if doc.amount is None else ops.adapt_decimalfield_value(doc.amount, 16, 2),
        amount_key(doc.amount, doc.publication_id),
        doc.subject,
        doc.title,
        doc.body,
        doc.url,
    )


# PostgreSQL keeps the tokens out of the entry table, in a narrow table of its own (migration
# 0002): its rows are ~100 bytes, so the bitmap scans that visit every GIN match (counting,
# sorting a slice of days) read a few pages, not the published texts.
PG_TERMS = "publicity_search_terms"
PG_GIN = "search_terms_gin"


def _insert(rows: Sequence[Row], tokens: Sequence[list[str]]) -> None:
    """Insert entries and their tokens (the caller holds the transaction)."""
    names = ", ".join(_COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO publicity_search_entry ({names}) VALUES ({marks})",  # noqa: S608
            list(rows),
        )
        if connection.vendor == "postgresql":
            at = {name: _COLUMNS.index(name) for name in ("amount", "amount_key", "division_code")}
            # The tokens as a tsvector (array_to_tsvector: lexemes verbatim, as the 'simple'
            # configuration keeps them, without its parser's own word boundaries), plus the
            # decision day's buckets (buckets.py).
            cursor.executemany(
                f"INSERT INTO {PG_TERMS} (key, amount_key, amount, division_code, tokens) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, array_to_tsvector(%s::text[]))",
                [
                    (
                        row[0],
                        row[at["amount_key"]],
                        row[at["amount"]],
                        row[at["division_code"]],
                        toks + day_tokens(day_of_key(row[0])),
                    )
                    for row, toks in zip(rows, tokens, strict=True)
                ],
            )
            return
        texts = [" ".join(toks) for toks in tokens]
        amount_at = _COLUMNS.index("amount_key")
        cursor.executemany(
            "INSERT INTO publicity_search_fts (rowid, tokens) VALUES (%s, %s)",
            [(row[0], text) for row, text in zip(rows, texts, strict=True)],
        )
        cursor.executemany(
            "INSERT INTO publicity_search_fts_amount (rowid, tokens) VALUES (%s, %s)",
            [(row[amount_at], text) for row, text in zip(rows, texts, strict=True)],
        )


def _fts_rowids(entry: Entry) -> list[tuple[str, int]]:
    """SQLite's full-text tables and the entry's rowid in each."""
    return list(zip(FTS_TABLES, (entry.key, entry.amount_key), strict=True))


def _delete(entry: Entry) -> None:
    """Take one entry out of the index (the caller holds the transaction)."""
    if connection.vendor == "sqlite":
        # A contentless FTS5 row is deleted by repeating the tokens it was inserted with; the
        # segmenter is pinned in the lock file, so they are recomputed identically.
        text = " ".join(_stored_tokens(entry))
        with connection.cursor() as cursor:
            for table, rowid in _fts_rowids(entry):
                cursor.execute(
                    f"INSERT INTO {table} ({table}, rowid, tokens) VALUES ('delete', %s, %s)",  # noqa: S608
                    [rowid, text],
                )
    # PostgreSQL: the terms row goes with it (a trigger, migration 0002).
    Entry.objects.filter(key=entry.key).delete()


@transaction.atomic
def search_index_put(doc: SearchDocument) -> None:
    """Insert the decision into the index, or replace it (a correction): afterwards exactly
    one entry holds ``doc.publication_id``, and only ``doc``'s words find it."""
    _check(doc)
    for entry in Entry.objects.filter(publication_id=doc.publication_id):
        _delete(entry)
    _insert([_row(doc)], [_doc_tokens(doc)])
    _forget_choices()


@transaction.atomic
def search_index_remove(publication_id: int) -> None:
    """Take the decision out of the index (withdrawn, expired). Nothing happens when it is not
    there, so removing twice is harmless."""
    for entry in Entry.objects.filter(publication_id=publication_id):
        _delete(entry)
    _forget_choices()


def _batches(docs: Iterable[SearchDocument], size: int) -> Iterator[list[SearchDocument]]:
    iterator = iter(docs)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def search_index_bulk_load(docs: Iterable[SearchDocument], *, batch: int = 5000) -> int:
    """Load many decisions fast (a rebuild, the benchmark): one transaction per ``batch``, raw
    multi-row inserts. The decisions must not be in the index yet (a duplicate publication id
    fails its batch). Returns how many were loaded.

    On PostgreSQL a load into an empty index drops the GIN index first (a GIN index built once
    afterwards is built in minutes and is compact; kept, it costs a GIN update per token of every
    row): ``search_index_optimize`` builds it again, and searches stay correct but slow until
    then."""
    loaded = 0
    if connection.vendor == "postgresql" and not Entry.objects.exists():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {PG_GIN}")
    for chunk in _batches(docs, batch):
        rows = [_row(doc) for doc in chunk]
        tokens = [_doc_tokens(doc) for doc in chunk]
        with transaction.atomic():
            _insert(rows, tokens)
        loaded += len(chunk)
    _forget_choices()
    return loaded


@transaction.atomic
def search_index_clear() -> None:
    """Empty the index (before a rebuild with ``search_index_bulk_load``)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in FTS_TABLES:
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")  # noqa: S608
        elif connection.vendor == "postgresql":
            cursor.execute("TRUNCATE publicity_search_entry")  # and the terms (a trigger)
    Entry.objects.all().delete()
    _forget_choices()


# What PostgreSQL's GIN index is built with (also by migration 0002). fastupdate off: a new
# decision's tokens go straight into the index rather than into a pending list that every
# search would have to read through.
PG_GIN_SQL = (
    f"CREATE INDEX IF NOT EXISTS {PG_GIN} ON {PG_TERMS} USING gin (tokens) WITH (fastupdate = off)"
)


def search_index_optimize() -> None:
    """After a bulk load: merge SQLite's full-text indexes into one segment each; on PostgreSQL
    build the GIN index if a bulk load dropped it, and refresh the statistics (the key's
    histogram gives the estimated counts their row counts). Queries are fastest afterwards."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in FTS_TABLES:
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")  # noqa: S608
        elif connection.vendor == "postgresql":
            with transaction.atomic():
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                cursor.execute(PG_GIN_SQL)
            cursor.execute(f"ANALYZE publicity_search_entry, {PG_TERMS}")
            cache.delete("publicity_search:pg_histogram")  # selectors: the new statistics
