"""In-app notifications of new inquiries and replies, e-mailed as one digest per user per short period."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.companies.models import Company
from marketplace.core.i18n import N_, gettext_for, translations
from marketplace.core.models import utcnow
from marketplace.inquiries.models import (
    Inquiry,
    InquiryNotification,
    InquiryNotificationSettings,
    Message,
)
from marketplace.jobs.service import enqueue
from marketplace.mail.service import queue_mail

# Messages arriving within this period reach a user as one e-mail instead of one e-mail each.
DIGEST_DELAY = timedelta(minutes=10)
SNIPPET = 300

OPEN_THE_CONVERSATION = N_("Open the conversation")  # outside the f-string, where extraction finds it


def settings_for(session: Session, user_id: int) -> InquiryNotificationSettings:
    found = session.execute(
        select(InquiryNotificationSettings).where(InquiryNotificationSettings.user_id == user_id)
    ).scalar_one_or_none()
    return found or InquiryNotificationSettings(user_id=user_id)


def save_settings(session: Session, user_id: int, *, email_new_inquiries: bool, email_replies: bool) -> None:
    found = settings_for(session, user_id)
    found.email_new_inquiries = email_new_inquiries
    found.email_replies = email_replies
    found.updated_at = utcnow()
    session.add(found)
    session.flush()


def _wants_email(choice: InquiryNotificationSettings, kind: str) -> bool:
    return choice.email_new_inquiries if kind == "new_inquiry" else choice.email_replies


def _slot(now: datetime) -> int:
    return int(now.timestamp() // DIGEST_DELAY.total_seconds()) if DIGEST_DELAY.total_seconds() else 0


def notify_members(
    session: Session, inquiry: Inquiry, message: Message, *, kind: str, user_ids: list[int]
) -> None:
    """An in-app notice for each user; those who want e-mail get a digest queued for the end of the period."""
    now = utcnow()
    for user_id in user_ids:
        session.add(
            InquiryNotification(user_id=user_id, inquiry_id=inquiry.id, message_id=message.id, kind=kind)
        )  # type: ignore[arg-type]
        if _wants_email(settings_for(session, user_id), kind):
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
    session.execute(
        update(InquiryNotification)
        .where(
            InquiryNotification.user_id == user_id,
            InquiryNotification.inquiry_id == inquiry_id,
            InquiryNotification.read_at.is_(None),  # type: ignore[union-attr]
        )
        .values(read_at=utcnow())
    )


def send_digest(session: Session, user_id: int, *, base_url: str) -> int:
    """Mail the user one message listing every notice not yet e-mailed (unread ones only); returns how many."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return 0
    choice = settings_for(session, user_id)
    pending = list(
        session.execute(
            select(InquiryNotification)
            .where(InquiryNotification.user_id == user_id, InquiryNotification.emailed_at.is_(None))  # type: ignore[union-attr]
            .order_by(InquiryNotification.id)
        ).scalars()
    )
    wanted = [n for n in pending if n.read_at is None and _wants_email(choice, n.kind)]
    now = utcnow()
    for notice in pending:
        notice.emailed_at = now
        session.add(notice)
    if not wanted:
        return 0
    language = user.locale or "en"
    lines: list[str] = []
    items: list[str] = []
    for notice in wanted:
        inquiry = session.get(Inquiry, notice.inquiry_id)
        message = session.get(Message, notice.message_id) if notice.message_id else None
        sender = session.get(User, message.sender_user_id) if message else None
        company = (
            session.get(Company, message.sender_company_id) if message and message.sender_company_id else None
        )
        who = company.name if company else (sender.display_name if sender else "")
        title = gettext_for(
            language,
            N_("New inquiry from %(sender)s")
            if notice.kind == "new_inquiry"
            else N_("New reply from %(sender)s"),
            sender=who,
        )
        link = f"{base_url.rstrip('/')}/inquiries/{inquiry.id}"  # type: ignore[union-attr]
        snippet = (message.body if message else "")[:SNIPPET]
        lines.append(f"{title}\n{snippet}\n{link}\n")
        open_label = gettext_for(language, OPEN_THE_CONVERSATION)
        items.append(
            f"<li><p><strong>{html.escape(title)}</strong></p><p>{html.escape(snippet)}</p>"
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
    body_text = "\n".join([intro, "", *lines, settings_note])
    body_html = f"<p>{html.escape(intro)}</p><ul>{''.join(items)}</ul><p>{html.escape(settings_note)}</p>"
    queue_mail(session, to=user.email, subject=subject, body_text=body_text, body_html=body_html)
    return len(wanted)


def unread_notifications(session: Session, user_id: int) -> list[InquiryNotification]:
    return list(
        session.execute(
            select(InquiryNotification)
            .where(InquiryNotification.user_id == user_id, InquiryNotification.read_at.is_(None))  # type: ignore[union-attr]
            .order_by(InquiryNotification.id.desc())  # type: ignore[union-attr]
        ).scalars()
    )
