"""Fixtures for the app's tests: a small taxonomy, an offline Open Badges 2.0 issuer, a database
per test module on SQLite and (when reachable) PostgreSQL, the app, API keys and a client.

Use from a test module with ``pytest_plugins = ["tests.webapp_fixtures"]``... which pytest only
allows in the root conftest, so test modules import the fixtures instead:
``from tests.webapp_fixtures import *  # noqa: F401,F403``.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

from matcher import Requirement, Role, Skill, Taxonomy
from verifier import DocumentMap

OB2 = "https://w3id.org/openbadges/v2"
ESCO = "http://data.europa.eu/esco/skill/"
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def skill_uri(slug: str) -> str:
    return f"https://skills.test/skill/{slug}"


# slug, label, alternative labels, broader slug
SKILLS = [
    ("query-languages", "query languages", (), None),
    ("sql", "SQL", ("structured query language",), "query-languages"),
    ("sparql", "SPARQL", (), "query-languages"),
    ("programming", "computer programming", (), None),
    ("python", "Python", ("python programming",), "programming"),
    ("java", "Java", (), "programming"),
    ("data-analysis", "data analysis", ("data analytics", "analyse data"), None),
    ("spreadsheets", "use spreadsheets software", ("Excel", "spreadsheets"), None),
    ("statistics", "statistics", (), None),
    ("teamwork", "teamwork", ("work in teams",), None),
    ("project-management", "project management", (), None),
    ("machine-learning", "machine learning", (), "programming"),
]
OCCUPATION = "https://skills.test/occupation/data-analyst"


def build_taxonomy() -> Taxonomy:
    skills = [Skill(uri=skill_uri(slug), label=label, alt_labels=alts,
                    broader=(skill_uri(parent),) if parent else (), kind="skill/competence")
              for slug, label, alts, parent in SKILLS]
    role = Role(uri=OCCUPATION, label="data analyst", alt_labels=("data analytics specialist",),
                requirements=(Requirement(skill_uri("sql"), 1.0, True),
                              Requirement(skill_uri("data-analysis"), 1.0, True),
                              Requirement(skill_uri("spreadsheets"), 0.5, False),
                              Requirement(skill_uri("statistics"), 0.5, False)))
    return Taxonomy(skills, [role], name="test taxonomy")


def write_esco_folder(folder: Path) -> Path:
    """The test taxonomy as an ESCO CSV export, for ``flask import-taxonomy``."""
    folder.mkdir(parents=True, exist_ok=True)
    taxonomy = build_taxonomy()

    def write(name: str, header: list[str], rows: list[list[str]]) -> None:
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    write("skills_en.csv", ["conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "description", "skillType"],
          [[s.uri, s.label, "\n".join(s.alt_labels), "", "", "skill/competence"] for s in taxonomy.skills.values()])
    write("occupations_en.csv", ["conceptUri", "preferredLabel", "altLabels", "description"],
          [[r.uri, r.label, "\n".join(r.alt_labels), ""] for r in taxonomy.roles.values()])
    write("broaderRelationsSkillPillar_en.csv", ["conceptUri", "broaderUri"],
          [[s.uri, b] for s in taxonomy.skills.values() for b in s.broader])
    write("occupationSkillRelations_en.csv", ["occupationUri", "relationType", "skillUri"],
          [[r.uri, "essential" if q.essential else "optional", q.skill_uri]
           for r in taxonomy.roles.values() for q in r.requirements])
    return folder


# -- an offline Open Badges 2.0 issuer --------------------------------------------------------


class LiveDocumentMap:
    """A DocumentMap that sees documents added (or withdrawn) after it was made."""

    def __init__(self, issuer: "OB2Issuer") -> None:
        self.issuer = issuer

    def _current(self) -> DocumentMap:
        return DocumentMap(dict(self.issuer.entries), self.issuer.folder)

    def get(self, url: str, **kwargs: Any):
        return self._current().get(url, **kwargs)

    def get_json(self, url: str) -> Any:
        return self._current().get_json(url)


@dataclass
class OB2Issuer:
    """Hosted Open Badges 2.0 assertions with their BadgeClasses and issuer profiles, served
    from files through an offline document map."""

    folder: Path
    entries: dict[str, Any] = field(default_factory=dict)
    count: int = 0

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
        (self.folder / "badge.png").write_bytes(png)

    def fetcher(self) -> LiveDocumentMap:
        return LiveDocumentMap(self)

    def write_map(self) -> Path:
        path = self.folder / "map.json"
        path.write_text(json.dumps(self.entries))
        return path

    def _put(self, url: str, document: dict[str, Any]) -> None:
        name = hashlib.sha256(url.encode()).hexdigest()[:20] + ".json"
        (self.folder / name).write_text(json.dumps(document))
        self.entries[url] = name

    def profile(self, host: str) -> str:
        url = f"https://{host}/issuer.json"
        if url not in self.entries:
            self._put(url, {"@context": OB2, "type": "Issuer", "id": url, "name": f"Issuer at {host}",
                            "url": f"https://{host}", "email": f"badges@{host}"})
            self.entries[f"https://{host}/badge.png"] = "badge.png"
        return url

    def badge(self, *, email: str, name: str = "Badge", tags: tuple[str, ...] = (),
              alignments: tuple[dict[str, str], ...] = (), description: str = "A badge.",
              issued: str = "2025-03-01T10:00:00Z", expires: str | None = None,
              host: str = "issuer.test") -> bytes:
        """A new hosted assertion for ``email``, as the bytes a candidate would upload."""
        self.count += 1
        n = self.count
        issuer = self.profile(host)
        badge_url = f"https://{host}/badges/{n}.json"
        self._put(badge_url, {"@context": OB2, "type": "BadgeClass", "id": badge_url, "name": name,
                              "description": description, "image": f"https://{host}/badge.png",
                              "criteria": {"narrative": "Passed the assessment."}, "issuer": issuer,
                              "tags": list(tags), "alignment": list(alignments)})
        salt = f"salt{n}"
        assertion = {"@context": OB2, "type": "Assertion", "id": f"https://{host}/assertions/{n}.json",
                     "recipient": {"type": "email", "hashed": True, "salt": salt,
                                   "identity": "sha256$" + hashlib.sha256(f"{email}{salt}".encode()).hexdigest()},
                     "badge": badge_url, "verification": {"type": "hosted"}, "issuedOn": issued}
        if expires:
            assertion["expires"] = expires
        self._put(assertion["id"], assertion)
        return json.dumps(assertion).encode()

    def revoke(self, assertion: bytes) -> None:
        """The issuer withdraws the assertion: its URL answers 410 Gone."""
        url = json.loads(assertion)["id"]
        self.entries[url] = {"path": self.entries[url] if isinstance(self.entries[url], str)
                             else self.entries[url]["path"], "status": 410}

    def unreachable(self, assertion: bytes) -> None:
        """The issuer's server stops answering for this assertion."""
        self.entries.pop(json.loads(assertion)["id"], None)


# -- databases ---------------------------------------------------------------------------------


def _postgres_available() -> str | None:
    try:
        import psycopg
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not here"
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> Iterator[str]:
    """A fresh, empty database for one test module, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    why = _postgres_available()
    if why:
        pytest.skip(why)
    import psycopg
    name = f"skillproof_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def issuer(tmp_path_factory) -> OB2Issuer:
    return OB2Issuer(tmp_path_factory.mktemp("issuer"))


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return build_taxonomy()


@pytest.fixture(scope="module")
def app(database_url, issuer, taxonomy, tmp_path_factory):
    from webapp import create_app
    application = create_app({
        "TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url,
        "VERIFIER_FETCHER": issuer.fetcher(), "TAXONOMY": taxonomy, "JOB_WORKER": "thread",
        "TRUSTED_ISSUERS": ["trusted.test", "issuer.test"], "DISTRUSTED_ISSUERS": ["rogue.test"],
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    })
    application.instance_path = str(tmp_path_factory.mktemp("instance"))
    yield application
    application.extensions["skillproof.jobs"].stop()
    application.extensions["skillproof.db"].dispose()


@pytest.fixture(scope="module")
def keys(app) -> dict[str, str]:
    from webapp.auth import create_api_key
    from webapp.db import get_db
    with get_db(app).transaction() as session:
        _, read = create_api_key(session, "read", "tests")
        _, write = create_api_key(session, "write", "tests")
    return {"read": read, "write": write}


class Api:
    """The Flask test client with an API key."""

    def __init__(self, client, token: str | None) -> None:
        self.client = client
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        out = dict(headers or {})
        if self.token:
            out.setdefault("Authorization", f"Bearer {self.token}")
        return out

    def __getattr__(self, method: str):
        if method not in ("get", "post", "put", "patch", "delete"):
            raise AttributeError(method)

        def call(path: str, headers: dict[str, str] | None = None, **kwargs: Any):
            return getattr(self.client, method)("/api/v1" + path, headers=self._headers(headers), **kwargs)
        return call


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def api(client, keys) -> Api:
    return Api(client, keys["write"])


@pytest.fixture
def reader(client, keys) -> Api:
    return Api(client, keys["read"])


@pytest.fixture
def anonymous(client) -> Api:
    return Api(client, None)


def wait_for_job(api: Api, job_id: int, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body = api.get(f"/jobs/{job_id}").get_json()
        if body["status"] in ("done", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


@contextmanager
def selects_from(app, table: str) -> Iterator[list[str]]:
    """The SELECT statements on ``table`` the app runs inside the block, to count them."""
    from sqlalchemy import event
    engine = app.extensions["skillproof.db"].engine
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and f"FROM {table}" in statement:
            seen.append(statement)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def is_problem(response, status: int) -> bool:
    body = response.get_json(silent=True) or {}
    return (response.status_code == status and response.mimetype == "application/problem+json"
            and body.get("status") == status and isinstance(body.get("title"), str) and "type" in body)


__all__ = ["Api", "ESCO", "OB2Issuer", "OCCUPATION", "SKILLS", "anonymous", "api", "app", "build_taxonomy",
           "client", "database_url", "is_problem", "issuer", "keys", "reader", "skill_uri", "taxonomy",
           "wait_for_job", "write_esco_folder"]
