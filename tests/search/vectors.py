"""Deterministic stand-ins for the sentence encoder in search tests (the real model is tested in tests/matching).

`SeededEncoder` turns each text into a fixed pseudo-random unit vector; `TableEncoder` returns the vector a
test chose for each text. Both give float32 rows of the store's 512 dimensions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import numpy as np

from search.matching.embeddings import DIMENSIONS


def unit(vector: np.ndarray) -> np.ndarray:
    """The vector scaled to length 1, as float32."""
    vector = np.asarray(vector, dtype=np.float64)
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def seeded_vector(text: str) -> np.ndarray:
    """A unit vector that depends only on `text`."""
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
    return unit(np.random.default_rng(seed).standard_normal(DIMENSIONS))


class SeededEncoder:
    """Every text to its `seeded_vector`; counts the texts it encoded."""

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.vstack([seeded_vector(text) for text in texts])


class TableEncoder:
    """The vector a test chose for each text (looked up by the exact text)."""

    def __init__(self, table: Mapping[str, np.ndarray]) -> None:
        self.table = dict(table)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.vstack([np.asarray(self.table[text], dtype=np.float32) for text in texts])


def vector_at(base: np.ndarray, cosine: float, *, seed: int) -> np.ndarray:
    """A unit vector whose cosine with the unit vector `base` is exactly `cosine`."""
    noise = np.random.default_rng(seed).standard_normal(DIMENSIONS)
    noise -= noise.dot(base) * base  # orthogonal to base
    return unit(cosine * np.asarray(base, np.float64) + np.sqrt(1 - cosine**2) * unit(noise))
