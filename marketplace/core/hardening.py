"""Portal-wide protections installed once on the app (see the issue "security hardening"):

- request body size limits on every route that takes a body, checked from Content-Length before anything is
  read and counted while streaming (chunked bodies), with larger allowances for the upload routes only;
- session idle and absolute timeouts, enforced before the session is resolved;
- the old session ended server-side when a browser signs in again (no session fixation);
- rate limits on the password-checking account actions that lacked them;
- extra response headers (Permissions-Policy, COOP, CORP) and `Cache-Control: no-store` on pages for a
  signed-in user;
- secrets kept out of logs (see core/redaction.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta

from fastapi import FastAPI, Request, Response
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketplace.accounts.models import UserSession
from marketplace.accounts.sessions import SESSION_COOKIE
from marketplace.core.db import run_in_transaction
from marketplace.core.errors import DomainError
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.ratelimit import hit
from marketplace.core.redaction import install_log_redaction
from marketplace.core.security import token_hash
from marketplace.core.templating import render
from marketplace.media.forms import MAX_REQUEST_BYTES as UPLOAD_LIMIT

# --- Body size ----------------------------------------------------------------------------------------------------

MiB = 1024 * 1024
DEFAULT_BODY_LIMIT = 1 * MiB  # forms and JSON
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# (path pattern, limit in bytes): the routes that take files. Everything else gets DEFAULT_BODY_LIMIT.
BODY_LIMITS: list[tuple[re.Pattern[str], int]] = [
    # The media routes check their own limit (and answer with their own error); this is the backstop.
    (re.compile(r"^(/api/v1)?/listings/\d+/media$"), UPLOAD_LIMIT),
    (re.compile(r"^/companies/\d+/import$"), 6 * MiB),  # a 5 MB listings file and the form around it
]
TOO_LARGE = N_("This request is too large.")


def body_limit_for(path: str) -> int:
    for pattern, limit in BODY_LIMITS:
        if pattern.match(path):
            return limit
    return DEFAULT_BODY_LIMIT


async def _plain_error(scope: Scope, send: Send, status: int, message: str) -> None:
    if scope.get("path", "").startswith("/api/"):
        code = "too_large" if status == 413 else "bad_request"
        body = json.dumps({"error": {"code": code, "message": message, "fields": {}}}).encode()
        content_type = b"application/json"
    else:
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{message}</p>".encode()
        content_type = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Refuse bodies over the route's limit with 413, before the app reads them (or as soon as a streamed
    body passes it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _plain_error(scope, send, 400, "Bad Content-Length.")
                return
            if int(declared) > limit:
                await _plain_error(scope, send, 413, TOO_LARGE)
                return
        received = 0
        exceeded = False
        forwarded = False

        async def counted_receive() -> Message:
            # Past the limit, the app is told the client went away; its answer is replaced by our 413.
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal forwarded
            if exceeded and not forwarded:
                return
            forwarded = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not exceeded or forwarded:
                raise
        if exceeded and not forwarded:
            await _plain_error(scope, send, 413, TOO_LARGE)


# --- Sessions -----------------------------------------------------------------------------------------------------

IDLE_TIMEOUT = timedelta(days=7)  # a session unused this long ends
ABSOLUTE_TIMEOUT = timedelta(days=30)  # and every session ends this long after sign-in, used or not


def expire_if_stale(engine: Engine, token: str) -> bool:
    """End the cookie's session when it is past the idle or absolute timeout; True when it was ended."""
    digest = token_hash(token)
    with Session(engine.execution_options(sqlite_begin="NONE")) as session:  # a lock-free look first
        row = session.execute(
            select(UserSession.id, UserSession.created_at, UserSession.last_seen_at).where(
                UserSession.token_hash == digest
            )
        ).first()
    if row is None:
        return False
    now = utcnow()
    if now - row.created_at <= ABSOLUTE_TIMEOUT and now - row.last_seen_at <= IDLE_TIMEOUT:
        return False
    run_in_transaction(engine, lambda s: s.execute(delete(UserSession).where(UserSession.id == row.id)))
    return True


class SessionGuardMiddleware:
    """Runs before the request context resolves the session cookie, so a stale session is never used; and
    after the whole response (when the route's unit of work is over), ends the session the browser had
    before when the response signed it in anew (no session fixation, no forgotten second session)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        engine = scope["app"].state.engine
        token = Request(scope).cookies.get(SESSION_COOKIE)
        if token and len(token) > 128:
            token = None
        if token:
            await run_in_threadpool(expire_if_stale, engine, token)
        new_token: str | None = None

        async def watching_send(message: Message) -> None:
            nonlocal new_token
            if message["type"] == "http.response.start":
                new_token = _new_session_token(message.get("headers", []))
            await send(message)

        await self.app(scope, receive, watching_send if token else send)
        if token and new_token and new_token != token:
            await run_in_threadpool(_end_session_by_token, engine, token)


def _new_session_token(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name.lower() == b"set-cookie" and value.startswith(SESSION_COOKIE.encode() + b"="):
            token = value.split(b";", 1)[0].split(b"=", 1)[1].decode()
            return token.strip('"') or None
    return None


def _end_session_by_token(engine: Engine, token: str) -> None:
    run_in_transaction(
        engine, lambda s: s.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))
    )


# --- Rate limits the account actions lacked -----------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    pattern: re.Pattern[str]
    limit: int
    window: timedelta
    name: str


TOO_MANY = N_("Too many attempts. Wait a while and try again.")
ACTION_LIMITS = (
    # A stolen session must not be able to guess the password it needs for these.
    Limit(re.compile(r"^/account/password$"), 10, timedelta(minutes=15), "password-change"),
    Limit(re.compile(r"^/account/delete$"), 10, timedelta(minutes=15), "account-delete"),
    Limit(re.compile(r"^/account/tokens$"), 20, timedelta(hours=1), "token-create"),
    # Reset links are long random tokens, but trying them costs us a password hash each.
    Limit(re.compile(r"^/password/reset$"), 20, timedelta(hours=1), "password-reset"),
    Limit(re.compile(r"^/invitations/accept$"), 30, timedelta(hours=1), "invitation-accept"),
)


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _check_action_limits(request: Request) -> None:
    for rule in ACTION_LIMITS:
        if rule.pattern.match(request.url.path):
            user = getattr(request.state, "user", None)
            who = f"user:{user.id}" if user is not None else f"ip:{_client_ip(request)}"
            hit(
                request.app.state.engine,
                f"{rule.name}:{who}",
                limit=rule.limit,
                window=rule.window,
                message=TOO_MANY,
            )


# --- Headers ------------------------------------------------------------------------------------------------------

EXTRA_HEADERS = {
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _allow_provider_forms(request: Request, headers: MutableHeaders) -> None:
    """The "Sign in with …" forms are answered with a redirect to the provider, which the CSP's form-action
    must allow (browsers check the whole redirect chain of a form submission)."""
    settings = request.app.state.settings
    if not settings.oidc_providers or "content-security-policy" in headers:
        return
    from marketplace.accounts.oidc import form_action_sources
    from marketplace.core.context import _security_headers

    base = MutableHeaders()
    _security_headers(base, production=settings.is_production)
    policy = base["content-security-policy"]
    sources = " ".join(form_action_sources(settings))
    headers["Content-Security-Policy"] = policy.replace("form-action 'self'", f"form-action 'self' {sources}")


class ResponseHardeningMiddleware:
    """Runs after the request context (knows the user and the language): the action rate limits before the
    route, the extra headers on the response's start message. Pure ASGI, like the request context."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if request.method == "POST":
            try:
                await run_in_threadpool(_check_action_limits, request)
            except DomainError as exc:
                if request.url.path.startswith("/api/"):
                    from fastapi.responses import JSONResponse

                    from marketplace.core.errors import error_body

                    refusal: Response = JSONResponse(
                        error_body(exc.code, exc.message), status_code=exc.status_code
                    )
                else:
                    refusal = render(
                        request, "error.html", {"status_code": 429, "message": exc.message}, status_code=429
                    )
                await self._send_hardened(request, refusal, scope, receive, send)
                return
        await self.app(scope, receive, self._hardening_send(request, send))

    async def _send_hardened(
        self, request: Request, response: Response, scope: Scope, receive: Receive, send: Send
    ) -> None:
        await response(scope, receive, self._hardening_send(request, send))

    @staticmethod
    def _hardening_send(request: Request, send: Send) -> Send:
        async def hardening_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                new_token = _new_session_token(message.get("headers", []))
                _allow_provider_forms(request, headers)
                for name, value in EXTRA_HEADERS.items():
                    headers.setdefault(name, value)
                if getattr(request.state, "user", None) is not None or new_token:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        return hardening_send


def install_hardening(app: FastAPI) -> None:
    """Call after the request context middleware is installed (it must sit between these)."""
    # Innermost (appended): runs after the request context. Outermost (inserted first): before it.
    app.user_middleware.append(Middleware(ResponseHardeningMiddleware))
    app.user_middleware.insert(0, Middleware(SessionGuardMiddleware))
    app.user_middleware.insert(0, Middleware(BodyLimitMiddleware))
    install_log_redaction()
