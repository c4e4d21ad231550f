"""Secrets never reach a log line, whichever logger (ours, a child of ours, uvicorn, httpx, authlib, SQLAlchemy)
writes it, and whichever handler (pytest's, uvicorn's own) prints it."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from marketplace.core.db import make_engine
from marketplace.core.redaction import install_log_redaction, redact

SECRET = "S3CR3T-value-42"


@pytest.fixture(autouse=True)
def _redaction_installed() -> None:
    install_log_redaction()  # as create_app and the CLI do (idempotent)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (f"GET /account/verify?token={SECRET} HTTP/1.1", "/account/verify?token="),
        (f"/password/reset?token={SECRET}&lang=es", "lang=es"),
        (
            f"/signin/oidc/gov/callback?code={SECRET}&state={SECRET}&iss=https://id.example",
            "iss=https://id.example",
        ),
        (f"Authorization: Bearer pte_{SECRET}", "Authorization"),
        (f"authorization: Basic {SECRET}==", "authorization"),
        (f"{{'authorization': 'Basic {SECRET}', 'accept': 'text/html'}}", "'accept': 'text/html'"),
        (f"[(b'authorization', b'Basic {SECRET}'), (b'host', b'id.example')]", "b'id.example'"),
        (f"Cookie: puente_session={SECRET}; puente_lang=es", "Cookie"),
        (f"set-cookie: puente_session={SECRET}; HttpOnly; Path=/", "set-cookie"),
        (f"cookies puente_session={SECRET} puente_visitor={SECRET}", "cookies"),
        (f"email=a%40b.org&password={SECRET}&csrf_token={SECRET}", "email=a%40b.org"),
        (f"new_password={SECRET}&current_password={SECRET}", "new_password="),
        (f"smtp://mailer:{SECRET}@smtp.example.org:587?starttls=1", "smtp.example.org:587?starttls=1"),
        (f"postgresql+psycopg://puente:{SECRET}@db.internal:5432/puente", "db.internal:5432/puente"),
        (f"host=db user=puente password={SECRET} dbname=puente", "dbname=puente"),
        (f'{{"access_token": "{SECRET}", "id_token": "{SECRET}", "token_type": "Bearer"}}', '"token_type"'),
        (f"{{'refresh_token': '{SECRET}', 'expires_in': 300}}", "'expires_in': 300"),
        (f"code_verifier={SECRET}&nonce={SECRET}&client_secret={SECRET}", "code_verifier="),
        (f"token pte_{SECRET} was revoked", "was revoked"),
    ],
)
def test_every_kind_of_secret_is_redacted(line: str, kept: str) -> None:
    redacted = redact(line)
    assert SECRET not in redacted and "[redacted]" in redacted
    assert kept in redacted


@pytest.mark.parametrize(
    "line",
    [
        'GET /search?q=caf%C3%A9&page=2&country=CO HTTP/1.1" 200',
        "job 12 (index_listing) failed on attempt 3: status_code=503 error_code=E42",
        "Puente on http://127.0.0.1:8000 (development; jobs in this process)",
        "Database sqlite:///data/puente.db migrated from 0005 to 0006_identity_issuer.",
    ],
)
def test_lines_without_secrets_are_left_alone(line: str) -> None:
    assert redact(line) == line


@pytest.mark.parametrize(
    "logger_name",
    [
        "marketplace",
        "marketplace.mail.service",  # a child: a filter on "marketplace" alone never saw its records
        "marketplace.accounts.some.new.module",
        "uvicorn.error",
        "httpx",
        "authlib.integrations.httpx_client",
        "sqlalchemy.pool.impl.QueuePool",
        "a.library.we.do.not.know",
    ],
)
def test_records_of_any_logger_reach_handlers_redacted(
    logger_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    logger = logging.getLogger(logger_name)
    with caplog.at_level(logging.DEBUG, logger=logger_name):
        logger.info("reset link sent: %s", f"https://puente.example/password/reset?token={SECRET}")
        logger.warning("token=%s", SECRET)  # the secret spans the format and its argument
        logger.error(f"could not connect to postgresql://puente:{SECRET}@db/puente")
        logger.debug("token answer %s", {"access_token": SECRET, "token_type": "Bearer"})
        logger.info("%(who)s used code=%(code)s", {"who": "ana", "code": SECRET})
        try:
            raise ConnectionError(f"smtp://mailer:{SECRET}@smtp.example.org refused")
        except ConnectionError:
            logger.exception("mail delivery failed")
    assert len(caplog.records) == 6
    assert SECRET not in caplog.text
    assert "reset?token=[redacted]" in caplog.text and "ana used code=[redacted]" in caplog.text
    assert "ConnectionError: smtp://mailer:[redacted]@smtp.example.org refused" in caplog.text
    for record in caplog.records:  # what a handler of its own (a JSON formatter, Sentry …) would read
        assert SECRET not in record.getMessage()


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_httpx_request_lines_keep_no_code_or_state(
    loopback_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="httpx"):
        response = httpx.get(
            f"{loopback_server}/signin/oidc/gov/callback", params={"code": SECRET, "state": SECRET}
        )
    assert response.status_code == 200
    # httpx logs the URL object itself (not a string): the line is there, the secrets are not.
    assert "HTTP Request: GET" in caplog.text and "/signin/oidc/gov/callback?code=[redacted]" in caplog.text
    assert SECRET not in caplog.text


def test_sql_parameters_never_reach_the_sqlalchemy_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with caplog.at_level(logging.INFO, logger="sqlalchemy.engine"), engine.connect() as connection:
        # A PKCE verifier or a nonce looks like any other string: no pattern could spot it in a log.
        assert connection.execute(text("SELECT :verifier"), {"verifier": SECRET}).scalar_one() == SECRET
    engine.dispose()
    assert "SELECT ?" in caplog.text and SECRET not in caplog.text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_puente_serve_access_log_keeps_no_token_or_code(tmp_path: Path) -> None:
    """The real thing: `puente serve` (uvicorn with its own handlers and access formatter) answering requests
    whose URLs carry a verification token and an authorization code."""
    env = {
        **os.environ,
        "PUENTE_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'puente.db'}",
        "PUENTE_OIDC_PROVIDERS": "[]",
    }
    puente = [sys.executable, "-c", "from marketplace.cli import cli; cli()"]
    subprocess.run([*puente, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log_file:
        server = subprocess.Popen(
            [*puente, "serve", "--port", str(port)], env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline and server.poll() is None, log_path.read_text()
                time.sleep(0.2)
            assert httpx.get(f"{base}/account/verify", params={"token": SECRET}).status_code == 400
            httpx.get(f"{base}/password/reset", params={"token": SECRET, "lang": "es"})
            httpx.get(f"{base}/signin/oidc/gov/callback", params={"code": SECRET, "state": SECRET})
            httpx.get(f"{base}/healthz", headers={"Authorization": f"Bearer pte_{SECRET}"})
        finally:
            server.terminate()
            server.wait(timeout=30)
    output = log_path.read_text()
    assert '"GET /account/verify?token=[redacted] HTTP/1.1" 400' in output
    assert "/password/reset?token=[redacted]&lang=es" in output
    assert "/signin/oidc/gov/callback?code=[redacted]&state=[redacted]" in output
    assert SECRET not in output
