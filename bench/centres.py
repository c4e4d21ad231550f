"""Benchmark the centre dashboard's services on a busy centre (SQLite, a fresh temporary database).

    .venv/bin/python -m bench.centres                  # 300 clients, 20 000 outcomes, 3 000 reviews
    .venv/bin/python -m bench.centres --clients 100 --outcomes 5000 --reviews 1000

Prints the time of each call the dashboard and the export make (median of 5 runs).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from marketplace.accounts.models import User
from marketplace.centres import service
from marketplace.centres.models import Advisor, AuditEvent, Centre, CentreClient
from marketplace.companies.models import Company
from marketplace.core.db import make_engine, session_scope
from marketplace.core.migrate import upgrade_to_head
from marketplace.core.models import utcnow
from marketplace.listings.models import Listing
from marketplace.outcomes import service as outcomes
from marketplace.outcomes.models import Outcome


def build(engine, *, clients: int, n_outcomes: int, reviews: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    rng = random.Random(8)
    now = utcnow()
    with engine.begin() as c:
        centre_id = c.execute(
            insert(Centre).values(
                name="Bench SBDC", country="MX", requires_review=True, verification_days=365, created_at=now
            )
        ).inserted_primary_key[0]
        users = [
            c.execute(
                insert(User).values(
                    email=f"a{i}@bench.example",
                    display_name=f"Advisor {i}",
                    is_admin=False,
                    is_active=True,
                    created_at=now,
                )
            ).inserted_primary_key[0]
            for i in range(5)
        ]
        for uid in users:
            c.execute(
                insert(Advisor).values(user_id=uid, centre_id=centre_id, role="advisor", created_at=now)
            )
        companies = [
            c.execute(
                insert(Company).values(
                    name=f"Cliente {i}",
                    country=rng.choice(["MX", "CO", "PE", "BR"]),
                    size_class="small",
                    sectors=[],
                    languages=[],
                    markets_served=[],
                    certifications=[],
                    export_experience="none",
                    women_led=False,
                    youth_led=False,
                    created_at=now,
                    updated_at=now,
                )
            ).inserted_primary_key[0]
            for i in range(clients)
        ]
        c.execute(
            insert(CentreClient),
            [
                dict(centre_id=centre_id, company_id=cid, status="active", consent_at=now, created_at=now)
                for cid in companies
            ],
        )
        listing_rows = [
            dict(
                company_id=rng.choice(companies),
                kind="offer",
                title=f"Producto {i}",
                description="x",
                language="es",
                status="published",
                ship_to=[],
                accept_from=[],
                certifications=[],
                created_by_advisor=False,
                version=1,
                views=0,
                created_at=now,
                updated_at=now,
            )
            for i in range(reviews)
        ]
        c.execute(insert(Listing), listing_rows)
        events = []
        for lid in range(1, reviews + 1):
            submitted = now - timedelta(days=rng.randint(1, 365), hours=rng.randint(0, 72))
            cid = listing_rows[lid - 1]["company_id"]
            events.append(
                dict(
                    company_id=cid,
                    listing_id=lid,
                    user_id=users[0],
                    centre_id=centre_id,
                    action="listing_submitted",
                    created_at=submitted,
                )
            )
            events.append(
                dict(
                    company_id=cid,
                    listing_id=lid,
                    user_id=users[1],
                    centre_id=centre_id,
                    action="listing_approved",
                    created_at=submitted + timedelta(hours=rng.randint(1, 96)),
                )
            )
        c.execute(insert(AuditEvent), events)
        c.execute(
            insert(Outcome),
            [
                dict(
                    company_id=rng.choice(companies),
                    centre_id=centre_id,
                    reported_by_user_id=rng.choice(users),
                    kind="deal",
                    amount=Decimal(rng.randint(100, 100000)),
                    currency=rng.choice(["USD", "MXN", "COP"]),
                    jobs_created=rng.randint(0, 3),
                    jobs_kept=0,
                    occurred_on=date(2026, 1, 1) - timedelta(days=rng.randint(0, 700)),
                    created_at=now,
                )
                for _ in range(n_outcomes)
            ],
        )
    return centre_id, users[0]


def timed(label: str, fn) -> None:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    print(f"{label:<48} {statistics.median(runs) * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--outcomes", type=int, default=20_000)
    parser.add_argument("--reviews", type=int, default=3_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade_to_head(engine)
        centre_id, user_id = build(
            engine, clients=args.clients, n_outcomes=args.outcomes, reviews=args.reviews
        )
        print(f"{args.clients} clients, {args.outcomes} outcomes, {args.reviews} reviewed listings (SQLite)")
        with session_scope(engine) as session:
            user = session.get(User, user_id)
            ids = list(range(1, args.clients + 1))
            timed("portfolio", lambda: service.portfolio(session, user, centre_id))
            timed("review_queue", lambda: service.review_queue(session, user, centre_id))
            timed("median_time_to_publish", lambda: service.median_time_to_publish(session, centre_id))
            timed(
                "median_hours_to_publish_by_month",
                lambda: service.median_hours_to_publish_by_month(session, centre_id),
            )
            timed(
                "centre_outcomes + sum_outcomes",
                lambda: outcomes.sum_outcomes(outcomes.centre_outcomes(session, user, centre_id)),
            )
            timed("client_activity", lambda: outcomes.client_activity(session, ids))
            timed("monthly_activity", lambda: outcomes.monthly_activity(session, ids))
            timed(
                "export_csv (all outcomes)",
                lambda: outcomes.export_csv(outcomes.centre_outcomes(session, user, centre_id)),
            )
        engine.dispose()


if __name__ == "__main__":
    main()
