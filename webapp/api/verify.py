"""POST /verify: stateless verification in the VC API verifier shape, plus our per-check report."""
from __future__ import annotations

from typing import Any

from flask import current_app, json, request

from ..auth import require
from ..ingestion import verify_input
from ..problems import Problem, bad_request, unprocessable
from . import bp, json_body


def _input() -> tuple[bytes, str, str | None]:
    if request.files:
        upload = request.files.get("file") or next(iter(request.files.values()))
        data = upload.read()
        if not data:
            raise bad_request("the uploaded file is empty")
        return data, upload.filename or "upload", request.form.get("recipient") or None
    if request.mimetype in ("text/plain", "application/jwt"):
        data = request.get_data()
        if not data.strip():
            raise bad_request("the body is empty")
        return data, "body", None
    body = json_body()
    if not isinstance(body, dict):
        raise unprocessable("the body must be a JSON object with a verifiableCredential")
    options = body.get("options") or {}
    if not isinstance(options, dict):
        raise unprocessable("options must be an object")
    recipient = options.get("recipient")
    if recipient is not None and not isinstance(recipient, str):
        raise unprocessable("options.recipient must be a string")
    for key in ("verifiableCredential", "credential", "url"):
        if key in body:
            document = body[key]
            break
    else:
        raise unprocessable("send {\"verifiableCredential\": ...} (an object or a JWT), {\"url\": ...} or a file",
                            "missing-credential")
    if isinstance(document, str):
        return document.encode(), key, recipient
    if isinstance(document, dict):
        return json.dumps(document, ensure_ascii=False).encode(), key, recipient
    raise unprocessable(f"{key} must be a JSON object or a string")


def vc_api_shape(report: dict[str, Any]) -> dict[str, Any]:
    problems = [{**c["problem"], "check": c["id"], "fatal": c["fatal"]} for c in report["checks"]
                if c.get("problem")]
    return {
        "verified": report["verified"],
        "results": [{"id": c["id"], "verified": c["outcome"] in ("passed", "skipped", "warning"),
                     "outcome": c["outcome"], "detail": c["detail"]}
                    for c in report["checks"]],
        "problemDetails": problems,
        "warnings": [p for p in problems if not p["fatal"]],
        "errors": [p for p in problems if p["fatal"]],
        "verdict": report["verdict"],
        "report": report,
    }


@bp.post("/verify")
@require("read")
def verify_credential():
    data, source, recipient = _input()
    limit = int(current_app.config["MAX_CREDENTIAL_BYTES"])
    if len(data) > limit:
        raise Problem(413, "Content too large", f"a credential may be at most {limit} bytes", "too-large")
    report = verify_input(current_app._get_current_object(), data, source=source, recipient=recipient).to_dict()
    body = vc_api_shape(report)
    unreadable = [c for c in report["checks"] if c["id"] == "input" and c["outcome"] == "failed"]
    if unreadable:
        problem = unreadable[0]["problem"]
        raise Problem(422, "Not a credential", problem.get("detail", ""), "not-a-credential", **body)
    return body
