"""Procurement jobs: index a notice change, and the periodic deadline reminders."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.core.settings import Settings
from marketplace.jobs.models import Job
from marketplace.jobs.registry import JobRegistry
from marketplace.procurement.reminders import send_deadline_reminders
from marketplace.procurement.sync import SYNC_JOB, sync_notice
from search.engine import SearchEngine

REMINDER_JOB = "procurement.deadline_reminders"
REMINDER_INTERVAL = timedelta(hours=1)


def register_procurement_jobs(
    registry: JobRegistry, settings: Settings, search_engine: SearchEngine | None
) -> None:
    def reminders_job(session: Session, job: Job) -> None:
        send_deadline_reminders(session, now=utcnow(), base_url=settings.base_url)

    registry.register(REMINDER_JOB, reminders_job, max_attempts=3)
    registry.register_periodic(REMINDER_JOB, REMINDER_INTERVAL)
    if search_engine is not None:

        def sync_job(session: Session, job: Job) -> None:
            sync_notice(session, search_engine, job.entity_id)  # type: ignore[arg-type]

        registry.register(SYNC_JOB, sync_job, max_attempts=10)
