"""Secrets kept out of logs: passwords, tokens (mailed links, API, OAuth), authorization codes, states, nonces,
cookies, Authorization headers and the passwords inside URLs (SMTP_URL, DATABASE_URL).

A filter on a logger only sees records logged through that very logger, not its children's (`marketplace.mail`
under `marketplace`), and third-party libraries log through loggers and handlers of their own (uvicorn
configures its handlers after the app is built). So the redaction sits in the log record factory: every
record, from any logger, is rewritten when it is created, before any filter, handler or formatter sees it.
`install_log_redaction()` is called by the app factory and by the CLI (whose `worker` builds no app).

What is rewritten: the message and its arguments (each argument on its own, keeping the tuple's shape for
formatters that read it, such as uvicorn's access formatter), the exception text and the stack text.
Values passed with `extra=` are set on the record after the factory runs and are not rewritten: log secrets
through the message, never through `extra`.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from typing import Any

from marketplace.accounts.sessions import SESSION_COOKIE
from marketplace.core.context import VISITOR_COOKIE

MASK = "[redacted]"

_SECRET_NAMES = (
    r"token|access_token|refresh_token|id_token|csrf_token|reset_token|api_token|code|state|nonce|"
    r"password|passwd|pwd|new_password|current_password|secret|client_secret|code_verifier|api_key|apikey|"
    + re.escape(SESSION_COOKIE)
    + "|"
    + re.escape(VISITOR_COOKIE)
)
_HEADER_NAMES = r"authorization|proxy-authorization|cookie|set-cookie|x-meili-api-key"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # scheme://user:password@host (SMTP_URL, DATABASE_URL, MEILI_URL …): the password, up to the last @.
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]*:)[^\s/]+@"), rf"\1{MASK}@"),
    # Header lines: "Authorization: Bearer …", "Cookie: a=b; c=d".
    (re.compile(rf"(?im)\b({_HEADER_NAMES})(\s*:\s*)[^\r\n]+"), rf"\1\2{MASK}"),
    # Dicts, JSON and header tuples: 'password': '…', "id_token": "…", (b'authorization', b'Basic …').
    (
        re.compile(
            rf"""(?i)(b?["'](?:{_SECRET_NAMES}|{_HEADER_NAMES})["']\s*[:,]\s*b?)(["'])(?:(?!\2).)*\2"""
        ),
        rf"\1\2{MASK}\2",
    ),
    # Query strings, form bodies, cookies and DSNs: token=…, code=…, password=…, puente_session=….
    (re.compile(rf"(?i)(?<![\w-])((?:{_SECRET_NAMES})=)[^&\s\"',;)]+"), rf"\1{MASK}"),
    # Bearer tokens anywhere, and our personal API tokens whatever surrounds them.
    (re.compile(r"(?i)\b(bearer\s+)[\w.~+/=-]+"), rf"\1{MASK}"),
    (re.compile(r"\bpte_[\w-]{8,}"), MASK),
)


# Every secret the patterns find contains one of these (lower-cased): most log lines contain none, and a
# substring test costs far less than running the patterns.
_TRIGGERS = (
    "token", "code", "state", "nonce", "passw", "pwd", "secret", "verifier", "api_key", "apikey", "api-key",
    SESSION_COOKIE, VISITOR_COOKIE, "://", "authorization", "cookie", "bearer", "pte_",
)  # fmt: skip


def _may_hold_secret(text: str) -> bool:
    lowered = text.lower()
    return any(trigger in lowered for trigger in _TRIGGERS)


def redact(text: str) -> str:
    """The text with every secret it contains replaced by [redacted]."""
    if not _may_hold_secret(text):
        return text
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _redact_value(value: Any) -> Any:
    """A log argument, or its redacted text when its text holds a secret (an httpx URL, bytes, a dict …)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = value if isinstance(value, str) else str(value)
    redacted = redact(text)
    return value if redacted == text else redacted


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite the record in place so that no secret reaches a handler; returns it."""
    try:
        message: str | None = record.getMessage()
    except Exception:  # a malformed call: logging reports it when a handler formats it
        message = None
    if message is None or _may_hold_secret(message):
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_value(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact_value(value) for key, value in record.args.items()}
        if message is not None:
            message = record.getMessage()
            if redact(message) != message:
                # The secret is in the format string itself, or spans it and an argument ("token=%s").
                record.msg, record.args = redact(message), ()
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if redact(text) != text:
            record.exc_text = redact(text)  # formatters use exc_text when it is set
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


class RedactSecrets(logging.Filter):
    """The same rewriting as a filter, for a handler that receives records made before the factory was set."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def install_log_redaction() -> None:
    """Redact every log record created from now on, by any logger of any library (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "redacts_secrets", False):
        return

    def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact_record(current(*args, **kwargs))

    factory: Callable[..., logging.LogRecord] = redacting_factory
    factory.redacts_secrets = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
