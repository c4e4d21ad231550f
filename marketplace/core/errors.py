"""Domain errors and the one place that turns errors into JSON (API) or pages (HTML)."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A failure a user can cause; carries its HTTP status, a stable code and optional field messages."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(DomainError):
    """Missing, or someone else's private object: both answer 404, so nothing leaks that it exists."""

    status_code = 404
    code = "not_found"


class InvalidInput(DomainError):
    status_code = 422
    code = "invalid"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _render_error_page(request: Request, status_code: int, message: str) -> Response:
    templates = getattr(request.app.state, "templates", None)
    if templates is None:
        return HTMLResponse(f"<h1>{status_code}</h1>", status_code=status_code)
    return templates.TemplateResponse(
        request, "error.html", {"status_code": status_code, "message": message}, status_code=status_code
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        if _wants_json(request):
            return JSONResponse(error_body(exc.code, exc.message, exc.fields), status_code=exc.status_code)
        if exc.status_code == 401:  # a page that needs a signed-in user: sign in, then come back
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/signin?{urlencode({'next': target})}", status_code=303)
        return _render_error_page(request, exc.status_code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        fields: dict[str, str] = {}
        for item in exc.errors():
            location = [
                str(part)
                for part in item["loc"]
                if part not in ("body", "query", "path") and not isinstance(part, int)
            ]
            message = str(item["msg"]).removeprefix("Value error, ")
            if not location:  # a rule across fields names its field: "unit: required with a quantity"
                name, _, rest = message.partition(": ")
                location, message = ([name], rest) if rest and name.isidentifier() else (["request"], message)
            if item.get("type") == "extra_forbidden":
                message = "unknown field"
            fields.setdefault(".".join(location), message)
        if _wants_json(request):
            return JSONResponse(error_body("invalid", "Some fields are not valid.", fields), status_code=422)
        return _render_error_page(request, 422, "; ".join(f"{k}: {v}" for k, v in fields.items()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}.get(
            exc.status_code, "http_error"
        )
        if _wants_json(request):
            return JSONResponse(
                error_body(code, str(exc.detail)),
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        return _render_error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if _wants_json(request):
            return JSONResponse(error_body("internal", "Something went wrong on our side."), status_code=500)
        return _render_error_page(request, 500, "Something went wrong on our side.")
