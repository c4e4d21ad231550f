"""Moderation's background work: a reconciliation of the search index an admin asked for."""

from __future__ import annotations

from sqlmodel import Session

from marketplace.jobs.models import Job
from marketplace.jobs.registry import JobRegistry
from marketplace.moderation.health import RECONCILE_JOB, run_reconciliation
from search.engine import SearchEngine


def register_moderation_jobs(registry: JobRegistry, engine: SearchEngine) -> None:
    def reconcile_job(session: Session, job: Job) -> None:
        run_reconciliation(session, engine, job.entity_id)  # type: ignore[arg-type]

    registry.register(RECONCILE_JOB, reconcile_job, max_attempts=1)
