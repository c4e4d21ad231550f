"""Company profiles on pages and through the API; tax-ID formats; the owners' import page."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import Membership
from marketplace.companies.models import Company
from marketplace.companies.tax_ids import tax_id_problem
from marketplace.listings.models import Listing
from tests.factories import make_company
from tests.webtools import csrf_from, make_user, sign_in

PROFILE = {
    "name": "Textiles Xelajú", "country": "GT", "city": "Quetzaltenango", "size_class": "micro",
    "export_experience": "occasional", "tax_id": "1234567-8", "sectors": ["textiles_apparel", "handicrafts"],
    "markets_served": ["SV", "US"], "women_led": "on", "whatsapp": "+502 5555 1234", "description": "Tejidos mayas.",
}  # fmt: skip


def post_profile(client: TestClient, path: str, fields: dict):  # type: ignore[no-untyped-def]
    return client.post(path, data={**fields, "csrf_token": csrf_from(client, path)}, follow_redirects=False)


def test_tax_id_formats_of_the_region() -> None:
    assert tax_id_problem("MX", "CAM150312AB1") is None
    assert (
        tax_id_problem("BR", "12.345.678/0001-90") is None and tax_id_problem("BR", "12345678000190") is None
    )
    assert tax_id_problem("AR", "30-71234567-8") is None
    assert tax_id_problem("MX", "12345") == "RFC: CAM150312AB1"
    assert tax_id_problem("PE", "30512345678") is not None  # a RUC starts with 10, 15, 17 or 20
    assert tax_id_problem("JM", "anything goes") is None  # unknown formats are taken as typed


def test_create_a_company_and_become_its_owner(client: TestClient, session: Session) -> None:
    user = make_user(session, email="juana@tejidos.example")
    session.commit()
    sign_in(client, "juana@tejidos.example")
    response = post_profile(client, "/companies/new", PROFILE)
    assert response.status_code == 303 and response.headers["location"].startswith("/dashboard?company=")
    company = session.execute(select(Company).where(Company.name == "Textiles Xelajú")).scalar_one()
    assert (
        company.women_led
        and company.sectors == ["textiles_apparel", "handicrafts"]
        and company.markets_served == ["SV", "US"]
    )
    role = session.execute(select(Membership.role).where(Membership.user_id == user.id)).scalar_one()
    assert role == "owner"


def test_bad_profile_keeps_typed_values_and_names_fields(client: TestClient, session: Session) -> None:
    make_user(session, email="juana@tejidos.example")
    session.commit()
    sign_in(client, "juana@tejidos.example")
    response = post_profile(
        client,
        "/companies/new",
        {**PROFILE, "country": "MX", "tax_id": "12345", "website": "tejidos.example"},
    )
    assert response.status_code == 422
    assert 'id="e-tax_id"' in response.text and 'id="e-website"' in response.text
    assert 'value="Textiles Xelajú"' in response.text and 'value="12345"' in response.text
    assert 'value="handicrafts" checked' in response.text
    assert session.execute(select(Company)).first() is None


def test_members_edit_the_profile_others_get_404(client: TestClient, session: Session) -> None:
    company = make_company(session, name="Viejo nombre", country="GT")
    owner = make_user(session, email="juana@tejidos.example")
    make_user(session, email="outsider@example.org")
    session.add(Membership(user_id=owner.id, company_id=company.id, role="owner"))  # type: ignore[arg-type]
    session.commit()
    outsider = TestClient(client.app)
    sign_in(outsider, "outsider@example.org")
    assert outsider.get(f"/companies/{company.id}/edit").status_code == 404
    sign_in(client, "juana@tejidos.example")
    assert post_profile(client, f"/companies/{company.id}/edit", PROFILE).status_code == 303
    session.commit()
    session.refresh(company)
    assert company.name == "Textiles Xelajú" and company.city == "Quetzaltenango"


def test_company_api_create_and_validation(client: TestClient, session: Session) -> None:
    make_user(session, email="juana@tejidos.example")
    session.commit()
    sign_in(client, "juana@tejidos.example")
    csrf = {"X-CSRF-Token": csrf_from(client, "/account")}
    body = {k: v for k, v in PROFILE.items() if k != "women_led"} | {"women_led": True}
    created = client.post("/api/v1/companies", json=body, headers=csrf)
    assert created.status_code == 201 and created.json()["country"] == "GT"
    assert "whatsapp" not in created.json()  # contact details stay private
    bad = client.post("/api/v1/companies", json={**body, "country": "XX", "size_class": "huge"}, headers=csrf)
    assert bad.status_code == 422 and {"country", "size_class"} <= set(bad.json()["error"]["fields"])
    listed = TestClient(client.app).get("/api/v1/companies", params={"country": "gt"}).json()
    assert listed["total"] == 1 and listed["items"][0]["name"] == "Textiles Xelajú"


def test_owner_imports_listings_from_a_file_and_sees_the_report(
    client: TestClient, session: Session, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    company = make_company(session, name="Textiles Xelajú", country="GT")
    owner = make_user(session, email="juana@tejidos.example")
    session.add(Membership(user_id=owner.id, company_id=company.id, role="owner"))  # type: ignore[arg-type]
    other = make_company(session, name="Otra", external_key="co-other")
    session.commit()
    rows = [
        {"external_key": "huipil-1", "kind": "offer", "title": "Huipiles tejidos a mano", "description": "Telar de cintura.",
         "language": "es", "hs_code": "6211", "quantity": 200, "unit": "unit", "price_min": 45, "currency": "USD"},
        {"external_key": "bad-1", "kind": "offer", "title": "Sin idioma", "description": "x"},
        {"external_key": "theirs", "company": "co-other", "kind": "offer", "title": "De otra empresa", "description": "x", "language": "es"},
    ]  # fmt: skip
    content = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode()
    sign_in(client, "juana@tejidos.example")
    page = f"/companies/{company.id}/import"
    response = client.post(
        page, data={"csrf_token": csrf_from(client, page)}, files={"file": ("listings.jsonl", content)}
    )
    assert response.status_code == 200
    assert "1 created, 0 updated, 0 unchanged, 2 skipped." in response.text
    assert (
        "language: Field required" in response.text and "only hold listings of your company" in response.text
    )
    listings = session.execute(select(Listing)).scalars().all()
    assert [(listing.title, listing.company_id) for listing in listings] == [
        ("Huipiles tejidos a mano", company.id)
    ]
    assert other.id != company.id
