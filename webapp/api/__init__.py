"""The JSON API for HR systems, under /api/v1."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request, url_for
from werkzeug.exceptions import BadRequest

from ..problems import Problem, bad_request, not_found, unprocessable

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_OFFSET = 2**31 - 1  # a row offset the database can take


def get_or_404(session: Any, model: type, ident: int, what: str) -> Any:
    """The ``model`` row with this primary key; 404 naming ``what`` when there is none."""
    row = session.get(model, ident)
    if row is None:
        raise not_found(f"{what} {ident}")
    return row


def json_body(*, required: bool = True) -> Any:
    """The request's JSON document; 415 when it is not JSON, 400 when it does not parse."""
    if not request.is_json:
        if not required and not request.get_data(cache=True):
            return None
        raise Problem(415, "Unsupported media type", "send a JSON body with Content-Type: application/json",
                      "unsupported-media-type")
    try:
        return request.get_json()
    except BadRequest:
        raise bad_request("the body is not well-formed JSON") from None


def json_object(**kwargs: Any) -> dict[str, Any]:
    body = json_body(**kwargs)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise unprocessable("the body must be a JSON object")
    return body


def int_arg(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"query parameter {name} must be an integer") from None
    if value < minimum or (maximum is not None and value > maximum):
        bound = f" and at most {maximum}" if maximum is not None else ""
        raise bad_request(f"query parameter {name} must be at least {minimum}{bound}")
    return value


def float_arg(name: str, default: float, *, minimum: float = 0.0, maximum: float = 1.0) -> float:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise bad_request(f"query parameter {name} must be a number") from None
    if not minimum <= value <= maximum:
        raise bad_request(f"query parameter {name} must be between {minimum:g} and {maximum:g}")
    return value


def bool_arg(name: str, default: bool = False) -> bool:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise bad_request(f"query parameter {name} must be true or false")


def accepted(job: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """202 for a background job, pointing at where its progress is read."""
    return job, 202, {"Location": url_for("api.get_job", job_id=job["id"])}


def page_args() -> tuple[int, int]:
    limit = int_arg("limit", 20, minimum=1, maximum=int(current_app.config["API_PAGE_MAX"]))
    offset = int_arg("offset", 0, minimum=0, maximum=MAX_OFFSET)
    return limit, offset


from . import candidates, jobs, meta, roles, verify  # noqa: E402,F401  (register the routes)
