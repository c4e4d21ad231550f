"""Matching in the app: run the library for a published listing, store each pair once, show, dismiss."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.companies.models import Company
from marketplace.core.errors import NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import membership, require_member
from marketplace.listings.models import Listing
from marketplace.listings.sync import MATCH_JOB
from marketplace.matching.models import Match
from marketplace.matching.profiles import active_profiles, is_matchable, match_profile
from marketplace.search.documents import belongs_in_index, listing_document
from search.engine import SearchEngine, SearchUnavailable
from search.matching.retrieval import find_matches, vector_index, vector_item
from search.matching.vectors import VectorStore


def match_listing(
    session: Session, store: VectorStore, listing_id: int, *, today: date, engine: SearchEngine | None = None
) -> list[Match]:
    """Find and store the matches of one listing (idempotent: one row per pair, updated when re-run).

    A listing that is no longer matchable leaves the vector store, so it is proposed to nobody.
    """
    listing = session.get(Listing, listing_id)
    if listing is None or not is_matchable(listing, today):
        store.remove(listing_id)
        store.save_if_due()
        return []
    company = session.get(Company, listing.company_id)
    profile = match_profile(listing, company)  # type: ignore[arg-type]
    pairs = find_matches(
        profile,
        store=store,
        load=lambda ids: active_profiles(session, ids, today=today),
        today=today,
        engine=engine,
        # Meilisearch with an embedder answers the search by meaning itself; else the vector store.
        neighbours=vector_index(engine, store),
    )
    if engine is not None and belongs_in_index(listing, today):
        # The vector travels with the search document (a Meilisearch userProvided embedder can use it).
        vector = store.ensure([vector_item(profile)])[0]
        # Engine down: the vector store keeps the vector; the next match of this listing puts it in the index.
        with contextlib.suppress(SearchUnavailable):
            engine.upsert("listings", [listing_document(listing, company, vector=vector.tolist())])  # type: ignore[arg-type]
    store.save_if_due()
    existing = {
        (m.request_listing_id, m.offer_listing_id): m
        for m in session.execute(
            select(Match).where(
                or_(Match.request_listing_id == listing_id, Match.offer_listing_id == listing_id)
            )
        ).scalars()
    }
    stored = []
    for pair in pairs:
        match = existing.get((pair.request_id, pair.offer_id))
        if match is None:
            match = Match(
                request_listing_id=pair.request_id,
                offer_listing_id=pair.offer_id,
                score=pair.score,
                reasons=pair.reasons,
            )
        else:
            match.score, match.reasons, match.updated_at = pair.score, pair.reasons, utcnow()
        session.add(match)
        stored.append(match)
    session.flush()
    return stored


def queue_rematch_all(session: Session, *, today: date) -> int:
    """Queue a matching job for every matchable listing (after an upgrade, or a lost vector store); returns how many."""
    from marketplace.jobs.service import enqueue

    queued = 0
    for listing in session.execute(select(Listing).where(Listing.status == "published")).scalars():
        if is_matchable(listing, today):
            key = f"match:{listing.id}:v{listing.version}:rematch:{today.isoformat()}"
            if enqueue(
                session,
                MATCH_JOB,
                entity="listing",
                entity_id=listing.id,
                version=listing.version,
                dedupe_key=key,
            ):
                queued += 1
    return queued


@dataclass(frozen=True)
class MatchView:
    """A match as one side sees it: the other listing and its company."""

    match: Match
    other: Listing
    other_company: Company
    side: str  # "buyer" (the viewer's listing is the request) or "seller"

    @property
    def is_new(self) -> bool:
        return (
            self.match.buyer_notified_at if self.side == "buyer" else self.match.seller_notified_at
        ) is None


def _views(session: Session, matches: list[Match], company_ids: set[int]) -> list[MatchView]:
    ids = {m.request_listing_id for m in matches} | {m.offer_listing_id for m in matches}
    listings = (
        {item.id: item for item in session.execute(select(Listing).where(Listing.id.in_(ids))).scalars()}
        if ids
        else {}
    )  # type: ignore[union-attr]
    companies = (
        {
            c.id: c
            for c in session.execute(
                select(Company).where(Company.id.in_({item.company_id for item in listings.values()}))
            ).scalars()
        }
        if listings
        else {}
    )  # type: ignore[union-attr]
    views = []
    today = utcnow().date()
    for m in matches:
        request, offer = listings.get(m.request_listing_id), listings.get(m.offer_listing_id)
        if request is None or offer is None:
            continue
        side = "buyer" if request.company_id in company_ids else "seller"
        other = offer if side == "buyer" else request
        dismissed = m.dismissed_by_buyer if side == "buyer" else m.dismissed_by_seller
        if dismissed or not is_matchable(other, today):
            continue
        views.append(MatchView(m, other, companies[other.company_id], side))
    return views


def matches_for_listing(session: Session, user: User | None, listing_id: int) -> list[MatchView]:
    """A listing's matches, best first, for a member of its company (anyone else: NotFound)."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(N_("Page not found"))
    require_member(session, user, listing.company_id)
    column = Match.request_listing_id if listing.kind == "request" else Match.offer_listing_id
    matches = list(
        session.execute(
            select(Match).where(column == listing_id).order_by(Match.score.desc(), Match.id)
        ).scalars()
    )  # type: ignore[attr-defined]
    return _views(session, matches, {listing.company_id})


def matches_for_company(session: Session, company_id: int, *, limit: int = 20) -> list[MatchView]:
    """The company's matches across its listings, best first ("Matches for you" on the dashboard)."""
    own = select(Listing.id).where(Listing.company_id == company_id)
    matches = list(
        session.execute(
            select(Match)
            .where(or_(Match.request_listing_id.in_(own), Match.offer_listing_id.in_(own)))  # type: ignore[attr-defined]
            .order_by(Match.score.desc(), Match.id)
            .limit(limit * 3)
        ).scalars()
    )
    return _views(session, matches, {company_id})[:limit]


def dismiss_match(session: Session, user: User | None, match_id: int) -> Match:
    """Hide a match from the user's side (buyer or seller); other people's matches answer NotFound."""
    match = session.get(Match, match_id, with_for_update=True)
    if match is None:
        raise NotFound(N_("Page not found"))
    request, offer = (
        session.get(Listing, match.request_listing_id),
        session.get(Listing, match.offer_listing_id),
    )
    if request is not None and membership(session, user, request.company_id) is not None:
        match.dismissed_by_buyer = True
    elif offer is not None and membership(session, user, offer.company_id) is not None:
        match.dismissed_by_seller = True
    else:
        raise NotFound(N_("Page not found"))
    match.updated_at = utcnow()
    session.add(match)
    return match


@dataclass(frozen=True)
class OtherLanguageHit:
    listing: Listing
    company: Company
    similarity: float


def other_language_results(
    session: Session,
    store: VectorStore,
    text: str,
    *,
    language: str,
    exclude: list[int],
    kind: str | None = None,
    engine: SearchEngine | None = None,
) -> list[OtherLanguageHit]:
    """Active listings found only by meaning, in another language than the searcher's ("also in other languages")."""
    from search.matching.crosslang import also_in_other_languages

    today = utcnow().date()

    def languages_of(ids: Iterable[int]) -> dict[int, str]:
        return {i: p.language for i, p in active_profiles(session, ids, today=today).items()}

    found = also_in_other_languages(
        vector_index(engine, store),
        store.encoder,
        text,
        language=language,
        languages_of=languages_of,
        exclude=exclude,
        kind=kind,
    )
    hits = []
    for listing_id, similarity in found:
        listing = session.get(Listing, listing_id)
        if listing is not None:
            hits.append(OtherLanguageHit(listing, session.get(Company, listing.company_id), similarity))  # type: ignore[arg-type]
    return hits
