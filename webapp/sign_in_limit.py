"""Slowing down password guessing on the sign-in page.

Failed sign-ins are audit entries keyed by a hash of the user name and of the client address
(keyed hashes, never the name or address themselves). After ``LOGIN_MAX_FAILURES`` failures for one name, or
``LOGIN_MAX_FAILURES_PER_CLIENT`` from one address, within ``LOGIN_LOCK_MINUTES``, further
attempts are refused until the oldest of those failures leaves the window. The count lives in
the database, so every worker process sees the same one; a lock applies whether or not the name
exists, so it tells an attacker nothing about which names are real.

A successful sign-in clears the count for its name: the audit log is append-only, so it records
a ``user.login_cleared`` entry for the name and only failures after the latest one count. The
address's count is not cleared (one good password must not reopen an address that guesses)."""
from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from . import audit
from .models import AuditEntry, utc_now

FAILED = "user.login_failed"
LOCKED = "user.login_locked"
CLEARED = "user.login_cleared"


def _key(value: str) -> str:
    """Keyed with the app's secret, so names and addresses cannot be recovered from the log
    by hashing guesses."""
    secret = str(current_app.secret_key or "").encode("utf-8")
    return hmac.new(secret, value.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()[:20]


def _name_target(username: str) -> str:
    return f"login:{_key(username)}"


def _client_actor(client: str) -> str:
    return f"client:{_key(client)}"


def _retry_after(failures: list[datetime], limit: int, window: timedelta, now: datetime) -> float:
    """Seconds until fewer than ``limit`` of these failures lie within the window (0: not locked)."""
    if limit <= 0 or len(failures) < limit:
        return 0.0
    unlocks_at = sorted(failures)[len(failures) - limit] + window
    return max(0.0, (unlocks_at - now).total_seconds())


def minutes_locked(session: Session, username: str, client: str) -> int:
    """Whole minutes before this name or address may try again; 0 when it may now."""
    config = current_app.config
    window = timedelta(minutes=float(config["LOGIN_LOCK_MINUTES"]))
    now = utc_now()
    name, actor = _name_target(username), _client_actor(client)
    rows = session.execute(select(AuditEntry.at, AuditEntry.action, AuditEntry.target, AuditEntry.actor).where(
        AuditEntry.action.in_((FAILED, CLEARED)), AuditEntry.at >= now - window,
        or_(AuditEntry.target == name, AuditEntry.actor == actor))).all()
    cleared = max((at for at, action, target, _ in rows if action == CLEARED and target == name), default=None)
    by_name = [at for at, action, target, _ in rows
               if action == FAILED and target == name and (cleared is None or at > cleared)]
    by_client = [at for at, action, _, who in rows if action == FAILED and who == actor]
    seconds = max(_retry_after(by_name, int(config["LOGIN_MAX_FAILURES"]), window, now),
                  _retry_after(by_client, int(config["LOGIN_MAX_FAILURES_PER_CLIENT"]), window, now))
    return math.ceil(seconds / 60)


def record_failure(session: Session, username: str, client: str) -> None:
    audit.record(session, FAILED, _name_target(username), actor=_client_actor(client))


def record_refusal(session: Session, username: str, client: str) -> None:
    audit.record(session, LOCKED, _name_target(username), actor=_client_actor(client))


def record_success(session: Session, username: str, client: str) -> None:
    """Clear the name's failures (the address keeps its count)."""
    audit.record(session, CLEARED, _name_target(username), actor=_client_actor(client))
