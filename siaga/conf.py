"""Every runtime setting of Siaga, declared once with its default and meaning.

``siaga.settings`` builds the Django settings from these; ``docs/configuration.md`` documents them
and a test fails when a setting here is missing from that page.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SIAGA_ENV", "development", "development or production. Production refuses to start without SIAGA_SECRET_KEY and turns debugging off."),
    Setting("SIAGA_DATA_DIR", "./var", "Folder for the embedded SQLite database, the development secret key and generated files."),
    Setting("DATABASE_URL", "sqlite:///$SIAGA_DATA_DIR/siaga.sqlite3", "Database URL. PostgreSQL: postgres://USER:PASSWORD@HOST:5432/NAME (psycopg 3)."),
    Setting("SIAGA_SECRET_KEY", "(development: random, kept in $SIAGA_DATA_DIR/secret_key)", "Django secret key. Required in production."),
    Setting("SIAGA_DEBUG", "false", "Django debug pages (URL lists, settings, tracebacks): only with SIAGA_DEBUG=1, for a developer on their own machine; ignored when SIAGA_ENV=production."),
    Setting("SIAGA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]", "Comma-separated host names the web server answers to."),
    Setting("SIAGA_HTTPS_PROXY", "false", "true when Siaga is served behind a reverse proxy that ends HTTPS and sets X-Forwarded-Proto: https (and strips it from clients). Then requests count as secure, cookies are sent over HTTPS only and HSTS is sent."),
    Setting("SIAGA_TRUSTED_ORIGINS", "", "Comma-separated origins (scheme and host) that may post forms, e.g. https://siaga.polreskedirikota.id, when served under a public name behind a proxy."),
    Setting("SIAGA_HSTS_SECONDS", "31536000", "Strict-Transport-Security max-age sent when SIAGA_HTTPS_PROXY is on (0 = no HSTS)."),
    Setting("SIAGA_LANGUAGE", "id", "Default language of pages and reports: id (Bahasa Indonesia) or en."),
    Setting("SIAGA_TIME_ZONE", "Asia/Jakarta", "Time zone for dates shown and entered (WIB by default)."),
    Setting("SIAGA_TILE_URL", "", "Map tile URL template, e.g. https://tiles.example.go.id/{z}/{x}/{y}.png. Empty = no tiles: the map shows TPS, posts and district labels on a plain background."),
    Setting("SIAGA_LOG_LEVEL", "INFO", "Log level of the siaga loggers (DEBUG, INFO, WARNING, ERROR)."),
    Setting("SIAGA_WARMUP", "", "1 = each web server process parses the current plans of the latest two operations as it starts (siaga serve --workers N sets it), so the first field reports after a (re)start do not wait for the parse."),
    Setting("SIAGA_STREAMS_PER_SESSION", "2", "Live streams (/posko/events) one login session may hold at once; more are told the server is busy and the page reloads its data every 30 s instead."),
    Setting("SIAGA_STREAMS_PER_PROCESS", "(half the server's threads; 4 when unknown)", "Live streams one server process holds at once. Each holds a thread, so the default keeps half of every process's threads (siaga serve --threads) free for field reports; raise --threads for more boards."),
    Setting("SIAGA_BROKER_URL", "", "Celery broker for long jobs (re-planning), e.g. redis://127.0.0.1:6379/0. Empty = jobs run in a thread of the web process."),
)


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on", "ya")


def data_dir() -> Path:
    return Path(env("SIAGA_DATA_DIR", "./var") or "./var").resolve()


def is_production() -> bool:
    return (env("SIAGA_ENV", "development") or "development").lower() == "production"


def database_url() -> str:
    return env("DATABASE_URL") or f"sqlite:///{data_dir() / 'siaga.sqlite3'}"


def secret_key() -> str:
    """The secret key: required from the environment in production, random per data folder in development."""
    key = env("SIAGA_SECRET_KEY")
    if key:
        return key
    if is_production():
        raise RuntimeError("SIAGA_SECRET_KEY must be set when SIAGA_ENV=production")
    path = data_dir() / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key
