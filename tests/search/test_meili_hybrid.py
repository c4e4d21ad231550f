"""The Meilisearch backend's search by meaning: settings, documents, requests and the answers it reads.

Meilisearch cannot run here, so every body the backend sends is checked against the shapes of Meilisearch's
documentation (see search/meili/protocol.py), and the answers are the documented response shapes.
The behaviour against a real server is in tests/search/contract/test_semantic.py (with MEILI_URL).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from search.embedded import EmbeddedEngine
from search.engine import VECTOR_DIMENSIONS, SearchError, SearchQuery, VectorIndex, make_engine
from search.filters import ListingFilter
from search.matching.crosslang import also_in_other_languages
from search.matching.embeddings import DIMENSIONS
from search.matching.retrieval import find_matches, vector_index, vector_item
from search.matching.scoring import MatchProfile
from search.matching.vectors import VectorStore
from search.meili import MeiliEngine
from search.meili.protocol import (
    cosine_from_score,
    hit_similarity,
    index_settings,
    nearest_params,
    parse_nearest,
    stored_vector,
)
from tests.search.factories import listing_doc
from tests.search.meili_server import FakeMeilisearch
from tests.search.vectors import SeededEncoder

VECTOR = [0.25, -0.5, 0.125, 1.0]


@pytest.fixture
def server() -> Iterator[FakeMeilisearch]:
    fake = FakeMeilisearch().start()
    yield fake
    fake.stop()


@pytest.fixture
def engine(server: FakeMeilisearch) -> MeiliEngine:
    return MeiliEngine(server.url, api_key="scoped-key", timeout=1, task_timeout=0.5, vector_dimensions=4)


def semantic_hit(listing_id: int, score: float | None) -> dict:
    """A hit found by meaning, as `showRankingScore` + `showRankingScoreDetails` return it."""
    return {
        "id": listing_id,
        "_rankingScore": score if score is not None else 0.0,
        "_rankingScoreDetails": {"vectorSort": {"order": 0, "similarity": score}},
    }


def test_only_the_listings_index_declares_the_user_provided_embedder() -> None:
    listings = index_settings("listings", vector_dimensions=512)
    assert listings["embedders"] == {"puente": {"source": "userProvided", "dimensions": 512}}
    assert "documentTemplate" not in listings["embedders"]["puente"]  # refused with userProvided
    assert "embedders" not in index_settings("notices", vector_dimensions=512)
    assert "embedders" not in index_settings("listings")


def test_the_app_builds_meilisearch_with_an_embedder_of_the_encoders_size() -> None:
    assert VECTOR_DIMENSIONS == DIMENSIONS
    engine = make_engine("meilisearch", meili_url="http://127.0.0.1:7700")
    assert isinstance(engine, MeiliEngine) and engine.vectors_enabled
    assert (
        index_settings("listings", vector_dimensions=engine.vector_dimensions)["embedders"]["puente"][
            "dimensions"
        ]
        == 512
    )
    assert not make_engine("meilisearch", meili_url="http://x", vector_dimensions=None).vectors_enabled  # type: ignore[attr-defined]


def test_ensure_indexes_sends_the_embedder_with_the_listing_settings(
    server: FakeMeilisearch, engine: MeiliEngine
) -> None:
    for uid, index in ((1, "listings"), (3, "notices")):
        server.answer(200, {"uid": index, "primaryKey": "id", "createdAt": "x", "updatedAt": "x"})
        server.enqueued(uid, index, "settingsUpdate")
        server.task(uid, index, "settingsUpdate")
    engine.ensure_indexes()
    patches = [r for r in server.requests if r.method == "PATCH"]
    assert [r.path for r in patches] == ["/indexes/listings/settings", "/indexes/notices/settings"]
    assert patches[0].body["embedders"] == {"puente": {"source": "userProvided", "dimensions": 4}}
    assert "embedders" not in patches[1].body


def test_a_listing_with_its_vector_is_written_with_the_vector_marked_not_to_regenerate(
    server: FakeMeilisearch, engine: MeiliEngine
) -> None:
    server.enqueued(5, "listings", "documentAdditionOrUpdate")
    server.task(5, "listings", "documentAdditionOrUpdate")
    engine.upsert("listings", [listing_doc(id=3, title="Café", language="es", vector=VECTOR)])
    sent = server.requests[0]
    assert (sent.method, urlparse(sent.path).path) == ("PUT", "/indexes/listings/documents")
    assert parse_qs(urlparse(sent.path).query) == {"primaryKey": ["id"]}
    (document,) = sent.body
    assert document["_vectors"] == {"puente": {"embeddings": VECTOR, "regenerate": False}}
    assert "vector" not in document


def test_a_listing_sent_without_its_vector_keeps_the_stored_one_and_replaces_all_its_text(
    server: FakeMeilisearch, engine: MeiliEngine
) -> None:
    """The outbox sync does not compute vectors: its partial update must keep `_vectors` (absent key) and
    still leave nothing of the old text (every localized attribute is sent, null outside the language)."""
    server.enqueued(6, "listings", "documentAdditionOrUpdate")
    server.task(6, "listings", "documentAdditionOrUpdate")
    engine.upsert("listings", [listing_doc(id=3, title="Roasted coffee", language="en")])
    (document,) = server.requests[0].body
    assert server.requests[0].method == "PUT"
    assert "_vectors" not in document and "vector" not in document
    assert document["title_en"] == "Roasted coffee"
    assert document["title_es"] is None and document["description_pt"] is None
    assert {key for key in document if key.startswith(("title_", "description_"))} == {
        f"{name}_{language}" for name in ("title", "description") for language in ("es", "en", "pt", "fr")
    }


def test_without_an_embedder_documents_are_replaced_whole(server: FakeMeilisearch) -> None:
    engine = MeiliEngine(server.url, timeout=1, task_timeout=0.5)
    server.enqueued(7, "listings", "documentAdditionOrUpdate")
    server.task(7, "listings", "documentAdditionOrUpdate")
    engine.upsert("listings", [listing_doc(id=3, vector=VECTOR)])
    assert server.requests[0].method == "POST"
    assert server.requests[0].body[0]["vector"] == VECTOR and "_vectors" not in server.requests[0].body[0]


def test_nearest_searches_by_meaning_only_of_one_kind_leaving_out_the_excluded(
    server: FakeMeilisearch, engine: MeiliEngine
) -> None:
    server.answer(
        200,
        {
            "hits": [semantic_hit(4, 0.9), semantic_hit(7, 0.55), semantic_hit(8, None)],
            "query": "",
            "processingTimeMs": 3,
            "limit": 3,
            "offset": 0,
            "estimatedTotalHits": 3,
            "semanticHitCount": 3,
        },
    )
    found = engine.nearest(np.asarray(VECTOR, dtype=np.float32), kind="offer", k=3, exclude=[3, 9])
    sent = server.requests[0]
    assert (sent.method, sent.path) == ("POST", "/indexes/listings/search")
    assert sent.body == {
        "q": "",
        "vector": VECTOR,
        "hybrid": {"embedder": "puente", "semanticRatio": 1.0},
        "showRankingScore": True,
        "showRankingScoreDetails": True,
        "limit": 3,
        "offset": 0,
        "attributesToRetrieve": ["id"],
        "filter": 'kind = "offer" AND id NOT IN ["3", "9"]',
    }
    # Scores 0.9 and 0.55 are cosines 0.8 and 0.1; the document without a vector (similarity null) is left out.
    assert [i for i, _ in found] == [4, 7]
    assert [round(s, 6) for _, s in found] == [0.8, 0.1]


def test_nearest_with_no_kind_and_nothing_excluded_sends_no_filter() -> None:
    params = nearest_params(VECTOR, kind=None, k=5, exclude=[])
    assert "filter" not in params and params["limit"] == 5


def test_kind_and_excluded_ids_are_quoted_in_the_filter() -> None:
    params = nearest_params(VECTOR, kind='offer" OR id > "0', k=5, exclude=[1])
    assert params["filter"] == 'kind = "offer\\" OR id > \\"0" AND id NOT IN ["1"]'


def test_the_similarity_is_read_from_every_documented_score_shape() -> None:
    assert hit_similarity(semantic_hit(1, 0.75)) == pytest.approx(0.5)
    keyword_hit = {
        "id": 2,
        "_rankingScore": 0.95,
        "_rankingScoreDetails": {
            "words": {"order": 0, "matchingWords": 2, "maxMatchingWords": 2, "score": 1.0}
        },
    }
    assert hit_similarity(keyword_hit) is None
    assert hit_similarity({"id": 3, "_semanticScore": 0.6}) == pytest.approx(0.2)  # Meilisearch < 1.8
    # Without details every hit of a search by meaning alone is semantic: its ranking score is the vector's.
    assert parse_nearest({"hits": [{"id": 4, "_rankingScore": 1.0}]}) == [(4, 1.0)]
    assert parse_nearest({"hits": [{"id": 5, "_rankingScore": 0.75, "_rankingScoreDetails": {}}]}) == [
        (5, 0.5)
    ]
    assert parse_nearest({"hits": [{"id": 6, "_semanticScore": 0.5}]}) == [(6, 0.0)]
    assert cosine_from_score(0.0) == -1.0 and cosine_from_score(0.5) == 0.0


def test_a_stored_vector_is_read_in_the_answer_shape_and_the_sent_shape() -> None:
    returned = {"_vectors": {"puente": {"embeddings": [[0.5, 0.25]], "regenerate": False}}}
    assert stored_vector(returned) == [0.5, 0.25]
    assert stored_vector({"_vectors": {"puente": [0.5, 0.25]}}) == [0.5, 0.25]
    assert stored_vector({"_vectors": {"puente": {"embeddings": [], "regenerate": False}}}) is None
    assert stored_vector({"id": 1}) is None


HYBRID_RESPONSE = {
    "hits": [
        {
            "id": 1, "kind": "offer", "title": "Café tostado", "title_es": "Café tostado", "description": "Grano",
            "description_es": "Grano", "language": "es", "company_id": 3, "company_name": "Finca", "country": "CO",
            "published_at": 100, "version": 2, "certifications": [], "ship_to": [], "accept_from": [],
            "valid_until": None, "women_led": False, "verified": False,
            "_formatted": {"title_es": "\ue000Café\ue001 \ue000tostado\ue001", "description_es": "Grano"},
            "_rankingScore": 0.97,
            "_rankingScoreDetails": {
                "words": {"order": 0, "matchingWords": 2, "maxMatchingWords": 2, "score": 1.0},
                "typo": {"order": 1, "typoCount": 0, "maxTypoCount": 2, "score": 1.0},
            },
        },
        {
            "id": 2, "kind": "offer", "title": "Roasted coffee beans", "title_en": "Roasted coffee beans",
            "description": "Whole beans", "description_en": "Whole beans", "language": "en", "company_id": 4,
            "company_name": "Bay", "country": "US", "published_at": 200, "version": 1, "certifications": [],
            "ship_to": [], "accept_from": [], "valid_until": None, "women_led": False, "verified": False,
            "_formatted": {"title_en": "Roasted coffee beans", "description_en": "Whole beans"},
            "_rankingScore": 0.91,
            "_rankingScoreDetails": {"vectorSort": {"order": 0, "similarity": 0.91}},
        },
    ],
    "query": "cafe tostado",
    "processingTimeMs": 7,
    "hitsPerPage": 20,
    "page": 1,
    "totalPages": 1,
    "totalHits": 2,
    "facetDistribution": {"country": {"CO": 1, "US": 1}},
    "semanticHitCount": 1,
}  # fmt: skip


def test_hybrid_search_sends_keywords_and_vector_and_tells_which_hits_came_by_meaning(
    server: FakeMeilisearch, engine: MeiliEngine
) -> None:
    server.answer(200, HYBRID_RESPONSE)
    query = SearchQuery(
        text="cafe tostado", filters=ListingFilter(kind="offer"), facets=("country",), language="es"
    )
    results = engine.hybrid_search("listings", query, VECTOR, semantic_ratio=0.7)
    body = server.requests[0].body
    assert body["q"] == "cafe tostado" and body["matchingStrategy"] == "all"
    assert body["filter"] == 'kind = "offer"' and body["facets"] == ["country"]
    assert body["vector"] == VECTOR
    assert body["hybrid"] == {"embedder": "puente", "semanticRatio": 0.7}
    assert body["showRankingScore"] is True and body["showRankingScoreDetails"] is True
    assert results.ids == [1, 2] and results.semantic_hits == 1
    keyword, meaning = results.hits
    assert (keyword.score, keyword.similarity) == (0.97, None)
    assert meaning.score == 0.91 and meaning.similarity == pytest.approx(0.82)
    assert keyword.highlights["title"] == "<mark>Café</mark> <mark>tostado</mark>"
    assert results.facets == {"country": {"CO": 1, "US": 1}}


def test_a_semantic_ratio_outside_zero_to_one_is_refused_before_any_request(
    server: FakeMeilisearch, engine: MeiliEngine
) -> None:
    with pytest.raises(ValueError, match="semantic_ratio"):
        engine.hybrid_search("listings", SearchQuery(text="cafe"), VECTOR, semantic_ratio=1.5)
    assert server.requests == []


def test_searches_by_meaning_need_an_embedder(server: FakeMeilisearch) -> None:
    engine = MeiliEngine(server.url, timeout=1)
    with pytest.raises(SearchError, match="no embedder"):
        engine.nearest(VECTOR, kind="offer")
    with pytest.raises(SearchError, match="no embedder"):
        engine.hybrid_search("listings", SearchQuery(text="cafe"), VECTOR)
    assert server.requests == []


def test_a_vector_meilisearch_refuses_is_a_search_error(server: FakeMeilisearch, engine: MeiliEngine) -> None:
    server.error(400, "invalid_search_vector", "Invalid vector dimensions: expected: `4`, found: `3`.")
    with pytest.raises(SearchError, match="invalid_search_vector"):
        engine.nearest([0.1, 0.2, 0.3])


def test_matching_searches_by_meaning_where_the_vectors_are(tmp_path, server: FakeMeilisearch) -> None:  # type: ignore[no-untyped-def]
    store = VectorStore(None, encoder=SeededEncoder())
    with_embedder = MeiliEngine(server.url, vector_dimensions=512)
    assert isinstance(with_embedder, VectorIndex) and isinstance(store, VectorIndex)
    assert vector_index(with_embedder, store) is with_embedder
    assert vector_index(MeiliEngine(server.url), store) is store
    embedded = EmbeddedEngine(tmp_path)
    assert vector_index(embedded, store) is store and vector_index(None, store) is store
    embedded.close()


def closed_port_engine() -> MeiliEngine:
    """A Meilisearch engine with an embedder whose server does not answer (nothing listens on the port)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return MeiliEngine(f"http://127.0.0.1:{port}", timeout=0.5, vector_dimensions=512)


def test_matching_falls_back_to_the_local_vectors_when_meilisearch_is_down() -> None:
    words = {"title": "Café tostado en grano", "description": "Tueste medio, bolsas de 1 kg."}
    request = MatchProfile(id=1, kind="request", language="es", company_id=1, country="MX", **words)
    offer = MatchProfile(id=2, kind="offer", language="es", company_id=2, country="CO", **words)
    profiles = {p.id: p for p in (request, offer)}
    store = VectorStore(None, encoder=SeededEncoder())
    store.ensure([vector_item(offer)])
    pairs = find_matches(
        request,
        store=store,
        load=lambda ids: {i: profiles[i] for i in ids if i in profiles},
        today=date(2026, 1, 1),
        neighbours=closed_port_engine(),
    )
    assert [(p.request_id, p.offer_id) for p in pairs] == [(1, 2)]


def test_other_language_results_are_left_out_while_meilisearch_is_down() -> None:
    found = also_in_other_languages(
        closed_port_engine(), SeededEncoder(), "café", language="es", languages_of=lambda ids: {}
    )
    assert found == []


def test_a_rebuild_copies_the_live_vectors_of_listings_given_without_one(
    server: FakeMeilisearch, engine: MeiliEngine
) -> None:
    """`puente reindex` rebuilds from the database, which keeps no vectors: the live index's are kept."""
    stored = [0.5, 0.25, -0.25, 0.75]
    server.error(404, "index_not_found", "Index not found.")  # temporary index: created
    for number, kind in ((1, "indexCreation"), (2, "settingsUpdate")):
        server.enqueued(number, None, kind)
        server.task(number, None, kind)
    server.answer(
        200,
        {
            "results": [{"id": 1, "_vectors": {"puente": {"embeddings": [stored], "regenerate": False}}}],
            "offset": 0,
            "limit": 2,
            "total": 1,
        },
    )
    server.enqueued(3, None, "documentAdditionOrUpdate")
    server.task(3, None, "documentAdditionOrUpdate")
    build = engine.rebuild("listings")
    build.add([listing_doc(id=1), listing_doc(id=2), listing_doc(id=3, vector=VECTOR)])
    fetch = next(r for r in server.requests if r.path.endswith("/documents/fetch"))
    assert fetch.path == "/indexes/listings/documents/fetch"  # read from the live index
    assert fetch.body == {
        "filter": 'id IN ["1", "2"]',
        "fields": ["id", "_vectors"],
        "retrieveVectors": True,
        "limit": 2,
    }
    put = next(r for r in server.requests if r.method == "PUT")
    assert put.path.startswith(f"/indexes/{build.uid}/documents")
    sent = {d["id"]: d.get("_vectors") for d in put.body}
    assert sent == {
        1: {"puente": {"embeddings": stored, "regenerate": False}},
        2: None,  # the live index has no vector for it either
        3: {"puente": {"embeddings": VECTOR, "regenerate": False}},  # given: used as is
    }
