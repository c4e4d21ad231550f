"""Account rules: sign-up, e-mail verification, sign-in, password reset and change, profile, deletion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlmodel import Session

from marketplace.accounts import sessions as user_sessions
from marketplace.accounts.models import EmailToken, Invitation, Membership, OidcIdentity, RateEvent, User
from marketplace.accounts.passwords import WeakPassword, check_password_rules, hash_password, verify_password
from marketplace.core.errors import DomainError, InvalidInput
from marketplace.core.i18n import LANGUAGES, N_, gettext_for
from marketplace.core.models import utcnow
from marketplace.core.security import new_token, token_hash
from marketplace.core.validation import normalise_email_address
from marketplace.mail.models import MailMessage
from marketplace.mail.service import queue_mail

VERIFY_LIFETIME = timedelta(hours=48)
RESET_LIFETIME = timedelta(hours=1)
# Checked against when the e-mail is unknown, so a wrong address costs as long as a wrong password.
_DUMMY_HASH = hash_password("not-a-real-password-used-for-timing")


class AccountError(DomainError):
    """An account action that cannot be done; the message (English, translatable) says why."""


class InvalidCredentials(AccountError):
    status_code = 401
    code = "invalid_credentials"


class InvalidLink(AccountError):
    code = "invalid_link"


def normalise_email(email: str) -> str:
    try:
        return normalise_email_address(email)
    except ValueError:
        raise InvalidInput(
            N_("Enter a valid e-mail address."), fields={"email": N_("Enter a valid e-mail address.")}
        ) from None


def _check_password(password: str, *, email: str | None, field: str = "password") -> None:
    try:
        check_password_rules(password, email=email)
    except WeakPassword as exc:
        messages = {
            "too_short": N_("Use at least 12 characters."),
            "too_long": N_("Use at most 128 characters."),
            "common": N_("This password is too common or too repetitive; choose another."),
            "is_email": N_("Do not use your e-mail address as your password."),
        }
        message = messages[exc.reason]
        raise InvalidInput(message, fields={field: message}) from None


def user_by_email(session: Session, email: str) -> User | None:
    return session.execute(select(User).where(User.email == email.lower())).scalar_one_or_none()


INVALID_LINK = N_(
    "This link is no longer valid: it was already used, it expired, or a newer link or a change of password "
    "replaced it. Ask for a new one, and use the newest link we send you."
)


def retire_links(session: Session, user_id: int, *purposes: str) -> None:
    """Make the user's outstanding links of these purposes unusable.

    Called when a newer link of the same purpose is sent (only the newest one works) and when the password
    changes (a reset link mailed before then must not reset it again). A change of e-mail address, should
    one be added, must retire every purpose: the links went to the old mailbox.
    """
    session.execute(
        update(EmailToken)
        .where(
            EmailToken.user_id == user_id,
            EmailToken.purpose.in_(purposes),  # type: ignore[attr-defined]
            EmailToken.used_at.is_(None),  # type: ignore[union-attr]
        )
        .values(used_at=utcnow())
    )


def set_password_hash(session: Session, user: User, password_hash: str | None) -> None:
    """Every change of a user's password goes through here, so that no earlier reset link outlives it."""
    user.password_hash = password_hash
    session.add(user)
    retire_links(session, user.id, "reset_password")  # type: ignore[arg-type]


def _issue_token(session: Session, user: User, purpose: str, lifetime: timedelta) -> str:
    retire_links(session, user.id, purpose)  # type: ignore[arg-type]
    token = new_token()
    session.add(
        EmailToken(
            user_id=user.id,  # type: ignore[arg-type]
            purpose=purpose,
            token_hash=token_hash(token),
            expires_at=utcnow() + lifetime,
        )
    )
    session.flush()
    return token


def _live_token(session: Session, token: str, purpose: str) -> tuple[EmailToken, User]:
    """The unused, unexpired link row and its active user, or InvalidLink."""
    row = session.execute(
        select(EmailToken).where(EmailToken.token_hash == token_hash(token), EmailToken.purpose == purpose)
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise InvalidLink(INVALID_LINK)
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise InvalidLink(INVALID_LINK)
    return row, user


def _consume_token(session: Session, token: str, purpose: str) -> User:
    row, user = _live_token(session, token, purpose)
    # Conditional on still being unused: of two requests racing with one link (PostgreSQL runs them side by
    # side), only one gets the row.
    used = session.execute(
        update(EmailToken)
        .where(EmailToken.id == row.id, EmailToken.used_at.is_(None))  # type: ignore[union-attr]
        .values(used_at=utcnow())
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidLink(INVALID_LINK)
    return user


def _mail(session: Session, user: User, subject: str, body: str, **values: object) -> None:
    language = user.locale if user.locale in LANGUAGES else "en"
    queue_mail(
        session,
        to=user.email,
        subject=gettext_for(language, subject),
        body_text=gettext_for(language, body, name=user.display_name, **values),
    )


def send_verification(session: Session, user: User, *, base_url: str) -> None:
    token = _issue_token(session, user, "verify_email", VERIFY_LIFETIME)
    _mail(
        session,
        user,
        N_("Confirm your e-mail address for Puente"),
        N_(
            "Hello %(name)s,\n\nConfirm your e-mail address by opening this link (valid for 48 hours):\n"
            "%(link)s\n\nIf you did not sign up for Puente, ignore this message."
        ),
        link=f"{base_url}/account/verify?token={token}",
    )


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    display_name: str
    locale: str


def register(session: Session, data: Registration, *, base_url: str) -> User | None:
    """Create an unverified account and mail the verification link.

    An address that already has an account gets a mail saying so instead, and the caller shows the same
    "check your inbox" page: sign-up never reveals who is registered.
    """
    email = normalise_email(data.email)
    name = data.display_name.strip()
    if not 1 <= len(name) <= 120:
        raise InvalidInput(N_("Enter your name."), fields={"display_name": N_("Enter your name.")})
    _check_password(data.password, email=email)
    existing = user_by_email(session, email)
    if existing is not None:
        _mail(
            session,
            existing,
            N_("Someone tried to sign up to Puente with your address"),
            N_(
                "Hello %(name)s,\n\nSomeone (maybe you) tried to create a Puente account with this address, "
                "which already has one. Sign in at %(link)s or reset your password there."
            ),
            link=f"{base_url}/signin",
        )
        return None
    user = User(
        email=email,
        display_name=name,
        password_hash=hash_password(data.password),
        locale=data.locale if data.locale in LANGUAGES else None,
    )
    session.add(user)
    session.flush()
    send_verification(session, user, base_url=base_url)
    return user


def check_verification_token(session: Session, token: str) -> None:
    """Raise InvalidLink unless the verification token is live (without using it up)."""
    _live_token(session, token, "verify_email")


def verify_email(session: Session, token: str) -> User:
    user = _consume_token(session, token, "verify_email")
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        session.add(user)
    return user


class EmailNotVerified(AccountError):
    status_code = 403
    code = "email_not_verified"


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The account for these credentials; one message for an unknown address and a wrong password."""
    user = user_by_email(session, email.strip())
    if user is None or user.password_hash is None:
        verify_password(_DUMMY_HASH, password)
        raise InvalidCredentials(N_("Wrong e-mail address or password."))
    if not verify_password(user.password_hash, password) or not user.is_active:
        raise InvalidCredentials(N_("Wrong e-mail address or password."))
    if user.email_verified_at is None:
        raise EmailNotVerified(N_("Confirm your e-mail address first: we have sent you a new link."))
    return user


def request_password_reset(session: Session, email: str, *, base_url: str) -> None:
    """Mail a reset link if the address has an account; say nothing either way."""
    user = user_by_email(session, email.strip())
    if user is None or not user.is_active:
        return
    token = _issue_token(session, user, "reset_password", RESET_LIFETIME)
    _mail(
        session,
        user,
        N_("Reset your Puente password"),
        N_(
            "Hello %(name)s,\n\nChoose a new password by opening this link (valid for one hour, once):\n"
            "%(link)s\n\nIf you did not ask for this, ignore this message: your password stays as it is."
        ),
        link=f"{base_url}/password/reset?token={token}",
    )


def check_reset_token(session: Session, token: str) -> None:
    """Raise InvalidLink unless the reset token is live (without using it up)."""
    _live_token(session, token, "reset_password")


def reset_password(session: Session, token: str, new_password: str) -> User:
    """Set a new password from a reset link; every session of the account ends."""
    _, user = _live_token(session, token, "reset_password")
    _check_password(new_password, email=user.email)
    _consume_token(session, token, "reset_password")
    set_password_hash(session, user, hash_password(new_password))
    # The link reached the mailbox, so the address is confirmed too.
    user.email_verified_at = user.email_verified_at or utcnow()
    session.add(user)
    user_sessions.end_all_sessions(session, user.id)  # type: ignore[arg-type]
    return user


def change_password(session: Session, user: User, *, current: str, new: str) -> None:
    """Change the password (the current one is required); the caller then starts a fresh session."""
    if user.password_hash is None or not verify_password(user.password_hash, current):
        message = N_("Your current password is not correct.")
        raise InvalidInput(message, fields={"current_password": message})
    _check_password(new, email=user.email, field="new_password")
    set_password_hash(session, user, hash_password(new))
    user_sessions.end_all_sessions(session, user.id)  # type: ignore[arg-type]


def update_profile(session: Session, user: User, *, display_name: str, locale: str | None) -> None:
    name = display_name.strip()
    if not 1 <= len(name) <= 120:
        raise InvalidInput(N_("Enter your name."), fields={"display_name": N_("Enter your name.")})
    user.display_name = name
    user.locale = locale if locale in LANGUAGES else None
    session.add(user)


class SoleOwner(AccountError):
    code = "sole_owner"


def delete_account(session: Session, user: User, *, password: str) -> None:
    """Delete the account and every piece of personal data tied to it."""
    if user.password_hash is not None and not verify_password(user.password_hash, password):
        message = N_("Your current password is not correct.")
        raise InvalidInput(message, fields={"password": message})
    owned = session.execute(
        select(Membership.company_id).where(Membership.user_id == user.id, Membership.role == "owner")
    ).scalars()
    for company_id in owned:
        others = session.execute(
            select(Membership.id).where(Membership.company_id == company_id, Membership.user_id != user.id)
        ).first()
        owners = session.execute(
            select(Membership.id).where(
                Membership.company_id == company_id, Membership.role == "owner", Membership.user_id != user.id
            )
        ).first()
        if others is not None and owners is None:
            raise SoleOwner(
                N_("Transfer the ownership of your company to a colleague before deleting your account.")
            )
    email = user.email
    session.execute(delete(MailMessage).where(MailMessage.to_address == email))
    session.execute(delete(Invitation).where(Invitation.email == email))
    session.execute(
        update(Invitation).where(Invitation.invited_by_user_id == user.id).values(invited_by_user_id=None)
    )
    session.execute(
        delete(RateEvent).where(or_(RateEvent.key.contains(email), RateEvent.key.contains(f"user:{user.id}")))
    )  # type: ignore[attr-defined]
    session.delete(user)  # sessions, tokens, identities and memberships go with it (ON DELETE CASCADE)
    session.flush()


def export_account(session: Session, user: User) -> dict:
    """Everything Puente keeps about the user, as JSON-ready data ("download my data")."""
    from marketplace.companies.models import Company

    memberships = session.execute(
        select(Membership, Company)
        .join(Company, Company.id == Membership.company_id)
        .where(Membership.user_id == user.id)
    ).all()
    identities = session.execute(select(OidcIdentity).where(OidcIdentity.user_id == user.id)).scalars()
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "locale": user.locale,
            "email_verified_at": user.email_verified_at.isoformat() if user.email_verified_at else None,
            "created_at": user.created_at.isoformat(),
            "is_admin": user.is_admin,
        },
        "companies": [
            {"company_id": company.id, "name": company.name, "role": membership.role}
            for membership, company in memberships
        ],
        "sign_in_identities": [
            {"issuer": i.issuer, "provider": i.provider, "subject": i.subject} for i in identities
        ],
        "sessions": [
            {
                "created_at": s.created_at.isoformat(),
                "last_seen_at": s.last_seen_at.isoformat(),
                "user_agent": s.user_agent,
                "ip_address": s.ip_address,
            }
            for s in user_sessions.list_sessions(session, user.id)  # type: ignore[arg-type]
        ],
    }


def create_admin_account(session: Session, *, email: str, name: str, password: str) -> tuple[User, bool]:
    """Create an administrator (or promote an existing account and set its password); True if created."""
    email = normalise_email(email)
    _check_password(password, email=email)
    user = user_by_email(session, email)
    created = user is None
    if user is None:
        user = User(email=email, display_name=name, email_verified_at=utcnow())
    user.is_admin = True
    session.add(user)
    session.flush()
    set_password_hash(session, user, hash_password(password))
    return user, created
