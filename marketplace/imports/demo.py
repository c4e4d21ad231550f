"""The demo data set (`puente seed`): centres and advisors, companies, listings and demo accounts."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.accounts.passwords import hash_password
from marketplace.centres.models import Advisor, Centre
from marketplace.companies.models import Company
from marketplace.core.codes import country_code
from marketplace.core.models import utcnow
from marketplace.imports.reader import read_rows
from marketplace.imports.service import ImportReport, import_companies, import_listings
from marketplace.listings.models import Listing


@dataclass
class DemoReport:
    centres: int = 0
    users: int = 0
    reports: list[ImportReport] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, what the account is)


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _user(session: Session, *, email: str, name: str, password_hash: str, report: DemoReport) -> User:
    email = email.lower()
    user = session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if user is None:
        user = User(email=email, display_name=name, password_hash=password_hash, locale=None)
        user.email_verified_at = utcnow()
        session.add(user)
        session.flush()
        report.users += 1
    return user


def _spread_publication_dates(session: Session, *, since: datetime) -> None:
    """Give the listings this run created publication times over the past weeks, as a live portal has.

    Without it every demo listing would share one timestamp and "latest" would just be the file's last rows.
    The offset comes from the key, so every installation shows the same order.
    """
    created = session.execute(select(Listing).where(Listing.published_at >= since)).scalars()  # type: ignore[operator]
    for listing in created:
        hours = zlib.crc32((listing.external_key or "").encode()) % (45 * 24)
        listing.published_at = since - timedelta(hours=hours)
        listing.created_at = listing.published_at
        session.add(listing)
    session.flush()


def seed_demo(
    session: Session,
    seeds_dir: Path,
    *,
    today: date,
    password: str,
    progress: Callable[[str], None] = lambda message: None,
) -> DemoReport:
    """Load the demo data; running it again changes nothing that is already there."""
    report = DemoReport()
    password_hash = hash_password(password)  # hashed once: every demo account shares the printed password

    progress("centres")
    for row in _jsonl(seeds_dir / "centres.jsonl"):
        centre = session.execute(
            select(Centre).where(Centre.external_key == row["external_key"])
        ).scalar_one_or_none()
        if centre is None:
            centre = Centre(
                external_key=row["external_key"],
                name=row["name"],
                country=country_code(row["country"]),
                city=row.get("city"),
                network=row.get("network"),
                requires_review=bool(row.get("requires_review", False)),
            )
            session.add(centre)
            session.flush()
            report.centres += 1
        for advisor in row.get("advisors", []):
            user = _user(
                session,
                email=advisor["email"],
                name=advisor["name"],
                password_hash=password_hash,
                report=report,
            )
            link = session.execute(
                select(Advisor).where(Advisor.user_id == user.id, Advisor.centre_id == centre.id)
            ).scalar_one_or_none()
            if link is None:
                session.add(Advisor(user_id=user.id, centre_id=centre.id, role="advisor"))
            report.logins.append((user.email, f"advisor, {centre.name}"))

    progress("companies")
    report.reports.append(import_companies(session, read_rows(seeds_dir / "companies.jsonl")))
    progress("listings")
    started = utcnow()
    report.reports.append(import_listings(session, read_rows(seeds_dir / "listings.jsonl"), today=today))
    _spread_publication_dates(session, since=started)

    progress("accounts")
    for row in _jsonl(seeds_dir / "users.jsonl"):
        user = _user(
            session, email=row["email"], name=row["name"], password_hash=password_hash, report=report
        )
        if row.get("admin"):
            user.is_admin = True
            session.add(user)
            report.logins.append((user.email, "administrator"))
        if row.get("company"):
            company = session.execute(
                select(Company).where(Company.external_key == row["company"])
            ).scalar_one()
            membership = session.execute(
                select(Membership).where(Membership.user_id == user.id, Membership.company_id == company.id)
            ).scalar_one_or_none()
            if membership is None:
                session.add(
                    Membership(user_id=user.id, company_id=company.id, role=row.get("role") or "member")
                )
            report.logins.append((user.email, f"{row.get('role') or 'member'}, {company.name}"))
    return report
