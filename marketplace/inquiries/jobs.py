"""Inquiry jobs: the grouped e-mail digest of new inquiries and replies for one user."""

from __future__ import annotations

from sqlmodel import Session

from marketplace.core.settings import Settings
from marketplace.inquiries.notifications import send_digest
from marketplace.jobs.models import Job
from marketplace.jobs.registry import JobRegistry


def register_inquiry_jobs(registry: JobRegistry, settings: Settings) -> None:
    def digest_job(session: Session, job: Job) -> None:
        send_digest(session, job.entity_id, base_url=settings.base_url, secret_key=settings.secret_key)  # type: ignore[arg-type]

    registry.register("inquiries.digest", digest_job, max_attempts=5)
