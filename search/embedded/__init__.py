"""The embedded search backend: tantivy indexes on disk, no server (the default setup)."""

from search.embedded.backend import EmbeddedEngine

__all__ = ["EmbeddedEngine"]
