"""Keep the index equal to the database: the outbox job, a full reindex, and a reconciliation report."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.companies.models import Company
from marketplace.core.models import utcnow
from marketplace.listings.models import Listing
from marketplace.search.documents import belongs_in_index, listing_document
from search.engine import SearchEngine

BATCH = 500


def sync_listing(session: Session, engine: SearchEngine, listing_id: int) -> str:
    """Bring one listing's document to the database's current state: "upserted", "deleted" or "gone".

    The job reads the listing now rather than trusting the version it was queued with, so an older job
    running late can never put back an older document.
    """
    listing = session.get(Listing, listing_id)
    if listing is None:
        engine.delete("listings", [listing_id])
        return "gone"
    if not belongs_in_index(listing, utcnow().date()):
        engine.delete("listings", [listing_id])
        return "deleted"
    company = session.get(Company, listing.company_id)
    engine.upsert("listings", [listing_document(listing, company)])  # type: ignore[arg-type]
    return "upserted"


def _active_listings(session: Session, today: date) -> Iterator[tuple[Listing, Company]]:
    last_id = 0
    while True:
        rows = session.execute(
            select(Listing, Company)
            .join(Company, Company.id == Listing.company_id)
            .where(Listing.id > last_id, Listing.status == "published")
            .order_by(Listing.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for listing, company in rows:
            if belongs_in_index(listing, today):
                yield listing, company
        last_id = rows[-1][0].id


def reindex_listings(
    db: Engine, engine: SearchEngine, *, progress: Callable[[int], None] | None = None
) -> int:
    """Build a new listings index from the database beside the live one, then swap it in; returns the count.

    Changes made while the new index was being built went to the old one; a reconciliation right after the
    swap queues a sync for each of them.
    """
    count = 0
    batch = []
    with Session(db) as session, engine.rebuild("listings") as build:
        for listing, company in _active_listings(session, utcnow().date()):
            batch.append(listing_document(listing, company))
            if len(batch) == BATCH:
                build.add(batch)
                count += len(batch)
                batch = []
                if progress:
                    progress(count)
        if batch:
            build.add(batch)
            count += len(batch)
    if progress:
        progress(count)
    reconcile_listings(db, engine, repair=True)
    return count


@dataclass
class Reconciliation:
    """Differences between the database and the index (all empty: they agree)."""

    missing: list[int] = field(default_factory=list)  # active in the database, absent from the index
    stale: list[int] = field(default_factory=list)  # indexed with an older version
    orphaned: list[int] = field(default_factory=list)  # in the index, not active in the database

    @property
    def differences(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.orphaned)


def reconcile_listings(db: Engine, engine: SearchEngine, *, repair: bool = False) -> Reconciliation:
    """Compare the index with the database; with `repair`, queue a sync job for every difference."""
    indexed = engine.document_versions("listings")
    report = Reconciliation()
    with Session(db) as session:
        active = {listing.id: listing.version for listing, _ in _active_listings(session, utcnow().date())}
    for listing_id, version in active.items():
        if listing_id not in indexed:
            report.missing.append(listing_id)  # type: ignore[arg-type]
        elif indexed[listing_id] < version:  # type: ignore[index]
            report.stale.append(listing_id)  # type: ignore[arg-type]
    report.orphaned = sorted(set(indexed) - set(active))
    if repair and report.differences:
        from marketplace.core.db import session_scope
        from marketplace.jobs.service import enqueue
        from marketplace.listings.sync import SYNC_JOB

        with session_scope(db) as session:
            for listing_id in [*report.missing, *report.stale, *report.orphaned]:
                enqueue(session, SYNC_JOB, entity="listing", entity_id=listing_id, max_attempts=10)
    return report
