"""JSON API for advisors and companies: portfolio and consent, review, verification, outcomes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel, ConfigDict, Field

from marketplace.centres import service
from marketplace.centres.verification import verify_client
from marketplace.core.deps import RequiredApiUser, SessionDep, check_api_csrf, get_api_user
from marketplace.core.permissions import require_advisor
from marketplace.listings import service as listings
from marketplace.outcomes import service as outcomes
from marketplace.outcomes.schemas import OutcomeIn

router = APIRouter(
    prefix="/api/v1", tags=["centres"], dependencies=[Depends(check_api_csrf), Depends(get_api_user)]
)


class ClientOut(BaseModel):
    company_id: int
    name: str
    country: str
    status: str
    consent_at: datetime | None
    listings: int
    pending_review: int
    verified: bool


class ClientList(BaseModel):
    items: list[ClientOut]


class InviteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    company_id: int


class LinkOut(BaseModel):
    centre_id: int
    company_id: int
    status: str


class QueueItemOut(BaseModel):
    listing_id: int
    title: str
    company_id: int
    company_name: str
    submitted_at: datetime
    age_hours: float


class QueueOut(BaseModel):
    items: list[QueueItemOut]
    median_hours_to_publish: float | None


class ListingStatusOut(BaseModel):
    id: int
    status: str
    rejection_reason: str | None


class SendBackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=1000)


class VerificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    checks: list[str]
    evidence: str = Field(max_length=2000)


class VerificationOut(BaseModel):
    company_id: int
    centre_id: int
    checks: list[str]
    verified_at: datetime
    valid_until: datetime


class OutcomeCreate(OutcomeIn):
    inquiry_id: int | None = None


class OutcomeOut(BaseModel):
    id: int
    company_id: int
    centre_id: int | None
    kind: str
    counterpart: str | None
    amount: Decimal | None
    currency: str | None
    jobs_created: int
    jobs_kept: int
    occurred_on: date
    confirmed: bool

    @classmethod
    def build(cls, outcome: Any) -> OutcomeOut:
        """From an Outcome or a report row with its columns."""
        data = dict(outcome._mapping) if hasattr(outcome, "_mapping") else outcome.model_dump()
        return cls.model_validate({**data, "confirmed": outcome.confirmed_at is not None})


class TotalsOut(BaseModel):
    count: int
    jobs_created: int
    jobs_kept: int
    amounts: dict[str, Decimal]


class OutcomeList(BaseModel):
    items: list[OutcomeOut]
    totals: TotalsOut


@router.get("/centres/{centre_id}/clients", response_model=ClientList)
def list_clients(session: SessionDep, user: RequiredApiUser, centre_id: int) -> ClientList:
    """The centre's clients and pending proposals (its advisors only; others get 404)."""
    rows = service.portfolio(session, user, centre_id)
    return ClientList(
        items=[
            ClientOut(
                company_id=r.company.id,
                name=r.company.name,
                country=r.company.country,
                status=r.link.status,  # type: ignore[arg-type]
                consent_at=r.link.consent_at,
                listings=r.listings,
                pending_review=r.pending,
                verified=r.verified,
            )
            for r in rows
        ]
    )


@router.post("/centres/{centre_id}/clients", response_model=LinkOut, status_code=201)
def invite(session: SessionDep, user: RequiredApiUser, centre_id: int, body: InviteIn) -> LinkOut:
    """Invite a company; it becomes a client when an owner accepts."""
    link = service.invite_company(session, user, centre_id, body.company_id)
    return LinkOut(centre_id=link.centre_id, company_id=link.company_id, status=link.status)


@router.post("/centres/{centre_id}/clients/{company_id}/accept", response_model=LinkOut)
def accept_request(session: SessionDep, user: RequiredApiUser, centre_id: int, company_id: int) -> LinkOut:
    link = service.accept_request(session, user, centre_id, company_id)
    return LinkOut(centre_id=link.centre_id, company_id=link.company_id, status=link.status)


@router.post("/centres/{centre_id}/clients/{company_id}/end", response_model=LinkOut)
def end(session: SessionDep, user: RequiredApiUser, centre_id: int, company_id: int) -> LinkOut:
    require_advisor(session, user, centre_id)  # the company's owners end it from their own side
    link = service.end_relationship(session, user, centre_id, company_id)
    return LinkOut(centre_id=link.centre_id, company_id=link.company_id, status=link.status)


@router.post("/companies/{company_id}/centres/{centre_id}/request", response_model=LinkOut)
def request_centre(session: SessionDep, user: RequiredApiUser, company_id: int, centre_id: int) -> LinkOut:
    """A company's owner asks a centre (or accepts its invitation)."""
    link = service.request_centre(session, user, company_id, centre_id)
    return LinkOut(centre_id=link.centre_id, company_id=link.company_id, status=link.status)


@router.get("/centres/{centre_id}/review-queue", response_model=QueueOut)
def review_queue(session: SessionDep, user: RequiredApiUser, centre_id: int) -> QueueOut:
    items = service.review_queue(session, user, centre_id)
    median = service.median_time_to_publish(session, centre_id)
    return QueueOut(
        items=[
            QueueItemOut(
                listing_id=i.listing.id,
                title=i.listing.title,
                company_id=i.company.id,
                company_name=i.company.name,  # type: ignore[arg-type]
                submitted_at=i.submitted_at,
                age_hours=round(i.age.total_seconds() / 3600, 2),
            )
            for i in items
        ],
        median_hours_to_publish=round(median.total_seconds() / 3600, 2) if median is not None else None,
    )


@router.post("/listings/{listing_id}/approve", response_model=ListingStatusOut)
def approve(session: SessionDep, user: RequiredApiUser, listing_id: int) -> ListingStatusOut:
    """Publish a listing waiting for review (an advisor of the reviewing centre, not its submitter)."""
    listing = listings.approve_listing(session, user, listing_id)
    return ListingStatusOut(id=listing.id, status=listing.status, rejection_reason=listing.rejection_reason)  # type: ignore[arg-type]


@router.post("/listings/{listing_id}/send-back", response_model=ListingStatusOut)
def send_back(
    session: SessionDep, user: RequiredApiUser, listing_id: int, body: SendBackIn
) -> ListingStatusOut:
    """Return a listing to draft with a reason the company sees."""
    listing = listings.send_back_listing(session, user, listing_id, body.reason)
    return ListingStatusOut(id=listing.id, status=listing.status, rejection_reason=listing.rejection_reason)  # type: ignore[arg-type]


@router.post(
    "/centres/{centre_id}/clients/{company_id}/verification", response_model=VerificationOut, status_code=201
)
def verify(
    session: SessionDep, user: RequiredApiUser, centre_id: int, company_id: int, body: VerificationIn
) -> VerificationOut:
    v = verify_client(session, user, centre_id, company_id, checks=body.checks, evidence=body.evidence)
    return VerificationOut(
        company_id=v.company_id,
        centre_id=v.centre_id,
        checks=v.checks,
        verified_at=v.verified_at,
        valid_until=v.valid_until,
    )


@router.post("/companies/{company_id}/outcomes", response_model=OutcomeOut, status_code=201)
def record_outcome(
    session: SessionDep, user: RequiredApiUser, company_id: int, body: OutcomeCreate
) -> OutcomeOut:
    """Record a deal (the company's members or its advisors); the same inquiry never gets a second record."""
    data = OutcomeIn.model_validate(body.model_dump(exclude={"inquiry_id"}))
    return OutcomeOut.build(
        outcomes.record_outcome(session, user, company_id, data, inquiry_id=body.inquiry_id)
    )


@router.post("/centres/{centre_id}/outcomes/{outcome_id}/confirm", response_model=OutcomeOut)
def confirm_outcome(
    session: SessionDep,
    user: RequiredApiUser,
    centre_id: int,
    outcome_id: int,
    body: OutcomeIn | None = Body(default=None),
) -> OutcomeOut:
    """Confirm a client's outcome, optionally correcting it (the same record)."""
    return OutcomeOut.build(outcomes.confirm_outcome(session, user, centre_id, outcome_id, body))


@router.get("/centres/{centre_id}/outcomes", response_model=OutcomeList)
def list_outcomes(
    session: SessionDep,
    user: RequiredApiUser,
    centre_id: int,
    since: date | None = None,
    until: date | None = None,
) -> OutcomeList:
    rows = outcomes.centre_outcomes(session, user, centre_id, since=since, until=until)
    total = outcomes.sum_outcomes(rows).total
    return OutcomeList(
        items=[OutcomeOut.build(r.outcome) for r in rows],
        totals=TotalsOut(
            count=total.count,
            jobs_created=total.jobs_created,
            jobs_kept=total.jobs_kept,
            amounts=total.amounts,
        ),
    )
