"""The search page (works without JavaScript; as-you-type updates fetch the results fragment) and its API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from marketplace.core.errors import InvalidInput
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.querystring import page_url, parse_query
from marketplace.core.templating import render
from marketplace.core.validation import field_errors
from marketplace.savedsearches.service import canonical_query, default_name
from marketplace.search.service import SearchParams, SearchTemporarilyUnavailable, search_listings
from search.taxonomy.hs import hs_taxonomy

router = APIRouter()
LIST_PARAMS = ("country", "hs_chapter", "certification")


def _params(request: Request) -> SearchParams:
    return parse_query(request, SearchParams, LIST_PARAMS)


def _url(params: SearchParams, **changes: Any) -> str:
    return page_url("/search", params, **changes)


def _toggle(params: SearchParams, key: str, value: str) -> str:
    current = list(getattr(params, key))
    current = [v for v in current if v != value] if value in current else [*current, value]
    return _url(params, **{key: current})


@router.get("/search")
def search_page(request: Request) -> Response:
    try:
        params = _params(request)
    except ValidationError as exc:
        context = {
            "params": SearchParams(),
            "results": None,
            "errors": field_errors(exc),
            "unavailable": False,
        }
        return render(request, "search/search.html", {**context, **_helpers(SearchParams())}, status_code=422)
    fragment = request.query_params.get("fragment") == "1"
    return render_search(request, params, fragment=fragment)


def render_search(
    request: Request,
    params: SearchParams,
    *,
    fragment: bool = False,
    save_form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The search page (or its results fragment) for valid parameters; `save_form` carries the "Save this
    search" form's input and errors when a save was refused."""
    template = "search/_results.html" if fragment else "search/search.html"
    save = {
        "query": canonical_query(params),
        "default_name": default_name(params, request.state.language),
        "name": "",
        "errors": {},
        "message": None,
        **(save_form or {}),
    }
    try:
        results = search_listings(
            request.app.state.search, params, today=utcnow().date(), language=request.state.language
        )
    except SearchTemporarilyUnavailable:
        context = {
            "params": params,
            "results": None,
            "errors": {},
            "unavailable": True,
            "save": save,
            **_helpers(params),
        }
        return render(request, template, context, status_code=503)
    context = {
        "params": params,
        "results": results,
        "errors": {},
        "unavailable": False,
        "save": save,
        **_helpers(params),
    }
    return render(request, template, context, status_code=status_code)


def _helpers(params: SearchParams) -> dict[str, Any]:
    return {
        "hs": hs_taxonomy(),
        "url_for_search": lambda **changes: _url(params, **changes),
        "toggle": lambda key, value: _toggle(params, key, value),
    }


class SearchHitOut(BaseModel):
    id: int
    kind: str
    title: str
    company_name: str
    country: str
    language: str
    hs_code: str | None
    highlights: dict[str, str]
    url: str


class SearchResultsOut(BaseModel):
    items: list[SearchHitOut]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]]


@router.get("/api/v1/search", response_model=SearchResultsOut, tags=["search"])
def search_api(request: Request) -> Response:
    """Search active listings: q, kind, country (repeatable), hs_chapter, certification, women_led, verified,
    sort (relevance|newest), page, per_page. Highlights are HTML with matched words in <mark>."""
    try:
        params = _params(request)
    except ValidationError as exc:
        raise InvalidInput(N_("Some fields are not valid."), fields=field_errors(exc)) from None
    results = search_listings(
        request.app.state.search, params, today=utcnow().date(), language=request.state.language
    )
    items = [
        SearchHitOut(
            id=hit.id,
            kind=hit.document["kind"],
            title=hit.document["title"],
            company_name=hit.document["company_name"],
            country=hit.document["country"],
            language=hit.document["language"],
            hs_code=hit.document.get("hs_code"),
            highlights=hit.highlights,
            url=f"/listings/{hit.id}",
        )
        for hit in results.hits
    ]
    body = SearchResultsOut(
        items=items, total=results.total, page=results.page, per_page=results.per_page, facets=results.facets
    )
    # Serialised by pydantic-core in one step (no dict of models re-walked by json.dumps).
    return Response(body.model_dump_json(), media_type="application/json")
