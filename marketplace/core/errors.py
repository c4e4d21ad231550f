"""Domain errors and the one place that turns errors into JSON (API) or pages (HTML)."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from marketplace.core.i18n import N_

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

    @app.exception_handler(OverflowError)  # SQLite: an integer past 64 bits
    @app.exception_handler(DataError)  # PostgreSQL: a number past its column's range
    async def out_of_range(request: Request, exc: Exception) -> Response:
        # Ids come in URLs and bodies as unbounded integers; one no column can hold names nothing: 404.
        if isinstance(exc, DataError) and getattr(exc.orig, "sqlstate", None) != "22003":
            return await unexpected_error(request, exc)
        return await domain_error(request, NotFound(N_("Page not found")))

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if _wants_json(request):
            return JSONResponse(error_body("internal", "Something went wrong on our side."), status_code=500)
        return _render_error_page(request, 500, "Something went wrong on our side.")

    document_api_errors(app)


# What the handlers above (and the hardening middlewares) answer on /api/ routes, for the OpenAPI schema.
_API_ERRORS = {
    "400": "The request could not be read.",
    "401": "The API token is not valid or has been revoked, or the operation needs a signed-in caller.",
    "404": "No such object, or another company's or centre's private one.",
    "422": "Some fields are not valid: `fields` names them.",
    "429": "Too many requests: wait a while and try again.",
}
_UNSAFE_API_ERRORS = {
    "403": "A call riding on the session cookie without its X-CSRF-Token header, or a role the caller lacks.",
    "409": "The object's state does not allow this now (e.g. publishing a closed listing).",
    "413": "The request body is too large.",
    "415": "The uploaded file is not of a type this operation takes.",
}
_ERROR_SCHEMA = {
    "title": "ErrorBody",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
    },
}


def document_api_errors(app: FastAPI) -> None:
    """Declare the JSON error body on every /api/ operation (replacing FastAPI's own 422 `detail` shape)."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {})["ErrorBody"] = _ERROR_SCHEMA
            body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
            for path, operations in schema.get("paths", {}).items():
                if not path.startswith("/api/"):
                    continue
                for method, operation in operations.items():
                    errors = _API_ERRORS | (_UNSAFE_API_ERRORS if method != "get" else {})
                    for status, description in errors.items():
                        operation["responses"][status] = {"description": description, "content": body}
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
