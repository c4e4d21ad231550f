"""Public company and listing pages; drafts stay private to the company; errors never show a traceback."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from marketplace.accounts.models import Membership
from tests.factories import make_company, make_listing
from tests.webtools import make_user, sign_in


def test_company_page_shows_profile_and_active_listings(client: TestClient, session: Session) -> None:
    company = make_company(
        session,
        name="Mieles del Sur",
        country="AR",
        city="Córdoba",
        women_led=True,
        certifications=["organic"],
    )
    make_listing(session, company=company, title="Miel de monte orgánica a granel", hs_code="040900")
    make_listing(session, company=company, title="Borrador privado de la empresa", status="draft")
    session.commit()
    page = client.get(f"/companies/{company.id}", headers={"Accept-Language": "es"})
    assert page.status_code == 200
    assert "Mieles del Sur" in page.text and "Córdoba, Argentina" in page.text
    assert "Miel de monte orgánica a granel" in page.text
    assert "Borrador privado" not in page.text
    assert client.get("/companies/999999").status_code == 404


def test_listing_page_shows_details_in_the_readers_language(client: TestClient, session: Session) -> None:
    company = make_company(session, name="Café Altura", country="CO")
    listing = make_listing(
        session, company=company, title="Café tostado en grano", hs_code="090121", ship_to=["US", "BR"],
        price_min=9, price_max=12, currency="USD", incoterm="FOB",
    )  # fmt: skip
    session.commit()
    page = client.get(f"/listings/{listing.id}", headers={"Accept-Language": "pt-BR"})
    assert page.status_code == 200
    assert '<h1 lang="es">Café tostado en grano</h1>' in page.text
    assert "Estados Unidos" in page.text and "Brasil" in page.text  # country names in the reader's language
    assert "9 USD – 12 USD / kg" in page.text and "FOB" in page.text
    assert "090121" in page.text and "Café, mesmo torrado ou descafeinado" in page.text


def test_drafts_are_visible_only_to_their_company(client: TestClient, session: Session) -> None:
    company = make_company(session)
    draft = make_listing(session, company=company, title="Nuestro borrador secreto", status="draft")
    member = make_user(session, email="member@example.org")
    make_user(session, email="stranger@example.org")
    session.add(Membership(user_id=member.id, company_id=company.id, role="member"))  # type: ignore[arg-type]
    session.commit()
    assert client.get(f"/listings/{draft.id}").status_code == 404
    sign_in(client, "stranger@example.org")
    assert client.get(f"/listings/{draft.id}").status_code == 404
    colleague = TestClient(client.app)
    sign_in(colleague, "member@example.org")
    assert "Nuestro borrador secreto" in colleague.get(f"/listings/{draft.id}").text


def test_an_unexpected_error_shows_a_friendly_page_without_details(client: TestClient) -> None:
    app = client.app

    @app.get("/boom-for-test")  # type: ignore[attr-defined]
    def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    page = client.get("/boom-for-test", headers={"Accept-Language": "fr"})
    assert page.status_code == 500
    assert "hunter2" not in page.text and "Traceback" not in page.text
    assert '<html lang="fr">' in page.text


def test_a_verified_company_shows_the_badge_on_its_listings_until_it_lapses(
    client: TestClient, session: Session
) -> None:
    from datetime import timedelta

    from marketplace.centres.models import Centre
    from marketplace.core.models import utcnow

    centre = Centre(name="CDE Jalisco", country="MX")
    session.add(centre)
    session.flush()
    company = make_company(
        session,
        name="Verificada SA",
        verified_by_centre_id=centre.id,
        verified_until=utcnow() + timedelta(days=30),
    )
    listing = make_listing(session, company=company, title="Tequila reposado 100% agave")
    session.commit()
    assert "Verified by a centre" in client.get(f"/listings/{listing.id}").text
    assert "Verified by a centre" in client.get("/").text
    company.verified_until = utcnow() - timedelta(days=1)
    session.add(company)
    session.commit()
    assert "Verified by a centre" not in client.get(f"/listings/{listing.id}").text
