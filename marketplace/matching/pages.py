"""Match pages: the partial shown on listing pages and the dashboard, and the dismiss button's route."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from marketplace.core.deps import RequiredUser, SessionDep, check_csrf
from marketplace.core.permissions import membership
from marketplace.core.templating import render
from marketplace.matching import service
from marketplace.matching.reasons import render_reason

router = APIRouter(dependencies=[Depends(check_csrf)])


@router.post("/matches/{match_id}/dismiss")
async def dismiss(request: Request, session: SessionDep, user: RequiredUser, match_id: int) -> Response:
    service.dismiss_match(session, user, match_id)
    back = (await request.form()).get("next", "/dashboard")
    target = (
        back if isinstance(back, str) and back.startswith("/") and not back.startswith("//") else "/dashboard"
    )
    return RedirectResponse(target, status_code=303)


def _read_session(request: Request) -> Session:
    # A read-only session beside the request's own: on SQLite it must not ask for the write lock, which the
    # page's unit of work may already hold (e.g. it has just counted a view).
    return Session(request.app.state.engine.execution_options(sqlite_begin="NONE"))


def _listing_matches(context_request: Request, listing: Any) -> list[service.MatchView]:
    """Matches for the listing page partial: only its own company's members see them."""
    user = getattr(context_request.state, "user", None)
    with _read_session(context_request) as session:
        if membership(session, user, listing.company_id) is None:
            return []
        return service.matches_for_listing(session, user, listing.id)


def _company_matches(context_request: Request, company: Any) -> list[service.MatchView]:
    with _read_session(context_request) as session:
        if membership(session, getattr(context_request.state, "user", None), company.id) is None:
            return []
        return service.matches_for_company(session, company.id)


def _other_languages(
    context_request: Request, text: str, exclude: list[int], kind: str | None = None
) -> list:
    """For templates/matching/_also_in_other_languages.html, included beside the search results."""
    from marketplace.matching.jobs import vector_store

    if not text or not text.strip():
        return []
    store = vector_store(context_request.app.state.settings)
    with _read_session(context_request) as session:
        return service.other_language_results(
            session,
            store,
            text,
            language=context_request.state.language,
            exclude=list(exclude),
            kind=kind,
            engine=context_request.app.state.search,
        )


@router.get("/search/other-languages")
def other_languages_fragment(request: Request, q: str = "", kind: str | None = None) -> Response:
    """The "also in other languages" block on its own (for a page that fetches it after the main results)."""
    query = q.strip()[:200]
    hits = _other_languages(request, query, [], kind if kind in ("offer", "request") else None)
    return render(
        request, "matching/_also_in_other_languages.html", {"other_language_hits": hits, "q": query}
    )


def install_match_templates(app: FastAPI) -> None:
    """Let templates/matching/_matches.html fetch the matches of the page it is included in."""
    env = app.state.templates.env
    env.globals["listing_matches"] = _listing_matches
    env.globals["company_matches"] = _company_matches
    env.globals["match_reason"] = render_reason
    env.globals["other_language_results"] = _other_languages
