"""What the Meilisearch backend sends and how it reads the answers: pure functions, unit-tested.

Settings mirror the embedded engine's behaviour (DESIGN.md §3). Listing text goes into per-language
attributes (`title_es`, `description_pt`…) so `localizedAttributes` can tell Meilisearch's tokenizer
which language each one is in; the plain `title`/`description` are kept, unsearched, for display.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from search.documents import (
    LANGUAGES,
    MARK_END,
    MARK_START,
    ListingDocument,
    NoticeDocument,
    date_from_epoch_days,
    epoch_days,
)
from search.engine import IndexName, SearchHit, SearchQuery, SearchResults
from search.filters import (
    LISTING_FILTERABLE,
    NOTICE_FILTERABLE,
    ListingFilter,
    NoticeFilter,
    listing_filter_expression,
    notice_filter_expression,
)
from search.highlight import CROP_MARKER, CROP_WORDS, render_marked

# ISO 639-3 codes, as localizedAttributes and the search `locales` parameter take them.
LOCALES = {"es": "spa", "en": "eng", "pt": "por", "fr": "fra"}
EMBEDDER = "puente"
MAX_TOTAL_HITS = 10_000  # exhaustive totals up to this many hits (Meilisearch's default is 1000)
_SORT = {"newest": ["published_at:desc"], "deadline": ["tender_end:asc"]}
_LOCALIZED = ("title", "description")


def _localized(name: str) -> list[str]:
    return [f"{name}_{language}" for language in LANGUAGES]


def index_settings(index: IndexName, *, vector_dimensions: int | None = None) -> dict[str, Any]:
    """The full settings object of an index (PATCH /indexes/{uid}/settings)."""
    if index == "listings":
        searchable = [*_localized("title"), "company_name", *_localized("description")]
        filterable, sortable = sorted(LISTING_FILTERABLE), ["published_at", "valid_until"]
    else:
        # Notices of unknown language keep their text in the plain attributes.
        searchable = [*_localized("title"), "title", "buyer_name", *_localized("description"), "description"]
        filterable, sortable = sorted(NOTICE_FILTERABLE), ["published_at", "tender_end"]
    settings: dict[str, Any] = {
        "searchableAttributes": searchable,
        "filterableAttributes": filterable,
        "sortableAttributes": sortable,
        "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness"],
        "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9}},
        "localizedAttributes": [
            {"attributePatterns": [f"*_{language}"], "locales": [LOCALES[language]]} for language in LANGUAGES
        ],
        "faceting": {"maxValuesPerFacet": 300, "sortFacetValuesBy": {"*": "count"}},
        "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
    }
    if vector_dimensions:
        settings["embedders"] = {EMBEDDER: {"source": "userProvided", "dimensions": vector_dimensions}}
    return settings


def to_meili(document: ListingDocument | NoticeDocument, *, embedder: bool = False) -> dict[str, Any]:
    """The JSON document sent to Meilisearch."""
    data = document.to_dict()
    if isinstance(document, ListingDocument):
        data["valid_until"] = epoch_days(document.valid_until) if document.valid_until else None
        vector = data.pop("vector")
        if vector is not None:
            # With a userProvided embedder the vector is indexed for similarity; otherwise just kept.
            data.update({"_vectors": {EMBEDDER: vector}} if embedder else {"vector": vector})
    if document.language in LANGUAGES:
        for name in _LOCALIZED:
            data[f"{name}_{document.language}"] = data[name]
    return data


def from_meili(index: IndexName, raw: dict[str, Any]) -> dict[str, Any]:
    """A hit's document in the shape of `to_dict()` (what `SearchHit.document` holds)."""
    cls = ListingDocument if index == "listings" else NoticeDocument
    data = {k: v for k, v in raw.items() if not k.startswith("_")}
    if index == "listings":
        if isinstance(data.get("valid_until"), int):
            data["valid_until"] = date_from_epoch_days(data["valid_until"]).isoformat()
        vectors = raw.get("_vectors") or {}
        if "vector" not in data:
            embedded = vectors.get(EMBEDDER)
            data["vector"] = embedded.get("embeddings") if isinstance(embedded, dict) else embedded
    return cls.from_dict(data).to_dict()


def search_params(index: IndexName, query: SearchQuery) -> dict[str, Any]:
    """The body of POST /indexes/{uid}/search, except `q`."""
    params: dict[str, Any] = {
        "page": query.page,
        "hitsPerPage": query.per_page,
        # Every word must match (the default "last" drops words from the end when nothing matches).
        "matchingStrategy": "all",
    }
    if isinstance(query.filters, ListingFilter):
        expression = listing_filter_expression(query.filters)
    elif isinstance(query.filters, NoticeFilter):
        expression = notice_filter_expression(query.filters)
    else:
        expression = None
    if expression:
        params["filter"] = expression
    if query.facets:
        params["facets"] = list(query.facets)
    sort = _SORT.get(query.sort) or ([] if query.text.strip() else _SORT["newest"])
    if sort:
        params["sort"] = sort
    if query.highlight:
        localized = [*_localized("title"), *_localized("description")]
        extra = ["title", "description"] if index == "notices" else []
        params.update(
            {
                "attributesToHighlight": localized + extra,
                "attributesToCrop": [*_localized("description"), *(["description"] if extra else [])],
                "cropLength": CROP_WORDS,
                "cropMarker": CROP_MARKER,
                # Our marker characters, turned into <mark> only after the text is HTML-escaped.
                "highlightPreTag": MARK_START,
                "highlightPostTag": MARK_END,
            }
        )
    if query.language in LOCALES:
        params["locales"] = [LOCALES[query.language]]
    return params


def _highlight(raw: dict[str, Any], name: str) -> str:
    formatted = raw.get("_formatted") or {}
    language = raw.get("language")
    for key in (f"{name}_{language}", name):
        value = formatted.get(key)
        if isinstance(value, str):
            return render_marked(value)
    return escape(str(raw.get(name) or ""))


def parse_search(index: IndexName, query: SearchQuery, body: dict[str, Any]) -> SearchResults:
    """SearchResults from a search response (page/hitsPerPage mode)."""
    hits = [
        SearchHit(
            id=int(raw["id"]),
            document=from_meili(index, raw),
            highlights={n: _highlight(raw, n) for n in _LOCALIZED} if query.highlight else {},
        )
        for raw in body["hits"]
    ]
    distribution = body.get("facetDistribution") or {}
    facets = {f: {str(k): int(v) for k, v in (distribution.get(f) or {}).items()} for f in query.facets}
    total = body.get("totalHits", body.get("estimatedTotalHits", len(hits)))
    return SearchResults(
        hits=hits,
        total=int(total),
        page=query.page,
        per_page=query.per_page,
        facets=facets,
        processing_ms=float(body.get("processingTimeMs", 0)),
    )


def documents_payload(
    documents: Sequence[ListingDocument | NoticeDocument], *, embedder: bool = False
) -> list[dict[str, Any]]:
    """The documents of one batch, the last copy of an id winning (as in the embedded engine)."""
    latest = {doc.id: doc for doc in documents}
    return [to_meili(doc, embedder=embedder) for doc in latest.values()]
