"""The demo data set: big and varied enough to show the product, valid, and loaded idempotently."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.accounts.passwords import verify_password
from marketplace.centres.models import Advisor, Centre, CentreClient
from marketplace.companies.models import Company
from marketplace.core.resources import resource_dir
from marketplace.imports.demo import seed_demo
from marketplace.listings.models import Listing
from search.taxonomy.hs import hs_taxonomy

# The 35 member states of the Organization of American States.
OAS_MEMBERS = {
    "AG", "AR", "BS", "BB", "BZ", "BO", "BR", "CA", "CL", "CO", "CR", "CU",
    "DM", "DO", "EC", "SV", "GD", "GT", "GY", "HT", "HN", "JM", "MX", "NI",
    "PA", "PY", "PE", "KN", "LC", "VC", "SR", "TT", "US", "UY", "VE",
}  # fmt: skip
TODAY = date(2026, 11, 30)
PASSWORD = "demo-Quetzal-Colibri-42"


def test_demo_data_loads_cleanly_and_has_the_promised_breadth(session: Session) -> None:
    report = seed_demo(session, resource_dir("seeds"), today=TODAY, password=PASSWORD)
    session.commit()
    for part in report.reports:
        assert part.problems == [], f"{part.entity}: " + "; ".join(map(str, part.problems[:5]))

    companies = session.execute(select(Company)).scalars().all()
    assert len(companies) >= 60
    countries = Counter(company.country for company in companies)
    assert set(countries) <= OAS_MEMBERS
    assert len(countries) >= 15

    centres = session.execute(select(Centre)).scalars().all()
    assert len(centres) == 4
    for centre in centres:
        advisors = session.execute(select(func.count()).where(Advisor.centre_id == centre.id)).scalar_one()
        clients = session.execute(
            select(func.count()).where(CentreClient.centre_id == centre.id)
        ).scalar_one()
        assert advisors >= 1 and clients >= 1, centre.name

    listings = session.execute(select(Listing)).scalars().all()
    assert len(listings) >= 250
    assert Counter(listing.language for listing in listings).keys() == {"es", "en", "pt", "fr"}
    kinds = Counter(listing.kind for listing in listings)
    assert kinds["offer"] >= 100 and kinds["request"] >= 80
    goods = [listing for listing in listings if listing.hs_code]
    services = [listing for listing in listings if listing.unspsc_code]
    assert len(goods) >= 150 and len(services) >= 30
    assert all(listing.hs_code in hs_taxonomy() for listing in goods)
    priced = [listing for listing in listings if listing.price_min is not None]
    assert len(priced) >= 200 and len({listing.currency for listing in priced}) >= 5
    assert all(listing.valid_until and listing.valid_until > TODAY for listing in listings)
    assert sum(listing.status == "published" for listing in listings) >= 240
    # Spread over the past weeks, so "latest listings" shows a mix rather than the file's last rows.
    published_days = {listing.published_at.date() for listing in listings if listing.published_at}
    assert len(published_days) >= 30

    admin = session.execute(select(User).where(User.is_admin.is_(True))).scalars().first()  # type: ignore[attr-defined]
    assert admin is not None and verify_password(admin.password_hash or "", PASSWORD)
    assert session.execute(select(func.count()).select_from(Membership)).scalar_one() >= 10


def test_seeding_twice_creates_nothing_new(session: Session) -> None:
    seed_demo(session, resource_dir("seeds"), today=TODAY, password=PASSWORD)
    session.commit()
    totals = [
        session.execute(select(func.count()).select_from(m)).scalar_one() for m in (Company, Listing, User)
    ]
    again = seed_demo(session, resource_dir("seeds"), today=TODAY, password=PASSWORD)
    session.commit()
    assert again.centres == 0 and again.users == 0
    assert all(part.created == 0 and part.updated == 0 for part in again.reports)
    assert [
        session.execute(select(func.count()).select_from(m)).scalar_one() for m in (Company, Listing, User)
    ] == totals
