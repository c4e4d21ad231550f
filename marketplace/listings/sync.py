"""The outbox side of search: every listing change queues a sync job in the same transaction."""

from __future__ import annotations

from sqlmodel import Session

from marketplace.jobs.service import enqueue
from marketplace.listings.models import Listing

SYNC_JOB = "search.sync_listing"
MATCH_JOB = "matching.match_listing"


def queue_listing_sync(session: Session, listing: Listing) -> None:
    """Queue bringing the index to this listing's current version (the job reads the listing then)."""
    session.flush()
    enqueue(
        session,
        SYNC_JOB,
        entity="listing",
        entity_id=listing.id,
        version=listing.version,
        dedupe_key=f"listing:{listing.id}:v{listing.version}",
        max_attempts=10,
    )
    # Matching follows every change too: a published listing finds its counterparts, a closed one leaves.
    enqueue(
        session,
        MATCH_JOB,
        entity="listing",
        entity_id=listing.id,
        version=listing.version,
        dedupe_key=f"match:{listing.id}:v{listing.version}",
    )
