"""Identities are keyed by (issuer, subject): a provider's name in the settings is only a label."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import OidcIdentity, User
from tests.oidc.provider import CLIENT_ID, CLIENT_SECRET, Provider
from tests.webtools import csrf_from


def app_client(database_url: str, tmp_path: Path, providers: dict[str, Provider]) -> TestClient:
    """A fresh app (as after a restart with new settings) on the test's database: {name: provider server}."""
    from marketplace.app import create_app
    from marketplace.core.settings import Settings

    configured = [
        {
            "name": name,
            "issuer": server.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "label": f"{name.title()} ID",
        }
        for name, server in providers.items()
    ]
    settings = Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "PUENTE_DATA_DIR": str(tmp_path / "data"),
            "PUENTE_OIDC_PROVIDERS": json.dumps(configured),
        }
    )
    return TestClient(create_app(settings), raise_server_exceptions=False)


def login(client: TestClient, name: str):  # type: ignore[no-untyped-def]
    """Press "Sign in with <name>", let the provider answer over HTTP, and follow it back to the callback."""
    response = client.post(
        f"/signin/oidc/{name}",
        data={"csrf_token": csrf_from(client, "/signin"), "next": "/account"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:300]
    answer = httpx.get(response.headers["location"], follow_redirects=False)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    assert back.path == f"/signin/oidc/{name}/callback"
    return client.get(f"{back.path}?{back.query}", follow_redirects=False)


def count(session: Session, model: type) -> int:
    session.commit()  # end the test's read transaction: on SQLite it would keep seeing an old snapshot
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_renaming_a_provider_in_the_settings_signs_in_the_same_account(
    database_url: str, tmp_path: Path, session: Session, provider: Provider
) -> None:
    with app_client(database_url, tmp_path, {"mock": provider}) as before:
        assert login(before, "mock").status_code == 303
    ana = session.execute(select(User).where(User.email == "ana@example.org")).scalar_one()

    # The operator renames the provider. The person's address at the provider changed meanwhile and is not
    # vouched for, so only the identity itself can lead back to the account.
    provider.user = {**provider.user, "email": "ana.new@example.org", "email_verified": False}
    with app_client(database_url, tmp_path, {"gov": provider}) as after:
        response = login(after, "gov")
        assert response.status_code == 303 and response.headers["location"] == "/account"
        account = after.get("/account").text
        assert "ana@example.org" in account
        assert "Gov ID" in account and "Link Gov ID" not in account  # linked, under its new label
    assert count(session, User) == 1 and count(session, OidcIdentity) == 1
    identity = session.execute(select(OidcIdentity)).scalar_one()
    assert identity.user_id == ana.id and identity.issuer == provider.issuer


def test_two_providers_with_the_same_subject_are_two_people(
    database_url: str, tmp_path: Path, session: Session, provider: Provider, second_provider: Provider
) -> None:
    provider.user = {"sub": "1001", "email": "ana@example.org", "email_verified": True, "name": "Ana"}
    second_provider.user = {
        "sub": "1001",
        "email": "beto@example.org",
        "email_verified": True,
        "name": "Beto",
    }
    servers = {"mock": provider, "other": second_provider}
    with app_client(database_url, tmp_path, servers) as ana_browser:
        assert login(ana_browser, "mock").status_code == 303
        assert "ana@example.org" in ana_browser.get("/account").text
    with app_client(database_url, tmp_path, servers) as beto_browser:
        assert login(beto_browser, "other").status_code == 303
        assert "beto@example.org" in beto_browser.get("/account").text
        # And again, now that both identities exist: each finds its own account.
        beto_browser.cookies.clear()
        assert login(beto_browser, "other").status_code == 303
        account = beto_browser.get("/account").text
        assert "beto@example.org" in account and "ana@example.org" not in account
    identities = session.execute(select(OidcIdentity).order_by(OidcIdentity.id)).scalars().all()
    assert [(i.issuer, i.subject) for i in identities] == [
        (provider.issuer, "1001"),
        (second_provider.issuer, "1001"),
    ]
    assert identities[0].user_id != identities[1].user_id and count(session, User) == 2


def test_a_name_given_to_another_issuer_does_not_open_the_old_accounts(
    database_url: str, tmp_path: Path, session: Session, provider: Provider, second_provider: Provider
) -> None:
    with app_client(database_url, tmp_path, {"mock": provider}) as before:
        assert login(before, "mock").status_code == 303  # sub "user-1", ana@example.org

    # The name now points at another issuer, where someone else happens to have the same `sub`.
    second_provider.user = {
        "sub": "user-1",
        "email": "eve@example.org",
        "email_verified": True,
        "name": "Eve",
    }
    with app_client(database_url, tmp_path, {"mock": second_provider}) as after:
        assert login(after, "mock").status_code == 303
        account = after.get("/account").text
        assert "eve@example.org" in account and "ana@example.org" not in account
    assert count(session, User) == 2 and count(session, OidcIdentity) == 2
