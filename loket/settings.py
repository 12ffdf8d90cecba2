"""Typed settings from ``LOKET_*`` environment variables (and an optional ``.env``).

A bad value is reported as one line naming the variable, and the process exits with code 2.
Development keeps generated secrets under ``var/``; production refuses to start without real ones.
"""

from __future__ import annotations

import functools
import os
import secrets
import sys
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDERS = {"", "change-me", "changeme", "secret", "please-change", "xxx"}


class SettingsError(Exception):
    """One readable line naming the variable that is wrong."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOKET_", env_file=".env", extra="ignore", validate_default=True
    )

    env: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    var_dir: Path = Path("var")
    database_url: str | None = None
    redis_url: str | None = None
    # Port of the private Redis that `loket run` starts when LOKET_REDIS_URL is not set.
    redis_port: int = Field(6399, ge=1, le=65535)
    secret_key: SecretStr | None = None
    data_key: SecretStr | None = None
    public_url: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    web_workers: int = Field(2, ge=1, le=64)
    web_threads: int = Field(32, ge=1, le=512)
    max_body_bytes: int = Field(65536, ge=1024)
    start_kiosk: Literal["auto", "yes", "no"] = "auto"
    sse_keepalive_seconds: float = Field(15.0, gt=0)
    # Live streams (stream_service): open streams allowed per client address and in total.
    stream_max_per_address: int = Field(50, ge=1, le=100000)
    stream_max_total: int = Field(10000, ge=1, le=1000000)
    # A client resuming further behind than this many event ids gets `reset` and the board.
    stream_replay_max: int = Field(1000, ge=1, le=100000)
    # The stream process lowers its CPU priority by this much (nice): kiosks and counters come
    # first for the cores, a screen can wait a few ms (docs/benchmarks.md, live streams).
    stream_nice: int = Field(5, ge=0, le=19)
    # Deprecated alias of LOKET_TRUSTED_PROXIES=1 (the stream process's old switch); kept so
    # existing .env files still work. Read trusted_proxies instead.
    stream_trust_forwarded: bool = False
    # `loket run`: the request/response web process listens here, behind the stream front door.
    backend_port: int = Field(0, ge=0, le=65535)  # 0: LOKET_PORT + 1
    office: str = "genteng"
    # Refuse tickets outside the office's opening hours and on holidays. Unset: on in
    # production, off in development and test (a demo at night still works).
    enforce_opening_hours: bool | None = None
    # Office configuration file (services, prefixes, office hours); default sop/office/genteng.yaml
    office_file: Path | None = None
    # Escalation notifications (workflow). Unset: escalations are events on the consoles only.
    notify_webhook_url: str | None = None
    smtp_url: str | None = None  # smtp://user:pass@host:port
    smtp_from: str = "loket@localhost"
    notify_emails: str = ""  # "kasi=kasi@example.go.id,camat=camat@example.go.id"
    notify_max_attempts: int = Field(5, ge=1, le=50)
    # Complaints: the inbound webhook's shared secret and the outbound WhatsApp/SMS gateway.
    inbound_secret: SecretStr | None = None
    gateway_url: str | None = None
    # Reverse proxies in front of this process (nginx in docker-compose: 1); the client's
    # address for every per-address limit (complaints, stream caps) is then taken from
    # X-Forwarded-For (loket.addresses). LOKET_STREAM_TRUST_FORWARDED=true counts as 1.
    trusted_proxies: int = Field(0, ge=0, le=5)
    # Staff logins: attempts per client address per minute (429 with Retry-After beyond), and
    # argon2 checks running at once per process (more wait, then 503).
    login_rate_per_minute: int = Field(30, ge=1, le=10000)
    login_hash_slots: int = Field(4, ge=1, le=64)
    # How long an enqueued escalation may stay unfired before the sweep enqueues it again
    # (a worker killed mid-task loses its message until the broker's visibility timeout).
    escalation_retry_seconds: int = Field(120, ge=1, le=3600)
    # Which web apps this process mounts (a compose container serves one; the embedded hall all).
    apps: str = "queue,workflow,display,console"
    # Personal data of finished tickets, closed cases and departed guests is removed after this
    # many days (the beat task `loket.retention`, `loket retention run`); statistics stay.
    retention_days: int = Field(365, ge=1, le=36500)
    # Data keys being rotated out (comma-separated Fernet keys): still read, never written.
    data_keys_old: SecretStr | None = None

    @field_validator("data_keys_old")
    @classmethod
    def _fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        from cryptography.fernet import Fernet

        for key in (value.get_secret_value().split(",") if value else []):
            if not key.strip():
                continue
            try:
                Fernet(key.strip().encode())
            except ValueError:
                raise ValueError("every key must be a Fernet key (32 url-safe base64-encoded "
                                 "bytes), separated by commas") from None
        return value

    def old_data_keys(self) -> tuple[str, ...]:
        """The keys of LOKET_DATA_KEYS_OLD, in order (the newest old key first)."""
        raw = self.data_keys_old.get_secret_value() if self.data_keys_old else ""
        return tuple(k.strip() for k in raw.split(",") if k.strip())

    @model_validator(mode="after")
    def _fold_stream_trust_forwarded(self) -> Settings:
        if self.stream_trust_forwarded and self.trusted_proxies == 0:
            self.trusted_proxies = 1
        return self

    @field_validator("notify_emails")
    @classmethod
    def _check_emails(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            role, _, address = part.partition("=")
            if not role or "@" not in address:
                raise ValueError("use role=address pairs separated by commas")
        return value

    @property
    def opening_hours_enforced(self) -> bool:
        if self.enforce_opening_hours is not None:
            return self.enforce_opening_hours
        return self.env == "production"

    @property
    def notify_email_map(self) -> dict[str, str]:
        pairs = (p.strip().partition("=") for p in self.notify_emails.split(",") if p.strip())
        return {role.strip(): address.strip() for role, _, address in pairs}

    @field_validator("apps")
    @classmethod
    def _check_apps(cls, value: str) -> str:
        known = {"queue", "workflow", "display", "console"}
        names = [part.strip() for part in value.split(",") if part.strip()]
        unknown = sorted(set(names) - known)
        if not names or unknown:
            raise ValueError(f"unknown app(s) {unknown}; choose from {sorted(known)}")
        return ",".join(names)

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"not a database URL ({exc})") from None
        backend = url.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database '{backend}' (use sqlite:// or postgresql://)")
        if backend == "postgresql" and not url.host and not url.query.get("host"):
            raise ValueError("a PostgreSQL URL needs a host")
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from urllib.parse import urlsplit

        parts = urlsplit(value)
        if parts.scheme not in ("redis", "rediss", "unix"):
            raise ValueError("must start with redis://, rediss:// or unix://")
        if parts.scheme != "unix":
            if not parts.hostname:
                raise ValueError("a Redis URL needs a host")
            try:
                parts.port  # noqa: B018 - raises ValueError on a bad port
            except ValueError:
                raise ValueError("the port is not a number between 0 and 65535") from None
        return value

    # -- derived values -------------------------------------------------------------------

    @property
    def var_path(self) -> Path:
        return self.var_dir.resolve()

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Prefer the psycopg 3 driver, which is what we install.
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://") :]
            elif url.startswith("postgres://"):
                url = "postgresql+psycopg://" + url[len("postgres://") :]
            return url
        return f"sqlite:///{self.var_path / 'loket.db'}"

    @property
    def uses_private_redis(self) -> bool:
        return self.redis_url is None

    @property
    def effective_redis_url(self) -> str:
        return self.redis_url or f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def effective_backend_port(self) -> int:
        return self.backend_port or (self.port + 1 if self.port < 65535 else self.port - 1)

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def secret(self, name: Literal["secret_key", "data_key"]) -> str:
        """The secret's value; in development one is generated once and kept under var/."""
        value: SecretStr | None = getattr(self, name)
        if value is not None:
            return value.get_secret_value()
        path = self.var_path / name
        if path.exists():
            return path.read_text().strip()
        if name == "data_key":
            from cryptography.fernet import Fernet

            generated = Fernet.generate_key().decode()
        else:
            generated = secrets.token_urlsafe(48)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Each writer its own temporary file, complete and private before it is linked: web
        # workers and threads race here on a fresh install, and a shared temporary file let
        # one truncate what another had just linked (an empty or a changed key).
        tmp = path.with_name(f".{name}.{os.getpid()}.{secrets.token_hex(8)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as out:
                out.write(generated)
                out.flush()
                os.fsync(out.fileno())
            os.link(tmp, path)  # atomic create: the first writer wins, the rest read its key
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
        return path.read_text().strip()

    def check_production(self) -> None:
        if self.env != "production":
            return
        for name in ("secret_key", "data_key"):
            value: SecretStr | None = getattr(self, name)
            if value is None or value.get_secret_value().strip().lower() in PLACEHOLDERS:
                raise SettingsError(
                    f"LOKET_{name.upper()}: required in production and must not be a placeholder"
                )
            if len(value.get_secret_value()) < 32:
                raise SettingsError(f"LOKET_{name.upper()}: must be at least 32 characters")
        if not self.database_url or not self.database_url.startswith(("postgres", "postgresql")):
            raise SettingsError("LOKET_DATABASE_URL: production needs a PostgreSQL URL")
        if not self.redis_url:
            raise SettingsError("LOKET_REDIS_URL: required in production")


def _describe(exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = str(err["loc"][0]) if err["loc"] else "?"
    msg = err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    shown = "" if "key" in field or "secret" in field else f" (got {value!r})"
    return f"LOKET_{field.upper()}: {msg}{shown}"


def load_settings(**overrides: object) -> Settings:
    """Parse the environment; raise SettingsError with one line on a bad value."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None
    settings.check_production()
    return settings


@functools.cache
def get_settings() -> Settings:
    return load_settings()


def settings_or_exit() -> Settings:
    """For command-line entry points: print one line and exit 2 on a bad setting."""
    try:
        return get_settings()
    except SettingsError as exc:
        print(f"loket: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
