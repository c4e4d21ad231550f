"""Password hashing (argon2id) and the password rules every account, demo ones included, must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
# The most common passwords of at least 12 characters from public breach lists; refused outright.
_COMMON = {
    "123456789012", "1234567890123", "qwertyuiopas", "password1234", "passwordpassword", "iloveyou1234",
    "qwerty123456", "111111111111", "000000000000", "123123123123", "abcdefghijkl", "123456123456",
    "contraseña123", "contrasena123", "senha1234567", "motdepasse123", "azertyuiop12", "qwertyuiop123",
    "adminadmin123", "welcome12345", "letmein12345", "changeme1234",
}  # fmt: skip

_hasher = PasswordHasher()


class WeakPassword(ValueError):
    """The password breaks a rule; `reason` says which (too_short, too_long, common, is_email)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def check_password_rules(password: str, *, email: str | None = None) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword("too_short", f"at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword("too_long", f"at most {MAX_LENGTH} characters")
    lowered = password.lower()
    if email and lowered in (email.lower(), email.lower().split("@")[0]):
        raise WeakPassword("is_email", "must not be your e-mail address")
    hints = [email, *email.split("@")[0].split(".")] if email else []
    # zxcvbn knows English breach lists, keyboard walks and dates; _COMMON adds es/pt/fr favourites.
    if lowered in _COMMON or len(set(lowered)) < 5 or zxcvbn(password[:100], user_inputs=hints)["score"] < 3:
        raise WeakPassword("common", "too common or too easy to guess")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the hasher (tests use cheap parameters; production keeps argon2's defaults)."""
    global _hasher
    _hasher = hasher
