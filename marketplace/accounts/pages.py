"""Account pages: sign-up, e-mail verification, sign-in and out, password reset, account settings."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from marketplace.accounts import service
from marketplace.accounts import sessions as user_sessions
from marketplace.accounts.models import User
from marketplace.core.deps import CurrentUser, RequiredUser, SessionDep, SettingsDep, check_csrf
from marketplace.core.errors import DomainError, InvalidInput, NotFound
from marketplace.core.i18n import LANGUAGES, N_
from marketplace.core.ratelimit import forget, hit
from marketplace.core.templating import render

router = APIRouter(dependencies=[Depends(check_csrf)])

SIGNIN_LIMIT = 10  # attempts per address per 15 minutes, and 30 per IP address
SIGNUP_LIMIT = 10  # sign-ups per IP address per hour
WINDOW = timedelta(minutes=15)
NOTICES = {
    "signed_out": N_("You have signed out."),
    "verified": N_("Your e-mail address is confirmed. Welcome to Puente!"),
    "password_reset": N_("Your password has been changed. Sign in with the new one."),
    "password_changed": N_("Your password has been changed. Your other sessions have been signed out."),
    "profile_saved": N_("Your profile has been saved."),
    "session_ended": N_("That session has been signed out."),
    "account_deleted": N_("Your account and its personal data have been deleted."),
    "token_revoked": N_("The token has been revoked: programs using it can no longer sign in."),
    "check_inbox": N_("If this address has an account, we have sent it a link to choose a new password."),
}
Text = Annotated[str, Form()]


def _safe_next(target: str | None) -> str:
    """Only local paths: a sign-in link must never send people to another site."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _sign_in(request: Request, session: SessionDep, user: User, target: str) -> RedirectResponse:
    token = user_sessions.start_session(
        session, user, user_agent=request.headers.get("user-agent"), ip_address=_client_ip(request)
    )
    response = RedirectResponse(_safe_next(target), status_code=303)
    response.set_cookie(
        user_sessions.SESSION_COOKIE,
        token,
        max_age=int(user_sessions.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.is_production,
    )
    return response


def notice(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("notice", ""))


@router.get("/signup")
def signup_form(request: Request, user: CurrentUser) -> Response:
    if user is not None:
        return RedirectResponse("/account", status_code=303)
    return render(request, "accounts/signup.html", {"values": {}, "errors": {}})


@router.post("/signup")
def signup(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Text = "",
    password: Text = "",
    display_name: Text = "",
) -> Response:
    values = {"email": email, "display_name": display_name}
    try:
        hit(
            request.app.state.engine,
            f"signup:ip:{_client_ip(request)}",
            limit=SIGNUP_LIMIT,
            window=timedelta(hours=1),
            message=N_("Too many attempts. Wait a while and try again."),
        )
        data = service.Registration(email, password, display_name, request.state.language)
        service.register(session, data, base_url=settings.base_url)
    except DomainError as exc:
        errors = exc.fields or {"form": exc.message}
        return render(
            request, "accounts/signup.html", {"values": values, "errors": errors}, status_code=exc.status_code
        )
    return render(request, "accounts/signup_sent.html", {"email": email.strip().lower()})


@router.get("/account/verify")
def verify_form(request: Request, session: SessionDep, token: str = "") -> Response:
    """The mailed link opens a page with a button: mail scanners that fetch links must not use up the token."""
    try:
        service.check_verification_token(session, token)
    except DomainError as exc:
        return render(request, "accounts/link_problem.html", {"message": exc.message}, status_code=400)
    return render(request, "accounts/verify.html", {"token": token})


@router.post("/account/verify")
def verify(request: Request, session: SessionDep, token: Text = "") -> Response:
    try:
        user = service.verify_email(session, token)
    except DomainError as exc:
        return render(request, "accounts/link_problem.html", {"message": exc.message}, status_code=400)
    return _sign_in(request, session, user, "/account?notice=verified")


@router.get("/signin")
def signin_form(request: Request, user: CurrentUser, next: str = "/") -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(
        request, "accounts/signin.html", {"values": {"next": next}, "errors": {}, "notice": notice(request)}
    )


@router.post("/signin")
def signin(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Text = "",
    password: Text = "",
    next: Text = "/",
) -> Response:
    values = {"email": email, "next": next}
    address_key = f"signin:email:{email.strip().lower()}"
    try:
        message = N_("Too many sign-in attempts. Wait 15 minutes or reset your password.")
        hit(request.app.state.engine, address_key, limit=SIGNIN_LIMIT, window=WINDOW, message=message)
        hit(
            request.app.state.engine,
            f"signin:ip:{_client_ip(request)}",
            limit=30,
            window=WINDOW,
            message=message,
        )
        user = service.authenticate(session, email=email, password=password)
    except service.EmailNotVerified as exc:
        unverified = service.user_by_email(session, email)
        if unverified is not None:
            service.send_verification(session, unverified, base_url=settings.base_url)
        return render(
            request,
            "accounts/signin.html",
            {"values": values, "errors": {"form": exc.message}},
            status_code=403,
        )
    except DomainError as exc:
        return render(
            request,
            "accounts/signin.html",
            {"values": values, "errors": {"form": exc.message}},
            status_code=exc.status_code,
        )
    forget(session, address_key)
    return _sign_in(request, session, user, next)


@router.post("/signout")
def signout(request: Request, session: SessionDep) -> Response:
    current = request.state.user_session
    if current is not None:
        user_sessions.end_session(session, current.id)
    response = RedirectResponse("/signin?notice=signed_out", status_code=303)
    response.delete_cookie(user_sessions.SESSION_COOKIE)
    return response


@router.get("/password/forgot")
def forgot_form(request: Request) -> Response:
    return render(request, "accounts/forgot.html", {"values": {}, "errors": {}})


@router.post("/password/forgot")
def forgot(request: Request, session: SessionDep, settings: SettingsDep, email: Text = "") -> Response:
    try:
        hit(
            request.app.state.engine,
            f"reset:ip:{_client_ip(request)}",
            limit=10,
            window=timedelta(hours=1),
            message=N_("Too many attempts. Wait a while and try again."),
        )
    except DomainError as exc:
        return render(
            request,
            "accounts/forgot.html",
            {"values": {"email": email}, "errors": {"form": exc.message}},
            status_code=429,
        )
    service.request_password_reset(session, email, base_url=settings.base_url)
    return RedirectResponse("/signin?notice=check_inbox", status_code=303)


@router.get("/password/reset")
def reset_form(request: Request, session: SessionDep, token: str = "") -> Response:
    try:
        service.check_reset_token(session, token)
    except DomainError as exc:
        return render(request, "accounts/link_problem.html", {"message": exc.message}, status_code=400)
    return render(request, "accounts/reset.html", {"token": token, "errors": {}})


@router.post("/password/reset")
def reset(request: Request, session: SessionDep, token: Text = "", password: Text = "") -> Response:
    try:
        service.reset_password(session, token, password)
    except InvalidInput as exc:
        return render(request, "accounts/reset.html", {"token": token, "errors": exc.fields}, status_code=422)
    except DomainError as exc:
        return render(request, "accounts/link_problem.html", {"message": exc.message}, status_code=400)
    response = RedirectResponse("/signin?notice=password_reset", status_code=303)
    response.delete_cookie(user_sessions.SESSION_COOKIE)
    return response


def _account_page(  # type: ignore[no-untyped-def]
    request: Request,
    session: SessionDep,
    user: User,
    *,
    errors=None,
    values=None,
    status_code=200,
    new_token=None,
) -> Response:
    from marketplace.accounts.tokens import list_tokens
    from marketplace.companies.service import companies_of

    context = {
        "user": user,
        "sessions": user_sessions.list_sessions(session, user.id),  # type: ignore[arg-type]
        "current_session_id": request.state.user_session.id if request.state.user_session else None,
        "companies": companies_of(session, user),
        "errors": errors or {},
        "values": values or {"display_name": user.display_name, "locale": user.locale or ""},
        "notice": notice(request),
        "locales": LANGUAGES,
        "tokens": list_tokens(session, user),
        "new_token": new_token,
    }
    return render(request, "accounts/account.html", context, status_code=status_code)


@router.get("/account")
def account(request: Request, session: SessionDep, user: RequiredUser) -> Response:
    return _account_page(request, session, user)


@router.post("/account/profile")
def save_profile(
    request: Request, session: SessionDep, user: RequiredUser, display_name: Text = "", locale: Text = ""
) -> Response:
    try:
        service.update_profile(session, user, display_name=display_name, locale=locale or None)
    except InvalidInput as exc:
        values = {"display_name": display_name, "locale": locale}
        return _account_page(request, session, user, errors=exc.fields, values=values, status_code=422)
    response = RedirectResponse("/account?notice=profile_saved", status_code=303)
    if locale in LANGUAGES:
        response.set_cookie("puente_lang", locale, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response


@router.post("/account/password")
def change_password(
    request: Request,
    session: SessionDep,
    user: RequiredUser,
    current_password: Text = "",
    new_password: Text = "",
) -> Response:
    try:
        service.change_password(session, user, current=current_password, new=new_password)
    except InvalidInput as exc:
        return _account_page(request, session, user, errors=exc.fields, status_code=422)
    # Every session ended with the change; this browser gets a fresh one.
    return _sign_in(request, session, user, "/account?notice=password_changed")


@router.post("/account/sessions/{session_id}/end")
def end_session(request: Request, session: SessionDep, user: RequiredUser, session_id: int) -> Response:
    own = {s.id for s in user_sessions.list_sessions(session, user.id)}  # type: ignore[arg-type]
    if session_id not in own:
        raise NotFound(N_("Page not found"))
    user_sessions.end_session(session, session_id)
    if request.state.user_session is not None and session_id == request.state.user_session.id:
        response = RedirectResponse("/signin?notice=signed_out", status_code=303)
        response.delete_cookie(user_sessions.SESSION_COOKIE)
        return response
    return RedirectResponse("/account?notice=session_ended", status_code=303)


@router.post("/account/delete")
def delete_account(
    request: Request, session: SessionDep, user: RequiredUser, password: Text = ""
) -> Response:
    try:
        service.delete_account(session, user, password=password)
    except DomainError as exc:
        return _account_page(
            request, session, user, errors=exc.fields or {"delete": exc.message}, status_code=exc.status_code
        )
    response = RedirectResponse("/?notice=account_deleted", status_code=303)
    response.delete_cookie(user_sessions.SESSION_COOKIE)
    return response


@router.get("/account/data.json")
def download_data(session: SessionDep, user: RequiredUser) -> Response:
    body = json.dumps(service.export_account(session, user), ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="puente-my-data.json"'},
    )


@router.post("/account/tokens")
def create_token(
    request: Request, session: SessionDep, user: RequiredUser, token_name: Text = ""
) -> Response:
    from marketplace.accounts.tokens import create_token as create

    try:
        _, raw = create(session, user, name=token_name)
    except DomainError as exc:
        errors = {"token_name": exc.fields.get("name", exc.message)}
        return _account_page(request, session, user, errors=errors, status_code=422)
    # Shown once, on this response only (never in a URL or a cookie).
    return _account_page(request, session, user, new_token=raw)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, session: SessionDep, user: RequiredUser, token_id: int) -> Response:
    from marketplace.accounts.tokens import revoke_token as revoke

    revoke(session, user, token_id)
    return RedirectResponse("/account?notice=token_revoked", status_code=303)
