"""RFC 9457 problem details for every error the app returns: never a traceback, never HTML."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException

PROBLEM_BASE = "https://skillproof.dev/problems/"
log = logging.getLogger(__name__)


class Problem(Exception):
    """Raise to answer with a problem document."""

    def __init__(self, status: int, title: str, detail: str = "", slug: str | None = None,
                 **extensions: Any) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.slug = slug or title.lower().replace(" ", "-")
        self.extensions = extensions

    def to_dict(self) -> dict[str, Any]:
        body = {"type": PROBLEM_BASE + self.slug, "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        try:
            body["instance"] = request.path
        except RuntimeError:
            pass
        body.update(self.extensions)
        return body


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(problem.to_dict()), status=problem.status,
                        mimetype="application/problem+json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def bad_request(detail: str, **extensions: Any) -> Problem:
    return Problem(400, "Bad request", detail, "bad-request", **extensions)


def unprocessable(detail: str, slug: str = "unprocessable", **extensions: Any) -> Problem:
    return Problem(422, "Unprocessable content", detail, slug, **extensions)


def not_found(what: str) -> Problem:
    return Problem(404, "Not found", f"{what} does not exist", "not-found")


_TITLES = {400: ("Bad request", "bad-request"), 401: ("Unauthorized", "unauthorized"),
           403: ("Forbidden", "forbidden"), 404: ("Not found", "not-found"),
           405: ("Method not allowed", "method-not-allowed"), 409: ("Conflict", "conflict"),
           413: ("Content too large", "too-large"), 415: ("Unsupported media type", "unsupported-media-type"),
           422: ("Unprocessable content", "unprocessable")}


def _from_http(exc: HTTPException) -> Response:
    status = exc.code or 500
    title, slug = _TITLES.get(status, (exc.name, exc.name.lower().replace(" ", "-")))
    detail = exc.description or ""
    if status == 413:
        detail = "the request body is larger than this server accepts"
    response = problem_response(Problem(status, title, detail, slug))
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="skillproof"'
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(Problem, lambda p: problem_response(
        p, {"WWW-Authenticate": 'Bearer realm="skillproof"'} if p.status == 401 else None))
    for status in _TITLES:
        app.register_error_handler(status, _from_http)
    app.register_error_handler(HTTPException, _from_http)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:  # a bug: log it, show no internals
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem_response(Problem(500, "Internal server error",
                                        "the server could not complete the request", "internal"))
