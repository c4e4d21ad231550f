"""Bulk onboarding: an advisor uploads a file of client listings (the listings import format), row by row report.

Only the centre's active clients may be named; a row may not take over a listing of another company (its
external_key is global); rows asking to be published go through the centre's review like any other listing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.centres.audit import record_event
from marketplace.centres.models import Centre, CentreClient
from marketplace.companies.models import Company
from marketplace.core.permissions import require_advisor
from marketplace.imports.reader import RawRow, UnreadableRow
from marketplace.imports.service import ImportReport, RowProblem, import_listings
from marketplace.listings.models import Listing


def import_client_listings(
    session: Session,
    user: User | None,
    centre_id: int,
    rows: Iterable[RawRow | UnreadableRow],
    *,
    today: date,
) -> ImportReport:
    """Create or update listings of the centre's clients, marked as posted by an advisor."""
    require_advisor(session, user, centre_id)
    centre = session.get(Centre, centre_id)
    clients = {
        company.external_key or f"company-{company.id}": company
        for company in session.execute(
            select(Company)
            .join(CentreClient, CentreClient.company_id == Company.id)
            .where(CentreClient.centre_id == centre_id, CentreClient.status == "active")
        ).scalars()
    }
    for key, company in clients.items():
        if company.external_key is None:  # the same convention as an owner's upload
            company.external_key = key
            session.add(company)
    session.flush()
    refused: list[RowProblem] = []
    accepted: dict[str, bool] = {}  # listing external_key -> asked to be published

    def client_rows() -> Iterable[RawRow | UnreadableRow]:
        for row in rows:
            if not isinstance(row, RawRow):
                yield row
                continue
            key = str(row.values.get("external_key") or "").strip()
            company = clients.get(str(row.values.get("company") or "").strip())
            if company is None:
                refused.append(RowProblem(row.line, key, "company: not an active client of this centre"))
                continue
            owner_id = session.execute(
                select(Listing.company_id).where(Listing.external_key == key)
            ).scalar_one_or_none()
            if owner_id is not None and owner_id != company.id:
                refused.append(
                    RowProblem(row.line, key, "external_key: used by a listing of another company")
                )
                continue
            values = dict(row.values)
            wants_publish = str(values.get("status") or "").strip() == "published"
            if wants_publish and centre.requires_review:  # type: ignore[union-attr]
                values["status"] = "draft"  # submitted for review below, like a listing posted by hand
            accepted[key] = wants_publish
            yield RawRow(row.line, values, row.format)

    report = import_listings(session, client_rows(), today=today)
    report.problems = sorted([*report.problems, *refused], key=lambda problem: problem.line)
    _mark_and_submit(session, user, centre, accepted, today=today)  # type: ignore[arg-type]
    return report


def _mark_and_submit(
    session: Session, user: User | None, centre: Centre, accepted: dict[str, bool], *, today: date
) -> None:
    from marketplace.listings.service import listing_changed

    if not accepted:
        return
    listings = session.execute(select(Listing).where(Listing.external_key.in_(list(accepted)))).scalars()  # type: ignore[union-attr]
    for listing in listings:
        created = listing.created_by_user_id is None and not listing.created_by_advisor
        if created:
            listing.created_by_advisor = True
            listing.created_by_user_id = user.id  # type: ignore[union-attr]
        record_event(
            session, company_id=listing.company_id, listing_id=listing.id, user=user, centre_id=centre.id,
            action="listing_created" if created else "listing_edited", detail="import",
        )  # fmt: skip
        if centre.requires_review and accepted[listing.external_key] and listing.status == "draft":  # type: ignore[index]
            listing.status = "pending_review"
            listing_changed(session, listing)
            record_event(
                session, company_id=listing.company_id, listing_id=listing.id, user=user, centre_id=centre.id,
                action="listing_submitted", detail="import",
            )  # fmt: skip
        session.add(listing)
    session.flush()
