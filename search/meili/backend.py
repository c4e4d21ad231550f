"""The Meilisearch engine: `SearchEngine` over the official client, with timeouts and awaited tasks.

Every HTTP call has the client's timeout; every write is a Meilisearch task that is awaited (with its
own time limit) when `wait=True`, and a failed task raises `SearchError` with Meilisearch's code.
Connection failures, timeouts, 5xx and 429 answers raise `SearchUnavailable`.

With `vector_dimensions` the listings index holds the listings' sentence vectors (a userProvided embedder,
see search/meili/protocol.py) and this engine is also a `VectorIndex`: `nearest` searches by meaning only,
`hybrid_search` blends keywords and meaning. Documents are then written with "add or update" (PUT), so a
listing re-indexed without its vector (the outbox sync does not compute vectors) keeps the one stored by
the matching job; every field, localized text included, is sent, so nothing else survives from before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import meilisearch
import requests
from meilisearch.errors import MeilisearchApiError, MeilisearchCommunicationError, MeilisearchTimeoutError

from search.documents import SearchDocument
from search.engine import (
    INDEXES,
    Health,
    IndexName,
    SearchError,
    SearchQuery,
    SearchResults,
    SearchUnavailable,
    TaskInfo,
    check_query,
)
from search.filters import ListingFilter, NoticeFilter, ids_filter_expression
from search.meili.protocol import (
    documents_payload,
    from_meili,
    hybrid_params,
    index_settings,
    nearest_params,
    parse_nearest,
    parse_search,
    search_params,
    stored_vector,
)
from search.meili.rebuild import MeiliRebuild

T = TypeVar("T")
PAGE = 1000  # documents fetched per request when listing an index


@contextmanager
def meili_errors(what: str) -> Iterator[None]:
    """Translate the client's exceptions into ours."""
    try:
        yield
    except MeilisearchApiError as exc:
        if exc.status_code >= 500 or exc.status_code == 429:
            raise SearchUnavailable(
                f"{what}: Meilisearch answered {exc.status_code} ({exc.message})"
            ) from exc
        raise SearchError(f"{what}: {exc.code or exc.status_code}: {exc.message}") from exc
    except (MeilisearchCommunicationError, MeilisearchTimeoutError, requests.RequestException) as exc:
        raise SearchUnavailable(f"{what}: {exc}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        # An answer of a shape we do not know (another Meilisearch version, a proxy's error page…).
        raise SearchError(f"{what}: unexpected answer from Meilisearch ({exc!r})") from exc


def task_info(task: Any) -> TaskInfo:
    """Our TaskInfo from the client's Task (GET /tasks/{uid})."""
    error = task.error or {}
    return TaskInfo(
        id=task.uid,
        status=task.status,
        index=task.index_uid,
        error=error.get("message"),
        error_code=error.get("code"),
    )


class MeiliEngine:
    """A Meilisearch server. Index uids are `index_prefix` + "listings" / "notices"."""

    backend = "meilisearch"

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        timeout: float = 5.0,
        task_timeout: float = 30.0,
        index_prefix: str = "",
        vector_dimensions: int | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.task_timeout = task_timeout
        self.index_prefix = index_prefix
        self.vector_dimensions = vector_dimensions
        # One client per thread: the client mutates a shared headers dict on every request, so threads
        # sharing one client can send a POST without its Content-Type.
        self._local = threading.local()

    @property
    def client(self) -> meilisearch.Client:
        """This thread's client."""
        client = getattr(self._local, "client", None)
        if client is None:
            client = meilisearch.Client(self.url, self.api_key, timeout=self.timeout)  # type: ignore[arg-type]
            self._local.client = client
        return client

    @property
    def vectors_enabled(self) -> bool:
        """Whether the listings index holds vectors (searches by meaning are possible)."""
        return bool(self.vector_dimensions)

    def uid(self, index: str) -> str:
        """The Meilisearch uid of one of our indexes."""
        return f"{self.index_prefix}{index}"

    def _call(self, what: str, call: Callable[[], T]) -> T:
        with meili_errors(what):
            return call()

    def wait(self, task_uid: int, what: str) -> TaskInfo:
        """Wait for a task to finish; raise SearchError if it failed, SearchUnavailable if it is late."""
        with meili_errors(what):
            try:
                task = self.client.wait_for_task(
                    task_uid, timeout_in_ms=int(self.task_timeout * 1000), interval_in_ms=20
                )
            except MeilisearchTimeoutError as exc:
                raise SearchUnavailable(
                    f"{what}: task {task_uid} unfinished after {self.task_timeout} s"
                ) from exc
        info = task_info(task)
        if info.status != "succeeded":
            raise SearchError(f"{what}: task {task_uid} {info.status}: {info.error_code}: {info.error}")
        return info

    def _enqueued(self, summary: Any, what: str, wait: bool) -> TaskInfo:
        if wait:
            return self.wait(summary.task_uid, what)
        return TaskInfo(id=summary.task_uid, status=summary.status, index=summary.index_uid)

    # -- settings and index lifecycle ------------------------------------------------------------

    def apply_settings(self, uid: str, index: IndexName) -> None:
        """Create `uid` if it is missing and give it the settings of `index`."""
        what = f"preparing index {uid}"
        try:
            self._call(what, lambda: self.client.get_raw_index(uid))
        except SearchError as exc:
            if "index_not_found" not in str(exc):
                raise
            summary = self._call(what, lambda: self.client.create_index(uid, {"primaryKey": "id"}))
            self.wait(summary.task_uid, what)
        settings = index_settings(index, vector_dimensions=self.vector_dimensions)
        summary = self._call(what, lambda: self.client.index(uid).update_settings(settings))
        self.wait(summary.task_uid, what)

    def ensure_indexes(self) -> None:
        """Create missing indexes and (re)apply settings; settings tasks are no-ops when unchanged."""
        for index in INDEXES:
            self.apply_settings(self.uid(index), index)

    def recreate(self, index: IndexName) -> None:
        """Drop the index and create it empty with current settings."""
        uid, what = self.uid(index), f"recreating {self.uid(index)}"
        summary = self._call(what, lambda: self.client.delete_index(uid))
        try:
            self.wait(summary.task_uid, what)
        except SearchError as exc:
            if "index_not_found" not in str(exc):  # deleting a missing index is a failed task
                raise
        self.apply_settings(uid, index)

    def rebuild(self, index: IndexName) -> MeiliRebuild:
        """Build into a temporary index, then swap it with the live one (see IndexRebuild)."""
        return MeiliRebuild(self, index)

    # -- documents -------------------------------------------------------------------------------

    def upsert(self, index: IndexName, documents: Sequence[SearchDocument], *, wait: bool = True) -> TaskInfo:
        """Add or replace documents (one task)."""
        return self.add_to(self.uid(index), documents, wait=wait)

    def add_to(self, uid: str, documents: Sequence[SearchDocument], *, wait: bool = True) -> TaskInfo:
        """Add documents to the index `uid` (also used by rebuilds)."""
        payload = documents_payload(documents, embedder=self.vectors_enabled)
        what = f"adding {len(payload)} documents to {uid}"
        index = self.client.index(uid)
        # PUT keeps the stored `_vectors` of a document sent without them (see the module docstring).
        write = index.update_documents if self.vectors_enabled else index.add_documents
        summary = self._call(what, lambda: write(payload, primary_key="id"))
        return self._enqueued(summary, what, wait)

    def delete(self, index: IndexName, ids: Sequence[int], *, wait: bool = True) -> TaskInfo:
        """Delete documents by id, through a filter (deleting by a list of ids is deprecated)."""
        uid = self.uid(index)
        what = f"deleting {len(ids)} documents from {uid}"
        if not ids:
            return TaskInfo(id=0, status="succeeded", index=uid)
        expression = ids_filter_expression(ids)
        summary = self._call(what, lambda: self.client.index(uid).delete_documents(filter=expression))
        return self._enqueued(summary, what, wait)

    def clear(self, index: IndexName) -> TaskInfo:
        """Delete every document, keeping the settings."""
        uid = self.uid(index)
        summary = self._call(f"clearing {uid}", lambda: self.client.index(uid).delete_all_documents())
        return self.wait(summary.task_uid, f"clearing {uid}")

    # -- reads -----------------------------------------------------------------------------------

    def search(self, index: IndexName, query: SearchQuery) -> SearchResults:
        """One search request."""
        check_query(index, query)
        uid, params = self.uid(index), search_params(index, query)
        body = self._call(f"searching {uid}", lambda: self.client.index(uid).search(query.text, params))
        with meili_errors(f"reading the results of {uid}"):
            return parse_search(index, query, body)

    def stored_vectors(self, index: IndexName, ids: Sequence[int]) -> dict[int, list[float]]:
        """The vectors the index holds for these documents (POST /documents/fetch with `retrieveVectors`)."""
        if not ids or not self.vectors_enabled:
            return {}
        uid = self.uid(index)
        params = {
            "filter": ids_filter_expression(ids),
            "fields": ["id", "_vectors"],
            "retrieveVectors": True,
            "limit": len(ids),
        }
        page = self._call(f"reading vectors of {uid}", lambda: self.client.index(uid).get_documents(params))
        with meili_errors(f"reading vectors of {uid}"):
            found = {int(document.id): stored_vector(dict(document)) for document in page.results}
        return {listing_id: vector for listing_id, vector in found.items() if vector}

    def _require_vectors(self) -> None:
        if not self.vectors_enabled:
            raise SearchError("this Meilisearch engine has no embedder (vector_dimensions is not set)")

    def nearest(
        self,
        vector: Sequence[float] | Any,
        *,
        kind: str | None = None,
        k: int = 50,
        exclude: Sequence[int] = (),
    ) -> list[tuple[int, float]]:
        """Up to k listings nearest in meaning: (id, cosine) best first (see `search.engine.VectorIndex`)."""
        self._require_vectors()
        if k <= 0:
            return []
        uid = self.uid("listings")
        params = nearest_params(list(vector), kind=kind, k=k, exclude=[int(i) for i in exclude])
        body = self._call(f"searching {uid} by meaning", lambda: self.client.index(uid).search("", params))
        with meili_errors(f"reading the results of {uid}"):
            return parse_nearest(body)

    def hybrid_search(
        self,
        index: IndexName,
        query: SearchQuery,
        vector: Sequence[float] | Any,
        *,
        semantic_ratio: float = 0.5,
    ) -> SearchResults:
        """A search by keywords and meaning blended by Meilisearch (`semantic_ratio` 0.0 … 1.0).

        Hits carry `score` and, when found by meaning, `similarity`; `semantic_hits` counts those. Not for the
        main result list, where the lexical contract holds (DESIGN.md §6).
        """
        self._require_vectors()
        if index != "listings":
            raise ValueError("only the listings index holds vectors")
        check_query(index, query)
        uid = self.uid(index)
        params = {**search_params(index, query), **hybrid_params(list(vector), semantic_ratio=semantic_ratio)}
        body = self._call(f"searching {uid}", lambda: self.client.index(uid).search(query.text, params))
        with meili_errors(f"reading the results of {uid}"):
            return parse_search(index, query, body)

    def count(self, index: IndexName, filters: ListingFilter | NoticeFilter | None = None) -> int:
        """Matching documents (capped at the index's maxTotalHits)."""
        return self.search(index, SearchQuery(filters=filters, per_page=0, highlight=False)).total

    def document_versions(self, index: IndexName) -> dict[int, int]:
        """Every id with its version, fetched a page at a time."""
        uid, versions, offset = self.uid(index), {}, 0
        while True:
            params = {"fields": ["id", "version"], "limit": PAGE, "offset": offset}
            page = self._call(f"listing {uid}", lambda p=params: self.client.index(uid).get_documents(p))
            for document in page.results:
                versions[int(document.id)] = int(document.version)
            offset += PAGE
            if offset >= page.total or not page.results:
                return versions

    def get_document(self, index: IndexName, document_id: int) -> dict[str, Any] | None:
        """One stored document (None when absent)."""
        uid = self.uid(index)
        try:
            raw = self._call(f"reading {uid}", lambda: self.client.index(uid).get_document(document_id))
        except SearchError as exc:
            if "document_not_found" in str(exc):
                return None
            raise
        return from_meili(index, dict(raw))

    def task_status(self, task_id: int) -> TaskInfo:
        """GET /tasks/{uid}."""
        return task_info(self._call(f"reading task {task_id}", lambda: self.client.get_task(task_id)))

    def health(self) -> Health:
        """GET /health and GET /stats; never raises."""
        try:
            status = self._call("health", self.client.health)
            stats = self._call("stats", self.client.get_all_stats)
        except SearchError as exc:
            return Health(available=False, backend=self.backend, detail=str(exc))
        counts = {
            name: int(stats.get("indexes", {}).get(self.uid(name), {}).get("numberOfDocuments", 0))
            for name in INDEXES
        }
        return Health(available=status.get("status") == "available", backend=self.backend, documents=counts)

    def close(self) -> None:
        """Nothing to release: the client opens a connection per request."""
        self._local = threading.local()
