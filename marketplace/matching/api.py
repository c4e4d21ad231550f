"""JSON API for matches: a listing's ranked matches with score and reasons, and dismissing one."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from marketplace.core.deps import ApiUser, RequiredApiUser, SessionDep, check_api_csrf, get_api_user
from marketplace.matching import service
from marketplace.matching.reasons import render_reason

router = APIRouter(
    prefix="/api/v1", tags=["matching"], dependencies=[Depends(check_api_csrf), Depends(get_api_user)]
)


class ReasonOut(BaseModel):
    code: str
    params: dict
    text: str  # in the caller's language


class MatchOut(BaseModel):
    id: int
    score: float
    listing_id: int  # the other side's listing
    kind: str
    title: str
    language: str
    company_name: str
    country: str
    url: str
    reasons: list[ReasonOut]
    new: bool


class MatchList(BaseModel):
    items: list[MatchOut]
    total: int


def match_out(view: service.MatchView, language: str) -> MatchOut:
    return MatchOut(
        id=view.match.id,  # type: ignore[arg-type]
        score=view.match.score,
        listing_id=view.other.id,  # type: ignore[arg-type]
        kind=view.other.kind,
        title=view.other.title,
        language=view.other.language,
        company_name=view.other_company.name,
        country=view.other_company.country,
        url=f"/listings/{view.other.id}",
        reasons=[
            ReasonOut(code=r.get("code", ""), params=r.get("params") or {}, text=render_reason(r, language))
            for r in view.match.reasons
        ],
        new=view.is_new,
    )


@router.get("/listings/{listing_id}/matches", response_model=MatchList)
def listing_matches(request: Request, session: SessionDep, user: ApiUser, listing_id: int) -> MatchList:
    """A listing's matches, best first: the other listing, its score and the reasons (codes, parameters and
    text in the caller's language). Only the listing's company sees them; anyone else gets 404."""
    views = service.matches_for_listing(session, user, listing_id)
    return MatchList(items=[match_out(v, request.state.language) for v in views], total=len(views))


@router.post("/matches/{match_id}/dismiss", status_code=204)
def dismiss(session: SessionDep, user: RequiredApiUser, match_id: int) -> None:
    """Hide a match from the caller's side (the other side still sees it); signed out, 401 like any write."""
    service.dismiss_match(session, user, match_id)
