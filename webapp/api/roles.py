"""Roles and their ranked shortlists."""
from __future__ import annotations

from flask import current_app, url_for
from sqlalchemy import func, select

from .. import db, roles, serialize
from ..auth import require
from ..models import Role
from ..ranking import shortlist
from . import bool_arg, bp, float_arg, get_or_404, int_arg, json_object, page_args


@bp.post("/roles")
@require("write")
def create_role():
    values = roles.role_values(json_object())
    session = db.session()
    role = roles.create_role(session, values)
    session.commit()
    return serialize.role(role), 201, {"Location": url_for("api.get_role", role_id=role.id)}


@bp.get("/roles")
@require("read")
def list_roles():
    limit, offset = page_args()
    session = db.session()
    total = session.scalar(select(func.count(Role.id)))
    rows = session.scalars(select(Role).order_by(Role.id).limit(limit).offset(offset)).all()
    return {"total": total, "limit": limit, "offset": offset, "items": [serialize.role(r) for r in rows]}


@bp.get("/roles/<int:role_id>")
@require("read")
def get_role(role_id: int):
    return serialize.role(get_or_404(db.session(), Role, role_id, "role"))


@bp.put("/roles/<int:role_id>")
@require("write")
def replace_role(role_id: int):
    body = json_object()
    session = db.session()
    role = get_or_404(session, Role, role_id, "role")
    roles.replace_role(session, role, roles.role_values(body))
    session.commit()
    return serialize.role(role)


@bp.get("/roles/<int:role_id>/shortlist")
@require("read")
def role_shortlist(role_id: int):
    limit, offset = page_args()
    verified_only = bool_arg("verified_only")
    blind = bool_arg("blind")
    min_score = float_arg("min_score", 0.0)
    session = db.session()
    role = get_or_404(session, Role, role_id, "role")
    top_n = int_arg("top_n", role.top_n, minimum=1, maximum=1000)
    return shortlist(current_app._get_current_object(), session, role, limit=limit, offset=offset,
                     verified_only=verified_only, blind=blind, min_score=min_score, top_n=top_n)
