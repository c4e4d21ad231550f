"""A company's team: owners invite colleagues by e-mail, remove them and hand over ownership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlmodel import Session

from marketplace.accounts.models import Invitation, Membership, User
from marketplace.accounts.service import normalise_email, user_by_email
from marketplace.companies.models import Company
from marketplace.core.errors import DomainError, InvalidInput, NotFound
from marketplace.core.i18n import LANGUAGES, N_, gettext_for
from marketplace.core.models import utcnow
from marketplace.core.permissions import PermissionDenied, require_member, require_owner, require_user
from marketplace.core.security import new_token, token_hash
from marketplace.mail.service import queue_mail

INVITATION_LIFETIME = timedelta(days=7)


class InvitationError(DomainError):
    code = "invitation"


@dataclass(frozen=True)
class TeamMember:
    user_id: int
    display_name: str
    email: str
    role: str


@dataclass(frozen=True)
class TeamView:
    company: Company
    members: list[TeamMember]
    invitations: list[Invitation]  # pending; only shown to owners
    viewer_role: str


def team(session: Session, user: User | None, company_id: int) -> TeamView:
    """The team page: members see each other; owners also see pending invitations."""
    own = require_member(session, user, company_id)
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(N_("Page not found"))
    rows = session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.company_id == company_id)
        .order_by(Membership.role.desc(), User.display_name)  # type: ignore[attr-defined]
    ).all()
    invitations: list[Invitation] = []
    if own.role == "owner":
        invitations = list(
            session.execute(
                select(Invitation).where(
                    Invitation.company_id == company_id,
                    Invitation.accepted_at.is_(None),  # type: ignore[union-attr]
                    Invitation.expires_at > utcnow(),
                )
            ).scalars()
        )
    members = [TeamMember(u.id, u.display_name, u.email, m.role) for m, u in rows]  # type: ignore[arg-type]
    return TeamView(company=company, members=members, invitations=invitations, viewer_role=own.role)


def invite(
    session: Session,
    actor: User | None,
    company_id: int,
    *,
    email: str,
    role: str,
    base_url: str,
    language: str,
) -> Invitation:
    """Invite an address to the team (owners only); the link is mailed and works for that address only."""
    owner = require_user(actor)
    require_owner(session, owner, company_id)
    address = normalise_email(email)
    if role not in ("member", "owner"):
        raise InvalidInput(N_("Choose a role."), fields={"role": N_("Choose a role.")})
    existing_user = user_by_email(session, address)
    if (
        existing_user is not None
        and session.execute(
            select(Membership.id).where(
                Membership.company_id == company_id, Membership.user_id == existing_user.id
            )
        ).first()
    ):
        message = N_("This person is already in your team.")
        raise InvalidInput(message, fields={"email": message})
    # A new invitation replaces a pending one for the same address.
    session.execute(
        delete(Invitation).where(
            Invitation.company_id == company_id,
            Invitation.email == address,
            Invitation.accepted_at.is_(None),  # type: ignore[union-attr]
        )
    )
    token = new_token()
    invitation = Invitation(
        company_id=company_id,
        email=address,
        role=role,
        invited_by_user_id=owner.id,
        token_hash=token_hash(token),
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    session.add(invitation)
    session.flush()
    company = session.get(Company, company_id)
    mail_language = existing_user.locale if existing_user and existing_user.locale in LANGUAGES else language
    queue_mail(
        session,
        to=address,
        subject=gettext_for(
            mail_language,
            N_("%(inviter)s invites you to %(company)s on Puente"),
            inviter=owner.display_name,
            company=company.name,
        ),  # type: ignore[union-attr]
        body_text=gettext_for(
            mail_language,
            N_(
                "Hello,\n\n%(inviter)s invites you to join the team of %(company)s on Puente, the B2B "
                "marketplace for businesses of the Americas.\n\nAccept within 7 days here (sign up with this "
                "address "
                "first if you have no account):\n%(link)s"
            ),
            inviter=owner.display_name,
            company=company.name,  # type: ignore[union-attr]
            link=f"{base_url}/invitations/accept?token={token}",
        ),
    )
    return invitation


def pending_invitation(session: Session, token: str) -> tuple[Invitation, Company]:
    row = session.execute(
        select(Invitation, Company)
        .join(Company, Company.id == Invitation.company_id)
        .where(Invitation.token_hash == token_hash(token))
    ).first()
    if row is None or row[0].accepted_at is not None or row[0].expires_at <= utcnow():
        raise InvitationError(N_("This invitation is invalid, already used or expired. Ask for a new one."))
    return row[0], row[1]


def accept_invitation(session: Session, actor: User | None, token: str) -> Company:
    """Join the team; only the invited address (verified) may accept."""
    user = require_user(actor)
    invitation, company = pending_invitation(session, token)
    if user.email != invitation.email:
        raise InvitationError(
            N_("This invitation was sent to another e-mail address. Sign in with that address.")
        )
    if user.email_verified_at is None:
        raise InvitationError(N_("Confirm your e-mail address first."))
    if membership_exists(session, user.id, company.id):  # type: ignore[arg-type]
        invitation.accepted_at = utcnow()
        session.add(invitation)
        return company
    session.add(Membership(user_id=user.id, company_id=company.id, role=invitation.role))  # type: ignore[arg-type]
    invitation.accepted_at = utcnow()
    session.add(invitation)
    session.flush()
    return company


def membership_exists(session: Session, user_id: int, company_id: int) -> bool:
    return (
        session.execute(
            select(Membership.id).where(Membership.user_id == user_id, Membership.company_id == company_id)
        ).first()
        is not None
    )


def _owner_count(session: Session, company_id: int) -> int:
    return session.execute(
        select(func.count()).where(Membership.company_id == company_id, Membership.role == "owner")
    ).scalar_one()


def remove_member(session: Session, actor: User | None, company_id: int, user_id: int) -> None:
    """Owners remove anyone; members may only leave themselves. The last owner cannot leave."""
    user = require_user(actor)
    own = require_member(session, user, company_id)
    if user_id != user.id and own.role != "owner":
        raise PermissionDenied(N_("Only an owner of the company can do this."))
    target = session.execute(
        select(Membership).where(Membership.company_id == company_id, Membership.user_id == user_id)
    ).scalar_one_or_none()
    if target is None:
        raise NotFound(N_("Page not found"))
    if target.role == "owner" and _owner_count(session, company_id) == 1:
        raise InvalidInput(N_("The company needs an owner: hand over ownership first."))
    session.delete(target)
    session.flush()


def transfer_ownership(session: Session, actor: User | None, company_id: int, user_id: int) -> None:
    """Make a member the owner; the current owner stays in the team as a member."""
    user = require_user(actor)
    own = require_owner(session, user, company_id)
    target = session.execute(
        select(Membership).where(Membership.company_id == company_id, Membership.user_id == user_id)
    ).scalar_one_or_none()
    if target is None:
        raise NotFound(N_("Page not found"))
    if target.id == own.id:
        return
    target.role = "owner"
    own.role = "member"
    session.add_all([target, own])
    session.flush()


def remove_invitation(session: Session, actor: User | None, company_id: int, invitation_id: int) -> None:
    require_owner(session, actor, company_id)
    session.execute(
        delete(Invitation).where(Invitation.id == invitation_id, Invitation.company_id == company_id)
    )
