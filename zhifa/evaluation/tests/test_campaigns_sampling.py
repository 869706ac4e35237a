"""The draw of a 随机抽查 (pure): reproducible from the population and the seed, ranked as the
双随机 draw ranks, counts by number or ratio (rounded up, never more than there are)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from zhifa.evaluation import sampling
from zhifa.inspections import draw as inspections_draw

POPULATION = {7: [31, 12, 55, 40, 12], 3: [2, 9], 9: []}


def test_the_same_population_and_seed_give_the_same_files_and_another_seed_others() -> None:
    once = sampling.draw(POPULATION, "seed-A", count=2)
    again = sampling.draw(
        {a: list(reversed(ids)) for a, ids in POPULATION.items()}, "seed-A", count=2
    )
    assert once == again
    assert [d.agency_id for d in once] == [3, 3, 7, 7]
    draws = {
        tuple(d.case_id for d in sampling.draw(POPULATION, f"s{n}", count=2)) for n in range(20)
    }
    assert len(draws) > 1


def test_the_ranking_is_the_double_random_draws() -> None:
    ids = [12, 31, 40, 55]
    assert sampling.ranked(ids, "D") == [
        int(c) for c in inspections_draw.ranked(map(str, ids), "D")
    ]
    assert sampling.rank_key(12, "D") == hashlib.sha256(b"12/D").digest()


def test_the_population_hash_covers_every_agency_and_case_in_order() -> None:
    text = sampling.population_text(POPULATION)
    assert text == "3:2\n3:9\n7:12\n7:31\n7:40\n7:55\n"
    assert sampling.population_sha256(POPULATION) == hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("size", "ratio", "count", "expected"),
    [
        (10, Decimal(10), None, 1),
        (10, Decimal("10.01"), None, 2),  # rounded up
        (3, Decimal(1), None, 1),  # a ratio of a non-empty population draws at least one
        (0, Decimal(50), None, 0),
        (4, None, 9, 4),  # never more than there are
        (4, None, 2, 2),
        (4, Decimal(100), None, 4),
    ],
)
def test_count_for(size: int, ratio: Decimal | None, count: int | None, expected: int) -> None:
    assert sampling.count_for(size, ratio=ratio, count=count) == expected


def test_a_draw_needs_a_seed_and_one_way_of_counting() -> None:
    with pytest.raises(ValueError, match="seed"):
        sampling.draw(POPULATION, "", count=1)
    with pytest.raises(ValueError, match="not both"):
        sampling.draw(POPULATION, "s", ratio=Decimal(5), count=1)
