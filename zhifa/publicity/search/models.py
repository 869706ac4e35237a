"""The search index: one row per published decision, derived from the publication (it is not the
record; ``services.search_index_bulk_load`` can rebuild it from the publications at any time).

The full-text part lives beside this table, created by the migrations for the database in use:
on SQLite two contentless FTS5 tables with the same tokens, ``publicity_search_fts`` (rowid =
``Entry.key``, newest first) and ``publicity_search_fts_amount`` (rowid = ``Entry.amount_key``,
largest amount first); on PostgreSQL the narrow table ``publicity_search_terms`` (key, amount
key, amount, division code and a ``tokens`` tsvector with a GIN index, plus the decision day's
bucket tokens of ``buckets.py``; migration 0002), whose row goes with its entry (a trigger).
None of them is a Django model.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext_lazy as _

# Sort key: decided_on's ordinal times this, plus the publication id. Newest-first is then the
# key's own descending order: the primary key (and the FTS5 rowid) is walked backwards and the
# scan stops at the page, with no sort of the matches.
KEY_DAY = 1_000_000_000


def entry_key(decided_on: date, publication_id: int) -> int:
    """The sort key of a decision; unique because the publication id is (ids stay < 10⁹)."""
    if not 0 < publication_id < KEY_DAY:
        raise ValueError(f"publication id out of range for the sort key: {publication_id}")
    return decided_on.toordinal() * KEY_DAY + publication_id


if TYPE_CHECKING:
    _BigIntegerField = models.BigIntegerField[int, int]
else:
    _BigIntegerField = models.BigIntegerField


class SortKeyField(_BigIntegerField):
    """A 64-bit integer that SQLite stores as the table's rowid (its type must read "integer"
    exactly for that), so a lookup by key is one B-tree search, as the FTS5 join needs."""

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


# Amounts above this many yuan sort as equal (by publication id) in the amount order.
AMOUNT_KEY_MAX_YUAN = 9_000_000_000


def amount_key(amount: Decimal | None, publication_id: int) -> int:
    """The amount-order key: whole yuan × 10⁹ + publication id, so "largest amount first" is
    the key's descending order (equal yuan: the later publication first). No amount gives a
    negative key, after every amount."""
    if not 0 < publication_id < KEY_DAY:
        raise ValueError(f"publication id out of range for the sort key: {publication_id}")
    if amount is None:
        return publication_id - KEY_DAY
    return min(int(amount), AMOUNT_KEY_MAX_YUAN) * KEY_DAY + publication_id


class Kind(models.TextChoices):
    """The kind of enforcement decision published (国办发〔2018〕118号 lists these)."""

    PENALTY = "penalty", _("行政处罚")  # 处罚决定
    LICENCE = "licence", _("行政许可")  # 许可决定
    COERCION = "coercion", _("行政强制")  # 查封、扣押等强制措施
    LEVY = "levy", _("行政征收")  # 征收决定
    INSPECTION = "inspection", _("行政检查")  # 检查结果
    CONFIRMATION = "confirmation", _("行政确认")  # 确认决定
    OTHER = "other", _("其他")  # any other published decision


class Entry(models.Model):
    """A published decision as the public may search it; every field is already redacted."""

    key = SortKeyField(primary_key=True)  # entry_key(decided_on, publication_id)
    publication_id = models.BigIntegerField(unique=True)
    agency_id = models.BigIntegerField()
    agency_name = models.CharField(max_length=200)
    division_code = models.CharField(max_length=12)
    domain_code = models.CharField(max_length=40)
    domain_name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    decision_number = models.CharField(max_length=200)
    decided_on = models.DateField()
    published_on = models.DateField()
    due_on = models.DateField(null=True)
    on_time = models.BooleanField(null=True)
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    amount_key = models.BigIntegerField(unique=True)  # amount_key(amount, publication_id)
    subject = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    body = models.TextField()
    url = models.CharField(max_length=500)

    objects: ClassVar[models.Manager[Entry]] = models.Manager()

    class Meta:
        db_table = "publicity_search_entry"
        verbose_name = _("检索条目")
        verbose_name_plural = _("检索条目")
        # Agency, domain, kind and division are also tokens of the full-text index (see
        # services.facet_tokens): filtering by them is a posting-list intersection there, so
        # the table needs no index of its own for them. amount_key is unique: its index walks
        # the amount order. The statistics read only the columns of search_stats, never the
        # published texts (a million rows: the index is ~50 MB, the table ~2 GB).
        indexes = [
            models.Index(
                fields=[
                    "agency_id",
                    "decided_on",
                    "kind",
                    "on_time",
                    "domain_code",
                    "division_code",
                ],
                name="search_stats",
            ),
            # The row-side filters (amount, a division prefix that is no level) read this small
            # index, not the published texts, for every candidate the full-text walk yields.
            models.Index(fields=["key", "amount", "division_code"], name="search_key_filters"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} {self.title}"
