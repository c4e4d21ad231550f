"""Structured search filters, and their translation into Meilisearch filter expressions.

User input reaches an engine only through these objects: the Meilisearch expression is assembled here
from attribute names on an allow-list and values that are always quoted and escaped, so no value can
close its quotes and add a clause. The embedded engine builds its queries from the same objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from search.documents import epoch_days

LISTING_FILTERABLE = frozenset(
    {
        "id", "kind", "language", "company_id", "country", "hs_code", "hs_chapter", "hs_heading",
        "unspsc_code", "certifications", "women_led", "verified", "ship_to", "accept_from",
        "valid_until", "published_at",
    }
)  # fmt: skip
NOTICE_FILTERABLE = frozenset({"id", "country", "status", "classifications", "tender_end", "published_at"})


@dataclass(frozen=True, kw_only=True)
class ListingFilter:
    """What a listing must satisfy; every field left at its default does not filter.

    Lists are alternatives ("any of"), except `certifications`: a listing must hold all of them.
    """

    kind: str | None = None
    countries: tuple[str, ...] = ()
    exclude_countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    hs_chapters: tuple[str, ...] = ()
    hs_headings: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    women_led: bool | None = None
    verified: bool | None = None
    valid_on: date | None = None  # valid on that day: no end date, or ending on or after it
    company_id: int | None = None
    exclude_company_id: int | None = None
    ships_to: str | None = None  # ships to this country, or anywhere
    accepts_from: str | None = None  # accepts supply from this country, or from anywhere
    published_since: datetime | None = None  # published at or after this moment (whole seconds)


@dataclass(frozen=True, kw_only=True)
class NoticeFilter:
    """What a procurement notice must satisfy; defaults do not filter."""

    countries: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()  # any of, exact codes such as "unspsc:43211500"
    open_at: datetime | None = None  # deadline unknown, or not passed at that moment


def published_second(moment: datetime) -> int:
    """The epoch second a `published_since` bound compares with (documents store whole seconds, rounded
    down; rounding the bound down too keeps a listing of that same second rather than losing it)."""
    return int(moment.timestamp())


def quote(value: str) -> str:
    """A Meilisearch filter string literal: double-quoted, backslash and double quote escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Expression:
    """Clauses ANDed together; attribute names are checked against the index's allow-list."""

    def __init__(self, allowed: frozenset[str]) -> None:
        self._allowed = allowed
        self.clauses: list[str] = []

    def _name(self, attribute: str) -> str:
        if attribute not in self._allowed:
            raise ValueError(f"{attribute!r} is not a filterable attribute")
        return attribute

    def equals(self, attribute: str, value: str | int | bool) -> None:
        self.clauses.append(f"{self._name(attribute)} = {_literal(value)}")

    def not_equals(self, attribute: str, value: str | int | bool) -> None:
        self.clauses.append(f"{self._name(attribute)} != {_literal(value)}")

    def any_of(self, attribute: str, values: Iterable[str], *, negate: bool = False) -> None:
        items = ", ".join(_literal(v) for v in values)
        self.clauses.append(f"{self._name(attribute)} {'NOT IN' if negate else 'IN'} [{items}]")

    def at_least(self, attribute: str, value: int) -> None:
        self.clauses.append(f"{self._name(attribute)} >= {_literal(value)}")

    def at_least_or_null(self, attribute: str, value: int) -> None:
        # Documents always carry the attribute, null when there is no bound (see search/meili/documents.py).
        name = self._name(attribute)
        self.clauses.append(f"({name} >= {_literal(value)} OR {name} IS NULL)")

    def contains_or_empty(self, attribute: str, value: str) -> None:
        name = self._name(attribute)
        self.clauses.append(f"({name} = {_literal(value)} OR {name} IS EMPTY)")

    def build(self) -> str | None:
        return " AND ".join(self.clauses) or None


def _literal(value: str | int | bool) -> str:
    # Booleans and integers are quoted too: Meilisearch compares a quoted number as a number and stores
    # booleans as the strings "true"/"false", and one rule for every value is easier to check.
    if isinstance(value, bool):
        return quote("true" if value else "false")
    if isinstance(value, int):
        return quote(str(int(value)))
    if not isinstance(value, str):
        raise TypeError(f"filter values are str, int or bool, not {type(value).__name__}")
    return quote(value)


def listing_filter_expression(spec: ListingFilter | None) -> str | None:
    """The Meilisearch `filter` string for a listing filter (None when it filters nothing)."""
    if spec is None:
        return None
    expr = _Expression(LISTING_FILTERABLE)
    if spec.kind is not None:
        expr.equals("kind", spec.kind)
    if spec.countries:
        expr.any_of("country", spec.countries)
    if spec.exclude_countries:
        expr.any_of("country", spec.exclude_countries, negate=True)
    if spec.languages:
        expr.any_of("language", spec.languages)
    if spec.hs_chapters:
        expr.any_of("hs_chapter", spec.hs_chapters)
    if spec.hs_headings:
        expr.any_of("hs_heading", spec.hs_headings)
    for certification in spec.certifications:
        expr.equals("certifications", certification)
    if spec.women_led is not None:
        expr.equals("women_led", spec.women_led)
    if spec.verified is not None:
        expr.equals("verified", spec.verified)
    if spec.valid_on is not None:
        expr.at_least_or_null("valid_until", epoch_days(spec.valid_on))
    if spec.company_id is not None:
        expr.equals("company_id", spec.company_id)
    if spec.exclude_company_id is not None:
        expr.not_equals("company_id", spec.exclude_company_id)
    if spec.ships_to is not None:
        expr.contains_or_empty("ship_to", spec.ships_to)
    if spec.accepts_from is not None:
        expr.contains_or_empty("accept_from", spec.accepts_from)
    if spec.published_since is not None:
        expr.at_least("published_at", published_second(spec.published_since))
    return expr.build()


def notice_filter_expression(spec: NoticeFilter | None) -> str | None:
    """The Meilisearch `filter` string for a notice filter (None when it filters nothing)."""
    if spec is None:
        return None
    expr = _Expression(NOTICE_FILTERABLE)
    if spec.countries:
        expr.any_of("country", spec.countries)
    if spec.statuses:
        expr.any_of("status", spec.statuses)
    if spec.classifications:
        expr.any_of("classifications", spec.classifications)
    if spec.open_at is not None:
        expr.at_least_or_null("tender_end", int(spec.open_at.timestamp()))
    return expr.build()


def ids_filter_expression(ids: Iterable[int], *, negate: bool = False) -> str:
    """A filter matching documents by id (how the Meilisearch backend deletes a batch), or all but them."""
    expr = _Expression(LISTING_FILTERABLE | NOTICE_FILTERABLE)
    expr.any_of("id", [str(int(i)) for i in ids], negate=negate)
    return expr.build() or ""
