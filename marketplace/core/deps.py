"""FastAPI dependencies shared by every route: settings, the database session, the user, CSRF, paging."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.core.db import session_scope
from marketplace.core.errors import DomainError
from marketplace.core.i18n import N_
from marketplace.core.permissions import require_user
from marketplace.core.security import csrf_token_valid
from marketplace.core.settings import Settings

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_session(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed when the route succeeds, rolled back when it raises.

    On SQLite, GET requests read without taking the write lock (WAL readers never wait for writers, so a
    busy jobs loop cannot starve pages); a GET route that must write asks for WriteSessionDep instead.
    """
    engine = request.app.state.engine
    if request.method in READ_METHODS:
        engine = engine.execution_options(sqlite_begin="DEFERRED")
    with session_scope(engine) as session:
        yield session


def get_write_session(request: Request) -> Iterator[Session]:
    """A unit of work that takes the write lock at its start, whatever the method (e.g. an OIDC callback)."""
    with session_scope(request.app.state.engine) as session:
        yield session


def get_current_user(request: Request, session: Annotated[Session, Depends(get_session)]) -> User | None:
    """The signed-in user (attached to this request's session without a query), or None for a visitor.

    No query here: the request's transaction starts at the route's first statement, so a route may still
    record a rate-limit hit in its own transaction first.
    """
    user = getattr(request.state, "user", None)
    return session.merge(user, load=False) if user is not None else None


def get_api_user(request: Request, session: Annotated[Session, Depends(get_session)]) -> User | None:
    """The API caller: a personal token (Authorization: Bearer pte_…) or the browser's session cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        from marketplace.accounts.tokens import record_token_use, user_for_token

        raw = header[7:].strip()
        user = user_for_token(session, raw)
        if user is None:
            raise NotAuthenticatedApi(N_("This API token is not valid or has been revoked."))
        if request.method in UNSAFE_METHODS:
            record_token_use(session, raw)  # this request's unit of work writes anyway
        else:
            # A read must not turn into a write through its credentials: on SQLite that write would wait
            # on the write lock of a GET route's own WriteSessionDep unit, held until after it. Its own
            # short unit, now, before the route's unit begins.
            with session_scope(request.app.state.engine) as touch:
                record_token_use(touch, raw)
        request.state.api_token = True
        return user
    return get_current_user(request, session)


def get_required_api_user(user: Annotated[User | None, Depends(get_api_user)]) -> User:
    return require_user(user)


class NotAuthenticatedApi(DomainError):
    status_code = 401
    code = "not_authenticated"


async def check_api_csrf(request: Request) -> None:
    """Token calls need no CSRF token; calls riding on the session cookie need the X-CSRF-Token header."""
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return
    await check_csrf(request)


def get_required_user(user: Annotated[User | None, Depends(get_current_user)]) -> User:
    return require_user(user)


class CsrfFailed(DomainError):
    status_code = 403
    code = "csrf"


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request whose form token (or X-CSRF-Token header) is not this visitor's."""
    if request.method not in UNSAFE_METHODS:
        return
    submitted = request.headers.get("x-csrf-token")
    if submitted is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        submitted = (await request.form()).get("csrf_token")  # type: ignore[assignment]
    visitor = getattr(request.state, "csrf_visitor", None)
    if not csrf_token_valid(request.app.state.settings.secret_key, visitor, submitted):
        raise CsrfFailed(N_("This form has expired. Reload the page and try again."))


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
WriteSessionDep = Annotated[Session, Depends(get_write_session)]
CurrentUser = Annotated[User | None, Depends(get_current_user)]
RequiredUser = Annotated[User, Depends(get_required_user)]
ApiUser = Annotated[User | None, Depends(get_api_user)]
RequiredApiUser = Annotated[User, Depends(get_required_api_user)]

MAX_PER_PAGE = 100


class PageParams:
    """`page` and `per_page` (at most 100) of a list endpoint or page."""

    def __init__(
        self,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
    ) -> None:
        self.page = page
        self.per_page = per_page


PageDep = Annotated[PageParams, Depends()]
