"""The web pages for recruiters, hiring managers and admins: server-rendered Jinja templates
(autoescaped; badge data is never marked safe), a little plain JavaScript from /static, and a
Content-Security-Policy that allows no inline script or style and no other host."""
from __future__ import annotations

import logging
from typing import Any, Callable

from flask import Blueprint, Flask, Response, abort, g, render_template, request
from werkzeug.exceptions import HTTPException

from .. import csrf, db, web_auth

bp = Blueprint("ui", __name__)
log = logging.getLogger(__name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
PUBLIC_ENDPOINTS = frozenset({"ui.login"})

VERDICTS = {"valid": "Valid", "valid-with-warnings": "Valid, with warnings", "invalid": "Invalid",
            "indeterminate": "Could not be checked"}
CHECKS = {"input": "Readable badge", "schema": "Format", "context": "Vocabulary (JSON-LD contexts)",
          "proof": "Signature", "key": "Issuer's key", "hosted": "Issuer's hosted copy", "issuer": "Issuer",
          "status": "Not revoked", "validity": "Dates", "recipient": "Belongs to this candidate",
          "endorsement": "Endorsements"}
OUTCOMES = {"passed": "passed", "failed": "failed", "warning": "warning", "skipped": "not checked"}


@bp.before_request
def _signed_in():
    if request.endpoint not in PUBLIC_ENDPOINTS and web_auth.current_user() is None:
        return web_auth.to_login()
    return None


def get_or_404(model: type, ident: int) -> Any:
    """The ``model`` row with this primary key; the 404 page when there is none."""
    row = db.session().get(model, ident)
    if row is None:
        abort(404)
    return row


def is_page_request() -> bool:
    """Everything but the JSON API and the health check answers errors with an HTML page."""
    path = request.path
    return not (path.startswith("/api/") or path == "/api" or path == "/health")


def _error_page(exc: BaseException) -> tuple[str, int]:
    status = exc.code if isinstance(exc, HTTPException) and exc.code else getattr(exc, "status", 500)
    if not isinstance(status, int) or status < 400:
        status = 500
    if not isinstance(exc, HTTPException) and status >= 500:
        log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    context: dict[str, Any] = {"status": status}
    if status == 413:
        limit = request.max_content_length or 0
        context["limit_mb"] = max(1, round(limit / (1024 * 1024)))
    if status == 403:
        context["needed"] = [web_auth.ROLE_LABELS.get(r, r) + "s" for r in g.get("needed_roles", ())
                             if r != web_auth.ADMIN] + ["admins"]
    if isinstance(exc, csrf.CSRFError):
        context["csrf"] = True
    elif isinstance(exc, HTTPException) and status not in (403, 404, 405, 413, 500) and exc.description:
        context["detail"] = exc.description
    return render_template("error.html", **context), status


def _page_errors(app: Flask) -> None:
    """Pages answer errors with HTML; the API keeps its problem+json handlers untouched."""
    spec = app.error_handler_spec.setdefault(None, {})
    for code, handlers in list(spec.items()):
        for exc_class, handler in list(handlers.items()):
            handlers[exc_class] = _wrap(handler)
    if HTTPException not in spec.setdefault(None, {}):
        app.register_error_handler(HTTPException, _wrap(lambda e: e))


def _wrap(handler: Callable) -> Callable:
    def handle(exc: BaseException):
        if is_page_request():
            return _error_page(exc)
        return handler(exc)
    handle.__wrapped__ = handler  # type: ignore[attr-defined]
    return handle


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.path != "/health" and not request.path.startswith("/static/") and is_page_request():
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    web_auth.init_app(app)
    from . import admin, candidates, pages, roles, uploads  # noqa: F401  (register the routes)
    app.register_blueprint(bp)
    app.after_request(_security_headers)
    app.jinja_env.filters["verdict_label"] = lambda v: VERDICTS.get(v or "", v or "unknown")
    app.jinja_env.filters["check_label"] = lambda c: CHECKS.get(c or "", c or "")
    app.jinja_env.filters["outcome_label"] = lambda o: OUTCOMES.get(o or "", o or "")
    app.jinja_env.filters["pct"] = lambda x: f"{round(float(x or 0) * 100)}%"
    app.jinja_env.filters["day"] = lambda d: d.strftime("%d %b %Y") if d else "—"
    app.jinja_env.globals["VERDICTS"] = VERDICTS
    _page_errors(app)
