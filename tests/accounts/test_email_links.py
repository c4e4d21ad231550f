"""Mailed links (password reset, address verification): only the newest one works, once, and a password
change retires every reset link mailed before it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import User, UserSession
from marketplace.accounts.passwords import verify_password
from tests.webtools import PASSWORD, mailed_link, make_user, post_form, sign_in

NEW_PASSWORD = "Guacamaya-Ceiba-Jaguar-9"
OTHER_PASSWORD = "Tapir-Manatí-Ocelote-4"
NO_LONGER_VALID = "This link is no longer valid"


def _user(session: Session, email: str) -> User:
    session.commit()  # end the test's read transaction: on SQLite it would keep seeing an old snapshot
    user = session.execute(select(User).where(User.email == email)).scalar_one()
    session.refresh(user)
    return user


def _token(link: str) -> str:
    return link.split("token=")[1]


def _reset(client: TestClient, link: str, password: str):  # type: ignore[no-untyped-def]
    # The form page of a dead link has no form: take the CSRF token from a page that has one.
    return post_form(
        client, "/password/reset", {"token": _token(link), "password": password}, form_page="/signin"
    )


def test_an_older_reset_link_is_refused_once_a_newer_one_is_sent(
    client: TestClient, session: Session
) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    sign_in(client, "ana@example.org")
    visitor = TestClient(client.app)
    post_form(visitor, "/password/forgot", {"email": "ana@example.org"})
    older = mailed_link(session, "ana@example.org", "/password/reset")
    post_form(visitor, "/password/forgot", {"email": "ana@example.org"})
    newer = mailed_link(session, "ana@example.org", "/password/reset")
    assert older != newer

    page = visitor.get(older)
    assert page.status_code == 400 and NO_LONGER_VALID in page.text and 'name="password"' not in page.text
    refused = _reset(visitor, older, NEW_PASSWORD)
    assert refused.status_code == 400 and NO_LONGER_VALID in refused.text
    # Nothing changed: the old password still works, the signed-in browser stays signed in.
    user = _user(session, "ana@example.org")
    assert verify_password(user.password_hash, PASSWORD)  # type: ignore[arg-type]
    assert client.get("/account").status_code == 200

    # The newest link works, once.
    assert 'name="password"' in visitor.get(newer).text
    assert _reset(visitor, newer, NEW_PASSWORD).status_code == 303
    assert verify_password(_user(session, "ana@example.org").password_hash, NEW_PASSWORD)  # type: ignore[arg-type]
    again = _reset(visitor, newer, OTHER_PASSWORD)
    assert again.status_code == 400 and NO_LONGER_VALID in again.text
    assert _reset(visitor, older, OTHER_PASSWORD).status_code == 400
    sign_in(visitor, "ana@example.org", NEW_PASSWORD)


def test_a_reset_link_is_refused_after_the_password_is_changed_on_the_account_page(
    client: TestClient, session: Session
) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    attacker = TestClient(client.app)
    post_form(attacker, "/password/forgot", {"email": "ana@example.org"})
    link = mailed_link(session, "ana@example.org", "/password/reset")

    # The owner changes the password (say, after noticing the mailbox was read by someone else).
    sign_in(client, "ana@example.org")
    changed = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        form_page="/account",
    )
    assert changed.status_code == 303

    page = attacker.get(link)
    assert page.status_code == 400 and NO_LONGER_VALID in page.text
    refused = _reset(attacker, link, OTHER_PASSWORD)
    assert refused.status_code == 400 and NO_LONGER_VALID in refused.text
    assert verify_password(_user(session, "ana@example.org").password_hash, NEW_PASSWORD)  # type: ignore[arg-type]
    assert client.get("/account").status_code == 200  # the owner's session survived the attempt


def test_a_reset_link_is_refused_after_the_password_is_reset_with_another_one(
    client: TestClient, session: Session
) -> None:
    user = make_user(session, email="ana@example.org")
    session.commit()
    post_form(client, "/password/forgot", {"email": "ana@example.org"})
    first = mailed_link(session, "ana@example.org", "/password/reset")
    post_form(client, "/password/forgot", {"email": "ana@example.org"})
    second = mailed_link(session, "ana@example.org", "/password/reset")
    assert _reset(client, second, NEW_PASSWORD).status_code == 303
    sign_in(client, "ana@example.org", NEW_PASSWORD)

    for link in (first, second):
        refused = _reset(TestClient(client.app), link, OTHER_PASSWORD)
        assert refused.status_code == 400 and NO_LONGER_VALID in refused.text
    assert verify_password(_user(session, "ana@example.org").password_hash, NEW_PASSWORD)  # type: ignore[arg-type]
    session.commit()
    assert session.execute(select(UserSession).where(UserSession.user_id == user.id)).first() is not None


def test_an_older_verification_link_is_refused_once_a_newer_one_is_sent(
    client: TestClient, session: Session
) -> None:
    post_form(
        client, "/signup", {"email": "lucia@example.org", "password": PASSWORD, "display_name": "Lucía"}
    )
    older = mailed_link(session, "lucia@example.org", "/account/verify")
    # Signing in before confirming sends a newer link.
    refused_sign_in = post_form(client, "/signin", {"email": "lucia@example.org", "password": PASSWORD})
    assert refused_sign_in.status_code == 403
    newer = mailed_link(session, "lucia@example.org", "/account/verify")
    assert older != newer

    page = client.get(older)
    assert page.status_code == 400 and NO_LONGER_VALID in page.text
    refused = post_form(client, "/account/verify", {"token": _token(older)}, form_page="/signin")
    assert refused.status_code == 400 and NO_LONGER_VALID in refused.text
    assert _user(session, "lucia@example.org").email_verified_at is None

    assert post_form(client, "/account/verify", {"token": _token(newer)}, form_page=newer).status_code == 303
    assert _user(session, "lucia@example.org").email_verified_at is not None
    assert client.get(newer).status_code == 400
