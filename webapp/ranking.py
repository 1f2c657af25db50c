"""Shortlists: stored evidence handed to ``matcher.rank``, and the rows explained.

Only direct evidence is read: ranking gives hierarchy credit itself from the taxonomy's broader
links, the same way for every role, so the matcher's stored hierarchy rows would only repeat it."""
from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher import EvidenceItem, RequirementSpec, VerificationPolicy, rank

from . import serialize
from .models import Candidate, Credential, Evidence, Role
from .skills import descendants, service as skill_service
from .trust import issuer_trust

_CHUNK = 5000


def _chunks(values: list[str]):
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def shortlist(app: Flask, session: Session, role: Role, *, limit: int, offset: int, verified_only: bool,
              blind: bool, min_score: float, top_n: int | None = None) -> dict[str, Any]:
    taxonomy = skill_service(app).taxonomy()
    specs = [RequirementSpec(q.skill_uri, q.skill_label, q.weight, q.must_have) for q in role.requirements]
    wanted: set[str] = set()
    for spec in specs:
        wanted.add(spec.skill_uri)
        wanted |= descendants(taxonomy, spec.skill_uri)
    trust = issuer_trust(app)
    lists = trust.configured
    unknown = trust.assess(None)
    # The hot path reads one covering index (see models.Evidence); the issuer only when trust
    # lists make it matter.
    columns = [Evidence.id, Evidence.candidate_id, Evidence.credential_id, Evidence.skill_uri, Evidence.confidence,
               Evidence.verdict, Evidence.issued_ts, Evidence.expires_ts]
    if lists:
        columns.append(Credential.issuer_id)
    items: list[EvidenceItem] = []
    append = items.append
    for chunk in _chunks(sorted(wanted)):
        query = select(*columns).where(Evidence.skill_uri.in_(chunk), Evidence.hierarchy.is_(False))
        if lists:
            query = query.join(Credential, Credential.id == Evidence.credential_id)
        rows = session.execute(query)
        if lists:
            assess = trust.assess
            for eid, cid, crid, skill, confidence, verdict, issued, until, issuer in rows:
                factor, trusted, _label = assess(issuer)
                append(EvidenceItem(cid, crid, skill, confidence, verdict, issued, until, factor, trusted, eid))
        else:
            factor, trusted, _label = unknown
            for eid, cid, crid, skill, confidence, verdict, issued, until in rows:
                append(EvidenceItem(cid, crid, skill, confidence, verdict, issued, until, factor, trusted, eid))
    candidate_ids = list(session.scalars(select(Candidate.id).order_by(Candidate.id)))
    policy = VerificationPolicy.from_dict(role.verification_policy)
    n = top_n or role.top_n
    ranking = rank(specs, items, candidates=candidate_ids, policy=policy, must_have_policy=role.must_have_policy,
                   verified_only=verified_only, min_score=min_score, top_n=n,
                   ancestors=lambda uri: taxonomy.ancestors(uri))
    page = ranking.rows[offset:offset + limit]
    applied = {"must_have_policy": role.must_have_policy, "verification_policy": policy.to_dict(),
               "verified_only": verified_only, "min_score": min_score, "blind": blind, "role_version": role.version}
    explained = [(row, ranking.explain(row)) for row in page]
    details = _details(session, explained, blind)
    cutoff = ranking.cutoff
    return {
        "role": {"id": role.id, "title": role.title, "version": role.version},
        "policy": applied,
        "total": len(ranking.rows), "excluded": len(ranking.excluded), "limit": limit, "offset": offset,
        "top_n": n, "cutoff_score": cutoff.score if cutoff else None,
        "rows": [_row(row, explanation, details, applied, trust, taxonomy, blind) for row, explanation in explained],
    }


def _details(session: Session, explained, blind: bool) -> dict[str, dict]:
    evidence_ids, credential_ids, candidate_ids = set(), set(), set()
    for row, explanation in explained:
        candidate_ids.add(row.candidate_id)
        for coverage in explanation.coverage:
            if coverage.evidence is not None:
                evidence_ids.add(coverage.evidence.evidence_id)
                credential_ids.add(coverage.evidence.credential_id)
    out: dict[str, dict] = {"evidence": {}, "credentials": {}, "candidates": {}}
    if evidence_ids:
        out["evidence"] = {e.id: e for e in session.scalars(select(Evidence).where(Evidence.id.in_(evidence_ids)))}
    if credential_ids:
        out["credentials"] = {c.id: c for c in session.execute(
            select(Credential.id, Credential.achievement_name, Credential.issuer_id, Credential.issuer_name,
                   Credential.format).where(Credential.id.in_(credential_ids)))}
    if candidate_ids and not blind:
        out["candidates"] = {c.id: c for c in session.scalars(select(Candidate).where(Candidate.id.in_(candidate_ids)))}
    return out


def _label(taxonomy, uri: str) -> str:
    skill = taxonomy.skill(uri)
    return skill.label if skill else ""


def _row(row, explanation, details, applied, trust, taxonomy, blind: bool) -> dict[str, Any]:
    if blind:
        candidate: dict[str, Any] = {"id": row.candidate_id}
    else:
        c = details["candidates"].get(row.candidate_id)
        candidate = serialize.candidate(c) if c is not None else {"id": row.candidate_id}
        for key in ("created_at", "updated_at"):
            candidate.pop(key, None)
    requirements = []
    for coverage in explanation.coverage:
        spec = coverage.requirement
        entry: dict[str, Any] = {"skill": spec.skill_uri, "label": spec.label, "weight": spec.weight,
                                 "must_have": spec.must_have, "covered": coverage.covered,
                                 "strength": coverage.strength, "contribution": coverage.contribution,
                                 "evidence": None}
        item = coverage.evidence
        if item is not None:
            ev = details["evidence"].get(item.evidence_id)
            cred = details["credentials"].get(item.credential_id)
            _factor, _trusted, trust_label = trust.assess(cred.issuer_id if cred else None)
            entry["evidence"] = {
                "credential_id": item.credential_id,
                "achievement": cred.achievement_name if cred else None,
                "issuer": {"id": cred.issuer_id, "name": cred.issuer_name, "trust": trust_label,
                           "factor": item.issuer_trust} if cred else None,
                "skill": item.skill_uri, "skill_label": ev.skill_label if ev else "",
                "signal": {"field": ev.signal_field, "text": ev.signal_text} if ev else None,
                "reason": ev.reason if ev else "",
                "confidence": item.confidence, "verdict": item.verdict, "standing": coverage.standing,
                "recency": round(coverage.recency, 4),
                "hierarchy": ({"depth": coverage.hierarchy_depth, "via": item.skill_uri,
                               "via_label": _label(taxonomy, item.skill_uri)}
                              if coverage.hierarchy_depth else None),
            }
        requirements.append(entry)
    move = explanation.move_up
    return {
        "rank": row.rank, "candidate": candidate, "score": round(row.score, 6),
        "must_haves_met": row.must_haves_met, "policy": applied,
        "requirements": requirements,
        "gaps": [{"skill": g.requirement.skill_uri, "label": g.requirement.label, "must_have": g.requirement.must_have,
                  "kind": g.kind, "detail": g.detail} for g in explanation.gaps],
        "move_up": None if move is None else {
            "target_rank": move.target_rank, "score_to_beat": move.target_score, "score_after": move.score_after,
            "reachable": move.reachable,
            "requirements": [{"skill": r.skill_uri, "label": r.label, "must_have": r.must_have}
                             for r in move.requirements]},
    }
