"""The jobs table: the one owner of background work (outbox rows, scheduled jobs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field

JOB_STATUSES = ("pending", "running", "done", "dead")


class Job(SQLModel, table=True):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_run_after", "status", "run_after"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64, index=True)
    # Outbox rows name the entity, its id and the version to bring the index to; never a copy of it.
    entity: str | None = Field(default=None, max_length=32)
    entity_id: int | None = None
    version: int | None = None
    payload: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)  # small parameters only
    status: str = Field(default="pending", max_length=8)  # JOB_STATUSES
    attempts: int = Field(default=0)
    max_attempts: int = Field(default=5)
    run_after: datetime = created_at_field()
    locked_by: str | None = Field(default=None, max_length=100)
    locked_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=2000)
    # Unique when set: the same scheduled run or the same outbox write is queued at most once.
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    created_at: datetime = created_at_field()
    finished_at: datetime | None = None
