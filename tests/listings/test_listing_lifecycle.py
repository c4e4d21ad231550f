"""Listing rules: members create drafts, publish, close and renew; others cannot; dates and states hold."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import Membership
from marketplace.core.errors import InvalidInput, NotFound
from marketplace.core.permissions import NotAuthenticated
from marketplace.jobs.models import Job
from marketplace.listings import service
from marketplace.listings.schemas import ListingIn
from tests.centres.helpers import make_advisor, make_centre, make_client
from tests.factories import make_company, make_listing
from tests.webtools import make_user

TODAY = date(2026, 11, 30)
OFFER = ListingIn(kind="offer", title="Café tostado en grano", description="Tueste medio.", language="es")


@pytest.fixture
def team(session: Session):  # type: ignore[no-untyped-def]
    company = make_company(session, name="Café Altura", country="CO")
    member = make_user(session, email="member@cafe.example")
    outsider = make_user(session, email="outsider@example.org")
    session.add(Membership(user_id=member.id, company_id=company.id, role="member"))  # type: ignore[arg-type]
    session.flush()
    return company, member, outsider


def test_a_member_creates_a_draft_that_defaults_to_90_days(session: Session, team) -> None:  # type: ignore[no-untyped-def]
    company, member, _ = team
    listing = service.create_listing(session, member, company.id, OFFER, today=TODAY)
    assert listing.status == "draft" and listing.valid_until == TODAY + timedelta(days=90)
    assert listing.created_by_user_id == member.id


def test_outsiders_and_visitors_cannot_create_or_touch_listings(session: Session, team) -> None:  # type: ignore[no-untyped-def]
    company, member, outsider = team
    with pytest.raises(NotFound):
        service.create_listing(session, outsider, company.id, OFFER, today=TODAY)
    with pytest.raises(NotAuthenticated):
        service.create_listing(session, None, company.id, OFFER, today=TODAY)
    listing = service.create_listing(session, member, company.id, OFFER, today=TODAY)
    for action in (service.close_listing,):
        with pytest.raises(NotFound):
            action(session, outsider, listing.id)
    with pytest.raises(NotFound):
        service.publish_listing(session, outsider, listing.id, today=TODAY)


def test_validity_must_be_from_today_and_within_two_years(session: Session, team) -> None:  # type: ignore[no-untyped-def]
    company, member, _ = team
    with pytest.raises(InvalidInput) as past:
        service.create_listing(
            session,
            member,
            company.id,
            OFFER.model_copy(update={"valid_until": TODAY - timedelta(days=1)}),
            today=TODAY,
        )
    assert "valid_until" in past.value.fields
    with pytest.raises(InvalidInput):
        service.create_listing(
            session,
            member,
            company.id,
            OFFER.model_copy(update={"valid_until": TODAY + timedelta(days=800)}),
            today=TODAY,
        )


def test_lifecycle_publish_close_and_every_change_queues_a_search_sync(session: Session, team) -> None:  # type: ignore[no-untyped-def]
    company, member, _ = team
    listing = service.create_listing(session, member, company.id, OFFER, today=TODAY)
    published = service.publish_listing(session, member, listing.id, today=TODAY)
    assert published.status == "published" and published.published_at is not None
    with pytest.raises(service.InvalidTransition):
        service.publish_listing(session, member, listing.id, today=TODAY)
    service.close_listing(session, member, listing.id)
    with pytest.raises(service.InvalidTransition):
        service.update_listing(session, member, listing.id, OFFER, today=TODAY)
    with pytest.raises(service.InvalidTransition):
        service.renew_listing(session, member, listing.id, today=TODAY)
    versions = session.execute(
        select(Job.version).where(Job.kind == "search.sync_listing", Job.entity_id == listing.id)
    ).scalars()
    assert sorted(versions) == [2, 3]  # publish, close: each queued once, for its own version


def test_expired_listings_are_hidden_then_renewed_with_one_click(session: Session, team) -> None:  # type: ignore[no-untyped-def]
    company, member, _ = team
    listing = make_listing(session, company=company, valid_until=TODAY - timedelta(days=3))
    assert not service.is_active(listing, TODAY)
    assert service.expire_overdue_listings(session, today=TODAY) == 1
    assert listing.status == "expired" and service.needs_renewal(listing, TODAY)
    renewed = service.renew_listing(session, member, listing.id, today=TODAY)
    assert renewed.status == "published" and renewed.valid_until == TODAY + timedelta(days=90)
    assert service.is_active(renewed, TODAY)


def test_drafts_are_private_published_listings_are_public(session: Session, team) -> None:  # type: ignore[no-untyped-def]
    company, member, outsider = team
    draft = make_listing(session, company=company, status="draft")
    public = make_listing(session, company=company)
    with pytest.raises(NotFound):
        service.listing_for_viewer(session, draft.id, viewer=outsider, today=TODAY)
    with pytest.raises(NotFound):
        service.listing_for_viewer(session, draft.id, viewer=None, today=TODAY)
    assert service.listing_for_viewer(session, draft.id, viewer=member, today=TODAY).id == draft.id
    assert service.listing_for_viewer(session, public.id, viewer=None, today=TODAY).id == public.id


def test_views_count_outsiders_only(session: Session, engine, team) -> None:  # type: ignore[no-untyped-def]
    company, member, outsider = team
    listing = make_listing(session, company=company)
    session.commit()
    centre = make_centre(session, name="Centro de Desarrollo Empresarial")
    make_client(session, centre=centre, company=company)
    advisor = make_advisor(session, centre=centre, email="asesora@cde.example")
    other_centre = make_centre(session, name="Another centre")
    other_advisor = make_advisor(session, centre=other_centre, email="asesor@otro.example")
    session.commit()
    # The company's own member and its advisor curate; an outsider, another centre's advisor and an
    # anonymous visitor are the market.
    viewers = [member, advisor, outsider, other_advisor, None]
    for viewer in viewers:
        if service.counts_as_view(session, listing, viewer):
            service.record_view(engine, listing.id)
    session.refresh(listing)
    assert listing.views == 3
