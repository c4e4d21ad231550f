"""Sign in with OpenID Connect: discovery, the authorization code flow with PKCE, ID token checks, and the
rules for turning a provider's identity into a Puente account (create, sign in, link, unlink).

Security rules (see the issue "Sign in with OpenID Connect"):
- `state` is random, stored server-side (hashed), bound to the browser that started the flow, single-use and
  short-lived; `nonce` must come back inside the signed ID token; PKCE uses S256.
- the ID token's signature is checked against the provider's JWKS; `iss` must equal the *configured* issuer
  (and so must the discovery document's `issuer` and the callback's RFC 9207 `iss` parameter when sent);
  `aud` must contain our client id (and `azp` must be ours when there are several audiences); `exp` and `iat`
  are checked.
- an identity is linked to an existing account by e-mail only when the provider says `email_verified` is
  true; otherwise the person must sign in with their password and link the provider from their account page.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import delete, func, select
from sqlmodel import Session

from marketplace.accounts import sessions as user_sessions
from marketplace.accounts.models import OidcIdentity, User
from marketplace.accounts.oidc_models import OidcLoginState
from marketplace.core.errors import DomainError, NotFound
from marketplace.core.i18n import N_
from marketplace.core.models import utcnow
from marketplace.core.settings import OidcProvider, Settings

STATE_LIFETIME = timedelta(minutes=10)
METADATA_TTL = 3600.0  # seconds a discovery document and its JWKS are reused
HTTP_TIMEOUT = 10.0
CLOCK_LEEWAY = 60  # seconds of clock difference tolerated on exp/iat
SCOPE = "openid email profile"
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")


class OidcError(DomainError):
    """A sign-in with a provider that failed; the message is safe to show (no token or code in it)."""

    code = "oidc_failed"


class NeedsLinking(OidcError):
    """The provider's e-mail belongs to an account, but the provider does not vouch for it."""

    status_code = 409
    code = "oidc_needs_linking"


class LastSignInMethod(OidcError):
    code = "last_sign_in_method"


FAILED = N_("Signing in with this provider did not work. Try again, or sign in with your password.")


def provider_named(settings: Settings, name: str) -> OidcProvider:
    for provider in settings.oidc_providers:
        if provider.name == name:
            return provider
    raise NotFound(N_("Page not found"))


def redirect_uri(settings: Settings, provider: OidcProvider) -> str:
    return f"{settings.base_url}/signin/oidc/{provider.name}/callback"


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# --- Provider metadata: discovery document and keys, cached per issuer ------------------------------------------


@dataclass
class _Metadata:
    document: dict[str, Any]
    keys: KeySet | None
    fetched: float


_cache: dict[str, _Metadata] = {}
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = httpx.get(url, timeout=HTTP_TIMEOUT, follow_redirects=False)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcError(FAILED) from exc
    if not isinstance(data, dict):
        raise OidcError(FAILED)
    return data


def metadata(provider: OidcProvider) -> dict[str, Any]:
    """The provider's discovery document, whose `issuer` must be exactly the configured one."""
    with _cache_lock:
        cached = _cache.get(provider.issuer)
    if cached is not None and time.monotonic() - cached.fetched < METADATA_TTL:
        return cached.document
    document = _get_json(f"{provider.issuer}/.well-known/openid-configuration")
    if str(document.get("issuer", "")).rstrip("/") != provider.issuer:
        raise OidcError(FAILED)
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(key), str):
            raise OidcError(FAILED)
    with _cache_lock:
        _cache[provider.issuer] = _Metadata(document, None, time.monotonic())
    return document


def form_action_sources(settings: Settings) -> list[str]:
    """Origins the sign-in forms post to through a redirect (the CSP's form-action must allow them): each
    provider's issuer, and its authorization endpoint once discovery has been read."""
    origins: list[str] = []
    for provider in settings.oidc_providers:
        urls = [provider.issuer]
        with _cache_lock:
            cached = _cache.get(provider.issuer)
        if cached is not None:
            urls.append(str(cached.document.get("authorization_endpoint", "")))
        for url in urls:
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}"
            if parts.scheme in ("http", "https") and parts.netloc and origin not in origins:
                origins.append(origin)
    return origins


def _keys(provider: OidcProvider, *, refresh: bool = False) -> KeySet:
    document = metadata(provider)
    with _cache_lock:
        cached = _cache.get(provider.issuer)
    if cached is not None and cached.keys is not None and not refresh:
        return cached.keys
    try:
        keys = KeySet.import_key_set(_get_json(document["jwks_uri"]))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise OidcError(FAILED) from exc
    with _cache_lock:
        if provider.issuer in _cache:
            _cache[provider.issuer].keys = keys
    return keys


def _client(provider: OidcProvider, settings: Settings) -> OAuth2Client:
    return OAuth2Client(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        scope=SCOPE,
        redirect_uri=redirect_uri(settings, provider),
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",  # noqa: S106 - a method name, not a secret
        timeout=HTTP_TIMEOUT,
    )


# --- The flow -----------------------------------------------------------------------------------------------------


def begin(
    session: Session,
    settings: Settings,
    provider: OidcProvider,
    *,
    browser_id: str,
    next_path: str = "/",
    link_user_id: int | None = None,
) -> str:
    """Record a new flow and return the provider's authorization URL to send the browser to."""
    document = metadata(provider)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43-128
    session.execute(delete(OidcLoginState).where(OidcLoginState.expires_at < utcnow()))
    session.add(
        OidcLoginState(
            state_hash=_sha256(state),
            provider=provider.name,
            nonce=nonce,
            code_verifier=verifier,
            browser_hash=_sha256(browser_id),
            next_path=next_path[:500],
            link_user_id=link_user_id,
            expires_at=utcnow() + STATE_LIFETIME,
        )
    )
    session.flush()
    with _client(provider, settings) as client:
        url, _ = client.create_authorization_url(
            document["authorization_endpoint"], state=state, code_verifier=verifier, nonce=nonce
        )
    return url


@dataclass(frozen=True)
class Result:
    claims: dict[str, Any]
    next_path: str
    link_user_id: int | None


def _take_state(session: Session, provider: OidcProvider, state: str, browser_id: str) -> OidcLoginState:
    """The flow's record, deleted as it is read (single use); it must be this provider's and this browser's."""
    if not state:
        raise OidcError(FAILED)
    row = session.execute(
        select(OidcLoginState).where(OidcLoginState.state_hash == _sha256(state))
    ).scalar_one_or_none()
    if row is None:
        raise OidcError(FAILED)
    session.delete(row)
    session.flush()
    if (
        row.provider != provider.name
        or not secrets.compare_digest(row.browser_hash, _sha256(browser_id))
        or row.expires_at <= utcnow()
    ):
        raise OidcError(FAILED)
    return row


def finish(
    session: Session, settings: Settings, provider: OidcProvider, params: dict[str, str], *, browser_id: str
) -> Result:
    """Check the callback, exchange the code (with the PKCE verifier) and verify the ID token."""
    row = _take_state(session, provider, params.get("state", ""), browser_id)
    document = metadata(provider)
    # RFC 9207: a provider that sends `iss` on the callback tells us who answered (mix-up attacks).
    iss_expected = "iss" in params or document.get("authorization_response_iss_parameter_supported") is True
    if iss_expected and params.get("iss", "").rstrip("/") != provider.issuer:
        raise OidcError(FAILED)
    if params.get("error") or not params.get("code"):
        raise OidcError(FAILED)
    try:
        with _client(provider, settings) as client:
            token = client.fetch_token(
                document["token_endpoint"],
                grant_type="authorization_code",
                code=params["code"],
                code_verifier=row.code_verifier,
            )
    except Exception as exc:  # network, OAuth error answer, bad JSON: all the same failure for the user
        raise OidcError(FAILED) from exc
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError(FAILED)
    claims = verify_id_token(provider, id_token, nonce=row.nonce)
    return Result(claims=claims, next_path=row.next_path, link_user_id=row.link_user_id)


def verify_id_token(provider: OidcProvider, id_token: str, *, nonce: str) -> dict[str, Any]:
    document = metadata(provider)
    offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [alg for alg in offered if alg in ALLOWED_ALGORITHMS] or ["RS256"]
    decoded = None
    for refresh in (False, True):  # a key we do not know yet may be a rotation: fetch the JWKS again once
        try:
            decoded = jwt.decode(id_token, _keys(provider, refresh=refresh), algorithms=algorithms)
            break
        except JoseError as exc:
            if refresh:
                raise OidcError(FAILED) from exc
        except (ValueError, TypeError) as exc:
            raise OidcError(FAILED) from exc
    assert decoded is not None
    claims = dict(decoded.claims)
    registry = jwt.JWTClaimsRegistry(
        leeway=CLOCK_LEEWAY,
        iss={"essential": True, "value": provider.issuer},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise OidcError(FAILED) from exc
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if provider.client_id not in audiences:
        raise OidcError(FAILED)
    if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != provider.client_id:
        raise OidcError(FAILED)
    if not isinstance(claims.get("sub"), str) or not 0 < len(claims["sub"]) <= 255:
        raise OidcError(FAILED)
    return claims


# --- Accounts -----------------------------------------------------------------------------------------------------


def _email_verified(claims: dict[str, Any]) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def identity_for(session: Session, provider: OidcProvider, subject: str) -> OidcIdentity | None:
    """The identity of this subject at this provider's issuer: the provider's configured name plays no part,
    so renaming a provider keeps its accounts, and another issuer's equal `sub` is another person."""
    return session.execute(
        select(OidcIdentity).where(OidcIdentity.issuer == provider.issuer, OidcIdentity.subject == subject)
    ).scalar_one_or_none()


def _link(session: Session, user: User, provider: OidcProvider, subject: str) -> OidcIdentity:
    identity = OidcIdentity(
        user_id=user.id,  # type: ignore[arg-type]
        issuer=provider.issuer,
        provider=provider.name,
        subject=subject,
    )
    session.add(identity)
    session.flush()
    return identity


@dataclass(frozen=True)
class SignIn:
    user: User
    created: bool = False
    linked: bool = False


def _claimed_by_mailbox_since(user: User, identity: OidcIdentity) -> bool:
    """An identity linked while the account's address was unconfirmed (a provider that did not vouch for it),
    after which someone proved the mailbox and set a password (a reset link): the mailbox owner has claimed
    the account, and an identity they may not own must not keep a way in."""
    verified = user.email_verified_at
    return verified is not None and user.password_hash is not None and identity.created_at < verified


def account_for(
    session: Session, provider: OidcProvider, claims: dict[str, Any], *, language: str | None = None
) -> SignIn:
    """The account to sign in for a verified ID token: its linked one, an existing one with the same e-mail
    when the provider vouches for that e-mail, or a new one."""
    from marketplace.accounts.service import normalise_email, set_password_hash, user_by_email

    subject = claims["sub"]
    identity = identity_for(session, provider, subject)
    if identity is not None:
        user = session.get(User, identity.user_id)
        if user is None or not user.is_active:
            raise OidcError(N_("This account is suspended."))
        if _claimed_by_mailbox_since(user, identity):
            session.delete(identity)
            session.flush()
            raise OidcError(
                N_(
                    "This provider account was linked before your e-mail address was confirmed. Sign in with "
                    "your password, then link it again from your account page."
                )
            )
        return SignIn(user)

    raw_email = claims.get("email")
    if not isinstance(raw_email, str) or not raw_email:
        raise OidcError(
            N_("The provider did not share your e-mail address, which Puente needs for an account.")
        )
    try:
        email = normalise_email(raw_email)
    except DomainError:
        raise OidcError(FAILED) from None
    verified = _email_verified(claims)
    existing = user_by_email(session, email)
    if existing is not None:
        if not verified:
            # Never take over an account by an address the provider has not checked.
            raise NeedsLinking(
                N_(
                    "An account already uses this e-mail address. Sign in with your password, then link this "
                    "provider from your account page."
                )
            )
        if not existing.is_active:
            raise OidcError(N_("This account is suspended."))
        if existing.email_verified_at is None:
            # Someone registered this address without proving it; the provider has now proved who owns it.
            # Their password and sessions must not survive into the owner's account.
            set_password_hash(session, existing, None)
            existing.email_verified_at = utcnow()
            session.add(existing)
            user_sessions.end_all_sessions(session, existing.id)  # type: ignore[arg-type]
        _link(session, existing, provider, subject)
        return SignIn(existing, linked=True)

    name = claims.get("name") or claims.get("given_name") or email.split("@", 1)[0]
    user = User(
        email=email,
        display_name=str(name).strip()[:120] or email.split("@", 1)[0],
        password_hash=None,
        locale=language,
        email_verified_at=utcnow() if verified else None,
    )
    session.add(user)
    session.flush()
    _link(session, user, provider, subject)
    return SignIn(user, created=True)


class AlreadyLinked(OidcError):
    status_code = 409
    code = "identity_linked_elsewhere"


def link_to(session: Session, user: User, provider: OidcProvider, claims: dict[str, Any]) -> OidcIdentity:
    """Link a provider identity to the signed-in user (who started the flow from their account page)."""
    identity = identity_for(session, provider, claims["sub"])
    if identity is not None:
        if identity.user_id != user.id:
            raise AlreadyLinked(N_("This provider account is already linked to another Puente account."))
        return identity
    return _link(session, user, provider, claims["sub"])


def identities_of(session: Session, user: User) -> list[OidcIdentity]:
    return list(
        session.execute(
            select(OidcIdentity).where(OidcIdentity.user_id == user.id).order_by(OidcIdentity.created_at)
        ).scalars()
    )


def unlink(session: Session, user: User, identity_id: int) -> None:
    identity = session.get(OidcIdentity, identity_id)
    if identity is None or identity.user_id != user.id:
        raise NotFound(N_("Page not found"))
    count = session.execute(
        select(func.count()).select_from(OidcIdentity).where(OidcIdentity.user_id == user.id)
    ).scalar_one()
    if user.password_hash is None and count <= 1:
        raise LastSignInMethod(
            N_(
                "This is your only way to sign in. Set a password (Forgot your password?) before unlinking it."
            )
        )
    session.delete(identity)
    session.flush()
