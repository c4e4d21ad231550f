"""Deadline reminders: a member hears once, by mail, of each fitting open notice about to close."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.companies.models import Company
from marketplace.core.i18n import N_, SOURCE_LANGUAGE, gettext_for
from marketplace.mail.service import queue_mail
from marketplace.procurement.matching import opportunities_for_company
from marketplace.procurement.models import ProcurementReminder

REMIND_BEFORE = timedelta(days=3)


def send_deadline_reminders(session: Session, *, now: datetime, base_url: str) -> int:
    """Mail each company's members about fitting notices closing within REMIND_BEFORE; returns mails queued."""
    sent = 0
    with_members = select(Membership.company_id)
    companies = session.execute(
        select(Company).where(Company.id.in_(with_members)).order_by(Company.id)  # type: ignore[union-attr]
    )
    for company in companies.scalars().all():
        found = opportunities_for_company(session, company, now=now, limit=50)
        reminded = set(
            session.execute(
                select(ProcurementReminder.notice_id).where(ProcurementReminder.company_id == company.id)
            ).scalars()
        )
        due = [
            o
            for o in found.open
            if o.notice.tender_end is not None
            and now <= o.notice.tender_end <= now + REMIND_BEFORE
            and o.notice.id not in reminded
        ]
        if not due:
            continue
        users = (
            session.execute(
                select(User)
                .join(Membership, Membership.user_id == User.id)
                .where(
                    Membership.company_id == company.id,
                    User.is_active.is_(True),  # type: ignore[attr-defined]
                )
            )
            .scalars()
            .all()
        )
        for user in users:
            _queue_reminder(session, user, company, due, base_url=base_url)
            sent += 1
        for opportunity in due:
            session.add(ProcurementReminder(company_id=company.id, notice_id=opportunity.notice.id))  # type: ignore[arg-type]
    return sent


def _queue_reminder(session: Session, user: User, company: Company, due: list, *, base_url: str) -> None:
    language = user.locale or SOURCE_LANGUAGE
    t = lambda message, **values: gettext_for(language, message, **values)  # noqa: E731
    subject = t(N_("Tenders closing soon for %(company)s"), company=company.name)
    lines = [t(N_("These government tenders fit %(company)s and close soon:"), company=company.name), ""]
    for opportunity in due:
        notice = opportunity.notice
        lines.append(f"- {notice.title}")
        lines.append(
            "  " + t(N_("Deadline: %(date)s (UTC)"), date=notice.tender_end.strftime("%Y-%m-%d %H:%M"))
        )
        lines.extend("  · " + t(reason.message, **reason.values) for reason in opportunity.reasons[:3])
        lines.append(f"  {base_url.rstrip('/')}/procurement/{notice.id}")
        lines.append("")
    queue_mail(session, to=user.email, subject=subject, body_text="\n".join(lines))
