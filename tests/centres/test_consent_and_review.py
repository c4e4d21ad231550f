"""Consent gates every advisor action; listings of reviewed clients wait for a second advisor's approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from marketplace.centres import service
from marketplace.centres.models import AuditEvent, CentreClient
from marketplace.core.errors import InvalidInput, NotFound
from marketplace.core.models import utcnow
from marketplace.core.permissions import PermissionDenied
from marketplace.listings import service as listings
from marketplace.listings.models import Listing
from marketplace.listings.schemas import ListingIn
from marketplace.mail.models import MailMessage
from tests.centres.helpers import make_client, make_world
from tests.factories import make_company

TODAY = utcnow().date()


def _content(title: str = "Aguacate Hass orgánico") -> ListingIn:
    return ListingIn(kind="offer", title=title, description="Caja de 10 kg, calibres 16 a 22.", language="es")


def test_advisor_cannot_act_before_the_company_accepts_nor_after_it_ends(session: Session) -> None:
    w = make_world(session)
    newcomer = make_company(session, name="Muebles del Lago")
    session.commit()
    service.invite_company(session, w.advisor_a, w.centre_a.id, newcomer.id)
    with pytest.raises(NotFound):  # invited is not consent
        listings.create_listing(session, w.advisor_a, newcomer.id, _content(), today=TODAY)
    from tests.centres.helpers import add_member

    owner = add_member(session, company=newcomer, email="owner@muebles.example")
    service.accept_invitation(session, owner, newcomer.id, w.centre_a.id)
    created = listings.create_listing(session, w.advisor_a, newcomer.id, _content(), today=TODAY)
    assert created.created_by_advisor is True
    service.end_relationship(session, owner, w.centre_a.id, newcomer.id)
    with pytest.raises(NotFound):
        listings.update_listing(session, w.advisor_a, created.id, _content("Otro título"), today=TODAY)
    with pytest.raises(NotFound):
        service.portfolio(session, w.advisor_b, w.centre_a.id)
    assert newcomer.id not in {
        row.company.id for row in service.portfolio(session, w.advisor_a, w.centre_a.id)
    }


def test_company_request_becomes_active_only_when_an_advisor_accepts(session: Session) -> None:
    w = make_world(session)
    link = service.request_centre(session, w.owner_b, w.company_b.id, w.centre_a.id)
    assert link.status == "requested"
    with pytest.raises(NotFound):
        listings.editable_listing(session, w.advisor_a, w.draft_b.id)
    with pytest.raises(NotFound):  # an advisor of another centre cannot accept for centre A
        service.accept_request(session, w.advisor_b, w.centre_a.id, w.company_b.id)
    service.accept_request(session, w.advisor_a, w.centre_a.id, w.company_b.id)
    assert listings.editable_listing(session, w.advisor_a, w.draft_b.id).id == w.draft_b.id


def test_only_an_owner_answers_for_the_company(session: Session) -> None:
    w = make_world(session)
    service.invite_company(session, w.advisor_b, w.centre_b.id, w.company_a.id)
    with pytest.raises(PermissionDenied):
        service.accept_invitation(session, w.member_a, w.company_a.id, w.centre_b.id)
    with pytest.raises(NotFound):
        service.accept_invitation(session, w.stranger, w.company_a.id, w.centre_b.id)
    with pytest.raises(PermissionDenied):
        service.end_relationship(session, w.member_a, w.centre_a.id, w.company_a.id)
    with pytest.raises(NotFound):
        service.end_relationship(session, w.advisor_b, w.centre_a.id, w.company_a.id)
    assert session.get(CentreClient, 1).status == "active"


def test_publishing_a_reviewed_clients_listing_waits_for_another_advisor(session: Session) -> None:
    w = make_world(session)
    created = listings.create_listing(session, w.advisor_a, w.company_a.id, _content(), today=TODAY)
    submitted = listings.publish_listing(session, w.advisor_a, created.id, today=TODAY)
    assert submitted.status == "pending_review"
    with pytest.raises(NotFound):  # not public while waiting
        listings.listing_for_viewer(session, created.id, viewer=None, today=TODAY)
    assert listings.listing_for_viewer(session, created.id, viewer=w.owner_a, today=TODAY).id == created.id
    with pytest.raises(PermissionDenied):  # four eyes: not the submitter
        listings.approve_listing(session, w.advisor_a, created.id)
    with pytest.raises(NotFound):  # nor an advisor of another centre
        listings.approve_listing(session, w.advisor_b, created.id)
    with pytest.raises(NotFound):  # nor the owner
        listings.approve_listing(session, w.owner_a, created.id)
    approved = listings.approve_listing(session, w.advisor_a2, created.id)
    assert approved.status == "published" and approved.published_at is not None
    events = list(
        session.exec(select(AuditEvent).where(AuditEvent.listing_id == created.id).order_by(AuditEvent.id))
    )
    assert [e.action for e in events] == ["listing_created", "listing_submitted", "listing_approved"]
    assert {e.centre_id for e in events} == {w.centre_a.id}  # each change names the centre acting


def test_send_back_needs_a_reason_and_returns_the_listing_to_draft(session: Session) -> None:
    w = make_world(session)
    listings.publish_listing(session, w.owner_a, w.draft_a.id, today=TODAY)
    with pytest.raises(InvalidInput):
        listings.send_back_listing(session, w.advisor_a, w.draft_a.id, "   ")
    back = listings.send_back_listing(session, w.advisor_a, w.draft_a.id, "Añada el calibre y la variedad.")
    assert back.status == "draft" and back.rejection_reason == "Añada el calibre y la variedad."
    mail = session.exec(select(MailMessage).where(MailMessage.to_address == w.owner_a.email)).one()
    assert "Añada el calibre y la variedad." in mail.body_text and "CDE Jalisco" in mail.body_text
    assert session.exec(select(MailMessage).where(MailMessage.to_address == w.member_a.email)).all() == []
    again = listings.publish_listing(session, w.owner_a, w.draft_a.id, today=TODAY)
    assert again.status == "pending_review"
    assert listings.approve_listing(session, w.advisor_a, w.draft_a.id).rejection_reason is None


def test_a_centre_without_review_publishes_at_once(session: Session) -> None:
    w = make_world(session)
    assert listings.publish_listing(session, w.owner_b, w.draft_b.id, today=TODAY).status == "published"
    lone = make_company(session, name="Sin centro")
    draft = Listing(company_id=lone.id, kind="offer", title="x", description="y", language="es")
    session.add(draft)
    session.flush()
    with pytest.raises(NotFound):
        listings.publish_listing(session, w.advisor_a, draft.id, today=TODAY)


def test_queue_shows_age_and_the_median_time_to_publish(session: Session) -> None:
    w = make_world(session)
    for hours in (2, 10, 30):
        listing = listings.create_listing(
            session, w.owner_a, w.company_a.id, _content(f"Lote {hours}"), today=TODAY
        )
        listings.publish_listing(session, w.owner_a, listing.id, today=TODAY)
        submitted = session.exec(
            select(AuditEvent).where(
                AuditEvent.listing_id == listing.id, AuditEvent.action == "listing_submitted"
            )
        ).one()
        submitted.created_at = utcnow() - timedelta(hours=hours)
        session.add(submitted)
    session.flush()
    queue = service.review_queue(session, w.advisor_a2, w.centre_a.id)
    assert [item.listing.title for item in queue] == ["Lote 30", "Lote 10", "Lote 2"]  # oldest first
    assert 29.9 < queue[0].age.total_seconds() / 3600 < 30.1
    assert service.median_time_to_publish(session, w.centre_a.id) is None
    for item in queue:
        listings.approve_listing(session, w.advisor_a2, item.listing.id)
    median = service.median_time_to_publish(session, w.centre_a.id)
    assert median is not None and 9.9 < median.total_seconds() / 3600 < 10.1
    with pytest.raises(NotFound):
        service.review_queue(session, w.advisor_b, w.centre_a.id)


def test_an_ended_client_leaves_the_queue_and_the_review(session: Session) -> None:
    w = make_world(session)
    listings.publish_listing(session, w.owner_a, w.draft_a.id, today=TODAY)
    service.end_relationship(session, w.owner_a, w.centre_a.id, w.company_a.id)
    assert service.review_queue(session, w.advisor_a, w.centre_a.id) == []
    with pytest.raises(NotFound):
        listings.approve_listing(session, w.advisor_a2, w.draft_a.id)
    assert session.get(Listing, w.draft_a.id).status == "draft"  # back to the owner, who may publish it now
    assert listings.publish_listing(session, w.owner_a, w.draft_a.id, today=TODAY).status == "published"
    make_client(
        session, centre=w.centre_b, company=w.company_a, status="ended"
    )  # an ended link gives nothing
    with pytest.raises(NotFound):
        listings.editable_listing(session, w.advisor_b, w.draft_a.id)
