"""The app's commands and configuration: a fresh instance works with the embedded defaults,
keys are shown once, taxonomies import, re-verification reports through its exit status."""
from __future__ import annotations

import json
import os
import stat

import pytest

from tests.webapp_fixtures import *  # noqa: F401,F403
from tests.webapp_fixtures import Api, build_taxonomy, write_esco_folder


@pytest.fixture
def fresh(tmp_path, monkeypatch, issuer):
    """An app on the embedded defaults in an empty instance folder (no environment overrides)."""
    for name in ("DATABASE_URL", "SECRET_KEY", "REDIS_URL", "SKILLPROOF_ENV", "DOCUMENT_MAP", "TAXONOMY_PATH"):
        monkeypatch.delenv(name, raising=False)
    from webapp import create_app
    apps = []

    def make(**config):
        app = create_app({"VERIFIER_FETCHER": issuer.fetcher(), "TAXONOMY": build_taxonomy(), **config},
                         instance_path=str(tmp_path / "instance"))
        apps.append(app)
        return app
    yield make
    for app in apps:
        app.extensions["skillproof.jobs"].stop()
        app.extensions["skillproof.db"].dispose()


def test_a_fresh_instance_needs_no_setup_step(fresh, tmp_path):
    app = fresh()
    assert (tmp_path / "instance" / "skillproof.sqlite3").exists()
    secret = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and app.config["SECRET_KEY"] == secret.read_text()
    assert fresh().config["SECRET_KEY"] == app.config["SECRET_KEY"]  # kept across restarts
    assert app.test_client().get("/health").get_json() == {"status": "ok"}
    result = app.test_cli_runner().invoke(args=["init-db", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["status"] == "up to date"


def test_production_needs_a_secret_key(fresh, monkeypatch):
    from webapp.config import ConfigError
    monkeypatch.setenv("SKILLPROOF_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        fresh()
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert fresh().config["SECRET_KEY"] == "from-the-environment"


def test_environment_overrides_the_instance_config_file(fresh, tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text("MAX_UPLOAD_ITEMS = 7\nFETCH_ALLOW_HOSTS = ['a.test']\n")
    assert fresh().config["MAX_UPLOAD_ITEMS"] == 7
    monkeypatch.setenv("MAX_UPLOAD_ITEMS", "9")
    monkeypatch.setenv("FETCH_ALLOW_HOSTS", "intranet.test, badges.test")
    monkeypatch.setenv("TRUSTED_ISSUERS", "uni.test")
    app = fresh()
    assert app.config["MAX_UPLOAD_ITEMS"] == 9 and app.config["FETCH_ALLOW_HOSTS"] == ["intranet.test", "badges.test"]
    assert app.config["TRUSTED_ISSUERS"] == ["uni.test"]
    monkeypatch.setenv("MAX_UPLOAD_ITEMS", "lots")
    from webapp.config import ConfigError
    with pytest.raises(ConfigError):
        fresh()


def test_the_default_fetcher_is_the_ssrf_safe_one_with_the_allow_list(fresh, monkeypatch):
    monkeypatch.setenv("FETCH_ALLOW_HOSTS", "intranet.test")
    from verifier import HttpFetcher
    from webapp.ingestion import fetcher
    app = fresh(VERIFIER_FETCHER=None)
    used = fetcher(app)
    assert isinstance(used, HttpFetcher) and used.allow_hosts == frozenset({"intranet.test"})


def test_create_api_key_is_shown_once_and_works_with_its_scope(fresh):
    app = fresh()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-api-key", "--scope", "read", "--json", "--name", "ATS"])
    assert result.exit_code == 0
    token = json.loads(result.output)["key"]
    reader = Api(app.test_client(), token)
    assert reader.get("/candidates").status_code == 200
    assert reader.post("/candidates", json={"name": "x"}).status_code == 403
    human = runner.invoke(args=["create-api-key", "--scope", "write"])
    assert human.exit_code == 0 and "shown once" in human.output
    assert runner.invoke(args=["create-api-key", "--scope", "admin"]).exit_code == 2
    assert runner.invoke(args=["create-api-key"]).exit_code == 2
    from sqlalchemy import text
    from webapp.db import get_db
    with get_db(app).session() as session:
        dump = json.dumps([list(map(str, r)) for r in session.execute(text("SELECT * FROM api_keys"))])
    assert token.split("_", 2)[2] not in dump


def test_create_user(fresh):
    app = fresh()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "alex", "--password", "a long passphrase", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["username"] == "alex"
    assert runner.invoke(args=["create-user", "alex", "--password", "a long passphrase"]).exit_code == 2
    assert runner.invoke(args=["create-user", "kim", "--password", "short"]).exit_code == 2
    keyed = runner.invoke(args=["create-api-key", "--scope", "write", "--user", "alex"])
    assert keyed.exit_code == 0
    assert runner.invoke(args=["create-api-key", "--scope", "write", "--user", "nobody"]).exit_code == 2


def test_import_taxonomy_replaces_the_taxonomy_in_use(fresh, tmp_path):
    app = fresh(TAXONOMY=None)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-taxonomy", str(write_esco_folder(tmp_path / "esco")), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"name": "ESCO", "skills": 12, "occupations": 1}
    from webapp.skills import service
    taxonomy = service(app).taxonomy()
    assert len(taxonomy.skills) == 12 and taxonomy.broader("https://skills.test/skill/sql")
    assert runner.invoke(args=["import-taxonomy", str(tmp_path / "missing")]).exit_code == 2
    (tmp_path / "empty").mkdir()
    assert runner.invoke(args=["import-taxonomy", str(tmp_path / "empty")]).exit_code == 2
    # a role can now name an occupation of the imported taxonomy
    token = json.loads(runner.invoke(args=["create-api-key", "--scope", "write", "--json"]).output)["key"]
    role = Api(app.test_client(), token).post("/roles", json={"title": "Analyst", "occupation": "data analyst"})
    assert role.status_code == 201 and len(role.get_json()["requirements"]) == 4


def test_reverify_command_exit_status(fresh, issuer):
    app = fresh()
    runner = app.test_cli_runner()
    token = json.loads(runner.invoke(args=["create-api-key", "--scope", "write", "--json"]).output)["key"]
    api = Api(app.test_client(), token)
    candidate = api.post("/candidates", json={"name": "Ren", "email": "ren@example.org"}).get_json()["id"]
    data = issuer.badge(email="ren@example.org", tags=("SQL",))
    api.post(f"/candidates/{candidate}/credentials", data=data, content_type="application/json")
    result = runner.invoke(args=["reverify", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["verdicts"] == {"valid": 1}
    issuer.revoke(data)
    result = runner.invoke(args=["reverify", "--candidate", str(candidate)])
    assert result.exit_code == 1 and "invalid=1" in result.output
    assert runner.invoke(args=["reverify", "--candidate", "424242"]).exit_code == 2
    reports = api.get(f"/candidates/{candidate}").get_json()["credentials"][0]["reports"]
    assert [r["verdict"] for r in reports] == ["valid", "valid", "invalid"]


def test_the_app_module_builds_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("JOB_WORKER", "none")
    import app as module
    application = module.create_app()
    assert application.test_client().get("/health").status_code == 200
    assert os.path.exists(tmp_path / "app.sqlite3")
