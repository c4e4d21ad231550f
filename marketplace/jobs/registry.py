"""Which function runs each kind of job, and which jobs run on a schedule. Features register here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import Session

from marketplace.core.settings import Settings
from marketplace.jobs.models import Job
from search.engine import SearchEngine

JobHandler = Callable[[Session, Job], None]


@dataclass(frozen=True)
class JobSpec:
    kind: str
    handler: JobHandler
    max_attempts: int = 5


@dataclass(frozen=True)
class PeriodicSpec:
    kind: str
    every: timedelta


@dataclass
class JobRegistry:
    specs: dict[str, JobSpec] = field(default_factory=dict)
    periodic: dict[str, PeriodicSpec] = field(default_factory=dict)

    def register(self, kind: str, handler: JobHandler, *, max_attempts: int = 5) -> None:
        """Make `handler(session, job)` run jobs of `kind`; it may raise to ask for a retry."""
        if kind in self.specs:
            raise ValueError(f"job kind {kind!r} is registered twice")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.specs[kind] = JobSpec(kind=kind, handler=handler, max_attempts=max_attempts)

    def register_periodic(self, kind: str, every: timedelta) -> None:
        """Queue a job of `kind` once per `every` (across all workers); its handler must be registered too."""
        if every < timedelta(seconds=1):
            raise ValueError("a periodic job runs at most once a second")
        self.periodic[kind] = PeriodicSpec(kind=kind, every=every)

    def handler_for(self, kind: str) -> JobSpec | None:
        return self.specs.get(kind)


def default_registry(settings: Settings, *, search_engine: SearchEngine | None = None) -> JobRegistry:
    """The registry with every feature's jobs (features add theirs as they arrive).

    Search jobs need the process's one search engine (the embedded index takes a single writer).
    """
    from marketplace.centres.jobs import register_centre_jobs
    from marketplace.inquiries.jobs import register_inquiry_jobs
    from marketplace.listings.jobs import register_listing_jobs
    from marketplace.mail.jobs import register_mail_jobs
    from marketplace.matching.jobs import register_matching_jobs
    from marketplace.media.jobs import register_media_jobs
    from marketplace.procurement.jobs import register_procurement_jobs
    from marketplace.search.jobs import register_search_jobs

    registry = JobRegistry()
    register_listing_jobs(registry)
    register_inquiry_jobs(registry, settings)
    register_centre_jobs(registry)
    register_mail_jobs(registry, settings.smtp, mail_dir=settings.data_dir / "mail")
    register_media_jobs(registry, settings)
    register_matching_jobs(registry, settings, search_engine)
    register_procurement_jobs(registry, settings, search_engine)
    if search_engine is not None:
        register_search_jobs(registry, search_engine)
    if search_engine is not None:
        from marketplace.moderation.jobs import register_moderation_jobs

        register_moderation_jobs(registry, search_engine)
    if search_engine is not None:
        from marketplace.savedsearches.jobs import register_saved_search_jobs

        register_saved_search_jobs(registry, search_engine)
    return registry
