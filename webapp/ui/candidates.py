"""Candidates: the list, one candidate's credentials, checks and skills, editing and erasing."""
from __future__ import annotations

import base64
import binascii
from collections import Counter
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select

from .. import audit, db, jobs, web_auth
from .. import candidates as candidate_service
from ..ingestion import reverify_one
from ..models import Candidate, Credential, Job, VerificationReport
from ..problems import Problem
from ..web_auth import EDITORS, HIRING_MANAGER, RECRUITER
from . import bp, get_or_404

PAGE = 50
MAX_OFFSET = 2**31 - 1  # a row offset the database can take
VIEWERS = (RECRUITER, HIRING_MANAGER)
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF87a": "image/gif",
                b"GIF89a": "image/gif"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024


@bp.get("/candidates")
@web_auth.role_required(*VIEWERS)
def candidates():
    session = db.session()
    q = request.args.get("q", "").strip()[:200]
    try:
        offset = min(MAX_OFFSET, max(0, int(request.args.get("offset", 0))))
    except ValueError:
        offset = 0
    query = select(Candidate)
    if q:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        query = query.where(or_(Candidate.name.ilike(like), Candidate.email.ilike(like),
                                Candidate.external_id.ilike(like)))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(Candidate.name, Candidate.id).limit(PAGE).offset(offset)).all()
    counts: dict[int, Counter] = {}
    if rows:
        for cid, verdict, n in session.execute(
                select(Credential.candidate_id, Credential.verdict, func.count(Credential.id))
                .where(Credential.candidate_id.in_([c.id for c in rows]))
                .group_by(Credential.candidate_id, Credential.verdict)):
            counts.setdefault(cid, Counter())[verdict] += n
    return render_template("candidates.html", rows=rows, counts=counts, q=q, total=total, offset=offset,
                           page=PAGE)


def skills_view(credentials: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each skill the candidate's credentials evidence, strongest first, with every source."""
    skills: dict[str, dict[str, Any]] = {}
    for credential in credentials:
        for e in credential.get("evidence") or []:
            entry = skills.setdefault(e["skill_uri"], {"uri": e["skill_uri"], "label": e["skill_label"] or e["skill_uri"],
                                                       "confidence": 0.0, "verified": False, "sources": []})
            counts = credential["verified"]
            entry["sources"].append({"credential": credential, "confidence": e["confidence"], "reason": e["reason"],
                                     "field": (e.get("signal") or {}).get("field", ""),
                                     "text": (e.get("signal") or {}).get("text", ""),
                                     "hierarchy": e.get("hierarchy"), "counts": counts})
            if counts and e["confidence"] > entry["confidence"]:
                entry["confidence"] = e["confidence"]
            entry["verified"] = entry["verified"] or counts
    for entry in skills.values():
        entry["sources"].sort(key=lambda s: (not s["counts"], -s["confidence"]))
        entry["direct"] = any(not s["hierarchy"] for s in entry["sources"])
    return sorted(skills.values(), key=lambda s: (not s["verified"], not s["direct"], -s["confidence"],
                                                  s["label"].lower()))


@bp.get("/candidates/<int:candidate_id>")
@web_auth.role_required(*VIEWERS)
def candidate(candidate_id: int):
    session = db.session()
    person = get_or_404(Candidate, candidate_id)
    credentials = candidate_service.credentials_view(session, candidate_id)
    for credential in credentials:
        report = credential.get("report") or {}
        credential["summary"] = report.get("credential") or {}
        credential["checks"] = report.get("checks") or []
        credential["problems"] = [c for c in credential["checks"] if c.get("outcome") in ("failed", "warning")]
    jobs_running = session.scalars(select(Job).where(Job.candidate_id == candidate_id,
                                                     Job.status.in_(("queued", "running")))).all()
    return render_template("candidate.html", candidate=person, credentials=credentials,
                           skills=skills_view(credentials), jobs_running=jobs_running)


@bp.route("/candidates/<int:candidate_id>/edit", methods=["GET", "POST"])
@web_auth.role_required(*EDITORS)
def edit_candidate(candidate_id: int):
    session = db.session()
    person = get_or_404(Candidate, candidate_id)
    error = None
    form = {"name": person.name, "email": person.email or "", "external_id": person.external_id or ""}
    if request.method == "POST":
        form = {k: request.form.get(k, "") for k in ("name", "email", "external_id")}
        try:
            values = candidate_service.candidate_values(
                {k: (v if v.strip() or k == "name" else None) for k, v in form.items()}, partial=True)
            candidate_service.update_candidate(session, person, values)
        except Problem as problem:
            error = problem.detail
        else:
            session.commit()
            flash("Saved.", "success")
            return redirect(url_for("ui.candidate", candidate_id=candidate_id))
    return render_template("candidate_edit.html", candidate=person, form=form, error=error), (422 if error else 200)


@bp.post("/candidates/<int:candidate_id>/delete")
@web_auth.role_required(*EDITORS)
def delete_candidate(candidate_id: int):
    """Erase the candidate with their credentials, reports, evidence and upload jobs."""
    session = db.session()
    person = get_or_404(Candidate, candidate_id)
    name = person.name
    credential_count = candidate_service.erase_candidate(session, person)
    session.commit()
    flash(f"{name or 'The candidate'} and their {credential_count} credential(s) were erased.", "success")
    return redirect(url_for("ui.candidates"))


@bp.post("/candidates/<int:candidate_id>/reverify")
@web_auth.role_required(*EDITORS)
def reverify_candidate(candidate_id: int):
    session = db.session()
    get_or_404(Candidate, candidate_id)
    ids = candidate_service.credential_ids(session, candidate_id)
    session.close()
    app = current_app._get_current_object()
    actor = audit.current_actor()
    if len(ids) > int(app.config["SYNC_INGEST_MAX"]):
        job = jobs.start(app, "reverify", candidate_id=candidate_id, actor=actor, credential_ids=ids)
        return redirect(url_for("ui.job", job_id=job["id"]))
    verdicts = Counter(_verdict(reverify_one(app, cid, actor=actor)) for cid in ids)
    flash("Re-verified now: " + (", ".join(f"{n} {v}" for v, n in sorted(verdicts.items())) or "no credentials"),
          "success")
    return redirect(url_for("ui.candidate", candidate_id=candidate_id))


def _verdict(outcome) -> str:
    if outcome.status == "rejected":
        return (outcome.problem or {}).get("title", "not verified")
    return (outcome.report or {}).get("verdict", outcome.status)


@bp.post("/credentials/<int:credential_id>/reverify")
@web_auth.role_required(*EDITORS)
def reverify_credential(credential_id: int):
    candidate_id = get_or_404(Credential, credential_id).candidate_id
    db.session().close()
    outcome = reverify_one(current_app._get_current_object(), credential_id, actor=audit.current_actor())
    flash(f"Re-verified now: {_verdict(outcome)}.", "success")
    return redirect(url_for("ui.candidate", candidate_id=candidate_id) + f"#credential-{credential_id}")


@bp.post("/credentials/<int:credential_id>/delete")
@web_auth.role_required(*EDITORS)
def delete_credential(credential_id: int):
    session = db.session()
    credential = get_or_404(Credential, credential_id)
    candidate_id = credential.candidate_id
    session.delete(credential)
    audit.record(session, "credential.delete", f"candidate:{candidate_id}", credential=credential_id)
    session.commit()
    flash("The credential was deleted.", "success")
    return redirect(url_for("ui.candidate", candidate_id=candidate_id))


@bp.get("/credentials/<int:credential_id>/image")
@web_auth.role_required(*VIEWERS)
def credential_image(credential_id: int):
    """Our stored copy of the badge's image (a baked badge is its own image, or an image carried
    inside the credential as a data: URI); else a placeholder. Never fetched from another host."""
    session = db.session()
    row = session.execute(select(Credential.raw).where(Credential.id == credential_id)).first()
    if row is None:
        abort(404)
    raw: bytes = row[0]
    found = _image_of(raw)
    if found is None:
        report = session.scalars(select(VerificationReport.report).where(
            VerificationReport.credential_id == credential_id).order_by(VerificationReport.id.desc()).limit(1)).first()
        image = (((report or {}).get("credential") or {}).get("achievement") or {}).get("image")
        if isinstance(image, dict):
            image = image.get("id")
        if isinstance(image, str) and image.startswith("data:image/"):
            found = _data_uri_image(image)
    if found is None:
        return redirect(url_for("static", filename="badge-placeholder.svg"))
    data, mimetype = found
    response = Response(data, mimetype=mimetype)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response.headers["Content-Disposition"] = "inline"
    return response


def _image_of(data: bytes) -> tuple[bytes, str] | None:
    if len(data) > MAX_IMAGE_BYTES * 5:
        return None
    for magic, mimetype in _IMAGE_MAGIC.items():
        if data.startswith(magic):
            return data, mimetype
    head = data[:1024].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return data, "image/svg+xml"
    return None


def _data_uri_image(uri: str) -> tuple[bytes, str] | None:
    header, _, payload = uri.partition(",")
    if not header.endswith(";base64") or len(payload) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        return None
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return None
    found = _image_of(data)
    return found if found is not None and found[1] != "image/svg+xml" else None
