"""Matching jobs: match a listing after each change (queued beside the search sync) and the alert digests."""

from __future__ import annotations

from sqlmodel import Session

from marketplace.core.models import utcnow
from marketplace.core.settings import Settings
from marketplace.jobs.models import Job
from marketplace.jobs.registry import JobRegistry
from marketplace.listings.sync import MATCH_JOB
from marketplace.matching.alerts import DIGEST_EVERY, DIGEST_JOB, notify_new_matches, send_match_digests
from marketplace.matching.service import match_listing
from search.engine import SearchEngine
from search.matching.embeddings import default_encoder
from search.matching.vectors import VectorStore

_stores: dict[str, VectorStore] = {}


def vector_store(settings: Settings) -> VectorStore:
    """The process's vector store for this data directory (loaded from disk once)."""
    key = str(settings.vectors_dir)
    if key not in _stores:
        _stores[key] = VectorStore(settings.vectors_dir, encoder=default_encoder())
    return _stores[key]


def register_matching_jobs(registry: JobRegistry, settings: Settings, engine: SearchEngine | None) -> None:
    def match_job(session: Session, job: Job) -> None:
        match_listing(session, vector_store(settings), job.entity_id, today=utcnow().date(), engine=engine)  # type: ignore[arg-type]
        notify_new_matches(session)  # in the app at once; the e-mail waits for the digest job

    def digest_job(session: Session, job: Job) -> None:
        send_match_digests(session, base_url=settings.base_url, secret_key=settings.secret_key)

    registry.register(MATCH_JOB, match_job, max_attempts=5)
    registry.register(DIGEST_JOB, digest_job, max_attempts=5)
    registry.register_periodic(DIGEST_JOB, DIGEST_EVERY)
