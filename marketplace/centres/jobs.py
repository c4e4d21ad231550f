"""Centre jobs: the periodic lapse of verification badges."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from marketplace.centres.verification import lapse_verifications
from marketplace.jobs.models import Job
from marketplace.jobs.registry import JobRegistry

LAPSE_INTERVAL = timedelta(hours=1)


def register_centre_jobs(registry: JobRegistry) -> None:
    def lapse_job(session: Session, job: Job) -> None:
        lapse_verifications(session)

    registry.register("centres.lapse_verifications", lapse_job, max_attempts=3)
    registry.register_periodic("centres.lapse_verifications", LAPSE_INTERVAL)
