"""The Meilisearch backend: every request it builds and every answer it reads, against a scripted server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest

from search.engine import SearchError, SearchQuery, SearchUnavailable
from search.filters import ListingFilter
from search.meili import MeiliEngine
from search.meili.protocol import index_settings
from tests.search.factories import listing_doc
from tests.search.meili_server import FakeMeilisearch


@pytest.fixture
def server() -> Iterator[FakeMeilisearch]:
    fake = FakeMeilisearch().start()
    yield fake
    fake.stop()


@pytest.fixture
def engine(server: FakeMeilisearch) -> MeiliEngine:
    return MeiliEngine(server.url, api_key="scoped-key", timeout=1, task_timeout=0.5)


def test_every_request_carries_the_api_key(server: FakeMeilisearch, engine: MeiliEngine) -> None:
    server.answer(200, {"status": "available"})
    server.answer(
        200, {"databaseSize": 1, "indexes": {"listings": {"numberOfDocuments": 3, "isIndexing": False}}}
    )
    health = engine.health()
    assert health.available and health.documents == {"listings": 3, "notices": 0}
    assert [r.path for r in server.requests] == ["/health", "/stats"]
    assert all(r.headers["Authorization"] == "Bearer scoped-key" for r in server.requests)


def test_ensure_indexes_creates_a_missing_index_and_applies_settings(
    server: FakeMeilisearch, engine: MeiliEngine
) -> None:
    for uid, index in ((1, "listings"), (3, "notices")):
        server.error(404, "index_not_found", f"Index `{index}` not found.")
        server.enqueued(uid, index, "indexCreation")
        server.task(uid, index, "indexCreation")
        server.enqueued(uid + 1, index, "settingsUpdate")
        server.task(uid + 1, index, "settingsUpdate")
    engine.ensure_indexes()
    requests = [(r.method, r.path) for r in server.requests[:5]]
    assert requests == [
        ("GET", "/indexes/listings"),
        ("POST", "/indexes"),
        ("GET", "/tasks/1"),
        ("PATCH", "/indexes/listings/settings"),
        ("GET", "/tasks/2"),
    ]
    assert server.requests[1].body == {"uid": "listings", "primaryKey": "id"}
    assert server.requests[3].body == index_settings("listings")
    assert server.requests[8].body == index_settings("notices")


def test_listing_settings_reproduce_the_search_contract() -> None:
    settings = index_settings("listings", vector_dimensions=384)
    assert settings["typoTolerance"]["minWordSizeForTypos"] == {"oneTypo": 5, "twoTypos": 9}
    assert settings["searchableAttributes"][:4] == ["title_es", "title_en", "title_pt", "title_fr"]
    assert {"attributePatterns": ["*_pt"], "locales": ["por"]} in settings["localizedAttributes"]
    assert {"kind", "country", "hs_chapter", "certifications", "women_led", "valid_until"} <= set(
        settings["filterableAttributes"]
    )
    assert "published_at" in settings["sortableAttributes"]
    assert settings["rankingRules"][:2] == ["words", "typo"]
    assert settings["embedders"] == {"puente": {"source": "userProvided", "dimensions": 384}}


def test_upsert_sends_localized_documents_and_waits_for_the_task(
    server: FakeMeilisearch, engine: MeiliEngine
) -> None:
    server.enqueued(7, "listings", "documentAdditionOrUpdate")
    server.task(7, "listings", "documentAdditionOrUpdate", status="processing")
    server.task(7, "listings", "documentAdditionOrUpdate")
    doc = listing_doc(id=5, title="Café", language="es", valid_until=date(1970, 1, 11), vector=[0.5])
    task = engine.upsert("listings", [doc])
    assert task.status == "succeeded" and task.id == 7
    add = server.requests[0]
    assert (add.method, urlparse(add.path).path) == ("POST", "/indexes/listings/documents")
    assert parse_qs(urlparse(add.path).query) == {"primaryKey": ["id"]}
    assert add.headers["Content-Type"] == "application/json"
    (sent,) = add.body
    assert sent["title_es"] == "Café" and sent["description_es"] == doc.description
    assert sent["valid_until"] == 10  # epoch days: filterable as a number
    assert sent["vector"] == [0.5]
    assert [r.path for r in server.requests[1:]] == ["/tasks/7", "/tasks/7"]


def test_a_failed_task_raises_search_error_with_meilisearch_code(
    server: FakeMeilisearch, engine: MeiliEngine
) -> None:
    server.enqueued(8, "listings", "documentAdditionOrUpdate")
    error = {
        "message": "Document identifier `x y` is invalid.",
        "code": "invalid_document_id",
        "type": "invalid_request",
        "link": "https://docs.meilisearch.com/errors#invalid_document_id",
    }
    server.task(8, "listings", "documentAdditionOrUpdate", status="failed", error=error)
    with pytest.raises(SearchError, match="invalid_document_id") as raised:
        engine.upsert("listings", [listing_doc(id=1)])
    assert not isinstance(raised.value, SearchUnavailable)


def test_upsert_without_wait_returns_the_enqueued_task(server: FakeMeilisearch, engine: MeiliEngine) -> None:
    server.enqueued(9, "listings", "documentAdditionOrUpdate")
    server.task(9, "listings", "documentAdditionOrUpdate", status="processing")
    task = engine.upsert("listings", [listing_doc(id=1)], wait=False)
    assert (task.id, task.status) == (9, "enqueued")
    assert engine.task_status(9).status == "processing"
    assert [r.path for r in server.requests] == ["/indexes/listings/documents?primaryKey=id", "/tasks/9"]


def test_a_task_that_never_finishes_means_unavailable(server: FakeMeilisearch, engine: MeiliEngine) -> None:
    server.enqueued(10, "listings", "documentAdditionOrUpdate")
    for _ in range(100):
        server.task(10, "listings", "documentAdditionOrUpdate", status="processing")
    with pytest.raises(SearchUnavailable, match="unfinished"):
        engine.upsert("listings", [listing_doc(id=1)])


def test_delete_uses_an_escaped_id_filter(server: FakeMeilisearch, engine: MeiliEngine) -> None:
    server.enqueued(11, "listings", "documentDeletion")
    server.task(11, "listings", "documentDeletion")
    engine.delete("listings", [3, 4])
    assert server.requests[0].path == "/indexes/listings/documents/delete"
    assert server.requests[0].body == {"filter": 'id IN ["3", "4"]'}


SEARCH_RESPONSE = {
    "hits": [
        {
            "id": 1, "kind": "offer", "title": "Café <b>orgánico</b>", "title_es": "Café <b>orgánico</b>",
            "description": "Exportamos café", "description_es": "Exportamos café", "language": "es",
            "company_id": 3, "company_name": "Finca", "country": "CO", "published_at": 100, "version": 2,
            "hs_code": "090111", "hs_chapter": "09", "hs_heading": "0901", "unspsc_code": None,
            "certifications": ["organic"], "women_led": True, "verified": False, "ship_to": [],
            "accept_from": [], "valid_until": 19000, "vector": None,
            "_formatted": {
                "title_es": "\ue000Café\ue001 <b>orgánico</b>",
                "description_es": "Exportamos \ue000café\ue001",
            },
        }
    ],
    "query": "cafe",
    "processingTimeMs": 2,
    "hitsPerPage": 20,
    "page": 2,
    "totalPages": 3,
    "totalHits": 41,
    "facetDistribution": {"country": {"CO": 30, "PE": 11}, "women_led": {"true": 4, "false": 37}},
    "facetStats": {},
}  # fmt: skip


def test_search_request_and_response(server: FakeMeilisearch, engine: MeiliEngine) -> None:
    server.answer(200, SEARCH_RESPONSE)
    query = SearchQuery(
        text="cafe",
        filters=ListingFilter(kind="offer", countries=('CO" OR kind = "request',)),
        facets=("country", "women_led", "kind"),
        sort="newest",
        page=2,
        language="es",
    )
    results = engine.search("listings", query)
    sent = server.requests[0]
    assert (sent.method, sent.path) == ("POST", "/indexes/listings/search")
    assert sent.body["q"] == "cafe"
    assert sent.body["filter"] == 'kind = "offer" AND country IN ["CO\\" OR kind = \\"request"]'
    assert sent.body["matchingStrategy"] == "all"
    assert (sent.body["page"], sent.body["hitsPerPage"]) == (2, 20)
    assert sent.body["sort"] == ["published_at:desc"]
    assert sent.body["facets"] == ["country", "women_led", "kind"]
    assert sent.body["locales"] == ["spa"]
    assert (sent.body["highlightPreTag"], sent.body["highlightPostTag"]) == ("\ue000", "\ue001")
    assert "description_es" in sent.body["attributesToCrop"]

    assert (results.total, results.page, results.ids) == (41, 2, [1])
    assert results.facets == {
        "country": {"CO": 30, "PE": 11},
        "women_led": {"true": 4, "false": 37},
        "kind": {},
    }
    hit = results.hits[0]
    assert hit.highlights["title"] == "<mark>Café</mark> &lt;b&gt;orgánico&lt;/b&gt;"
    assert hit.highlights["description"] == "Exportamos <mark>café</mark>"
    assert hit.document["valid_until"] == "2022-01-08"
    assert "title_es" not in hit.document and "_formatted" not in hit.document


def test_relevance_search_sends_no_sort_but_an_empty_query_lists_newest(
    server: FakeMeilisearch, engine: MeiliEngine
) -> None:
    empty = {**SEARCH_RESPONSE, "hits": []}
    server.answer(200, empty)
    server.answer(200, empty)
    engine.search("listings", SearchQuery(text="cafe"))
    engine.search("listings", SearchQuery(text=""))
    assert "sort" not in server.requests[0].body
    assert server.requests[1].body["sort"] == ["published_at:desc"]


def test_a_rejected_search_raises_search_error(server: FakeMeilisearch, engine: MeiliEngine) -> None:
    server.error(400, "invalid_search_filter", "Attribute `price` is not filterable.")
    with pytest.raises(SearchError, match="invalid_search_filter") as raised:
        engine.search("listings", SearchQuery(text="cafe"))
    assert not isinstance(raised.value, SearchUnavailable)


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_mean_unavailable(server: FakeMeilisearch, engine: MeiliEngine, status: int) -> None:
    server.error(status, "internal", "Something went wrong")
    with pytest.raises(SearchUnavailable):
        engine.search("listings", SearchQuery(text="cafe"))


def test_a_slow_server_times_out_as_unavailable(server: FakeMeilisearch) -> None:
    engine = MeiliEngine(server.url, api_key="k", timeout=0.2)
    server.answer(200, SEARCH_RESPONSE, delay=1.0)
    with pytest.raises(SearchUnavailable):
        engine.search("listings", SearchQuery(text="cafe"))


def test_a_closed_port_means_unavailable_and_unhealthy() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = MeiliEngine(f"http://127.0.0.1:{port}", timeout=0.5)
    with pytest.raises(SearchUnavailable):
        engine.upsert("listings", [listing_doc(id=1)])
    assert engine.health().available is False


def test_an_unexpected_answer_is_a_search_error(server: FakeMeilisearch, engine: MeiliEngine) -> None:
    server.answer(200, {"unexpected": True})
    with pytest.raises(SearchError):
        engine.search("listings", SearchQuery(text="cafe"))


def test_document_versions_pages_through_the_index(server: FakeMeilisearch, engine: MeiliEngine) -> None:
    first = [{"id": n, "version": 1} for n in range(1000)]
    server.answer(200, {"results": first, "offset": 0, "limit": 1000, "total": 1001})
    server.answer(
        200, {"results": [{"id": 1000, "version": 4}], "offset": 1000, "limit": 1000, "total": 1001}
    )
    versions = engine.document_versions("listings")
    assert len(versions) == 1001 and versions[1000] == 4
    assert [r.body["offset"] for r in server.requests] == [0, 1000]
    assert server.requests[0].path == "/indexes/listings/documents/fetch"
    assert server.requests[0].body["fields"] == ["id", "version"]


def test_rebuild_fills_a_temporary_index_then_swaps_and_deletes_it(
    server: FakeMeilisearch, engine: MeiliEngine
) -> None:
    script = [
        ("index", 404), ("create", 1), ("settings", 2),  # temporary index
        ("add", 3),  # one batch
        ("index", 200), ("settings", 4),  # live index exists
        ("swap", 5), ("delete", 6),
    ]  # fmt: skip
    for step, number in script:
        if step == "index" and number == 404:
            server.error(404, "index_not_found", "Index not found.")
        elif step == "index":
            server.answer(200, {"uid": "listings", "primaryKey": "id", "createdAt": "x", "updatedAt": "x"})
        else:
            server.enqueued(number, None, step)
            server.task(number, None, step)
    with engine.rebuild("listings") as build:
        temporary = build.uid
        build.add([listing_doc(id=1)])
    calls = [(r.method, r.path.split("?")[0]) for r in server.requests if not r.path.startswith("/tasks")]
    assert calls == [
        ("GET", f"/indexes/{temporary}"),
        ("POST", "/indexes"),
        ("PATCH", f"/indexes/{temporary}/settings"),
        ("POST", f"/indexes/{temporary}/documents"),
        ("GET", "/indexes/listings"),
        ("PATCH", "/indexes/listings/settings"),
        ("POST", "/swap-indexes"),
        ("DELETE", f"/indexes/{temporary}"),
    ]
    swap = next(r for r in server.requests if r.path == "/swap-indexes")
    assert swap.body == [{"indexes": ["listings", temporary]}]
