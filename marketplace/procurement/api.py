"""JSON API for procurement notices and for a company's opportunities."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ValidationError

from marketplace.companies.models import Company
from marketplace.core.deps import RequiredApiUser, SessionDep, check_api_csrf, get_api_user
from marketplace.core.errors import InvalidInput, NotFound
from marketplace.core.i18n import N_, gettext_for
from marketplace.core.models import utcnow
from marketplace.core.permissions import require_member
from marketplace.core.validation import field_errors
from marketplace.procurement.matching import Opportunity, opportunities_for_company
from marketplace.procurement.models import ProcurementNotice
from marketplace.procurement.pages import parse_params
from marketplace.procurement.service import get_notice, notice_state, search_notices

router = APIRouter(
    prefix="/api/v1", tags=["procurement"], dependencies=[Depends(check_api_csrf), Depends(get_api_user)]
)


class NoticeItemOut(BaseModel):
    description: str | None = None
    scheme: str | None = None
    code: str | None = None
    quantity: float | None = None
    unit: str | None = None
    title_es: str | None = None
    title_en: str | None = None


class NoticeOut(BaseModel):
    id: int
    ocid: str
    title: str
    description: str | None
    buyer_name: str | None
    country: str | None
    value_amount: Decimal | None
    value_currency: str | None
    tender_start: datetime | None
    tender_end: datetime | None
    status: str | None  # as published (OCDS tender status)
    state: str  # open | planned | closed | cancelled | unknown, from the status and the deadline
    sme_suitable: bool | None
    url: str | None
    classifications: list[str]
    items: list[NoticeItemOut]
    release_date: datetime | None

    @classmethod
    def build(cls, notice: ProcurementNotice, now: datetime) -> NoticeOut:
        data = notice.model_dump()
        data["state"] = notice_state(notice, now)
        return cls.model_validate(data)


class NoticePage(BaseModel):
    items: list[NoticeOut]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, int]]]


class OpportunityOut(BaseModel):
    notice: NoticeOut
    score: int
    reasons: list[str]


class OpportunitiesOut(BaseModel):
    company_id: int
    open: list[OpportunityOut]
    recent_closed: list[OpportunityOut]  # only when no open notice fits; each is closed, with its real dates


@router.get("/procurement/notices", response_model=NoticePage)
def list_notices(request: Request, session: SessionDep) -> NoticePage:
    """Notices with the page's filters (q, country, buyer, status, closing_within, classification, sme, sort)."""
    try:
        params = parse_params(request)
    except ValidationError as exc:
        raise InvalidInput(N_("Some fields are not valid."), fields=field_errors(exc)) from None
    now = utcnow()
    results = search_notices(
        session, request.app.state.search, params, now=now, language=request.state.language
    )
    return NoticePage(
        items=[NoticeOut.build(n, now) for n in results.notices],
        total=results.total,
        page=results.page,
        per_page=results.per_page,
        facets=results.facets,
    )


@router.get("/procurement/notices/{notice_id}", response_model=NoticeOut)
def read_notice(session: SessionDep, notice_id: int) -> NoticeOut:
    return NoticeOut.build(get_notice(session, notice_id), utcnow())


@router.get("/companies/{company_id}/opportunities", response_model=OpportunitiesOut)
def company_opportunities(
    request: Request, session: SessionDep, user: RequiredApiUser, company_id: int
) -> OpportunitiesOut:
    """Notices that fit the company (members only; another company's answers 404)."""
    require_member(session, user, company_id)
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(N_("This company does not exist."))
    now = utcnow()
    found = opportunities_for_company(session, company, now=now)
    language = request.state.language

    def out(o: Opportunity) -> OpportunityOut:
        reasons = [gettext_for(language, r.message, **r.values) for r in o.reasons]
        return OpportunityOut(notice=NoticeOut.build(o.notice, now), score=o.score, reasons=reasons)

    return OpportunitiesOut(
        company_id=company_id,
        open=[out(o) for o in found.open],
        recent_closed=[out(o) for o in found.recent_closed],
    )
