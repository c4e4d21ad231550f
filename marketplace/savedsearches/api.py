"""JSON API for the caller's saved searches: list, save, read, rename, delete (another user's: 404)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from marketplace.core.deps import PageDep, RequiredApiUser, SessionDep, check_api_csrf, get_api_user
from marketplace.savedsearches import service
from marketplace.savedsearches.models import SavedSearch
from marketplace.search.service import SearchParams

router = APIRouter(
    prefix="/api/v1",
    tags=["saved searches"],
    dependencies=[Depends(check_api_csrf), Depends(get_api_user)],
)


class SavedSearchIn(SearchParams):
    """The search to save, with the same names as GET /api/v1/search (page and per_page are ignored), and
    an optional name (default: a description of the words and filters)."""

    name: str | None = Field(default=None, max_length=120)


class SavedSearchRename(BaseModel):
    name: str = Field(min_length=1, max_length=120)


class SavedSearchOut(BaseModel):
    id: int
    name: str
    query: str  # the search's query string, e.g. "q=cafe&country=CO"
    params: dict  # the same, as the search parameters that define it
    url: str  # the search page that runs it (shareable, relative to the site)
    api_url: str  # the same search in the JSON API
    created_at: datetime
    last_run_at: datetime | None  # when the alerts last looked for new listings


class SavedSearchPage(BaseModel):
    items: list[SavedSearchOut]
    total: int
    page: int
    per_page: int


def _out(saved: SavedSearch) -> SavedSearchOut:
    params = service.params_of(saved.query)
    suffix = f"?{saved.query}" if saved.query else ""
    return SavedSearchOut(
        id=saved.id,  # type: ignore[arg-type]
        name=saved.name,
        query=saved.query,
        params=params.model_dump(exclude={"page", "per_page"}),
        url=service.search_url(saved.query),
        api_url=f"/api/v1/search{suffix}",
        created_at=saved.created_at,
        last_run_at=saved.last_run_at,
    )


@router.get("/saved-searches", response_model=SavedSearchPage)
def list_saved_searches(session: SessionDep, user: RequiredApiUser, paging: PageDep) -> SavedSearchPage:
    """The caller's saved searches, newest first."""
    result = service.list_saved(session, user, page=paging.page, per_page=paging.per_page)
    return SavedSearchPage(
        items=[_out(item) for item in result.items],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
    )


@router.post("/saved-searches", response_model=SavedSearchOut, status_code=201)
def create_saved_search(
    request: Request, session: SessionDep, user: RequiredApiUser, body: SavedSearchIn
) -> SavedSearchOut:
    """Save a search (at most 50 per user: 409 limit_reached; the same search twice: 422 naming `query`)."""
    params = SearchParams.model_validate(body.model_dump(exclude={"name"}))
    saved = service.save_search(session, user, params=params, name=body.name, language=request.state.language)
    return _out(saved)


@router.get("/saved-searches/{saved_search_id}", response_model=SavedSearchOut)
def get_saved_search(session: SessionDep, user: RequiredApiUser, saved_search_id: int) -> SavedSearchOut:
    """One of the caller's saved searches."""
    return _out(service.get_own(session, user, saved_search_id))


@router.patch("/saved-searches/{saved_search_id}", response_model=SavedSearchOut)
def rename_saved_search(
    session: SessionDep, user: RequiredApiUser, saved_search_id: int, body: SavedSearchRename
) -> SavedSearchOut:
    """Rename one of the caller's saved searches."""
    return _out(service.rename(session, user, saved_search_id, body.name))


@router.delete("/saved-searches/{saved_search_id}", status_code=204)
def delete_saved_search(session: SessionDep, user: RequiredApiUser, saved_search_id: int) -> Response:
    """Delete one of the caller's saved searches (the notices it created stay)."""
    service.delete(session, user, saved_search_id)
    return Response(status_code=204)
