"""Demo data the project makes itself: ``flask --app app demo``.

A demo issuer (a did:key Ed25519 key generated once and kept in the instance folder) signs Open
Badges 3.0 credentials with eddsa-rdfc-2022; a few candidates receive them, one tampered with and
one expired, and each is verified, mapped and stored like any upload. A role made from a
taxonomy occupation and one user per role complete a shortlist a newcomer can open at once.
Nothing is fetched from the network."""
from __future__ import annotations

import json
import os
import re
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click
from cryptography.hazmat.primitives.asymmetric import ed25519
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from verifier._dataintegrity import DidKeyIssuer

from . import audit
from .auth import create_user
from .db import get_db
from .ingestion import Item, ingest_one
from .models import Candidate, Role, User
from .roles import DEFAULT_POLICY, create_role, role_values
from .skills import service as skill_service

V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
KEY_FILE = "demo_issuer.key"
DEMO_USERS = [{"username": "demo-admin", "password": "demo-admin", "role": "admin"},
              {"username": "demo-recruiter", "password": "demo-recruiter", "role": "recruiter"},
              {"username": "demo-manager", "password": "demo-manager", "role": "hiring_manager"}]
ROLE_TITLE = "Junior Data Analyst, Bengaluru (demo)"
EARLIER_ROLE_TITLES = ("Data analyst (demo)",)  # what earlier versions seeded: still the demo's role


@dataclass(frozen=True)
class DemoIssuer(DidKeyIssuer):
    """An issuer of our own: Open Badges 3.0 credentials signed with its did:key."""

    name: str = "SkillProof Demo Academy"
    url: str = "https://demo-academy.example"

    @classmethod
    def generate(cls) -> "DemoIssuer":
        return cls(ed25519.Ed25519PrivateKey.generate())

    @classmethod
    def for_instance(cls, instance_path: str | Path) -> "DemoIssuer":
        """The instance's demo issuer, its key made on first use and kept in the instance folder."""
        path = Path(instance_path) / KEY_FILE
        if path.exists():
            return cls(ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(path.read_text().strip())))
        issuer = cls.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return cls.for_instance(instance_path)
        with os.fdopen(fd, "w") as handle:
            handle.write(issuer.key.private_bytes_raw().hex())
        return issuer

    def credential(self, *, achievement: str, email: str, skills: list[tuple[str, str]] = (),
                   description: str = "", issued: datetime | None = None,
                   valid_until: datetime | None = None) -> dict[str, Any]:
        """An unsigned OpenBadgeCredential for ``email``, aligned to ``skills`` [(label, uri)]."""
        issued = (issued or datetime.now(timezone.utc)).replace(microsecond=0)
        document: dict[str, Any] = {
            "@context": [V2, OB3],
            "id": f"urn:uuid:{uuid.uuid4()}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": achievement,
            "issuer": {"id": self.did, "type": ["Profile"], "name": self.name, "url": self.url},
            "validFrom": _iso(issued),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": False,
                                "identityHash": email}],
                "achievement": {
                    "id": f"{self.url}/achievements/{uuid.uuid5(uuid.NAMESPACE_URL, achievement)}",
                    "type": ["Achievement"], "name": achievement,
                    "description": description or f"Assessed practical work: {achievement}.",
                    "criteria": {"narrative": "Passed a practical assessment marked by two assessors."},
                    "alignment": [{"type": ["Alignment"], "targetName": label, "targetUrl": uri}
                                  for label, uri in skills],
                },
            },
        }
        if valid_until is not None:
            document["validUntil"] = _iso(valid_until)
        return document

    def badge(self, **kwargs: Any) -> bytes:
        """A signed credential as the bytes a candidate would upload."""
        return json.dumps(self.sign(self.credential(**kwargs)), indent=1).encode()


def tampered(badge: bytes, achievement: str | None = None) -> bytes:
    """The badge with its achievement renamed after signing: its proof no longer verifies."""
    document = json.loads(badge)
    subject = document["credentialSubject"]["achievement"]
    subject["name"] = achievement or subject["name"] + " (Advanced)"
    document["name"] = subject["name"]
    return json.dumps(document, indent=1).encode()


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# -- seeding -----------------------------------------------------------------------------------


def _role_skills(app: Flask) -> tuple[str | None, list[tuple[str, str]]]:
    """A taxonomy occupation (a data analyst if there is one) and six of its skills [(label, uri)]."""
    taxonomy = skill_service(app).taxonomy()
    hits = taxonomy.search_occupations("data analyst", limit=1)
    occupation = hits[0].role if hits else next(iter(taxonomy.roles.values()), None)
    skills: list[tuple[str, str]] = []
    if occupation is not None:
        for requirement in occupation.requirements:
            skill = taxonomy.skill(requirement.skill_uri)
            if skill is not None:
                skills.append((skill.label, skill.uri))
    if len(skills) < 3:
        occupation = None
        skills = [(s.label, s.uri) for s in list(taxonomy.skills.values())[:6]]
    return (occupation.uri if occupation else None), skills[:6]


# Who holds which of the role's six skills, by index: (achievement, skills, kind). Candidates
# from across India, with the skills-based micro-credentials Indian employers see from them.
PEOPLE = [
    ("Priya Raghavan", "priya.raghavan@example.org",
     [("Data Analytics Foundation (NSQF-aligned)", [0, 1, 2], "valid"),
      ("Advanced Excel for MIS Reporting", [3, 4], "valid")]),
    ("Arjun Mehta", "arjun.mehta@example.org",
     [("Junior Data Associate", [0, 1], "valid"),
      ("Data Visualisation and Storytelling with Power BI", [4], "valid"),
      ("Data Science Professional Certificate", [2, 3, 5], "tampered")]),
    ("Ananya Das", "ananya.das@example.org",
     [("Business Intelligence with SQL and Power BI", [1, 2], "valid"),
      ("PG Certificate in Data Mining and Predictive Analytics", [0, 3, 5], "expired")]),
    ("Imran Qureshi", "imran.qureshi@example.org",
     [("Python for Data Analysis", [0], "valid"),
      ("Capstone Project: Retail Sales Dashboard", [5], "valid")]),
]


def seed(app: Flask, issuer: DemoIssuer | None = None) -> dict[str, Any]:
    """Demo users, candidates with credentials, and a role; what exists already is left alone."""
    issuer = issuer or DemoIssuer.for_instance(app.instance_path)
    database = get_db(app)
    summary: dict[str, Any] = {"users": [], "candidates": [], "credentials": {}, "role": None}
    with database.transaction() as session:
        for spec in DEMO_USERS:
            if session.scalar(select(User.id).where(User.username == spec["username"])) is None:
                user = create_user(session, spec["username"], spec["password"], spec["role"])
                session.flush()
                audit.record(session, "user.create", f"user:{user.id}", actor="demo", role=spec["role"])
                summary["users"].append(spec["username"])
    occupation_uri, skills = _role_skills(app)
    now = datetime.now(timezone.utc)
    for number, (name, email, badges) in enumerate(PEOPLE, 1):
        external_id = f"demo-{number}"
        with database.transaction() as session:
            person = session.scalar(select(Candidate).where(Candidate.external_id == external_id))
            if person is not None and person.credentials:
                continue
            if person is None:  # (a candidate without credentials is one an interrupted run left)
                person = Candidate(name=name, email=email, external_id=external_id)
                session.add(person)
                session.flush()
                audit.record(session, "candidate.create", f"candidate:{person.id}", actor="demo")
            candidate_id = person.id
        summary["candidates"].append(name)
        for n, (achievement, indexes, kind) in enumerate(badges):
            chosen = [skills[i] for i in indexes if i < len(skills)]
            issued = now - timedelta(days=120 + 90 * n)
            until = None
            if kind == "expired":
                issued, until = now - timedelta(days=4 * 365), now - timedelta(days=30)
            data = issuer.badge(achievement=achievement, email=email, skills=chosen, issued=issued,
                                valid_until=until,
                                description=f"{achievement}: " + ", ".join(label for label, _ in chosen) + ".")
            if kind == "tampered":
                data = tampered(data)
            filename = re.sub(r"[^a-z0-9]+", "-", achievement.lower()).strip("-") + ".json"
            outcome = ingest_one(app, candidate_id, Item(filename, data), actor="demo")
            verdict = (outcome.report or {}).get("verdict", "rejected") if outcome.status == "created" \
                else outcome.status
            summary["credentials"][verdict] = summary["credentials"].get(verdict, 0) + 1
    summary["role"] = _seed_role(app, occupation_uri, skills)
    return summary


def _seed_role(app: Flask, occupation_uri: str | None, skills: list[tuple[str, str]]) -> dict[str, Any]:
    database = get_db(app)
    with database.transaction() as session:
        existing = session.scalar(select(Role).where(Role.title.in_((ROLE_TITLE, *EARLIER_ROLE_TITLES)))
                                  .order_by(Role.id).limit(1))
        if existing is not None:
            return {"id": existing.id, "title": existing.title, "created": False}
        weights = [2.0, 1.5, 1.0, 1.0, 1.0, 0.5]
        values = role_values({
            "title": ROLE_TITLE,
            "description": "Seeded by the demo: an entry-level analyst for a Bengaluru team, hired on verified "
                           "skills; six skills of the occupation, the first a must-have.",
            "verification_policy": DEFAULT_POLICY, "top_n": 3,
            "requirements": [{"skill": uri, "weight": weights[i], "must_have": i == 0}
                             for i, (_label, uri) in enumerate(skills)]})
        values["occupation_uri"] = occupation_uri
        role = create_role(session, values, actor="demo")
        return {"id": role.id, "title": role.title, "created": True}


@click.command("demo")
@with_appcontext
@click.option("--force", is_flag=True, help="seed even when SKILLPROOF_ENV is production")
@click.option("--json", "as_json", is_flag=True)
def demo_command(force: bool, as_json: bool) -> None:
    """Seed demo candidates with signed badges, a role and a user per role (development)."""
    app: Flask = current_app._get_current_object()
    if app.config.get("SKILLPROOF_ENV") == "production" and not force:
        click.echo("error: demo users have published passwords; refusing in production (use --force)", err=True)
        sys.exit(2)
    summary = seed(app)
    summary["sign_in"] = [{"username": u["username"], "password": u["password"], "role": u["role"]}
                          for u in DEMO_USERS]
    if as_json:
        click.echo(json.dumps(summary))
        return
    made = ", ".join(f"{n} {v}" for v, n in sorted(summary["credentials"].items())) or "none new"
    click.echo(f"demo candidates: {', '.join(summary['candidates']) or 'already there'}; credentials: {made}")
    click.echo(f"role: {summary['role']['title']} (id {summary['role']['id']})")
    click.echo("sign in with `flask --app app run` at http://127.0.0.1:5000 as:")
    for u in DEMO_USERS:
        click.echo(f"  {u['username']} / {u['password']}  ({u['role'].replace('_', ' ')})")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
