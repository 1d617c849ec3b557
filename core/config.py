"""Configuration from the environment (``METODNET_*``) with safe defaults.

Every setting can be overridden by ``create_app(test_config=...)``; the
environment wins over the defaults, the test config wins over both.
"""

import os
import secrets
from pathlib import Path

PREFIX = "METODNET_"

DEFAULTS = {
    "DATABASE_URL": None,  # None: SQLite file under the instance folder
    "TOKEN_TTL_HOURS": 12,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "MAX_JSON_DEPTH": 32,
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
    # PostgreSQL: opening a connection, and one statement (beyond: 503, never a hang).
    "DB_CONNECT_TIMEOUT_S": 5,
    "DB_STATEMENT_TIMEOUT_MS": 60_000,
    # Longer query strings answer 414, longer header values 431 (in Russian).
    "MAX_QUERY_STRING_BYTES": 8192,
    "MAX_HEADER_BYTES": 8192,
    # Browser sessions of the pages: not readable by scripts, not sent cross-site.
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Sent over HTTPS only; `make run` (plain http on 127.0.0.1) sets
    # METODNET_SESSION_COOKIE_SECURE=0.
    "SESSION_COOKIE_SECURE": True,
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    # An import of more data rows runs as a background job (core.import_jobs).
    "IMPORT_JOB_ROWS": 5000,
}

_BOOL_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, bool)}
_INT_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, int) and k not in _BOOL_KEYS}


def from_environment(environ=os.environ) -> dict:
    """Settings read from ``METODNET_*`` variables, converted to their types."""
    settings = {}
    for name, raw in environ.items():
        if not name.startswith(PREFIX):
            continue
        key = name[len(PREFIX) :]
        if key in _BOOL_KEYS:
            settings[key] = raw.strip().lower() in ("1", "true", "yes", "on")
        elif key in _INT_KEYS:
            settings[key] = int(raw)
        else:
            settings[key] = raw
    return settings


def sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "metodnet.sqlite3")


def secret_key(instance_path: str) -> str:
    """Read the secret key from the instance folder, creating it on first use."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
