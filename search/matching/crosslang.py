""" "Also in other languages": listings found only by meaning, shown beside the lexical results (DESIGN §6).

The lexical contract holds for the main results; these come from the same vectors as matching and are
never mixed into the main list: the caller shows them apart, with each listing's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Sized

from search.engine import SearchUnavailable, VectorIndex
from search.matching.embeddings import Encoder

logger = logging.getLogger(__name__)

MIN_SIMILARITY = (
    0.3  # a short query against a listing text: "miel" finds honey at 0.35, noise stays under 0.2
)


def also_in_other_languages(
    store: VectorIndex,
    encoder: Encoder,
    text: str,
    *,
    language: str,
    languages_of: Callable[[Iterable[int]], dict[int, str]],
    exclude: Collection[int] = (),
    kind: str | None = None,
    k: int = 5,
    min_similarity: float = MIN_SIMILARITY,
) -> list[tuple[int, float]]:
    """Up to k (listing id, similarity) in a language other than `language`, not among `exclude`.

    `languages_of` tells each candidate's language and leaves out listings that are not active (the app
    reads them from its database). `store` is any `VectorIndex`: the vector store, or Meilisearch with an
    embedder (`search.matching.retrieval.vector_index` picks).
    """
    if not text.strip() or (isinstance(store, Sized) and len(store) == 0):
        return []  # nothing to find: spare loading the encoder
    vector = encoder.encode([text])[0]
    try:
        candidates = store.nearest(vector, kind=kind, k=k * 4, exclude=list(exclude))
    except SearchUnavailable:
        # A block beside the main results: without the engine it is left out, the page still answers.
        logger.warning("search by meaning unavailable: no results in other languages for now")
        return []
    nearest = [(i, s) for i, s in candidates if s >= min_similarity]
    found = languages_of(i for i, _ in nearest)
    return [(i, s) for i, s in nearest if i in found and found[i] != language][:k]
