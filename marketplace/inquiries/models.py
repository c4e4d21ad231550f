"""Inquiries (a buyer to a seller) and quotes (a seller answering a buy request), with their threads."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field, money_field, quantity_field
from marketplace.notifications.models import INQUIRY_KINDS as INQUIRY_NOTIFICATION_KINDS
from marketplace.notifications.models import Notification, NotificationSettings

INQUIRY_KINDS = ("inquiry", "quote")
INQUIRY_STATUSES = ("open", "answered", "closed", "spam")
INQUIRY_OUTCOMES = ("deal", "no_deal", "no_answer")


class Inquiry(SQLModel, table=True):
    __tablename__ = "inquiries"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=8)  # INQUIRY_KINDS
    listing_id: int = Field(foreign_key="listings.id", index=True, ondelete="CASCADE")
    from_company_id: int | None = Field(default=None, foreign_key="companies.id", index=True)
    from_user_id: int = Field(foreign_key="users.id", index=True)
    to_company_id: int = Field(foreign_key="companies.id", index=True, ondelete="CASCADE")
    status: str = Field(default="open", max_length=10)  # INQUIRY_STATUSES
    outcome: str | None = Field(default=None, max_length=10)  # INQUIRY_OUTCOMES, when closed
    quantity: Decimal | None = quantity_field()
    unit: str | None = Field(default=None, max_length=16)
    price: Decimal | None = money_field()  # target price (inquiry) or quoted price (quote)
    currency: str | None = Field(default=None, max_length=3)
    delivery_country: str | None = Field(default=None, max_length=2)
    incoterm: str | None = Field(default=None, max_length=3)
    needed_by: date | None = None
    lead_time_days: int | None = None
    quote_valid_until: date | None = None
    first_reply_at: datetime | None = None  # for the receiving company's response time
    closed_at: datetime | None = None
    # Reported as spam by the receiving company: hidden from its inbox, counted against the sender.
    reported_at: datetime | None = None
    # Started by an advisor acting for from_company (from_user_id is the advisor): the advisor's access then
    # rests on the client's consent, not on having written the first message.
    sent_by_advisor: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # Who closed it: a member of closed_by_company, or an advisor of closed_by_centre acting for it.
    closed_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    closed_by_company_id: int | None = Field(default=None, foreign_key="companies.id", ondelete="SET NULL")
    closed_by_centre_id: int | None = Field(default=None, foreign_key="centres.id", ondelete="SET NULL")
    # The newest message's id, kept with each message so the inbox sorts by activity without an aggregate
    # over the messages (no foreign key: messages already point here).
    last_message_id: int | None = None
    created_at: datetime = created_at_field()


class Message(SQLModel, table=True):
    __tablename__ = "messages"

    id: int | None = Field(default=None, primary_key=True)
    inquiry_id: int = Field(foreign_key="inquiries.id", index=True, ondelete="CASCADE")
    sender_user_id: int = Field(foreign_key="users.id")
    sender_company_id: int | None = Field(default=None, foreign_key="companies.id")
    # Set when an advisor of this centre wrote for sender_company (shown as "<advisor> for <company>").
    acting_centre_id: int | None = Field(default=None, foreign_key="centres.id", ondelete="SET NULL")
    body: str = Field(max_length=8000)
    created_at: datetime = created_at_field()


class InquiryRead(SQLModel, table=True):
    """How far a user has read a thread."""

    __tablename__ = "inquiry_reads"
    __table_args__ = (UniqueConstraint("inquiry_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    inquiry_id: int = Field(foreign_key="inquiries.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    last_read_message_id: int | None = None
    read_at: datetime = created_at_field()


# Inquiry notices and e-mail choices live in the shared notifications tables (marketplace/notifications);
# these names stay for the code that imports them from here.
InquiryNotification = Notification
InquiryNotificationSettings = NotificationSettings
NOTIFICATION_KINDS = INQUIRY_NOTIFICATION_KINDS
