"""Search by meaning through the one `VectorIndex` interface: the embedded setup's vector store, and
Meilisearch's userProvided embedder when MEILI_URL names a server.

Vectors are chosen by the test with exact cosines to a query vector, so each backend's similarity can be
compared with the true cosine (on Meilisearch this checks how its ranking score maps to a cosine).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from search.documents import ListingDocument
from search.engine import SearchEngine, VectorIndex
from search.matching.crosslang import also_in_other_languages
from search.matching.embeddings import DIMENSIONS, listing_text
from search.matching.vectors import VectorItem, VectorStore
from tests.search.contract.conftest import BACKENDS, dispose, open_engine
from tests.search.factories import listing_doc
from tests.search.vectors import TableEncoder, seeded_vector, vector_at

QUERY = seeded_vector("café tostado en grano")
TOLERANCE = 2e-3  # float32 storage on both sides


@dataclass
class Semantic:
    """A backend as matching sees it: documents go in, `index` answers searches by meaning."""

    engine: SearchEngine
    index: VectorIndex
    store: VectorStore | None  # the embedded setup keeps vectors beside the engine

    def add(self, documents: Sequence[ListingDocument]) -> None:
        """Index documents with their vectors, as the matching job does."""
        self.engine.upsert("listings", documents)
        if self.store is not None:
            encoder = self.store.encoder
            assert isinstance(encoder, TableEncoder)
            for doc in documents:
                if doc.vector is not None:
                    encoder.table[listing_text(doc.title, doc.description)] = np.asarray(doc.vector)
            self.store.ensure(
                [VectorItem(d.id, d.version, d.kind, d.title, d.description) for d in documents if d.vector]
            )

    def remove(self, ids: Sequence[int]) -> None:
        """A listing that leaves the index leaves the vectors too."""
        self.engine.delete("listings", ids)
        if self.store is not None:
            for listing_id in ids:
                self.store.remove(listing_id)


def doc(listing_id: int, cosine: float, *, kind: str = "offer", language: str = "es") -> ListingDocument:
    vector = vector_at(QUERY, cosine, seed=listing_id)
    return listing_doc(
        id=listing_id, kind=kind, language=language, title=f"Listing {listing_id}", vector=vector.tolist()
    )


CATALOGUE = [
    doc(1, 0.9, language="es"),
    doc(2, 0.7, language="en"),
    doc(3, 0.35, language="pt"),
    doc(4, 0.95, kind="request", language="fr"),
    doc(5, -0.2, language="en"),
]
LANGUAGES = {d.id: d.language for d in CATALOGUE}


@pytest.fixture(params=BACKENDS)
def semantic(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Semantic]:
    engine = open_engine(request.param, tmp_path / "index", vector_dimensions=DIMENSIONS)
    if request.param == "embedded":
        store = VectorStore(tmp_path / "vectors", encoder=TableEncoder({}))
        backend = Semantic(engine, store, store)
    else:
        backend = Semantic(engine, engine, None)  # type: ignore[arg-type]
    backend.add(CATALOGUE)
    yield backend
    dispose(engine)


def ids(found: list[tuple[int, float]]) -> list[int]:
    return [listing_id for listing_id, _ in found]


def test_nearest_ranks_by_cosine_and_reports_the_true_cosine(semantic: Semantic) -> None:
    found = semantic.index.nearest(QUERY, kind="offer", k=3)
    assert ids(found) == [1, 2, 3]
    assert [s for _, s in found] == pytest.approx([0.9, 0.7, 0.35], abs=TOLERANCE)


def test_nearest_keeps_to_the_kind_asked_for_or_takes_every_kind(semantic: Semantic) -> None:
    assert ids(semantic.index.nearest(QUERY, kind="request", k=5)) == [4]
    assert ids(semantic.index.nearest(QUERY, k=2)) == [4, 1]


def test_nearest_leaves_out_excluded_listings_and_returns_at_most_k(semantic: Semantic) -> None:
    assert ids(semantic.index.nearest(QUERY, kind="offer", k=2, exclude=[1, 3])) == [2, 5]
    found = semantic.index.nearest(QUERY, kind="offer", k=10)
    assert ids(found) == [1, 2, 3, 5]  # every offer, the dissimilar one last
    assert found[-1][1] == pytest.approx(-0.2, abs=TOLERANCE)


def test_a_removed_listing_is_no_longer_found_by_meaning(semantic: Semantic) -> None:
    semantic.remove([1])
    assert ids(semantic.index.nearest(QUERY, kind="offer", k=2)) == [2, 3]


def test_reindexing_a_listing_without_its_vector_keeps_it_findable_by_meaning(semantic: Semantic) -> None:
    """The outbox sync re-sends documents without vectors; only the matching job computes them."""
    semantic.engine.upsert("listings", [dataclasses.replace(CATALOGUE[0], vector=None, verified=True)])
    found = semantic.index.nearest(QUERY, kind="offer", k=1)
    assert ids(found) == [1] and found[0][1] == pytest.approx(0.9, abs=TOLERANCE)


def test_a_listing_whose_text_changed_is_found_by_its_new_meaning(semantic: Semantic) -> None:
    moved = vector_at(QUERY, 0.1, seed=99)
    semantic.add(
        [dataclasses.replace(CATALOGUE[0], title="Listing 1, rewritten", version=2, vector=moved.tolist())]
    )
    found = dict(semantic.index.nearest(QUERY, kind="offer", k=10))
    assert list(found)[:2] == [2, 3]
    assert found[1] == pytest.approx(0.1, abs=TOLERANCE)


def test_also_in_other_languages_works_through_the_interface(semantic: Semantic) -> None:
    encoder = TableEncoder({"café tostado": QUERY})
    found = also_in_other_languages(
        semantic.index,
        encoder,
        "café tostado",
        language="es",
        languages_of=lambda listing_ids: {i: LANGUAGES[i] for i in listing_ids},
        kind="offer",
    )
    # The Spanish offer is the searcher's own language (the main results show it); the rest by similarity,
    # down to the 0.3 threshold (the dissimilar English offer stays out).
    assert ids(found) == [2, 3]


def test_vectors_have_the_encoders_dimensions() -> None:
    assert len(CATALOGUE[0].vector or []) == DIMENSIONS


def test_a_full_reindex_from_documents_without_vectors_keeps_search_by_meaning(semantic: Semantic) -> None:
    """`puente reindex` rebuilds from the database, which keeps no vectors."""
    with semantic.engine.rebuild("listings") as build:
        build.add([dataclasses.replace(d, vector=None) for d in CATALOGUE])
    found = semantic.index.nearest(QUERY, kind="offer", k=3)
    assert ids(found) == [1, 2, 3]
    assert [s for _, s in found] == pytest.approx([0.9, 0.7, 0.35], abs=TOLERANCE)
