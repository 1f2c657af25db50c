"""The store on SQLite and PostgreSQL: migrations, one transaction per credential, stored once,
keys hashed at rest, and an audit log the database keeps append-only."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from tests.webapp_fixtures import *  # noqa: F401,F403
from tests.webapp_fixtures import skill_uri


def count(app, table: str) -> int:
    from webapp.db import get_db
    with get_db(app).session() as session:
        return session.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def new_candidate(api, email="sam@example.org"):
    return api.post("/candidates", json={"name": "Sam", "email": email}).get_json()["id"]


def test_the_schema_is_migrated_on_start(app):
    from webapp.db import get_db
    engine = get_db(app).engine
    tables = set(inspect(engine).get_table_names())
    assert {"candidates", "credentials", "verification_reports", "evidence", "roles", "role_requirements",
            "users", "api_keys", "jobs", "job_items", "audit_log", "alembic_version"} <= tables
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from webapp.db import MIGRATIONS
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    get_db(app).upgrade()  # a second upgrade is a no-op


def test_a_failure_inside_the_transaction_stores_nothing(app, api, issuer, monkeypatch):
    from webapp.skills import SkillService
    candidate = new_candidate(api)
    before = {t: count(app, t) for t in ("credentials", "verification_reports", "evidence", "audit_log")}
    # the mapping hands over evidence the store cannot take, after the credential row is written
    monkeypatch.setattr(SkillService, "map_report",
                        lambda self, report: [{"skill_uri": skill_uri("sql"), "confidence": None}])
    response = api.post(f"/candidates/{candidate}/credentials", content_type="application/json",
                        data=issuer.badge(email="sam@example.org", tags=("SQL",)))
    assert response.status_code == 500 and response.mimetype == "application/problem+json"
    assert "Traceback" not in response.get_data(as_text=True)
    assert {t: count(app, t) for t in before} == before


def test_the_same_credential_sent_twice_at_once_is_stored_once(app, api, issuer):
    candidate = new_candidate(api, "twice@example.org")
    data = issuer.badge(email="twice@example.org", tags=("Python",))
    results = []

    def send():
        client = app.test_client()
        response = client.post(f"/api/v1/candidates/{candidate}/credentials", data=data,
                               content_type="application/json", headers={"Authorization": api._headers(None)
                                                                         ["Authorization"]})
        results.append((response.status_code, response.get_json()["credentials"][0]["status"]))
    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(s for _, s in results).count("created") == 1, results
    from webapp.db import get_db
    from webapp.models import Credential
    with get_db(app).session() as session:
        assert session.scalar(select(func.count()).select_from(Credential)
                              .where(Credential.candidate_id == candidate)) == 1


def test_raw_input_and_every_report_are_kept(app, api, issuer):
    from webapp.db import get_db
    from webapp.models import Credential, VerificationReport
    candidate = new_candidate(api, "kept@example.org")
    data = issuer.badge(email="kept@example.org", tags=("SQL",))
    api.post(f"/candidates/{candidate}/credentials", data=data, content_type="application/json")
    api.post(f"/candidates/{candidate}/reverify")
    with get_db(app).session() as session:
        credential = session.scalar(select(Credential).where(Credential.candidate_id == candidate))
        assert credential.raw == data
        import hashlib
        assert credential.sha256 == hashlib.sha256(data).hexdigest()
        reports = session.scalars(select(VerificationReport).where(VerificationReport.credential_id == credential.id)
                                  .order_by(VerificationReport.id)).all()
        assert len(reports) == 2 and reports[0].checked_at <= reports[1].checked_at
        assert reports[0].checked_at.tzinfo is not None


def test_api_keys_are_hashed_at_rest(app, keys):
    from webapp.db import get_db
    with get_db(app).session() as session:
        rows = [tuple(r) for r in session.execute(text("SELECT prefix, secret_sha256 FROM api_keys"))]
    secrets = [token.split("_", 2)[2] for token in keys.values()]
    assert rows and all(secret not in "".join(map(str, row)) for row in rows for secret in secrets)


def test_passwords_are_hashed_at_rest(app):
    from webapp.auth import create_user
    from webapp.db import get_db
    with get_db(app).transaction() as session:
        create_user(session, "hr-admin", "correct horse battery")
    with get_db(app).session() as session:
        stored = session.execute(text("SELECT password_hash FROM users WHERE username = 'hr-admin'")).scalar()
    from werkzeug.security import check_password_hash
    assert "correct horse" not in stored and check_password_hash(stored, "correct horse battery")


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_the_audit_log(app, api, statement):
    new_candidate(api)
    from webapp.db import get_db
    before = count(app, "audit_log")
    with pytest.raises(DBAPIError):
        with get_db(app).transaction() as session:
            session.execute(text(statement))
    assert count(app, "audit_log") == before


def test_the_audit_log_says_who_did_what(app, api, keys):
    from webapp.db import get_db
    from webapp.models import AuditEntry
    candidate = new_candidate(api)
    api.patch(f"/candidates/{candidate}", json={"name": "Samuel"})
    with get_db(app).session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.target == f"candidate:{candidate}")
                                  .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["candidate.create", "candidate.update"]
    prefix = keys["write"].split("_")[1]
    assert all(e.actor == f"api-key:{prefix}" for e in entries) and entries[1].details == {"fields": ["name"]}
    assert "Samuel" not in str(entries[1].details)


def test_the_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from webapp.db import get_db
    from webapp.models import Base
    with get_db(app).engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
