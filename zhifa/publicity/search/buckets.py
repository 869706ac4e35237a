"""Day buckets: how PostgreSQL's full-text index is read newest first (pure).

A GIN index yields its matches in physical order and counts them only by visiting every one, so
"the newest 50 of a million matches" would cost the million. Each decision's tsvector therefore
also holds a token for its decision day at several widths (1, 8, 64 and 512 days, aligned); a
range of days is the OR of the few aligned buckets that cover it exactly. A search then reads
the index one slice of days at a time, newest first, and asks GIN only for the matches inside
the slice — GIN intersects the slice's posting lists with the query's and skips the rest (rows
are stored roughly in decision order, so a slice's rows lie close together).
``selectors`` decides how wide each slice is; SQLite needs none of this (its FTS5 rowid is the
sort key).

Days are proleptic ordinals (``date.toordinal()``), the unit of ``models.entry_key``.
"""

from __future__ import annotations

from .models import KEY_DAY

# A private-use character no query token carries (tokenize.py keeps letters and digits only);
# the facet tokens use U+E000, the heading marks U+E001.
BUCKET_MARK = "\ue002"
# log2 of the bucket widths, in days: 1, 8, 64, 512.
LEVELS = (0, 3, 6, 9)


def day_of_key(key: int) -> int:
    """The decision day (ordinal) of a sort key."""
    return key // KEY_DAY


def bucket_token(level: int, day: int) -> str:
    """The token of the bucket of width 2**level days that holds ``day``."""
    return f"{BUCKET_MARK}{level}x{day >> level}"


def day_tokens(day: int) -> list[str]:
    """The bucket tokens a decision of ``day`` is indexed with, one per width."""
    return [bucket_token(level, day) for level in LEVELS]


def cover(first: int, end: int) -> list[str]:
    """The tokens of the fewest aligned buckets that hold exactly the days ``first`` … ``end - 1``
    (empty for an empty range). At most 7 per width on either side, plus the widest in between."""
    tokens: list[str] = []
    day = first
    while day < end:
        for level in reversed(LEVELS):
            width = 1 << level
            if day % width == 0 and day + width <= end:
                tokens.append(bucket_token(level, day))
                day += width
                break
    return tokens


def sample_days(first: int, end: int, count: int) -> list[int]:
    """``count`` days spread evenly over ``first`` … ``end - 1`` (fewer if the range is shorter),
    each in the middle of its share of the range."""
    length = end - first
    if length <= 0 or count <= 0:
        return []
    if count >= length:
        return list(range(first, end))
    return [first + (2 * i + 1) * length // (2 * count) for i in range(count)]
