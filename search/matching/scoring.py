"""THE scoring function for a (buy request, offer) pair: hard rules, weighted evidence, explained reasons.

Every weight lives in `WEIGHTS`; `score_pair` is the only place a match score is computed. A pair is
either refused by a business rule (returns None) or scored as

    score = semantic * cosine(request, offer)            meaning, across languages (0..1)
          + lexical  * words_in_common                   share of the request's content words in the offer (0..1)
          + hs       * hs_proximity                      same 6-digit 1.0 > 4-digit 0.7 > 2-digit 0.4;
                                                          unknown on either side 0 (no penalty);
                                                          a different chapter -1.0 (known and unrelated)
          + quantity * quantity_fit                      +1 the offer's minimum order fits the quantity wanted,
                                                          -1 it is above it (same unit only), 0 unknown

and kept when score >= MIN_SCORE. Reasons are machine codes with parameters ({"code", "params"}), rendered
in the reader's language by the app.

Hard rules (DESIGN §3): offer and request from different companies; other country than the requester unless
`allow_domestic`; the offer ships to the requester's country (empty list = anywhere); the request accepts
supply from the offer's country (empty = anywhere); the offer holds every certification the request requires;
both valid on the day.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

WEIGHTS = {"semantic": 1.0, "lexical": 0.15, "hs": 0.25, "quantity": 0.05}
HS_PROXIMITY = {6: 1.0, 4: 0.7, 2: 0.4}
HS_UNRELATED = -1.0
MIN_SCORE = 0.3  # below this a pair is not worth anyone's attention (set with bench/matching.py)
SIMILAR_MEANING_SHOWN = 0.5  # cosine from which "similar meaning" is given as a reason


@dataclass(frozen=True, kw_only=True)
class MatchProfile:
    """What matching needs to know about a listing (the app builds it from its models)."""

    id: int
    kind: str  # "offer" | "request"
    title: str
    description: str
    language: str
    company_id: int
    country: str
    hs_code: str | None = None
    certifications: tuple[str, ...] = ()  # offers: held; requests: required
    ship_to: tuple[str, ...] = ()  # offers: empty = anywhere
    accept_from: tuple[str, ...] = ()  # requests: empty = anywhere
    valid_until: date | None = None
    quantity: Decimal | None = None
    min_order: Decimal | None = None
    unit: str | None = None
    version: int = 1


@dataclass(frozen=True)
class ScoredPair:
    request_id: int
    offer_id: int
    score: float
    reasons: list[dict] = field(default_factory=list)
    components: dict[str, float] = field(default_factory=dict)


_STOPWORDS = frozenset(
    [
        "a",
        "al",
        "and",
        "con",
        "de",
        "del",
        "do",
        "da",
        "das",
        "dos",
        "e",
        "el",
        "em",
        "en",
        "et",
        "for",
        "from",
        "in",
        "la",
        "las",
        "le",
        "les",
        "los",
        "no",
        "of",
        "on",
        "or",
        "para",
        "par",
        "por",
        "pour",
        "the",
        "to",
        "un",
        "una",
        "une",
        "uno",
        "with",
        "y",
        "des",
        "du",
        "au",
        "aux",
        "our",
        "nuestro",
        "nossa",
        "notre",
        "we",
        "se",
        "que",
    ]
)


def content_words(text: str) -> set[str]:
    """Lower-cased, accent-free words of 3+ letters without stop words, crudely singularised."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = set()
    for word in re.findall(r"[a-z0-9]+", folded):
        if len(word) < 3 or word in _STOPWORDS or word.isdigit():
            continue
        words.add(word[:-1] if len(word) > 4 and word.endswith("s") else word)
    return words


def hs_proximity(request_code: str | None, offer_code: str | None) -> tuple[float, int]:
    """(proximity, digits shared): 6/4/2 digits in common, 0 when either is unknown, HS_UNRELATED otherwise."""
    if not request_code or not offer_code:
        return 0.0, 0
    for digits in (6, 4, 2):
        if (
            len(request_code) >= digits
            and len(offer_code) >= digits
            and request_code[:digits] == offer_code[:digits]
        ):
            return HS_PROXIMITY[digits], digits
    return HS_UNRELATED, 0


def refusal(
    request: MatchProfile, offer: MatchProfile, *, today: date, allow_domestic: bool = False
) -> str | None:
    """The business rule that rules this pair out, or None when it may match."""
    if request.company_id == offer.company_id:
        return "same_company"
    if not allow_domestic and request.country == offer.country:
        return "same_country"
    if offer.ship_to and request.country not in offer.ship_to:
        return "does_not_ship_to_buyer"
    if request.accept_from and offer.country not in request.accept_from:
        return "origin_not_accepted"
    if not set(request.certifications) <= set(offer.certifications):
        return "missing_certification"
    for listing in (request, offer):
        if listing.valid_until is not None and listing.valid_until < today:
            return "expired"
    return None


def quantity_fit(request: MatchProfile, offer: MatchProfile) -> float:
    if request.quantity is None or offer.min_order is None or not request.unit or request.unit != offer.unit:
        return 0.0
    return 1.0 if offer.min_order <= request.quantity else -1.0


def score_pair(
    request: MatchProfile,
    offer: MatchProfile,
    *,
    semantic: float,
    today: date,
    allow_domestic: bool = False,
    lexical_hit: bool = False,
) -> ScoredPair | None:
    """Score one pair (see the module docstring), or None when a business rule refuses it.

    `semantic` is the cosine of the two listings' vectors; `lexical_hit` says the search engine found the
    offer with the request's own words (it then counts as full lexical evidence).
    """
    if refusal(request, offer, today=today, allow_domestic=allow_domestic) is not None:
        return None
    request_words = content_words(request.title)
    common = sorted(request_words & content_words(f"{offer.title} {offer.description}"))
    lexical = 1.0 if lexical_hit else (len(common) / len(request_words) if request_words else 0.0)
    hs, digits = hs_proximity(request.hs_code, offer.hs_code)
    quantity = quantity_fit(request, offer)
    components = {"semantic": max(semantic, 0.0), "lexical": lexical, "hs": hs, "quantity": quantity}
    score = sum(WEIGHTS[name] * value for name, value in components.items())

    reasons: list[dict] = []
    if digits:
        code = {6: "same_hs_subheading", 4: "same_hs_heading", 2: "same_hs_chapter"}[digits]
        reasons.append({"code": code, "params": {"hs": offer.hs_code[:digits]}})  # type: ignore[index]
    if semantic >= SIMILAR_MEANING_SHOWN:
        reasons.append(
            {
                "code": "similar_meaning"
                if request.language == offer.language
                else "similar_meaning_other_language",
                "params": {"similarity": round(semantic, 2), "language": offer.language},
            }
        )
    if common:
        reasons.append({"code": "words_in_common", "params": {"words": common[:5]}})
    reasons.append({"code": "other_country", "params": {"country": offer.country, "buyer_country": request.country}}
                   if request.country != offer.country else {"code": "same_country", "params": {"country": offer.country}})  # fmt: skip
    if offer.ship_to:
        reasons.append({"code": "ships_to_buyer_country", "params": {"country": request.country}})
    if request.certifications:
        reasons.append(
            {"code": "certifications_satisfied", "params": {"certifications": sorted(request.certifications)}}
        )
    if quantity > 0:
        reasons.append(
            {"code": "quantity_fits", "params": {"min_order": str(offer.min_order), "unit": offer.unit}}
        )
    elif quantity < 0:
        reasons.append(
            {
                "code": "min_order_above_quantity",
                "params": {"min_order": str(offer.min_order), "unit": offer.unit},
            }
        )
    if score < MIN_SCORE:
        return None
    return ScoredPair(request.id, offer.id, round(score, 4), reasons, components)
