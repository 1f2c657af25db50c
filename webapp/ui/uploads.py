"""Upload: files (many, or a ZIP) or pasted URLs for a new or existing candidate, verified by a
background job whose results the page shows as they land."""
from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template, request, url_for, redirect
from sqlalchemy import select

from .. import audit, db, jobs, web_auth
from ..candidates import candidate_values, latest_reports
from ..ingestion import NotWebAddresses, UploadError, expand, items_from_form
from ..models import Candidate, Credential, Job, JobItem
from ..problems import Problem
from ..web_auth import EDITORS, HIRING_MANAGER, RECRUITER
from . import bp


def _candidates_for_select() -> list[tuple[int, str]]:
    rows = db.session().execute(select(Candidate.id, Candidate.name, Candidate.email)
                                .order_by(Candidate.name, Candidate.id).limit(2000))
    return [(cid, f"{name or 'Unnamed'}" + (f" <{email}>" if email else "")) for cid, name, email in rows]


def _form_page(form: dict[str, Any], error: str | None = None, status: int = 200):
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return render_template("upload.html", form=form, error=error, candidates=_candidates_for_select(),
                           limit_bytes=limit, limit_mb=max(1, round(limit / (1024 * 1024))) if limit else None), status


@bp.get("/upload")
@web_auth.role_required(*EDITORS)
def upload():
    chosen = request.args.get("candidate", "")
    form = {"candidate": chosen if chosen.isdecimal() else "new", "name": "", "email": "", "urls": ""}
    return _form_page(form)


@bp.post("/upload")
@web_auth.role_required(*EDITORS)
def upload_post():
    app = current_app._get_current_object()
    form = {k: request.form.get(k, "") for k in ("candidate", "name", "email", "urls")}
    try:
        items = items_from_form(request.files.getlist("files"), form["urls"])
    except NotWebAddresses as exc:
        return _form_page(form, f"These are not web addresses (http:// or https://): {', '.join(exc.urls[:5])}",
                          422)
    if not items:
        return _form_page(form, "Choose badge files, drop them on the page, or paste their web addresses.", 422)
    session = db.session()
    new_candidate: dict[str, Any] | None = None
    candidate_id: int | None = None
    if form["candidate"] == "new":
        try:
            new_candidate = candidate_values({"name": form["name"], "email": form["email"] or None}, partial=False)
        except Problem as problem:
            return _form_page(form, f"New candidate: {problem.detail}.", 422)
    else:
        try:
            candidate_id = int(form["candidate"])
        except ValueError:
            return _form_page(form, "Choose a candidate, or a new one.", 422)
        if session.get(Candidate, candidate_id) is None:
            return _form_page(form, "That candidate no longer exists.", 422)
    try:
        items = expand(app, items)
    except UploadError as exc:
        return _form_page(form, f"The upload cannot be read: {exc}.", 422)
    if not items:
        return _form_page(form, "The upload holds no badge (a ZIP should contain .json, .png, .svg or .jwt files).",
                          422)
    actor = audit.current_actor()
    with db.get_db().transaction() as tx:
        if new_candidate is not None:
            person = Candidate(**new_candidate)
            tx.add(person)
            tx.flush()
            audit.record(tx, "candidate.create", f"candidate:{person.id}", actor=actor)
            candidate_id = person.id
        job = jobs.create_job(tx, "ingest", candidate_id=candidate_id, actor=actor, items=items)
        job_id = job.id
    jobs.submit(app, job_id)
    return redirect(url_for("ui.job", job_id=job_id), code=303)


def job_view(job_id: int) -> dict[str, Any]:
    session = db.session()
    job = session.get(Job, job_id)
    if job is None:
        abort(404)
    items = session.scalars(select(JobItem).where(JobItem.job_id == job_id).order_by(JobItem.position)).all()
    ids = [i.credential_id for i in items if i.credential_id]
    credentials = {c.id: c for c in session.scalars(select(Credential).where(Credential.id.in_(ids)))} if ids else {}
    reports = {cid: r.report or {} for cid, r in latest_reports(session, ids).items()}
    results = []
    for item in items:
        credential = credentials.get(item.credential_id) if item.credential_id else None
        report = reports.get(item.credential_id, {}) if credential else {}
        results.append({"item": item, "credential": credential,
                        "problems": [c for c in report.get("checks") or [] if c.get("outcome") in ("failed", "warning")]})
    candidate = session.get(Candidate, job.candidate_id) if job.candidate_id else None
    counts: dict[str, int] = {}
    for r in results:
        key = r["credential"].verdict if r["credential"] else ("failed" if r["item"].status == "failed" else None)
        if key:
            counts[key] = counts.get(key, 0) + 1
    return {"job": job, "results": results, "candidate": candidate, "counts": counts,
            "finished": job.status in jobs.FINAL, "processed": job.succeeded + job.failed}


@bp.get("/uploads/<int:job_id>")
@web_auth.role_required(RECRUITER, HIRING_MANAGER)
def job(job_id: int):
    return render_template("job.html", **job_view(job_id))


@bp.get("/uploads/<int:job_id>/results")
@web_auth.role_required(RECRUITER, HIRING_MANAGER)
def job_results(job_id: int):
    """The results part of the job page, for the page's script to fetch while the job runs."""
    return render_template("_job_results.html", **job_view(job_id))
