"""Backends under contract: the embedded engine always, Meilisearch when MEILI_URL names a server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from search.embedded import EmbeddedEngine
from search.engine import INDEXES, SearchEngine
from search.meili import MeiliEngine
from tests.search.factories import listing_doc

MEILI_URL = os.environ.get("MEILI_URL")
NO_MEILI = "MEILI_URL not set: no Meilisearch server on this machine"
BACKENDS = [
    pytest.param("embedded", id="embedded"),
    pytest.param("meilisearch", id="meilisearch", marks=pytest.mark.skipif(not MEILI_URL, reason=NO_MEILI)),
]
SMALL_HEAP = 15_000_000  # tantivy's minimum writer heap: plenty for test corpora


def open_engine(backend: str, directory: Path, *, vector_dimensions: int | None = None) -> SearchEngine:
    """A fresh, empty engine of the given backend (on Meilisearch, with an embedder of `vector_dimensions`)."""
    if backend == "embedded":
        engine: SearchEngine = EmbeddedEngine(directory, writer_heap_bytes=SMALL_HEAP)
    else:
        prefix = f"test_{uuid.uuid4().hex[:10]}_"
        engine = MeiliEngine(
            MEILI_URL or "",
            api_key=os.environ.get("MEILI_API_KEY"),
            index_prefix=prefix,
            vector_dimensions=vector_dimensions,
        )
    engine.ensure_indexes()
    return engine


def dispose(engine: SearchEngine) -> None:
    """Close the engine; on Meilisearch, delete the test's indexes."""
    if isinstance(engine, MeiliEngine):
        for index in INDEXES:
            engine.client.delete_index(engine.uid(index))
    engine.close()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchEngine]:
    """An empty engine for tests that write."""
    engine = open_engine(request.param, tmp_path / "index")
    yield engine
    dispose(engine)


# A small multilingual catalogue; the tests name documents by these ids.
CATALOGUE = [
    listing_doc(
        id=1, title="Café orgánico de altura", company_name="Finca La Esperanza", country="CO",
        description="Exportadores de café especial del Huila, tostado medio. <b>Calidad</b> & sabor.",
        hs_code="090111", certifications=["organic", "fair_trade"], women_led=True, verified=True,
        published_at=1000,
    ),
    listing_doc(
        id=2, kind="request", title="Compramos cacao fino", country="MX", company_name="Chocolates Oaxaca",
        description="Buscamos cacao en grano para nuestra chocolatería artesanal.", hs_code="180100",
        certifications=["organic"], valid_until=date(2020, 1, 1), published_at=2000,
    ),
    listing_doc(
        id=3, language="en", title="Roasted coffee beans", country="US", company_name="Bay Roasters",
        description="Specialty coffee roasted in small batches.", hs_code="090121",
        certifications=["fair_trade"], verified=True, ship_to=["CA", "MX"], published_at=3000,
    ),
    listing_doc(
        id=4, language="pt", title="Açaí congelado", country="BR", company_name="Amazônia Frutas",
        description="Polpa de açaí para exportação, de produtores da Amazônia.", hs_code="081190",
        women_led=True, published_at=4000,
    ),
    listing_doc(
        id=5, language="fr", title="Sirop d'érable biologique", country="CA", company_name="Érablière Roy",
        description="Nous vendons du sirop d'érable; nos exportations vont vers l'Amérique latine.",
        hs_code="170220", certifications=["organic"], valid_until=date(2099, 12, 31), published_at=5000,
    ),
    listing_doc(
        id=6, title="Suéteres de alpaca tejidos a mano", country="PE", company_name="Awana",
        description="Tejidos artesanales de fibra de alpaca.", hs_code="611030", ship_to=["US"],
        published_at=6000,
    ),
    listing_doc(
        id=7, kind="request", language="en", title="Industrial espresso machines", country="CO",
        company_name="Café Central", description="We need espresso machines for our coffee shops.",
        hs_code="841981", published_at=7000,
    ),
    listing_doc(
        id=8, title="Cacao orgánico fino de aroma", country="EC", company_name="Cacaotera Manabí",
        description="Cacao nacional en grano, fermentado y secado al sol.", hs_code="180100",
        certifications=["organic"], published_at=8000,
    ),
    listing_doc(
        id=9, title='Miel <pura> & "cruda"', country="GT", company_name="Apícola Maya",
        description="Miel de abeja sin pasteurizar.", hs_code="040900", published_at=9000,
    ),
    listing_doc(
        id=10, language="pt", title="Nibs de cacau", country="BR", company_name="Cacau Bahia",
        description="Nibs torrados de cacau fino.", hs_code="180310", published_at=10000,
    ),
    listing_doc(
        id=11, title="Quinua real en grano", country="BO", company_name="Andes Granos",
        description=" ".join(["Cultivada en el altiplano boliviano a más de tres mil metros."] * 6)
        + " Certificación de comercio justo disponible para exportadores.",
        hs_code="100850", published_at=11000,
    ),
]  # fmt: skip


@pytest.fixture(scope="module", params=BACKENDS)
def catalogue(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchEngine]:
    """An engine holding CATALOGUE, shared by the read-only tests of a module."""
    engine = open_engine(request.param, tmp_path_factory.mktemp("catalogue"))
    engine.upsert("listings", CATALOGUE)
    yield engine
    dispose(engine)
