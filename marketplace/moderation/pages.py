"""HTML pages: reporting a listing, company or message; the admins' moderation queue, an object's case
page with its actions and audit trail, and the index-health page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from jinja2 import pass_context
from sqlmodel import Session

from marketplace.core.deps import PageDep, RequiredUser, SessionDep, check_csrf
from marketplace.core.errors import DomainError, NotFound
from marketplace.core.i18n import N_
from marketplace.core.ratelimit import RateLimited
from marketplace.core.templating import render
from marketplace.inquiries.pages import client_ip
from marketplace.moderation import health, notices, queue, repository, service
from marketplace.moderation.models import REPORT_REASONS

router = APIRouter(dependencies=[Depends(check_csrf)])
Text = Annotated[str, Form()]

REASON_LABELS = {
    "spam": N_("Spam or unsolicited advertising"),
    "fraud": N_("Fraud or a fake business"),
    "offensive": N_("Offensive or abusive content"),
    "prohibited": N_("Prohibited goods or services"),
    "other": N_("Something else"),
}
NOTICES = {
    "done": N_("Done. The action is recorded in the audit trail."),
    "reconcile_queued": N_("Reconciliation queued: the result appears here when the worker has run it."),
    "retried": N_("The job will be tried again."),
}


def install_moderation_templates(templates: Any) -> None:
    """`moderation_notices(company_id=…, listing_id=…)` and `hidden_messages(ids)` for owners' pages."""

    def _read(context: Any, work):  # type: ignore[no-untyped-def]
        engine = context["request"].app.state.engine.execution_options(sqlite_begin="DEFERRED")
        with Session(engine) as session:
            return work(session)

    @pass_context
    def moderation_notices(context: Any, company_id: int | None = None, listing_id: int | None = None):  # type: ignore[no-untyped-def]
        return _read(
            context, lambda s: notices.owner_notices(s, company_id=company_id, listing_id=listing_id)
        )

    @pass_context
    def hidden_messages(context: Any, ids: list[int]) -> dict[int, str]:
        return _read(context, lambda s: repository.hidden_messages(s, list(ids)))

    templates.env.globals["moderation_notices"] = moderation_notices
    templates.env.globals["hidden_messages"] = hidden_messages
    templates.env.globals["report_reason_labels"] = REASON_LABELS


def _notice(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("notice", ""))


# --- reports -------------------------------------------------------------------------------------------


def _report_form(
    request: Request, *, object_type: str, object_id: int, values: dict, error: str | None = None,
    errors: dict | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    context = {
        "object_type": object_type,
        "object_id": object_id,
        "values": values,
        "error": error,
        "errors": errors or {},
        "reasons": [(code, REASON_LABELS[code]) for code in REPORT_REASONS],
    }
    return render(request, "moderation/report_form.html", context, status_code=status_code)


@router.get("/reports/new")
def new_report(
    request: Request, session: SessionDep, user: RequiredUser, object_type: str = "", object_id: int = 0
) -> Response:
    if object_type not in service.USER_REPORTABLE:
        raise NotFound(N_("Page not found"))
    service.check_reportable(session, user, object_type, object_id)
    return _report_form(request, object_type=object_type, object_id=object_id, values={})


@router.post("/reports")
def create_report(
    request: Request, session: SessionDep, user: RequiredUser,
    object_type: Text = "", object_id: Annotated[int, Form()] = 0, reason: Text = "", details: Text = "",
) -> Response:  # fmt: skip
    values = {"reason": reason, "details": details}
    try:
        service.check_report_limit(session, request.app.state.engine, user, client_ip(request))
        service.file_report(
            session, user, object_type=object_type, object_id=object_id, reason=reason, details=details
        )
    except (RateLimited, service.AlreadyReported) as exc:
        return _report_form(
            request, object_type=object_type, object_id=object_id, values=values, error=exc.message,
            status_code=exc.status_code,
        )  # fmt: skip
    except DomainError as exc:
        if exc.status_code in (401, 404):
            raise
        return _report_form(
            request, object_type=object_type, object_id=object_id, values=values, error=exc.message,
            errors=exc.fields, status_code=exc.status_code,
        )  # fmt: skip
    return render(
        request, "moderation/report_sent.html", {"object_type": object_type, "object_id": object_id}
    )


# --- the admins' queue and cases ---------------------------------------------------------------------------


@router.get("/admin/moderation")
def moderation_queue(request: Request, session: SessionDep, user: RequiredUser, paging: PageDep) -> Response:
    entries, total = queue.open_queue(session, user, page=paging.page, per_page=paging.per_page)
    context = {"entries": entries, "total": total, "page": paging.page, "per_page": paging.per_page}
    return render(request, "moderation/queue.html", context)


def _case_page(
    request: Request, session: Session, user: Any, object_type: str, object_id: int, *,
    values: dict | None = None, errors: dict | None = None, error: str | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    case = queue.object_case(session, user, object_type, object_id)
    context = {
        "case": case,
        "values": values or {},
        "errors": errors or {},
        "error": error,
        "notice": _notice(request),
    }
    return render(request, "moderation/case.html", context, status_code=status_code)


@router.get("/admin/moderation/{object_type}/{object_id}")
def moderation_case(
    request: Request, session: SessionDep, user: RequiredUser, object_type: str, object_id: int
) -> Response:
    return _case_page(request, session, user, object_type, object_id)


@router.post("/admin/moderation/{object_type}/{object_id}")
def moderation_action(
    request: Request, session: SessionDep, user: RequiredUser, object_type: str, object_id: int,
    action: Text = "", reason: Text = "",
) -> Response:  # fmt: skip
    try:
        service.moderate(
            session, user, object_type=object_type, object_id=object_id, action=action, reason=reason
        )
    except DomainError as exc:
        if exc.status_code in (401, 404):
            raise
        session.rollback()
        return _case_page(
            request, session, user, object_type, object_id, values={"action": action, "reason": reason},
            errors=exc.fields, error=exc.message, status_code=exc.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/admin/moderation/{object_type}/{object_id}?notice=done", status_code=303)


# --- index health -------------------------------------------------------------------------------------------


@router.get("/admin/index-health")
def index_health(request: Request, session: SessionDep, user: RequiredUser) -> Response:
    figures = health.index_health(session, user, request.app.state.search)
    return render(request, "moderation/index_health.html", {"health": figures, "notice": _notice(request)})


@router.post("/admin/index-health/reconcile")
def reconcile_now(session: SessionDep, user: RequiredUser) -> Response:
    health.request_reconciliation(session, user)
    return RedirectResponse("/admin/index-health?notice=reconcile_queued", status_code=303)


@router.post("/admin/index-health/jobs/{job_id}/retry")
def retry_job(session: SessionDep, user: RequiredUser, job_id: int) -> Response:
    health.retry_job(session, user, job_id)
    return RedirectResponse("/admin/index-health?notice=retried", status_code=303)
