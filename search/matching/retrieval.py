"""Hybrid retrieval: candidates from the lexical engine and from the vectors, then rules and one score.

    candidates = lexical(request words, other kind, valid today)  ∪  semantic(exact cosine top-k)
    each candidate -> scoring.score_pair (rules refuse, weights rank) -> best first

The caller supplies `load`, which turns candidate ids into `MatchProfile`s (the app reads its database:
only active listings come back, so the index or the vector store lagging behind can never resurrect a
closed listing).

The semantic candidates come from a `VectorIndex`: the vector store by default, or the engine itself when it
holds the vectors (Meilisearch with an embedder; `vector_index` picks). The store still encodes the
listing and gives exact cosines for lexical candidates beyond the semantic top-k.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from datetime import date

import numpy as np

from search.engine import SearchEngine, SearchQuery, SearchUnavailable, VectorIndex
from search.filters import ListingFilter
from search.matching.scoring import MatchProfile, ScoredPair, content_words, score_pair
from search.matching.vectors import VectorItem, VectorStore

logger = logging.getLogger(__name__)

SEMANTIC_K = 50
LEXICAL_K = 30
RESULT_K = 20

Loader = Callable[[Iterable[int]], dict[int, MatchProfile]]


def vector_index(engine: object | None, store: VectorStore) -> VectorIndex:
    """Where to search by meaning: the engine when it holds the vectors itself, else the vector store."""
    if isinstance(engine, VectorIndex) and getattr(engine, "vectors_enabled", False):
        return engine
    return store


def other_kind(kind: str) -> str:
    return "offer" if kind == "request" else "request"


def vector_item(profile: MatchProfile) -> VectorItem:
    return VectorItem(profile.id, profile.version, profile.kind, profile.title, profile.description)


def lexical_candidates(
    engine: SearchEngine, profile: MatchProfile, *, today: date, k: int = LEXICAL_K
) -> list[int]:
    """Listings of the other kind found by the search engine with this listing's title words.

    The engine requires every word, so the whole title finds close wordings and the first two content words
    of the title find looser ones. An engine that is down gives no lexical candidates (vectors still do).
    """
    filters = ListingFilter(
        kind=other_kind(profile.kind), valid_on=today, exclude_company_id=profile.company_id
    )
    words = [w for w in re.findall(r"\w+", profile.title) if content_words(w)]
    queries = [profile.title, " ".join(words[:2])] if len(words) > 2 else [profile.title]
    found: list[int] = []
    for text in queries:
        try:
            results = engine.search(
                "listings",
                SearchQuery(
                    text=text, filters=filters, per_page=k, highlight=False, language=profile.language
                ),
            )
        except SearchUnavailable:
            return found
        found.extend(i for i in results.ids if i not in found)
    return found


def rank_candidates(
    profile: MatchProfile,
    candidates: dict[int, MatchProfile],
    *,
    similarity: dict[int, float],
    lexical_ids: set[int],
    today: date,
    allow_domestic: bool = False,
    k: int = RESULT_K,
) -> list[ScoredPair]:
    """Score every candidate against `profile` (request/offer order sorted out here), best first."""
    scored = []
    for candidate_id, candidate in candidates.items():
        if candidate.kind == profile.kind or candidate_id == profile.id:
            continue
        request, offer = (profile, candidate) if profile.kind == "request" else (candidate, profile)
        pair = score_pair(
            request,
            offer,
            semantic=similarity.get(candidate_id, 0.0),
            today=today,
            allow_domestic=allow_domestic,
            lexical_hit=candidate_id in lexical_ids,
        )
        if pair is not None:
            scored.append(pair)
    scored.sort(
        key=lambda pair: (-pair.score, pair.offer_id if profile.kind == "request" else pair.request_id)
    )
    return scored[:k]


def find_matches(
    profile: MatchProfile,
    *,
    store: VectorStore,
    load: Loader,
    today: date,
    engine: SearchEngine | None = None,
    allow_domestic: bool = False,
    k: int = RESULT_K,
    semantic_k: int = SEMANTIC_K,
    neighbours: VectorIndex | None = None,
) -> list[ScoredPair]:
    """The best counterparts of `profile` (a request's offers or an offer's requests), scored and explained.

    `neighbours` answers the search by meaning (default: `store`).
    """
    vector = store.ensure([vector_item(profile)])[0]

    def nearest_in(index: VectorIndex) -> list[tuple[int, float]]:
        return index.nearest(vector, kind=other_kind(profile.kind), k=semantic_k, exclude=[profile.id])

    try:
        nearest = nearest_in(neighbours if neighbours is not None else store)
    except SearchUnavailable:
        if neighbours is None or neighbours is store:
            raise
        # The engine holding the vectors is down: this process's own vector store still answers.
        logger.warning("search by meaning unavailable; matching listing %s on local vectors", profile.id)
        nearest = nearest_in(store)
    lexical_ids = lexical_candidates(engine, profile, today=today) if engine is not None else []
    ids = {listing_id for listing_id, _ in nearest} | set(lexical_ids)
    candidates = load(ids)
    # Lexical candidates beyond the semantic top-k still get their true cosine.
    similarity = dict(nearest)
    missing = [i for i in candidates if i not in similarity]
    if missing:
        vectors = store.ensure([vector_item(candidates[i]) for i in missing])
        similarity.update(zip(missing, (vectors @ vector).tolist(), strict=True))
    return rank_candidates(
        profile,
        candidates,
        similarity={i: float(np.clip(s, -1.0, 1.0)) for i, s in similarity.items()},
        lexical_ids=set(lexical_ids),
        today=today,
        allow_domestic=allow_domestic,
        k=k,
    )
