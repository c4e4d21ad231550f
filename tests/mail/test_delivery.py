"""Mail leaves through SMTP_URL (a real SMTP server on loopback here) or, unset, goes to the log."""

from __future__ import annotations

import logging
import socket
from email import policy
from email.parser import BytesParser

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.core.settings import Settings
from marketplace.jobs.models import Job
from marketplace.jobs.registry import default_registry
from marketplace.jobs.worker import Worker
from marketplace.mail.models import MailMessage
from marketplace.mail.service import queue_mail


def _queue(engine: Engine, to: str) -> int:
    with Session(engine) as session:
        message = queue_mail(session, to=to, subject="Confirma tu correo", body_text="Hola, Ana: ¿qué tal?")
        session.commit()
        return message.id  # type: ignore[return-value]


def test_mail_is_delivered_through_a_real_smtp_server(engine: Engine, smtp_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    settings = Settings.from_env({"PUENTE_DATA_DIR": str(tmp_path), "SMTP_URL": f"smtp://127.0.0.1:{port}"})
    message_id = _queue(engine, "ana@example.org")
    Worker(engine, default_registry(settings)).drain()
    ((recipients, received),) = inbox.messages
    assert recipients == ["ana@example.org"]
    assert received["Subject"] == "Confirma tu correo"
    assert received.get_content().strip() == "Hola, Ana: ¿qué tal?"
    with Session(engine) as session:
        assert session.get(MailMessage, message_id).sent_at is not None  # type: ignore[union-attr]


def test_unreachable_smtp_server_keeps_the_mail_and_retries(engine: Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings = Settings.from_env(
        {"PUENTE_DATA_DIR": str(tmp_path), "SMTP_URL": f"smtp://127.0.0.1:{closed_port}"}
    )
    message_id = _queue(engine, "ana@example.org")
    stats = Worker(engine, default_registry(settings)).drain()
    assert stats.failed == 1
    with Session(engine) as session:
        assert session.get(MailMessage, message_id).sent_at is None  # type: ignore[union-attr]
        job = session.execute(select(Job).where(Job.kind == "mail.deliver")).scalar_one()
        assert job.status == "pending" and "SMTP delivery to ana@example.org failed" in (job.last_error or "")


def test_without_smtp_url_mail_goes_to_the_log_and_stays_in_the_outbox(
    engine: Engine, tmp_path, caplog
) -> None:  # type: ignore[no-untyped-def]
    settings = Settings.from_env({"PUENTE_DATA_DIR": str(tmp_path)})
    message_id = _queue(engine, "ana@example.org")
    with caplog.at_level(logging.INFO, logger="marketplace.mail.service"):
        Worker(engine, default_registry(settings)).drain()
    assert "to=ana@example.org subject=Confirma tu correo" in caplog.text and "¿qué tal?" in caplog.text
    (written,) = (tmp_path / "mail").glob("*.eml")  # the whole message, for the developer to open
    received = BytesParser(policy=policy.default).parsebytes(written.read_bytes())
    assert received["To"] == "ana@example.org" and received.get_content().strip() == "Hola, Ana: ¿qué tal?"
    with Session(engine) as session:
        kept = session.get(MailMessage, message_id)
        assert kept is not None and kept.sent_at is not None and kept.body_text == "Hola, Ana: ¿qué tal?"


def test_without_smtp_url_a_mailed_link_is_redacted_in_the_log_but_whole_in_the_mail_file(
    engine: Engine, tmp_path, caplog
) -> None:  # type: ignore[no-untyped-def]
    from marketplace.core.redaction import install_log_redaction

    install_log_redaction()  # as `puente serve` and `puente worker` do
    settings = Settings.from_env({"PUENTE_DATA_DIR": str(tmp_path)})
    link = "http://127.0.0.1:8000/verify?token=Zq8vN3kP0wXy7LmT2bQe"
    with Session(engine) as session:
        queue_mail(session, to="ana@example.org", subject="Confirma tu correo", body_text=f"Abre {link}")
        session.commit()
    with caplog.at_level(logging.INFO, logger="marketplace.mail.service"):
        Worker(engine, default_registry(settings)).drain()
    assert "to=ana@example.org" in caplog.text and "Zq8vN3kP0wXy7LmT2bQe" not in caplog.text
    (written,) = (tmp_path / "mail").glob("*.eml")
    assert link in BytesParser(policy=policy.default).parsebytes(written.read_bytes()).get_content()
