"""Meilisearch filter expressions: allow-listed attributes, every value quoted and escaped."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.filters import (
    ListingFilter,
    NoticeFilter,
    _Expression,
    ids_filter_expression,
    listing_filter_expression,
    notice_filter_expression,
    quote,
)

# A Meilisearch string literal: a double quote, then escaped characters or anything but \ and ".
LITERAL = r'"(?:\\.|[^"\\])*"'


def unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def test_quote_escapes_backslash_and_double_quote() -> None:
    assert quote('a"b\\c') == '"a\\"b\\\\c"'


def test_no_filter_means_no_expression() -> None:
    assert listing_filter_expression(None) is None
    assert listing_filter_expression(ListingFilter()) is None


def test_listing_filter_expression() -> None:
    spec = ListingFilter(
        kind="offer",
        countries=("CO", "PE"),
        exclude_countries=("US",),
        hs_chapters=("09",),
        certifications=("organic", "fair_trade"),
        women_led=True,
        valid_on=date(1970, 1, 31),
        exclude_company_id=7,
        ships_to="MX",
    )
    assert listing_filter_expression(spec) == (
        'kind = "offer" AND country IN ["CO", "PE"] AND country NOT IN ["US"] AND hs_chapter IN ["09"]'
        ' AND certifications = "organic" AND certifications = "fair_trade" AND women_led = "true"'
        ' AND (valid_until >= "30" OR valid_until IS NULL) AND company_id != "7"'
        ' AND (ship_to = "MX" OR ship_to IS EMPTY)'
    )


def test_notice_filter_expression() -> None:
    spec = NoticeFilter(statuses=("active",), open_at=datetime(1970, 1, 1, 0, 1, tzinfo=UTC))
    assert notice_filter_expression(spec) == (
        'status IN ["active"] AND (tender_end >= "60" OR tender_end IS NULL)'
    )


def test_ids_filter_expression() -> None:
    assert ids_filter_expression([1, 22]) == 'id IN ["1", "22"]'


def test_attributes_outside_the_allow_list_are_refused() -> None:
    expression = _Expression(frozenset({"kind"}))
    with pytest.raises(ValueError, match="not a filterable attribute"):
        expression.equals("kind = 'x' OR price", "1")


def test_only_str_int_and_bool_values_are_accepted() -> None:
    with pytest.raises(TypeError):
        listing_filter_expression(ListingFilter(kind=["offer"]))  # type: ignore[arg-type]


@given(kind=st.text(), countries=st.lists(st.text(), min_size=1, max_size=4), certification=st.text())
def test_hostile_values_stay_inside_their_quotes(kind: str, countries: list[str], certification: str) -> None:
    spec = ListingFilter(kind=kind, countries=tuple(countries), certifications=(certification,))
    expression = listing_filter_expression(spec)
    assert expression is not None
    literals = re.findall(LITERAL, expression)
    assert [unquote(v) for v in literals] == [kind, *countries, certification]
    # Outside the literals only our own syntax is left.
    skeleton = re.sub(LITERAL, "V", expression)
    assert skeleton == f"kind = V AND country IN [{', '.join(['V'] * len(countries))}] AND certifications = V"
