"""What the API shows of stored rows."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from .models import Candidate, Credential, Evidence, Role, VerificationReport

VERIFIED = ("valid", "valid-with-warnings")


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def candidate(c: Candidate, *, credential_count: int | None = None) -> dict[str, Any]:
    out = {"id": c.id, "external_id": c.external_id, "name": c.name, "email": c.email,
           "photo_url": c.photo_url, "created_at": iso(c.created_at), "updated_at": iso(c.updated_at)}
    if credential_count is not None:
        out["credential_count"] = credential_count
    return out


def evidence(e: Evidence) -> dict[str, Any]:
    return {"skill_uri": e.skill_uri, "skill_label": e.skill_label, "confidence": e.confidence,
            "reason": e.reason, "signal": {"field": e.signal_field, "text": e.signal_text},
            "hierarchy": e.hierarchy, "via": e.via or None}


def credential(c: Credential, *, report: VerificationReport | dict[str, Any] | None = None,
               evidence_rows: list[Evidence] | None = None, reports: list[VerificationReport] | None = None,
               status: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id, "candidate_id": c.candidate_id, "sha256": c.sha256, "source": c.source, "format": c.format,
        "verdict": c.verdict, "verified": c.verdict in VERIFIED,
        "issuer": {"id": c.issuer_id, "name": c.issuer_name}, "achievement": {"name": c.achievement_name},
        "issued": iso(c.issued_at), "valid_until": iso(c.valid_until), "verified_at": iso(c.verified_at),
        "created_at": iso(c.created_at)}
    if status is not None:
        out["status"] = status
    if report is not None:
        out["report"] = report.report if isinstance(report, VerificationReport) else report
    if reports is not None:
        out["reports"] = [{"id": r.id, "checked_at": iso(r.checked_at), "verdict": r.verdict} for r in reports]
    if evidence_rows is not None:
        out["evidence"] = [evidence(e) for e in evidence_rows]
    return out


def role(r: Role) -> dict[str, Any]:
    return {"id": r.id, "title": r.title, "description": r.description, "occupation": r.occupation_uri,
            "must_have_policy": r.must_have_policy, "verification_policy": r.verification_policy,
            "top_n": r.top_n, "version": r.version, "created_at": iso(r.created_at), "updated_at": iso(r.updated_at),
            "requirements": [{"skill": q.skill_uri, "label": q.skill_label, "weight": q.weight,
                              "must_have": q.must_have} for q in r.requirements]}
