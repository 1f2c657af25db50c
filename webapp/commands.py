"""Setup and maintenance commands: ``flask --app app <command>``.

Exit status: 0 all good, 1 a credential failed verification, 2 usage or unreadable input.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

import matcher

from . import audit, jobs
from .auth import ROLES, SCOPES, create_api_key, create_user
from .db import get_db
from .models import Candidate, Credential, Job, User
from .skills import store_taxonomy


def _emit(as_json: bool, data: dict, text: str) -> None:
    click.echo(json.dumps(data) if as_json else text)


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.command("init-db")
@with_appcontext
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def init_db(as_json: bool) -> None:
    """Create or upgrade the database schema (the app also does this when it starts)."""
    database = get_db()
    database.upgrade()
    url = make_url(database.url).render_as_string(hide_password=True)
    _emit(as_json, {"database": url, "status": "up to date"}, f"database schema up to date: {url}")


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.password_option(help="prompted for when not given")
@click.option("--role", type=click.Choice(ROLES), default="recruiter", show_default=True,
              help="admin (users and API keys), recruiter (upload, edit, delete) or hiring_manager (read)")
@click.option("--json", "as_json", is_flag=True)
def create_user_command(username: str, password: str, role: str, as_json: bool) -> None:
    """Create a user who can log in (the password is stored hashed)."""
    if len(password) < 8:
        _fail("the password needs at least 8 characters")
    try:
        with get_db().transaction() as session:
            user = create_user(session, username, password, role)
            session.flush()
            audit.record(session, "user.create", f"user:{user.id}", actor="cli", role=role)
            user_id = user.id
    except IntegrityError:
        _fail(f"user {username!r} exists")
    _emit(as_json, {"id": user_id, "username": username, "role": role},
          f"created user {username} (id {user_id}, {role})")


@click.command("create-api-key")
@with_appcontext
@click.option("--scope", type=click.Choice(SCOPES), required=True, help="read, or write (which may also read)")
@click.option("--name", default="", help="what the key is for, e.g. the HR system's name")
@click.option("--user", "username", default=None, help="the user the key belongs to")
@click.option("--json", "as_json", is_flag=True)
def create_api_key_command(scope: str, name: str, username: str | None, as_json: bool) -> None:
    """Create an API key. It is shown once and stored only as a hash."""
    with get_db().transaction() as session:
        user = None
        if username:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                _fail(f"no user {username!r}")
        key, token = create_api_key(session, scope, name, user)
        session.flush()
        audit.record(session, "api_key.create", f"api_key:{key.prefix}", actor="cli", scope=scope)
    _emit(as_json, {"key": token, "scope": scope, "prefix": key.prefix},
          f"{token}\n\nThis {scope} key is shown once; store it now. Send it as 'Authorization: Bearer <key>'.")


@click.command("import-taxonomy")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def import_taxonomy(path: Path, as_json: bool) -> None:
    """Import a taxonomy (an ESCO or O*NET folder, or a roles file) for every host of this deployment."""
    try:
        taxonomy = matcher.load_taxonomy(path)
    except matcher.MatcherError as exc:
        _fail(str(exc))
    except (OSError, ValueError, NotImplementedError) as exc:
        _fail(f"cannot read a taxonomy at {path}: {exc}")
    version = f"{taxonomy.name or path.name}:{len(taxonomy.skills)}:{len(taxonomy.roles)}:" \
              f"{__import__('secrets').token_hex(4)}"
    with get_db().transaction() as session:
        store_taxonomy(session, taxonomy, version)
        audit.record(session, "taxonomy.import", taxonomy.name or path.name, actor="cli",
                     skills=len(taxonomy.skills), occupations=len(taxonomy.roles))
    data = {"name": taxonomy.name, "skills": len(taxonomy.skills), "occupations": len(taxonomy.roles)}
    _emit(as_json, data, f"imported {taxonomy.name or path.name}: {data['skills']} skills, "
                         f"{data['occupations']} occupations")


@click.command("reverify")
@with_appcontext
@click.option("--candidate", "candidate_id", type=int, default=None, help="only this candidate")
@click.option("--json", "as_json", is_flag=True)
def reverify(candidate_id: int | None, as_json: bool) -> None:
    """Verify stored credentials again now (status lists change); recorded as a job."""
    app: Flask = current_app._get_current_object()
    database = get_db()
    with database.transaction() as session:
        if candidate_id is not None and session.get(Candidate, candidate_id) is None:
            _fail(f"no candidate {candidate_id}")
        job = jobs.reverify_job(session, candidate_id, "cli")
        job_id = job.id
    jobs.run(app, job_id, worker="cli")
    with database.session() as session:
        job = session.get(Job, job_id)
        query = select(Credential.verdict).join(jobs.JobItem, jobs.JobItem.credential_id == Credential.id) \
            .where(jobs.JobItem.job_id == job_id)
        verdicts: dict[str, int] = {}
        for (verdict,) in session.execute(query):
            verdicts[verdict] = verdicts.get(verdict, 0) + 1
        data = jobs.job_dict(job)
    data["verdicts"] = verdicts
    _emit(as_json, data, f"re-verified {job.succeeded} of {job.total} credentials: "
                         + (", ".join(f"{k}={v}" for k, v in sorted(verdicts.items())) or "none stored"))
    if job.failed or any(v not in ("valid", "valid-with-warnings") for v in verdicts):
        sys.exit(1)


def init_app(app: Flask) -> None:
    for command in (init_db, create_user_command, create_api_key_command, import_taxonomy, reverify):
        app.cli.add_command(command)
