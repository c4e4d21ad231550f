"""Helpers for page tests: read the CSRF token of a form, read mailed links, sign in as a user."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.accounts.passwords import hash_password
from marketplace.core.models import utcnow
from marketplace.mail.models import MailMessage

PASSWORD = "Colibrí-Quetzal-Tucán-7"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(client: TestClient, path: str) -> str:
    page = client.get(path)
    found = _CSRF.search(page.text)
    assert found, f"no form token on {path} ({page.status_code})"
    return found.group(1)


def post_form(
    client: TestClient, path: str, data: dict, *, form_page: str | None = None, follow: bool = False
):  # type: ignore[no-untyped-def]
    token = csrf_from(client, form_page or path)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=follow)


def mailed_link(session: Session, to: str, path: str) -> str:
    """The newest link to `path` mailed to an address (read from the mail outbox)."""
    session.commit()  # end the test's read transaction: on SQLite it would keep seeing an old snapshot
    messages = session.execute(
        select(MailMessage).where(MailMessage.to_address == to).order_by(MailMessage.id.desc())
    ).scalars()
    for message in messages:
        found = re.search(r"https?://[^\s]+" + re.escape(path) + r"\?token=[\w-]+", message.body_text)
        if found:
            return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])
    raise AssertionError(f"no mail to {to} with a {path} link")


def make_user(
    session: Session, *, email: str, name: str = "Ana Pérez", verified: bool = True, **fields
) -> User:
    user = User(
        email=email,
        display_name=name,
        password_hash=hash_password(PASSWORD),
        email_verified_at=utcnow() if verified else None,
        **fields,
    )
    session.add(user)
    session.flush()
    return user


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    response = post_form(client, "/signin", {"email": email, "password": password})
    assert response.status_code == 303, response.text[:500]
