"""Per-request context: who is signed in, the visitor id that CSRF tokens bind to, the language, headers."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from sqlalchemy.engine import Engine
from sqlalchemy.orm.attributes import set_committed_value
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketplace.accounts.models import User, UserSession
from marketplace.accounts.sessions import SESSION_COOKIE, resolve_session, session_needs_touch
from marketplace.core.db import run_in_transaction, session_scope
from marketplace.core.i18n import COOKIE as LANGUAGE_COOKIE
from marketplace.core.i18n import LANGUAGES, negotiate_language
from marketplace.core.permissions import is_advisor
from marketplace.core.security import csrf_token, new_token

VISITOR_COOKIE = "puente_visitor"
YEAR = 365 * 24 * 3600


def _resolve(
    engine: Engine, token: str | None, remember_language: str | None
) -> tuple[UserSession, User, bool] | None:
    if not token:
        return None
    with session_scope(engine.execution_options(sqlite_begin="DEFERRED")) as session:
        resolved = resolve_session(session, token, touch=False)
        if resolved is None:
            return None
        user_session, user = resolved
        advisor = is_advisor(session, user)  # advisors get the centre pages in their navigation
        session.expunge_all()
    wants_touch = session_needs_touch(user_session)
    wants_language = bool(remember_language and user.locale != remember_language)
    if wants_touch or wants_language:
        # A short write of its own, so reading pages never waits for the write lock unless it must.
        def write(session):  # type: ignore[no-untyped-def]
            fresh = resolve_session(session, token, touch=wants_touch)
            if fresh is not None and wants_language:
                fresh[1].locale = remember_language  # an explicit choice is remembered on the account
                session.add(fresh[1])

        run_in_transaction(engine, write)
        if wants_language:  # already written: record it as the committed value of the detached copy
            set_committed_value(user, "locale", remember_language)
    return user_session, user, advisor


class RequestContextMiddleware:
    """Pure ASGI (no task group and no response re-streaming per request, unlike `BaseHTTPMiddleware`): puts
    the user, the CSRF visitor and the language on `request.state`, then adds cookies and security headers to
    the response's start message."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        settings = request.app.state.settings
        token = request.cookies.get(SESSION_COOKIE)
        requested = request.query_params.get("lang")
        requested = requested if requested in LANGUAGES else None
        # No cookie, no database round trip (and no thread hop) for anonymous visitors and API token calls.
        resolved = (
            await run_in_threadpool(_resolve, request.app.state.engine, token, requested) if token else None
        )
        user_session, user, advisor = resolved if resolved else (None, None, False)
        visitor = request.cookies.get(VISITOR_COOKIE)
        new_visitor = None
        if not visitor or len(visitor) > 64:
            visitor = new_visitor = new_token()
        state = request.state
        state.user = user
        state.user_session = user_session
        state.is_advisor = advisor
        state.csrf_visitor = token if resolved else visitor
        state.csrf_token = csrf_token(settings.secret_key, state.csrf_visitor)
        state.language = negotiate_language(
            requested=requested,
            cookie=request.cookies.get(LANGUAGE_COOKIE),
            user_locale=user.locale if user else None,
            accept_language=request.headers.get("accept-language"),
        )
        secure = settings.is_production
        forget_session = bool(token and not resolved)

        async def send_with_context(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                cookies = Response()
                if new_visitor:
                    cookies.set_cookie(
                        VISITOR_COOKIE,
                        new_visitor,
                        max_age=YEAR,
                        httponly=True,
                        samesite="lax",
                        secure=secure,
                    )
                if requested:
                    cookies.set_cookie(
                        LANGUAGE_COOKIE, requested, max_age=YEAR, httponly=True, samesite="lax", secure=secure
                    )
                if forget_session and not any(
                    value.startswith(SESSION_COOKIE + "=") for value in headers.getlist("set-cookie")
                ):
                    cookies.delete_cookie(SESSION_COOKIE)
                for name, value in cookies.raw_headers:
                    if name == b"set-cookie":
                        headers.append("set-cookie", value.decode("latin-1"))
                _security_headers(headers, production=secure)
            await send(message)

        await self.app(scope, receive, send_with_context)


def install_request_context(app: FastAPI) -> None:
    app.add_middleware(RequestContextMiddleware)


def _security_headers(headers: MutableHeaders, *, production: bool) -> None:
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
