"""A small in-memory BM25 index over short multilingual titles (taxonomy codes), in pure Python.

Built for pickers: a few thousand documents, each a handful of titles in es/en/pt/fr. Words are folded
(case, accents, ligatures) and lightly stemmed so that plurals and genders meet ("aguacates" → "aguacat",
"congelées" → "congel"); a query word that is not in the vocabulary is matched to words one edit away, and
the last word also matches as a prefix (as-you-type). A document inherits its parent's words at a discount,
because a subheading titled "Other" or "Descafeinado" means nothing without its heading.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from search.taxonomy.text_analysis import stems

# Weights of the ways a query word reaches a vocabulary word.
EXACT, TYPO, PREFIX, TRANSLATION = 1.0, 0.7, 0.6, 0.6


def _deletions(term: str) -> set[str]:
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance of at most one (substitution, insertion, deletion, transposition)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


@dataclass(frozen=True)
class Field:
    """One title of a document; lengths are normalised among fields of the same name (language)."""

    name: str
    text: str
    weight: float = 1.0


@dataclass(frozen=True)
class Document:
    key: str
    fields: tuple[Field, ...]
    parent: str | None = None
    references: tuple[str, ...] = ()  # documents whose words this one's titles mean ("heading 0714")


@dataclass(frozen=True)
class Match:
    key: str
    score: float
    field: str | None  # the field (language) whose words matched the query best


class TextIndex:
    """BM25 over documents' own fields, with parents' words inherited at `inherit` per generation."""

    def __init__(
        self,
        documents: Sequence[Document],
        *,
        inherit: float = 0.5,
        k1: float = 1.2,
        b: float = 0.75,
        head_last: Container[str] = ("en",),
        modifier_weight: float = 0.7,
        first_word_bonus: float = 1.0,
        reference_weight: float = 0.3,
    ) -> None:
        self._head_last = head_last
        self._modifier_weight = modifier_weight
        self.keys = [doc.key for doc in documents]
        self._position = {key: i for i, key in enumerate(self.keys)}
        self._parents = [self._position.get(doc.parent) if doc.parent else None for doc in documents]
        field_stems = [[(f, stems(f.text)) for f in doc.fields] for doc in documents]
        # Stem sets per document and field name, with ancestors', to tell which language matched.
        self._field_sets: list[dict[str, frozenset[str]]] = []
        self._sequences: list[list[tuple[str, ...]]] = []
        for fields in field_stems:
            by_name: dict[str, set[str]] = {}
            for f, terms in fields:
                by_name.setdefault(f.name, set()).update(terms)
            self._field_sets.append({name: frozenset(terms) for name, terms in by_name.items()})
        # Which documents use a word in which language: the titles are parallel texts, so words that keep
        # company across languages are translations ("tostado" ~ "roasted" ~ "torrado" ~ "torréfié").
        self._in_field: dict[tuple[str, str], list[int]] = {}
        for i, by_name in enumerate(self._field_sets):
            for name, terms in by_name.items():
                for t in terms:
                    self._in_field.setdefault((name, t), []).append(i)
            self._sequences.append([tuple(terms) for _, terms in fields if len(terms) > 1])

        self._field_vocabulary: dict[str, set[str]] = {}
        for fields in field_stems:
            for f, terms in fields:
                self._field_vocabulary.setdefault(f.name, set()).update(terms)

        # Lengths are compared within a field name and a depth in the tree: headings list many goods and
        # subheadings few, and a one-word subheading ("Negra") must not beat its heading by brevity alone.
        depths = [self._depth(i) for i in range(len(documents))]
        lengths: dict[tuple[str, int], list[int]] = {}
        document_frequency: dict[str, int] = {}
        for depth, fields in zip(depths, field_stems, strict=True):
            for f, terms in fields:
                lengths.setdefault((f.name, depth), []).append(len(terms))
            for term in {t for _, terms in fields for t in terms}:
                document_frequency[term] = document_frequency.get(term, 0) + 1
        average = {name: max(1.0, sum(values) / len(values)) for name, values in lengths.items()}
        count = len(documents)
        idf = {t: math.log(1 + (count - df + 0.5) / (df + 0.5)) for t, df in document_frequency.items()}

        own: list[dict[str, float]] = []
        for depth, fields in zip(depths, field_stems, strict=True):
            weights: dict[str, float] = {}
            for f, terms in fields:
                norm = k1 * (1 - b + b * len(terms) / average[f.name, depth])
                counts: dict[str, float] = {}
                for t in terms:
                    counts[t] = counts.get(t, 0) + 1
                if terms:
                    # Titles name their goods first ("Vino de uvas frescas" vs "Lías o heces de vino").
                    counts[terms[0]] += first_word_bonus
                for t, tf in counts.items():
                    value = f.weight * idf[t] * tf * (k1 + 1) / (tf + norm)
                    if value > weights.get(t, 0.0):
                        weights[t] = value
            own.append(weights)

        references = [
            [self._position[key] for key in doc.references if key in self._position] for doc in documents
        ]
        inherited: list[dict[str, float] | None] = [None] * count

        def resolve(i: int) -> dict[str, float]:
            done = inherited[i]
            if done is not None:
                return done
            parent = self._parents[i]
            weights = dict(own[i])
            for reference in references[i]:
                for t, value in own[reference].items():
                    if reference_weight * value > weights.get(t, 0.0):
                        weights[t] = reference_weight * value
            if parent is not None:
                for t, value in resolve(parent).items():
                    if inherit * value > weights.get(t, 0.0):
                        weights[t] = inherit * value
            inherited[i] = weights
            return weights

        postings: dict[str, list[tuple[int, float]]] = {}
        for i in range(count):
            for t, value in resolve(i).items():
                postings.setdefault(t, []).append((i, value))
        self._postings = postings
        self._vocabulary = sorted(postings)
        self._deleted: dict[str, list[str]] = {}
        for term in self._vocabulary:
            if len(term) >= 5 and not term.isdigit():
                for variant in _deletions(term):
                    self._deleted.setdefault(variant, []).append(term)

    def __len__(self) -> int:
        return len(self.keys)

    def expand(self, term: str, *, prefix: bool = False) -> dict[str, float]:
        """Vocabulary words a query word stands for, with how much each counts."""
        found: dict[str, float] = {}
        if term in self._postings:
            found[term] = EXACT
            for translation, similarity in self._translations(term).items():
                found.setdefault(translation, TRANSLATION * similarity)
        elif len(term) >= 5 and not term.isdigit():
            variants = _deletions(term)
            candidates = set(self._deleted.get(term, ()))
            for variant in variants:
                if variant in self._postings:
                    candidates.add(variant)
                candidates.update(self._deleted.get(variant, ()))
            for candidate in candidates:
                if _within_one_edit(term, candidate):
                    found[candidate] = TYPO
        if prefix and len(term) >= 3 and EXACT not in found.values():
            start = bisect_left(self._vocabulary, term)
            for candidate in self._vocabulary[start : start + 200]:
                if not candidate.startswith(term):
                    break
                found.setdefault(candidate, PREFIX)
        return found

    @lru_cache(maxsize=4096)  # noqa: B019 — one index per process, kept for its lifetime
    def _translations(self, term: str) -> dict[str, float]:
        """The best translation of a word into each other language, by Dice overlap of the titles using them."""
        best: dict[str, tuple[float, str]] = {}
        for name in self._field_vocabulary:
            documents = self._in_field.get((name, term))
            if not documents or len(documents) > 400:
                continue
            together: dict[tuple[str, str], int] = {}
            for i in documents:
                for other, terms in self._field_sets[i].items():
                    if other != name:
                        for t in terms:
                            together[other, t] = together.get((other, t), 0) + 1
            for (other, t), count in together.items():
                if count < 2 or t == term:
                    continue
                dice = 2 * count / (len(documents) + len(self._in_field[other, t]))
                if dice >= 0.5 and dice > best.get(other, (0.0, ""))[0]:
                    best[other] = (dice, t)
        found: dict[str, float] = {}
        for dice, t in best.values():
            found[t] = max(found.get(t, 0.0), dice)
        return found

    def search(
        self,
        query: str,
        *,
        limit: int,
        accept: Container[int] | None = None,
        factors: Mapping[int, float] | None = None,
        prefix_last: bool = True,
        language: str | None = None,
    ) -> list[Match]:
        """Documents ranked for `query`: only those in `accept` (indexes), scores times `factors` (by index).

        `language` (the user's) settles which language the query is in when its words fit several.
        """
        terms = list(dict.fromkeys(stems(query)))
        if not terms:
            return []
        head = self._head(terms, language)
        scores: dict[int, float] = {}
        matched: dict[int, int] = {}
        expansions: list[dict[str, float]] = []
        for n, term in enumerate(terms):
            expansion = self.expand(term, prefix=prefix_last and n == len(terms) - 1)
            expansions.append(expansion)
            best: dict[int, float] = {}
            for candidate, factor in expansion.items():
                for i, value in self._postings[candidate]:
                    value *= factor
                    if value > best.get(i, 0.0):
                        best[i] = value
            weight = 1.0 if n == head else self._modifier_weight
            for i, value in best.items():
                scores[i] = scores.get(i, 0.0) + weight * value
                matched[i] = matched.get(i, 0) + 1
        ranked = []
        for i, score in scores.items():
            if accept is not None and i not in accept:
                continue
            coverage = matched[i] / len(terms)
            factor = factors.get(i, 1.0) if factors else 1.0
            ranked.append((score * coverage * coverage * factor, i))
        ranked.sort(reverse=True)
        shortlist = ranked[: max(limit * 4, 40)]
        vocabulary_terms = [set(e) for e in expansions]
        rescored = [(score * self._phrase_boost(i, terms), i) for score, i in shortlist]
        rescored.sort(key=lambda pair: (-pair[0], self.keys[pair[1]]))
        return [
            Match(self.keys[i], round(score, 4), self._matched_field(i, vocabulary_terms, language))
            for score, i in rescored[:limit]
        ]

    def _depth(self, i: int) -> int:
        depth = 0
        parent = self._parents[i]
        while parent is not None:
            depth, parent = depth + 1, self._parents[parent]
        return depth

    def _head(self, terms: list[str], language: str | None) -> int:
        """Position of the query's head noun: last in English ("roasted coffee"), first in es/pt/fr
        ("café tostado", "miel de abeja"); modifiers count less when only some words match."""
        if len(terms) < 2:
            return 0
        fits = {
            name: sum(1 for t in terms if t in vocabulary)
            for name, vocabulary in self._field_vocabulary.items()
        }
        best = max(fits.values())
        candidates = [name for name, count in fits.items() if count == best]
        detected = language if language in candidates else sorted(candidates)[0]
        return len(terms) - 1 if detected in self._head_last else 0

    def _phrase_boost(self, i: int, terms: list[str]) -> float:
        """Words typed together that stand together in a title (own or an ancestor's) count more."""
        if len(terms) < 2:
            return 1.0
        wanted = tuple(terms)
        generation = 0
        node: int | None = i
        while node is not None and generation < 3:
            for sequence in self._sequences[node]:
                for start in range(len(sequence) - len(wanted) + 1):
                    if sequence[start : start + len(wanted)] == wanted:
                        return 1.0 + 0.3 / (generation + 1)
            node = self._parents[node]
            generation += 1
        return 1.0

    def _matched_field(self, i: int, wanted: list[set[str]], language: str | None) -> str | None:
        best, best_count = None, 0
        node: int | None = i
        while node is not None:
            fields = self._field_sets[node]
            for name in sorted(fields, key=lambda name: name != language):
                terms = fields[name]
                hits = sum(1 for alternatives in wanted if alternatives & terms)
                if hits > best_count:
                    best, best_count = name, hits
            if best_count == len(wanted):
                break
            node = self._parents[node]
        return best
