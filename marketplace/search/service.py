"""Listing search for pages and the API: validated parameters in, one page of results with facets out."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from marketplace.core.codes import CERTIFICATIONS, country_code
from marketplace.core.errors import DomainError
from marketplace.core.i18n import N_
from search.engine import SearchEngine, SearchQuery, SearchResults, SearchUnavailable
from search.filters import ListingFilter

FACETS = ("kind", "country", "hs_chapter", "certifications", "women_led", "verified")


class SearchParams(BaseModel):
    """What a visitor may ask of search; anything else is refused before it reaches an engine."""

    model_config = ConfigDict(str_strip_whitespace=True)

    q: str = Field(default="", max_length=200)
    kind: Literal["offer", "request"] | None = None
    country: list[str] = Field(default_factory=list, max_length=20)
    hs_chapter: list[str] = Field(default_factory=list, max_length=20)
    certification: list[str] = Field(default_factory=list, max_length=10)
    women_led: bool | None = None
    verified: bool | None = None
    sort: Literal["relevance", "newest"] = "relevance"
    page: int = Field(default=1, ge=1, le=1000)
    per_page: int = Field(default=20, ge=1, le=100)

    @field_validator("country")
    @classmethod
    def _countries(cls, values: list[str]) -> list[str]:
        return [country_code(value) for value in values if value]

    @field_validator("hs_chapter")
    @classmethod
    def _chapters(cls, values: list[str]) -> list[str]:
        for value in values:
            if not (len(value) == 2 and value.isdigit()):
                raise ValueError("an HS chapter has 2 digits")
        return values

    @field_validator("certification")
    @classmethod
    def _certifications(cls, values: list[str]) -> list[str]:
        for value in values:
            if value not in CERTIFICATIONS:
                raise ValueError(f"unknown certification {value!r}")
        return values


class SearchTemporarilyUnavailable(DomainError):
    status_code = 503
    code = "search_unavailable"


def listing_filter(params: SearchParams, *, today: date, **extra: Any) -> ListingFilter:
    """The engine filter of a visitor's parameters (listings valid today); `extra` adds engine-only fields."""
    return ListingFilter(
        kind=params.kind,
        countries=tuple(params.country),
        hs_chapters=tuple(params.hs_chapter),
        certifications=tuple(params.certification),
        women_led=params.women_led,
        verified=params.verified,
        valid_on=today,
        **extra,
    )


def search_listings(
    engine: SearchEngine, params: SearchParams, *, today: date, language: str
) -> SearchResults:
    """Active listings matching the words and filters, with facet counts; SearchTemporarilyUnavailable if down."""
    filters = listing_filter(params, today=today)
    query = SearchQuery(
        text=params.q,
        filters=filters,
        facets=FACETS,
        sort=params.sort,
        page=params.page,
        per_page=params.per_page,
        highlight=True,
        language=language,
    )
    try:
        return engine.search("listings", query)
    except SearchUnavailable:
        raise SearchTemporarilyUnavailable(
            N_("Search is temporarily unavailable. Your listings are safe; try again in a few minutes.")
        ) from None
