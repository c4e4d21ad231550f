"""Words of multilingual taxonomy titles and queries: folded, without stop words or negated words, stemmed.

Plurals and genders of es/en/pt/fr meet under one light stem ("aguacates" → "aguacat", "congelées" →
"congel", "camarões" → "camar"); nothing language-specific beyond a few suffix rules is needed, because
the same stems are applied to the titles and to what users type.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9]+|[,;:()\[\]]")
_CLAUSE_ENDS = frozenset(",;:()[]")
_LETTER_PREFIX = re.compile(r"\b([a-z])-(?=[a-z])")  # "t-shirt" is one word, not "t" and "shirt"
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})
# Function words of es/en/pt/fr. Negations ("sin", "not", "sans", "sem") are dropped too: titles use them in
# ways a product name never does ("not roasted"), so they would only add noise. Words that are function words
# in one language but content in another stay ("the" is tea in French, "mais" maize).
STOPWORDS = frozenset(
    [
        "a",
        "al",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "au",
        "aux",
        "avec",
        "be",
        "by",
        "com",
        "como",
        "con",
        "d",
        "da",
        "das",
        "de",
        "del",
        "des",
        "do",
        "dos",
        "du",
        "e",
        "el",
        "em",
        "en",
        "et",
        "for",
        "from",
        "in",
        "incl",
        "including",
        "inclusive",
        "incluso",
        "its",
        "la",
        "las",
        "le",
        "les",
        "los",
        "mesmo",
        "meme",
        "n",
        "na",
        "nas",
        "nbsp",
        "nes",
        "no",
        "nos",
        "not",
        "o",
        "of",
        "on",
        "or",
        "os",
        "ou",
        "other",
        "others",
        "otra",
        "otras",
        "otro",
        "otros",
        "outra",
        "outras",
        "outro",
        "outros",
        "autre",
        "autres",
        "par",
        "para",
        "pela",
        "pelo",
        "per",
        "por",
        "pour",
        "que",
        "sans",
        "se",
        "sem",
        "sin",
        "such",
        "than",
        "their",
        "this",
        "to",
        "u",
        "un",
        "una",
        "une",
        "uno",
        "unos",
        "uma",
        "um",
        "whether",
        "which",
        "with",
        "y",
        "demais",
        "demas",
        "excluding",
        "excepto",
        "except",
        "exceto",
        "kind",
        "kinds",
        "used",
    ]
)

# Words after one of these, up to the end of the clause, are what a title is not ("not roasted or
# decaffeinated", "sin descafeinar", "excluding fillets"): indexing them would make "roasted coffee" find
# unroasted coffee.
NEGATIONS = frozenset(
    ["not", "non", "sin", "sem", "sans", "nao", "excluding", "excepto", "exceto", "except", "than"]
)


def fold(text: str) -> str:
    """Lower-case, without accents or ligatures."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem of a folded word, shared by its plural, gender and (English) participle forms."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement, minimum in (
        ("oes", "ao", 5),  # pt: camarões → camarão
        ("aes", "ao", 5),  # pt: pães → pão
        ("eaux", "eau", 5),  # fr: peaux → peau
        ("aux", "al", 6),  # fr: animaux → animal
        ("ais", "al", 6),  # pt: animais → animal (not fr "frais")
        ("eis", "el", 6),  # pt: móveis → móvel
        ("ies", "y", 5),  # en: berries → berry
        ("gens", "gem", 6),  # pt: embalagens → embalagem
    ):
        if word.endswith(suffix) and len(word) >= minimum:
            word = word[: -len(suffix)] + replacement
            break
    else:
        if word[-1] in "sx" and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
    if word.endswith("ied") and len(word) >= 5:
        word = word[:-3] + "y"
    elif word.endswith("ed") and len(word) >= 6:
        word = word[:-2]
    elif word.endswith("ing") and len(word) >= 7:
        word = word[:-3]
    if word.endswith("y"):
        word = word[:-1] + "i"
    while len(word) > 4 and word[-1] in "aeo":
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """Folded content words of a text; stop words, one-letter words and negated words left out."""
    found = []
    negated = hedged = False
    for token in _TOKEN.findall(_LETTER_PREFIX.sub(r"\1", fold(text))):
        if token in _CLAUSE_ENDS:
            negated = hedged = False
        elif token == "whether":  # noqa: S105 — "whether or not roasted": roasted or not, nothing excluded
            hedged = True
        elif token in NEGATIONS:
            negated = not hedged
        elif len(token) > 1 and token not in STOPWORDS and not negated:
            found.append(token)
    return found


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]
