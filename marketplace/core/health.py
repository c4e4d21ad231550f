"""/healthz (the process answers) and /readyz (the database answers and its schema is current)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from marketplace.core.db import check_database
from marketplace.core.migrate import current_revision, head_revision

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", include_in_schema=False)
def readyz(request: Request) -> JSONResponse:
    checks: dict[str, str] = {}
    engine = request.app.state.engine
    try:
        check_database(engine)
        revision = current_revision(engine)
        expected = head_revision()
        checks["database"] = (
            "ok" if revision == expected else f"schema at {revision}, expected {expected}: run puente migrate"
        )
    except Exception as exc:  # the point of the probe is to report any failure, whatever its type
        checks["database"] = f"unreachable: {type(exc).__name__}"
    health = request.app.state.search.health()
    checks["search"] = "ok" if health.available else f"unavailable: {health.detail}"[:200]
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status_code=200 if ready else 503
    )
