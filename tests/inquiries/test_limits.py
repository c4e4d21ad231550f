"""Abuse limits: per user and per address per hour, stricter for new accounts, duplicates; nothing created."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.inquiries import limits
from marketplace.inquiries.models import Inquiry, Message
from tests.factories import make_listing
from tests.inquiries.tools import api_headers, browser_of, count, inquiry_count, member, scene, send
from tests.webtools import make_user


def distinct(number: int) -> str:
    return f"Consulta número {number}: ¿tienen disponibilidad para el próximo mes?"


def test_an_established_account_is_limited_at_exactly_n_plus_one_and_nothing_is_created(
    client: TestClient, session: Session
) -> None:
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    for number in range(limits.PER_USER):
        assert send(buyer, s.offer.id, company=s.buyer_company, message=distinct(number)).status_code == 303
    assert inquiry_count(session) == limits.PER_USER
    messages = count(session, Message)
    refused = send(buyer, s.offer.id, company=s.buyer_company, message=distinct(99))
    assert refused.status_code == 429
    assert "too many conversations in the last hour" in refused.text and distinct(99) in refused.text  # kept
    assert inquiry_count(session) == limits.PER_USER and count(session, Message) == messages
    api = buyer.post(
        f"/api/v1/listings/{s.offer.id}/inquiries",
        json={"message": distinct(100)},
        headers=api_headers(buyer),
    )
    assert api.status_code == 429 and api.json()["error"]["code"] == "rate_limited"
    assert inquiry_count(session) == limits.PER_USER


def test_an_account_younger_than_a_day_gets_the_stricter_limit(client: TestClient, session: Session) -> None:
    s = scene(session)
    newcomer = make_user(
        session, email="nuevo@example.org", name="Nuevo", created_at=utcnow() - timedelta(hours=23)
    )
    session.commit()
    browser = browser_of(client, newcomer.email)
    for number in range(limits.PER_NEW_USER):
        assert send(browser, s.offer.id, message=distinct(number)).status_code == 303
    assert send(browser, s.offer.id, message=distinct(50)).status_code == 429
    session.commit()
    assert inquiry_count(session) == limits.PER_NEW_USER
    assert limits.PER_NEW_USER < limits.PER_USER


def test_the_address_limit_holds_across_accounts(client: TestClient, session: Session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(limits, "PER_IP", 4)
    s = scene(session)
    users = [member(session, s.buyer_company, f"colega{n}@altiplano.example") for n in range(3)]
    session.commit()
    sent = 0
    for user in users:
        browser = browser_of(client, user.email)  # every test client comes from the same address
        for _ in range(2):
            response = send(browser, s.offer.id, message=distinct(sent + 10 * user.id))  # type: ignore[operator]
            sent += response.status_code == 303
    assert sent == 4 and inquiry_count(session) == 4


def test_the_same_message_twice_is_refused_as_a_duplicate(client: TestClient, session: Session) -> None:
    s = scene(session)
    other_offer = make_listing(session, company=s.seller_company, title="Limón persa sin semilla")
    session.commit()
    buyer = browser_of(client, s.buyer.email)
    text = "Hola, ¿me envían su lista de precios FOB? Gracias."
    assert send(buyer, s.offer.id, message=text).status_code == 303
    again = send(buyer, other_offer.id, message="  hola ¿me envían su LISTA de precios FOB?? gracias  ")
    assert again.status_code == 409 and "You already sent this message" in again.text
    session.commit()
    assert inquiry_count(session) == 1 and count(session, Message) == 1
    assert session.query(Inquiry).one().listing_id == s.offer.id


@pytest.mark.parametrize("hours", [1, 25])
def test_user_limit_depends_on_account_age(hours: int) -> None:
    from marketplace.accounts.models import User

    user = User(email="a@b.example", display_name="A", created_at=utcnow() - timedelta(hours=hours))
    assert limits.user_limit(user) == (limits.PER_NEW_USER if hours < 24 else limits.PER_USER)
