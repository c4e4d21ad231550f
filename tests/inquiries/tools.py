"""Arranging inquiries: a seller with an offer, a buyer with a company, their browsers, an advisor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.centres.models import Advisor, Centre, CentreClient
from marketplace.companies.models import Company
from marketplace.core.models import utcnow
from marketplace.inquiries.models import Inquiry, Message
from marketplace.listings.models import Listing
from tests.factories import make_company, make_listing
from tests.webtools import csrf_from, make_user, post_form, sign_in

INQUIRY = {
    "message": "Buenos días, nos interesa su aguacate Hass para exportar a Guatemala.",
    "quantity": "2000",
    "unit": "kg",
    "price": "2.10",
    "currency": "USD",
    "delivery_country": "GT",
    "incoterm": "FOB",
    "needed_by": "2027-03-01",
}


@dataclass
class Scene:
    seller: User
    seller_company: Company
    offer: Listing
    request: Listing
    buyer: User
    buyer_company: Company


def member(session: Session, company: Company, email: str, name: str = "Ana Pérez", **fields) -> User:  # type: ignore[no-untyped-def]
    """A company owner; an account a month old unless `created_at` says otherwise."""
    fields.setdefault("created_at", utcnow() - timedelta(days=30))
    user = make_user(session, email=email, name=name, **fields)
    session.add(Membership(user_id=user.id, company_id=company.id, role="owner"))  # type: ignore[arg-type]
    session.flush()
    return user


def scene(session: Session, *, buyer_fields: dict | None = None) -> Scene:
    seller_company = make_company(
        session,
        name="Aguacates Sierra del Tigre",
        country="MX",
        contact_email="ventas@aguacates.example",
        phone="+52 33 1234 5678",
        whatsapp="+52 33 8765 4321",
    )
    seller = member(session, seller_company, "mariana@aguacates.example", "Mariana Gutiérrez")
    offer = make_listing(session, company=seller_company, title="Aguacate Hass de Jalisco", kind="offer")
    buyer_company = make_company(
        session,
        name="Café Altiplano",
        country="GT",
        contact_email="compras@altiplano.example",
        phone="+502 5555 0101",
    )
    buyer = member(session, buyer_company, "edgar@altiplano.example", "Edgar Sam", **(buyer_fields or {}))
    request = make_listing(session, company=buyer_company, title="Compramos sacos de yute", kind="request")
    session.commit()
    return Scene(seller, seller_company, offer, request, buyer, buyer_company)


def browser_of(client: TestClient, email: str) -> TestClient:
    """A second browser (its own cookies) on the same app, signed in as `email`."""
    other = TestClient(client.app, raise_server_exceptions=False)
    sign_in(other, email)
    return other


def send(client: TestClient, listing_id: int, *, company: Company | None = None, **fields):  # type: ignore[no-untyped-def]
    """Post the inquiry form (on behalf of `company`, else of the user alone)."""
    data = {**INQUIRY, **fields, "from_company_id": str(company.id) if company else ""}
    return post_form(client, f"/listings/{listing_id}/inquire", data)


def reply(client: TestClient, inquiry_id: int, message: str):  # type: ignore[no-untyped-def]
    return post_form(
        client, f"/inquiries/{inquiry_id}/reply", {"message": message}, form_page=f"/inquiries/{inquiry_id}"
    )


def api_headers(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": csrf_from(client, "/account")}


def count(session: Session, model) -> int:  # type: ignore[no-untyped-def]
    session.commit()
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def inquiry_count(session: Session) -> int:
    return count(session, Inquiry)


def message_count(session: Session) -> int:
    return count(session, Message)


def advisor_of(
    session: Session,
    company: Company | None,
    email: str,
    *,
    status: str = "active",
    consent: bool = False,
    name: str = "Asesora",
) -> User:
    """An advisor of a new centre; `company` (if any) is that centre's client with the given status, and
    with the client's consent (what lets the advisor act for it) when `consent`."""
    centre = Centre(name=f"Centro {email}", country="MX")
    session.add(centre)
    session.flush()
    user = make_user(session, email=email, name=name)
    advisor = Advisor(user_id=user.id, centre_id=centre.id)  # type: ignore[arg-type]
    session.add(advisor)
    session.flush()
    if company is not None:
        session.add(
            CentreClient(
                centre_id=centre.id,  # type: ignore[arg-type]
                company_id=company.id,  # type: ignore[arg-type]
                advisor_id=advisor.id,
                status=status,
                consent_at=utcnow() if consent else None,
            )
        )
    session.commit()
    return user


def centre_of(session: Session, advisor: User) -> Centre:
    """The (one) centre an advisor made by `advisor_of` advises at."""
    return session.execute(
        select(Centre).join(Advisor, Advisor.centre_id == Centre.id).where(Advisor.user_id == advisor.id)
    ).scalar_one()


def close(client: TestClient, inquiry_id: int, **fields):  # type: ignore[no-untyped-def]
    return post_form(client, f"/inquiries/{inquiry_id}/close", fields, form_page=f"/inquiries/{inquiry_id}")
