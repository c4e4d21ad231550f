"""The application factory: engines, templates and the embedded worker are built once, in the lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from marketplace import __version__
from marketplace.accounts.oidc_pages import install_oidc
from marketplace.accounts.pages import router as accounts_pages
from marketplace.centres.api import router as centres_api
from marketplace.centres.company_pages import router as centres_company_pages
from marketplace.centres.listing_pages import router as centres_listing_pages
from marketplace.centres.pages import router as centres_pages
from marketplace.companies.api import router as companies_api
from marketplace.companies.pages import router as companies_pages
from marketplace.core.context import install_request_context
from marketplace.core.db import make_engine
from marketplace.core.errors import install_error_handlers
from marketplace.core.hardening import install_hardening
from marketplace.core.health import router as health_router
from marketplace.core.resources import resource_dir
from marketplace.core.settings import Settings, get_settings
from marketplace.core.templating import make_templates
from marketplace.inquiries.api import router as inquiries_api
from marketplace.inquiries.pages import install_template_globals as install_inquiry_templates
from marketplace.inquiries.pages import router as inquiries_pages
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import BackgroundWorker, Worker
from marketplace.listings.api import router as listings_api
from marketplace.listings.pages import router as listings_pages
from marketplace.matching.api import router as matching_api
from marketplace.matching.pages import install_match_templates
from marketplace.matching.pages import router as matching_pages
from marketplace.media.api import router as media_api
from marketplace.media.pages import router as media_pages
from marketplace.moderation.api import router as moderation_api
from marketplace.moderation.pages import install_moderation_templates
from marketplace.moderation.pages import router as moderation_pages
from marketplace.notifications.api import router as notifications_api
from marketplace.notifications.pages import install_notification_templates, unsubscribe_router
from marketplace.notifications.pages import router as notifications_pages
from marketplace.procurement.api import router as procurement_api
from marketplace.procurement.pages import install_procurement_templates
from marketplace.procurement.pages import router as procurement_pages
from marketplace.savedsearches.api import router as saved_searches_api
from marketplace.savedsearches.pages import router as saved_searches_pages
from marketplace.search.engine import build_search_engine
from marketplace.search.pages import router as search_pages
from search.engine import SearchError

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, run_jobs: bool = False) -> FastAPI:
    """Build the app. `run_jobs`: drain the jobs table in this process (the embedded, one-process setup)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        background = None
        try:
            app.state.search.ensure_indexes()
        except SearchError as exc:  # search degrades; pages say so and writes wait in the outbox
            log.warning("search engine not ready at start-up: %s", exc)
        if run_jobs:
            registry = default_registry(settings, search_engine=app.state.search)
            background = BackgroundWorker(Worker(app.state.engine, registry))
            background.start()
        try:
            yield
        finally:
            if background is not None:
                background.stop()
            app.state.search.close()
            app.state.engine.dispose()

    app = FastAPI(
        title="Puente", version=__version__, lifespan=lifespan, docs_url="/api/docs", redoc_url=None
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.search = build_search_engine(settings)
    app.state.templates = make_templates(str(resource_dir("templates")))
    app.mount("/static", StaticFiles(directory=str(resource_dir("templates") / "static")), name="static")
    install_error_handlers(app)
    install_request_context(app)
    app.include_router(health_router)
    app.include_router(listings_pages)
    app.include_router(accounts_pages)
    app.include_router(companies_pages)
    app.include_router(companies_api)
    app.include_router(listings_api)
    app.include_router(media_pages)
    app.include_router(media_api)
    app.include_router(search_pages)
    app.include_router(centres_pages)
    app.include_router(centres_listing_pages)
    app.include_router(centres_company_pages)
    app.include_router(centres_api)
    app.include_router(matching_pages)
    app.include_router(matching_api)
    install_match_templates(app)
    app.include_router(inquiries_pages)
    app.include_router(inquiries_api)
    install_inquiry_templates(app.state.templates)
    app.include_router(procurement_api)
    app.include_router(procurement_pages)
    install_procurement_templates(app)
    app.include_router(moderation_pages)
    app.include_router(moderation_api)
    install_moderation_templates(app.state.templates)
    app.include_router(notifications_pages)
    app.include_router(notifications_api)
    app.include_router(unsubscribe_router)
    install_notification_templates(app)
    app.include_router(saved_searches_pages)
    app.include_router(saved_searches_api)
    install_oidc(app)
    install_hardening(app)
    return app
