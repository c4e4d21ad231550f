"""Trust signals computed from a company's inquiries: response rate and median response time.

Not a setting: every company shows them once it has received inquiries.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.inquiries.models import Inquiry

PERIOD = timedelta(days=365)
# An unanswered inquiry counts against the rate only once the company has had this long to answer.
GRACE = timedelta(days=2)


@dataclass(frozen=True)
class ResponseStats:
    received: int  # inquiries counted (past the grace period or answered)
    answered: int
    median_response: timedelta | None

    @property
    def rate(self) -> int | None:
        """Percentage answered, rounded; None before any inquiry counts."""
        return round(100 * self.answered / self.received) if self.received else None

    @property
    def median_hours(self) -> int | None:
        if self.median_response is None:
            return None
        return max(1, round(self.median_response.total_seconds() / 3600))


def response_stats(session: Session, company_id: int, *, now: datetime | None = None) -> ResponseStats:
    """Of the inquiries the company received in the last year (spam excluded), the share it answered and
    the median time to its first reply."""
    now = now or utcnow()
    rows = session.execute(
        select(Inquiry.created_at, Inquiry.first_reply_at).where(
            Inquiry.to_company_id == company_id,
            Inquiry.status != "spam",
            Inquiry.created_at >= now - PERIOD,
        )
    ).all()
    counted = [
        (created, replied) for created, replied in rows if replied is not None or created <= now - GRACE
    ]
    delays = [replied - created for created, replied in counted if replied is not None]
    return ResponseStats(
        received=len(counted),
        answered=len(delays),
        median_response=statistics.median(delays) if delays else None,
    )


def response_stats_for_page(engine: Engine, company_id: int) -> ResponseStats:
    """For templates: read in its own autocommitting connection, beside the request's unit of work (on
    SQLite a second transaction in the same thread would wait for the request's write lock)."""
    with Session(engine.execution_options(sqlite_begin="NONE")) as session:
        return response_stats(session, company_id)
