"""The Meilisearch backend (production): a server reached with the official `meilisearch` client."""

from search.meili.backend import MeiliEngine

__all__ = ["MeiliEngine"]
