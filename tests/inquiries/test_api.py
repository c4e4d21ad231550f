"""The JSON API: the same actions and rules as the pages, with a personal token or the session cookie."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from marketplace.inquiries import limits
from marketplace.outcomes.models import Outcome
from tests.inquiries.tools import api_headers, browser_of, count, inquiry_count, scene
from tests.webtools import post_form


def token_of(client: TestClient) -> dict[str, str]:
    page = post_form(client, "/account/tokens", {"token_name": "CRM"}, form_page="/account")
    found = re.search(r'<code class="token">(pte_[\w-]+)</code>', page.text)
    assert found, page.text[:300]
    return {"Authorization": f"Bearer {found.group(1)}"}


def test_a_token_caller_sends_reads_replies_and_closes(client: TestClient, session: Session) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    auth = token_of(buyer)
    api = TestClient(client.app, raise_server_exceptions=False)  # no cookies: the token alone
    body = {
        "message": "Quisiéramos 2 contenedores al mes.", "from_company_id": s.buyer_company.id, "quantity": "40000",
        "unit": "kg", "price": "1.95", "currency": "usd", "delivery_country": "GT", "incoterm": "fob",
        "needed_by": "2027-02-01",
    }  # fmt: skip
    created = api.post(f"/api/v1/listings/{s.offer.id}/inquiries", json=body, headers=auth)
    assert created.status_code == 201, created.text
    thread = created.json()
    assert (thread["kind"], thread["status"], thread["currency"], thread["incoterm"], thread["side"]) == (
        "inquiry", "open", "USD", "FOB", "sender"
    )  # fmt: skip
    assert thread["contact"] is None and [m["body"] for m in thread["messages"]] == [body["message"]]

    seller = browser_of(client, s.seller.email)
    listed = seller.get("/api/v1/inquiries").json()
    assert (listed["total"], listed["items"][0]["unread"], listed["items"][0]["side"]) == (1, 1, "receiver")
    answer = seller.post(
        f"/api/v1/inquiries/{thread['id']}/messages",
        json={"message": "Sí podemos."},
        headers=api_headers(seller),
    )
    assert answer.status_code == 201
    assert seller.get("/api/v1/inquiries").json()["items"][0]["unread"] == 0
    again = api.get(f"/api/v1/inquiries/{thread['id']}", headers=auth).json()
    assert again["status"] == "answered" and again["contact"]["phone"] == "+52 33 1234 5678"
    closed = api.post(
        f"/api/v1/inquiries/{thread['id']}/close",
        json={"outcome": "deal", "amount": "78000", "currency": "USD"},
        headers=auth,
    )
    assert closed.status_code == 200 and (closed.json()["status"], closed.json()["outcome"]) == (
        "closed",
        "deal",
    )
    assert count(session, Outcome) == 2
    late = api.post(
        f"/api/v1/inquiries/{thread['id']}/messages", json={"message": "¿Y el flete?"}, headers=auth
    )
    assert late.status_code == 409 and late.json()["error"]["code"] == "thread_closed"


def test_api_errors_name_fields_and_others_get_404(client: TestClient, session: Session) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    headers = api_headers(buyer)
    bad = buyer.post(
        f"/api/v1/listings/{s.offer.id}/inquiries",
        json={"message": "corto", "price": "3", "incoterm": "ABC"},
        headers=headers,
    )
    assert bad.status_code == 422
    assert {"message", "incoterm"} <= set(bad.json()["error"]["fields"])
    assert inquiry_count(session) == 0
    assert (
        buyer.post(
            "/api/v1/listings/99999/inquiries", json={"message": "Hola, ¿tienen stock?"}, headers=headers
        ).status_code
        == 404
    )
    not_mine = buyer.post(
        f"/api/v1/listings/{s.offer.id}/inquiries",
        json={"message": "Hola, ¿tienen stock disponible?", "from_company_id": s.seller_company.id},
        headers=headers,
    )
    assert not_mine.status_code == 422 and "from_company_id" in not_mine.json()["error"]["fields"]
    no_csrf = buyer.post(f"/api/v1/listings/{s.offer.id}/inquiries", json={"message": "Hola, ¿tienen stock?"})
    assert no_csrf.status_code == 403 and inquiry_count(session) == 0
    assert client.get("/api/v1/inquiries").status_code == 401


def test_token_callers_are_rate_limited_at_n_plus_one_too(
    client: TestClient, session: Session, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(limits, "PER_USER", 2)
    s = scene(session)
    auth = token_of(browser_of(client, s.buyer.email))
    api = TestClient(client.app, raise_server_exceptions=False)
    codes = [
        api.post(
            f"/api/v1/listings/{s.offer.id}/inquiries",
            json={"message": f"Pedido de prueba número {n}"},
            headers=auth,
        ).status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429] and inquiry_count(session) == 2
