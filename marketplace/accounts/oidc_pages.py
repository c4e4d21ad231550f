"""Pages for OpenID Connect: start a sign-in, the provider's callback, link and unlink on the account page."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts import oidc
from marketplace.accounts.models import OidcIdentity, User
from marketplace.accounts.pages import _client_ip, _safe_next, _sign_in
from marketplace.core.deps import RequiredUser, SessionDep, SettingsDep, WriteSessionDep, check_csrf
from marketplace.core.errors import DomainError
from marketplace.core.i18n import N_
from marketplace.core.ratelimit import hit
from marketplace.core.templating import render

router = APIRouter(dependencies=[Depends(check_csrf)])
FLOW_LIMIT = 30  # starts and callbacks per IP address per 15 minutes
WINDOW = timedelta(minutes=15)
TOO_MANY = N_("Too many attempts. Wait a while and try again.")


def _problem(request: Request, exc: DomainError) -> Response:
    # Rendered, not raised: the request's unit of work commits, so a used `state` stays used.
    return render(
        request,
        "accounts/oidc_problem.html",
        {"message": exc.message, "needs_linking": isinstance(exc, oidc.NeedsLinking)},
        status_code=exc.status_code,
    )


def _throttle(request: Request) -> None:
    hit(
        request.app.state.engine,
        f"oidc:ip:{_client_ip(request)}",
        limit=FLOW_LIMIT,
        window=WINDOW,
        message=TOO_MANY,
    )


@router.post("/signin/oidc/{name}")
def start(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    name: str,
    next: Annotated[str, Form()] = "/",
) -> Response:
    provider = oidc.provider_named(settings, name)
    try:
        _throttle(request)
        url = oidc.begin(
            session, settings, provider, browser_id=request.state.csrf_visitor, next_path=_safe_next(next)
        )
    except DomainError as exc:
        return _problem(request, exc)
    return RedirectResponse(url, status_code=303)


@router.post("/account/identities/{name}/link")
def start_link(
    request: Request, session: SessionDep, settings: SettingsDep, user: RequiredUser, name: str
) -> Response:
    provider = oidc.provider_named(settings, name)
    try:
        _throttle(request)
        url = oidc.begin(
            session,
            settings,
            provider,
            browser_id=request.state.csrf_visitor,
            next_path="/account?notice=identity_linked",
            link_user_id=user.id,
        )
    except DomainError as exc:
        return _problem(request, exc)
    return RedirectResponse(url, status_code=303)


@router.get("/signin/oidc/{name}/callback")
def callback(request: Request, session: WriteSessionDep, settings: SettingsDep, name: str) -> Response:
    provider = oidc.provider_named(settings, name)
    params = {key: value for key, value in request.query_params.items() if isinstance(value, str)}
    try:
        _throttle(request)
        result = oidc.finish(session, settings, provider, params, browser_id=request.state.csrf_visitor)
        if result.link_user_id is not None:
            user = request.state.user
            if user is None or user.id != result.link_user_id:
                raise oidc.OidcError(oidc.FAILED)
            oidc.link_to(session, session.merge(user, load=False), provider, result.claims)
            return RedirectResponse("/account?notice=identity_linked", status_code=303)
        signed = oidc.account_for(session, provider, result.claims, language=request.state.language)
    except DomainError as exc:
        return _problem(request, exc)
    target = result.next_path
    if signed.created and signed.user.email_verified_at is None:
        from marketplace.accounts.service import send_verification

        send_verification(session, signed.user, base_url=settings.base_url)
    return _sign_in(request, session, signed.user, target)


@router.post("/account/identities/{identity_id}/unlink")
def unlink(request: Request, session: SessionDep, user: RequiredUser, identity_id: int) -> Response:
    try:
        oidc.unlink(session, user, identity_id)
    except oidc.LastSignInMethod as exc:
        return _problem(request, exc)
    return RedirectResponse("/account?notice=identity_unlinked", status_code=303)


def linked_identities(request: Request) -> list[dict[str, Any]]:
    """For the account page's include: the user's identities, with the name and label of the configured
    provider of their issuer (the name they were linked under if none is configured any more)."""
    user = getattr(request.state, "user", None)
    if user is None:
        return []
    by_issuer: dict[str, oidc.OidcProvider] = {}
    for configured in request.app.state.settings.oidc_providers:
        by_issuer.setdefault(configured.issuer, configured)
    # A lock-free read beside the route's own unit of work (see core/db.py on SQLite transactions).
    with Session(request.app.state.engine.execution_options(sqlite_begin="NONE")) as session:
        rows = session.execute(
            select(OidcIdentity).where(OidcIdentity.user_id == user.id).order_by(OidcIdentity.id)
        ).scalars()
        identities = []
        for row in rows:
            provider = by_issuer.get(row.issuer)
            identities.append(
                {
                    "id": row.id,
                    "provider": provider.name if provider else row.provider,
                    "label": provider.label if provider else row.provider,
                }
            )
        return identities


def has_password(user: User | None) -> bool:
    return bool(user is not None and user.password_hash)


def install_oidc(app: FastAPI) -> None:
    """Mount the routes and give templates what the sign-in buttons and the account's include need."""
    env = app.state.templates.env
    env.globals["oidc_providers"] = lambda: app.state.settings.oidc_providers
    env.globals["oidc_linked_identities"] = linked_identities
    env.globals["oidc_has_password"] = has_password
    app.include_router(router)
