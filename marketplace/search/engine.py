"""The process's search engine, built once from the settings."""

from __future__ import annotations

from marketplace.core.settings import Settings
from search.engine import SearchEngine, make_engine

SEARCH_TIMEOUT_SECONDS = 3.0


def build_search_engine(settings: Settings) -> SearchEngine:
    return make_engine(
        settings.search_backend,
        index_dir=settings.index_dir,
        meili_url=settings.meili_url,
        meili_api_key=settings.meili_api_key,
        timeout=SEARCH_TIMEOUT_SECONDS,
    )
