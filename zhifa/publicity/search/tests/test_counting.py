"""How many decisions a search says it found, and that its pages stay exact however the index is
read: PostgreSQL reads it newest first in slices of days and, past PG_EXACT_COUNT matches,
estimates the rest (shown as "约 … 条（估算）"); SQLite counts exactly up to COUNT_CAP."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from zhifa.publicity.search import selectors
from zhifa.publicity.search.buckets import BUCKET_MARK, LEVELS, cover, day_tokens, sample_days
from zhifa.publicity.search.selectors import SearchPage, SearchQuery, Sort, decisions_search
from zhifa.publicity.search.services import search_index_bulk_load, search_index_optimize

from .conftest import document

pytestmark = pytest.mark.django_db

START = date(2025, 1, 1)
DAYS = 120


@pytest.fixture
def many(db: None) -> list[int]:
    """240 decisions on 120 consecutive days (two a day), amounts all different; 食品 is in
    every text, 药 in every third. Returns the publication ids, newest decision first."""
    docs = []
    for n in range(1, 2 * DAYS + 1):
        day = START + timedelta(days=(n - 1) // 2)
        body = "经查，当事人销售过期食品。" + ("另查明销售假药。" if n % 3 == 0 else "")
        docs.append(
            document(
                n,
                decided_on=day,
                published_on=day,
                body=body,
                amount=Decimal(1000 + (n * 37) % 241 * 10),
            )
        )
    search_index_bulk_load(docs, batch=100)
    search_index_optimize()
    return [d.publication_id for d in sorted(docs, key=lambda d: (d.decided_on, d.publication_id))][
        ::-1
    ]


def ids(query: SearchQuery, **kwargs: int) -> list[int]:
    return [e.publication_id for e in decisions_search(query, **kwargs).entries]


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the estimate and the slices of days are PostgreSQL's")


# -- what the user reads ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "more", "estimated", "label"),
    [
        (856, False, False, "共 856 条"),
        (10_000, True, False, "超过 10,000 条，请增加关键词或筛选条件"),
        (1_300, False, True, "约 1,300 条（估算）"),
        (15_000, True, True, "约 1.5 万条（估算），请增加关键词或筛选条件"),
        (120_000, True, True, "约 12 万条（估算），请增加关键词或筛选条件"),
        (1_200_000, True, True, "约 120 万条（估算），请增加关键词或筛选条件"),
    ],
)
def test_the_count_reads_as_exact_capped_or_estimated(
    count: int, more: bool, estimated: bool, label: str
) -> None:
    page = SearchPage([], count, more, 1, 50, (), estimated)
    assert page.total_label == label


def test_an_estimate_is_shown_to_two_significant_digits() -> None:
    assert [selectors.round_estimate(v) for v in (7, 56.4, 1_234, 123_456, 1_254_999)] == [
        7,
        56,
        1_200,
        120_000,
        1_300_000,
    ]


def test_an_estimated_count_still_pages_only_to_the_cap() -> None:
    page = SearchPage([], 120_000, True, 1, 50, (), True)
    assert page.num_pages == selectors.COUNT_CAP // 50


def test_the_page_and_the_json_say_when_the_count_is_an_estimate(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def estimated(query: SearchQuery, **kwargs: object) -> SearchPage:
        return SearchPage([], 120_000, True, 1, 50, query.terms, True)

    monkeypatch.setattr(selectors, "decisions_search", estimated)
    html = client.get("/public/search/", {"q": "罚款"}).content.decode()
    assert "约 12 万条（估算）" in html
    data = client.get("/api/v1/public/decisions", {"q": "罚款"}).json()
    assert (data["count"], data["count_estimated"], data["more"]) == (120_000, True, True)
    assert data["count_text"] == "约 12 万条（估算），请增加关键词或筛选条件"


def test_an_exact_count_says_so_in_the_json(many: list[int], client: Client) -> None:
    data = client.get("/api/v1/public/decisions", {"q": "假药"}).json()
    assert (data["count"], data["count_estimated"], data["count_text"]) == (80, False, "共 80 条")


# -- PostgreSQL: past the exact count, an estimate -----------------------------------------------


def test_past_the_exact_count_postgresql_estimates_the_rest(
    many: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    postgresql_only()
    monkeypatch.setattr(selectors, "PG_EXACT_COUNT", 20)
    page = decisions_search(SearchQuery(q="食品"))
    assert page.estimated and not page.more
    assert 200 <= page.count <= 280  # 240 match: the sample is of days, the rows an estimate
    assert page.total_label == f"约 {page.count} 条（估算）"
    # The page itself is exact: the newest 50, in order.
    assert [e.publication_id for e in page.entries] == many[:50]
    # A query matching a third of them is estimated at about a third.
    third = decisions_search(SearchQuery(q="假药"))
    assert third.estimated and 60 <= third.count <= 100


def test_below_the_exact_count_postgresql_counts_exactly(
    many: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    postgresql_only()
    monkeypatch.setattr(selectors, "PG_EXACT_COUNT", 100)
    page = decisions_search(SearchQuery(q="假药"))
    assert (page.count, page.estimated, page.total_label) == (80, False, "共 80 条")


def test_a_search_inside_a_transaction_leaves_the_planner_settings_as_they_were(
    many: list[int],
) -> None:
    postgresql_only()
    names = "current_setting('enable_seqscan'), current_setting('enable_bitmapscan'), " + (
        "current_setting('jit')"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names}")
        before = cursor.fetchone()
        decisions_search(SearchQuery(q="食品", sort=Sort.AMOUNT))  # a test runs in a transaction
        cursor.execute(f"SELECT {names}")
        assert cursor.fetchone() == before


# -- the pages are the same whichever way the index is read --------------------------------------


@pytest.mark.parametrize("exact", [1_000, 20])
def test_pages_follow_the_full_order_newest_first(
    many: list[int], monkeypatch: pytest.MonkeyPatch, exact: int
) -> None:
    monkeypatch.setattr(selectors, "PG_EXACT_COUNT", exact)
    pages = [ids(SearchQuery(q="食品"), page=p, page_size=50) for p in range(1, 6)]
    assert [i for p in pages for i in p] == many
    drugs = [i for i in many if i % 3 == 0]
    assert ids(SearchQuery(q="假药"), page=2, page_size=30) == drugs[30:60]


@pytest.mark.parametrize("exact", [1_000, 20])
def test_by_amount_the_largest_come_first_whichever_plan(
    many: list[int], monkeypatch: pytest.MonkeyPatch, exact: int
) -> None:
    monkeypatch.setattr(selectors, "PG_EXACT_COUNT", exact)
    amounts = {n: 1000 + (n * 37) % 241 * 10 for n in many}
    expected = sorted(many, key=lambda n: (amounts[n], n), reverse=True)
    query = SearchQuery(q="食品", sort=Sort.AMOUNT)
    assert ids(query, page=1, page_size=40) + ids(query, page=2, page_size=40) == expected[:80]
    exported = [e.publication_id for e in selectors.decisions_export(query, chunk=70)]
    assert exported == expected


@pytest.mark.parametrize("exact", [1_000, 20])
def test_relevance_and_date_ranges_across_many_days(
    many: list[int], monkeypatch: pytest.MonkeyPatch, exact: int
) -> None:
    monkeypatch.setattr(selectors, "PG_EXACT_COUNT", exact)
    # 假药 is in no heading: relevance is newest first.
    drugs = [i for i in many if i % 3 == 0]
    assert ids(SearchQuery(q="假药", sort=Sort.RELEVANCE), page_size=100) == drugs
    spring = SearchQuery(q="食品", decided_from=date(2025, 3, 1), decided_to=date(2025, 3, 31))
    march = [
        i
        for i in many
        if date(2025, 3, 1) <= START + timedelta(days=(i - 1) // 2) < date(2025, 4, 1)
    ]
    page = decisions_search(spring, page_size=100)
    assert [e.publication_id for e in page.entries] == march and page.count == 62
    newest = [e.publication_id for e in selectors.decisions_export(spring, chunk=25)]
    assert newest == march


def test_an_out_of_range_page_gives_the_last_after_many_days(many: list[int]) -> None:
    page = decisions_search(SearchQuery(q="假药"), page=99, page_size=30)
    assert (
        page.number == 3
        and [e.publication_id for e in page.entries] == [i for i in many if i % 3 == 0][60:]
    )


# -- the day buckets (pure) ------------------------------------------------------------------


def _days(token: str) -> range:
    level, value = token.removeprefix(BUCKET_MARK).split("x")
    width = 1 << int(level)
    return range(int(value) * width, (int(value) + 1) * width)


@pytest.mark.parametrize(("first", "end"), [(0, 1), (5, 6), (7, 9), (100, 613), (3, 4100), (8, 8)])
def test_a_range_of_days_is_covered_exactly_by_aligned_buckets(first: int, end: int) -> None:
    covered = [day for token in cover(first, end) for day in _days(token)]
    assert covered == list(range(first, end))
    assert len(cover(first, end)) <= 2 * 7 * (len(LEVELS) - 1) + max(0, (end - first) >> 9) + 1


def test_a_day_is_indexed_in_one_bucket_of_each_width() -> None:
    day = date(2025, 3, 1).toordinal()
    assert all(day in _days(token) for token in day_tokens(day))
    assert len(set(day_tokens(day))) == len(LEVELS)


def test_sample_days_spread_over_the_range() -> None:
    assert sample_days(0, 100, 4) == [12, 37, 62, 87]
    assert sample_days(10, 13, 8) == [10, 11, 12]
    assert sample_days(5, 5, 3) == []
