"""In-app notifications of new inquiries and replies, e-mailed as one digest per user per short period."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.core.i18n import N_, gettext_for, translations
from marketplace.core.models import utcnow
from marketplace.inquiries.models import Inquiry, Message
from marketplace.jobs.service import enqueue
from marketplace.mail.service import queue_mail
from marketplace.notifications import service as notices
from marketplace.notifications.models import INQUIRY_KINDS, Notification, NotificationSettings
from marketplace.notifications.unsubscribe import unsubscribe_headers, unsubscribe_url

# Messages arriving within this period reach a user as one e-mail instead of one e-mail each.
DIGEST_DELAY = timedelta(minutes=10)
SNIPPET = 300

OPEN_THE_CONVERSATION = N_("Open the conversation")  # outside the f-string, where extraction finds it
STOP_THESE_EMAILS = N_("Stop these e-mails: %(link)s")


def settings_for(session: Session, user_id: int) -> NotificationSettings:
    return notices.settings_for(session, user_id)


def save_settings(session: Session, user_id: int, **choices: bool | str | None) -> NotificationSettings:
    return notices.save_settings(session, user_id, **choices)


def _slot(now: datetime) -> int:
    return int(now.timestamp() // DIGEST_DELAY.total_seconds()) if DIGEST_DELAY.total_seconds() else 0


def notify_members(
    session: Session, inquiry: Inquiry, message: Message, *, kind: str, user_ids: list[int]
) -> None:
    """An in-app notice for each user; those who want e-mail get a digest queued for the end of the period."""
    now = utcnow()
    for user_id in user_ids:
        session.add(Notification(user_id=user_id, inquiry_id=inquiry.id, message_id=message.id, kind=kind))
        if notices.wants_email(settings_for(session, user_id), kind):
            slot = _slot(now)
            enqueue(
                session,
                "inquiries.digest",
                entity="user",
                entity_id=user_id,
                run_after=now + DIGEST_DELAY,
                dedupe_key=f"inquiries.digest:{user_id}:{slot}" if DIGEST_DELAY.total_seconds() else None,
            )
    session.flush()


def mark_read(session: Session, user_id: int, inquiry_id: int) -> None:
    notices.mark_inquiry_read(session, user_id, inquiry_id)


def send_digest(session: Session, user_id: int, *, base_url: str, secret_key: str) -> int:
    """Mail the user one message listing every notice not yet e-mailed (unread ones only); returns how many."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return 0
    choice = settings_for(session, user_id)
    pending = list(
        session.execute(
            select(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.kind.in_(INQUIRY_KINDS),  # type: ignore[attr-defined]
                Notification.emailed_at.is_(None),  # type: ignore[union-attr]
            )
            .order_by(Notification.id)
        ).scalars()
    )
    wanted = [n for n in pending if n.read_at is None and notices.wants_email(choice, n.kind)]
    now = utcnow()
    for notice in pending:
        notice.emailed_at = now
        session.add(notice)
    if not wanted:
        return 0
    language = user.locale or "en"
    lines: list[str] = []
    items: list[str] = []
    open_label = gettext_for(language, OPEN_THE_CONVERSATION)
    for view in notices.describe(session, wanted, language):
        message = session.get(Message, view.notice.message_id) if view.notice.message_id else None
        link = f"{base_url.rstrip('/')}{view.path}"
        snippet = (message.body if message else "")[:SNIPPET]
        lines.append(f"{view.title}\n{snippet}\n{link}\n")
        items.append(
            f"<li><p><strong>{html.escape(view.title)}</strong></p><p>{html.escape(snippet)}</p>"
            f'<p><a href="{html.escape(link)}">{html.escape(open_label)}</a></p></li>'
        )
    subject = translations(language).ngettext(
        "Puente: %(count)s new message about your inquiries",
        "Puente: %(count)s new messages about your inquiries",
        len(wanted),
    ) % {"count": len(wanted)}
    intro = gettext_for(language, N_("You have new messages on Puente:"))
    settings_note = gettext_for(
        language,
        N_("Choose which e-mails you receive: %(link)s"),
        link=f"{base_url.rstrip('/')}/inquiries/settings",
    )
    stop_url = unsubscribe_url(base_url, secret_key, user_id, "inquiries")
    stop_note = gettext_for(language, STOP_THESE_EMAILS, link=stop_url)
    body_text = "\n".join([intro, "", *lines, settings_note, stop_note])
    body_html = (
        f"<p>{html.escape(intro)}</p><ul>{''.join(items)}</ul><p>{html.escape(settings_note)}</p>"
        f'<p><a href="{html.escape(stop_url)}">{html.escape(stop_note)}</a></p>'
    )
    queue_mail(
        session,
        to=user.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=unsubscribe_headers(stop_url),
    )
    return len(wanted)
