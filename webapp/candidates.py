"""Candidates: what a candidate's fields may hold, their credentials as shown, and updating and
erasing a candidate with the audit entry. The JSON API and the web pages both go through here."""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit, serialize
from .models import Candidate, Credential, Evidence, Job, VerificationReport, utc_now
from .problems import Problem, unprocessable

_FIELDS = {"name": 300, "email": 320, "external_id": 200, "photo_url": 2000}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def candidate_values(body: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """The checked and trimmed candidate fields of ``body``; a name is required unless ``partial``."""
    unknown = set(body) - set(_FIELDS)
    if unknown:
        raise unprocessable(f"unknown fields: {', '.join(sorted(unknown))}", "unknown-field")
    values: dict[str, Any] = {}
    for field, limit in _FIELDS.items():
        if field not in body:
            continue
        value = body[field]
        if value is None and field != "name":
            values[field] = None
            continue
        if not isinstance(value, str):
            raise unprocessable(f"{field} must be a string", "invalid-field", field=field)
        value = value.strip()
        if len(value) > limit:
            raise unprocessable(f"{field} is longer than {limit} characters", "invalid-field", field=field)
        if field == "email" and value and not _EMAIL.match(value):
            raise unprocessable("email is not an email address", "invalid-field", field=field)
        if field == "photo_url" and value and not value.startswith(("https://", "http://")):
            raise unprocessable("photo_url must be an http(s) URL", "invalid-field", field=field)
        values[field] = value or (None if field != "name" else "")
    if not partial and not values.get("name"):
        raise unprocessable("a candidate needs a name", "invalid-field", field="name")
    if partial and "name" in values and not values["name"]:
        raise unprocessable("name cannot be empty", "invalid-field", field="name")
    return values


def credentials_view(session: Session, candidate_id: int, with_reports: bool = False) -> list[dict[str, Any]]:
    """The candidate's credentials as the API shows them, each with its latest report and evidence."""
    creds = session.scalars(select(Credential).where(Credential.candidate_id == candidate_id)
                            .order_by(Credential.id)).all()
    ids = [c.id for c in creds]
    evidence: dict[int, list[Evidence]] = {}
    latest: dict[int, VerificationReport] = {}
    if ids:
        for e in session.scalars(select(Evidence).where(Evidence.credential_id.in_(ids)).order_by(Evidence.id)):
            evidence.setdefault(e.credential_id, []).append(e)
        latest = latest_reports(session, ids)
    every: dict[int, list[VerificationReport]] = {}
    if with_reports and ids:
        for r in session.scalars(select(VerificationReport).where(VerificationReport.credential_id.in_(ids))
                                 .order_by(VerificationReport.id)):
            every.setdefault(r.credential_id, []).append(r)
    out = []
    for c in creds:
        reports = every.get(c.id, []) if with_reports else None
        out.append(serialize.credential(c, report=latest.get(c.id), evidence_rows=evidence.get(c.id, []),
                                        reports=reports))
    return out


def latest_reports(session: Session, ids: list[int]) -> dict[int, VerificationReport]:
    """The newest verification report of each of these credentials, in one query."""
    if not ids:
        return {}
    newest = (select(func.max(VerificationReport.id)).where(VerificationReport.credential_id.in_(ids))
              .group_by(VerificationReport.credential_id))
    return {r.credential_id: r for r in session.scalars(select(VerificationReport)
                                                          .where(VerificationReport.id.in_(newest)))}


def credential_ids(session: Session, candidate_id: int) -> list[int]:
    return list(session.scalars(select(Credential.id).where(Credential.candidate_id == candidate_id)
                                .order_by(Credential.id)))


def external_id_conflict() -> Problem:
    """409: another candidate has this external id."""
    return Problem(409, "Conflict", "a candidate with this external_id exists", "conflict")


def update_candidate(session: Session, candidate: Candidate, values: dict[str, Any]) -> None:
    """``candidate`` given checked ``values``, audited; the caller commits. When another candidate
    has the external id (also one saved concurrently), the session is rolled back and
    ``external_id_conflict`` raised."""
    for field, value in values.items():
        setattr(candidate, field, value)
    candidate.updated_at = utc_now()
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise external_id_conflict() from None
    audit.record(session, "candidate.update", f"candidate:{candidate.id}", fields=sorted(values))


def erase_candidate(session: Session, candidate: Candidate) -> int:
    """Erase the candidate's personal data, credentials, reports, evidence and upload jobs, audited;
    the number of credentials erased. The caller commits."""
    candidate_id = candidate.id
    credential_count = session.scalar(select(func.count(Credential.id))
                                      .where(Credential.candidate_id == candidate_id))
    job_ids = list(session.scalars(select(Job.id).where(Job.candidate_id == candidate_id)))
    if job_ids:
        session.execute(delete(Job).where(Job.id.in_(job_ids)))
    session.delete(candidate)
    audit.record(session, "candidate.erase", f"candidate:{candidate_id}", credentials=credential_count,
                 jobs=len(job_ids))
    return credential_count
