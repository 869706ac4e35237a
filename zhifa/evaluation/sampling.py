"""Drawing case files for an evaluation campaign (随机抽查, 《广东省行政执法案卷评查办法》第八条),
pure: no Django, no clock.

The draw can be re-run by anyone from what the campaign records *before* it draws:

1. **Population.** Per agency, the ids of the cases in scope (decided, or for inspections and
   licences concluded, within the campaign's period), as decimal strings sorted ascending
   (``population_text``: one ``<agency id>:<case id>`` per line, agencies ascending, each line
   ending in "\\n"). Its SHA-256 (``population_sha256``) and the seed are recorded first.
2. **Rank.** Within each agency every case id C ranks by SHA-256(UTF-8(C + "/" + seed)) read as
   a big-endian number, highest first — the method of the 双随机 draw
   (``zhifa.inspections.draw.ranked``, after ICANN OCTO-41 and RFC 3797).
3. **Select.** The first ``count`` of each agency, or ``ceil(size × ratio / 100)`` of it (a
   ratio of a non-empty population draws at least one file); never more than the agency has.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

BASIS = "《广东省行政执法案卷评查办法》第八条（抽查可以采取随机抽取或者自行选送的方式）"


@dataclass(frozen=True)
class Drawn:
    agency_id: int
    case_id: int
    rank: int  # 1-based position in the agency's ranking


def population_members(case_ids: Iterable[int]) -> list[int]:
    """The agency's case ids, ascending, without repeats."""
    return sorted(set(int(c) for c in case_ids))


def population_text(population_by_agency: Mapping[int, Iterable[int]]) -> str:
    """The population exactly as hashed: ``<agency id>:<case id>\\n`` per case, agencies and
    cases ascending."""
    lines = []
    for agency_id in sorted(population_by_agency):
        for case_id in population_members(population_by_agency[agency_id]):
            lines.append(f"{agency_id}:{case_id}\n")
    return "".join(lines)


def population_sha256(population_by_agency: Mapping[int, Iterable[int]]) -> str:
    return hashlib.sha256(population_text(population_by_agency).encode("utf-8")).hexdigest()


def rank_key(case_id: int, seed: str) -> bytes:
    """SHA-256(UTF-8(C + "/" + seed)); as bytes, their order is the big-endian number's."""
    return hashlib.sha256(f"{case_id}/{seed}".encode()).digest()


def ranked(case_ids: Iterable[int], seed: str) -> list[int]:
    """The case ids, highest rank first."""
    keyed = [(rank_key(c, seed), c) for c in population_members(case_ids)]
    keyed.sort(reverse=True)
    return [c for _, c in keyed]


def count_for(size: int, *, ratio: Decimal | None = None, count: int | None = None) -> int:
    """How many of ``size`` files an agency gives: ``count``, or the ``ratio`` per cent rounded
    up; at most ``size``."""
    if size <= 0:
        return 0
    if count is not None:
        return max(0, min(size, int(count)))
    if ratio is None or ratio <= 0:
        return 0
    wanted = (Decimal(size) * Decimal(ratio) / 100).to_integral_value(rounding=ROUND_CEILING)
    return min(size, int(wanted))


def draw(
    population_by_agency: Mapping[int, Sequence[int]],
    seed: str,
    ratio: Decimal | None = None,
    count: int | None = None,
) -> list[Drawn]:
    """The files drawn: per agency (ascending), the top-ranked ``count`` (or ``ratio`` per cent)
    of its cases under ``seed``, in rank order. Raises ValueError without a seed or without
    exactly one of ``ratio`` and ``count``."""
    if not seed:
        raise ValueError("a draw needs its seed")
    if (ratio is None) == (count is None):
        raise ValueError("give a ratio or a count per agency, not both")
    out: list[Drawn] = []
    for agency_id in sorted(population_by_agency):
        members = population_by_agency[agency_id]
        order = ranked(members, seed)
        k = count_for(len(order), ratio=ratio, count=count)
        out.extend(Drawn(agency_id, case_id, n) for n, case_id in enumerate(order[:k], 1))
    return out
