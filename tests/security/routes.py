"""The app's effective routes, read from its route table: (method, path template, endpoint) per route.

FastAPI 0.165 includes routers lazily: `app.routes` holds `_IncludedRouter` entries, not the routes inside
them. `fastapi.routing.iter_route_contexts` (what FastAPI's own OpenAPI generator walks) expands them into
one context per effective route, with the prefixed path, its methods and its endpoint. Mounts (/static) have
no methods and are not routes of ours; HEAD is added by Starlette to every GET and answers like it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts


@dataclass(frozen=True)
class EffectiveRoute:
    method: str
    path: str
    endpoint: Callable[..., Any] | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    def describe(self) -> str:
        where = f"{self.endpoint.__module__}.{self.endpoint.__qualname__}" if self.endpoint else "?"
        return f"{self.method} {self.path} ({where})"


def effective_routes(app: FastAPI) -> list[EffectiveRoute]:
    """Every (method, path) the app answers, in route-table order; HEAD and mounts left out."""
    found: list[EffectiveRoute] = []
    for context in iter_route_contexts(app.routes):
        if not context.methods or context.path is None:
            continue  # a Mount (static files) or a WebSocket route
        for method in sorted(context.methods - {"HEAD"}):
            found.append(EffectiveRoute(method, context.path, context.endpoint))
    return found
