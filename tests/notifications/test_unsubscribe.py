"""Unsubscribe links: from a digest received by a real SMTP server, without signing in; GET only asks,
POST (the button or a mail client's RFC 8058 one-click) unsubscribes; forged or expired links change nothing."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.matching.alerts import send_match_digests
from marketplace.notifications.unsubscribe import TOKEN_MAX_AGE, make_token
from tests.inquiries.tools import browser_of, scene, send
from tests.notifications.tools import (
    BASE_URL,
    add_match,
    choices_of,
    mails_to,
    market,
    notices_of,
    run_jobs,
    unsubscribe_path,
    worker_settings,
)

ONE_CLICK = {
    "content": "List-Unsubscribe=One-Click",
    "headers": {"Content-Type": "application/x-www-form-urlencoded"},
}


def anonymous(client: TestClient) -> TestClient:
    """A mail client or a scanner: no cookies, no CSRF token."""
    return TestClient(client.app, raise_server_exceptions=False)


def match_digest(client: TestClient, session: Session, engine: Engine, port: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session.expire_all()
    send_match_digests(session, base_url=BASE_URL, secret_key=client.app.state.settings.secret_key)  # type: ignore[attr-defined]
    session.commit()
    run_jobs(engine, worker_settings(client, port, tmp_path))


def test_the_link_in_a_match_digest_asks_on_get_and_unsubscribes_on_post_without_signing_in(
    client: TestClient, session: Session, engine: Engine, smtp_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    m = market(session)
    add_match(session, m.request, m.offer)
    match_digest(client, session, engine, port, tmp_path)
    (mail,) = mails_to(inbox, m.buyer.email)
    path = unsubscribe_path(mail)
    assert f"{BASE_URL}{path}" in mail.get_body(("plain",)).get_content()  # the same link in the text

    visitor = anonymous(client)
    asked = visitor.get(path)  # what a link scanner does
    assert asked.status_code == 200
    assert "Stop e-mails about new matches to compras@cafeteria.example?" in asked.text
    assert 'method="post"' in asked.text
    assert choices_of(session, m.buyer) is None  # nothing changed on GET

    done = visitor.post(path)  # the confirmation button
    assert done.status_code == 200 and "will no longer receive e-mails about new matches" in done.text
    choice = choices_of(session, m.buyer)
    assert choice is not None and choice.email_matches is False
    assert (choice.email_saved_searches, choice.email_new_inquiries, choice.email_replies) == (
        True,
        True,
        True,
    )
    assert visitor.post(path).status_code == 200  # again: harmless

    # A new match: in the app, not by e-mail.
    from tests.factories import make_company, make_listing

    other = make_listing(session, company=make_company(session, country="PE"), title="Café tostado peruano")
    session.commit()
    add_match(session, m.request, other)
    match_digest(client, session, engine, port, tmp_path)
    assert len(mails_to(inbox, m.buyer.email)) == 1
    assert len(notices_of(session, m.buyer)) == 2


def test_one_click_post_from_the_inquiry_digest_header_stops_inquiry_emails(
    client: TestClient, session: Session, engine: Engine, smtp_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from tests.inquiries.test_notifications import end_of_digest_period

    inbox, port = smtp_server
    s = scene(session)
    buyer = browser_of(client, s.buyer.email)
    send(buyer, s.offer.id, company=s.buyer_company)
    end_of_digest_period(engine)
    run_jobs(engine, worker_settings(client, port, tmp_path))
    (mail,) = mails_to(inbox, s.seller.email)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = mail.get_body(("html",)).get_content()
    assert f'href="{BASE_URL}/unsubscribe?token=' in html

    clicked = anonymous(client).post(unsubscribe_path(mail), **ONE_CLICK)  # type: ignore[arg-type]
    assert clicked.status_code == 200
    choice = choices_of(session, s.seller)
    assert choice is not None and not choice.email_new_inquiries and not choice.email_replies
    assert choice.email_matches  # another kind: untouched

    send(buyer, s.offer.id, company=s.buyer_company, message="Segunda consulta: ¿tienen aguacate orgánico?")
    end_of_digest_period(engine)
    run_jobs(engine, worker_settings(client, port, tmp_path))
    assert len(mails_to(inbox, s.seller.email)) == 1  # no new mail
    assert [n.kind for n in notices_of(session, s.seller)] == ["new_inquiry", "new_inquiry"]


@pytest.mark.parametrize(
    "tamper",
    [
        "forged_signature",
        "other_user",
        "other_kind",
        "expired",
        "garbage",
        "other_secret",
    ],
)
def test_forged_or_expired_links_show_an_error_and_change_nothing(
    client: TestClient, session: Session, tamper: str
) -> None:
    m = market(session)
    secret = client.app.state.settings.secret_key  # type: ignore[attr-defined]
    good = make_token(secret, m.buyer.id, "matches")  # type: ignore[arg-type]
    user_id, kind, issued, signature = good.split(".")
    token = {
        "forged_signature": f"{user_id}.{kind}.{issued}.{'0' * len(signature)}",
        "other_user": f"{m.seller.id}.{kind}.{issued}.{signature}",
        "other_kind": f"{user_id}.inquiries.{issued}.{signature}",
        "expired": make_token(secret, m.buyer.id, "matches", issued_at=int(time.time()) - TOKEN_MAX_AGE - 60),  # type: ignore[arg-type]
        "garbage": "<script>alert(1)</script>",
        "other_secret": make_token("x" * 40, m.buyer.id, "matches"),  # type: ignore[arg-type]
    }[tamper]
    visitor = anonymous(client)
    for response in (
        visitor.get("/unsubscribe", params={"token": token}),
        visitor.post("/unsubscribe", params={"token": token}, **ONE_CLICK),  # type: ignore[arg-type]
    ):
        assert response.status_code == 400
        expected = "has expired" if tamper == "expired" else "is not valid"
        assert f"This unsubscribe link {expected}" in response.text
        assert "<script>alert(1)</script>" not in response.text
    assert choices_of(session, m.buyer) is None and choices_of(session, m.seller) is None
    assert visitor.get("/unsubscribe", params={"token": good}).status_code == 200  # the real one works
