"""Search in the app: the outbox keeps the index equal to the database; the page and API search it."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import Worker
from marketplace.listings.models import Listing
from marketplace.listings.sync import queue_listing_sync
from marketplace.search.sync import reconcile_listings, reindex_listings
from tests.factories import make_company, make_listing


def drain(client: TestClient, engine: Engine) -> None:
    app = client.app
    Worker(engine, default_registry(app.state.settings, search_engine=app.state.search)).drain()  # type: ignore[attr-defined]


def add(session: Session, **fields) -> Listing:  # type: ignore[no-untyped-def]
    company = fields.pop("company", None) or make_company(
        session, name=fields.pop("company_name", "Café Altura"), country=fields.pop("country", "CO")
    )
    listing = make_listing(session, company=company, **fields)
    queue_listing_sync(session, listing)
    return listing


def test_published_listings_are_found_with_typos_and_without_accents(
    client: TestClient, session: Session, engine: Engine
) -> None:
    add(
        session,
        title="Café orgánico tostado en grano",
        description="Tueste medio, bolsas de 1 kg.",
        hs_code="090121",
    )
    add(
        session,
        title="Miel de abeja multifloral",
        description="Tambores de 300 kg.",
        country="AR",
        company_name="Mieles del Sur",
    )
    add(session, title="Borrador de café", status="draft")
    session.commit()
    drain(client, engine)
    page = client.get("/search", params={"q": "cafe organcio"})
    assert page.status_code == 200
    assert "<mark>Café</mark>" in page.text and "<mark>orgánico</mark>" in page.text
    assert "Miel de abeja" not in page.text and "Borrador de café" not in page.text
    api = client.get("/api/v1/search", params={"q": "miel"}).json()
    assert api["total"] == 1 and api["items"][0]["company_name"] == "Mieles del Sur"


def test_facets_filter_and_links_are_shareable(client: TestClient, session: Session, engine: Engine) -> None:
    colombia = make_company(session, name="Café Altura", country="CO")
    peru = make_company(session, name="Andes Café", country="PE", women_led=True)
    add(session, company=colombia, title="Café verde de Huila")
    add(session, company=peru, title="Café verde de Cusco")
    add(session, company=peru, title="Compramos café verde", kind="request")
    session.commit()
    drain(client, engine)
    page = client.get("/search", params={"q": "café", "country": "PE"})
    results = page.text.split('<ol class="results">')[1].split("</ol>")[
        0
    ]  # the lexical results, not the aside
    assert "verde de Cusco" in results and "verde de Huila" not in results
    assert 'href="/search?q=caf%C3%A9"' in page.text  # the country link toggles the filter off
    api = client.get("/api/v1/search", params={"q": "cafe"}).json()
    assert api["facets"]["country"] == {"CO": 1, "PE": 2} and api["facets"]["kind"] == {
        "offer": 2,
        "request": 1,
    }
    women = client.get("/api/v1/search", params={"q": "cafe", "women_led": "true", "kind": "offer"}).json()
    assert [item["title"] for item in women["items"]] == ["Café verde de Cusco"]


def test_hostile_text_is_escaped_and_bad_parameters_answer_422(
    client: TestClient, session: Session, engine: Engine
) -> None:
    add(session, title='Café "<script>alert(1)</script>"', description="<img src=x onerror=alert(2)> café")
    session.commit()
    drain(client, engine)
    page = client.get("/search", params={"q": "cafe"})
    assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
    bad = client.get("/api/v1/search", params={"country": 'PE" OR 1=1', "hs_chapter": "0901"})
    assert bad.status_code == 422 and {"country", "hs_chapter"} <= set(bad.json()["error"]["fields"])


def test_changes_reach_the_index_through_the_outbox(
    client: TestClient, session: Session, engine: Engine
) -> None:
    listing = add(session, title="Quinua real orgánica")
    session.commit()
    drain(client, engine)
    assert client.get("/api/v1/search", params={"q": "quinua"}).json()["total"] == 1
    listing.status = "closed"
    listing.version += 1
    queue_listing_sync(session, listing)
    session.commit()
    drain(client, engine)
    assert client.get("/api/v1/search", params={"q": "quinua"}).json()["total"] == 0


def test_reindex_and_reconcile_agree_with_the_database(
    client: TestClient, session: Session, engine: Engine
) -> None:
    search = client.app.state.search  # type: ignore[attr-defined]
    kept = add(session, title="Aguacate Hass de exportación")
    gone = add(session, title="Mango Ataulfo")
    make_listing(session, company=make_company(session), title="Piña MD2 sin sincronizar")  # never queued
    session.commit()
    drain(client, engine)
    report = reconcile_listings(engine, search)
    assert len(report.missing) == 1 and report.stale == [] and report.orphaned == []
    gone.valid_until = utcnow().date() - timedelta(days=1)  # expired in the database, still in the index
    session.add(gone)
    session.commit()
    assert reconcile_listings(engine, search).orphaned == [gone.id]
    assert reindex_listings(engine, search) == 2
    assert reconcile_listings(engine, search).differences == 0
    assert client.get("/api/v1/search", params={"q": "aguacate"}).json()["items"][0]["id"] == kept.id


def test_search_down_shows_a_message_and_writes_still_succeed(
    client: TestClient, session: Session, engine: Engine
) -> None:
    from search.engine import SearchUnavailable

    search = client.app.state.search  # type: ignore[attr-defined]

    def down(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise SearchUnavailable("connection refused")

    original_search, original_upsert = search.search, search.upsert
    search.search = down
    search.upsert = down
    try:
        page = client.get("/search", params={"q": "café"})
        assert page.status_code == 503 and "Search is temporarily unavailable" in page.text
        assert (
            client.get("/api/v1/search", params={"q": "café"}).json()["error"]["code"] == "search_unavailable"
        )
        add(session, title="Café de altura")  # the write succeeds; its sync waits in the outbox
        session.commit()
        drain(client, engine)
    finally:
        search.search, search.upsert = original_search, original_upsert
    from sqlalchemy import select

    from marketplace.jobs.models import Job

    job = session.execute(select(Job).where(Job.kind == "search.sync_listing")).scalar_one()
    assert job.status == "pending" and "connection refused" in (job.last_error or "")
