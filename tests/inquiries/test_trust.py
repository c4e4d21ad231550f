"""Response rate and median response time, computed from a company's inquiries and shown on its pages."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.inquiries.models import Inquiry
from marketplace.inquiries.trust import response_stats
from tests.inquiries.tools import scene


def received(
    session: Session, s, *, days_ago: float, reply_after_hours: float | None = None, status: str = "open"
) -> None:  # type: ignore[no-untyped-def]
    created = utcnow() - timedelta(days=days_ago)
    replied = created + timedelta(hours=reply_after_hours) if reply_after_hours is not None else None
    session.add(
        Inquiry(
            kind="inquiry", listing_id=s.offer.id, from_user_id=s.buyer.id, from_company_id=s.buyer_company.id,
            to_company_id=s.seller_company.id, status=status if replied is None else "answered",
            first_reply_at=replied, created_at=created,
        )
    )  # fmt: skip


def test_rate_counts_answered_over_due_inquiries_and_median_is_of_first_replies(session: Session) -> None:
    s = scene(session)
    received(session, s, days_ago=10, reply_after_hours=1)
    received(session, s, days_ago=9, reply_after_hours=3)
    received(session, s, days_ago=8, reply_after_hours=30)
    received(session, s, days_ago=7)  # unanswered after a week: counts against
    received(session, s, days_ago=0.5)  # unanswered but still within the 2-day grace: not counted yet
    received(session, s, days_ago=3, status="spam")  # reported as spam: not counted
    received(session, s, days_ago=400)  # older than a year: not counted
    session.commit()
    stats = response_stats(session, s.seller_company.id)  # type: ignore[arg-type]
    assert (stats.received, stats.answered, stats.rate) == (4, 3, 75)
    assert stats.median_response == timedelta(hours=3) and stats.median_hours == 3
    assert response_stats(session, s.buyer_company.id).rate is None  # type: ignore[arg-type]


def test_even_count_median_and_rounding(session: Session) -> None:
    s = scene(session)
    for hours in (2, 4):
        received(session, s, days_ago=5, reply_after_hours=hours)
    received(session, s, days_ago=5)
    session.commit()
    stats = response_stats(session, s.seller_company.id)  # type: ignore[arg-type]
    assert (stats.received, stats.answered, stats.rate, stats.median_hours) == (3, 2, 67, 3)


def test_signals_are_shown_on_the_company_page_and_its_listings(client: TestClient, session: Session) -> None:
    s = scene(session)
    assert "No inquiries answered yet." in client.get(f"/companies/{s.seller_company.id}").text
    received(session, s, days_ago=6, reply_after_hours=5)
    received(session, s, days_ago=6)
    session.commit()
    for path in (f"/companies/{s.seller_company.id}", f"/listings/{s.offer.id}"):
        page = client.get(path)
        assert page.status_code == 200
        assert "Answers 50% of inquiries" in page.text and "usually within 5 hours" in page.text
