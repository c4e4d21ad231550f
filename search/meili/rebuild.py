"""A full rebuild on Meilisearch: a temporary index filled beside the live one, then swapped with it.

The app rebuilds from its database, which does not keep the listings' vectors: a listing document given
without its vector takes the one the live index holds (so a reindex never empties search by meaning).
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from search.documents import ListingDocument, SearchDocument
from search.engine import IndexName, SearchError

if TYPE_CHECKING:
    from search.meili.backend import MeiliEngine


class MeiliRebuild:
    """See `search.engine.IndexRebuild`."""

    def __init__(self, engine: MeiliEngine, index: IndexName) -> None:
        self._engine = engine
        self._index = index
        self.live_uid = engine.uid(index)
        self.uid = f"{self.live_uid}__rebuild_{int(time.time())}_{secrets.token_hex(2)}"
        engine.apply_settings(self.uid, index)
        self._open = True

    def add(self, documents: Sequence[SearchDocument]) -> None:
        """Add a batch and wait for it, so a bad document fails the rebuild at once."""
        if not self._open:
            raise SearchError("this rebuild is finished")
        if documents:
            self._engine.add_to(self.uid, self._with_live_vectors(documents), wait=True)

    def _with_live_vectors(self, documents: Sequence[SearchDocument]) -> list[SearchDocument]:
        missing = [d.id for d in documents if isinstance(d, ListingDocument) and d.vector is None]
        if not missing or not self._engine.vectors_enabled:
            return list(documents)
        try:
            live = self._engine.stored_vectors(self._index, missing)
        except SearchError as exc:
            if "index_not_found" not in str(exc):  # the first build has no live index to copy from
                raise
            live = {}
        return [
            dataclasses.replace(d, vector=live[d.id])
            if isinstance(d, ListingDocument) and d.vector is None and d.id in live
            else d
            for d in documents
        ]

    def commit(self) -> None:
        """Swap the new index with the live one (atomic in Meilisearch), then delete the old one."""
        if not self._open:
            raise SearchError("this rebuild is finished")
        self._open = False
        engine, what = self._engine, f"swapping {self.uid} into {self.live_uid}"
        engine.apply_settings(self.live_uid, self._index)  # a swap needs both indexes to exist
        summary = engine._call(
            what, lambda: engine.client.swap_indexes([{"indexes": [self.live_uid, self.uid]}])
        )
        engine.wait(summary.task_uid, what)
        self._delete_temporary()

    def abort(self) -> None:
        """Delete the temporary index; the live one is untouched."""
        self._open = False
        self._delete_temporary()

    def _delete_temporary(self) -> None:
        engine, what = self._engine, f"deleting {self.uid}"
        summary = engine._call(what, lambda: engine.client.delete_index(self.uid))
        engine.wait(summary.task_uid, what)

    def __enter__(self) -> MeiliRebuild:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()
