"""Signing in and out, and the home page."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from .. import audit, db, sign_in_limit, web_auth
from ..models import Candidate, Credential, Job, Role, User
from . import bp


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET" and web_auth.current_user() is not None:
        return redirect(web_auth.next_url(url_for("ui.home")))
    error = None
    username = ""
    status, locked = 200, 0
    if request.method == "POST":
        username = request.form.get("username", "")[:120]
        client = request.remote_addr or "unknown"
        session = db.session()
        locked = sign_in_limit.minutes_locked(session, username, client)
        user = None if locked else web_auth.authenticate(username, request.form.get("password", ""))
        if locked:
            error = f"Too many failed sign-ins. Try again in {locked} minute{'s' if locked > 1 else ''}."
            status = 429
            sign_in_limit.record_refusal(session, username, client)
            session.commit()
        elif user is None:
            error = "That user name and password do not match."
            status = 401
            sign_in_limit.record_failure(session, username, client)
            session.commit()
        else:
            web_auth.login(user)
            sign_in_limit.record_success(session, username, client)
            audit.record(session, "user.login", f"user:{user.id}", actor=f"user:{user.id}")
            session.commit()
            return redirect(web_auth.next_url(url_for("ui.home")))
    no_users = current_app.config.get("SKILLPROOF_ENV") == "development" and \
        db.session().scalar(select(func.count(User.id))) == 0
    headers = {"Retry-After": str(locked * 60)} if status == 429 else {}
    return render_template("login.html", error=error, username=username, demo_users=_demo_hint(),
                           no_users=no_users, next=web_auth.next_url("")), status, headers


def _demo_hint() -> list[dict[str, str]]:
    """In development, after ``flask demo``, the demo accounts are shown on the sign-in page."""
    if current_app.config.get("SKILLPROOF_ENV") != "development":
        return []
    from ..demo import DEMO_USERS
    names = [u["username"] for u in DEMO_USERS]
    found = set(db.session().scalars(select(User.username).where(User.username.in_(names))))
    return [u for u in DEMO_USERS if u["username"] in found]


@bp.post("/logout")
def logout():
    user = web_auth.current_user()
    if user is not None:
        session = db.session()
        audit.record(session, "user.logout", f"user:{user.id}")
        session.commit()
    web_auth.logout()
    flash("You are signed out.", "info")
    return redirect(url_for("ui.login"))


@bp.get("/")
@web_auth.login_required
def home():
    session = db.session()
    candidates = session.scalar(select(func.count(Candidate.id)))
    credentials = session.scalar(select(func.count(Credential.id)))
    verified = session.scalar(select(func.count(Credential.id))
                              .where(Credential.verdict.in_(("valid", "valid-with-warnings"))))
    roles = session.scalars(select(Role).order_by(Role.updated_at.desc()).limit(10)).all()
    recent_jobs = session.scalars(select(Job).where(Job.kind == "ingest").order_by(Job.id.desc()).limit(5)).all()
    return render_template("home.html", candidates=candidates, credentials=credentials, verified=verified,
                           roles=roles, recent_jobs=recent_jobs)
