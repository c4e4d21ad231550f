"""Outgoing mail: kept in the outbox table, delivered by a job through SMTP_URL, or logged when unset."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.core.settings import SmtpSettings
from marketplace.jobs.service import enqueue
from marketplace.mail.models import MailMessage

log = logging.getLogger(__name__)
SENDER = "Puente <no-reply@puente.invalid>"
SMTP_TIMEOUT_SECONDS = 20


def queue_mail(
    session: Session,
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    headers: dict[str, str] | None = None,
) -> MailMessage:
    """Keep a message in the outbox and queue its delivery in the caller's transaction."""
    message = MailMessage(
        to_address=to, subject=subject, body_text=body_text, body_html=body_html, headers=headers or None
    )
    session.add(message)
    session.flush()
    enqueue(session, "mail.deliver", entity="mail", entity_id=message.id)
    return message


def _email(message: MailMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def deliver(
    message: MailMessage, smtp: SmtpSettings | None, *, sender: str = SENDER, mail_dir: Path | None = None
) -> None:
    """Send one message through SMTP; with no server configured, write it to the log (where links' tokens
    are redacted like every secret) and, whole, as an .eml file in `mail_dir` (what a developer opens)."""
    if smtp is None:
        written = ""
        if mail_dir is not None:
            mail_dir.mkdir(parents=True, exist_ok=True)
            path = mail_dir / f"{utcnow():%Y%m%dT%H%M%S}-{message.id}.eml"
            path.write_bytes(_email(message, sender).as_bytes())
            written = f" (whole message in {path})"
        log.info(
            "mail (no SMTP_URL) to=%s subject=%s%s\n%s",
            message.to_address,
            message.subject,
            written,
            message.body_text,
        )
        return
    email = _email(message, sender)
    if smtp.use_tls:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS)
    with client:
        if smtp.starttls:
            client.starttls(context=ssl.create_default_context())
        if smtp.username:
            client.login(smtp.username, smtp.password or "")
        client.send_message(email)


def mark_sent(message: MailMessage) -> None:
    message.sent_at = utcnow()
    message.error = None
