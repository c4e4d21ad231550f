"""Listing jobs: the scheduled expiry of listings past their valid_until date."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.jobs.models import Job
from marketplace.jobs.registry import JobRegistry
from marketplace.listings.service import expire_overdue_listings

EXPIRY_INTERVAL = timedelta(minutes=15)


def register_listing_jobs(registry: JobRegistry) -> None:
    def expire_job(session: Session, job: Job) -> None:
        expire_overdue_listings(session, today=utcnow().date())

    registry.register("listings.expire", expire_job, max_attempts=3)
    registry.register_periodic("listings.expire", EXPIRY_INTERVAL)
