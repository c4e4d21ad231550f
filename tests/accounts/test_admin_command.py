"""`puente users create-admin` creates an administrator whose password meets the account rules."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.accounts.passwords import verify_password


def run_create_admin(database_url: str, tmp_path, password: str, email: str = "root@puente.example"):  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUENTE_")}
    env.update(DATABASE_URL=database_url, PUENTE_DATA_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-m", "marketplace", "users", "create-admin", "--email", email, "--password-stdin"],
        input=password + "\n", env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_create_admin_refuses_a_weak_password_and_creates_with_a_strong_one(
    engine: Engine, database_url: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    weak = run_create_admin(database_url, tmp_path, "password1234")
    assert weak.returncode != 0 and "password" in weak.stderr
    strong = run_create_admin(database_url, tmp_path, "Orquídea-Volcán-Arrecife-5")
    assert strong.returncode == 0, strong.stderr
    assert "Created administrator root@puente.example" in strong.stdout
    with Session(engine) as session:
        admin = session.execute(select(User).where(User.email == "root@puente.example")).scalar_one()
        assert admin.is_admin and admin.email_verified_at is not None
        assert verify_password(admin.password_hash or "", "Orquídea-Volcán-Arrecife-5")
