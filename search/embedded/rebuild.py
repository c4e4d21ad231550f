"""A full rebuild of an embedded index: a new generation written beside the live one, then swapped in."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING

import tantivy

from search.documents import SearchDocument
from search.embedded.schema import to_tantivy
from search.embedded.store import IndexStore
from search.engine import SearchError

if TYPE_CHECKING:
    from search.embedded.backend import EmbeddedEngine

REBUILD_HEAP_BYTES = 256_000_000  # a bulk load: bigger segments, fewer merges


class EmbeddedRebuild:
    """See `search.engine.IndexRebuild`. One rebuild of an index at a time."""

    def __init__(self, engine: EmbeddedEngine, store: IndexStore) -> None:
        self._engine = engine
        self._store = store
        live = store.current()
        # Generations left by a crashed rebuild only take disk space.
        store.remove_stale(keep={live} if live else set())
        self.generation, self._index = store.create()
        self._writer: tantivy.IndexWriter | None = self._index.writer(REBUILD_HEAP_BYTES)
        self.count = 0

    def add(self, documents: Sequence[SearchDocument]) -> None:
        """Add a batch (ids already in the new index are replaced)."""
        if self._writer is None:
            raise SearchError("this rebuild is finished")
        latest = {doc.id: doc for doc in documents}
        self._writer.delete_documents_by_query(
            tantivy.Query.term_set_query(self._index.schema, "id", list(latest))
        )
        for doc in latest.values():
            self._writer.add_document(to_tantivy(doc))
        self.count += len(latest)

    def commit(self) -> None:
        """Write the new generation to disk and make it the live index."""
        if self._writer is None:
            raise SearchError("this rebuild is finished")
        writer, self._writer = self._writer, None
        writer.commit()
        writer.wait_merging_threads()  # consumes the writer and releases its lock
        self._engine._swap(self._store.spec.name, self.generation)

    def abort(self) -> None:
        """Forget the new generation."""
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None
        self._store.remove(self.generation)

    def __enter__(self) -> EmbeddedRebuild:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()
