"""JSON API: any signed-in user files a report; the admins' queue, actions and index health (admin API
token only: the admin endpoints answer 404 to everyone else, and to an admin's browser session)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from marketplace.accounts.models import User
from marketplace.core.deps import PageDep, RequiredApiUser, SessionDep, check_api_csrf, get_api_user
from marketplace.core.errors import NotFound
from marketplace.core.i18n import N_
from marketplace.core.permissions import require_admin
from marketplace.inquiries.pages import client_ip
from marketplace.moderation import health, queue, service
from marketplace.moderation.models import ModerationAction, Report

router = APIRouter(
    prefix="/api/v1", tags=["moderation"], dependencies=[Depends(check_api_csrf), Depends(get_api_user)]
)


def admin_token_user(request: Request, user: RequiredApiUser) -> User:
    """The caller must be an admin using a personal API token (not a browser session); anyone else signed
    in gets 404, as if the admin API did not exist."""
    if not getattr(request.state, "api_token", False):
        raise NotFound(N_("Page not found"))
    return require_admin(user)


AdminApiUser = Annotated[User, Depends(admin_token_user)]


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    object_type: Literal["listing", "company", "message"]
    object_id: int = Field(ge=1)
    reason: Literal["spam", "fraud", "offensive", "prohibited", "other"]
    details: str = Field(default="", max_length=service.MAX_DETAILS)


class ReportOut(BaseModel):
    id: int
    object_type: str
    object_id: int
    reason: str
    details: str
    status: str
    created_at: datetime


class ObjectOut(BaseModel):
    object_type: str
    object_id: int
    title: str
    body: str
    status: str
    owner_company_id: int | None
    hidden: bool
    company_suspended: bool
    actions: list[str]


class QueueEntryOut(BaseModel):
    object: ObjectOut
    reports: list[ReportOut]
    first_reported_at: datetime


class QueuePage(BaseModel):
    items: list[QueueEntryOut]
    total: int
    page: int
    per_page: int


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    action: Literal["hide", "unhide", "warn", "suspend", "unsuspend", "dismiss", "restore"]
    reason: str = Field(min_length=1, max_length=service.MAX_REASON)


class ActionOut(BaseModel):
    id: int
    object_type: str
    object_id: int
    action: str
    reason: str
    user_id: int | None
    created_at: datetime


class CaseOut(BaseModel):
    object: ObjectOut
    reports: list[ReportOut]
    trail: list[ActionOut]


def _report_out(report: Report) -> ReportOut:
    return ReportOut.model_validate(report, from_attributes=True)


def _object_out(view: queue.ObjectView) -> ObjectOut:
    return ObjectOut(
        object_type=view.object_type,
        object_id=view.object_id,
        title=view.title,
        body=view.body,
        status=view.status,
        owner_company_id=view.owner_company.id if view.owner_company else None,
        hidden=any(hold.kind == "hide" for hold in view.holds),
        company_suspended=view.suspension is not None,
        actions=list(view.actions),
    )


def _action_out(entry: ModerationAction) -> ActionOut:
    return ActionOut.model_validate(entry, from_attributes=True)


@router.post("/reports", response_model=ReportOut, status_code=201)
def file_report(request: Request, session: SessionDep, user: RequiredApiUser, data: ReportIn) -> ReportOut:
    service.check_report_limit(session, request.app.state.engine, user, client_ip(request))
    report = service.file_report(session, user, **data.model_dump())
    return _report_out(report)


@router.get("/admin/moderation/queue", response_model=QueuePage)
def moderation_queue(session: SessionDep, user: AdminApiUser, paging: PageDep) -> QueuePage:
    entries, total = queue.open_queue(session, user, page=paging.page, per_page=paging.per_page)
    items = [
        QueueEntryOut(
            object=_object_out(entry.object),
            reports=[_report_out(report) for report in entry.reports],
            first_reported_at=entry.first_reported_at,
        )
        for entry in entries
    ]
    return QueuePage(items=items, total=total, page=paging.page, per_page=paging.per_page)


@router.get("/admin/moderation/{object_type}/{object_id}", response_model=CaseOut)
def moderation_case(session: SessionDep, user: AdminApiUser, object_type: str, object_id: int) -> CaseOut:
    case = queue.object_case(session, user, object_type, object_id)
    return CaseOut(
        object=_object_out(case.object),
        reports=[_report_out(report) for report in case.reports],
        trail=[_action_out(entry) for entry in case.trail],
    )


@router.post("/admin/moderation/{object_type}/{object_id}/actions", response_model=ActionOut, status_code=201)
def moderation_action(
    session: SessionDep, user: AdminApiUser, object_type: str, object_id: int, data: ActionIn
) -> ActionOut:
    entry = service.moderate(
        session, user, object_type=object_type, object_id=object_id, action=data.action, reason=data.reason
    )
    return _action_out(entry)


class FailedJobOut(BaseModel):
    id: int
    kind: str
    entity: str | None
    entity_id: int | None
    status: str
    attempts: int
    max_attempts: int
    error: str


class ReconciliationOut(BaseModel):
    id: int
    status: str
    result: dict
    error: str | None
    created_at: datetime
    finished_at: datetime | None


class EngineOut(BaseModel):
    available: bool
    backend: str
    detail: str
    documents: dict[str, int]


class IndexHealthOut(BaseModel):
    outbox_pending: int
    outbox_retrying: int
    dead: int
    jobs: dict[str, int]
    failed_jobs: list[FailedJobOut]
    last_reconciliation: ReconciliationOut | None
    reconciliation_waiting: bool
    engine: EngineOut


@router.get("/admin/index-health", response_model=IndexHealthOut)
def index_health(request: Request, session: SessionDep, user: AdminApiUser) -> IndexHealthOut:
    figures = health.index_health(session, user, request.app.state.search)
    run = figures.last_reconciliation
    return IndexHealthOut(
        outbox_pending=figures.outbox_pending,
        outbox_retrying=figures.outbox_retrying,
        dead=figures.dead,
        jobs=vars(figures.jobs),
        failed_jobs=[FailedJobOut.model_validate(job, from_attributes=True) for job in figures.failed_jobs],
        last_reconciliation=ReconciliationOut.model_validate(run, from_attributes=True) if run else None,
        reconciliation_waiting=figures.reconciliation_waiting,
        engine=EngineOut(
            available=figures.engine.available,
            backend=figures.engine.backend,
            detail=figures.engine.detail,
            documents=dict(figures.engine.documents),
        ),
    )


@router.post("/admin/index-health/reconcile", response_model=ReconciliationOut, status_code=202)
def reconcile_now(session: SessionDep, user: AdminApiUser) -> ReconciliationOut:
    run = health.request_reconciliation(session, user)
    return ReconciliationOut.model_validate(run, from_attributes=True)


@router.post("/admin/jobs/{job_id}/retry", response_model=FailedJobOut)
def retry_job(session: SessionDep, user: AdminApiUser, job_id: int) -> FailedJobOut:
    job = health.retry_job(session, user, job_id)
    return FailedJobOut(
        id=job.id, kind=job.kind, entity=job.entity, entity_id=job.entity_id, status=job.status,  # type: ignore[arg-type]
        attempts=job.attempts, max_attempts=job.max_attempts, error=health.short_error(job.last_error),
    )  # fmt: skip
