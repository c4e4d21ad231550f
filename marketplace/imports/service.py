"""Import companies and listings in the import format (docs/import-format.md): upsert by external_key."""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, model_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from marketplace.centres.models import Centre, CentreClient
from marketplace.companies.models import Company
from marketplace.companies.schemas import CompanyIn
from marketplace.core.models import utcnow
from marketplace.core.validation import ExternalKey, field_errors
from marketplace.imports.reader import RawRow, UnreadableRow
from marketplace.listings.models import Listing
from marketplace.listings.schemas import ListingIn
from marketplace.listings.sync import queue_listing_sync
from marketplace.moderation.repository import company_suspension

DEFAULT_VALIDITY_DAYS = 90


class CompanyImportRow(CompanyIn):
    external_key: ExternalKey
    centre: ExternalKey | None = None


class ListingImportRow(ListingIn):
    external_key: ExternalKey
    company: ExternalKey
    valid_for_days: int | None = Field(default=None, ge=1, le=730)
    status: Literal["draft", "published"] = "published"

    @model_validator(mode="after")
    def _one_validity(self) -> ListingImportRow:
        if self.valid_for_days is not None and self.valid_until is not None:
            raise ValueError("valid_for_days: give valid_until or valid_for_days, not both")
        return self


@dataclass(frozen=True)
class RowProblem:
    line: int
    key: str | None
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" ({self.key})" if self.key else "")
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    entity: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.problems)

    def summary(self) -> str:
        return (
            f"{self.entity}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped"
        )


def _list_fields(model: type[BaseModel]) -> set[str]:
    names = set()
    for name, info in model.model_fields.items():
        annotation = info.annotation
        while typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        if typing.get_origin(annotation) is list:
            names.add(name)
    return names


def _normalise(row: RawRow, list_fields: set[str]) -> dict[str, Any]:
    """Bring a CSV row to the JSON shape: empty cells absent, lists split on ';'."""
    if row.format == "jsonl":
        return {key: value for key, value in row.values.items() if value is not None and value != ""}
    values: dict[str, Any] = {}
    for key, cell in row.values.items():
        text = cell.strip()
        if text == "":
            continue
        values[key] = (
            [part.strip() for part in text.split(";") if part.strip()] if key in list_fields else text
        )
    return values


def _validate(model: type[BaseModel], row: RawRow) -> tuple[Any, str | None, str | None]:
    values = _normalise(row, _list_fields(model))
    key = values.get("external_key") if isinstance(values.get("external_key"), str) else None
    try:
        return model.model_validate(values), key, None
    except ValidationError as exc:
        reason = "; ".join(f"{name}: {message}" for name, message in field_errors(exc).items())
        return None, key, reason


def _apply(target: Any, values: dict[str, Any]) -> bool:
    """Copy values onto a model instance; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed = True
    return changed


def _import_rows(
    session: Session,
    rows: Iterable[RawRow | UnreadableRow],
    model: type[BaseModel],
    report: ImportReport,
    upsert: Callable[[Session, Any], str],
    progress: Callable[[int], None] | None,
) -> ImportReport:
    for count, row in enumerate(rows, start=1):
        if progress is not None:
            progress(count)
        if isinstance(row, UnreadableRow):
            report.problems.append(RowProblem(row.line, None, row.reason))
            continue
        parsed, key, reason = _validate(model, row)
        if parsed is None:
            report.problems.append(RowProblem(row.line, key, reason or "invalid"))
            continue
        try:
            # A savepoint per row: a row the database refuses is reported, the rest are kept.
            with session.begin_nested():
                outcome = upsert(session, parsed)
        except _RowRefused as refused:
            report.problems.append(RowProblem(row.line, key, str(refused)))
            continue
        except IntegrityError as exc:
            report.problems.append(RowProblem(row.line, key, f"refused by the database ({exc.orig})"))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


class _RowRefused(Exception):
    """A row that is valid alone but cannot be applied (e.g. it names a company that does not exist)."""


def import_companies(
    session: Session, rows: Iterable[RawRow | UnreadableRow], *, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Create or update companies (and their centre link) from import rows."""

    def upsert(session: Session, row: CompanyImportRow) -> str:
        values = row.model_dump(exclude={"external_key", "centre"})
        centre = None
        if row.centre is not None:
            centre = session.execute(
                select(Centre).where(Centre.external_key == row.centre)
            ).scalar_one_or_none()
            if centre is None:
                raise _RowRefused(f"centre: no centre with external_key {row.centre!r}")
        company = session.execute(
            select(Company).where(Company.external_key == row.external_key)
        ).scalar_one_or_none()
        if company is None:
            company = Company(external_key=row.external_key, **values)
            outcome = "created"
        else:
            outcome = "updated" if _apply(company, values) else "unchanged"
            if outcome == "updated":
                company.updated_at = utcnow()
        session.add(company)
        session.flush()
        if centre is not None and _link_client(session, centre, company) and outcome == "unchanged":
            outcome = "updated"
        return outcome

    return _import_rows(session, rows, CompanyImportRow, ImportReport("companies"), upsert, progress)


def _link_client(session: Session, centre: Centre, company: Company) -> bool:
    existing = session.execute(
        select(CentreClient).where(CentreClient.centre_id == centre.id, CentreClient.company_id == company.id)
    ).scalar_one_or_none()
    if existing is not None:
        return False
    session.add(
        CentreClient(centre_id=centre.id, company_id=company.id, status="active", consent_at=utcnow())
    )
    return True


def import_listings(
    session: Session,
    rows: Iterable[RawRow | UnreadableRow],
    *,
    today: date,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Create or update listings from import rows; their companies must exist (by external_key)."""
    company_ids: dict[str, int] = {}

    def upsert(session: Session, row: ListingImportRow) -> str:
        if row.company not in company_ids:
            found = session.execute(
                select(Company.id).where(Company.external_key == row.company)
            ).scalar_one_or_none()
            if found is None:
                raise _RowRefused(f"company: no company with external_key {row.company!r}")
            company_ids[row.company] = found
        values = row.model_dump(exclude={"external_key", "company", "valid_for_days", "status"})
        if row.valid_until is None:
            values["valid_until"] = today + timedelta(days=row.valid_for_days or DEFAULT_VALIDITY_DAYS)
        values["company_id"] = company_ids[row.company]
        if row.status == "published" and company_suspension(session, values["company_id"]) is not None:
            raise _RowRefused("status: the company is suspended by the moderators and cannot publish")
        listing = session.execute(
            select(Listing).where(Listing.external_key == row.external_key)
        ).scalar_one_or_none()
        now = utcnow()
        if listing is None:
            listing = Listing(external_key=row.external_key, status=row.status, **values)
            if row.status == "published":
                listing.published_at = now
            session.add(listing)
            queue_listing_sync(session, listing)
            return "created"
        if listing.company_id != values["company_id"]:
            # A key is never a way to take over another company's listing.
            raise _RowRefused("external_key: already used by a listing of another company")
        changed = _apply(listing, values)
        if row.status != listing.status and listing.status in ("draft", "published", "expired"):
            listing.status = row.status
            if row.status == "published":
                listing.published_at = now
            changed = True
        if not changed:
            return "unchanged"
        listing.version += 1
        listing.updated_at = now
        session.add(listing)
        queue_listing_sync(session, listing)
        return "updated"

    return _import_rows(session, rows, ListingImportRow, ImportReport("listings"), upsert, progress)


def import_listings_for_company(
    session: Session, rows: Iterable[RawRow | UnreadableRow], *, company: Company, today: date
) -> ImportReport:
    """An owner's upload: every row is for this company (a row naming another company is refused)."""
    if company.external_key is None:
        company.external_key = f"company-{company.id}"
        session.add(company)
        session.flush()
    refused: list[RowProblem] = []

    def own_rows() -> Iterable[RawRow | UnreadableRow]:
        for row in rows:
            if isinstance(row, RawRow):
                named = str(row.values.get("company") or "").strip()
                if named and named != company.external_key:
                    refused.append(
                        RowProblem(
                            row.line,
                            str(row.values.get("external_key") or ""),
                            "company: this file may only hold listings of your company",
                        )
                    )
                    continue
                row = RawRow(row.line, {**row.values, "company": company.external_key}, row.format)
            yield row

    report = import_listings(session, own_rows(), today=today)
    report.problems = sorted([*report.problems, *refused], key=lambda problem: problem.line)
    return report
