"""What is particular to the embedded engine: reopening, the writer lock, generations on disk."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from search.embedded import EmbeddedEngine
from search.embedded.store import POINTER
from search.engine import SearchError, SearchQuery, SearchUnavailable, make_engine
from tests.search.factories import listing_doc

HEAP = 15_000_000


def test_a_reopened_index_searches_and_writes(tmp_path: Path) -> None:
    first = EmbeddedEngine(tmp_path, writer_heap_bytes=HEAP)
    first.upsert("listings", [listing_doc(id=1, title="Café de Colombia")])
    first.close()
    # A new engine opens the index from disk: its analyzers must be registered again.
    second = EmbeddedEngine(tmp_path, writer_heap_bytes=HEAP)
    assert second.search("listings", SearchQuery(text="cafe colombia")).ids == [1]
    second.upsert("listings", [listing_doc(id=2, title="Café del Perú")])
    assert second.count("listings") == 2


def test_a_second_writer_on_the_same_index_is_told_to_retry(tmp_path: Path) -> None:
    first = EmbeddedEngine(tmp_path, writer_heap_bytes=HEAP)
    first.upsert("listings", [listing_doc(id=1)])
    second = EmbeddedEngine(tmp_path, writer_heap_bytes=HEAP)
    with pytest.raises(SearchUnavailable, match="locked"):
        second.upsert("listings", [listing_doc(id=2)])
    assert second.count("listings") == 1  # reading is fine


def test_other_engines_follow_a_rebuild(tmp_path: Path) -> None:
    writer = EmbeddedEngine(tmp_path, writer_heap_bytes=HEAP)
    reader = EmbeddedEngine(tmp_path, writer_heap_bytes=HEAP)
    writer.upsert("listings", [listing_doc(id=1, title="Viejo")])
    assert reader.count("listings") == 1
    with writer.rebuild("listings") as build:
        build.add([listing_doc(id=2, title="Nuevo"), listing_doc(id=3, title="Nuevo")])
    assert reader.search("listings", SearchQuery(text="nuevo")).total == 2
    generations = [p for p in (tmp_path / "listings").iterdir() if p.is_dir()]
    assert len(generations) == 1  # the old generation was removed


def test_an_index_of_another_schema_version_must_be_rebuilt(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path, writer_heap_bytes=HEAP)
    engine.ensure_indexes()
    engine.close()
    (tmp_path / "listings" / POINTER).write_text("v0-1-abc")
    stale = EmbeddedEngine(tmp_path, writer_heap_bytes=HEAP)
    with pytest.raises(SearchError, match="rebuild"):
        stale.search("listings", SearchQuery(text="x"))
    assert stale.health().available is False
    with stale.rebuild("listings") as build:
        build.add([listing_doc(id=1)])
    assert stale.count("listings") == 1


def test_searches_run_while_another_thread_writes(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path, writer_heap_bytes=HEAP)
    engine.upsert("listings", [listing_doc(id=n, title=f"Mango {n}") for n in range(1, 51)])
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for n in range(51, 81):
                engine.upsert("listings", [listing_doc(id=n, title=f"Mango {n}")])
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    totals = []
    while thread.is_alive():
        totals.append(engine.search("listings", SearchQuery(text="mango")).total)
    thread.join()
    assert not errors
    assert totals == sorted(totals) and all(50 <= t <= 80 for t in totals)
    assert engine.count("listings") == 80


def test_make_engine_builds_each_backend_from_plain_values(tmp_path: Path) -> None:
    assert make_engine("embedded", index_dir=tmp_path).backend == "embedded"
    assert (
        make_engine("meilisearch", meili_url="http://127.0.0.1:7700", meili_api_key="k").backend
        == "meilisearch"
    )
    with pytest.raises(ValueError):
        make_engine("elasticsearch", index_dir=tmp_path)
    with pytest.raises(ValueError):
        make_engine("meilisearch")
