"""Media jobs: the periodic sweep of files no row refers to (deleted listings, interrupted uploads)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from marketplace.core.settings import Settings
from marketplace.jobs.models import Job
from marketplace.jobs.registry import JobRegistry
from marketplace.media.storage import media_storage, remove_orphaned_files

SWEEP_INTERVAL = timedelta(hours=6)


def register_media_jobs(registry: JobRegistry, settings: Settings) -> None:
    storage = media_storage(settings)

    def sweep_job(session: Session, job: Job) -> None:
        remove_orphaned_files(session, storage)

    registry.register("media.sweep", sweep_job, max_attempts=3)
    registry.register_periodic("media.sweep", SWEEP_INTERVAL)
