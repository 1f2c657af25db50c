"""The append-only audit log. Entries join the caller's transaction, so an action and its
record are stored together or not at all. Details carry ids and counts, never personal data."""
from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from sqlalchemy.orm import Session

from sqlalchemy import insert

from .models import AuditEntry, utc_now


def current_actor(default: str = "system") -> str:
    if has_request_context():
        return g.get("actor", default)
    return default


def record(session: Session, action: str, target: str = "", actor: str | None = None,
           **details: Any) -> None:
    session.execute(insert(AuditEntry).values(actor=actor or current_actor(), action=action, target=target,
                                              details=details, at=utc_now()))
