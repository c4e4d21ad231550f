"""Text analysis for the embedded engine: folding, per-language stemming, typo budgets, edit distance.

tantivy keeps only analyzer *names* in the index; the analyzers themselves live in the process and
must be registered on every `Index` object, after every open (otherwise the first write or query on a
text field fails with "Error getting tokenizer"). `register_analyzers` is the one place that does it.
"""

from __future__ import annotations

from functools import lru_cache

import tantivy

FOLD = "puente_fold"
STEMMERS = {"es": "spanish", "en": "english", "pt": "portuguese", "fr": "french"}
# Longer "words" are base64 blobs or pasted URLs, never something a person types.
_MAX_TOKEN = 40


def stem_analyzer_name(language: str) -> str:
    """The registered name of a language's stemming analyzer."""
    return f"puente_stem_{language}"


def stem_field(language: str) -> str:
    """The index field holding text stemmed for `language`."""
    return f"stem_{language}"


def _builder() -> tantivy.TextAnalyzerBuilder:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(_MAX_TOKEN))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )


@lru_cache(maxsize=1)
def fold_analyzer() -> tantivy.TextAnalyzer:
    """Words lowercased and stripped of accents: "Café" and "cafe" index the same."""
    return _builder().build()


@lru_cache(maxsize=8)
def stem_analyzer(language: str) -> tantivy.TextAnalyzer:
    """Folded words reduced to their stem with the Snowball stemmer of `language`."""
    # Folding comes first so a query typed without accents stems exactly like the accented text.
    return _builder().filter(tantivy.Filter.stemmer(STEMMERS[language])).build()


def register_analyzers(index: tantivy.Index) -> None:
    """Register every analyzer our schemas name on this Index object (after every open)."""
    index.register_tokenizer(FOLD, fold_analyzer())
    for language in STEMMERS:
        index.register_tokenizer(stem_analyzer_name(language), stem_analyzer(language))


def query_words(text: str) -> list[str]:
    """The folded words of a query, as the index stores them."""
    return fold_analyzer().analyze(text)


@lru_cache(maxsize=4096)
def stem(word: str, language: str) -> str:
    """The stem of one folded word in `language`."""
    stems = stem_analyzer(language).analyze(word)
    return stems[0] if stems else word


def typo_budget(word: str) -> int:
    """Typos allowed in a query word, as Meilisearch: none below 5 letters, 1 from 5, 2 from 9."""
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance counting a transposition as one edit; `limit + 1` once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def prefix_distance(word: str, token: str, limit: int) -> int:
    """The smallest edit distance between `word` and any prefix of `token` (the word being typed)."""
    best = limit + 1
    for length in range(max(0, len(word) - limit), min(len(token), len(word) + limit) + 1):
        best = min(best, edit_distance(word, token[:length], limit))
        if best == 0:
            break
    return best
