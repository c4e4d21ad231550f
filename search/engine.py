"""The search engine interface the app talks to, its value types and errors, and the backend factory.

Two backends implement `SearchEngine`: `embedded` (tantivy, on disk, no server; the default) and
`meilisearch` (a server). Typical use by the app::

    engine = make_engine("embedded", index_dir=data_dir / "index")
    engine.ensure_indexes()                       # at start-up: create indexes, apply settings
    engine.upsert("listings", [doc])              # from the outbox worker; visible when it returns
    engine.delete("listings", [listing_id])
    results = engine.search("listings", SearchQuery(text="cafe organico", filters=ListingFilter(...)))
    with engine.rebuild("listings") as build:     # `puente reindex`: new index beside the old one
        for batch in batches:
            build.add(batch)
    # leaving the block without an exception swaps the new index in; an exception discards it

Every method raises `SearchUnavailable` when the engine cannot be reached or is too slow (retry later;
the database keeps the truth) and `SearchError` for anything else that went wrong.

Search by meaning goes through `VectorIndex.nearest` (matching, "also in other languages"): in the embedded
setup the vector store (`search.matching.vectors.VectorStore`) answers it, with Meilisearch the engine
itself does (`MeiliEngine`, whose listings index holds the vectors in a userProvided embedder).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from search.documents import ListingDocument, NoticeDocument, SearchDocument
from search.filters import ListingFilter, NoticeFilter

if TYPE_CHECKING:
    import numpy as np

IndexName = Literal["listings", "notices"]
INDEXES: tuple[IndexName, ...] = ("listings", "notices")
Sort = Literal["relevance", "newest", "deadline"]
TaskStatus = Literal["enqueued", "processing", "succeeded", "failed", "canceled"]

MAX_PER_PAGE = 100
VECTOR_DIMENSIONS = 512  # of the sentence vectors (search.matching.embeddings.DIMENSIONS)
# Facets the listings index counts; a search asks for any subset of them.
LISTING_FACETS = ("kind", "country", "hs_chapter", "certifications", "women_led", "verified", "language")
NOTICE_FACETS = ("country", "status")
SORTS: dict[IndexName, tuple[Sort, ...]] = {
    "listings": ("relevance", "newest"),
    "notices": ("relevance", "newest", "deadline"),
}


class SearchError(Exception):
    """The engine refused or failed an operation (bad request, failed task, corrupt index…)."""


class SearchUnavailable(SearchError):
    """The engine cannot be reached or answered too slowly: degrade, keep the write queued, retry."""


@dataclass(frozen=True, kw_only=True)
class SearchQuery:
    """One search: words, structured filters, facets to count, sort and the page wanted.

    `text` follows the lexical contract of DESIGN.md §3: every word must match (typos allowed from 5
    letters, 2 from 9), the last word also as a prefix, accents and case ignored. An empty `text` lists
    everything that passes the filters; with sort "relevance" it is then ordered newest first.
    """

    text: str = ""
    filters: ListingFilter | NoticeFilter | None = None
    facets: tuple[str, ...] = ()
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = 20
    highlight: bool = True
    language: str | None = None  # the searcher's language: a hint for Meilisearch's tokenizer

    def __post_init__(self) -> None:
        if self.page < 1:
            raise ValueError("page starts at 1")
        if not 0 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 0 and {MAX_PER_PAGE}")


@dataclass(frozen=True)
class SearchHit:
    """One result: the stored document (as `to_dict` gave it) and its highlighted fields.

    `highlights` maps field names (listings: title, description; notices: title, description) to HTML:
    text escaped, matched words wrapped in `<mark>…</mark>`, long descriptions cropped around the first
    match with "…". Present only when the query asked for highlighting.
    """

    id: int
    document: dict[str, Any]
    highlights: dict[str, str] = field(default_factory=dict)
    score: float | None = None  # the engine's relevance in [0, 1], when it reports one (Meilisearch)
    similarity: float | None = None  # cosine with the query vector, for a hit found by meaning


@dataclass(frozen=True)
class SearchResults:
    """A page of hits with the total count and facet counts (over all hits, not just the page)."""

    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]]  # facet -> value -> count; booleans as "true"/"false"
    processing_ms: float = 0.0
    semantic_hits: int | None = None  # of a hybrid search: how many hits were found by meaning

    @property
    def ids(self) -> list[int]:
        """The ids of the hits, in order."""
        return [hit.id for hit in self.hits]


@dataclass(frozen=True)
class TaskInfo:
    """The state of a write. The embedded engine applies writes synchronously (always "succeeded")."""

    id: int
    status: TaskStatus
    index: str | None = None
    error: str | None = None  # message of a failed task
    error_code: str | None = None


@dataclass(frozen=True)
class Health:
    """Whether the engine answers, and how many documents each index holds."""

    available: bool
    backend: str
    detail: str = ""
    documents: Mapping[str, int] = field(default_factory=dict)


class IndexRebuild(Protocol):
    """A new index being built beside the live one (for a full reindex).

    Searches and writes keep going to the live index meanwhile; writes made during the build are not
    in the new index, so the caller replays them after `commit` (e.g. re-queues the outbox rows
    created since the build began) or runs a reconciliation.
    """

    def add(self, documents: Sequence[SearchDocument]) -> None:
        """Add a batch of documents to the new index."""

    def commit(self) -> None:
        """Make the new index live atomically and drop the old one."""

    def abort(self) -> None:
        """Discard the new index; the live one is untouched."""

    def __enter__(self) -> IndexRebuild: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


@runtime_checkable
class SearchEngine(Protocol):
    """What the app may ask of a search backend."""

    backend: str

    def ensure_indexes(self) -> None:
        """Create the missing indexes and apply their settings (idempotent; run at start-up)."""

    def upsert(self, index: IndexName, documents: Sequence[SearchDocument], *, wait: bool = True) -> TaskInfo:
        """Add or replace documents by id. With `wait`, return once they are searchable."""

    def delete(self, index: IndexName, ids: Sequence[int], *, wait: bool = True) -> TaskInfo:
        """Remove documents by id (unknown ids are ignored)."""

    def search(self, index: IndexName, query: SearchQuery) -> SearchResults:
        """Run a search and return one page of results."""

    def count(self, index: IndexName, filters: ListingFilter | NoticeFilter | None = None) -> int:
        """How many documents pass the filters (all documents without filters)."""

    def document_versions(self, index: IndexName) -> dict[int, int]:
        """Every document id in the index with its version (for reconciliation with the database)."""

    def task_status(self, task_id: int) -> TaskInfo:
        """The current state of a write returned with `wait=False`."""

    def health(self) -> Health:
        """Reachability and document counts; never raises."""

    def clear(self, index: IndexName) -> TaskInfo:
        """Delete every document of an index, keeping its settings."""

    def recreate(self, index: IndexName) -> None:
        """Drop an index and create it empty with the current settings."""

    def rebuild(self, index: IndexName) -> IndexRebuild:
        """Start building a new index beside the live one (see `IndexRebuild`)."""

    def close(self) -> None:
        """Release files, writers and connections."""


@runtime_checkable
class VectorIndex(Protocol):
    """Listings nearest in meaning to a vector, whichever backend holds the vectors.

    Similarities are cosines in [-1, 1] on every implementation, so thresholds and scoring weights mean the
    same whether the embedded vector store or Meilisearch answered.
    """

    def nearest(
        self,
        vector: np.ndarray | Sequence[float],
        *,
        kind: str | None = None,
        k: int = 50,
        exclude: Sequence[int] = (),
    ) -> list[tuple[int, float]]:
        """Up to k (listing id, cosine) best first, of `kind` (any when None), leaving out `exclude`."""
        ...


def document_type(index: IndexName) -> type[ListingDocument] | type[NoticeDocument]:
    """The document class an index holds."""
    return ListingDocument if index == "listings" else NoticeDocument


def check_query(index: IndexName, query: SearchQuery) -> None:
    """Refuse facets, sorts and filter types the index does not have (a programming error)."""
    allowed = LISTING_FACETS if index == "listings" else NOTICE_FACETS
    unknown = [f for f in query.facets if f not in allowed]
    if unknown:
        raise ValueError(f"unknown facets for {index}: {unknown}")
    if query.sort not in SORTS[index]:
        raise ValueError(f"sort {query.sort!r} is not available on {index}")
    expected = ListingFilter if index == "listings" else NoticeFilter
    if query.filters is not None and not isinstance(query.filters, expected):
        raise TypeError(f"{index} takes a {expected.__name__}")


def make_engine(
    backend: str,
    *,
    index_dir: str | Path | None = None,
    meili_url: str | None = None,
    meili_api_key: str | None = None,
    timeout: float = 5.0,
    index_prefix: str = "",
    vector_dimensions: int | None = VECTOR_DIMENSIONS,
) -> SearchEngine:
    """Build the configured backend from plain settings values ("embedded" or "meilisearch").

    On Meilisearch the listings index declares a userProvided embedder of `vector_dimensions` (None: no
    search by meaning on the server; the embedded setup keeps its vectors in the vector store instead).
    """
    if backend == "embedded":
        if index_dir is None:
            raise ValueError("the embedded search backend needs index_dir")
        from search.embedded import EmbeddedEngine

        return EmbeddedEngine(Path(index_dir))
    if backend == "meilisearch":
        if not meili_url:
            raise ValueError("the meilisearch backend needs meili_url (MEILI_URL)")
        from search.meili import MeiliEngine

        return MeiliEngine(
            meili_url,
            api_key=meili_api_key,
            timeout=timeout,
            index_prefix=index_prefix,
            vector_dimensions=vector_dimensions,
        )
    raise ValueError(f"unknown search backend {backend!r} (embedded or meilisearch)")
