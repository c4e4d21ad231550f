"""Languages of the portal (es/en/pt/fr): Babel catalogs, negotiation and the translation functions."""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("es", "en", "pt", "fr")
LANGUAGE_NAMES = {"es": "Español", "en": "English", "pt": "Português", "fr": "Français"}
SOURCE_LANGUAGE = "en"  # messages are written in English; the catalogs translate them
COOKIE = "puente_lang"
CATALOG_DIR = Path(__file__).resolve().parent.parent / "translations"


def N_(message: str) -> str:
    """Mark a message for extraction where it is translated later (in a template or page)."""
    return message


class ContextMessage(str):
    """A message with a gettext context (msgctxt): the same English word needs another translation here
    (a tender is "Abierta" where listings are "Abiertas"). `_()` and `gettext_for` translate it in context."""

    context: str

    def __new__(cls, context: str, message: str) -> ContextMessage:
        made = super().__new__(cls, message)
        made.context = context
        return made


def NP_(context: str, message: str) -> ContextMessage:
    """Mark a message with its context for extraction (`-k NP_:1c,2`), translated later in that context."""
    return ContextMessage(context, message)


def translate(catalog: gettext.NullTranslations, message: str) -> str:
    """gettext, or pgettext for a ContextMessage."""
    if isinstance(message, ContextMessage):
        return catalog.pgettext(message.context, str(message))
    return catalog.gettext(message)


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of a language, compiled from its .po file in memory (no .mo files to keep in step)."""
    path = CATALOG_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == SOURCE_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


def parse_accept_language(header: str | None) -> list[str]:
    """Our languages in the order the browser prefers them ("es-MX,es;q=0.9,en;q=0.5" -> ["es", "en"])."""
    if not header:
        return []
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return list(dict.fromkeys(language for _, _, language in sorted(ranked)))


def negotiate_language(
    *, requested: str | None, cookie: str | None, user_locale: str | None, accept_language: str | None
) -> str:
    """An explicit choice (?lang=) wins, then the remembered one (cookie, account), then the browser's."""
    for choice in (requested, cookie, user_locale):
        if choice in LANGUAGES:
            return choice
    preferred = parse_accept_language(accept_language)
    return preferred[0] if preferred else SOURCE_LANGUAGE


def gettext_for(language: str, message: str, **values: object) -> str:
    """Translate a message into `language` and fill its %(name)s placeholders."""
    text = translate(translations(language), message)
    return text % values if values else text
