"""Search pages' query strings: parameters in (repeated keys for lists), shareable URLs out."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from pydantic import BaseModel

Params = TypeVar("Params", bound=BaseModel)


def parse_query(request: Request, model: type[Params], list_keys: tuple[str, ...]) -> Params:
    """Validate the query string into `model`; `list_keys` may repeat; empty values are absent."""
    raw: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        if key in list_keys:
            if value:
                raw.setdefault(key, []).append(value)
        elif key in model.model_fields and value != "":
            raw[key] = value
    return model.model_validate(raw)


def page_url(path: str, params: BaseModel, **changes: Any) -> str:
    """The page's URL with some parameters changed (facet links, pagination); the page resets unless given."""
    data = params.model_dump(exclude_defaults=True)
    data.pop("page", None)
    data.update(changes)
    pairs: list[tuple[str, Any]] = []
    for key, value in data.items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, list):
            pairs.extend((key, item) for item in value)
        else:
            pairs.append((key, str(value).lower() if isinstance(value, bool) else value))
    return path + (f"?{urlencode(pairs)}" if pairs else "")
