"""Signing in to the web pages: password check, the session cookie and role checks.

Roles:
- ``admin`` manages users and API keys, and may do everything else;
- ``recruiter`` uploads credentials, edits and deletes candidates and roles;
- ``hiring_manager`` reads candidates, roles and shortlists.

The session cookie is signed, HttpOnly, SameSite=Lax, Secure in production, and expires after
``SESSION_HOURS`` (8) hours. It carries the user's id and a fingerprint of the password hash, so
changing a password or deleting a user ends their other sessions."""
from __future__ import annotations

import functools
import hashlib
from datetime import timedelta
from typing import Callable, TypeVar

from flask import Flask, Response, abort, g, redirect, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from . import csrf, db
from .auth import ROLES
from .models import User

F = TypeVar("F", bound=Callable)

ADMIN, RECRUITER, HIRING_MANAGER = ROLES
ROLE_LABELS = {ADMIN: "admin", RECRUITER: "recruiter", HIRING_MANAGER: "hiring manager"}
EDITORS = (ADMIN, RECRUITER)
_dummy_hash: list[str] = []


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def authenticate(username: str, password: str) -> User | None:
    """The user with this name and password, or None."""
    user = db.session().query(User).filter_by(username=username.strip()).one_or_none()
    if user is None:  # as slow as a wrong password, so names cannot be told apart by timing
        if not _dummy_hash:
            _dummy_hash.append(generate_password_hash("not a password"))
        check_password_hash(_dummy_hash[0], password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def login(user: User) -> None:
    """Start a fresh session for ``user`` (no value of the anonymous session survives)."""
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["pwf"] = _fingerprint(user)
    csrf.rotate()


def logout() -> None:
    session.clear()
    csrf.rotate()


def current_user() -> User | None:
    if "user" not in g:
        g.user = None
        uid = session.get("uid")
        if isinstance(uid, int):
            user = db.session().get(User, uid)
            if user is not None and session.get("pwf") == _fingerprint(user) and user.role in ROLES:
                g.user = user
                g.actor = f"user:{user.id}"
    return g.user


def has_role(*roles: str) -> bool:
    user = current_user()
    return user is not None and (user.role in roles or user.role == ADMIN)


def to_login() -> Response:
    """The redirect to the sign-in page, coming back here afterwards."""
    return redirect(url_for("ui.login", next=_safe_next(request.full_path)))


def login_required(view: F) -> F:
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            return to_login()
        return view(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


def role_required(*roles: str) -> Callable[[F], F]:
    """Signed in with one of ``roles`` (admins pass every check), else 403."""
    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if current_user() is None:
                return to_login()
            if not has_role(*roles):
                g.needed_roles = roles
                abort(403)
            return view(*args, **kwargs)
        wrapper.required_roles = roles  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]
    return decorate


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (never //host or a scheme) is a place to go after signing in."""
    if not target:
        return None
    target = target.rstrip("?")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def next_url(default: str) -> str:
    return _safe_next(request.args.get("next") or request.form.get("next")) or default


def init_app(app: Flask) -> None:
    hours = float(app.config.get("SESSION_HOURS", 8))
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=hours)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if app.config.get("SKILLPROOF_ENV") == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
    app.config.setdefault("SESSION_COOKIE_NAME", "session")

    @app.context_processor
    def _user_context():
        user = current_user()
        return {"current_user": user, "can_edit": user is not None and user.role in EDITORS,
                "is_admin": user is not None and user.role == ADMIN, "role_labels": ROLE_LABELS}
