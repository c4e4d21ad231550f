"""Column helpers shared by every domain's models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Numeric
from sqlmodel import Field


def utcnow() -> datetime:
    """Now, timezone-aware in UTC: SQLModel's datetime columns store and return aware UTC values."""
    return datetime.now(UTC)


def created_at_field() -> Any:
    return Field(default_factory=utcnow, nullable=False)


def list_field() -> Any:
    """A list of short codes (countries, languages, certifications) stored as a JSON array."""
    return Field(default_factory=list, sa_type=JSON, nullable=False)


def money_field() -> Any:
    """An amount of money; always stored beside a currency column."""
    return Field(default=None, sa_type=Numeric(16, 2), nullable=True)


def quantity_field() -> Any:
    return Field(default=None, sa_type=Numeric(16, 3), nullable=True)
