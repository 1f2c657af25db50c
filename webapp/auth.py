"""API keys: ``Authorization: Bearer sp_<prefix>_<secret>``. The prefix finds the key; only a
sha256 of the secret is stored. A ``write`` key may also read; a ``read`` key only reads."""
from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Callable, TypeVar

from flask import g, request
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from . import db
from .models import ApiKey, User, utc_now
from .problems import Problem

SCOPES = ("read", "write")
F = TypeVar("F", bound=Callable)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(session: Session, scope: str, name: str = "", user: User | None = None) -> tuple[ApiKey, str]:
    """A new key and its token; the token is not stored and cannot be shown again."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(prefix=prefix, secret_sha256=_digest(secret), scope=scope, name=name,
                 user_id=user.id if user else None)
    session.add(key)
    return key, f"sp_{prefix}_{secret}"


ROLES = ("admin", "recruiter", "hiring_manager")


def create_user(session: Session, username: str, password: str, role: str = "recruiter") -> User:
    """A user who signs in to the web app; ``role`` is admin, recruiter or hiring_manager."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    user = User(username=username, password_hash=generate_password_hash(password), role=role)
    session.add(user)
    return user


def find_key(session: Session, token: str) -> ApiKey | None:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "sp" or not parts[1] or not parts[2]:
        return None
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if key is None or key.revoked or not hmac.compare_digest(key.secret_sha256, _digest(parts[2])):
        return None
    return key


def _authenticate(scope: str) -> None:
    header = request.headers.get("Authorization", "")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise Problem(401, "Unauthorized", "send an API key as 'Authorization: Bearer <key>'", "unauthorized")
    session = db.session()
    key = find_key(session, token.strip())
    if key is None:
        raise Problem(401, "Unauthorized", "the API key is not valid", "unauthorized")
    if scope == "write" and key.scope != "write":
        raise Problem(403, "Forbidden", "this API key may only read; this request needs a write key",
                      "forbidden")
    now = utc_now()
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=5):
        key.last_used_at = now
        session.commit()
    g.api_key = key
    g.actor = f"api-key:{key.prefix}"


def require(scope: str) -> Callable[[F], F]:
    """Decorate a view: it needs a valid key with at least ``scope``."""
    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            _authenticate(scope)
            return view(*args, **kwargs)
        wrapper.required_scope = scope  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]
    return decorate
