"""The mail outbox: every message the portal sends is kept here, then delivered by a job or logged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field


class MailMessage(SQLModel, table=True):
    __tablename__ = "mail_outbox"

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=300)
    body_text: str
    body_html: str | None = None
    # Extra headers, e.g. List-Unsubscribe (RFC 2369) and List-Unsubscribe-Post (RFC 8058) on digests.
    headers: dict[str, str] | None = Field(default=None, sa_type=JSON, nullable=True)
    sent_at: datetime | None = None
    error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = created_at_field()
