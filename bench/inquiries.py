"""Inquiry figures: sending through the page, the inbox with many threads, trust signals (prints timings).

python bench/inquiries.py [--threads 2000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.companies.models import Company
from marketplace.core.db import make_engine
from marketplace.core.migrate import upgrade_to_head
from marketplace.core.models import utcnow
from marketplace.inquiries import service
from marketplace.inquiries.models import Inquiry, Message
from marketplace.inquiries.trust import response_stats
from marketplace.listings.models import Listing


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2000)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp())
    engine = make_engine(f"sqlite:///{directory / 'bench.db'}")
    upgrade_to_head(engine)
    now = utcnow()
    with Session(engine) as session:
        seller_company = Company(name="Vendedora", country="MX", size_class="small")
        buyer_company = Company(name="Compradora", country="GT", size_class="small")
        session.add_all([seller_company, buyer_company])
        session.flush()
        seller = User(email="s@x.example", display_name="S", created_at=now - timedelta(days=90))
        buyer = User(email="b@x.example", display_name="B", created_at=now - timedelta(days=90))
        session.add_all([seller, buyer])
        session.flush()
        session.add_all(
            [
                Membership(user_id=seller.id, company_id=seller_company.id, role="owner"),
                Membership(user_id=buyer.id, company_id=buyer_company.id, role="owner"),
            ]
        )
        listing = Listing(
            company_id=seller_company.id,
            kind="offer",
            title="Aguacate",
            description="d",
            language="es",
            status="published",
        )
        session.add(listing)
        session.flush()
        for number in range(args.threads):
            created = now - timedelta(hours=number % 5000)
            inquiry = Inquiry(
                kind="inquiry", listing_id=listing.id, from_user_id=buyer.id, from_company_id=buyer_company.id,
                to_company_id=seller_company.id, created_at=created,
                first_reply_at=created + timedelta(hours=number % 48) if number % 4 else None,
            )  # fmt: skip
            session.add(inquiry)
            session.flush()
            session.add(Message(inquiry_id=inquiry.id, sender_user_id=buyer.id, body=f"Mensaje {number}"))
        session.commit()
        seller_id = seller.id
        company_id = seller_company.id

    def timed(work, runs: int = 20) -> list[float]:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(runs):
            with Session(engine) as session:
                start = time.perf_counter()
                work(session)
                times.append((time.perf_counter() - start) * 1000)
        return times

    inbox = timed(lambda session: service.inbox(session, session.get(User, seller_id)))
    stats = timed(lambda session: response_stats(session, company_id))
    with Session(engine) as session:
        figures = response_stats(session, company_id)
    print(f"threads: {args.threads} (SQLite, {directory})")
    print(
        f"inbox of the receiving company: p50 {statistics.median(inbox):.1f} ms, p95 {percentile(inbox, 0.95):.1f} ms"
    )
    print(f"trust signals: p50 {statistics.median(stats):.1f} ms, p95 {percentile(stats, 0.95):.1f} ms")
    print(f"  -> rate {figures.rate}% of {figures.received}, median {figures.median_hours} h")
    engine.dispose()


if __name__ == "__main__":
    main()
