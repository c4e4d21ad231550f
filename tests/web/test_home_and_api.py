"""The first page and the API conventions: listings shown, pagination, JSON errors naming the field."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from marketplace.core.models import utcnow
from tests.factories import make_company, make_listing


def test_home_lists_published_listings_and_hides_the_rest(client: TestClient, session: Session) -> None:
    company = make_company(session, name="Cafetal Don Aurelio", country="CO")
    make_listing(session, company=company, title="Café tostado en grano, tueste medio", hs_code="090121")
    make_listing(session, company=company, title="Borrador sin publicar", status="draft")
    make_listing(
        session, company=company, title="Oferta vencida ayer", valid_until=utcnow().date() - timedelta(days=1)
    )
    make_listing(session, company=company, title="<script>alert(1)</script> miel", kind="request")
    session.commit()
    page = client.get("/")
    assert page.status_code == 200
    assert "Café tostado en grano, tueste medio" in page.text
    assert "Cafetal Don Aurelio</a> · Colombia" in page.text
    assert "HS 090121" in page.text
    assert "Borrador sin publicar" not in page.text
    assert "Oferta vencida ayer" not in page.text  # past valid_until: hidden even before the expiry job
    assert (
        "<script>alert(1)</script>" not in page.text
        and "&lt;script&gt;alert(1)&lt;/script&gt; miel" in page.text
    )


def test_home_says_so_when_there_is_nothing_yet(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "No listings have been published yet." in page.text


def test_api_lists_paginate_with_totals(client: TestClient, session: Session) -> None:
    company = make_company(session, country="BR")
    for n in range(25):
        make_listing(session, company=company, title=f"Castanha do Pará lote {n:02}", language="pt")
    make_listing(session, company=company, title="Compramos embalagens", kind="request", language="pt")
    session.commit()
    first = client.get("/api/v1/listings", params={"per_page": 10}).json()
    assert (first["total"], first["page"], first["per_page"], len(first["items"])) == (26, 1, 10, 10)
    last = client.get("/api/v1/listings", params={"per_page": 10, "page": 3}).json()
    assert len(last["items"]) == 6
    ids = {item["id"] for item in first["items"]} | {item["id"] for item in last["items"]}
    assert len(ids) == 16
    requests = client.get("/api/v1/listings", params={"kind": "request"}).json()
    assert requests["total"] == 1 and requests["items"][0]["company"]["country"] == "BR"


def test_api_bad_parameter_answers_422_naming_the_field(client: TestClient) -> None:
    response = client.get("/api/v1/listings", params={"per_page": 500})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and "per_page" in error["fields"]


def test_unknown_api_path_answers_json_404_and_pages_a_friendly_404(client: TestClient) -> None:
    api = client.get("/api/v1/nothing-here")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    page = client.get("/nothing-here")
    assert page.status_code == 404 and "Page not found" in page.text and "<html" in page.text


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"


def test_readiness_fails_when_the_schema_is_not_migrated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from marketplace.app import create_app
    from marketplace.core.settings import Settings

    settings = Settings.from_env({"PUENTE_DATA_DIR": str(tmp_path)})  # an empty SQLite file, never migrated
    with TestClient(create_app(settings)) as fresh:
        ready = fresh.get("/readyz")
    assert ready.status_code == 503 and "puente migrate" in ready.json()["checks"]["database"]
