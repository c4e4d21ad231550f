"""Builders for the centre tests: two centres (A reviews listings, B does not), advisors, clients, outsiders."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.centres.models import Advisor, Centre, CentreClient
from marketplace.companies.models import Company
from marketplace.core.models import utcnow
from marketplace.listings.models import Listing
from tests.factories import make_company, make_listing
from tests.webtools import make_user


def make_centre(
    session: Session, *, name: str, country: str = "MX", requires_review: bool = True, **fields
) -> Centre:
    centre = Centre(name=name, country=country, requires_review=requires_review, **fields)
    session.add(centre)
    session.flush()
    return centre


def make_advisor(session: Session, *, centre: Centre, email: str) -> User:
    user = make_user(session, email=email, name=email.split("@")[0].replace(".", " ").title())
    session.add(Advisor(user_id=user.id, centre_id=centre.id))  # type: ignore[arg-type]
    session.flush()
    return user


def add_member(session: Session, *, company: Company, email: str, role: str = "owner") -> User:
    user = make_user(session, email=email)
    session.add(Membership(user_id=user.id, company_id=company.id, role=role))  # type: ignore[arg-type]
    session.flush()
    return user


def make_client(
    session: Session, *, centre: Centre, company: Company, status: str = "active"
) -> CentreClient:
    link = CentreClient(
        centre_id=centre.id,  # type: ignore[arg-type]
        company_id=company.id,  # type: ignore[arg-type]
        status=status,
        consent_at=utcnow() if status in ("active", "requested") else None,
    )
    session.add(link)
    session.flush()
    return link


@dataclass
class World:
    centre_a: Centre
    centre_b: Centre
    advisor_a: User
    advisor_a2: User
    advisor_b: User
    company_a: Company  # an active client of centre A
    company_b: Company  # an active client of centre B
    owner_a: User
    member_a: User
    owner_b: User
    stranger: User
    draft_a: Listing
    draft_b: Listing


def make_world(session: Session) -> World:
    """Everything the permission and flow tests need, committed for the app to see."""
    centre_a = make_centre(session, name="CDE Jalisco", requires_review=True, verification_days=180)
    centre_b = make_centre(session, name="CDE Bogotá", country="CO", requires_review=False)
    advisor_a = make_advisor(session, centre=centre_a, email="maria@cde-a.example")
    advisor_a2 = make_advisor(session, centre=centre_a, email="jorge@cde-a.example")
    advisor_b = make_advisor(session, centre=centre_b, email="laura@cde-b.example")
    company_a = make_company(session, name="Aguacates del Tigre", country="MX")
    company_b = make_company(session, name="Café Bogotano", country="CO")
    owner_a = add_member(session, company=company_a, email="owner@aguacates.example")
    member_a = add_member(session, company=company_a, email="member@aguacates.example", role="member")
    owner_b = add_member(session, company=company_b, email="owner@cafe.example")
    stranger = make_user(session, email="stranger@elsewhere.example")
    make_client(session, centre=centre_a, company=company_a)
    make_client(session, centre=centre_b, company=company_b)
    draft_a = make_listing(session, company=company_a, title="Aguacate Hass calibre 18", status="draft")
    draft_b = make_listing(session, company=company_b, title="Café verde excelso", status="draft")
    session.commit()
    return World(
        centre_a, centre_b, advisor_a, advisor_a2, advisor_b, company_a, company_b, owner_a, member_a, owner_b,
        stranger, draft_a, draft_b,
    )  # fmt: skip
