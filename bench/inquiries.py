"""Inquiry figures: one page of a busy company's inbox (paged in SQL now, in Python before), trust signals.

    .venv/bin/python -m bench.inquiries                          # 5 000 threads, SQLite
    .venv/bin/python -m bench.inquiries --database postgresql    # the same on the local PostgreSQL
    .venv/bin/python -m bench.inquiries --threads 2000 --runs 50

The receiving company gets --threads threads (1 to 4 messages each, half of them read), and as many again
pass between other companies. "before" is the inbox as it was up to commit 06d8f68 (every thread loaded,
sorted and sliced in Python), kept here only to compare; "after" is marketplace.inquiries.inbox.inbox_page.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, insert, or_, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.companies.models import Company
from marketplace.core.db import make_engine
from marketplace.core.migrate import upgrade_to_head
from marketplace.core.models import utcnow
from marketplace.inquiries.inbox import inbox_page
from marketplace.inquiries.models import Inquiry, InquiryRead, Message
from marketplace.inquiries.trust import response_stats
from marketplace.listings.models import Listing

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@contextmanager
def database(kind: str) -> Iterator[Engine]:
    """A fresh, migrated database: a temporary SQLite file, or a temporary database on the local server."""
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}")
        upgrade_to_head(engine)
        yield engine
        engine.dispose()
        return
    name = f"puente_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(admin.url.set(database=name).render_as_string(hide_password=False))
    try:
        upgrade_to_head(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def populate(engine: Engine, threads: int) -> tuple[int, int]:
    """The seller's threads and as many between two other companies; returns (seller user id, company id)."""
    now = utcnow()
    with Session(engine) as session:
        companies = [Company(name=f"Empresa {n}", country="MX", size_class="small") for n in range(4)]
        users = [
            User(email=f"u{n}@bench.example", display_name=f"U{n}", created_at=now - timedelta(days=90))
            for n in range(4)
        ]
        session.add_all([*companies, *users])
        session.flush()
        session.add_all(
            [
                Membership(user_id=u.id, company_id=c.id, role="owner")
                for u, c in zip(users, companies, strict=True)
            ]  # type: ignore[arg-type]
        )
        listings = [
            Listing(
                company_id=c.id,
                kind="offer",
                title="Aguacate",
                description="d",
                language="es",
                status="published",
            )  # type: ignore[arg-type]
            for c in companies
        ]
        session.add_all(listings)
        session.flush()
        pairs = [
            (1, 0),
            (3, 2),
        ]  # (sender, receiver): buyer 1 writes to seller 0; 3 to 2 is the others' traffic
        for sender, receiver in pairs:
            rows = []
            for number in range(threads):
                created = now - timedelta(hours=threads - number)
                rows.append(
                    {
                        "kind": "inquiry", "listing_id": listings[receiver].id, "from_user_id": users[sender].id,
                        "from_company_id": companies[sender].id, "to_company_id": companies[receiver].id,
                        "status": "answered" if number % 4 else "open", "created_at": created,
                        "first_reply_at": created + timedelta(hours=number % 48) if number % 4 else None,
                    }
                )  # fmt: skip
            session.execute(insert(Inquiry), rows)
            ids = list(
                session.execute(
                    select(Inquiry.id)
                    .where(Inquiry.to_company_id == companies[receiver].id)
                    .order_by(Inquiry.id)
                ).scalars()
            )
            messages = []
            for number, inquiry_id in enumerate(ids):
                for turn in range(1 + number % 4):
                    writer = users[sender] if turn % 2 == 0 else users[receiver]
                    messages.append(
                        {"inquiry_id": inquiry_id, "sender_user_id": writer.id, "body": f"Mensaje {number}.{turn}",
                         "sender_company_id": companies[sender if turn % 2 == 0 else receiver].id,
                         "created_at": now - timedelta(hours=threads - number) + timedelta(minutes=turn)}
                    )  # fmt: skip
            session.execute(insert(Message), messages)
            session.execute(
                text(
                    "UPDATE inquiries SET last_message_id = "
                    "(SELECT max(messages.id) FROM messages WHERE messages.inquiry_id = inquiries.id)"
                )
            )
            read = session.execute(
                select(Message.inquiry_id, func.max(Message.id))
                .where(Message.inquiry_id.in_(ids[::2]))  # type: ignore[attr-defined]
                .group_by(Message.inquiry_id)
            ).all()
            session.execute(
                insert(InquiryRead),
                [
                    {
                        "inquiry_id": i,
                        "user_id": users[receiver].id,
                        "last_read_message_id": m,
                        "read_at": now,
                    }
                    for i, m in read
                ],
            )
        session.commit()
        return users[0].id, companies[0].id  # type: ignore[return-value]


def inbox_before(session: Session, user: User, *, page: int, per_page: int) -> tuple[list, int, int]:
    """The inbox as it was before paging moved into SQL: every thread of the user loaded and sorted in Python,
    then sliced (kept only for this comparison)."""
    companies = set(
        session.execute(select(Membership.company_id).where(Membership.user_id == user.id)).scalars()
    )
    conditions = [Inquiry.from_user_id == user.id]
    if companies:
        conditions += [Inquiry.to_company_id.in_(companies), Inquiry.from_company_id.in_(companies)]  # type: ignore[union-attr, attr-defined]
    inquiries = list(session.execute(select(Inquiry).where(or_(*conditions))).scalars())
    ids = [inquiry.id for inquiry in inquiries]
    last = dict(
        session.execute(
            select(Message.inquiry_id, func.max(Message.id))
            .where(Message.inquiry_id.in_(ids))
            .group_by(Message.inquiry_id)  # type: ignore[attr-defined]
        ).all()
    )
    unread = dict(
        session.execute(
            select(Message.inquiry_id, func.count())
            .outerjoin(
                InquiryRead, (InquiryRead.inquiry_id == Message.inquiry_id) & (InquiryRead.user_id == user.id)
            )
            .where(
                Message.inquiry_id.in_(ids),  # type: ignore[attr-defined]
                Message.sender_user_id != user.id,
                or_(
                    InquiryRead.last_read_message_id.is_(None), Message.id > InquiryRead.last_read_message_id
                ),  # type: ignore[union-attr, operator]
            )
            .group_by(Message.inquiry_id)
        ).all()
    )
    listing_ids = {inquiry.listing_id for inquiry in inquiries}
    listings = {
        listing.id: listing
        for listing in session.execute(select(Listing).where(Listing.id.in_(listing_ids))).scalars()  # type: ignore[union-attr]
    }
    rows = [
        (inquiry, listings[inquiry.listing_id], unread.get(inquiry.id, 0), last.get(inquiry.id))
        for inquiry in inquiries
    ]
    rows.sort(key=lambda row: -(row[3] or 0))
    start = (page - 1) * per_page
    return rows[start : start + per_page], len(rows), sum(row[2] for row in rows)


def timed(engine: Engine, work: Callable[[Session], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with Session(engine) as session:
            start = time.perf_counter()
            work(session)
            times.append((time.perf_counter() - start) * 1000)
    return times


def line(label: str, times: list[float]) -> str:
    return f"{label:<44} p50 {statistics.median(times):7.1f} ms   p95 {percentile(times, 0.95):7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=5000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--per-page", type=int, default=20)
    args = parser.parse_args()
    with database(args.database) as engine:
        seller_id, company_id = populate(engine, args.threads)
        with Session(engine) as session:
            seller = session.get(User, seller_id)
            before = inbox_before(session, seller, page=1, per_page=args.per_page)  # type: ignore[arg-type]
            after = inbox_page(session, seller, page=1, per_page=args.per_page)
            # Both ways give the same page, total and unread count.
            assert [row[0].id for row in before[0]] == [row.inquiry.id for row in after.items]
            assert (before[1], before[2]) == (after.total, after.unread_total)
            print(f"{args.database}: {after.total} threads in the receiving company's inbox, "
                  f"{after.unread_total} unread messages; {args.threads} other threads in the database")  # fmt: skip

        def load(session: Session) -> User:
            return session.get(User, seller_id)  # type: ignore[return-value]

        last = (args.threads + args.per_page - 1) // args.per_page
        figures = [
            ("before: page 1, paged in Python", lambda s: inbox_before(s, load(s), page=1, per_page=args.per_page)),
            ("after:  page 1, paged in SQL", lambda s: inbox_page(s, load(s), page=1, per_page=args.per_page)),
            (f"after:  page {last} (the last), paged in SQL", lambda s: inbox_page(s, load(s), page=last, per_page=args.per_page)),
            ("trust signals (response_stats)", lambda s: response_stats(s, company_id)),
        ]  # fmt: skip
        for label, work in figures:
            timed(engine, work, 2)  # warm the caches
            print(line(label, timed(engine, work, args.runs)))


if __name__ == "__main__":
    main()
