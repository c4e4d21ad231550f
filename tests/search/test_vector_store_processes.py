"""The vector store shared by processes: `puente worker` saves vectors, the web processes notice and reload them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

from search.matching.embeddings import listing_text
from search.matching.vectors import STORE_FILE, VectorItem, VectorStore
from tests.search.vectors import SeededEncoder, seeded_vector

ROOT = Path(__file__).resolve().parents[2]


def item(listing_id: int, *, version: int = 1, kind: str = "offer", title: str | None = None) -> VectorItem:
    return VectorItem(listing_id, version, kind, title or f"Producto {listing_id}", "Descripción")


def test_a_reader_finds_vectors_saved_later_by_another_store(tmp_path: Path) -> None:
    writer = VectorStore(tmp_path, encoder=SeededEncoder())
    reader = VectorStore(tmp_path, encoder=SeededEncoder(), refresh_every=0)
    assert len(reader) == 0
    writer.ensure([item(1), item(2, kind="request")])
    writer.save()
    query = seeded_vector(listing_text("Producto 1", "Descripción"))
    assert reader.nearest(query, kind="offer", k=5)[0][0] == 1
    assert len(reader) == 2 and reader.generation == writer.generation == 1
    assert reader.reloads == 1


def test_the_file_is_checked_at_most_once_per_refresh_interval(tmp_path: Path) -> None:
    writer = VectorStore(tmp_path, encoder=SeededEncoder())
    writer.ensure([item(1)])
    writer.save()
    reader = VectorStore(tmp_path, encoder=SeededEncoder(), refresh_every=1.0)
    assert len(reader) == 1  # loaded when opened
    writer.ensure([item(2)])
    writer.save()
    assert len(reader) == 1  # checked just now (when opened): the new file is not looked at yet
    time.sleep(1.05)
    assert len(reader) == 2 and reader.reloads == 1
    assert reader.refresh(force=True) is False  # nothing newer: one stat, no reload


def test_a_store_with_unsaved_changes_keeps_them_instead_of_reloading(tmp_path: Path) -> None:
    first = VectorStore(tmp_path, encoder=SeededEncoder(), refresh_every=0)
    second = VectorStore(tmp_path, encoder=SeededEncoder(), refresh_every=0)
    first.ensure([item(1)])
    second.ensure([item(2)])  # not saved yet: `second` is a writer now
    first.save()
    assert second.refresh(force=True) is False
    assert second.get(2) is not None and second.get(1) is None
    second.save()  # the writer's save wins; readers follow it
    assert first.refresh(force=True) is True
    assert first.get(1) is None and first.get(2) is not None


def test_a_removed_listing_disappears_from_readers_after_the_next_save(tmp_path: Path) -> None:
    writer = VectorStore(tmp_path, encoder=SeededEncoder())
    writer.ensure([item(1), item(2)])
    writer.save()
    reader = VectorStore(tmp_path, encoder=SeededEncoder(), refresh_every=0)
    writer.remove(1)
    writer.save()
    assert [i for i, _ in reader.nearest(seeded_vector("x"), k=5)] == [2]


def test_a_store_of_the_earlier_two_file_format_is_read_and_replaced(tmp_path: Path) -> None:
    vector = seeded_vector(listing_text("Producto 7", "Descripción"))
    np.save(tmp_path / "listings.npy", vector[None, :])
    meta = [{"id": 7, "version": 3, "kind": "offer", "fp": "legacy"}]
    (tmp_path / "listings.json").write_text(json.dumps(meta))
    store = VectorStore(tmp_path, encoder=SeededEncoder())
    assert store.version(7) == 3 and np.allclose(store.get(7), vector)  # type: ignore[arg-type]
    store.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == [STORE_FILE]
    assert VectorStore(tmp_path, encoder=SeededEncoder()).version(7) == 3


WRITER = textwrap.dedent(
    """
    import sys
    import time
    from pathlib import Path
    from search.matching.vectors import VectorItem, VectorStore
    from tests.search.vectors import SeededEncoder

    store = VectorStore(Path(sys.argv[1]), encoder=SeededEncoder())
    for generation in range(1, int(sys.argv[2]) + 1):
        store.ensure([VectorItem(i, generation, "offer", f"Producto {i} g{generation}", "") for i in range(1, 41)])
        store.save()
        time.sleep(0.02)  # a worker saves now and then, not in a tight loop
    """
)


def test_a_reader_never_sees_half_of_a_save_made_by_another_process(tmp_path: Path) -> None:
    """A real `worker`-like process saves 25 generations while this one keeps reloading and checking that
    every listing's vector belongs to the version its row says (a torn read would pair them wrongly)."""
    generations = 25
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path), str(generations)], cwd=ROOT, stderr=subprocess.PIPE
    )
    reader = VectorStore(tmp_path, encoder=SeededEncoder(), refresh_every=3600)
    seen: set[int] = set()
    deadline = time.monotonic() + 60
    while reader.generation < generations and time.monotonic() < deadline:
        reader.refresh(force=True)
        if reader.generation == 0:
            continue
        seen.add(reader.generation)
        for listing_id in range(1, 41):
            version = reader.version(listing_id)
            expected = seeded_vector(listing_text(f"Producto {listing_id} g{version}", ""))
            assert np.allclose(reader.get(listing_id), expected), (listing_id, version)  # type: ignore[arg-type]
            assert version == reader.generation
    _, errors = writer.communicate(timeout=60)
    assert writer.returncode == 0, errors.decode()
    assert reader.generation == generations
    assert len(seen) >= 2  # it did reload while the other process was writing
    assert not list(tmp_path.glob("*.tmp"))


def test_the_writer_does_not_reload_its_own_saves(tmp_path: Path) -> None:
    writer = VectorStore(tmp_path, encoder=SeededEncoder(), refresh_every=0)
    writer.ensure([item(1)])
    writer.save()
    writer.ensure([item(2)])
    writer.save()
    assert len(writer) == 2 and writer.reloads == 0


def test_changes_made_inside_the_save_window_reach_readers_when_it_ends(tmp_path: Path) -> None:
    """The worker saves at most once per window; the last changes of a burst are saved when it ends, even
    if no job comes after them."""
    writer = VectorStore(tmp_path, encoder=SeededEncoder())
    reader = VectorStore(tmp_path, encoder=SeededEncoder(), refresh_every=0)
    writer.ensure([item(1)])
    assert writer.save_if_due(every_seconds=0.3) is True  # first save: due at once
    writer.ensure([item(2)])
    assert writer.save_if_due(every_seconds=0.3) is False  # inside the window: deferred
    assert len(reader) == 1
    deadline = time.monotonic() + 5
    while len(reader) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(reader) == 2 and reader.generation == 2
    time.sleep(0.4)
    assert writer.save_if_due(every_seconds=0.3) is False  # nothing unsaved: no write
    assert writer.generation == 2


def test_close_saves_what_is_unsaved(tmp_path: Path) -> None:
    writer = VectorStore(tmp_path, encoder=SeededEncoder())
    writer.ensure([item(1)])
    writer.save_if_due(every_seconds=0)
    writer.ensure([item(2)])
    writer.save_if_due(every_seconds=3600)  # deferred for an hour…
    writer.close()  # …but shutting down saves it now
    assert len(VectorStore(tmp_path, encoder=SeededEncoder())) == 2


def test_an_unreadable_store_file_is_ignored_not_raised_into_a_search(tmp_path: Path) -> None:
    writer = VectorStore(tmp_path, encoder=SeededEncoder())
    writer.ensure([item(1)])
    writer.save()
    reader = VectorStore(tmp_path, encoder=SeededEncoder(), refresh_every=0)
    (tmp_path / "garbage").write_bytes(b"not a zip file")
    (tmp_path / "garbage").replace(tmp_path / STORE_FILE)  # e.g. a disk that lost the last write
    assert [i for i, _ in reader.nearest(seeded_vector("x"), k=5)] == [1]  # keeps its vectors
    assert len(VectorStore(tmp_path, encoder=SeededEncoder())) == 0  # a new process starts over
