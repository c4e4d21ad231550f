"""A vector store: one row per listing (id, version, text fingerprint, kind), exact cosine top-k.

Kept as a numpy matrix in memory and saved under a directory (`$PUENTE_DATA_DIR/vectors`) as ONE file,
`listings.npz` (matrix, row metadata and a generation number), written to a temporary file and moved into
place with `os.replace`: a reader opens either the whole old store or the whole new one, never half of each,
and a crash never leaves half a store. A listing whose title and description did not change keeps its
vector: `ensure` encodes only new or changed texts.

Several processes, one writer (DESIGN.md §5–6): `puente worker` computes and saves the vectors; the web
processes only read them (for "also in other languages"). A store notices that another process saved a
newer file with one `os.stat` at most once per `refresh_every` seconds (the replaced file has a new inode,
mtime and size) and then loads it and swaps it in under its lock, so a search never sees a mix of two
generations. A store holding unsaved changes of its own is the writer: it keeps them (its next save wins).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.matching.embeddings import DIMENSIONS, Encoder, listing_text

logger = logging.getLogger(__name__)


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
STORE_FILE = "listings.npz"
LEGACY_FILES = ("listings.npy", "listings.json")  # the two-file format of earlier versions, still read
REFRESH_SECONDS = 1.0

Signature = tuple[int, int, int]  # (inode, mtime in ns, size) of the store file


def _signature(status: os.stat_result) -> Signature:
    return (status.st_ino, status.st_mtime_ns, status.st_size)


@dataclass(frozen=True)
class _Snapshot:
    """A whole store as read from disk, swapped in at once."""

    meta: list[dict]
    matrix: np.ndarray
    generation: int
    signature: Signature | None
    usable: bool = True  # False: unreadable or from another model (ignored; vectors are recomputed)


class VectorStore:
    """Listing vectors in one float32 matrix; thread-safe; persisted when `directory` is given."""

    def __init__(
        self, directory: Path | None = None, *, encoder: Encoder, refresh_every: float = REFRESH_SECONDS
    ) -> None:
        self.directory = directory
        self.encoder = encoder
        self.refresh_every = refresh_every
        self._lock = threading.RLock()
        self._save_lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        self._row: dict[int, int] = {}
        self._meta: list[dict] = []  # per row: id, version, kind, fp (None when the row is free)
        self._matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._kinds = np.zeros(0, dtype=np.int8)  # per row: KIND_CODES, 0 = free row
        self._saved_at = float("-inf")
        self._checked_at = float("-inf")
        self._signature: Signature | None = None  # of the file this store last loaded or saved
        self._dirty = False  # changes not saved yet
        self._timer: threading.Timer | None = None  # a deferred save_if_due
        self.generation = 0  # of the file last loaded or saved; each save adds one
        self.encoded = 0  # texts encoded by this store (tests and benches read it)
        self.reloads = 0  # newer stores loaded from disk after the first (tests read it)
        if directory is not None:
            snapshot = self._read()
            if snapshot is not None and snapshot.usable:
                self._install(snapshot)

    def __len__(self) -> int:
        self.refresh()
        return len(self._row)

    @property
    def path(self) -> Path | None:
        """The store file (None for a store kept in memory only)."""
        return None if self.directory is None else self.directory / STORE_FILE

    def _read(self) -> _Snapshot | None:
        """The store on disk, or None when there is none (or it is from another model: vectors are recomputed)."""
        assert self.directory is not None
        try:
            handle = open(self.directory / STORE_FILE, "rb")  # noqa: SIM115 (closed below)
        except FileNotFoundError:
            return self._read_legacy()
        with handle:
            # The signature of the file actually opened: a save replacing it meanwhile is seen next time.
            signature = _signature(os.fstat(handle.fileno()))
            try:
                with np.load(handle, allow_pickle=False) as data:
                    matrix = np.asarray(data["matrix"], dtype=np.float32)
                    meta = json.loads(data["meta"].tobytes())
                    generation = int(data["generation"])
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                # Not written by `save` (which replaces the file whole): start over, vectors are recomputed.
                logger.exception("unreadable vector store %s: ignored", self.directory / STORE_FILE)
                return _Snapshot([], self._matrix[:0], 0, signature, usable=False)
        if matrix.shape != (len(meta), DIMENSIONS):
            return _Snapshot([], self._matrix[:0], 0, signature, usable=False)  # from another model
        return _Snapshot(meta, matrix, generation, signature)

    def _read_legacy(self) -> _Snapshot | None:
        assert self.directory is not None
        meta_path, matrix_path = (self.directory / name for name in reversed(LEGACY_FILES))
        if not (meta_path.exists() and matrix_path.exists()):
            return None
        meta = json.loads(meta_path.read_text())
        matrix = np.load(matrix_path)
        if matrix.shape != (len(meta), DIMENSIONS):
            return None  # a store from another model or a torn write: start over, vectors are recomputed
        return _Snapshot(meta, matrix, 0, None)

    def _install(self, snapshot: _Snapshot) -> None:
        with self._lock:
            self._meta, self._matrix = snapshot.meta, snapshot.matrix
            self._row = {m["id"]: i for i, m in enumerate(snapshot.meta) if m["id"] is not None}
            self._kinds = np.array(
                [KIND_CODES.get(m["kind"], 0) if m["id"] is not None else 0 for m in snapshot.meta], np.int8
            )
            self.generation, self._signature = snapshot.generation, snapshot.signature

    def refresh(self, *, force: bool = False) -> bool:
        """Load the store file if another process saved a newer one; True when it did.

        Costs one `os.stat`, at most once per `refresh_every` seconds (unless `force`). A store with unsaved
        changes of its own never reloads: it is the writer, and its next save replaces the file.
        """
        if self.directory is None or self._dirty:
            return False
        now = time.monotonic()
        if not force and now - self._checked_at < self.refresh_every:
            return False
        if not self._refresh_lock.acquire(blocking=False):
            return False  # another thread is loading the newer file: keep answering with these vectors
        try:
            self._checked_at = now
            try:
                current = _signature(os.stat(self.directory / STORE_FILE))
            except FileNotFoundError:
                return False
            if current == self._signature:
                return False
            snapshot = self._read()  # outside the lock: searches go on with the old vectors while it loads
            if snapshot is None or snapshot.signature is None:
                return False
            with self._lock:
                if self._dirty:  # this store became a writer while the file was loading: keep its changes
                    return False
                if not snapshot.usable:
                    self._signature = snapshot.signature  # keep our vectors; do not read that file again
                    return False
                self._install(snapshot)
                self.reloads += 1
            return True
        finally:
            self._refresh_lock.release()

    def save_if_due(self, *, every_seconds: float = 10.0) -> bool:
        """Save unsaved changes when the last save is older than `every_seconds` (writing the whole matrix
        after every change would cost O(n) per listing); True when it saved now.

        Changes made inside the window are saved when it ends, by a timer, even if no further change comes:
        other processes see every vector at most `every_seconds` (+ their `refresh_every`) after it was
        computed. A crash loses at most that window, which `puente rematch` restores.
        """
        if not self._dirty or self.directory is None:
            return False
        wait = every_seconds - (time.monotonic() - self._saved_at)
        if wait <= 0:
            self.save()
            return True
        with self._lock:
            if self._timer is None:
                self._timer = threading.Timer(wait, self._deferred_save)
                self._timer.daemon = True
                self._timer.start()
        return False

    def _deferred_save(self) -> None:
        with self._lock:
            self._timer = None
        if self._dirty:
            try:
                self.save()
            except Exception:  # a timer thread has no caller to tell: log it; the next save_if_due retries
                logger.exception("saving the vector store in %s failed", self.directory)

    def close(self) -> None:
        """Save what is unsaved and stop the pending timer (at shutdown)."""
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        if self._dirty:
            self.save()

    def save(self) -> None:
        """Write the whole store as one file, atomically (no-op without a directory)."""
        if self.directory is None:
            return
        with self._save_lock:
            with self._lock:  # a consistent copy; the file is written without blocking searches
                matrix, meta = self._matrix.copy(), json.dumps(self._meta).encode()
                generation = self.generation + 1
                was_dirty, self._dirty = self._dirty, False
            self.directory.mkdir(parents=True, exist_ok=True)
            temporary = self.directory / f".{STORE_FILE}.{os.getpid()}.{threading.get_ident()}.tmp"
            try:
                with open(temporary, "wb") as handle:
                    np.savez(
                        handle,
                        matrix=matrix,
                        meta=np.frombuffer(meta, dtype=np.uint8),
                        generation=np.asarray(generation, dtype=np.int64),
                    )
                    handle.flush()
                    os.fsync(handle.fileno())  # the rename below must never publish an empty file
                os.replace(temporary, self.directory / STORE_FILE)
            except BaseException:
                temporary.unlink(missing_ok=True)
                with self._lock:
                    self._dirty = self._dirty or was_dirty
                raise
            with self._lock:
                self.generation = generation
                self._signature = _signature(os.stat(self.directory / STORE_FILE))
            self._saved_at = time.monotonic()
            for name in LEGACY_FILES:  # superseded by the file just written
                (self.directory / name).unlink(missing_ok=True)

    def ensure(self, items: Sequence[VectorItem]) -> np.ndarray:
        """Vectors for `items` (in order), encoding only those whose text is new or changed."""
        self.refresh()
        with self._lock:
            todo = []
            for item in items:
                fp = fingerprint(item.title, item.description)
                row = self._row.get(item.id)
                if row is not None and self._meta[row]["fp"] == fp:
                    if (self._meta[row]["version"], self._meta[row]["kind"]) != (item.version, item.kind):
                        self._meta[row].update(version=item.version, kind=item.kind)
                        self._kinds[row] = KIND_CODES.get(item.kind, 0)
                        self._dirty = True
                else:
                    todo.append((item, fp))
            if todo:
                self._dirty = True
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
        """The stored vector of a listing (None when it has none)."""
        self.refresh()
        with self._lock:
            row = self._row.get(listing_id)
            return None if row is None else self._matrix[row].copy()

    def version(self, listing_id: int) -> int | None:
        """The listing version its vector was last ensured for."""
        self.refresh()
        with self._lock:
            row = self._row.get(listing_id)
            return None if row is None else self._meta[row]["version"]

    def remove(self, listing_id: int) -> None:
        """Forget a listing (closed, expired, deleted): its row is zeroed and never returned."""
        self.refresh()
        with self._lock:
            row = self._row.pop(listing_id, None)
            if row is not None:
                self._dirty = True
                self._meta[row] = {"id": None, "version": 0, "kind": None, "fp": None}
                self._matrix[row] = 0.0
                self._kinds[row] = 0

    def nearest(
        self, vector: np.ndarray, *, kind: str | None = None, k: int = 50, exclude: Sequence[int] = ()
    ) -> list[tuple[int, float]]:
        """Exact cosine top-k: (listing id, similarity) best first, over rows of `kind` (all when None)."""
        self.refresh()
        with self._lock:
            if not self._row:
                return []
            similarities = self._matrix @ np.asarray(vector, dtype=np.float32)
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
