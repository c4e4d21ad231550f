"""Match reasons (machine codes with parameters, see search/matching/scoring.py) in the reader's language."""

from __future__ import annotations

from marketplace.core.i18n import LANGUAGE_NAMES, N_, gettext_for

REASON_MESSAGES = {
    "same_hs_subheading": N_("Same HS subheading (%(hs)s)"),
    "same_hs_heading": N_("Same HS heading (%(hs)s)"),
    "same_hs_chapter": N_("Same HS chapter (%(hs)s)"),
    "similar_meaning": N_("Similar description (%(percent)s%% alike)"),
    "similar_meaning_other_language": N_(
        "Similar description in another language: %(language)s (%(percent)s%% alike)"
    ),
    "words_in_common": N_("Words in common: %(words)s"),
    "other_country": N_("Cross-border: from %(country)s to %(buyer_country)s"),
    "same_country": N_("Same country: %(country)s"),
    "ships_to_buyer_country": N_("Ships to %(country)s"),
    "certifications_satisfied": N_("Holds the required certifications: %(certifications)s"),
    "quantity_fits": N_("Minimum order fits the quantity wanted (%(min_order)s %(unit)s)"),
    "min_order_above_quantity": N_("Minimum order above the quantity wanted (%(min_order)s %(unit)s)"),
}


def render_reason(reason: dict, language: str) -> str:
    """One reason as a sentence in `language`; an unknown code shows as the code (never an error)."""
    code = reason.get("code", "")
    message = REASON_MESSAGES.get(code)
    if message is None:
        return code
    params = dict(reason.get("params") or {})
    if "similarity" in params:
        params["percent"] = round(float(params["similarity"]) * 100)
    if "language" in params:
        params["language"] = LANGUAGE_NAMES.get(params["language"], params["language"])
    for key in ("words", "certifications"):
        if isinstance(params.get(key), list):
            params[key] = ", ".join(params[key])
    try:
        return gettext_for(language, message, **params)
    except (KeyError, TypeError, ValueError):
        return code
