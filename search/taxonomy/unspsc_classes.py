"""UNSPSC titles down to class level, for naming the items of procurement notices.

Procurement data carries commodity codes (8 digits, sometimes with a publisher suffix such as Paraguay's
`32121701-003`); the packaged table stops at classes, so a code is named by its nearest known ancestor
(class, then family, then segment). Titles are Spanish everywhere and English where the table has them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_DIGITS = re.compile(r"\d{8}")


@dataclass(frozen=True)
class UnspscTitle:
    code: str  # the 8-digit code of the level found (class, family or segment)
    level: str  # class | family | segment
    titles: dict[str, str]

    def title(self, language: str = "en") -> str:
        """The title in `language` where it exists, else Spanish."""
        return self.titles.get(language) or self.titles.get("es") or next(iter(self.titles.values()))


def unspsc_code(value: object) -> str | None:
    """The 8-digit UNSPSC code in an identifier as publishers write it (int, "32121701-003", "UNSPSC 43211500")."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    found = _DIGITS.search(text)
    return found.group(0) if found else None


@lru_cache(maxsize=1)
def _titles() -> dict[str, tuple[str, dict[str, str]]]:
    table: dict[str, tuple[str, dict[str, str]]] = {}
    path = resources.files("search.taxonomy").joinpath("data/unspsc_segment_family_class.csv")
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["code"], (row["level"], {}))[1][row["lang"]] = row["title"]
    return table


@lru_cache(maxsize=65536)
def unspsc_title(code: str) -> UnspscTitle | None:
    """The title of a UNSPSC code's nearest level in the table (class, family, segment), or None."""
    digits = unspsc_code(code)
    if digits is None:
        return None
    table = _titles()
    for candidate in (digits[:6] + "00", digits[:4] + "0000", digits[:2] + "000000"):
        if candidate in table:
            level, titles = table[candidate]
            return UnspscTitle(code=candidate, level=level, titles=dict(titles))
    return None
