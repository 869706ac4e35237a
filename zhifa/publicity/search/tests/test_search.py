"""The index through its interface: put, replace, remove; search with every filter, every order,
pages. Runs on SQLite (FTS5) and PostgreSQL (tsvector + GIN) alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from zhifa.publicity.search import selectors
from zhifa.publicity.search.buckets import day_tokens
from zhifa.publicity.search.selectors import SearchQuery, Sort, decisions_search
from zhifa.publicity.search.services import (
    SearchDocument,
    search_index_bulk_load,
    search_index_clear,
    search_index_put,
    search_index_remove,
)

from .conftest import AGENCY_A, AGENCY_B, document

pytestmark = pytest.mark.django_db


def ids(query: SearchQuery, **kwargs: int) -> list[int]:
    return [e.publication_id for e in decisions_search(query, **kwargs).entries]


def test_without_words_every_published_decision_is_listed_newest_decision_first(
    world: dict[str, SearchDocument],
) -> None:
    # decided 4-02, 3-25, 3-15, 2-20, 2-03, 1-10
    assert ids(SearchQuery()) == [4, 6, 3, 5, 2, 1]


def test_a_one_character_query_finds_every_decision_containing_it(world: object) -> None:
    assert ids(SearchQuery(q="药")) == [2]
    assert ids(SearchQuery(q="封")) == [6]


def test_a_two_character_query_matches_the_word(world: object) -> None:
    assert ids(SearchQuery(q="假药")) == [2]
    # "并处罚款" segments as 处罚 / 罚款 in search mode: 罚款 is found inside it.
    assert ids(SearchQuery(q="罚款")) == [4, 5, 2, 1]
    assert ids(SearchQuery(q="鲸")) == []


def test_a_run_the_dictionary_does_not_know_matches_by_its_characters(world: object) -> None:
    # 款人 is no word: every decision holding both characters matches.
    assert ids(SearchQuery(q="款人")) == [4, 5, 2, 1]


def test_every_word_of_the_query_is_required(world: object) -> None:
    assert ids(SearchQuery(q="食品 许可")) == [3]
    assert ids(SearchQuery(q="食品 废气")) == []


def test_the_subject_the_title_and_the_decision_number_are_searched(world: object) -> None:
    assert ids(SearchQuery(q="东方化工")) == [6, 5]
    assert ids(SearchQuery(q="乙环罚〔2026〕5号")) == [5]
    assert ids(SearchQuery(q="JY13030200001234")) == [3]


def test_filter_by_agency(world: object) -> None:
    assert ids(SearchQuery(agency=AGENCY_B)) == [6, 5]
    assert ids(SearchQuery(q="罚款", agency=AGENCY_B)) == [5]


def test_filter_by_domain_and_kind(world: object) -> None:
    assert ids(SearchQuery(domain="environment")) == [6, 5]
    assert ids(SearchQuery(kind="licence")) == [3]
    assert ids(SearchQuery(kind="coercion", domain="market")) == []


def test_an_unknown_kind_matches_nothing(world: object) -> None:
    assert decisions_search(SearchQuery(kind="nonsense")).count == 0


def test_filter_by_decision_dates_inclusive(world: object) -> None:
    query = SearchQuery(decided_from=date(2026, 2, 20), decided_to=date(2026, 3, 25))
    assert ids(query) == [6, 3, 5]
    assert ids(SearchQuery(q="经查", decided_to=date(2026, 2, 3))) == [2, 1]


def test_filter_by_amount(world: object) -> None:
    assert ids(SearchQuery(min_amount=Decimal(100000))) == [5, 2]
    assert ids(SearchQuery(max_amount=Decimal(5000))) == [4, 1]
    query = SearchQuery(q="罚款", min_amount=Decimal(3000), max_amount=Decimal(100000))
    assert ids(query) == [1]


def test_filter_by_division_prefix(world: object) -> None:
    assert ids(SearchQuery(division="130303")) == [6, 5]
    assert ids(SearchQuery(division="1303")) == [4, 6, 3, 5, 2, 1]
    assert ids(SearchQuery(division="13030")) == [4, 6, 3, 5, 2, 1]  # not a level: LIKE
    assert ids(SearchQuery(division="1304")) == []


def test_sort_by_amount_puts_the_largest_first_and_no_amount_last(world: object) -> None:
    assert ids(SearchQuery(sort=Sort.AMOUNT)) == [5, 2, 1, 4, 6, 3]
    assert ids(SearchQuery(q="经查", sort=Sort.AMOUNT)) == [5, 2, 1, 4]


def test_sort_by_relevance_puts_decisions_whose_heading_holds_the_words_first(
    world: object,
) -> None:
    # 食品 is in the titles of 1 (销售超过保质期的食品) and 3 (食品经营许可) and the body of 1.
    assert ids(SearchQuery(q="食品", sort=Sort.RELEVANCE)) == [3, 1]
    # 罚款 is in no heading: newest first, as without relevance.
    assert ids(SearchQuery(q="罚款", sort=Sort.RELEVANCE)) == [4, 5, 2, 1]


def test_relevance_pages_continue_from_the_heading_matches_into_the_others(db: None) -> None:
    for n in range(1, 6):
        search_index_put(document(n, title="销售过期食品", decided_on=date(2026, 1, n)))
    for n in range(6, 11):
        search_index_put(document(n, title="其他案件", subject="王某", decided_on=date(2026, 2, n)))
    # every body mentions 食品; titles of 1–5 do.
    query = SearchQuery(q="食品", sort=Sort.RELEVANCE)
    pages = [ids(query, page=p, page_size=3) for p in (1, 2, 3, 4)]
    assert pages == [[5, 4, 3], [2, 1, 10], [9, 8, 7], [6]]


def test_pages_follow_on_and_an_out_of_range_page_gives_the_last(world: object) -> None:
    first = decisions_search(SearchQuery(), page=1, page_size=4)
    second = decisions_search(SearchQuery(), page=2, page_size=4)
    assert [e.publication_id for e in first.entries] == [4, 6, 3, 5]
    assert [e.publication_id for e in second.entries] == [2, 1]
    assert (first.count, first.num_pages, first.has_next, second.has_previous) == (6, 2, True, True)
    assert decisions_search(SearchQuery(), page=99, page_size=4).number == 2


def test_the_count_stops_at_the_cap(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    search_index_bulk_load(document(n) for n in range(1, 6))
    page = decisions_search(SearchQuery(q="食品"), page_size=2)
    assert (page.count, page.more, page.num_pages) == (3, True, 2)


def test_put_again_replaces_the_decision_and_its_words(world: object) -> None:
    search_index_put(document(2, title="药品零售企业销售劣药", body="更正后的内容：销售劣药。"))
    assert ids(SearchQuery(q="假药")) == []
    assert ids(SearchQuery(q="劣药")) == [2]
    assert decisions_search(SearchQuery()).count == 6


def test_a_correction_may_move_the_decision_date(world: object) -> None:
    search_index_put(document(1, decided_on=date(2026, 5, 1)))
    assert ids(SearchQuery()) == [1, 4, 6, 3, 5, 2]


def test_a_withdrawn_decision_is_found_no_more(world: object) -> None:
    search_index_remove(2)
    assert ids(SearchQuery(q="药")) == []
    assert 2 not in ids(SearchQuery())
    search_index_remove(2)  # twice is harmless
    assert ids(SearchQuery(q="罚款")) == [4, 5, 1]


def test_bulk_load_then_clear(db: None) -> None:
    assert search_index_bulk_load((document(n) for n in range(1, 8)), batch=3) == 7
    assert decisions_search(SearchQuery(q="保质期")).count == 7
    search_index_clear()
    assert decisions_search(SearchQuery(q="保质期")).count == 0
    assert decisions_search(SearchQuery()).count == 0


def test_an_unknown_kind_is_refused(db: None) -> None:
    with pytest.raises(ValueError, match="unknown decision kind"):
        search_index_put(document(1, kind="处罚"))


def test_a_query_cannot_reach_the_filter_tokens(world: object) -> None:
    # Facet tokens carry a private-use mark no query produces: "a11" is just a word here.
    assert ids(SearchQuery(q=f"a{AGENCY_A}")) == []
    assert ids(SearchQuery(q="\ue000a11")) == []


def test_export_walks_every_match_in_order_chunk_after_chunk(world: object) -> None:
    rows = list(selectors.decisions_export(SearchQuery(q="经查"), chunk=2))
    assert [e.publication_id for e in rows] == [4, 5, 2, 1]
    by_amount = selectors.decisions_export(SearchQuery(sort=Sort.AMOUNT), chunk=2)
    assert [e.publication_id for e in by_amount] == [5, 2, 1, 4, 6, 3]
    assert len(list(selectors.decisions_export(SearchQuery(), limit=3, chunk=2))) == 3


def test_statistics_count_per_month_kind_and_agency_with_on_time_rates(world: object) -> None:
    stats = selectors.decisions_statistics()
    assert stats.total == 6
    assert stats.per_month == [("2026-01", 1), ("2026-02", 2), ("2026-03", 2), ("2026-04", 1)]
    assert [(code, n) for code, _label, n in stats.per_kind] == [
        ("penalty", 4),
        ("licence", 1),
        ("coercion", 1),
    ] or sorted(stats.per_kind)[0][0] == "coercion"
    a, b = stats.per_agency
    assert (a.agency_id, a.decisions, a.on_time, a.judged) == (AGENCY_A, 4, 3, 4)
    assert a.on_time_percent == "75.0%"
    # 6 has no due date: only 5 is judged, and it was published on its due day.
    assert (b.agency_id, b.decisions, b.on_time, b.judged, b.on_time_percent) == (
        AGENCY_B,
        2,
        1,
        1,
        "100.0%",
    )
    assert (stats.agencies, stats.on_time, stats.judged) == (2, 4, 5)


def test_statistics_take_the_filters(world: object) -> None:
    stats = selectors.decisions_statistics(SearchQuery(domain="environment"))
    assert stats.total == 2
    assert [a.agency_id for a in stats.per_agency] == [AGENCY_B]


def test_the_full_text_index_is_the_vendors_own(world: object) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM publicity_search_fts WHERE publicity_search_fts MATCH '药'"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM publicity_search_terms WHERE tokens @@ '药'::tsquery"
            )
        assert cursor.fetchone()[0] == 1
        if connection.vendor == "postgresql":
            # Each row also carries its decision day's buckets (buckets.py).
            day = date(2026, 2, 3).toordinal()
            cursor.execute(
                "SELECT count(*) FROM publicity_search_terms WHERE tokens @@ %s::tsquery",
                [" & ".join(f"'{t}'" for t in day_tokens(day))],
            )
            assert cursor.fetchone()[0] == 1


def test_on_postgresql_the_terms_go_with_their_entry(world: object) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL keeps the tokens in a table of their own")
    from zhifa.publicity.search.models import Entry

    def terms() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM publicity_search_terms")
            return int(cursor.fetchone()[0])

    assert terms() == 6
    Entry.objects.filter(publication_id=2).delete()  # however a row goes, its terms go
    assert terms() == 5 and ids(SearchQuery(q="药")) == []
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE publicity_search_entry")  # as Django's flush does
    assert terms() == 0
