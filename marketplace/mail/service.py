"""Outgoing mail: kept in the outbox table, delivered by a job through SMTP_URL, or logged when unset."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

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


def deliver(message: MailMessage, smtp: SmtpSettings | None, *, sender: str = SENDER) -> None:
    """Send one message through SMTP, or write it to the log when no server is configured."""
    if smtp is None:
        log.info(
            "mail (no SMTP_URL) to=%s subject=%s\n%s", message.to_address, message.subject, message.body_text
        )
        return
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
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
