"""Roles: what a role's fields may hold, and creating and replacing roles with their audit
entries. The JSON API, the web pages and the demo all go through here."""
from __future__ import annotations

import math
from typing import Any

from sqlalchemy.orm import Session

from matcher import MUST_HAVE_POLICIES, VerificationPolicy

from . import audit
from .models import Role, RoleRequirement, utc_now
from .problems import unprocessable
from .skills import service as skill_service

MAX_REQUIREMENTS = 200
_ROLE_FIELDS = {"title", "description", "occupation", "requirements", "must_have_policy",
                "verification_policy", "top_n", "essential_as_must_have"}
DEFAULT_POLICY = {"must_have": {"min_standing": "valid-with-warnings", "trusted_issuer": False},
                  "nice_to_have": {"min_standing": "indeterminate", "trusted_issuer": False}}


def _resolve_skill(taxonomy, skill_matcher, text: str) -> tuple[str, str] | None:
    skill = taxonomy.skill(text)
    if skill is not None:
        return skill.uri, skill.label
    uri = skill_matcher.lookup_id(text)
    if uri:
        return uri, taxonomy.skill(uri).label
    matches = skill_matcher.match(text, limit=1)
    if matches and matches[0].confidence >= 0.9:
        return matches[0].uri, matches[0].label
    return None


def role_values(body: dict[str, Any]) -> dict[str, Any]:
    unknown = set(body) - _ROLE_FIELDS
    if unknown:
        raise unprocessable(f"unknown fields: {', '.join(sorted(unknown))}", "unknown-field")
    title = body.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 300:
        raise unprocessable("a role needs a title (a string of at most 300 characters)", "invalid-field", field="title")
    description = body.get("description", "")
    if not isinstance(description, str):
        raise unprocessable("description must be a string", "invalid-field", field="description")
    must_have_policy = body.get("must_have_policy", "rank_below")
    if must_have_policy not in MUST_HAVE_POLICIES:
        raise unprocessable(f"must_have_policy must be one of {', '.join(MUST_HAVE_POLICIES)}", "invalid-field",
                            field="must_have_policy")
    try:
        policy = VerificationPolicy.from_dict(body.get("verification_policy") or DEFAULT_POLICY).to_dict()
    except (ValueError, TypeError, AttributeError) as exc:
        raise unprocessable(f"verification_policy: {exc}", "invalid-field", field="verification_policy") from None
    top_n = body.get("top_n", 10)
    if not isinstance(top_n, int) or isinstance(top_n, bool) or not 1 <= top_n <= 1000:
        raise unprocessable("top_n must be an integer from 1 to 1000", "invalid-field", field="top_n")
    essential_as_must = body.get("essential_as_must_have", False)
    if not isinstance(essential_as_must, bool):
        raise unprocessable("essential_as_must_have must be true or false", "invalid-field")

    service = skill_service()
    taxonomy = service.taxonomy()
    skill_matcher = service.matcher()
    requirements: dict[str, dict[str, Any]] = {}
    occupation_uri = body.get("occupation")
    if occupation_uri is not None:
        if not isinstance(occupation_uri, str) or not occupation_uri.strip():
            raise unprocessable("occupation must be a taxonomy occupation URI or title", "invalid-field")
        occupation = taxonomy.role(occupation_uri)
        if occupation is None:
            hits = taxonomy.search_occupations(occupation_uri, limit=1)
            occupation = hits[0].role if hits and hits[0].score >= 0.9 else None
        if occupation is None:
            raise unprocessable(f"no occupation {occupation_uri!r} in the taxonomy", "unknown-occupation")
        occupation_uri = occupation.uri
        for req in occupation.requirements:
            skill = taxonomy.skill(req.skill_uri)
            if skill is None:
                continue
            requirements[skill.uri] = {"skill_uri": skill.uri, "skill_label": skill.label, "weight": req.weight,
                                       "must_have": req.essential and essential_as_must}
    given = body.get("requirements", [])
    if not isinstance(given, list):
        raise unprocessable("requirements must be a list", "invalid-field", field="requirements")
    unresolved = []
    for n, req in enumerate(given):
        if isinstance(req, str):
            req = {"skill": req}
        if not isinstance(req, dict) or set(req) - {"skill", "weight", "must_have"} or "skill" not in req:
            raise unprocessable(f"requirements[{n}] must be {{skill, weight, must_have}}", "invalid-field")
        text, weight, must = req["skill"], req.get("weight", 1.0), req.get("must_have", False)
        if not isinstance(text, str) or not text.strip():
            raise unprocessable(f"requirements[{n}].skill must be a skill URI or name", "invalid-field")
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight) \
                or not 0 < weight <= 100:
            raise unprocessable(f"requirements[{n}].weight must be a number above 0 and at most 100", "invalid-field")
        if not isinstance(must, bool):
            raise unprocessable(f"requirements[{n}].must_have must be true or false", "invalid-field")
        resolved = _resolve_skill(taxonomy, skill_matcher, text.strip())
        if resolved is None:
            unresolved.append(text)
            continue
        requirements[resolved[0]] = {"skill_uri": resolved[0], "skill_label": resolved[1], "weight": float(weight),
                                     "must_have": must}
    if unresolved:
        raise unprocessable("these skills are not in the taxonomy: " + ", ".join(map(repr, unresolved)),
                            "unknown-skill", skills=unresolved)
    if not requirements:
        raise unprocessable("a role needs at least one requirement (or an occupation that has some)",
                            "invalid-field", field="requirements")
    if len(requirements) > MAX_REQUIREMENTS:
        raise unprocessable(f"a role has at most {MAX_REQUIREMENTS} requirements", "invalid-field")
    return {"title": title.strip(), "description": description, "occupation_uri": occupation_uri,
            "must_have_policy": must_have_policy, "verification_policy": policy, "top_n": top_n,
            "requirements": list(requirements.values())}


def _apply_values(role: Role, values: dict[str, Any]) -> None:
    for key in ("title", "description", "occupation_uri", "must_have_policy", "verification_policy", "top_n"):
        setattr(role, key, values[key])
    role.requirements = [RoleRequirement(position=n, **req) for n, req in enumerate(values["requirements"])]


def create_role(session: Session, values: dict[str, Any], *, actor: str | None = None) -> Role:
    """A new role from checked ``values``, added and audited; the caller commits."""
    role = Role(version=1)
    _apply_values(role, values)
    session.add(role)
    session.flush()
    audit.record(session, "role.create", f"role:{role.id}", actor=actor, requirements=len(values["requirements"]))
    return role


def replace_role(session: Session, role: Role, values: dict[str, Any]) -> None:
    """``role`` rewritten from checked ``values`` as its next version, audited; the caller commits."""
    role.requirements = []
    session.flush()
    _apply_values(role, values)
    role.version += 1
    role.updated_at = utc_now()
    audit.record(session, "role.update", f"role:{role.id}", version=role.version)
