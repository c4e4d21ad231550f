"""The one settings object: read from the environment (DESIGN.md §6), validated with one-line errors."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

ENVIRONMENTS = ("development", "production")
SEARCH_BACKENDS = ("embedded", "meilisearch")
MIN_SECRET_LENGTH = 32
# Placeholders people paste from examples; refused in production however long they are.
_WEAK_SECRET_WORDS = ("changeme", "change-me", "change_me", "secret", "password", "example", "puente")


class SettingsError(ValueError):
    """A setting has a bad value; the message is one line that names the variable."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool  # implicit TLS (smtps://)
    starttls: bool


@dataclass(frozen=True)
class OidcProvider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    label: str


@dataclass(frozen=True)
class Settings:
    env: str
    data_dir: Path
    database_url: URL
    secret_key: str
    search_backend: str
    meili_url: str | None
    meili_api_key: str | None
    smtp: SmtpSettings | None
    oidc_providers: tuple[OidcProvider, ...] = field(default_factory=tuple)
    base_url: str = "http://127.0.0.1:8000"

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.get_backend_name() == "sqlite"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def vectors_dir(self) -> Path:
        return self.data_dir / "vectors"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables, raising SettingsError on the first bad value."""
        env_vars = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env_vars.get(name)
            return value.strip() if value is not None and value.strip() != "" else None

        env = (get("PUENTE_ENV") or "development").lower()
        if env not in ENVIRONMENTS:
            raise SettingsError(f"PUENTE_ENV: must be one of {', '.join(ENVIRONMENTS)}, got {env!r}")
        production = env == "production"

        data_dir = Path(get("PUENTE_DATA_DIR") or "./data").expanduser().resolve()
        if data_dir.exists() and not data_dir.is_dir():
            raise SettingsError(f"PUENTE_DATA_DIR: {data_dir} exists and is not a directory")

        database_url = _parse_database_url(get("DATABASE_URL"), data_dir)

        secret_key = get("PUENTE_SECRET_KEY")
        if secret_key is not None:
            _check_secret(secret_key, production=production)
        elif production:
            raise SettingsError(
                f"PUENTE_SECRET_KEY: required in production (at least {MIN_SECRET_LENGTH} random characters)"
            )
        else:
            secret_key = _development_secret(data_dir)

        search_backend = (get("PUENTE_SEARCH_BACKEND") or "embedded").lower()
        if search_backend not in SEARCH_BACKENDS:
            raise SettingsError(
                f"PUENTE_SEARCH_BACKEND: must be one of {', '.join(SEARCH_BACKENDS)}, got {search_backend!r}"
            )
        meili_url = get("MEILI_URL")
        meili_api_key = get("MEILI_API_KEY")
        if meili_url is not None:
            _check_http_url("MEILI_URL", meili_url)
        if search_backend == "meilisearch":
            if meili_url is None:
                raise SettingsError("MEILI_URL: required when PUENTE_SEARCH_BACKEND=meilisearch")
            if production and meili_api_key is None:
                raise SettingsError("MEILI_API_KEY: required in production when the backend is meilisearch")

        smtp = _parse_smtp_url(get("SMTP_URL"))
        oidc = _parse_oidc_providers(get("PUENTE_OIDC_PROVIDERS"))

        base_url = (get("PUENTE_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
        _check_http_url("PUENTE_BASE_URL", base_url)
        if production and not base_url.startswith("https://"):
            raise SettingsError("PUENTE_BASE_URL: must be an https:// URL in production")

        return cls(
            env=env,
            data_dir=data_dir,
            database_url=database_url,
            secret_key=secret_key,
            search_backend=search_backend,
            meili_url=meili_url,
            meili_api_key=meili_api_key,
            smtp=smtp,
            oidc_providers=oidc,
            base_url=base_url,
        )


def _parse_database_url(raw: str | None, data_dir: Path) -> URL:
    if raw is None:
        return make_url(f"sqlite:///{data_dir / 'puente.db'}")
    try:
        url = make_url(raw)
    except ArgumentError:
        raise SettingsError(
            "DATABASE_URL: not a valid SQLAlchemy URL (e.g. postgresql://user@host/db)"
        ) from None
    backend = url.get_backend_name()
    if backend in ("postgres", "postgresql"):
        # One driver everywhere: psycopg 3 (installed with the package).
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise SettingsError(
                "DATABASE_URL: an in-memory SQLite database cannot be shared; give a file path"
            )
        return url
    raise SettingsError(f"DATABASE_URL: unsupported database {backend!r}; use sqlite or postgresql")


def _check_secret(secret: str, *, production: bool) -> None:
    if not production:
        return
    if len(secret) < MIN_SECRET_LENGTH:
        raise SettingsError(
            f"PUENTE_SECRET_KEY: must be at least {MIN_SECRET_LENGTH} characters in production "
            f"(got {len(secret)}); generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    lowered = secret.lower()
    if len(set(secret)) < 12 or any(word in lowered for word in _WEAK_SECRET_WORDS):
        raise SettingsError(
            "PUENTE_SECRET_KEY: too weak for production (a placeholder or few distinct characters)"
        )


def _development_secret(data_dir: Path) -> str:
    """Generate the development signing key once and keep it in the data directory."""
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        # O_EXCL: two processes starting at once agree on one key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    except OSError as exc:
        raise SettingsError(f"PUENTE_DATA_DIR: cannot write {path} ({exc.strerror})") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


def _check_http_url(name: str, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{name}: must be an http:// or https:// URL, got {value!r}")


def _parse_smtp_url(raw: str | None) -> SmtpSettings | None:
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise SettingsError(
            "SMTP_URL: must look like smtp://user:pass@host:587?starttls=1 or smtps://host:465"
        )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise SettingsError("SMTP_URL: the port is not a number between 1 and 65535") from None
    query = parse_qs(parts.query)
    starttls_value = (query.get("starttls") or ["0"])[0].lower()
    if starttls_value not in ("0", "1", "true", "false", "yes", "no"):
        raise SettingsError("SMTP_URL: starttls must be 1 or 0")
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        username=parts.username,
        password=parts.password,
        use_tls=parts.scheme == "smtps",
        starttls=starttls_value in ("1", "true", "yes"),
    )


def _parse_oidc_providers(raw: str | None) -> tuple[OidcProvider, ...]:
    if raw is None:
        return ()
    try:
        items = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SettingsError(
            f"PUENTE_OIDC_PROVIDERS: not valid JSON ({exc.msg} at character {exc.pos})"
        ) from None
    if not isinstance(items, list):
        raise SettingsError("PUENTE_OIDC_PROVIDERS: must be a JSON list of provider objects")
    providers: list[OidcProvider] = []
    names: set[str] = set()
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            raise SettingsError(f"PUENTE_OIDC_PROVIDERS: item {position} is not an object")
        missing = [k for k in ("name", "issuer", "client_id", "client_secret") if not item.get(k)]
        if missing:
            raise SettingsError(f"PUENTE_OIDC_PROVIDERS: item {position} lacks {', '.join(missing)}")
        name = str(item["name"])
        if not name.replace("-", "").replace("_", "").isalnum():
            raise SettingsError(
                f"PUENTE_OIDC_PROVIDERS: item {position} name must be letters, digits, - or _"
            )
        if name in names:
            raise SettingsError(f"PUENTE_OIDC_PROVIDERS: provider name {name!r} appears twice")
        names.add(name)
        _check_http_url(f"PUENTE_OIDC_PROVIDERS[{position}].issuer", str(item["issuer"]))
        providers.append(
            OidcProvider(
                name=name,
                issuer=str(item["issuer"]).rstrip("/"),
                client_id=str(item["client_id"]),
                client_secret=str(item["client_secret"]),
                label=str(item.get("label") or name),
            )
        )
    return tuple(providers)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings.from_env()
