"""The "verified by <centre>" badge: given by an advisor after checking a client, lapsing unless renewed.

The badge is only ever set here, by an advisor of a centre the company is an active client of, with the
evidence recorded: there is no other way to get it (it cannot be bought).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.centres.audit import record_event
from marketplace.centres.models import VERIFICATION_CHECKS, Centre, Verification
from marketplace.companies.models import Company
from marketplace.core.errors import InvalidInput
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import require_client
from marketplace.listings.models import Listing


def verify_client(
    session: Session, user: User | None, centre_id: int, company_id: int, *, checks: list[str], evidence: str
) -> Verification:
    """Mark the client verified by the centre from now for the centre's period (a renewal starts a new one)."""
    require_client(session, user, centre_id, company_id)
    evidence = (evidence or "").strip()
    chosen = [check for check in VERIFICATION_CHECKS if check in set(checks or [])]
    fields = {}
    if not chosen:
        fields["checks"] = N_("Tick what you checked.")
    if not evidence:
        fields["evidence"] = N_("Describe what you saw: documents, visit, references.")
    elif len(evidence) > 2000:
        fields["evidence"] = N_("Keep the evidence under 2000 characters.")
    if fields:
        raise InvalidInput(N_("Some fields are not valid."), fields=fields)
    centre = session.get(Centre, centre_id)
    now = utcnow()
    until = now + timedelta(days=centre.verification_days)  # type: ignore[union-attr]
    verification = Verification(
        centre_id=centre_id,
        company_id=company_id,
        verified_by_user_id=user.id,  # type: ignore[union-attr]
        checks=chosen,
        evidence=evidence,
        verified_at=now,
        valid_until=until,
    )
    session.add(verification)
    company = session.get(Company, company_id, with_for_update=True)
    company.verified_by_centre_id = centre_id  # type: ignore[union-attr]
    company.verified_until = until  # type: ignore[union-attr]
    session.add(company)
    session.flush()
    record_event(
        session, company_id=company_id, user=user, centre_id=centre_id, action="verified",
        detail=", ".join(chosen),
    )  # fmt: skip
    _resync_company_listings(session, company_id)
    return verification


def verifications_of(session: Session, company_id: int) -> list[Verification]:
    return list(
        session.execute(
            select(Verification).where(Verification.company_id == company_id).order_by(Verification.id.desc())  # type: ignore[union-attr]
        ).scalars()
    )


def lapse_verifications(session: Session, *, now: datetime | None = None) -> int:
    """Remove badges past their date (pages already hide them; this updates the search index too)."""
    moment = now or utcnow()
    lapsed = list(
        session.execute(
            select(Company)
            .where(Company.verified_by_centre_id.is_not(None), Company.verified_until <= moment)  # type: ignore[union-attr, operator]
            .with_for_update()
        ).scalars()
    )
    for company in lapsed:
        company.verified_by_centre_id = None
        session.add(company)
        _resync_company_listings(session, company.id)  # type: ignore[arg-type]
    session.flush()
    return len(lapsed)


def _resync_company_listings(session: Session, company_id: int) -> None:
    """Search documents carry the badge (a facet): queue their sync."""
    from marketplace.listings.sync import queue_listing_sync

    for listing in session.execute(select(Listing).where(Listing.company_id == company_id)).scalars():
        listing.version += 1
        session.add(listing)
        queue_listing_sync(session, listing)
