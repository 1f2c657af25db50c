"""Configuration: embedded defaults, then the instance folder's ``config.py``, then environment
variables, then what the caller of ``create_app`` passes (tests)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    "SKILLPROOF_ENV": "development",          # "production" makes a missing SECRET_KEY an error
    "DATABASE_URL": "sqlite:///skillproof.sqlite3",  # relative SQLite paths live in the instance folder
    "AUTO_MIGRATE": True,                      # apply Alembic migrations when the app starts
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,    # request bodies; larger ones get 413
    "MAX_CREDENTIAL_BYTES": 10 * 1024 * 1024,  # one credential file
    "MAX_UPLOAD_ITEMS": 1000,                  # credentials in one upload, ZIP entries included
    "MAX_ZIP_BYTES": 100 * 1024 * 1024,        # uncompressed size of a ZIP's entries
    "SYNC_INGEST_MAX": 5,                      # more credentials than this in one request: a background job
    "FETCH_ALLOW_HOSTS": [],                   # intranet hosts the fetcher may reach despite the SSRF guard
    "FETCH_TIMEOUT": 10.0,
    "FETCH_MAX_BYTES": 2 * 1024 * 1024,
    "DOCUMENT_MAP": None,                      # an offline document map: fetch nothing else
    "TRUST_POLICY": None,                      # an issuer trust policy file (allow/deny lists, registries)
    "TRUSTED_ISSUERS": [],                     # issuer ids, DIDs or domains the employer trusts
    "DISTRUSTED_ISSUERS": [],                  # issuer ids, DIDs or domains whose credentials fail
    "UNKNOWN_ISSUER_TRUST": 0.8,               # weight of an issuer on neither list
    "TAXONOMY_PATH": None,                     # a taxonomy folder or file; else the imported or bundled one
    "REDIS_URL": None,                         # send background jobs to RQ on this Redis
    "RQ_QUEUE": "skillproof",
    "JOB_WORKER": "thread",                    # "thread": in-process worker; "none": this process runs no jobs
    "JOB_RESUME": True,                        # on start, resume unfinished jobs (else mark them failed)
    "JOB_STALE_SECONDS": 120,                  # a running job without a heartbeat this long was interrupted
    "API_PAGE_MAX": 200,
    "LOGIN_MAX_FAILURES": 5,                   # failed sign-ins for one user name within the window
    "LOGIN_MAX_FAILURES_PER_CLIENT": 20,       # failed sign-ins from one address within the window
    "LOGIN_LOCK_MINUTES": 15,                  # the window, and how long a lock lasts at most
    "PROXY_HOPS": 0,                           # reverse proxies in front: trust that many X-Forwarded-* hops
}

_ENV_TYPES: dict[str, type] = {
    "SKILLPROOF_ENV": str, "DATABASE_URL": str, "SECRET_KEY": str, "AUTO_MIGRATE": bool,
    "MAX_CONTENT_LENGTH": int, "MAX_CREDENTIAL_BYTES": int, "MAX_UPLOAD_ITEMS": int, "MAX_ZIP_BYTES": int,
    "SYNC_INGEST_MAX": int, "FETCH_ALLOW_HOSTS": list, "FETCH_TIMEOUT": float, "FETCH_MAX_BYTES": int,
    "DOCUMENT_MAP": str, "TRUST_POLICY": str, "TRUSTED_ISSUERS": list, "DISTRUSTED_ISSUERS": list, "UNKNOWN_ISSUER_TRUST": float,
    "TAXONOMY_PATH": str, "REDIS_URL": str, "RQ_QUEUE": str, "JOB_WORKER": str, "JOB_RESUME": bool,
    "JOB_STALE_SECONDS": int, "API_PAGE_MAX": int,
    "LOGIN_MAX_FAILURES": int, "LOGIN_MAX_FAILURES_PER_CLIENT": int, "LOGIN_LOCK_MINUTES": float, "PROXY_HOPS": int,
}


class ConfigError(RuntimeError):
    pass


def _parse(name: str, raw: str, kind: type) -> Any:
    if kind is bool:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if kind is list:
        return [part for part in raw.replace(",", " ").split() if part]
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"environment variable {name}={raw!r} is not a valid {kind.__name__}") from None


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    environ = dict(os.environ if environ is None else environ)
    return {name: _parse(name, environ[name], kind) for name, kind in _ENV_TYPES.items()
            if environ.get(name, "") != ""}


def load(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environment())
    if overrides:
        app.config.update(overrides)
    if app.config.get("DATABASE_URL", "").startswith("postgres://"):
        app.config["DATABASE_URL"] = "postgresql://" + app.config["DATABASE_URL"][len("postgres://"):]
    if app.config.get("DATABASE_URL", "").startswith("postgresql://"):
        app.config["DATABASE_URL"] = "postgresql+psycopg://" + app.config["DATABASE_URL"][len("postgresql://"):]
    if not app.config.get("SECRET_KEY"):
        if app.config["SKILLPROOF_ENV"] == "production":
            raise ConfigError("SECRET_KEY must be set in production (environment variable SECRET_KEY)")
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))


def _development_secret(instance: Path) -> str:
    """A generated key kept in the instance folder, so sessions survive a restart in development."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process wrote it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
