"""Outcome rules: recording (by a company or its advisor), confirming or correcting, sums and the export.

One deal is one record: a company closing an inquiry and its advisor both work on the same row.
Money is summed per currency (DESIGN §6): amounts in different currencies are never added together.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.centres.audit import record_event
from marketplace.centres.models import Advisor, CentreClient
from marketplace.companies.models import Company
from marketplace.core.errors import NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.permissions import require_advisor, require_client, require_member_or_advisor
from marketplace.outcomes.models import Outcome
from marketplace.outcomes.schemas import OutcomeIn


def _company_centre(session: Session, company_id: int) -> int | None:
    return session.execute(
        select(CentreClient.centre_id)
        .where(CentreClient.company_id == company_id, CentreClient.status == "active")
        .order_by(CentreClient.id)
        .limit(1)
    ).scalar_one_or_none()


def record_outcome(
    session: Session, user: User | None, company_id: int, data: OutcomeIn, *, inquiry_id: int | None = None
) -> Outcome:
    """Record a deal for the company (its members or advisors); for an inquiry already recorded, update it."""
    client = require_member_or_advisor(session, user, company_id)
    outcome = None
    if inquiry_id is not None:
        outcome = session.execute(
            select(Outcome).where(Outcome.inquiry_id == inquiry_id, Outcome.company_id == company_id)
        ).scalar_one_or_none()
    if outcome is None:
        outcome = Outcome(
            company_id=company_id, inquiry_id=inquiry_id, reported_by_user_id=user.id, **data.model_dump()
        )  # type: ignore[union-attr]
        outcome.centre_id = client.centre_id if client is not None else _company_centre(session, company_id)
    else:
        for name, value in data.model_dump().items():
            setattr(outcome, name, value)
    if client is not None:  # an advisor's own record needs no second confirmation
        outcome.confirmed_by_user_id, outcome.confirmed_at = user.id, utcnow()  # type: ignore[union-attr]
    session.add(outcome)
    session.flush()
    record_event(
        session, company_id=company_id, user=user, centre_id=client.centre_id if client else None,
        action="outcome_recorded", detail=f"{outcome.kind} {outcome.amount or ''} {outcome.currency or ''}".strip(),
    )  # fmt: skip
    return outcome


def confirm_outcome(
    session: Session, user: User | None, centre_id: int, outcome_id: int, corrected: OutcomeIn | None = None
) -> Outcome:
    """An advisor confirms what a client reported, correcting it if needed (the same record, never a copy)."""
    outcome = session.get(Outcome, outcome_id, with_for_update=True)
    if outcome is None or outcome.centre_id != centre_id:
        require_advisor(session, user, centre_id)
        raise NotFound(N_("Page not found"))
    require_client(session, user, centre_id, outcome.company_id)
    if corrected is not None:
        for name, value in corrected.model_dump().items():
            setattr(outcome, name, value)
    outcome.confirmed_by_user_id = user.id  # type: ignore[union-attr]
    outcome.confirmed_at = utcnow()
    session.add(outcome)
    session.flush()
    record_event(
        session, company_id=outcome.company_id, user=user, centre_id=centre_id, action="outcome_confirmed"
    )
    return outcome


def company_outcomes(session: Session, company_id: int) -> list[Outcome]:
    """The company's own outcomes, newest first (callers check that the viewer is a member)."""
    return list(
        session.execute(
            select(Outcome)
            .where(Outcome.company_id == company_id)
            .order_by(Outcome.occurred_on.desc(), Outcome.id.desc())  # type: ignore[attr-defined]
        ).scalars()
    )


@dataclass(frozen=True)
class ClientRef:
    """What reports need of a client (loading whole companies for thousands of outcomes is slow)."""

    id: int
    name: str
    country: str


@dataclass
class OutcomeRow:
    outcome: Any  # a read-only row with Outcome's columns (attribute access like an Outcome)
    company: ClientRef
    advisor: User | None


def centre_outcomes(
    session: Session,
    user: User | None,
    centre_id: int,
    *,
    since: date | None = None,
    until: date | None = None,
) -> list[OutcomeRow]:
    """The centre's outcomes in a period (advisors of the centre only), oldest first."""
    require_advisor(session, user, centre_id)
    query = (
        # Plain rows, not ORM objects: reports read thousands of outcomes and change none.
        select(Outcome.__table__, Company.name.label("client_name"), Company.country.label("client_country"))  # type: ignore[attr-defined]
        .join(Company, Company.id == Outcome.company_id)
        .where(Outcome.centre_id == centre_id)
        .order_by(Outcome.occurred_on, Outcome.id)  # type: ignore[arg-type]
    )
    if since is not None:
        query = query.where(Outcome.occurred_on >= since)
    if until is not None:
        query = query.where(Outcome.occurred_on <= until)
    rows = session.execute(query).all()
    advisor_ids = set(
        session.execute(select(Advisor.user_id).where(Advisor.centre_id == centre_id)).scalars()
    )
    user_ids = {row.confirmed_by_user_id for row in rows} | {row.reported_by_user_id for row in rows}
    users = {u.id: u for u in session.execute(select(User).where(User.id.in_(user_ids - {None}))).scalars()}  # type: ignore[union-attr]
    result = []
    clients: dict[int, ClientRef] = {}
    for outcome in rows:
        advisor_id = outcome.confirmed_by_user_id or outcome.reported_by_user_id
        advisor = users.get(advisor_id) if advisor_id in advisor_ids else None
        client = clients.setdefault(
            outcome.company_id,
            ClientRef(id=outcome.company_id, name=outcome.client_name, country=outcome.client_country),
        )
        result.append(OutcomeRow(outcome=outcome, company=client, advisor=advisor))
    return result


@dataclass
class Totals:
    """Sums of a group: money per currency, jobs and number of outcomes."""

    count: int = 0
    jobs_created: int = 0
    jobs_kept: int = 0
    amounts: dict[str, Decimal] = field(default_factory=dict)

    def add(self, outcome: Any) -> None:
        self.count += 1
        self.jobs_created += outcome.jobs_created
        self.jobs_kept += outcome.jobs_kept
        if outcome.amount is not None and outcome.currency:
            self.amounts[outcome.currency] = self.amounts.get(outcome.currency, Decimal("0")) + outcome.amount


@dataclass
class OutcomeSums:
    total: Totals
    by_advisor: dict[str, Totals]
    by_client: dict[str, Totals]
    by_country: dict[str, Totals]
    by_month: dict[str, Totals]


def sum_outcomes(rows: list[OutcomeRow]) -> OutcomeSums:
    """Totals per advisor, client, country and month, each with money per currency."""
    sums = OutcomeSums(
        Totals(), defaultdict(Totals), defaultdict(Totals), defaultdict(Totals), defaultdict(Totals)
    )
    for row in rows:
        sums.total.add(row.outcome)
        sums.by_advisor[row.advisor.display_name if row.advisor else "—"].add(row.outcome)
        sums.by_client[row.company.name].add(row.outcome)
        sums.by_country[row.company.country].add(row.outcome)
        sums.by_month[row.outcome.occurred_on.strftime("%Y-%m")].add(row.outcome)
    for name in ("by_advisor", "by_client", "by_country", "by_month"):
        setattr(sums, name, dict(sorted(getattr(sums, name).items())))
    return sums


def client_activity(session: Session, company_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(inquiries received, matches found) per company."""
    from marketplace.inquiries.models import Inquiry
    from marketplace.listings.models import Listing
    from marketplace.matching.models import Match

    if not company_ids:
        return {}
    inquiries = dict(
        session.execute(
            select(Inquiry.to_company_id, func.count())
            .where(Inquiry.to_company_id.in_(company_ids))  # type: ignore[attr-defined]
            .group_by(Inquiry.to_company_id)
        ).all()
    )
    matches = dict(
        session.execute(
            select(Listing.company_id, func.count(func.distinct(Match.id)))
            .join(Match, or_(Match.request_listing_id == Listing.id, Match.offer_listing_id == Listing.id))
            .where(Listing.company_id.in_(company_ids))  # type: ignore[attr-defined]
            .group_by(Listing.company_id)
        ).all()
    )
    return {cid: (inquiries.get(cid, 0), matches.get(cid, 0)) for cid in company_ids}


def monthly_activity(session: Session, company_ids: list[int]) -> tuple[dict[str, int], dict[str, int]]:
    """(inquiries received, matches found) per month ("YYYY-MM") for the companies, for the trend charts."""
    from marketplace.inquiries.models import Inquiry
    from marketplace.listings.models import Listing
    from marketplace.matching.models import Match

    if not company_ids:
        return {}, {}
    inquiries: dict[str, int] = defaultdict(int)
    for created in session.execute(
        select(Inquiry.created_at).where(Inquiry.to_company_id.in_(company_ids))  # type: ignore[attr-defined]
    ).scalars():
        inquiries[created.strftime("%Y-%m")] += 1
    matches: dict[str, int] = defaultdict(int)
    for created in session.execute(
        select(Match.created_at)
        .distinct()
        .join(Listing, or_(Match.request_listing_id == Listing.id, Match.offer_listing_id == Listing.id))
        .where(Listing.company_id.in_(company_ids))  # type: ignore[attr-defined]
    ).scalars():
        matches[created.strftime("%Y-%m")] += 1
    return dict(sorted(inquiries.items())), dict(sorted(matches.items()))


def amounts_by_month(sums: OutcomeSums) -> dict[str, list[tuple[str, float]]]:
    """Per currency, the amount of each month (for one sales chart per currency)."""
    result: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for month, totals in sums.by_month.items():
        for currency, amount in totals.amounts.items():
            result[currency].append((month, float(amount)))
    return dict(sorted(result.items()))


EXPORT_COLUMNS = (
    "outcome_id", "occurred_on", "client", "client_country", "advisor", "kind", "counterpart", "amount",
    "currency", "jobs_created", "jobs_kept", "confirmed", "inquiry_id",
)  # fmt: skip


def export_csv(rows: list[OutcomeRow]) -> str:
    """The funders' CSV: one line per outcome, then one TOTAL line per currency (amounts never mixed)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        o = row.outcome
        writer.writerow(
            [
                o.id, o.occurred_on.isoformat(), _safe(row.company.name), row.company.country,
                _safe(row.advisor.display_name) if row.advisor else "", o.kind, _safe(o.counterpart or ""),
                f"{o.amount:.2f}" if o.amount is not None else "", o.currency or "", o.jobs_created, o.jobs_kept,
                "yes" if o.confirmed_at else "no", o.inquiry_id or "",
            ]
        )  # fmt: skip
    totals = sum_outcomes(rows).total
    currencies = sorted(totals.amounts) or [""]
    for index, currency in enumerate(currencies):
        amount = totals.amounts.get(currency)
        jobs = (totals.jobs_created, totals.jobs_kept) if index == 0 else ("", "")
        writer.writerow(
            [
                "TOTAL",
                "",
                "",
                "",
                "",
                "",
                "",
                f"{amount:.2f}" if amount is not None else "",
                currency,
                *jobs,
                "",
                "",
            ]
        )
    return out.getvalue()


def _safe(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: a client's name must stay text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
