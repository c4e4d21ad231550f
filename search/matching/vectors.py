"""A vector store: one row per listing (id, version, text fingerprint, kind), exact cosine top-k.

Kept as a numpy matrix in memory and saved under a directory (`$PUENTE_DATA_DIR/vectors`) as `.npy` +
`.json`, written to temporary files and renamed so a crash never leaves half a store. A listing whose
title and description did not change keeps its vector: `ensure` encodes only new or changed texts.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.matching.embeddings import DIMENSIONS, Encoder, listing_text


def fingerprint(title: str, description: str) -> str:
    """What decides whether a listing must be re-encoded: its embedded text."""
    return hashlib.sha256(listing_text(title, description).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class VectorItem:
    """A listing to keep a vector for."""

    id: int
    version: int
    kind: str
    title: str
    description: str


KIND_CODES = {"offer": 1, "request": 2}


class VectorStore:
    """Listing vectors in one float32 matrix; thread-safe; persisted when `directory` is given."""

    def __init__(self, directory: Path | None = None, *, encoder: Encoder) -> None:
        self.directory = directory
        self.encoder = encoder
        self._lock = threading.RLock()
        self._row: dict[int, int] = {}
        self._meta: list[dict] = []  # per row: id, version, kind, fp (None when the row is free)
        self._matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._kinds = np.zeros(0, dtype=np.int8)  # per row: KIND_CODES, 0 = free row
        self._saved_at = float("-inf")
        self.encoded = 0  # texts encoded by this store (tests and benches read it)
        if directory is not None:
            self._load()

    def __len__(self) -> int:
        return len(self._row)

    def _load(self) -> None:
        assert self.directory is not None
        meta_path, matrix_path = self.directory / "listings.json", self.directory / "listings.npy"
        if not (meta_path.exists() and matrix_path.exists()):
            return
        meta = json.loads(meta_path.read_text())
        matrix = np.load(matrix_path)
        if matrix.shape != (len(meta), DIMENSIONS):
            return  # a store from another model or a torn write: start over, vectors are recomputed
        self._meta, self._matrix = meta, matrix
        self._row = {m["id"]: i for i, m in enumerate(meta) if m["id"] is not None}
        self._kinds = np.array(
            [KIND_CODES.get(m["kind"], 0) if m["id"] is not None else 0 for m in meta], np.int8
        )

    def save_if_due(self, *, every_seconds: float = 10.0) -> bool:
        """Save when the last save is older than `every_seconds` (writing the whole matrix after every change
        would cost O(n) per listing); a crash loses at most that window, which `puente rematch` restores."""
        if time.monotonic() - self._saved_at < every_seconds:
            return False
        self.save()
        return True

    def save(self) -> None:
        """Write the store to its directory (no-op without one)."""
        if self.directory is None:
            return
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            for name, write in (
                ("listings.npy", lambda f: np.save(f, self._matrix)),
                ("listings.json", lambda f: f.write(json.dumps(self._meta).encode())),
            ):
                temporary = self.directory / f".{name}.tmp"
                with open(temporary, "wb") as handle:
                    write(handle)
                os.replace(temporary, self.directory / name)
            self._saved_at = time.monotonic()

    def ensure(self, items: Sequence[VectorItem]) -> np.ndarray:
        """Vectors for `items` (in order), encoding only those whose text is new or changed."""
        with self._lock:
            todo = []
            for item in items:
                fp = fingerprint(item.title, item.description)
                row = self._row.get(item.id)
                if row is not None and self._meta[row]["fp"] == fp:
                    self._meta[row].update(version=item.version, kind=item.kind)
                    self._kinds[row] = KIND_CODES.get(item.kind, 0)
                else:
                    todo.append((item, fp))
            if todo:
                vectors = self.encoder.encode([listing_text(i.title, i.description) for i, _ in todo])
                self.encoded += len(todo)
                new_rows = []
                for (item, fp), vector in zip(todo, vectors, strict=True):
                    meta = {"id": item.id, "version": item.version, "kind": item.kind, "fp": fp}
                    row = self._row.get(item.id)
                    if row is None:  # appended below in one go: growing the matrix row by row is quadratic
                        self._row[item.id] = len(self._meta)
                        self._meta.append(meta)
                        new_rows.append(vector)
                    else:
                        self._meta[row] = meta
                        self._matrix[row] = vector
                        self._kinds[row] = KIND_CODES.get(item.kind, 0)
                if new_rows:
                    self._matrix = np.vstack([self._matrix, np.asarray(new_rows, dtype=np.float32)])
                    added = [
                        KIND_CODES.get(self._meta[i]["kind"], 0)
                        for i in range(len(self._kinds), len(self._meta))
                    ]
                    self._kinds = np.concatenate([self._kinds, np.asarray(added, dtype=np.int8)])
            return np.vstack([self._matrix[self._row[i.id]] for i in items]) if items else self._matrix[:0]

    def get(self, listing_id: int) -> np.ndarray | None:
        with self._lock:
            row = self._row.get(listing_id)
            return None if row is None else self._matrix[row].copy()

    def version(self, listing_id: int) -> int | None:
        with self._lock:
            row = self._row.get(listing_id)
            return None if row is None else self._meta[row]["version"]

    def remove(self, listing_id: int) -> None:
        """Forget a listing (closed, expired, deleted): its row is zeroed and never returned."""
        with self._lock:
            row = self._row.pop(listing_id, None)
            if row is not None:
                self._meta[row] = {"id": None, "version": 0, "kind": None, "fp": None}
                self._matrix[row] = 0.0
                self._kinds[row] = 0

    def nearest(
        self, vector: np.ndarray, *, kind: str | None = None, k: int = 50, exclude: Sequence[int] = ()
    ) -> list[tuple[int, float]]:
        """Exact cosine top-k: (listing id, similarity) best first, over rows of `kind` (all when None)."""
        with self._lock:
            if not self._row:
                return []
            similarities = self._matrix @ vector.astype(np.float32)
            mask = self._kinds == KIND_CODES[kind] if kind is not None else self._kinds != 0
            for listing_id in exclude:
                row = self._row.get(listing_id)
                if row is not None:
                    mask[row] = False
            similarities = np.where(mask, similarities, -np.inf)
            k = min(k, int(mask.sum()))
            if k <= 0:
                return []
            top = np.argpartition(-similarities, k - 1)[:k]
            top = top[np.argsort(-similarities[top])]
            return [(self._meta[row]["id"], float(similarities[row])) for row in top]
