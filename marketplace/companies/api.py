"""JSON API for company profiles: list and read (public), create and update (members)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import func, select

from marketplace.companies import service
from marketplace.companies.models import Company
from marketplace.companies.schemas import CompanyIn
from marketplace.core.deps import PageDep, RequiredApiUser, SessionDep, check_api_csrf, get_api_user
from marketplace.core.errors import NotFound
from marketplace.core.i18n import N_

router = APIRouter(
    prefix="/api/v1/companies",
    tags=["companies"],
    dependencies=[Depends(check_api_csrf), Depends(get_api_user)],
)


class CompanyOut(BaseModel):
    """The public profile (contact details stay private until an inquiry is answered)."""

    id: int
    name: str
    country: str
    region: str | None
    city: str | None
    size_class: str
    sectors: list[str]
    languages: list[str]
    export_experience: str
    markets_served: list[str]
    certifications: list[str]
    women_led: bool
    youth_led: bool
    website: str | None
    description: str | None


class CompanyPage(BaseModel):
    items: list[CompanyOut]
    total: int
    page: int
    per_page: int


@router.get("", response_model=CompanyPage)
def list_companies(session: SessionDep, paging: PageDep, country: str | None = None) -> CompanyPage:
    query = select(Company)
    if country:
        query = query.where(Company.country == country.upper())
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(Company.name).offset((paging.page - 1) * paging.per_page).limit(paging.per_page)
    ).scalars()
    items = [CompanyOut.model_validate(c.model_dump()) for c in rows]
    return CompanyPage(items=items, total=total, page=paging.page, per_page=paging.per_page)


@router.get("/{company_id}", response_model=CompanyOut)
def get_company(session: SessionDep, company_id: int) -> CompanyOut:
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(N_("Page not found"))
    return CompanyOut.model_validate(company.model_dump())


@router.post("", response_model=CompanyOut, status_code=201)
def create_company(session: SessionDep, user: RequiredApiUser, body: CompanyIn) -> CompanyOut:
    """Create a company; the caller becomes its owner."""
    return CompanyOut.model_validate(service.create_company(session, user, body).model_dump())


@router.put("/{company_id}", response_model=CompanyOut)
def update_company(
    session: SessionDep, user: RequiredApiUser, company_id: int, body: CompanyIn
) -> CompanyOut:
    return CompanyOut.model_validate(service.update_company(session, user, company_id, body).model_dump())
