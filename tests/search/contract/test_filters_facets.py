"""Structured filters, facet counts, sorting and pagination; hostile filter values stay values."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.engine import SearchEngine, SearchQuery
from search.filters import ListingFilter


def ids(engine: SearchEngine, text: str = "", **filters) -> set[int]:
    query = SearchQuery(text=text, filters=ListingFilter(**filters), per_page=100)
    return set(engine.search("listings", query).ids)


def test_filter_by_kind(catalogue: SearchEngine) -> None:
    assert ids(catalogue, kind="request") == {2, 7}


def test_filter_by_countries_and_excluded_countries(catalogue: SearchEngine) -> None:
    assert ids(catalogue, countries=("CO", "MX")) == {1, 2, 7}
    assert ids(catalogue, "cacao", exclude_countries=("MX",)) == {8, 10}


def test_filter_by_hs_chapter_and_heading(catalogue: SearchEngine) -> None:
    assert ids(catalogue, hs_chapters=("09",)) == {1, 3}
    assert ids(catalogue, hs_headings=("1801",)) == {2, 8}


def test_certifications_are_all_required(catalogue: SearchEngine) -> None:
    assert ids(catalogue, certifications=("organic",)) == {1, 2, 5, 8}
    assert ids(catalogue, certifications=("organic", "fair_trade")) == {1}


def test_filter_by_women_led_and_verified(catalogue: SearchEngine) -> None:
    assert ids(catalogue, women_led=True) == {1, 4}
    assert ids(catalogue, verified=True) == {1, 3}
    assert ids(catalogue, women_led=True, verified=False) == {4}


def test_valid_on_keeps_listings_without_end_date_and_not_expired(catalogue: SearchEngine) -> None:
    valid = ids(catalogue, valid_on=date(2025, 6, 1))
    assert 2 not in valid  # ended 2020-01-01
    assert {5, 1} <= valid  # ends 2099; no end date


def test_filter_by_company_and_language(catalogue: SearchEngine) -> None:
    assert ids(catalogue, company_id=6) == {6}
    assert ids(catalogue, "cacao", exclude_company_id=2) == {8, 10}
    assert ids(catalogue, languages=("pt",)) == {4, 10}


def test_ships_to_keeps_listings_shipping_anywhere(catalogue: SearchEngine) -> None:
    shipping_to_mexico = ids(catalogue, ships_to="MX")
    assert 3 in shipping_to_mexico  # ships to CA and MX
    assert 6 not in shipping_to_mexico  # ships to US only
    assert 1 in shipping_to_mexico  # ships anywhere


def test_facet_counts_cover_all_hits_not_just_the_page(catalogue: SearchEngine) -> None:
    query = SearchQuery(facets=("kind", "country", "women_led", "certifications", "hs_chapter"), per_page=2)
    results = catalogue.search("listings", query)
    assert len(results.hits) == 2
    assert results.facets["kind"] == {"offer": 9, "request": 2}
    assert results.facets["country"]["BR"] == 2
    assert results.facets["women_led"] == {"true": 2, "false": 9}
    assert results.facets["certifications"] == {"organic": 4, "fair_trade": 2}
    assert results.facets["hs_chapter"]["18"] == 3


def test_facet_counts_follow_query_and_filters(catalogue: SearchEngine) -> None:
    query = SearchQuery(text="cacao", filters=ListingFilter(kind="offer"), facets=("country", "verified"))
    results = catalogue.search("listings", query)
    assert results.facets["country"] == {"EC": 1, "BR": 1}
    assert results.facets["verified"] == {"false": 2}


def test_sort_newest_orders_by_publication(catalogue: SearchEngine) -> None:
    query = SearchQuery(text="cacao", sort="newest")
    assert catalogue.search("listings", query).ids == [10, 8, 2]


def test_pages_are_disjoint_and_cover_all_hits(catalogue: SearchEngine) -> None:
    pages = [catalogue.search("listings", SearchQuery(page=n, per_page=4)) for n in (1, 2, 3, 4)]
    assert [p.total for p in pages] == [11] * 4
    assert [len(p.hits) for p in pages] == [4, 4, 3, 0]
    seen = [i for p in pages for i in p.ids]
    assert len(seen) == len(set(seen)) == 11


def test_count_applies_filters(catalogue: SearchEngine) -> None:
    assert catalogue.count("listings") == 11
    assert catalogue.count("listings", ListingFilter(countries=("BR",))) == 2


hostile = st.text(min_size=0, max_size=40) | st.sampled_from(
    ['" OR kind = "offer', 'CO" OR country != "', "\\", '\\"', "CO\\", '"', "') OR 1=1 --", "*", "CO OR MX"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(countries=st.lists(hostile, min_size=1, max_size=3), certification=hostile, kind=hostile)
def test_hostile_filter_values_only_ever_match_themselves(
    catalogue: SearchEngine, countries: list[str], certification: str, kind: str
) -> None:
    query = SearchQuery(
        filters=ListingFilter(countries=tuple(countries), certifications=(certification,), kind=kind),
        per_page=100,
    )
    for hit in catalogue.search("listings", query).hits:
        assert hit.document["country"] in countries
        assert certification in hit.document["certifications"]
        assert hit.document["kind"] == kind
