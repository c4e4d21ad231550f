"""The embedded engine: `SearchEngine` on tantivy indexes in a local directory.

One writer at a time: tantivy allows one IndexWriter per index (a lock file), so this engine keeps one
writer per index behind a process-wide lock, and the app routes every write through one process
(DESIGN.md §6). Reads never take the lock.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import tantivy

from search.documents import ListingDocument, NoticeDocument, SearchDocument
from search.embedded.analysis import fold_analyzer, query_words
from search.embedded.query import (
    QueryWord,
    combine,
    listing_conditions,
    notice_conditions,
    plan_words,
    text_query,
    token_matcher,
)
from search.embedded.rebuild import EmbeddedRebuild
from search.embedded.schema import SPECS, IndexSpec, to_tantivy
from search.embedded.store import IndexStore
from search.engine import (
    INDEXES,
    Health,
    IndexName,
    SearchError,
    SearchHit,
    SearchQuery,
    SearchResults,
    SearchUnavailable,
    TaskInfo,
    check_query,
)
from search.filters import ListingFilter, NoticeFilter
from search.highlight import CROP_WORDS, mark_spans

WRITER_HEAP_BYTES = 64_000_000
FACET_BUCKETS = 1000  # above any facet's number of values, so tantivy's term counts are exact


@dataclass
class _Live:
    generation: str
    index: tantivy.Index
    writer: tantivy.IndexWriter | None = None


@contextmanager
def _engine_errors(what: str) -> Iterator[None]:
    try:
        yield
    except SearchError:
        raise
    except BaseException as exc:  # tantivy's Rust panics are BaseException (pyo3 PanicException)
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        if "lock" in str(exc).lower():
            # Another process holds the index's writer lock: transient from the caller's side.
            raise SearchUnavailable(f"{what}: the index is locked by another writer ({exc})") from exc
        raise SearchError(f"{what}: {exc}") from exc


class EmbeddedEngine:
    """tantivy indexes under `index_dir`, one sub-directory per index."""

    backend = "embedded"

    def __init__(self, index_dir: Path, *, writer_heap_bytes: int = WRITER_HEAP_BYTES) -> None:
        self.index_dir = Path(index_dir)
        self.writer_heap_bytes = writer_heap_bytes
        self._stores = {name: IndexStore(self.index_dir, SPECS[name]) for name in INDEXES}
        self._live: dict[str, _Live] = {}
        self._lock = threading.RLock()
        self._tasks = itertools.count(1)
        self._last_task = 0

    # -- opening ---------------------------------------------------------------------------------

    def _open(self, name: str) -> _Live:
        """The live generation, reopened when `current` moved (a rebuild, maybe by another process)."""
        store = self._stores[name]
        generation = store.current()
        live = self._live.get(name)
        if live is not None and live.generation == generation:
            return live
        with self._lock, _engine_errors(f"opening the {name} index"):
            live = self._live.get(name)
            generation = store.current()
            if live is not None and live.generation == generation:
                return live
            if generation is None:
                generation, index = store.create()
                store.point_to(generation)
            else:
                index = store.open(generation)
            if live is not None:
                self._drop_writer(live)
            live = _Live(generation, index)
            self._live[name] = live
            return live

    def _writer(self, live: _Live) -> tantivy.IndexWriter:
        if live.writer is None:
            live.writer = live.index.writer(self.writer_heap_bytes, 1)
        return live.writer

    @staticmethod
    def _drop_writer(live: _Live) -> None:
        if live.writer is not None:
            live.writer.rollback()  # nothing uncommitted is expected; releases the writer's work
            live.writer = None  # dropping the last reference releases tantivy's lock file

    def _task(self, name: str) -> TaskInfo:
        task_id = next(self._tasks)
        self._last_task = task_id
        return TaskInfo(id=task_id, status="succeeded", index=name)

    # -- writes ----------------------------------------------------------------------------------

    def ensure_indexes(self) -> None:
        """Create the missing indexes (settings are part of the schema)."""
        for name in INDEXES:
            self._open(name)

    def upsert(self, index: IndexName, documents: Sequence[SearchDocument], *, wait: bool = True) -> TaskInfo:
        """Replace documents by id; searchable when this returns (`wait` is implied)."""
        latest = {doc.id: doc for doc in documents}  # the last copy of an id in a batch wins
        expected = ListingDocument if index == "listings" else NoticeDocument
        if any(not isinstance(doc, expected) for doc in latest.values()):
            raise TypeError(f"the {index} index takes {expected.__name__} objects")
        with self._lock, _engine_errors(f"writing to {index}"):
            live = self._open(index)
            writer = self._writer(live)
            if latest:
                # Upsert = delete by a term *query* on the id, then add: tantivy has no update, and
                # deleting by term on an integer field is easy to get silently wrong.
                ids = tantivy.Query.term_set_query(live.index.schema, "id", list(latest))
                writer.delete_documents_by_query(ids)
                for doc in latest.values():
                    writer.add_document(to_tantivy(doc))
                writer.commit()
                live.index.reload()  # the reader would otherwise pick the commit up only later
            return self._task(index)

    def delete(self, index: IndexName, ids: Sequence[int], *, wait: bool = True) -> TaskInfo:
        """Remove documents by id."""
        with self._lock, _engine_errors(f"deleting from {index}"):
            live = self._open(index)
            if ids:
                writer = self._writer(live)
                writer.delete_documents_by_query(
                    tantivy.Query.term_set_query(live.index.schema, "id", [int(i) for i in ids])
                )
                writer.commit()
                live.index.reload()
            return self._task(index)

    def clear(self, index: IndexName) -> TaskInfo:
        """Delete every document of an index."""
        with self._lock, _engine_errors(f"clearing {index}"):
            live = self._open(index)
            writer = self._writer(live)
            writer.delete_all_documents()
            writer.commit()
            live.index.reload()
            return self._task(index)

    def recreate(self, index: IndexName) -> None:
        """Swap in a new empty generation."""
        with self.rebuild(index):
            pass

    def rebuild(self, index: IndexName) -> EmbeddedRebuild:
        """Build a new generation beside the live one; see `search.engine.IndexRebuild`."""
        return EmbeddedRebuild(self, self._stores[index])

    def _swap(self, name: str, generation: str) -> None:
        """Called by a rebuild once its generation is complete: make it live, drop the old one."""
        store = self._stores[name]
        with self._lock, _engine_errors(f"swapping in the new {name} index"):
            old = self._live.pop(name, None)
            previous = store.current()
            store.point_to(generation)
            if old is not None:
                self._drop_writer(old)
            self._open(name)
            if previous and previous != generation:
                store.remove(previous)

    # -- reads -----------------------------------------------------------------------------------

    def search(self, index: IndexName, query: SearchQuery) -> SearchResults:
        """Search one index; see `search.engine.SearchQuery` for the matching rules."""
        started = time.perf_counter()
        check_query(index, query)
        spec = SPECS[index]
        with _engine_errors(f"searching {index}"):
            live = self._open(index)
            searcher = live.index.searcher()
            words = plan_words(query_words(query.text))
            schema = live.index.schema
            tantivy_query = combine(
                text_query(schema, words) if words else None, self._conditions(index, schema, query.filters)
            )
            offset = (query.page - 1) * query.per_page
            # tantivy panics on a limit of 0; a count-only search asks for one hit and drops it.
            limit = max(query.per_page, 1)
            if query.sort == "deadline":
                found = searcher.search(tantivy_query, limit, True, "tender_end", offset, tantivy.Order.Asc)
            elif query.sort == "newest" or not words:
                found = searcher.search(
                    tantivy_query, limit, True, "published_at", offset, tantivy.Order.Desc
                )
            else:
                found = searcher.search(tantivy_query, limit, count=True, offset=offset)
            hits = []
            for _score, address in found.hits[: query.per_page]:
                document = json.loads(searcher.doc(address).get_first("_source"))
                highlights = _highlights(document, words) if query.highlight else {}
                hits.append(SearchHit(id=document["id"], document=document, highlights=highlights))
            facets = _facet_counts(searcher, tantivy_query, spec, query.facets)
        return SearchResults(
            hits=hits,
            total=found.count or 0,
            page=query.page,
            per_page=query.per_page,
            facets=facets,
            processing_ms=(time.perf_counter() - started) * 1000,
        )

    @staticmethod
    def _conditions(
        index: str, schema: tantivy.Schema, filters: ListingFilter | NoticeFilter | None
    ) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        if isinstance(filters, ListingFilter):
            return listing_conditions(schema, filters)
        if isinstance(filters, NoticeFilter):
            return notice_conditions(schema, filters)
        return []

    def count(self, index: IndexName, filters: ListingFilter | NoticeFilter | None = None) -> int:
        """Documents passing the filters."""
        return self.search(index, SearchQuery(filters=filters, per_page=0, highlight=False)).total

    def document_versions(self, index: IndexName) -> dict[int, int]:
        """Every id in the index with its version."""
        with _engine_errors(f"listing {index}"):
            searcher = self._open(index).index.searcher()
            if searcher.num_docs == 0:
                return {}
            addresses = [a for _, a in searcher.search(tantivy.Query.all_query(), searcher.num_docs).hits]
            ids = searcher.fast_field_values("id", addresses)
            versions = searcher.fast_field_values("version", addresses)
        return {int(i): int(v) for i, v in zip(ids, versions, strict=True) if i is not None}

    def task_status(self, task_id: int) -> TaskInfo:
        """Writes are synchronous here: every task this engine returned has succeeded."""
        if not 0 < task_id <= self._last_task:
            raise SearchError(f"unknown task {task_id}")
        return TaskInfo(id=task_id, status="succeeded")

    def health(self) -> Health:
        """Open every index and count its documents."""
        try:
            counts = {name: self._open(name).index.searcher().num_docs for name in INDEXES}
        except SearchError as exc:
            return Health(available=False, backend=self.backend, detail=str(exc))
        return Health(available=True, backend=self.backend, documents=counts)

    def close(self) -> None:
        """Release the writers (and their lock files)."""
        with self._lock:
            for live in self._live.values():
                self._drop_writer(live)
            self._live.clear()


def _facet_counts(
    searcher: tantivy.Searcher, query: tantivy.Query, spec: IndexSpec, facets: Sequence[str]
) -> dict[str, dict[str, int]]:
    if not facets:
        return {}
    request = {f: {"terms": {"field": spec.facet_fields[f], "size": FACET_BUCKETS}} for f in facets}
    result = searcher.aggregate(query, request)
    counts: dict[str, dict[str, int]] = {}
    for facet in facets:
        buckets = result.get(facet, {}).get("buckets", [])
        # Booleans come back as 0/1 with key_as_string; Meilisearch names them "true"/"false".
        counts[facet] = {str(b.get("key_as_string", b["key"])): int(b["doc_count"]) for b in buckets}
    return counts


def _highlights(document: dict, words: list[QueryWord]) -> dict[str, str]:
    matcher = token_matcher(words, document.get("language"))
    result = {}
    for name, crop in (("title", None), ("description", CROP_WORDS)):
        text = document.get(name) or ""
        tokens = fold_analyzer().pre_tokenize(text).tokens
        spans = [(t.char_offset_from, t.char_offset_to) for t in tokens]
        matched = [bool(words) and matcher(t.text) for t in tokens]
        result[name] = mark_spans(text, spans, matched, crop_words=crop)
    return result
