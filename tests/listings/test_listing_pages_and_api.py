"""Posting on pages and through the API: validation messages that keep input, tokens, permissions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import Membership
from marketplace.listings.models import Listing
from tests.factories import make_company, make_listing
from tests.webtools import csrf_from, make_user, post_form, sign_in


def setup_member(session: Session, email: str = "member@cafe.example"):  # type: ignore[no-untyped-def]
    company = make_company(session, name="Café Altura", country="CO", external_key="co-co-cafe-altura")
    user = make_user(session, email=email)
    session.add(Membership(user_id=user.id, company_id=company.id, role="owner"))  # type: ignore[arg-type]
    session.commit()
    return company, user


def count_listings(session: Session) -> int:
    session.commit()
    return session.execute(select(func.count()).select_from(Listing)).scalar_one()


GOOD = {
    "kind": "offer", "title": "Café tostado en grano, tueste medio", "description": "Arábica lavado, bolsas de 1 kg.",
    "language": "es", "hs_code": "090121", "quantity": "500", "unit": "kg", "price_min": "9.5", "price_max": "12",
    "currency": "usd", "incoterm": "FOB", "ship_to": ["US", "CA"], "certifications": ["organic"],
}  # fmt: skip


def test_post_an_offer_on_the_page_preview_then_publish(client: TestClient, session: Session) -> None:
    company, _ = setup_member(session)
    sign_in(client, "member@cafe.example")
    form = f"/companies/{company.id}/listings/new"
    created = post_form(client, form, GOOD)
    assert created.status_code == 303
    preview = client.get(created.headers["location"])
    assert "Preview: this draft is visible only to your team." in preview.text
    assert TestClient(client.app).get(created.headers["location"]).status_code == 404  # not public yet
    listing_path = created.headers["location"].split("?")[0]
    published = post_form(client, f"{listing_path}/publish", {}, form_page=listing_path)
    assert published.status_code == 303
    public = TestClient(client.app).get(listing_path)
    assert public.status_code == 200 and "9.5 USD – 12 USD / kg" in public.text
    assert (
        "Café tostado en grano, tueste medio" in TestClient(client.app).get(f"/companies/{company.id}").text
    )


def test_invalid_fields_re_render_with_messages_and_nothing_is_saved(
    client: TestClient, session: Session
) -> None:
    company, _ = setup_member(session)
    sign_in(client, "member@cafe.example")
    bad = {**GOOD, "title": "Café", "hs_code": "999999", "quantity": "-5", "price_min": "20", "price_max": "10",
           "currency": "XXZ", "valid_until": "2020-01-01", "description": "x" * 8001}  # fmt: skip
    response = post_form(client, f"/companies/{company.id}/listings/new", bad)
    assert response.status_code == 422
    for field in ("title", "hs_code", "quantity", "currency", "description"):
        assert f'id="e-{field}"' in response.text, field
    assert 'value="Café"' in response.text and 'value="XXZ"' in response.text  # typed values kept
    assert count_listings(session) == 0
    past = post_form(client, f"/companies/{company.id}/listings/new", {**GOOD, "valid_until": "2020-01-01"})
    assert past.status_code == 422 and 'id="e-valid_until"' in past.text
    crossed = post_form(
        client, f"/companies/{company.id}/listings/new", {**GOOD, "price_min": "20", "price_max": "10"}
    )
    assert crossed.status_code == 422 and 'id="e-price_max"' in crossed.text
    assert count_listings(session) == 0


def test_find_the_hs_code_without_javascript(client: TestClient, session: Session) -> None:
    company, _ = setup_member(session)
    sign_in(client, "member@cafe.example")
    response = post_form(
        client,
        f"/companies/{company.id}/listings/new",
        {**GOOD, "hs_code": "", "hs_query": "café torrado", "action": "find_hs"},
    )
    assert response.status_code == 200
    assert 'name="hs_code" value="090121"' in response.text or 'name="hs_code" value="0901"' in response.text
    assert 'value="Café tostado en grano, tueste medio"' in response.text  # the rest of the form is kept
    assert count_listings(session) == 0


def test_outsiders_get_404_on_another_companys_forms_and_actions(
    client: TestClient, session: Session
) -> None:
    company, _ = setup_member(session)
    listing = make_listing(session, company=company, status="draft")
    make_user(session, email="outsider@example.org")
    session.commit()
    sign_in(client, "outsider@example.org")
    assert client.get(f"/companies/{company.id}/listings/new").status_code == 404
    assert client.get(f"/listings/{listing.id}/edit").status_code == 404
    token = csrf_from(client, "/account")
    assert client.post(f"/listings/{listing.id}/publish", data={"csrf_token": token}).status_code == 404


def test_dashboard_groups_listings_and_offers_renewal(client: TestClient, session: Session) -> None:
    from datetime import timedelta

    from marketplace.core.models import utcnow

    company, _ = setup_member(session)
    make_listing(session, company=company, title="Oferta publicada", views=7)
    make_listing(session, company=company, title="Un borrador", status="draft")
    make_listing(session, company=company, title="Se venció", valid_until=utcnow().date() - timedelta(days=2))
    session.commit()
    sign_in(client, "member@cafe.example")
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Published (1)" in page.text and "Drafts (1)" in page.text and "Expired (1)" in page.text
    assert "Oferta publicada" in page.text and "<td>7</td>" in page.text
    assert "Renew" in page.text


def api(client: TestClient, token: str):  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {token}"}


def create_token(client: TestClient) -> str:
    import re

    page = post_form(client, "/account/tokens", {"token_name": "ERP export"}, form_page="/account")
    found = re.search(r'<code class="token">(pte_[\w-]+)</code>', page.text)
    assert found, page.text[:300]
    return found.group(1)


def test_api_with_a_personal_token_creates_publishes_and_reads(client: TestClient, session: Session) -> None:
    company, _ = setup_member(session)
    sign_in(client, "member@cafe.example")
    token = create_token(client)
    program = TestClient(client.app)  # no cookies: only the token
    body = {**GOOD, "company_id": company.id, "currency": "USD"}
    created = program.post("/api/v1/listings", json=body, headers=api(program, token))
    assert created.status_code == 201, created.text
    listing = created.json()
    assert listing["status"] == "draft" and listing["company"]["name"] == "Café Altura"
    assert (
        program.get(f"/api/v1/listings/{listing['id']}").status_code == 404
    )  # anonymous: a draft does not exist
    published = program.post(f"/api/v1/listings/{listing['id']}/publish", headers=api(program, token))
    assert published.json()["status"] == "published"
    assert program.get(f"/api/v1/listings/{listing['id']}").json()["price_min"] == "9.50"


def test_api_validation_names_the_fields(client: TestClient, session: Session) -> None:
    company, _ = setup_member(session)
    sign_in(client, "member@cafe.example")
    token = create_token(client)
    program = TestClient(client.app)
    cases = {
        "currency": {"currency": "XYZ"},
        "quantity": {"quantity": -1},
        "hs_code": {"hs_code": "999999"},
        "price_max": {"price_min": 20, "price_max": 10, "currency": "USD"},
        "title": {"title": "x" * 201},
        "ship_to": {"ship_to": ["ZZ"]},
    }
    for field, change in cases.items():
        response = program.post(
            "/api/v1/listings", json={**GOOD, "company_id": company.id, **change}, headers=api(program, token)
        )
        assert response.status_code == 422, (field, response.text)
        assert field in response.json()["error"]["fields"], (field, response.json())
    assert count_listings(session) == 0


def test_api_refuses_revoked_tokens_and_cookie_writes_without_csrf_header(
    client: TestClient, session: Session
) -> None:
    company, _ = setup_member(session)
    sign_in(client, "member@cafe.example")
    token = create_token(client)
    no_header = client.post("/api/v1/listings", json={**GOOD, "company_id": company.id})
    assert no_header.status_code == 403  # the session cookie alone cannot write: CSRF
    with_header = client.post(
        "/api/v1/listings",
        json={**GOOD, "company_id": company.id},
        headers={"X-CSRF-Token": csrf_from(client, "/account")},
    )
    assert with_header.status_code == 201
    from marketplace.accounts.models import ApiToken

    token_id = session.execute(select(ApiToken.id)).scalar_one()
    post_form(client, f"/account/tokens/{token_id}/revoke", {}, form_page="/account")
    program = TestClient(client.app)
    refused = program.get("/api/v1/listings", headers=api(program, token))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "not_authenticated"


def test_api_another_companys_listing_is_404(client: TestClient, session: Session) -> None:
    setup_member(session)
    other = make_company(session, name="Otra")
    draft = make_listing(session, company=other, status="draft")
    session.commit()
    sign_in(client, "member@cafe.example")
    token = create_token(client)
    program = TestClient(client.app)
    assert (
        program.put(f"/api/v1/listings/{draft.id}", json=GOOD, headers=api(program, token)).status_code == 404
    )
    assert (
        program.post(
            "/api/v1/listings", json={**GOOD, "company_id": other.id}, headers=api(program, token)
        ).status_code
        == 404
    )
