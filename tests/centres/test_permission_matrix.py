"""Every advisor route × (advisor of A, advisor of B, owner, other member, stranger, anonymous) × objects of A and B.

Outside the allow-list the answer is 404 (or, signed out, the sign-in page) and the page names nothing private;
forged ids in forms change nothing.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from marketplace.centres.models import CentreClient, Verification
from marketplace.listings.models import Listing
from marketplace.outcomes.models import Outcome
from tests.centres.helpers import World, make_world
from tests.webtools import csrf_from, sign_in

GET, POST = "GET", "POST"


def _routes(w: World, centre: int, company: int, listing: int) -> list[tuple[str, str, dict]]:
    return [
        (GET, f"/centres/{centre}", {}),
        (GET, f"/centres/{centre}/review", {}),
        (GET, f"/centres/{centre}/outcomes.csv", {}),
        (GET, f"/centres/{centre}/clients/{company}", {}),
        (GET, f"/centres/{centre}/clients/{company}/listings/new", {}),
        (GET, f"/api/v1/centres/{centre}/clients", {}),
        (GET, f"/api/v1/centres/{centre}/review-queue", {}),
        (GET, f"/api/v1/centres/{centre}/outcomes", {}),
        (POST, f"/centres/{centre}/clients/invite", {"company_id": str(company)}),
        (POST, f"/centres/{centre}/clients/{company}/accept", {}),
        (POST, f"/centres/{centre}/clients/{company}/end", {}),
        (POST, f"/centres/{centre}/clients/{company}/verify", {"checks": "visit", "evidence": "Visita."}),
        (POST, f"/centres/{centre}/clients/{company}/outcomes", {"kind": "deal", "occurred_on": "2026-01-02"}),
        (POST, f"/centres/{centre}/clients/{company}/listings/new", {"kind": "offer", "title": "Forjado", "description": "x", "language": "es"}),
        (POST, f"/centres/{centre}/clients/{company}/listings/{listing}/publish", {}),
        (POST, f"/centres/{centre}/review/{listing}/approve", {}),
        (POST, f"/centres/{centre}/review/{listing}/send-back", {"reason": "No."}),
        (POST, f"/listings/{listing}/edit", {"kind": "offer", "title": "Forjado", "description": "x", "language": "es"}),
    ]  # fmt: skip


def _call(client: TestClient, method: str, path: str, data: dict, token: str):  # type: ignore[no-untyped-def]
    if method == GET:
        return client.get(path, follow_redirects=False)
    if path.startswith("/api/"):
        return client.post(path, json=data, headers={"X-CSRF-Token": token}, follow_redirects=False)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def _snapshot(session: Session) -> tuple:
    session.commit()
    session.expire_all()
    return (
        sorted((c.centre_id, c.company_id, c.status) for c in session.exec(select(CentreClient))),
        sorted((x.id, x.status, x.title, x.company_id) for x in session.exec(select(Listing))),
        len(session.exec(select(Verification)).all()),
        len(session.exec(select(Outcome)).all()),
    )


@pytest.mark.parametrize("actor", ["advisor_b", "owner_a", "member_a", "stranger", "anonymous"])
def test_centre_a_routes_are_404_for_everyone_but_its_advisors(
    client: TestClient, session: Session, actor: str
) -> None:
    w = make_world(session)
    if actor != "anonymous":
        sign_in(client, getattr(w, actor).email)
    token = csrf_from(client, "/signin" if actor == "anonymous" else "/")
    before = _snapshot(session)
    for method, path, data in _routes(w, w.centre_a.id, w.company_a.id, w.draft_a.id):
        if actor in ("owner_a", "member_a") and path == f"/listings/{w.draft_a.id}/edit":
            continue  # the company's own members may edit its listing: the listings tests cover it
        response = _call(client, method, path, data, token)
        if actor == "anonymous":
            assert response.status_code in (303, 401), (path, response.status_code)
            if response.status_code == 303:
                assert response.headers["location"].startswith("/signin"), path
        else:
            assert response.status_code == 404, (actor, method, path, response.status_code)
            assert "Aguacates del Tigre" not in response.text and "Aguacate Hass" not in response.text, path
    assert _snapshot(session) == before


def test_advisor_of_a_cannot_reach_centre_b_nor_its_clients_through_centre_a(
    client: TestClient, session: Session
) -> None:
    w = make_world(session)
    sign_in(client, w.advisor_a.email)
    token = csrf_from(client, "/")
    before = _snapshot(session)
    cells = _routes(w, w.centre_b.id, w.company_b.id, w.draft_b.id) + [
        route
        for route in _routes(w, w.centre_a.id, w.company_b.id, w.draft_b.id)
        if any(part in route[1] for part in ("/clients/", "/review/", "/listings/"))
        and "/clients/invite" not in route[1]
    ]
    for method, path, data in cells:
        response = _call(client, method, path, data, token)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "Café Bogotano" not in response.text and "Café verde" not in response.text, path
    assert _snapshot(session) == before


def test_advisor_of_a_sees_its_pages(client: TestClient, session: Session) -> None:
    w = make_world(session)
    sign_in(client, w.advisor_a.email)
    for method, path, _ in _routes(w, w.centre_a.id, w.company_a.id, w.draft_a.id):
        if method == GET:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
    page = client.get(f"/centres/{w.centre_a.id}")
    assert "Aguacates del Tigre" in page.text and "Café Bogotano" not in page.text
    assert client.get("/centres", follow_redirects=False).headers["location"] == f"/centres/{w.centre_a.id}"


def test_forged_ids_in_forms_change_nothing(client: TestClient, session: Session) -> None:
    w = make_world(session)
    sign_in(client, w.advisor_a.email)
    token = csrf_from(client, "/")
    forged = {"company_id": str(w.company_b.id), "centre_id": str(w.centre_b.id), "csrf_token": token}
    client.post(
        f"/centres/{w.centre_a.id}/clients/{w.company_a.id}/outcomes",
        data={
            **forged,
            "kind": "sale",
            "amount": "10",
            "currency": "USD",
            "occurred_on": "2026-01-02",
            "confirmed_by_user_id": "99",
        },
    )
    client.post(
        f"/centres/{w.centre_a.id}/clients/{w.company_a.id}/listings/new",
        data={
            **forged,
            "kind": "offer",
            "title": "Aguacate forjado",
            "description": "x",
            "language": "es",
            "status": "published",
        },
    )
    session.commit()
    outcome = session.exec(select(Outcome)).one()
    assert (outcome.company_id, outcome.centre_id, outcome.confirmed_by_user_id) == (
        w.company_a.id,
        w.centre_a.id,
        w.advisor_a.id,
    )
    listing = session.exec(select(Listing).where(Listing.title == "Aguacate forjado")).one()
    assert (listing.company_id, listing.status, listing.created_by_advisor) == (w.company_a.id, "draft", True)


@pytest.mark.parametrize("actor", ["advisor_a", "owner_b", "stranger"])
def test_company_centre_pages_are_for_its_members_only(
    client: TestClient, session: Session, actor: str
) -> None:
    w = make_world(session)
    sign_in(client, getattr(w, actor).email)
    token = csrf_from(client, "/")
    before = _snapshot(session)
    for path in (f"/companies/{w.company_a.id}/centres",):
        assert client.get(path).status_code == 404
    for path in (
        f"/companies/{w.company_a.id}/centres/request",
        f"/companies/{w.company_a.id}/centres/{w.centre_a.id}/end",
        f"/companies/{w.company_a.id}/centres/{w.centre_b.id}/accept",
    ):
        response = client.post(
            path, data={"centre_id": str(w.centre_b.id), "csrf_token": token}, follow_redirects=False
        )
        assert response.status_code == 404, (actor, path, response.status_code)
    assert _snapshot(session) == before
