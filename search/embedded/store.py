"""Where an embedded index lives on disk: generations of tantivy directories and a `current` pointer.

    <index_dir>/listings/current              names the live generation, e.g. "v1-1718000000123-3f9a"
    <index_dir>/listings/v1-1718000000123-3f9a/  a tantivy index

A rebuild writes a new generation beside the live one and then replaces `current` with an atomic
rename, so a reader sees either the old index or the new one, never half of one. The schema version is
part of the generation name: a generation of another version is refused until the index is rebuilt.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from pathlib import Path

import tantivy

from search.embedded.analysis import register_analyzers
from search.embedded.schema import SCHEMA_VERSION, IndexSpec, build_schema
from search.engine import SearchError

POINTER = "current"


class IndexStore:
    """The generations of one index under `root`."""

    def __init__(self, root: Path, spec: IndexSpec) -> None:
        self.spec = spec
        self.directory = root / spec.name
        self.schema = build_schema(spec)

    def current(self) -> str | None:
        """The live generation's name, or None when the index was never created."""
        try:
            return (self.directory / POINTER).read_text().strip() or None
        except FileNotFoundError:
            return None

    def open(self, generation: str) -> tantivy.Index:
        """Open a generation, with our analyzers registered (tantivy forgets them on every open)."""
        if not generation.startswith(f"v{SCHEMA_VERSION}-"):
            raise SearchError(
                f"the {self.spec.name} index was built with another schema ({generation}); rebuild it"
            )
        path = self.directory / generation
        if not tantivy.Index.exists(str(path)):
            raise SearchError(f"the {self.spec.name} index generation {generation} is missing")
        index = tantivy.Index.open(str(path))
        register_analyzers(index)
        return index

    def create(self) -> tuple[str, tantivy.Index]:
        """A new, empty generation (not live until `point_to`)."""
        name = f"v{SCHEMA_VERSION}-{time.time_ns() // 1_000_000}-{secrets.token_hex(3)}"
        path = self.directory / name
        path.mkdir(parents=True)
        index = tantivy.Index(self.schema, path=str(path), reuse=False)
        register_analyzers(index)
        return name, index

    def point_to(self, generation: str) -> None:
        """Make `generation` the live one, atomically."""
        pointer = self.directory / POINTER
        temporary = self.directory / f".{POINTER}.{secrets.token_hex(4)}"
        with open(temporary, "w") as handle:
            handle.write(generation)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, pointer)
        directory_fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(directory_fd)  # the rename itself must survive a crash
        finally:
            os.close(directory_fd)

    def remove(self, generation: str) -> None:
        """Delete a generation that is no longer live."""
        shutil.rmtree(self.directory / generation, ignore_errors=True)

    def remove_stale(self, keep: set[str]) -> None:
        """Delete every generation except `keep` (left behind by crashed rebuilds)."""
        if not self.directory.exists():
            return
        for entry in self.directory.iterdir():
            if entry.is_dir() and entry.name.startswith("v") and entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
