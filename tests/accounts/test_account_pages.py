"""Sign-up, verification, sign-in and out, sessions, CSRF, password reset and change, deletion, export."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import EmailToken, RateEvent, User, UserSession
from marketplace.accounts.sessions import SESSION_COOKIE
from marketplace.core.models import utcnow
from marketplace.mail.models import MailMessage
from tests.webtools import PASSWORD, csrf_from, mailed_link, make_user, post_form, sign_in

NEW_PASSWORD = "Guacamaya-Ceiba-Jaguar-9"


def count(session: Session, model: type, *where) -> int:  # type: ignore[no-untyped-def]
    session.commit()  # end the test's read transaction: on SQLite it would keep seeing an old snapshot
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_sign_up_verify_and_land_signed_in(client: TestClient, session: Session) -> None:
    response = post_form(
        client,
        "/signup",
        {"email": " Lucia@Example.org ", "password": PASSWORD, "display_name": "Lucía Ramos"},
    )
    assert response.status_code == 200 and "lucia@example.org" in response.text
    user = session.execute(select(User).where(User.email == "lucia@example.org")).scalar_one()
    assert user.email_verified_at is None and user.password_hash != PASSWORD

    # Not verified yet: sign-in is refused and a fresh link is sent.
    refused = post_form(client, "/signin", {"email": "lucia@example.org", "password": PASSWORD})
    assert refused.status_code == 403 and "Confirm your e-mail address first" in refused.text
    assert count(session, MailMessage, MailMessage.to_address == "lucia@example.org") == 2

    link = mailed_link(session, "lucia@example.org", "/account/verify")
    assert "Confirm my address" in client.get(link).text  # opening the link alone uses nothing up
    token = link.split("token=")[1]
    verified = post_form(client, "/account/verify", {"token": token}, form_page=link)
    assert verified.status_code == 303 and verified.headers["location"] == "/account?notice=verified"
    account = client.get("/account")
    assert account.status_code == 200 and "Lucía Ramos" in account.text
    session.refresh(user)
    assert user.email_verified_at is not None


def test_verification_link_works_once(client: TestClient, session: Session) -> None:
    post_form(client, "/signup", {"email": "once@example.org", "password": PASSWORD, "display_name": "Once"})
    link = mailed_link(session, "once@example.org", "/account/verify")
    assert client.get(link).status_code == 200  # a mail scanner fetching the link uses nothing up
    assert client.get(link).status_code == 200
    token = link.split("token=")[1]
    assert post_form(client, "/account/verify", {"token": token}, form_page=link).status_code == 303
    again = client.get(link, follow_redirects=False)
    assert again.status_code == 400 and "This link is no longer valid" in again.text


def test_bad_sign_up_re_renders_with_messages_and_typed_values(client: TestClient, session: Session) -> None:
    response = post_form(
        client, "/signup", {"email": "ana@example.org", "password": "short", "display_name": "Ana"}
    )
    assert response.status_code == 422
    assert "Use at least 12 characters." in response.text
    assert 'value="ana@example.org"' in response.text and 'value="Ana"' in response.text
    assert 'aria-invalid="true"' in response.text and 'aria-describedby="e-password' in response.text
    assert count(session, User) == 0


def test_sign_up_with_a_taken_address_reveals_nothing_and_warns_the_owner(
    client: TestClient, session: Session
) -> None:
    make_user(session, email="taken@example.org")
    session.commit()
    response = post_form(
        client, "/signup", {"email": "taken@example.org", "password": NEW_PASSWORD, "display_name": "X"}
    )
    assert response.status_code == 200 and "Check your inbox" in response.text
    assert count(session, User) == 1
    warning = session.execute(
        select(MailMessage).where(MailMessage.to_address == "taken@example.org")
    ).scalar_one()
    assert "already has one" in warning.body_text


def test_wrong_password_and_unknown_address_get_the_same_answer(client: TestClient, session: Session) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    wrong = post_form(client, "/signin", {"email": "ana@example.org", "password": "Wrong-Password-123"})
    unknown = post_form(client, "/signin", {"email": "nobody@example.org", "password": "Wrong-Password-123"})
    assert wrong.status_code == unknown.status_code == 401
    assert (
        "Wrong e-mail address or password." in wrong.text
        and "Wrong e-mail address or password." in unknown.text
    )
    assert 'value="ana@example.org"' in wrong.text


def test_session_cookie_is_httponly_lax_and_only_an_id(client: TestClient, session: Session) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    response = post_form(client, "/signin", {"email": "ana@example.org", "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert (
        "Secure" not in cookie
    )  # development over http; production adds it (test_production_cookies_are_secure)
    token = client.cookies.get(SESSION_COOKIE)
    stored = session.execute(select(UserSession)).scalar_one()
    assert token and stored.token_hash != token and len(stored.token_hash) == 64


def test_sign_out_revokes_the_session_on_the_server(client: TestClient, session: Session) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    sign_in(client, "ana@example.org")
    stolen = client.cookies.get(SESSION_COOKIE)
    post_form(client, "/signout", {}, form_page="/account")
    assert count(session, UserSession) == 0
    client.cookies.set(SESSION_COOKIE, stolen)  # replaying the old cookie does not work
    response = client.get("/account", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/signin?next=%2Faccount")


def test_forms_without_the_right_csrf_token_are_refused(client: TestClient, session: Session) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    missing = client.post("/signin", data={"email": "ana@example.org", "password": PASSWORD})
    assert missing.status_code == 403 and "This form has expired" in missing.text
    forged = client.post(
        "/signin", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": "0" * 64}
    )
    assert forged.status_code == 403
    other = TestClient(client.app)
    foreign = csrf_from(other, "/signin")  # a token issued to another visitor
    stolen = client.post(
        "/signin", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": foreign}
    )
    assert stolen.status_code == 403
    assert count(session, UserSession) == 0


def test_sign_in_is_rate_limited_per_address(client: TestClient, session: Session) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    for _ in range(10):
        assert (
            post_form(
                client, "/signin", {"email": "ana@example.org", "password": "Wrong-Pass-1234"}
            ).status_code
            == 401
        )
    limited = post_form(client, "/signin", {"email": "ana@example.org", "password": PASSWORD})
    assert limited.status_code == 429 and "Too many sign-in attempts" in limited.text
    assert count(session, UserSession) == 0


def test_next_parameter_never_leaves_the_site(client: TestClient, session: Session) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    token = csrf_from(client, "/signin")
    data = {
        "email": "ana@example.org",
        "password": PASSWORD,
        "csrf_token": token,
        "next": "https://evil.example/x",
    }
    response = client.post("/signin", data=data, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_password_reset_link_is_single_use_expires_and_ends_sessions(
    client: TestClient, session: Session
) -> None:
    user = make_user(session, email="ana@example.org")
    session.commit()
    sign_in(client, "ana@example.org")
    other_browser = TestClient(client.app)
    post_form(other_browser, "/password/forgot", {"email": "ana@example.org"})
    post_form(
        other_browser, "/password/forgot", {"email": "ghost@example.org"}
    )  # no account: no mail, same page
    assert count(session, MailMessage, MailMessage.to_address == "ghost@example.org") == 0
    link = mailed_link(session, "ana@example.org", "/password/reset")
    token = link.split("token=")[1]
    bad = post_form(other_browser, "/password/reset", {"token": token, "password": "short"}, form_page=link)
    assert bad.status_code == 422 and "Use at least 12 characters." in bad.text
    done = post_form(
        other_browser, "/password/reset", {"token": token, "password": NEW_PASSWORD}, form_page=link
    )
    assert done.status_code == 303
    assert count(session, UserSession, UserSession.user_id == user.id) == 0  # the first browser is signed out
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert other_browser.get(link).status_code == 400  # used
    sign_in(other_browser, "ana@example.org", NEW_PASSWORD)

    post_form(other_browser, "/password/forgot", {"email": "ana@example.org"})
    expired = mailed_link(session, "ana@example.org", "/password/reset")
    row = session.execute(select(EmailToken).order_by(EmailToken.id.desc())).scalars().first()
    row.expires_at = utcnow() - timedelta(minutes=1)  # type: ignore[union-attr]
    session.commit()
    assert other_browser.get(expired).status_code == 400


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(
    client: TestClient, session: Session
) -> None:
    make_user(session, email="ana@example.org")
    session.commit()
    laptop, phone = client, TestClient(client.app)
    sign_in(laptop, "ana@example.org")
    sign_in(phone, "ana@example.org")
    wrong = post_form(
        laptop,
        "/account/password",
        {"current_password": "nope", "new_password": NEW_PASSWORD},
        form_page="/account",
    )
    assert wrong.status_code == 422 and "Your current password is not correct." in wrong.text
    changed = post_form(
        laptop,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        form_page="/account",
    )
    assert changed.status_code == 303
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account", follow_redirects=False).status_code == 303
    assert count(session, UserSession) == 1


def test_a_user_can_end_one_of_their_sessions_but_not_someone_elses(
    client: TestClient, session: Session
) -> None:
    make_user(session, email="ana@example.org")
    make_user(session, email="bea@example.org", name="Bea")
    session.commit()
    sign_in(client, "ana@example.org")
    bea = TestClient(client.app)
    sign_in(bea, "bea@example.org")
    bea_session = session.execute(
        select(UserSession).join(User).where(User.email == "bea@example.org")
    ).scalar_one()
    response = post_form(client, f"/account/sessions/{bea_session.id}/end", {}, form_page="/account")
    assert response.status_code == 404
    assert bea.get("/account").status_code == 200


def test_delete_account_leaves_no_personal_data(client: TestClient, session: Session) -> None:
    user = make_user(session, email="ana@example.org")
    session.commit()
    user_id = user.id
    sign_in(client, "ana@example.org")
    post_form(client, "/password/forgot", {"email": "ana@example.org"})
    refused = post_form(client, "/account/delete", {"password": "wrong"}, form_page="/account")
    assert refused.status_code == 422
    deleted = post_form(client, "/account/delete", {"password": PASSWORD}, form_page="/account")
    assert deleted.status_code == 303
    assert count(session, User, User.id == user_id) == 0
    assert count(session, UserSession) == 0 and count(session, EmailToken) == 0
    assert count(session, MailMessage, MailMessage.to_address == "ana@example.org") == 0
    assert count(session, RateEvent, RateEvent.key.contains("ana@example.org")) == 0  # type: ignore[attr-defined]


def test_download_my_data(client: TestClient, session: Session) -> None:
    make_user(session, email="ana@example.org", name="Ana Pérez")
    session.commit()
    sign_in(client, "ana@example.org")
    response = client.get("/account/data.json")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["account"]["email"] == "ana@example.org" and data["account"]["display_name"] == "Ana Pérez"
    assert len(data["sessions"]) == 1 and data["companies"] == []


def test_production_cookies_are_secure(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from marketplace.app import create_app
    from marketplace.core.settings import Settings

    settings = Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "PUENTE_DATA_DIR": str(tmp_path),
            "PUENTE_ENV": "production",
            "PUENTE_SECRET_KEY": "k2J9x-Qm4Lr8Zt1Vw7Np3Hs6Bc0Df5Gy_aEiOuY",
            "PUENTE_BASE_URL": "https://puente.example.org",
        }
    )
    with TestClient(create_app(settings), base_url="https://testserver") as secure_client:
        page = secure_client.get("/signin")
        assert "Secure" in page.headers["set-cookie"]
        assert page.headers["strict-transport-security"].startswith("max-age=")
