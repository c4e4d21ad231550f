"""Writes: upserts replace, deletes remove, rebuilds swap; and the notices index."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from search.engine import SearchEngine, SearchError, SearchQuery
from search.filters import NoticeFilter
from tests.search.factories import listing_doc, notice_doc


def titles(engine: SearchEngine, text: str) -> list[str]:
    return [h.document["title"] for h in engine.search("listings", SearchQuery(text=text)).hits]


def test_upsert_is_searchable_when_it_returns(engine: SearchEngine) -> None:
    task = engine.upsert("listings", [listing_doc(id=1, title="Panela orgánica")])
    assert task.status == "succeeded"
    assert titles(engine, "panela") == ["Panela orgánica"]


def test_upserting_an_id_again_replaces_it(engine: SearchEngine) -> None:
    engine.upsert("listings", [listing_doc(id=1, title="Panela orgánica", version=1)])
    engine.upsert("listings", [listing_doc(id=1, title="Panela granulada", version=2)])
    assert engine.count("listings") == 1
    assert titles(engine, "panela") == ["Panela granulada"]
    assert titles(engine, "organica") == []
    assert engine.document_versions("listings") == {1: 2}


def test_the_last_copy_of_an_id_in_a_batch_wins(engine: SearchEngine) -> None:
    engine.upsert("listings", [listing_doc(id=1, title="Mango tommy"), listing_doc(id=1, title="Mango kent")])
    assert engine.count("listings") == 1
    assert titles(engine, "mango") == ["Mango kent"]


def test_deleted_documents_are_no_longer_found(engine: SearchEngine) -> None:
    engine.upsert("listings", [listing_doc(id=1, title="Yuca fresca"), listing_doc(id=2, title="Yuca seca")])
    engine.delete("listings", [1, 999])  # an unknown id is ignored
    assert titles(engine, "yuca") == ["Yuca seca"]
    assert engine.document_versions("listings") == {2: 1}


def test_clear_empties_an_index(engine: SearchEngine) -> None:
    engine.upsert("listings", [listing_doc(id=n) for n in range(1, 6)])
    engine.clear("listings")
    assert engine.count("listings") == 0


def test_a_document_round_trips_through_the_index(engine: SearchEngine) -> None:
    original = listing_doc(id=7, title="Flores", certifications=["globalgap"], vector=[0.25, -0.5, 1.0])
    engine.upsert("listings", [original])
    assert engine.search("listings", SearchQuery(text="flores")).hits[0].document == original.to_dict()


def test_rebuild_swaps_in_the_new_index(engine: SearchEngine) -> None:
    engine.upsert("listings", [listing_doc(id=1, title="Banano viejo")])
    with engine.rebuild("listings") as build:
        build.add([listing_doc(id=2, title="Banano nuevo"), listing_doc(id=3, title="Piña")])
        assert titles(engine, "banano") == ["Banano viejo"]  # the live index serves meanwhile
    assert titles(engine, "banano") == ["Banano nuevo"]
    assert engine.count("listings") == 2
    engine.upsert("listings", [listing_doc(id=4, title="Banano verde")])  # writes go to the new index
    assert engine.count("listings") == 3


def test_a_failed_rebuild_leaves_the_live_index(engine: SearchEngine) -> None:
    engine.upsert("listings", [listing_doc(id=1, title="Banano viejo")])
    with pytest.raises(RuntimeError), engine.rebuild("listings") as build:
        build.add([listing_doc(id=2, title="Banano nuevo")])
        raise RuntimeError("the database went away")
    assert titles(engine, "banano") == ["Banano viejo"]


def test_recreate_leaves_an_empty_usable_index(engine: SearchEngine) -> None:
    engine.upsert("listings", [listing_doc(id=1)])
    engine.recreate("listings")
    assert engine.count("listings") == 0
    engine.upsert("listings", [listing_doc(id=2, title="Guayaba")])
    assert titles(engine, "guayaba") == ["Guayaba"]


def test_health_reports_document_counts(engine: SearchEngine) -> None:
    engine.upsert("listings", [listing_doc(id=1), listing_doc(id=2)])
    health = engine.health()
    assert health.available
    assert health.documents["listings"] == 2


def test_task_status_of_a_finished_write(engine: SearchEngine) -> None:
    task = engine.upsert("listings", [listing_doc(id=1)])
    assert engine.task_status(task.id).status == "succeeded"


def test_unknown_facet_is_refused(engine: SearchEngine) -> None:
    with pytest.raises(ValueError):
        engine.search("listings", SearchQuery(facets=("price",)))


def test_notices_are_searched_filtered_and_sorted_by_deadline(engine: SearchEngine) -> None:
    deadline = int(datetime(2030, 1, 1, tzinfo=UTC).timestamp())
    engine.upsert(
        "notices",
        [
            notice_doc(id=1, title="Suministro de computadores portátiles", tender_end=deadline + 86_400),
            notice_doc(id=2, title="Compra de computadores de escritorio", tender_end=deadline),
            notice_doc(id=3, title="Computadores para escuelas", tender_end=deadline - 10 * 86_400),
            notice_doc(id=4, title="Computadores usados", country="PE", tender_end=None),
        ],
    )
    query = SearchQuery(
        text="computadores",
        filters=NoticeFilter(countries=("CO",), open_at=datetime(2029, 12, 25, tzinfo=UTC)),
        sort="deadline",
        facets=("status",),
    )
    results = engine.search("notices", query)
    assert results.ids == [2, 1]
    assert results.facets == {"status": {"active": 2}}
    assert "<mark>computadores</mark>" in results.hits[0].highlights["title"]
    assert engine.count("notices", NoticeFilter(open_at=datetime(2031, 1, 1, tzinfo=UTC))) == 1  # no deadline


def test_wrong_document_type_is_refused(engine: SearchEngine) -> None:
    with pytest.raises((TypeError, SearchError)):
        engine.upsert("notices", [listing_doc(id=1)])
