"""Unsubscribe links in digest e-mails: a signed token names the user and the kind of e-mail to stop.

The token is an HMAC (keyed with the app's secret key) of the user id, the kind and the time it was made,
so it works without signing in, cannot be forged or changed to another user or kind, and stops working after
TOKEN_MAX_AGE. Nothing is stored: unsubscribing only turns the user's e-mail choices off, which is harmless
to repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.core.errors import DomainError
from marketplace.core.i18n import N_
from marketplace.notifications.service import save_settings

TOKEN_MAX_AGE = 180 * 24 * 3600  # a digest may be read (and its link followed) months later

# Each kind of digest and the e-mail choices its link turns off.
UNSUBSCRIBE_KINDS: dict[str, tuple[str, ...]] = {
    "inquiries": ("email_new_inquiries", "email_replies"),
    "matches": ("email_matches",),
    "saved_searches": ("email_saved_searches",),
    "alerts": ("email_matches", "email_saved_searches"),  # a digest with matches and saved-search hits
}
KIND_LABELS = {
    "inquiries": N_("e-mails about new inquiries and replies"),
    "matches": N_("e-mails about new matches"),
    "saved_searches": N_("e-mails about new listings for your saved searches"),
    "alerts": N_("e-mails about new matches and listings for your saved searches"),
}
ONE_CLICK_HEADER = "List-Unsubscribe=One-Click"


class InvalidUnsubscribeLink(DomainError):
    status_code = 400
    code = "invalid_unsubscribe_link"


class ExpiredUnsubscribeLink(InvalidUnsubscribeLink):
    code = "expired_unsubscribe_link"


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    kind: str


def _signature(secret_key: str, payload: str) -> str:
    digest = hmac.new(secret_key.encode(), f"unsubscribe:{payload}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def make_token(secret_key: str, user_id: int, kind: str, *, issued_at: int | None = None) -> str:
    """A token that unsubscribes `user_id` from `kind` (UNSUBSCRIBE_KINDS)."""
    if kind not in UNSUBSCRIBE_KINDS:
        raise ValueError(f"unknown unsubscribe kind {kind!r}")
    payload = f"{user_id}.{kind}.{int(time.time() if issued_at is None else issued_at)}"
    return f"{payload}.{_signature(secret_key, payload)}"


def read_token(secret_key: str, token: str | None, *, now: float | None = None) -> UnsubscribeRequest:
    """The user and kind a token stands for; InvalidUnsubscribeLink if forged, garbled or expired."""
    invalid = InvalidUnsubscribeLink(
        N_("This unsubscribe link is not valid. Sign in to choose which e-mails you receive.")
    )
    parts = (token or "").strip().split(".")
    if len(parts) != 4 or len(token or "") > 200:
        raise invalid
    user_id, kind, issued, signature = parts
    if not hmac.compare_digest(_signature(secret_key, f"{user_id}.{kind}.{issued}"), signature):
        raise invalid
    if not (user_id.isdigit() and issued.isdigit()) or kind not in UNSUBSCRIBE_KINDS:
        raise invalid
    moment = time.time() if now is None else now
    if int(issued) + TOKEN_MAX_AGE < moment:
        raise ExpiredUnsubscribeLink(
            N_("This unsubscribe link has expired. Sign in to choose which e-mails you receive.")
        )
    return UnsubscribeRequest(int(user_id), kind)


def unsubscribe_url(base_url: str, secret_key: str, user_id: int, kind: str) -> str:
    # The token travels in the query string, which the log filter redacts (token=…).
    return f"{base_url.rstrip('/')}/unsubscribe?{urlencode({'token': make_token(secret_key, user_id, kind)})}"


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 List-Unsubscribe and RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click`."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": ONE_CLICK_HEADER}


def requested_user(session: Session, request: UnsubscribeRequest) -> User:
    user = session.get(User, request.user_id)
    if user is None:
        raise InvalidUnsubscribeLink(
            N_("This unsubscribe link is not valid. Sign in to choose which e-mails you receive.")
        )
    return user


def unsubscribe(session: Session, request: UnsubscribeRequest) -> User:
    """Turn off the e-mails of the token's kind for its user (repeating it changes nothing more)."""
    user = requested_user(session, request)
    save_settings(session, user.id, **dict.fromkeys(UNSUBSCRIBE_KINDS[request.kind], False))  # type: ignore[arg-type]
    return user
