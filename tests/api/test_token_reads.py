"""A token call to a GET route that writes (opening a thread marks it read) answers, and notes the token's use."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from marketplace.accounts.models import Membership
from marketplace.accounts.tokens import create_token
from marketplace.inquiries.models import Inquiry, Message
from tests.factories import make_company, make_listing
from tests.webtools import make_user


def test_a_token_opens_a_thread_through_the_api_and_its_use_is_noted(
    client: TestClient, session: Session
) -> None:
    seller = make_company(session, name="Café Altura", country="CO")
    buyer = make_company(session, name="Tostadores del Norte", country="MX")
    owner = make_user(session, email="owner@altura.example")
    asker = make_user(session, email="asker@norte.example", name="Bruno")
    session.add(Membership(user_id=owner.id, company_id=seller.id, role="owner"))  # type: ignore[arg-type]
    session.add(Membership(user_id=asker.id, company_id=buyer.id, role="owner"))  # type: ignore[arg-type]
    listing = make_listing(session, company=seller)
    thread = Inquiry(
        kind="inquiry", listing_id=listing.id, from_company_id=buyer.id, from_user_id=asker.id,
        to_company_id=seller.id,
    )  # fmt: skip
    session.add(thread)
    session.flush()
    session.add(
        Message(inquiry_id=thread.id, sender_user_id=asker.id, sender_company_id=buyer.id, body="¿Precio?")
    )  # type: ignore[arg-type]
    token, raw = create_token(session, owner, name="erp")
    session.commit()

    answer = client.get(f"/api/v1/inquiries/{thread.id}", headers={"Authorization": f"Bearer {raw}"})

    assert answer.status_code == 200, answer.text
    assert [m["body"] for m in answer.json()["messages"]] == ["¿Precio?"]
    session.refresh(token)
    assert token.last_used_at is not None
