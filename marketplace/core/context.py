"""Per-request context: who is signed in, the visitor id that CSRF tokens bind to, the language, headers."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from marketplace.accounts.models import User, UserSession
from marketplace.accounts.sessions import SESSION_COOKIE, resolve_session
from marketplace.core.db import session_scope
from marketplace.core.i18n import COOKIE as LANGUAGE_COOKIE
from marketplace.core.i18n import LANGUAGES, negotiate_language
from marketplace.core.security import csrf_token, new_token

VISITOR_COOKIE = "puente_visitor"
YEAR = 365 * 24 * 3600


def _resolve(
    engine: Engine, token: str | None, remember_language: str | None
) -> tuple[UserSession, User] | None:
    if not token:
        return None
    with session_scope(engine) as session:
        resolved = resolve_session(session, token)
        if resolved is not None and remember_language and resolved[1].locale != remember_language:
            resolved[1].locale = remember_language  # an explicit choice is remembered on the account
            session.add(resolved[1])
        return resolved


def install_request_context(app: FastAPI) -> None:
    @app.middleware("http")
    async def request_context(request: Request, call_next):  # type: ignore[no-untyped-def]
        settings = request.app.state.settings
        token = request.cookies.get(SESSION_COOKIE)
        requested = request.query_params.get("lang")
        requested = requested if requested in LANGUAGES else None
        resolved = await run_in_threadpool(_resolve, request.app.state.engine, token, requested)
        user_session, user = resolved if resolved else (None, None)
        visitor = request.cookies.get(VISITOR_COOKIE)
        new_visitor = None
        if not visitor or len(visitor) > 64:
            visitor = new_visitor = new_token()
        request.state.user = user
        request.state.user_session = user_session
        request.state.csrf_visitor = token if resolved else visitor
        request.state.csrf_token = csrf_token(settings.secret_key, request.state.csrf_visitor)
        request.state.language = negotiate_language(
            requested=requested,
            cookie=request.cookies.get(LANGUAGE_COOKIE),
            user_locale=user.locale if user else None,
            accept_language=request.headers.get("accept-language"),
        )
        response: Response = await call_next(request)
        secure = settings.is_production
        if new_visitor:
            response.set_cookie(
                VISITOR_COOKIE, new_visitor, max_age=YEAR, httponly=True, samesite="lax", secure=secure
            )
        if requested:
            response.set_cookie(
                LANGUAGE_COOKIE, requested, max_age=YEAR, httponly=True, samesite="lax", secure=secure
            )
        if token and not resolved and SESSION_COOKIE not in response.headers.get("set-cookie", ""):
            response.delete_cookie(SESSION_COOKIE)
        _security_headers(response, production=secure)
        return response


def _security_headers(response: Response, *, production: bool) -> None:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    )
    if production:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
