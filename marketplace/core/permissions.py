"""The one permission layer: who may see or change what. Services call these before acting.

Another company's private object answers 404 (NotFound), never 403, so nothing reveals that it exists;
a member lacking a role in their own company gets 403 (PermissionDenied).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import Membership, User
from marketplace.centres.models import Advisor, CentreClient
from marketplace.core.errors import DomainError, NotFound
from marketplace.core.i18n import N_


class PermissionDenied(DomainError):
    status_code = 403
    code = "forbidden"


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"


def require_user(user: User | None) -> User:
    if user is None:
        raise NotAuthenticated(N_("Sign in to continue."))
    return user


def membership(session: Session, user: User | None, company_id: int) -> Membership | None:
    if user is None:
        return None
    return session.execute(
        select(Membership).where(Membership.user_id == user.id, Membership.company_id == company_id)
    ).scalar_one_or_none()


def require_member(session: Session, user: User | None, company_id: int) -> Membership:
    """The user's membership of the company, or NotFound (their private pages do not exist for others)."""
    found = membership(session, require_user(user), company_id)
    if found is None:
        raise NotFound(N_("Page not found"))
    return found


def require_owner(session: Session, user: User | None, company_id: int) -> Membership:
    found = require_member(session, user, company_id)
    if found.role != "owner":
        raise PermissionDenied(N_("Only an owner of the company can do this."))
    return found


def advised_company_ids(session: Session, user: User) -> set[int]:
    """Companies in the active portfolio of any centre the user advises."""
    rows = session.execute(
        select(CentreClient.company_id)
        .join(Advisor, Advisor.centre_id == CentreClient.centre_id)
        .where(Advisor.user_id == user.id, CentreClient.status == "active")
    ).scalars()
    return set(rows)


def is_advisor(session: Session, user: User | None) -> bool:
    if user is None:
        return False
    return session.execute(select(Advisor.id).where(Advisor.user_id == user.id)).first() is not None
