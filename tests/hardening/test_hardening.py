"""Portal-wide protections: body size limits, session timeouts and fixation, action rate limits, headers,
secure cookies in production, generic error pages, secrets kept out of logs."""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlmodel import Session

from marketplace.accounts.models import RateEvent, User, UserSession
from marketplace.accounts.sessions import SESSION_COOKIE
from marketplace.core import hardening
from marketplace.core.models import utcnow
from tests.webtools import PASSWORD, csrf_from, make_user, post_form, sign_in


def count(session: Session, model: type, *where) -> int:  # type: ignore[no-untyped-def]
    session.commit()
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


# --- Body size --------------------------------------------------------------------------------------------------


def test_an_oversized_form_is_refused_before_it_is_read(client: TestClient, session: Session) -> None:
    token = csrf_from(client, "/signin")
    big = "x" * (hardening.DEFAULT_BODY_LIMIT + 10)
    response = client.post("/signin", data={"email": big, "password": "p", "csrf_token": token})
    assert response.status_code == 413 and "too large" in response.text
    assert count(session, RateEvent) == 0  # the route never ran


def test_a_streamed_body_without_length_is_counted(client: TestClient, session: Session) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b"a" * (128 * 1024)

    response = client.post(
        "/signin", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413
    assert count(session, RateEvent) == 0


def test_an_oversized_api_body_gets_a_json_error(client: TestClient) -> None:
    response = client.post(
        "/api/v1/listings",
        content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_upload_routes_allow_larger_bodies(client: TestClient) -> None:
    body = b"x" * (3 * 1024 * 1024)
    files = {"files": ("a.jpg", body, "image/jpeg")}
    response = client.post("/listings/1/media", files=files)
    assert response.status_code != 413  # refused later, for other reasons (no CSRF token, no such listing)
    assert hardening.body_limit_for("/listings/1/media") > 3 * 1024 * 1024
    assert hardening.body_limit_for("/api/v1/listings/7/media") == hardening.body_limit_for(
        "/listings/7/media"
    )
    assert hardening.body_limit_for("/companies/3/import") == 6 * 1024 * 1024
    assert hardening.body_limit_for("/account/profile") == hardening.DEFAULT_BODY_LIMIT


def test_a_small_form_still_works(client: TestClient, session: Session) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    sign_in(client, "ana@example.org")


# --- Sessions ---------------------------------------------------------------------------------------------------


def _age_sessions(session: Session, **values) -> None:  # type: ignore[no-untyped-def]
    session.execute(update(UserSession).values(**values))
    session.commit()


def test_idle_session_ends(client: TestClient, session: Session) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    sign_in(client, "ana@example.org")
    assert client.get("/account", follow_redirects=False).status_code == 200
    _age_sessions(session, last_seen_at=utcnow() - hardening.IDLE_TIMEOUT - timedelta(minutes=1))
    response = client.get("/account", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/signin")
    assert count(session, UserSession) == 0


def test_absolute_timeout_ends_a_busy_session(client: TestClient, session: Session) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    sign_in(client, "ana@example.org")
    _age_sessions(session, created_at=utcnow() - hardening.ABSOLUTE_TIMEOUT - timedelta(minutes=1))
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert count(session, UserSession) == 0


def test_a_fresh_session_is_kept(client: TestClient, session: Session) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    sign_in(client, "ana@example.org")
    _age_sessions(
        session, created_at=utcnow() - timedelta(days=20), last_seen_at=utcnow() - timedelta(days=6)
    )
    assert client.get("/account", follow_redirects=False).status_code == 200


def test_signing_in_again_ends_the_previous_session_of_this_browser(
    client: TestClient, session: Session
) -> None:
    make_user(session, email="ana@example.org")
    make_user(session, email="luis@example.org")
    session.commit()
    sign_in(client, "ana@example.org")
    first = client.cookies.get(SESSION_COOKIE)
    token = csrf_from(client, "/account")
    response = client.post(
        "/signin",
        data={"email": "luis@example.org", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    second = client.cookies.get(SESSION_COOKIE)
    assert second and second != first
    assert count(session, UserSession) == 1
    luis = session.execute(select(User).where(User.email == "luis@example.org")).scalar_one()
    assert count(session, UserSession, UserSession.user_id == luis.id) == 1


def test_session_cookie_is_http_only_lax_and_secure_in_production(app_settings, session: Session) -> None:  # type: ignore[no-untyped-def]
    from marketplace.app import create_app

    production = dataclasses.replace(app_settings, env="production", base_url="https://puente.example")
    make_user(session, email="ana@example.org")
    session.commit()
    with TestClient(create_app(production), base_url="https://testserver") as secure_client:
        response = post_form(secure_client, "/signin", {"email": "ana@example.org", "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert response.status_code == 303 and SESSION_COOKIE in cookie
    assert "HttpOnly" in cookie and "Secure" in cookie and "samesite=lax" in cookie.lower()
    assert response.headers["strict-transport-security"].startswith("max-age=")


# --- Rate limits ------------------------------------------------------------------------------------------------


def test_password_change_attempts_are_limited(client: TestClient, session: Session) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    sign_in(client, "ana@example.org")
    token = csrf_from(client, "/account")
    statuses = [
        client.post(
            "/account/password",
            data={
                "current_password": f"guess-{i}",
                "new_password": "Otra-Clave-Larga-42",
                "csrf_token": token,
            },
        ).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429
    # Even the right password waits now.
    right = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "Otra-Clave-Larga-42", "csrf_token": token},
    )
    assert right.status_code == 429 and "Too many attempts" in right.text


def test_reset_link_guessing_is_limited(client: TestClient) -> None:
    token = csrf_from(client, "/signin")
    statuses = [
        client.post(
            "/password/reset", data={"token": f"guess{i}", "password": "x", "csrf_token": token}
        ).status_code
        for i in range(21)
    ]
    assert 429 not in statuses[:20] and statuses[20] == 429


# --- Headers and errors -----------------------------------------------------------------------------------------


def test_security_headers_on_pages(client: TestClient, session: Session) -> None:
    page = client.get("/signin")
    headers = page.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert headers["referrer-policy"] and headers["cross-origin-opener-policy"] == "same-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert "strict-transport-security" not in headers  # not in development
    assert "no-store" not in headers.get("cache-control", "")
    make_user(session, email="ana@example.org")
    session.commit()
    sign_in(client, "ana@example.org")
    assert client.get("/account").headers["cache-control"] == "no-store"


def test_unexpected_errors_show_no_traceback(client: TestClient) -> None:
    app = client.app

    @app.get("/__boom")  # type: ignore[union-attr]
    def boom() -> None:
        raise RuntimeError("secret-detail-in-exception password=hunter2")

    @app.get("/api/v1/__boom")  # type: ignore[union-attr]
    def api_boom() -> None:
        raise RuntimeError("secret-detail-in-exception")

    page = client.get("/__boom")
    assert page.status_code == 500
    assert (
        "secret-detail" not in page.text and "Traceback" not in page.text and "RuntimeError" not in page.text
    )
    api = client.get("/api/v1/__boom")
    assert (
        api.status_code == 500
        and "secret-detail" not in api.text
        and api.json()["error"]["code"] == "internal"
    )


# --- Logs -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "/account/verify?token=SECRET123",
        "/password/reset?token=SECRET123&lang=es",
        "/signin/oidc/gov/callback?code=SECRET123&state=SECRET123&iss=x",
        "Authorization: Bearer pte_SECRET123",
        "cookie puente_session=SECRET123; puente_lang=es",
        "email=a%40b.org&password=SECRET123&csrf_token=SECRET123",
    ],
)
def test_logs_keep_no_secrets(line: str, caplog: pytest.LogCaptureFixture) -> None:
    hardening.install_log_redaction()
    access = logging.getLogger("uvicorn.access")
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        # The exact call uvicorn makes for an access line.
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5555", "GET", line, "1.1", 200)
        logging.getLogger("marketplace").warning("failed: %s", line)
    text = caplog.text
    assert "SECRET123" not in text and "[redacted]" in text
    assert "lang=es" in text or "lang" not in line
