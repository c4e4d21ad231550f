"""Forms of the centre pages: from submitted text to schemas (the API uses the same schemas)."""

from __future__ import annotations

from typing import Any

from marketplace.outcomes.schemas import OutcomeIn

OUTCOME_FIELDS = (
    "kind",
    "counterpart",
    "amount",
    "currency",
    "jobs_created",
    "jobs_kept",
    "occurred_on",
    "note",
)


def parse_outcome_form(values: dict[str, Any]) -> OutcomeIn:
    """Only the outcome's own fields are read: ids typed into a forged form change nothing."""
    data = {
        name: values[name].strip()
        for name in OUTCOME_FIELDS
        if isinstance(values.get(name), str) and values[name].strip()
    }
    return OutcomeIn.model_validate(data)
