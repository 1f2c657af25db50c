"""CSRF protection for the web pages: a random token per browser session, sent back with every
form (a hidden ``csrf_token`` field) or script request (an ``X-CSRF-Token`` header).

Every POST, PUT, PATCH and DELETE outside the JSON API is refused with 400 when the token is
missing or wrong. The API is exempt: it authenticates with ``Authorization: Bearer`` keys, which
a browser never sends on its own."""
from __future__ import annotations

import hmac
import secrets

from flask import Flask, request, session
from werkzeug.exceptions import BadRequest

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
EXEMPT_BLUEPRINTS = frozenset({"api"})
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


class CSRFError(BadRequest):
    description = "The form has expired or did not come from this site. Reload the page and try again."


def token() -> str:
    """This session's token (created on first use)."""
    value = session.get(FIELD)
    if not isinstance(value, str) or len(value) < 32:
        value = secrets.token_urlsafe(32)
        session[FIELD] = value
    return value


def rotate() -> None:
    """A new token (after signing in or out)."""
    session[FIELD] = secrets.token_urlsafe(32)


def check() -> None:
    """Raise ``CSRFError`` unless the request carries this session's token."""
    expected = session.get(FIELD)
    sent = request.headers.get(HEADER) or request.form.get(FIELD, "")
    if not isinstance(expected, str) or not expected or not sent \
            or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CSRFError()


def _protect() -> None:
    if request.method in SAFE_METHODS:
        return
    if request.blueprint in EXEMPT_BLUEPRINTS or request.path.startswith("/api/"):
        return
    check()


def init_app(app: Flask) -> None:
    app.before_request(_protect)
    app.jinja_env.globals["csrf_token"] = token
