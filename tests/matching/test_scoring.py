"""The scoring function's business rules and evidence (no model, no database)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from search.matching.scoring import MIN_SCORE, MatchProfile, hs_proximity, score_pair

TODAY = date(2026, 11, 30)


def request(**fields) -> MatchProfile:  # type: ignore[no-untyped-def]
    values = {"id": 1, "kind": "request", "title": "Café tostado en grano", "description": "Para cafeterías.",
              "language": "es", "company_id": 10, "country": "MX", "hs_code": "090121"}  # fmt: skip
    return MatchProfile(**{**values, **fields})


def offer(**fields) -> MatchProfile:  # type: ignore[no-untyped-def]
    values = {"id": 2, "kind": "offer", "title": "Roasted coffee beans", "description": "Medium roast.",
              "language": "en", "company_id": 20, "country": "CO", "hs_code": "090121"}  # fmt: skip
    return MatchProfile(**{**values, **fields})


def test_a_good_cross_border_pair_is_scored_with_reasons() -> None:
    pair = score_pair(request(), offer(), semantic=0.8, today=TODAY)
    assert pair is not None and pair.score >= MIN_SCORE
    codes = [reason["code"] for reason in pair.reasons]
    assert "same_hs_subheading" in codes and "similar_meaning_other_language" in codes
    assert {"code": "other_country", "params": {"country": "CO", "buyer_country": "MX"}} in pair.reasons


def test_own_country_is_excluded_by_default_and_allowed_on_request() -> None:
    assert score_pair(request(), offer(country="MX"), semantic=0.9, today=TODAY) is None
    assert (
        score_pair(request(), offer(country="MX"), semantic=0.9, today=TODAY, allow_domestic=True) is not None
    )


def test_same_company_never_matches_itself() -> None:
    assert score_pair(request(), offer(company_id=10), semantic=1.0, today=TODAY, allow_domestic=True) is None


def test_required_certification_must_be_held() -> None:
    wanted = request(certifications=("organic", "fairtrade"))
    assert score_pair(wanted, offer(certifications=("organic",)), semantic=0.9, today=TODAY) is None
    pair = score_pair(
        wanted, offer(certifications=("organic", "fairtrade", "haccp")), semantic=0.9, today=TODAY
    )
    assert pair is not None
    assert {
        "code": "certifications_satisfied",
        "params": {"certifications": ["fairtrade", "organic"]},
    } in pair.reasons


def test_offer_that_does_not_ship_to_the_buyer_is_excluded() -> None:
    assert score_pair(request(), offer(ship_to=("US", "CA")), semantic=0.9, today=TODAY) is None
    assert score_pair(request(), offer(ship_to=("US", "MX")), semantic=0.9, today=TODAY) is not None


def test_request_that_does_not_accept_the_origin_is_excluded() -> None:
    assert score_pair(request(accept_from=("PE",)), offer(), semantic=0.9, today=TODAY) is None


def test_expired_listings_do_not_match() -> None:
    assert (
        score_pair(request(), offer(valid_until=TODAY - timedelta(days=1)), semantic=0.9, today=TODAY) is None
    )


def test_hs_proximity_prefers_longer_shared_prefixes_and_unknown_is_no_penalty() -> None:
    assert (
        hs_proximity("090121", "090121")[0]
        > hs_proximity("090121", "090111")[0]
        > hs_proximity("090121", "091011")[0]
    )
    assert hs_proximity("090121", None) == (0.0, 0)
    assert hs_proximity("090121", "610910")[0] < 0  # known and unrelated
    unknown = score_pair(request(), offer(hs_code=None), semantic=0.7, today=TODAY)
    unrelated = score_pair(request(), offer(hs_code="610910"), semantic=0.7, today=TODAY)
    assert unknown is not None and (unrelated is None or unrelated.score < unknown.score)


def test_quantity_fit_is_a_small_boost_and_its_absence_a_small_malus() -> None:
    wanted = request(quantity=Decimal("500"), unit="kg")
    fits = score_pair(wanted, offer(min_order=Decimal("100"), unit="kg"), semantic=0.8, today=TODAY)
    too_big = score_pair(wanted, offer(min_order=Decimal("1000"), unit="kg"), semantic=0.8, today=TODAY)
    assert fits is not None and too_big is not None and fits.score > too_big.score
    assert any(r["code"] == "min_order_above_quantity" for r in too_big.reasons)
