"""FastAPI dependencies shared by every route: settings and the request's database session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlmodel import Session

from marketplace.core.db import session_scope
from marketplace.core.settings import Settings


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed when the route succeeds, rolled back when it raises."""
    with session_scope(request.app.state.engine) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
SessionDep = Annotated[Session, Depends(get_session)]

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
