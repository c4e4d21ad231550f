"""Mail jobs: deliver one outbox message (retried with backoff when the server refuses or is down)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from marketplace.core.settings import SmtpSettings
from marketplace.jobs.models import Job
from marketplace.jobs.registry import JobRegistry
from marketplace.mail.models import MailMessage
from marketplace.mail.service import deliver, mark_sent


def register_mail_jobs(
    registry: JobRegistry, smtp: SmtpSettings | None, mail_dir: Path | None = None
) -> None:
    def deliver_job(session: Session, job: Job) -> None:
        message = session.get(MailMessage, job.entity_id)
        if message is None or message.sent_at is not None:
            return  # deleted, or already sent by an earlier try that committed
        try:
            deliver(message, smtp, mail_dir=mail_dir)
        except Exception as exc:
            raise RuntimeError(f"SMTP delivery to {message.to_address} failed: {exc}") from exc
        mark_sent(message)
        session.add(message)

    registry.register("mail.deliver", deliver_job, max_attempts=8)
