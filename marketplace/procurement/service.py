"""Procurement notices for pages and the API: their state (open or closed), search with facets, one notice.

Words are searched in the "notices" index (typos, accents, stemming); the database then applies the filters
and counts the facets the index does not have (buyer, classification, closing within N days). When the
index is down, words are matched in the database instead and the page says search is degraded.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import String, and_, case, cast, false, func, literal, not_, or_, select
from sqlmodel import Session

from marketplace.core.codes import country_code
from marketplace.core.errors import NotFound
from marketplace.core.i18n import N_, NP_
from marketplace.procurement.models import ProcurementNotice
from search.engine import SearchEngine, SearchError, SearchQuery
from search.filters import NoticeFilter
from search.taxonomy.unspsc_classes import unspsc_title

MAX_TEXT_HITS = 1000  # words matched in the index: the best 1000 are filtered and counted
CANCELLED = ("cancelled", "unsuccessful", "withdrawn")
PLANNED = ("planned", "planning")
STATES = ("open", "planned", "closed", "cancelled", "unknown")
STATE_LABELS = {  # a tender's state: one notice, its own gender in es/pt/fr (listings' labels are plural)
    "open": NP_("tender state", "Open"),
    "planned": NP_("tender state", "Planned"),
    "closed": NP_("tender state", "Closed"),
    "cancelled": NP_("tender state", "Cancelled"),
    "unknown": N_("Status not published"),
}
_CLASSIFICATION = re.compile(r"^[a-z0-9-]{1,24}(:\d{2})?$")


def notice_state(notice: ProcurementNotice, now: datetime) -> str:
    """open | planned | closed | cancelled | unknown, from the tender status and the deadline (never guessed)."""
    status = (notice.status or "").lower()
    if status in CANCELLED:
        return "cancelled"
    if status == "complete":
        return "closed"
    if notice.tender_end is not None:
        if notice.tender_end < now:
            return "closed"
        return "planned" if status in PLANNED else "open"
    if status in PLANNED:
        return "planned"
    if status == "active":
        return "open"
    return "unknown"


def state_expression(now: datetime) -> Any:
    """`notice_state` as an SQL expression."""
    status = func.lower(func.coalesce(ProcurementNotice.status, ""))
    end = ProcurementNotice.tender_end
    return case(
        (status.in_(CANCELLED), literal("cancelled")),
        (status == "complete", literal("closed")),
        (and_(end.is_not(None), end < now), literal("closed")),  # type: ignore[union-attr,operator]
        (status.in_(PLANNED), literal("planned")),
        (end.is_not(None), literal("open")),  # type: ignore[union-attr]
        (status == "active", literal("open")),
        else_=literal("unknown"),
    )


def classification_facet_value(code: str) -> str:
    """The facet a classification counts under: its UNSPSC segment ("unspsc:43"), else its scheme ("cpc")."""
    scheme, _, value = code.partition(":")
    if scheme == "unspsc" and len(value) >= 2:
        return f"unspsc:{value[:2]}"
    return scheme


def classification_label(value: str, language: str = "en") -> str:
    """A facet value as people read it: the UNSPSC segment's title, or the scheme's name."""
    scheme, _, segment = value.partition(":")
    if scheme == "unspsc" and segment:
        title = unspsc_title(segment + "000000")
        return f"{segment} · {title.title(language)}" if title else f"UNSPSC {segment}"
    return {"cpc": "CPC", "cpv": "CPV", "local": N_("Publisher's own codes")}.get(scheme, scheme.upper())


class NoticeSearchParams(BaseModel):
    """What a visitor may ask of procurement search; anything else is refused before a query is built."""

    model_config = ConfigDict(str_strip_whitespace=True)

    q: str = Field(default="", max_length=200)
    country: list[str] = Field(default_factory=list, max_length=20)
    buyer: list[str] = Field(default_factory=list, max_length=10)
    status: list[Literal["open", "planned", "closed", "cancelled", "unknown"]] = Field(default_factory=list)
    closing_within: int | None = Field(default=None, ge=1, le=365)
    classification: list[str] = Field(default_factory=list, max_length=10)
    sme: bool | None = None
    sort: Literal["deadline", "newest", "relevance"] = "deadline"
    page: int = Field(default=1, ge=1, le=1000)
    per_page: int = Field(default=20, ge=1, le=100)

    @field_validator("country")
    @classmethod
    def _countries(cls, values: list[str]) -> list[str]:
        return [country_code(value) for value in values if value]

    @field_validator("buyer")
    @classmethod
    def _buyers(cls, values: list[str]) -> list[str]:
        return [value[:300] for value in values if value]

    @field_validator("classification")
    @classmethod
    def _classifications(cls, values: list[str]) -> list[str]:
        for value in values:
            if not _CLASSIFICATION.match(value):
                raise ValueError("a classification is a scheme such as cpc, or unspsc:NN (a segment)")
        return values


@dataclass
class NoticeSearchResult:
    notices: list[ProcurementNotice]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, int]]]
    highlights: dict[int, dict[str, str]] = field(default_factory=dict)
    degraded: bool = False  # the index was down: words matched in the database, without typo tolerance


def get_notice(session: Session, notice_id: int) -> ProcurementNotice:
    """One notice (all are public), or NotFound."""
    notice = session.get(ProcurementNotice, notice_id)
    if notice is None:
        raise NotFound(N_("This procurement notice does not exist."))
    return notice


def _text_ids(engine: SearchEngine, params: NoticeSearchParams, language: str) -> tuple[list[int], dict]:
    ids: list[int] = []
    highlights: dict[int, dict[str, str]] = {}
    filters = NoticeFilter(countries=tuple(params.country))
    page = 1
    while len(ids) < MAX_TEXT_HITS:
        results = engine.search(
            "notices",
            SearchQuery(
                text=params.q, filters=filters, page=page, per_page=100, highlight=True, language=language
            ),
        )
        for hit in results.hits:
            ids.append(hit.id)
            highlights[hit.id] = hit.highlights
        if page * 100 >= results.total or not results.hits:
            break
        page += 1
    return ids, highlights


def _conditions(params: NoticeSearchParams, now: datetime, *, skip: str | None = None) -> list[Any]:
    state = state_expression(now)
    conditions: list[Any] = []
    if params.country and skip != "country":
        conditions.append(ProcurementNotice.country.in_(params.country))  # type: ignore[union-attr]
    if params.buyer and skip != "buyer":
        conditions.append(ProcurementNotice.buyer_name.in_(params.buyer))  # type: ignore[union-attr]
    if params.status and skip != "status":
        conditions.append(state.in_(params.status))
    if params.closing_within is not None and skip != "closing":
        end = ProcurementNotice.tender_end
        conditions.append(state == "open")
        conditions.append(end <= now + timedelta(days=params.closing_within))  # type: ignore[operator]
    if params.classification and skip != "classification":
        text = cast(ProcurementNotice.classifications, String)
        # Values are checked against _CLASSIFICATION (no LIKE wildcards); JSON text holds '"scheme:code"'.
        conditions.append(or_(*(text.like(f'%"{value}%') for value in params.classification)))
    if params.sme is not None and skip != "sme":
        conditions.append(
            ProcurementNotice.sme_suitable.is_(True)
            if params.sme
            # type: ignore[union-attr]
            else ProcurementNotice.sme_suitable.is_not(True)
        )  # type: ignore[union-attr]
    return conditions


def _like_words(q: str) -> list[Any]:
    words = [w for w in q.lower().split() if w][:8]
    haystack = func.lower(
        func.coalesce(ProcurementNotice.title, "")
        + " "
        + func.coalesce(ProcurementNotice.description, "")
        + " "
        + func.coalesce(ProcurementNotice.buyer_name, "")
    )
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    return [haystack.like(f"%{w}%", escape="\\") for w in escaped]


def search_notices(
    session: Session, engine: SearchEngine | None, params: NoticeSearchParams, *, now: datetime, language: str
) -> NoticeSearchResult:
    """Notices matching the words and filters, a page of them in the asked order, and facet counts."""
    ranked: list[int] | None = None
    highlights: dict = {}
    degraded = False
    word_conditions: list[Any] = []
    if params.q:
        try:
            if engine is None:
                raise SearchError("no engine")
            ranked, highlights = _text_ids(engine, params, language)
        except SearchError:
            degraded = True
            word_conditions = _like_words(params.q)
    base = list(word_conditions)
    if ranked is not None:
        base.append(ProcurementNotice.id.in_(ranked) if ranked else false())  # type: ignore[union-attr]
    conditions = base + _conditions(params, now)
    state = state_expression(now)
    facets = _facets(session, params, base, now)
    if ranked is not None and params.sort == "relevance":
        matching = set(session.execute(select(ProcurementNotice.id).where(*conditions)).scalars())
        ordered = [i for i in ranked if i in matching]
        total = len(ordered)
        page_ids = ordered[(params.page - 1) * params.per_page : params.page * params.per_page]
        rows = {
            n.id: n
            for n in session.execute(
                select(ProcurementNotice).where(ProcurementNotice.id.in_(page_ids))  # type: ignore[union-attr]
            ).scalars()
        }
        notices = [rows[i] for i in page_ids if i in rows]
    else:
        total = session.execute(
            select(func.count()).select_from(ProcurementNotice).where(*conditions)
        ).scalar_one()
        is_open = case((state == "open", 0), else_=1)
        if params.sort == "newest":
            order = [ProcurementNotice.release_date.desc(), ProcurementNotice.id.desc()]  # type: ignore[union-attr]
        else:  # open ones soonest deadline first, then the rest newest first
            order = [
                is_open,
                case((state == "open", ProcurementNotice.tender_end), else_=None).asc(),
                ProcurementNotice.release_date.desc(),  # type: ignore[union-attr]
                ProcurementNotice.id.desc(),  # type: ignore[union-attr]
            ]
        notices = list(
            session.execute(
                select(ProcurementNotice)
                .where(*conditions)
                .order_by(*order)
                .offset((params.page - 1) * params.per_page)
                .limit(params.per_page)
            ).scalars()
        )
    return NoticeSearchResult(
        notices=notices,
        total=total,
        page=params.page,
        per_page=params.per_page,
        facets=facets,
        highlights=highlights,
        degraded=degraded,
    )


def _facets(session: Session, params: NoticeSearchParams, base: list[Any], now: datetime) -> dict:
    """Counts per value of each facet, under every other filter (so a chosen value keeps its siblings)."""
    state = state_expression(now)
    facets: dict[str, list[tuple[str, int]]] = {}
    for name, column in (
        ("country", ProcurementNotice.country),
        ("buyer", ProcurementNotice.buyer_name),
        ("status", state),
    ):
        where = base + _conditions(params, now, skip=name)
        rows = session.execute(
            select(column, func.count())
            .where(*where, column.is_not(None))  # type: ignore[union-attr]
            .group_by(column)
            .order_by(func.count().desc(), column)
            .limit(15 if name == "buyer" else 50)
        ).all()
        facets[name] = [(value, count) for value, count in rows if value]
    counter: Counter[str] = Counter()
    where = base + _conditions(params, now, skip="classification")
    for (codes,) in session.execute(select(ProcurementNotice.classifications).where(*where)):
        counter.update({classification_facet_value(code) for code in codes or []})
    facets["classification"] = counter.most_common(20)
    closing = base + _conditions(params, now, skip="closing")
    facets["closing"] = []
    for days in (7, 30, 90):
        count = session.execute(
            select(func.count())
            .select_from(ProcurementNotice)
            .where(
                *closing,
                state == "open",
                ProcurementNotice.tender_end <= now + timedelta(days=days),  # type: ignore[operator]
            )
        ).scalar_one()
        facets["closing"].append((str(days), count))
    facets["sme"] = [
        (
            "true",
            session.execute(
                select(func.count())
                .select_from(ProcurementNotice)
                .where(
                    *(base + _conditions(params, now, skip="sme")),
                    ProcurementNotice.sme_suitable.is_(True),  # type: ignore[union-attr]
                )
            ).scalar_one(),
        )
    ]
    return facets


def not_closed(now: datetime) -> Any:
    """SQL condition: open or planned (what a company can still bid for or prepare)."""
    return not_(state_expression(now).in_(("closed", "cancelled", "unknown")))
