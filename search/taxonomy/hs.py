"""The Harmonized System 2022 in en/es/fr/pt (data and its sources in data/)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LANGUAGES = ("en", "es", "fr", "pt")
_CODE = re.compile(r"^\d{2}(\d{2}(\d{2})?)?$")
# Subheadings titled only "Other" mean nothing alone; they are shown with their heading's text.
_OTHER_TITLES = {"other", "los demás", "las demás", "los demas", "las demas", "autres", "outros", "outras"}


@dataclass(frozen=True)
class HsCode:
    code: str
    level: int  # 2 chapter, 4 heading, 6 subheading
    parent: str | None
    titles: dict[str, str]


class HsTaxonomy:
    """Lookup of HS codes and their descriptions in each language."""

    def __init__(self, codes: dict[str, HsCode]) -> None:
        self._codes = codes

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._codes

    def get(self, code: str) -> HsCode | None:
        return self._codes.get(code)

    def codes(self) -> list[HsCode]:
        return list(self._codes.values())

    def title(self, code: str, language: str = "en") -> str:
        """The code's own title in `language` (English if missing), without context."""
        entry = self._codes[code]
        return entry.titles.get(language) or entry.titles["en"]

    def label(self, code: str, language: str = "en") -> str:
        """A readable description of a code on its own.

        An "Other" subheading is prefixed with its heading's title. So is every subheading outside English:
        the es/fr/pt texts come from nomenclatures written as indented trees ("Peinado", "Sin descafeinar")
        that mean little without their heading, while the English labels are self-contained.
        """
        own = self.title(code, language)
        entry = self._codes[code]
        if entry.parent and (is_other_title(own) or (entry.level == 6 and language != "en")):
            return f"{_short(self.title(entry.parent, language))} — {own}"
        return own

    def chapter(self, code: str) -> str:
        return code[:2]


def _short(title: str, limit: int = 70) -> str:
    """The first clause of a long heading title, cut at a word boundary when still too long."""
    first = title.split(";")[0].strip()
    if len(first) <= limit:
        return first
    return first[: first.rfind(" ", 0, limit)].rstrip(",") + "…"


def is_other_title(text: str) -> bool:
    return text.strip().rstrip(":.;").strip().lower() in _OTHER_TITLES


def valid_code_format(code: str) -> bool:
    return bool(_CODE.match(code))


def _load() -> dict[str, HsCode]:
    raw: dict[str, dict] = {}
    with resources.files("search.taxonomy").joinpath("data/hs_codes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            entry = raw.setdefault(
                row["code"], {"level": int(row["level"]), "parent": row["parent"] or None, "titles": {}}
            )
            entry["titles"][row["lang"]] = row["description"]
    return {code: HsCode(code=code, **values) for code, values in raw.items()}


@lru_cache(maxsize=1)
def hs_taxonomy() -> HsTaxonomy:
    """The packaged HS table, loaded once."""
    return HsTaxonomy(_load())
