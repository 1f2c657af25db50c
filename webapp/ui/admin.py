"""Administration: users with their roles, and API keys for HR systems."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from .. import audit, db, web_auth
from ..auth import ROLES, SCOPES, create_api_key, create_user
from ..models import ApiKey, User
from ..web_auth import ADMIN
from . import bp, get_or_404

MIN_PASSWORD = 8


def _users_page(error: str | None = None, form: dict | None = None, status: int = 200):
    session = db.session()
    users = session.scalars(select(User).order_by(User.username)).all()
    return render_template("admin_users.html", users=users, roles=ROLES, error=error,
                           form=form or {"username": "", "role": "recruiter"}), status


@bp.get("/admin/users")
@web_auth.role_required(ADMIN)
def admin_users():
    return _users_page()


@bp.post("/admin/users")
@web_auth.role_required(ADMIN)
def admin_create_user():
    form = {"username": request.form.get("username", "").strip(), "role": request.form.get("role", "")}
    password = request.form.get("password", "")
    if not form["username"] or len(form["username"]) > 120:
        return _users_page("A user name of 1 to 120 characters is needed.", form, 422)
    if form["role"] not in ROLES:
        return _users_page("Choose a role.", form, 422)
    if len(password) < MIN_PASSWORD:
        return _users_page(f"The password needs at least {MIN_PASSWORD} characters.", form, 422)
    session = db.session()
    try:
        user = create_user(session, form["username"], password, form["role"])
        session.flush()
    except IntegrityError:
        session.rollback()
        return _users_page(f"There is already a user called {form['username']}.", form, 409)
    audit.record(session, "user.create", f"user:{user.id}", role=user.role)
    session.commit()
    flash(f"User {user.username} created ({web_auth.ROLE_LABELS[user.role]}).", "success")
    return redirect(url_for("ui.admin_users"), code=303)


@bp.post("/admin/users/<int:user_id>")
@web_auth.role_required(ADMIN)
def admin_update_user(user_id: int):
    session = db.session()
    user = get_or_404(User, user_id)
    me = web_auth.current_user()
    role = request.form.get("role")
    password = request.form.get("password", "")
    changed = []
    if role is not None and role != user.role:
        if role not in ROLES:
            return _users_page("Choose a role.", None, 422)
        if user.id == me.id:
            return _users_page("You cannot change your own role; ask another admin.", None, 422)
        user.role = role
        changed.append("role")
    if password:
        if len(password) < MIN_PASSWORD:
            return _users_page(f"The password needs at least {MIN_PASSWORD} characters.", None, 422)
        user.password_hash = generate_password_hash(password)
        changed.append("password")
    if changed:
        audit.record(session, "user.update", f"user:{user.id}", fields=changed)
        session.commit()
        flash(f"{user.username}: {' and '.join(changed)} changed.", "success")
    if user.id == me.id and "password" in changed:
        web_auth.login(user)  # keep this session; the others end
    return redirect(url_for("ui.admin_users"), code=303)


@bp.post("/admin/users/<int:user_id>/delete")
@web_auth.role_required(ADMIN)
def admin_delete_user(user_id: int):
    session = db.session()
    user = get_or_404(User, user_id)
    if user.id == web_auth.current_user().id:
        return _users_page("You cannot delete yourself.", None, 422)
    name = user.username
    session.delete(user)
    audit.record(session, "user.delete", f"user:{user_id}")
    session.commit()
    flash(f"User {name} deleted; their API keys stay until revoked.", "success")
    return redirect(url_for("ui.admin_users"), code=303)


def _keys_page(token: str | None = None, error: str | None = None, status: int = 200):
    session = db.session()
    keys = session.scalars(select(ApiKey).order_by(ApiKey.revoked, ApiKey.id.desc())).all()
    users = {u.id: u.username for u in session.scalars(select(User))}
    return render_template("admin_keys.html", keys=keys, users=users, scopes=SCOPES, token=token, error=error), status


@bp.get("/admin/api-keys")
@web_auth.role_required(ADMIN)
def admin_keys():
    return _keys_page()


@bp.post("/admin/api-keys")
@web_auth.role_required(ADMIN)
def admin_create_key():
    scope = request.form.get("scope", "")
    name = request.form.get("name", "").strip()[:120]
    if scope not in SCOPES:
        return _keys_page(error="Choose read or write.", status=422)
    session = db.session()
    key, token = create_api_key(session, scope, name, web_auth.current_user())
    session.flush()
    audit.record(session, "api_key.create", f"api_key:{key.prefix}", scope=scope)
    session.commit()
    return _keys_page(token=token)


@bp.post("/admin/api-keys/<int:key_id>/revoke")
@web_auth.role_required(ADMIN)
def admin_revoke_key(key_id: int):
    session = db.session()
    key = get_or_404(ApiKey, key_id)
    if not key.revoked:
        key.revoked = True
        audit.record(session, "api_key.revoke", f"api_key:{key.prefix}")
        session.commit()
        flash(f"Key sp_{key.prefix}_… revoked; HR systems using it are refused from now on.", "success")
    return redirect(url_for("ui.admin_keys"), code=303)
