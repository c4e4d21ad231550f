"""Test data builders: keyword-only functions that add a valid object and return it (flushed only)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from marketplace.companies.models import Company
from marketplace.core.models import utcnow
from marketplace.listings.models import Listing

_numbers = itertools.count(1)


def make_company(session: Session, *, name: str | None = None, country: str = "MX", **fields) -> Company:
    number = next(_numbers)
    company = Company(
        name=name or f"Empresa {number}",
        country=country,
        size_class=fields.pop("size_class", "small"),
        **fields,
    )
    session.add(company)
    session.flush()
    return company


def make_listing(
    session: Session,
    *,
    company: Company,
    title: str = "Café tostado en grano",
    kind: str = "offer",
    status: str = "published",
    valid_until: date | None = None,
    **fields,
) -> Listing:
    listing = Listing(
        company_id=company.id,
        kind=kind,
        title=title,
        description=fields.pop("description", "Descripción de prueba."),
        language=fields.pop("language", "es"),
        status=status,
        valid_until=valid_until or (utcnow().date() + timedelta(days=30)),
        published_at=utcnow() if status == "published" else None,
        quantity=fields.pop("quantity", Decimal("100")),
        unit=fields.pop("unit", "kg"),
        **fields,
    )
    session.add(listing)
    session.flush()
    return listing
