"""Sign in with OpenID Connect against a real provider over HTTP on 127.0.0.1: the full flow and its failures."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import OidcIdentity, User, UserSession
from marketplace.accounts.oidc_models import OidcLoginState
from marketplace.accounts.sessions import SESSION_COOKIE
from tests.oidc.provider import Provider
from tests.webtools import PASSWORD, csrf_from, mailed_link, make_user, post_form, sign_in


def count(session: Session, model: type, *where) -> int:  # type: ignore[no-untyped-def]
    session.commit()
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def authorize(
    client: TestClient, *, start: str = "/signin/oidc/mock", page: str = "/signin", next: str = "/account"
):
    """Press the button, let the provider answer (over HTTP); returns the callback path with its query."""
    response = client.post(
        start, data={"csrf_token": csrf_from(client, page), "next": next}, follow_redirects=False
    )
    assert response.status_code == 303, response.text[:300]
    to_provider = response.headers["location"]
    answer = httpx.get(to_provider, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    assert back.path == "/signin/oidc/mock/callback"
    return f"{back.path}?{back.query}"


def login(client: TestClient, **kwargs):  # type: ignore[no-untyped-def]
    return client.get(authorize(client, **kwargs), follow_redirects=False)


def test_first_login_creates_a_verified_account_and_signs_in(
    client: TestClient, session: Session, provider: Provider
) -> None:
    page = client.get("/signin")
    assert "Sign in with Mock ID" in page.text
    response = login(client)
    assert response.status_code == 303 and response.headers["location"] == "/account"
    cookie = response.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    user = session.execute(select(User).where(User.email == "ana@example.org")).scalar_one()
    assert user.password_hash is None and user.email_verified_at is not None and user.display_name == "Ana"
    assert count(session, OidcIdentity, OidcIdentity.user_id == user.id) == 1
    account = client.get("/account")
    assert account.status_code == 200 and "ana@example.org" in account.text and "Mock ID" in account.text

    # What the app sent: PKCE S256, a nonce, and a verifier the provider accepted.
    sent = provider.authorize_requests[-1]
    assert sent["code_challenge_method"] == "S256" and len(sent["nonce"]) >= 32 and len(sent["state"]) >= 32
    assert len(provider.token_requests[-1]["code_verifier"]) >= 43

    # Signing in again finds the same account through the identity, even with another e-mail now.
    client.post("/signout", data={"csrf_token": csrf_from(client, "/account")})
    provider.user = {**provider.user, "email": "other@example.org"}
    again = login(client)
    assert again.status_code == 303
    assert count(session, User) == 1


def test_csp_lets_sign_in_forms_reach_the_provider_only(client: TestClient, provider: Provider) -> None:
    policy = client.get("/signin").headers["content-security-policy"]
    assert f"form-action 'self' {provider.issuer}" in policy
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy


def test_unverified_email_from_provider_creates_an_unverified_account(
    client: TestClient, session: Session, provider: Provider
) -> None:
    provider.user = {"sub": "u-2", "email": "new@example.org", "email_verified": False, "name": "Nuevo"}
    assert login(client).status_code == 303
    user = session.execute(select(User).where(User.email == "new@example.org")).scalar_one()
    assert user.email_verified_at is None


def test_mailbox_owner_claiming_the_account_cuts_an_unvouched_identity(
    client: TestClient, session: Session, provider: Provider
) -> None:
    """Someone signs up through a provider that does not vouch for the address; the real owner of the mailbox
    resets the password: the first person's provider account no longer signs in."""
    provider.user = {"sub": "impostor", "email": "rosa@example.org", "email_verified": False}
    assert login(client).status_code == 303
    client.cookies.clear()
    owner = TestClient(client.app)
    assert post_form(owner, "/password/forgot", {"email": "rosa@example.org"}).status_code == 303
    link = mailed_link(session, "rosa@example.org", "/password/reset")
    token = link.split("token=", 1)[1]
    reset = owner.post(
        "/password/reset", data={"token": token, "password": PASSWORD, "csrf_token": csrf_from(owner, link)}
    )
    assert reset.status_code in (200, 303)
    sign_in(owner, "rosa@example.org")

    again = login(client)
    assert again.status_code == 400 and "linked before your e-mail address was confirmed" in again.text
    assert SESSION_COOKIE not in again.headers.get("set-cookie", "")
    assert count(session, OidcIdentity) == 0


def test_verified_email_links_to_existing_verified_account(
    client: TestClient, session: Session, provider: Provider
) -> None:
    existing = make_user(session, email="ana@example.org")
    session.commit()
    assert login(client).status_code == 303
    assert count(session, User) == 1
    identity = session.execute(select(OidcIdentity)).scalar_one()
    assert identity.user_id == existing.id and identity.subject == "user-1"


def test_unverified_email_never_takes_over_an_existing_account(
    client: TestClient, session: Session, provider: Provider
) -> None:
    victim = make_user(session, email="ana@example.org")
    session.commit()
    provider.user = {"sub": "attacker", "email": "ana@example.org", "email_verified": False}
    response = login(client)
    assert response.status_code == 409 and "Sign in with your password, then link" in response.text
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert (
        count(session, OidcIdentity) == 0
        and count(session, UserSession, UserSession.user_id == victim.id) == 0
    )
    # A missing email_verified claim counts as "not verified" too.
    provider.user = {"sub": "attacker", "email": "ana@example.org"}
    assert login(client).status_code == 409


def test_verified_email_of_an_unverified_squatter_account_clears_the_squatter_password(
    client: TestClient, session: Session, provider: Provider
) -> None:
    squatter = make_user(session, email="ana@example.org", verified=False)
    session.commit()
    assert login(client).status_code == 303
    session.refresh(squatter)
    assert squatter.password_hash is None and squatter.email_verified_at is not None
    signin = client.post(
        "/signin",
        data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": csrf_from(client, "/signin")},
    )
    assert signin.status_code in (401, 403)


def _tampered_callback(path: str, **changes: str) -> str:
    url = urlsplit(path)
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    query.update(changes)
    return f"{url.path}?{urlencode(query)}"


def test_wrong_state_is_refused(client: TestClient, session: Session, provider: Provider) -> None:
    callback = authorize(client)
    response = client.get(_tampered_callback(callback, state="forged-state"), follow_redirects=False)
    assert response.status_code == 400 and "did not work" in response.text
    assert count(session, User) == 0 and provider.token_requests == []


def test_replayed_state_is_refused(client: TestClient, session: Session, provider: Provider) -> None:
    callback = authorize(client)
    assert client.get(callback, follow_redirects=False).status_code == 303
    client.cookies.delete(SESSION_COOKIE)
    replay = client.get(callback, follow_redirects=False)
    assert replay.status_code == 400 and SESSION_COOKIE not in replay.headers.get("set-cookie", "")
    assert count(session, OidcLoginState) == 0


def test_state_from_another_browser_is_refused(
    client: TestClient, session: Session, provider: Provider
) -> None:
    """Login CSRF: an attacker's callback link opened in the victim's browser does not sign the victim in."""
    callback = authorize(client)
    client.cookies.clear()
    response = client.get(callback, follow_redirects=False)
    assert response.status_code == 400 and count(session, User) == 0


def test_wrong_nonce_is_refused(client: TestClient, session: Session, provider: Provider) -> None:
    provider.misbehave["nonce"] = "not-the-nonce"
    response = login(client)
    assert response.status_code == 400 and count(session, User) == 0
    # The failed state stays used.
    assert count(session, OidcLoginState) == 0


def test_wrong_audience_is_refused(client: TestClient, session: Session, provider: Provider) -> None:
    provider.misbehave["aud"] = "another-client"
    assert login(client).status_code == 400 and count(session, User) == 0


def test_several_audiences_need_azp(client: TestClient, session: Session, provider: Provider) -> None:
    provider.misbehave["aud"] = ["puente-test", "another-client"]
    assert login(client).status_code == 400
    provider.user = {**provider.user, "azp": "puente-test"}
    assert login(client).status_code == 303


def test_issuer_mismatch_in_token_is_refused(
    client: TestClient, session: Session, provider: Provider
) -> None:
    provider.misbehave["iss"] = "http://127.0.0.1:1"
    assert login(client).status_code == 400 and count(session, User) == 0


def test_issuer_mismatch_on_callback_is_refused(
    client: TestClient, session: Session, provider: Provider
) -> None:
    provider.misbehave["callback_iss"] = "https://evil.example"
    assert login(client).status_code == 400 and count(session, User) == 0
    assert provider.token_requests == []  # the code was never sent anywhere


def test_discovery_claiming_another_issuer_is_refused(
    client: TestClient, session: Session, provider: Provider
) -> None:
    provider.misbehave["discovery_issuer"] = "https://accounts.example"
    response = client.post(
        "/signin/oidc/mock", data={"csrf_token": csrf_from(client, "/signin")}, follow_redirects=False
    )
    assert response.status_code == 400 and provider.authorize_requests == []


def test_expired_token_is_refused(client: TestClient, session: Session, provider: Provider) -> None:
    provider.misbehave["expired"] = True
    assert login(client).status_code == 400 and count(session, User) == 0


def test_token_signed_with_another_key_is_refused(
    client: TestClient, session: Session, provider: Provider
) -> None:
    provider.misbehave["rogue_key"] = True
    assert login(client).status_code == 400 and count(session, User) == 0


def test_start_needs_csrf_and_a_known_provider(client: TestClient, provider: Provider) -> None:
    assert client.post("/signin/oidc/mock", follow_redirects=False).status_code == 403
    token = csrf_from(client, "/signin")
    assert client.post("/signin/oidc/nope", data={"csrf_token": token}).status_code == 404
    assert client.get("/signin/oidc/nope/callback?state=x&code=y").status_code == 404


def test_next_is_kept_but_only_local(client: TestClient, session: Session, provider: Provider) -> None:
    response = login(client, next="https://evil.example/")
    assert response.headers["location"] == "/"


def test_link_a_second_identity_and_unlink(client: TestClient, session: Session, provider: Provider) -> None:
    user = make_user(session, email="luis@example.org")
    session.commit()
    sign_in(client, "luis@example.org")
    assert "Link Mock ID" in client.get("/account").text
    # The provider's account has another, unverified e-mail: linking is explicit, so it is fine.
    provider.user = {"sub": "luis-at-mock", "email": "luis.personal@example.org", "email_verified": False}
    response = login(client, start="/account/identities/mock/link", page="/account")
    assert response.status_code == 303 and response.headers["location"] == "/account?notice=identity_linked"
    identity = session.execute(select(OidcIdentity)).scalar_one()
    assert identity.user_id == user.id

    # Now the provider signs Luis in.
    client.post("/signout", data={"csrf_token": csrf_from(client, "/account")})
    assert login(client).status_code == 303
    assert "luis@example.org" in client.get("/account").text

    token = csrf_from(client, "/account")
    unlinked = client.post(
        f"/account/identities/{identity.id}/unlink", data={"csrf_token": token}, follow_redirects=False
    )
    assert unlinked.status_code == 303 and count(session, OidcIdentity) == 0


def test_identity_linked_elsewhere_cannot_be_linked_again(
    client: TestClient, session: Session, provider: Provider
) -> None:
    owner = make_user(session, email="owner@example.org")
    session.add(OidcIdentity(user_id=owner.id, issuer=provider.issuer, provider="mock", subject="user-1"))
    make_user(session, email="luis@example.org")
    session.commit()
    sign_in(client, "luis@example.org")
    response = login(client, start="/account/identities/mock/link", page="/account")
    assert response.status_code == 409 and "already linked to another" in response.text
    assert count(session, OidcIdentity) == 1


def test_last_way_to_sign_in_cannot_be_unlinked(
    client: TestClient, session: Session, provider: Provider
) -> None:
    assert login(client).status_code == 303
    identity = session.execute(select(OidcIdentity)).scalar_one()
    assert "Unlink" not in client.get("/account").text
    token = csrf_from(client, "/account")
    response = client.post(f"/account/identities/{identity.id}/unlink", data={"csrf_token": token})
    assert response.status_code == 400 and "only way to sign in" in response.text
    assert count(session, OidcIdentity) == 1


def test_someone_elses_identity_cannot_be_unlinked(
    client: TestClient, session: Session, provider: Provider
) -> None:
    owner = make_user(session, email="owner@example.org")
    identity = OidcIdentity(user_id=owner.id, issuer=provider.issuer, provider="mock", subject="s")
    session.add(identity)
    make_user(session, email="luis@example.org")
    session.commit()
    sign_in(client, "luis@example.org")
    token = csrf_from(client, "/account")
    assert (
        client.post(f"/account/identities/{identity.id}/unlink", data={"csrf_token": token}).status_code
        == 404
    )
    assert count(session, OidcIdentity) == 1


def test_provider_error_answer_is_shown_and_uses_up_the_state(
    client: TestClient, session: Session, provider: Provider
) -> None:
    callback = authorize(client)
    state = parse_qs(urlsplit(callback).query)["state"][0]
    denied = client.get(
        "/signin/oidc/mock/callback?"
        + urlencode({"error": "access_denied", "state": state, "iss": provider.issuer}),
        follow_redirects=False,
    )
    assert denied.status_code == 400 and count(session, User) == 0
    assert client.get(callback, follow_redirects=False).status_code == 400  # the state is gone


def test_sign_in_attempts_with_providers_are_throttled(
    client: TestClient, session: Session, provider: Provider
) -> None:
    token = csrf_from(client, "/signin")
    statuses = [
        client.post("/signin/oidc/mock", data={"csrf_token": token}, follow_redirects=False).status_code
        for _ in range(31)
    ]
    assert statuses[:30] == [303] * 30 and statuses[30] == 429


def test_claims_are_shown_as_text_not_markup(
    client: TestClient, session: Session, provider: Provider
) -> None:
    provider.user = {
        "sub": "x",
        "email": "xss@example.org",
        "email_verified": True,
        "name": '<script>alert(1)</script><img src=x onerror="alert(2)">',
    }
    assert login(client).status_code == 303
    page = client.get("/account").text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
