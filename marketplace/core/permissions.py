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


def advisor_of(session: Session, user: User | None, centre_id: int) -> Advisor | None:
    if user is None:
        return None
    return session.execute(
        select(Advisor).where(Advisor.user_id == user.id, Advisor.centre_id == centre_id)
    ).scalar_one_or_none()


def require_advisor(session: Session, user: User | None, centre_id: int) -> Advisor:
    """The user's advisor seat at the centre, or NotFound (a centre's pages do not exist for others)."""
    found = advisor_of(session, require_user(user), centre_id)
    if found is None:
        raise NotFound(N_("Page not found"))
    return found


def advising_client(session: Session, user: User | None, company_id: int) -> CentreClient | None:
    """The active, consented client relationship through which the user advises the company, if any."""
    if user is None:
        return None
    return (
        session.execute(
            select(CentreClient)
            .join(Advisor, Advisor.centre_id == CentreClient.centre_id)
            .where(
                Advisor.user_id == user.id,
                CentreClient.company_id == company_id,
                CentreClient.status == "active",
                CentreClient.consent_at.is_not(None),  # type: ignore[union-attr]
            )
            .order_by(CentreClient.id)
        )
        .scalars()
        .first()
    )


def require_client(session: Session, user: User | None, centre_id: int, company_id: int) -> CentreClient:
    """The centre's active client, if the user advises at that centre; else NotFound."""
    require_advisor(session, user, centre_id)
    found = session.execute(
        select(CentreClient).where(
            CentreClient.centre_id == centre_id,
            CentreClient.company_id == company_id,
            CentreClient.status == "active",
            CentreClient.consent_at.is_not(None),  # type: ignore[union-attr]
        )
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(N_("Page not found"))
    return found


def require_member_or_advisor(session: Session, user: User | None, company_id: int) -> CentreClient | None:
    """May the user act for the company? Members may; so may advisors of a centre it is an active client of.

    Returns the client relationship when the user acts as an advisor (None for a member); NotFound otherwise.
    """
    if membership(session, require_user(user), company_id) is not None:
        return None
    client = advising_client(session, user, company_id)
    if client is None:
        raise NotFound(N_("Page not found"))
    return client


def may_see_private(session: Session, user: User | None, company_id: int) -> bool:
    """Members and the company's advisors see its drafts and listings waiting for review."""
    return (
        membership(session, user, company_id) is not None
        or advising_client(session, user, company_id) is not None
    )


def consented_client_ids(session: Session, user: User | None) -> set[int]:
    """Companies the user may act for as an advisor: active, consented clients of a centre the user advises
    at (the set form of `advising_client`)."""
    if user is None:
        return set()
    rows = session.execute(
        select(CentreClient.company_id)
        .join(Advisor, Advisor.centre_id == CentreClient.centre_id)
        .where(
            Advisor.user_id == user.id,
            CentreClient.status == "active",
            CentreClient.consent_at.is_not(None),  # type: ignore[union-attr]
        )
    ).scalars()
    return set(rows)


def require_admin(user: User | None) -> User:
    """A platform admin, or NotFound: admin pages do not exist for anyone else (signed in or not)."""
    if user is None or not user.is_admin:
        raise NotFound(N_("Page not found"))
    return user
