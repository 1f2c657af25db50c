"""Roles (from a taxonomy occupation or from scratch, with weighted requirements, must-haves and
the verification policy that says which credentials count) and their shortlists: ranked
candidates, the policy in force, a heatmap of evidence, the gaps, and a CSV export of exactly
what the page shows (the same verified-only, blind and minimum-score filters)."""
from __future__ import annotations

import csv
import io
import math
from typing import Any

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import func, select
from werkzeug.exceptions import BadRequest

from matcher import MUST_HAVE_POLICIES

from .. import audit, db, web_auth
from .. import roles as role_service
from ..models import Role, RoleRequirement
from ..problems import Problem
from ..ranking import shortlist
from ..skills import service as skill_service
from ..web_auth import EDITORS, HIRING_MANAGER, RECRUITER
from . import bp, get_or_404

VIEWERS = (RECRUITER, HIRING_MANAGER)
SHORTLIST_ROWS = 100
POLICY_LABELS = {"rank_below": "rank below those who have them all", "exclude": "leave the candidate out"}
# The standings a verification policy may ask for, strictest first (matcher.AcceptRule checks them).
STANDING_LABELS = {"valid": "verified credentials only",
                   "valid-with-warnings": "verified credentials, also with warnings",
                   "indeterminate": "also credentials that could not be checked"}
RULES = (("must_have", "Must-haves"), ("nice_to_have", "Other requirements"))


@bp.get("/roles")
@web_auth.role_required(*VIEWERS)
def roles():
    session = db.session()
    rows = session.scalars(select(Role).order_by(Role.title, Role.id)).all()
    counts = dict(session.execute(select(RoleRequirement.role_id, func.count(RoleRequirement.id))
                                  .group_by(RoleRequirement.role_id)).all())
    return render_template("roles.html", roles=rows, counts=counts)


@bp.get("/roles/new")
@web_auth.role_required(*EDITORS)
def new_role():
    q = request.args.get("q", "").strip()[:200]
    hits = skill_service().taxonomy().search_occupations(q, limit=10) if q else []
    return render_template("role_new.html", q=q, hits=hits, error=None)


@bp.post("/roles/new")
@web_auth.role_required(*EDITORS)
def create_role():
    body: dict[str, Any] = {"verification_policy": role_service.DEFAULT_POLICY}
    occupation = request.form.get("occupation", "").strip()
    title = request.form.get("title", "").strip()
    if occupation:
        found = skill_service().taxonomy().role(occupation)
        if found is None:
            abort(404)
        body.update(title=title or found.label, occupation=occupation, description=found.description or "",
                    essential_as_must_have=request.form.get("essential_as_must_have") == "on")
    else:
        body.update(title=title, requirements=[s for s in request.form.get("skills", "").splitlines() if s.strip()])
    try:
        values = role_service.role_values(body)
    except Problem as problem:
        return render_template("role_new.html", q="", hits=[], error=problem.detail, title=title), 422
    session = db.session()
    role = role_service.create_role(session, values)
    session.commit()
    flash(f"Role created with {len(values['requirements'])} requirement(s). Adjust them, then open the shortlist.",
          "success")
    return redirect(url_for("ui.edit_role", role_id=role.id), code=303)


def _requirements_from_form() -> list[dict[str, Any]]:
    requirements = []
    positions = sorted(n for n in {_whole(k.split("-")[1]) for k in request.form
                                   if k.startswith("req-") and k.endswith("-skill")} if n is not None)
    for n in positions:
        if request.form.get(f"req-{n}-remove") == "on":
            continue
        skill = request.form.get(f"req-{n}-skill", "").strip()
        requirements.append({"skill": skill, "weight": _weight(request.form.get(f"req-{n}-weight", "1")),
                             "must_have": request.form.get(f"req-{n}-must") == "on"})
    for line in request.form.get("add-skill", "").splitlines():
        if line.strip():
            requirements.append({"skill": line.strip(), "weight": _weight(request.form.get("add-weight", "1")),
                                 "must_have": request.form.get("add-must") == "on"})
    return requirements


def _whole(raw: str) -> int | None:
    """``raw`` as a whole number of plain decimal digits; None when it is not one."""
    if not raw.isdecimal():
        return None
    try:
        return int(raw)
    except ValueError:  # more digits than int() takes
        return None


def _weight(raw: str) -> float | None:
    """The weight the form gives, as a number, or None when it is not one: the roles service
    decides which weights a requirement may have."""
    try:
        return float(raw)
    except ValueError:
        return None


def _policy_from_form(current: dict[str, Any] | None) -> dict[str, Any]:
    """The verification policy the form asks for; the roles service checks it. A standing the
    form leaves out keeps the role's current one; an unticked box means any issuer."""
    current = current or role_service.DEFAULT_POLICY
    policy = {}
    for key, _label in RULES:
        rule = current.get(key) or role_service.DEFAULT_POLICY[key]
        policy[key] = {"min_standing": request.form.get(f"{key}-standing", rule.get("min_standing")),
                       "trusted_issuer": request.form.get(f"{key}-trusted") == "on"}
    return policy


@bp.route("/roles/<int:role_id>/edit", methods=["GET", "POST"])
@web_auth.role_required(*EDITORS)
def edit_role(role_id: int):
    session = db.session()
    role = get_or_404(Role, role_id)
    error = None
    if request.method == "POST":
        requirements = _requirements_from_form()
        top_n = _whole(request.form.get("top_n", str(role.top_n)))
        body = {"title": request.form.get("title", ""), "description": request.form.get("description", ""),
                "must_have_policy": request.form.get("must_have_policy", role.must_have_policy),
                "verification_policy": _policy_from_form(role.verification_policy),
                "top_n": -1 if top_n is None else top_n, "requirements": requirements}
        try:
            values = role_service.role_values(body)
        except Problem as problem:
            error = problem.detail
        else:
            values["occupation_uri"] = role.occupation_uri
            role_service.replace_role(session, role, values)
            session.commit()
            flash("Role saved.", "success")
            if request.form.get("then") == "shortlist":
                return redirect(url_for("ui.shortlist_page", role_id=role.id), code=303)
            return redirect(url_for("ui.edit_role", role_id=role.id), code=303)
    occupation = skill_service().taxonomy().role(role.occupation_uri) if role.occupation_uri else None
    policy = _policy_from_form(role.verification_policy) if error else role.verification_policy
    return render_template("role_edit.html", role=role, occupation=occupation, error=error,
                           policies=MUST_HAVE_POLICIES, policy_labels=POLICY_LABELS, policy=policy,
                           rules=RULES, standing_labels=STANDING_LABELS), (422 if error else 200)


@bp.post("/roles/<int:role_id>/delete")
@web_auth.role_required(*EDITORS)
def delete_role(role_id: int):
    session = db.session()
    role = get_or_404(Role, role_id)
    title = role.title
    session.delete(role)
    audit.record(session, "role.delete", f"role:{role_id}")
    session.commit()
    flash(f"The role {title} was deleted.", "success")
    return redirect(url_for("ui.roles"), code=303)


@bp.get("/skills/suggest")
@web_auth.role_required(*VIEWERS)
def suggest_skills():
    """Skill labels for the requirement box's suggestions."""
    q = request.args.get("q", "").strip()[:100]
    if len(q) < 2:
        return jsonify(skills=[])
    matches = skill_service().matcher().match(q, limit=8)
    return jsonify(skills=[{"uri": m.uri, "label": m.label} for m in matches])


# -- shortlist -------------------------------------------------------------------------------


def _flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "on", "true", "yes")


def _min_score() -> int:
    """The minimum score filter, in whole percent (0: none); 400 when it is not 0 to 100."""
    raw = request.args.get("min_score", "").strip()
    if not raw:
        return 0
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise BadRequest("The minimum score must be a number from 0 to 100 (percent).")
    return round(value)


def _filters() -> dict[str, Any]:
    return {"verified_only": _flag("verified_only"), "blind": _flag("blind"), "min_score": _min_score()}


def _policy_text(policy: dict[str, Any]) -> dict[str, str]:
    """Each rule of a verification policy in words: what evidence it accepts."""
    out = {}
    for key, _label in RULES:
        rule = policy.get(key) or {}
        standing = rule.get("min_standing", "")
        text = STANDING_LABELS.get(standing, standing)
        out[key] = text + (", from trusted issuers only" if rule.get("trusted_issuer") else ", from any issuer")
    return out


def shortlist_view(role: Role, *, verified_only: bool, blind: bool, min_score: int = 0) -> dict[str, Any]:
    """The table the page shows and the CSV exports: one model for both. ``min_score`` is in
    percent; candidates below it are left out of both."""
    data = shortlist(current_app._get_current_object(), db.session(), role, limit=SHORTLIST_ROWS, offset=0,
                     verified_only=verified_only, blind=blind, min_score=min_score / 100)
    columns = [{"label": q.skill_label or q.skill_uri, "skill": q.skill_uri, "weight": q.weight,
                "must_have": q.must_have} for q in role.requirements]
    rows = []
    for row in data["rows"]:
        person = row["candidate"]
        name = f"Candidate {person['id']}" if blind else (person.get("name") or f"Candidate {person['id']}")
        cells = []
        for entry in row["requirements"]:
            strength = float(entry["strength"] or 0.0) if entry["covered"] else 0.0
            cells.append({"strength": strength, "level": min(10, max(0, round(strength * 10))),
                          "covered": entry["covered"], "evidence": entry["evidence"], "label": entry["label"],
                          "must_have": entry["must_have"]})
        rows.append({"rank": row["rank"], "candidate_id": person["id"], "name": name, "score": row["score"],
                     "must_haves_met": row["must_haves_met"], "cells": cells, "gaps": row["gaps"],
                     "move_up": row["move_up"], "in_top": row["rank"] <= data["top_n"]})
    return {"role": role, "columns": columns, "rows": rows, "total": data["total"], "excluded": data["excluded"],
            "top_n": data["top_n"], "verified_only": verified_only, "blind": blind, "min_score": min_score,
            "policy": data["policy"], "policy_text": _policy_text(data["policy"]["verification_policy"]),
            "shown": len(rows)}


def _gap_text(gap: dict[str, Any]) -> str:
    return f"{gap['label'] or gap['skill']}{' (must-have)' if gap['must_have'] else ''}: {gap['detail']}"


@bp.get("/roles/<int:role_id>")
@web_auth.role_required(*VIEWERS)
def shortlist_page(role_id: int):
    role = get_or_404(Role, role_id)
    view = shortlist_view(role, **_filters())
    return render_template("shortlist.html", gap_text=_gap_text, policy_labels=POLICY_LABELS, rules=RULES, **view)


def _csv_cell(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def shortlist_table(view: dict[str, Any]) -> list[list[str]]:
    header = ["Rank", "Candidate", "Score (%)", "Must-haves met"]
    header += [f"{c['label']}{' (must-have)' if c['must_have'] else ''} (%)" for c in view["columns"]]
    header.append("Gaps")
    table = [header]
    for row in view["rows"]:
        line = [str(row["rank"]), row["name"], str(round(row["score"] * 100)), "yes" if row["must_haves_met"] else "no"]
        line += [str(round(cell["strength"] * 100)) if cell["covered"] else "" for cell in row["cells"]]
        line.append("; ".join(_gap_text(g) for g in row["gaps"]))
        table.append(line)
    return table


@bp.get("/roles/<int:role_id>/shortlist.csv")
@web_auth.role_required(*VIEWERS)
def shortlist_csv(role_id: int):
    role = get_or_404(Role, role_id)
    view = shortlist_view(role, **_filters())
    out = io.StringIO()
    writer = csv.writer(out)
    for line in shortlist_table(view):
        writer.writerow([_csv_cell(v) for v in line])
    slug = "".join(ch if ch.isalnum() else "-" for ch in role.title.lower()).strip("-")[:60] or "role"
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="shortlist-{slug}.csv"'
    return response
