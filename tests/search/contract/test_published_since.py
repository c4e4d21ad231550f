"""`published_since`: only listings published at or after a moment (what a saved search checks for news)."""

from __future__ import annotations

from datetime import UTC, datetime

from search.engine import SearchEngine, SearchQuery
from search.filters import ListingFilter, listing_filter_expression


def at(epoch_seconds: int) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, UTC)


def ids(engine: SearchEngine, text: str = "", **filters) -> set[int]:  # type: ignore[no-untyped-def]
    query = SearchQuery(text=text, filters=ListingFilter(**filters), per_page=100)
    return set(engine.search("listings", query).ids)


def test_published_since_keeps_listings_published_at_or_after_the_moment(catalogue: SearchEngine) -> None:
    assert ids(catalogue, published_since=at(8000)) == {8, 9, 10, 11}  # 8000 itself included
    assert ids(catalogue, published_since=at(8001)) == {9, 10, 11}
    assert ids(catalogue, published_since=at(20_000)) == set()


def test_published_since_combines_with_words_and_other_filters(catalogue: SearchEngine) -> None:
    assert ids(catalogue, "cacao", published_since=at(2500)) == {8, 10}
    assert ids(catalogue, "cacao", published_since=at(2500), countries=("EC",)) == {8}
    assert ids(catalogue, published_since=at(500), kind="request") == {2, 7}


def test_published_since_rounds_a_fraction_of_a_second_down(catalogue: SearchEngine) -> None:
    # Documents keep whole seconds: a bound inside second 9000 still finds the listing of that second.
    assert 9 in ids(catalogue, published_since=datetime.fromtimestamp(9000.7, UTC))


def test_meilisearch_expression_of_published_since() -> None:
    expression = listing_filter_expression(ListingFilter(kind="offer", published_since=at(1_700_000_000)))
    assert expression == 'kind = "offer" AND published_at >= "1700000000"'
