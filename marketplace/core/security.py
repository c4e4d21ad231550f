"""Secrets for links and cookies: random tokens stored only as hashes, and CSRF tokens bound to a visitor."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    """A random, URL-safe token (for session cookies and e-mailed links)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256, so a leaked table cannot be replayed."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(secret_key: str, visitor_id: str) -> str:
    """The form token for a visitor (their session, or the anonymous visitor cookie): an HMAC, not stored."""
    return hmac.new(secret_key.encode(), f"csrf:{visitor_id}".encode(), hashlib.sha256).hexdigest()


def csrf_token_valid(secret_key: str, visitor_id: str | None, submitted: str | None) -> bool:
    if not visitor_id or not submitted:
        return False
    return hmac.compare_digest(csrf_token(secret_key, visitor_id), submitted)
