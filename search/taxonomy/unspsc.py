"""UNSPSC segments and families, used to classify services (data and its sources in data/)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class UnspscCode:
    code: str
    level: str  # segment | family
    parent: str | None
    titles: dict[str, str]  # families have Spanish titles only; segments Spanish and (mostly) English


class UnspscTaxonomy:
    def __init__(self, codes: dict[str, UnspscCode]) -> None:
        self._codes = codes

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._codes

    def get(self, code: str) -> UnspscCode | None:
        return self._codes.get(code)

    def service_codes(self) -> list[str]:
        """Segments and families of the service segments (70–95), in code order: the choices for services."""
        return sorted(code for code in self._codes if code >= "70000000")

    def title(self, code: str, language: str = "en") -> str:
        """The title in `language` where it exists, else the one that exists (Spanish)."""
        titles = self._codes[code].titles
        return titles.get(language) or titles.get("es") or next(iter(titles.values()))


@lru_cache(maxsize=1)
def unspsc_taxonomy() -> UnspscTaxonomy:
    """Segments and families of the packaged UNSPSC table (classes are not used for listings)."""
    codes: dict[str, dict] = {}
    path = resources.files("search.taxonomy").joinpath("data/unspsc_segment_family_class.csv")
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] not in ("segment", "family"):
                continue
            entry = codes.setdefault(
                row["code"], {"level": row["level"], "parent": row["parent"] or None, "titles": {}}
            )
            entry["titles"][row["lang"]] = row["title"]
    return UnspscTaxonomy({code: UnspscCode(code=code, **values) for code, values in codes.items()})
