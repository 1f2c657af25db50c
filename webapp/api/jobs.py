"""Progress of background jobs."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from .. import audit, db
from .. import jobs as job_service
from ..auth import require
from ..models import Job, JobItem
from . import accepted, bool_arg, bp, get_or_404


@bp.get("/jobs/<int:job_id>")
@require("read")
def get_job(job_id: int):
    session = db.session()
    job = get_or_404(session, Job, job_id, "job")
    items = None
    if bool_arg("items", True):
        items = session.scalars(select(JobItem).where(JobItem.job_id == job_id).order_by(JobItem.position)).all()
    return job_service.job_dict(job, items)


@bp.post("/reverify")
@require("write")
def reverify_all():
    """Re-verify every stored credential in the background (status lists change)."""
    with db.get_db().transaction() as tx:
        body = job_service.job_dict(job_service.reverify_job(tx, None, audit.current_actor()))
    job_service.submit(current_app._get_current_object(), body["id"])
    return accepted(body)
