"""Candidates and their credentials."""
from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import audit, candidates, db, jobs, serialize
from ..auth import require
from ..ingestion import Item, NotWebAddresses, UploadError, expand, ingest_one, items_from_form, reverify_one
from ..models import Candidate, Credential, Evidence, VerificationReport
from ..problems import Problem, bad_request, unprocessable
from . import accepted, bool_arg, bp, get_or_404, json_body, json_object, page_args

@bp.post("/candidates")
@require("write")
def create_candidate():
    values = candidates.candidate_values(json_object(), partial=False)
    session = db.session()
    candidate = Candidate(**values)
    session.add(candidate)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise candidates.external_id_conflict() from None
    audit.record(session, "candidate.create", f"candidate:{candidate.id}")
    session.commit()
    return serialize.candidate(candidate, credential_count=0), 201, {
        "Location": url_for("api.get_candidate", candidate_id=candidate.id)}


@bp.get("/candidates")
@require("read")
def list_candidates():
    limit, offset = page_args()
    session = db.session()
    total = session.scalar(select(func.count(Candidate.id)))
    rows = session.scalars(select(Candidate).order_by(Candidate.id).limit(limit).offset(offset)).all()
    counts = dict(session.execute(select(Credential.candidate_id, func.count(Credential.id))
                                  .where(Credential.candidate_id.in_([c.id for c in rows]))
                                  .group_by(Credential.candidate_id)).all()) if rows else {}
    body: dict[str, Any] = {"total": total, "limit": limit, "offset": offset,
                            "items": [serialize.candidate(c, credential_count=counts.get(c.id, 0)) for c in rows]}
    if offset + limit < total:
        body["next"] = url_for("api.list_candidates", limit=limit, offset=offset + limit)
    return body


@bp.get("/candidates/<int:candidate_id>")
@require("read")
def get_candidate(candidate_id: int):
    session = db.session()
    candidate = get_or_404(session, Candidate, candidate_id, "candidate")
    body = serialize.candidate(candidate)
    body["credentials"] = candidates.credentials_view(session, candidate_id, with_reports=True)
    body["credential_count"] = len(body["credentials"])
    return body


@bp.patch("/candidates/<int:candidate_id>")
@require("write")
def update_candidate(candidate_id: int):
    body = json_object()
    session = db.session()
    candidate = get_or_404(session, Candidate, candidate_id, "candidate")
    candidates.update_candidate(session, candidate, candidates.candidate_values(body, partial=True))
    session.commit()
    return serialize.candidate(candidate)


@bp.delete("/candidates/<int:candidate_id>")
@require("write")
def erase_candidate(candidate_id: int):
    """Erase the candidate's personal data, credentials, reports, evidence and upload jobs."""
    session = db.session()
    candidates.erase_candidate(session, get_or_404(session, Candidate, candidate_id, "candidate"))
    session.commit()
    return "", 204


# -- credentials -----------------------------------------------------------------------------


def _upload_items() -> list[Item]:
    """Multipart files, a JSON credential, {"url": ...}, {"urls": [...]} or {"credential": ...}."""
    if request.files:
        files = request.files.getlist("file") + request.files.getlist("files")
        items = _form_items(files, request.form.get("urls", "")) if files else []
        if not items:
            raise bad_request("send the files in form fields named 'file' or 'files'")
        return items
    if request.mimetype == "multipart/form-data":
        urls = request.form.get("urls", "") or request.form.get("url", "")
        if urls.split():
            return _form_items([], urls)
        raise bad_request("the form carries no file")
    if request.mimetype in ("text/plain", "application/jwt"):
        text = request.get_data()
        if not text.strip():
            raise bad_request("the body is empty")
        return [Item("body", text)]
    body = json_body()
    if not isinstance(body, dict):
        raise unprocessable("the body must be a JSON object: a credential, {\"url\": ...} or {\"urls\": [...]}")
    if set(body) <= {"url", "urls"} and body:
        urls = ([body["url"]] if "url" in body else []) + list(body.get("urls") or [])
        if not urls or not all(isinstance(u, str) and u.startswith(("https://", "http://")) for u in urls):
            raise unprocessable("url and urls must be http(s) URLs", "invalid-field")
        return [Item(u, u.encode()) for u in urls]
    if set(body) == {"credential"} or set(body) == {"verifiableCredential"}:
        document = next(iter(body.values()))
        if isinstance(document, str):
            return [Item("credential", document.encode())]
        if not isinstance(document, dict):
            raise unprocessable("credential must be a JSON object or a JWT")
        from flask import json
        return [Item("credential", json.dumps(document, sort_keys=True, ensure_ascii=False).encode())]
    return [Item("credential", request.get_data())]  # the credential itself: kept byte for byte


def _form_items(files: list[Any], urls: str) -> list[Item]:
    try:
        return items_from_form(files, urls)
    except NotWebAddresses:
        raise unprocessable("url and urls must be http(s) URLs", "invalid-field") from None


@bp.post("/candidates/<int:candidate_id>/credentials")
@require("write")
def add_credentials(candidate_id: int):
    session = db.session()
    get_or_404(session, Candidate, candidate_id, "candidate")
    session.close()
    app = current_app._get_current_object()
    try:
        items = expand(app, _upload_items())
    except UploadError as exc:
        raise unprocessable(str(exc), "bad-upload") from None
    if not items:
        raise unprocessable("the upload holds no credential", "bad-upload")
    actor = audit.current_actor()
    if len(items) > int(app.config["SYNC_INGEST_MAX"]) or bool_arg("background"):
        return accepted(jobs.start(app, "ingest", candidate_id=candidate_id, actor=actor, items=items))
    results, problems = [], []
    for item in items:
        outcome = ingest_one(app, candidate_id, item, actor=actor)
        if outcome.status == "rejected":
            problems.append({**(outcome.problem or {}), "source": item.name, "report": outcome.report})
            continue
        with db.get_db().session() as s:
            c = s.get(Credential, outcome.credential_id)
            latest = s.scalars(select(VerificationReport).where(VerificationReport.credential_id == c.id)
                               .order_by(VerificationReport.id.desc()).limit(1)).first()
            ev = s.scalars(select(Evidence).where(Evidence.credential_id == c.id).order_by(Evidence.id)).all()
            results.append(serialize.credential(c, report=latest, evidence_rows=ev, status=outcome.status))
    if not results:
        first = problems[0]
        raise Problem(first.get("status", 422), "Not a credential", first.get("detail", ""),
                      "not-a-credential", errors=problems)
    status = 201 if any(r["status"] == "created" for r in results) else 200
    return {"credentials": results, "errors": problems}, status


@bp.get("/candidates/<int:candidate_id>/credentials")
@require("read")
def list_credentials(candidate_id: int):
    session = db.session()
    get_or_404(session, Candidate, candidate_id, "candidate")
    return {"credentials": candidates.credentials_view(session, candidate_id)}


@bp.post("/candidates/<int:candidate_id>/reverify")
@require("write")
def reverify_candidate(candidate_id: int):
    session = db.session()
    get_or_404(session, Candidate, candidate_id, "candidate")
    ids = candidates.credential_ids(session, candidate_id)
    session.close()
    app = current_app._get_current_object()
    actor = audit.current_actor()
    if len(ids) > int(app.config["SYNC_INGEST_MAX"]) or bool_arg("background"):
        return accepted(jobs.start(app, "reverify", candidate_id=candidate_id, actor=actor, credential_ids=ids))
    for credential_id in ids:
        reverify_one(app, credential_id, actor=actor)
    with db.get_db().session() as s:
        return {"credentials": candidates.credentials_view(s, candidate_id)}
