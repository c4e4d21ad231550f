"""Search jobs: apply one listing change to the index (retried with backoff while the engine is down)."""

from __future__ import annotations

from sqlmodel import Session

from marketplace.jobs.models import Job
from marketplace.jobs.registry import JobRegistry
from marketplace.listings.sync import SYNC_JOB
from marketplace.search.sync import sync_listing
from search.engine import SearchEngine


def register_search_jobs(registry: JobRegistry, engine: SearchEngine) -> None:
    def sync_job(session: Session, job: Job) -> None:
        sync_listing(session, engine, job.entity_id)  # type: ignore[arg-type]

    registry.register(SYNC_JOB, sync_job, max_attempts=10)
