"""Saved searches: save, list, rename and delete a user's searches, and find the listings new to each.

A saved search keeps the canonical query string of validated `SearchParams`, so its "run" link is the
shareable search URL and the alerts job searches with exactly what the user saw. The job asks the engine
only for listings published since the search's `checked_up_to`, and moves that mark in the same
transaction as the notices it creates: a failed run (engine down) changes nothing and is retried, and a
notice is unique per search and listing, so an overlap between runs tells no one twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.core.errors import DomainError, InvalidInput, NotFound
from marketplace.core.i18n import N_, gettext_for
from marketplace.core.models import utcnow
from marketplace.core.querystring import page_url
from marketplace.core.validation import field_errors
from marketplace.jobs.models import Job
from marketplace.listings.models import Listing
from marketplace.listings.sync import SYNC_JOB
from marketplace.notifications.service import notify_saved_search_hit
from marketplace.savedsearches.models import SavedSearch
from marketplace.search.service import SearchParams, listing_filter
from search.engine import SearchEngine, SearchQuery

log = logging.getLogger(__name__)

MAX_PER_USER = 50
NAME_LENGTH = 120
# A listing committed a moment after its published_at was taken is not visible yet to a run at that
# moment: the mark stays this far behind the clock and behind the oldest listing change the index has not
# taken yet (an overlap costs nothing: notices are unique per search and listing).
SETTLE = timedelta(minutes=1)
PAGE = 100  # hits fetched per engine call by the alerts job
# Then the run ends its transaction (1-2 s on SQLite, measured) and queues the next one.
MAX_NOTICES_PER_RUN = 300
LIST_PARAMS = ("country", "hs_chapter", "certification")  # SearchParams' repeatable keys


class SavedSearchLimitReached(DomainError):
    status_code = 409
    code = "limit_reached"


# --- The search a user saves --------------------------------------------------------------------------------


def canonical_query(params: SearchParams) -> str:
    """The query string of the parameters that define a search (not its page or page size)."""
    url = page_url("/search", params, per_page=None)
    return url.partition("?")[2]


def params_of(query: str) -> SearchParams:
    """Validate a stored or submitted query string (ValidationError when a value is not acceptable)."""
    raw: dict[str, object] = {}
    for key, value in parse_qsl(query.lstrip("?"), keep_blank_values=False):
        if key in LIST_PARAMS:
            raw.setdefault(key, []).append(value)  # type: ignore[union-attr]
        elif key in SearchParams.model_fields and key not in ("page", "per_page"):
            raw[key] = value
    return SearchParams.model_validate(raw)


def search_url(query: str) -> str:
    """The search page that runs the saved search (shareable: it needs no account)."""
    return f"/search?{query}" if query else "/search"


def default_name(params: SearchParams, language: str) -> str:
    """A description of the words and filters, e.g. `“café” · Offers · CO, PE · HS 09 · organic`."""

    def t(message: str) -> str:
        return gettext_for(language, message)

    parts = []
    if params.q:
        parts.append(f"“{params.q}”")
    if params.kind:
        parts.append(t(N_("Offers")) if params.kind == "offer" else t(N_("Buy requests")))
    if params.country:
        parts.append(", ".join(params.country))
    if params.hs_chapter:
        parts.append("HS " + ", ".join(params.hs_chapter))
    if params.certification:
        parts.append(", ".join(c.replace("_", " ") for c in params.certification))
    if params.women_led:
        parts.append(t(N_("Women-led")))
    if params.verified:
        parts.append(t(N_("Verified by a centre")))
    name = " · ".join(parts) or t(N_("All listings"))
    return name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1] + "…"


def _clean_name(name: str | None) -> str:
    cleaned = " ".join((name or "").split())
    if len(cleaned) > NAME_LENGTH:
        message = N_("Use at most 120 characters for the name.")
        raise InvalidInput(message, fields={"name": message})
    return cleaned


def save_search(
    session: Session, user: User, *, params: SearchParams | str, name: str | None, language: str
) -> SavedSearch:
    """Save the user's search (`params` validated, or a query string to validate); the name defaults to a
    description of its filters. InvalidInput names the field; SavedSearchLimitReached past MAX_PER_USER."""
    if isinstance(params, str):
        try:
            params = params_of(params)
        except ValidationError as exc:
            fields = field_errors(exc)
            raise InvalidInput(N_("Some search options are not valid."), fields=fields) from None
    cleaned = _clean_name(name) or default_name(params, language)
    query = canonical_query(params)
    # The user's row, locked: two saves at once cannot both pass the limit (SQLite: one writer anyway).
    session.execute(select(User.id).where(User.id == user.id).with_for_update())
    owned = list(session.execute(select(SavedSearch.query).where(SavedSearch.user_id == user.id)).scalars())
    if query in owned:
        message = N_("You have already saved this search.")
        raise InvalidInput(message, fields={"query": message})
    if len(owned) >= MAX_PER_USER:
        raise SavedSearchLimitReached(
            N_("You can keep at most 50 saved searches. Delete one you no longer need, then save this one.")
        )
    saved = SavedSearch(user_id=user.id, name=cleaned, query=query)  # type: ignore[arg-type]
    saved.checked_up_to = saved.created_at  # listings published before the save are not news
    session.add(saved)
    session.flush()
    return saved


@dataclass
class SavedSearchPage:
    items: list[SavedSearch]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_saved(session: Session, user: User, *, page: int, per_page: int) -> SavedSearchPage:
    """The user's saved searches, newest first, one page of them."""
    mine = SavedSearch.user_id == user.id
    total = session.execute(select(func.count()).select_from(SavedSearch).where(mine)).scalar_one()
    items = list(
        session.execute(
            select(SavedSearch)
            .where(mine)
            .order_by(SavedSearch.id.desc())  # type: ignore[union-attr]
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).scalars()
    )
    return SavedSearchPage(items, total, page, per_page)


def get_own(session: Session, user: User, saved_search_id: int) -> SavedSearch:
    """One of the user's saved searches; another user's answers 404, as if it did not exist."""
    found = session.get(SavedSearch, saved_search_id)
    if found is None or found.user_id != user.id:
        raise NotFound(N_("Page not found"))
    return found


def rename(session: Session, user: User, saved_search_id: int, name: str | None) -> SavedSearch:
    """Give one of the user's saved searches a new name (not empty)."""
    found = get_own(session, user, saved_search_id)
    cleaned = _clean_name(name)
    if not cleaned:
        message = N_("Give the search a name.")
        raise InvalidInput(message, fields={"name": message})
    found.name = cleaned
    session.add(found)
    session.flush()
    return found


def delete(session: Session, user: User, saved_search_id: int) -> None:
    """Delete one of the user's saved searches (the notices it created stay)."""
    session.delete(get_own(session, user, saved_search_id))
    session.flush()


# --- Finding new listings -----------------------------------------------------------------------------------


def horizon(session: Session, now: datetime) -> datetime:
    """How far the index is known to be complete: a little before now, and before the oldest listing
    change still waiting for the index (its listing may be published but not searchable yet)."""
    waiting = session.execute(
        select(func.min(Job.created_at)).where(
            Job.kind == SYNC_JOB,
            Job.status.in_(("pending", "running")),  # type: ignore[attr-defined]
        )
    ).scalar_one()
    # A listing's published_at is taken a moment before its sync job is queued, in the same transaction.
    return (min(now, waiting) if waiting is not None else now) - SETTLE


def _company_ids(session: Session, user_id: int) -> set[int]:
    return set(session.execute(select(Membership.company_id).where(Membership.user_id == user_id)).scalars())


def new_listing_ids(
    session: Session, engine: SearchEngine, saved: SavedSearch, params: SearchParams, *, now: datetime
) -> list[int]:
    """Published listings of others found by the search since its mark (SearchUnavailable propagates)."""
    own = _company_ids(session, saved.user_id)
    extra: dict[str, object] = {"published_since": saved.checked_up_to}
    if len(own) == 1:
        extra["exclude_company_id"] = next(iter(own))
    filters = listing_filter(params, today=now.date(), **extra)
    found: list[int] = []
    page = 1
    while True:
        query = SearchQuery(
            text=params.q, filters=filters, sort="newest", page=page, per_page=PAGE, highlight=False
        )
        results = engine.search("listings", query)
        found += results.ids
        if not results.hits or page * PAGE >= results.total:
            break
        page += 1
    if not found:
        return []
    # The database is the source of truth: still published, not hidden, not the user's own company's.
    rows = session.execute(
        select(Listing.id, Listing.company_id).where(
            Listing.id.in_(found),  # type: ignore[union-attr]
            Listing.status == "published",
            Listing.hidden.is_(False),  # type: ignore[attr-defined]
        )
    ).all()
    keep = {listing_id for listing_id, company_id in rows if company_id not in own}
    return sorted(keep)


def _notify_new_listings(session: Session, engine: SearchEngine, saved: SavedSearch, *, now: datetime) -> int:
    try:
        params = params_of(saved.query)
    except ValidationError:
        # Stored under older rules that have since tightened: nothing to search; the user still sees it.
        log.warning("saved search %s has parameters no longer valid; skipped", saved.id)
        return 0
    created = 0
    for listing_id in new_listing_ids(session, engine, saved, params, now=now):
        notice = notify_saved_search_hit(
            session,
            user_id=saved.user_id,
            saved_search_id=saved.id,  # type: ignore[arg-type]
            listing_id=listing_id,
        )
        created += notice is not None
    return created


@dataclass(frozen=True)
class CheckRun:
    notices: int  # created by this run
    searches: int  # whose mark moved
    more: bool  # stopped at the run's budget: searches are left for another run


def check_saved_searches(
    session: Session,
    engine: SearchEngine,
    *,
    now: datetime | None = None,
    max_notices: int | None = None,
) -> CheckRun:
    """Notify each active user of the listings new to each of their saved searches.

    Everything happens in the caller's transaction: if the engine fails, nothing is kept and the job is
    retried from the same marks. Past `max_notices` the run stops between two searches (on SQLite its
    transaction holds the one write lock); the searches left, the least recently checked first next time,
    keep their marks."""
    moment = now or utcnow()
    budget = MAX_NOTICES_PER_RUN if max_notices is None else max_notices
    mark = horizon(session, moment)
    searches = list(
        session.execute(
            select(SavedSearch, User.is_active)
            .join(User, User.id == SavedSearch.user_id)
            .where(SavedSearch.checked_up_to < mark)
            .order_by(SavedSearch.checked_up_to, SavedSearch.id)
            .with_for_update(of=SavedSearch)
        ).all()
    )
    created = done = 0
    for saved, active in searches:
        if created >= budget:
            break
        # A deactivated account is told nothing, and its mark still moves: no backlog if it comes back.
        if active:
            created += _notify_new_listings(session, engine, saved, now=moment)
        saved.checked_up_to = mark
        saved.last_run_at = moment
        session.add(saved)
        done += 1
    session.flush()
    return CheckRun(notices=created, searches=done, more=done < len(searches))
