"""Password rules: 12–128 characters, common and guessable ones refused; argon2 hashes verify."""

from __future__ import annotations

import pytest

from marketplace.accounts.passwords import WeakPassword, check_password_rules, hash_password, verify_password


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Short1!", "too_short"),
        ("x" * 129, "too_long"),
        ("password1234", "common"),
        ("qwertyuiop123", "common"),
        ("contraseña123", "common"),
        ("aaaaaaaaaaaaaa", "common"),
        ("ana.perez@example.org", "is_email"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    with pytest.raises(WeakPassword) as error:
        check_password_rules(password, email="ana.perez@example.org")
    assert error.value.reason == reason


@pytest.mark.parametrize(
    "password", ["Colibrí-Quetzal-Tucán-7", "correct horse battery staple", "demo-FH1TybGWXpKLuY5s"]
)
def test_strong_passwords_pass(password: str) -> None:
    check_password_rules(password, email="ana.perez@example.org")


def test_hash_verifies_only_the_right_password() -> None:
    stored = hash_password("Colibrí-Quetzal-Tucán-7")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "Colibrí-Quetzal-Tucán-7")
    assert not verify_password(stored, "colibrí-quetzal-tucán-7")
    assert not verify_password("not a hash", "anything")
