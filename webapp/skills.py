"""The taxonomy in use and the mapping of a verified credential onto its skills.

The taxonomy is, in order: ``TAXONOMY`` in the config (a ``matcher.Taxonomy``), the one imported
into the database with ``flask import-taxonomy``, ``TAXONOMY_PATH``, or the matcher's bundled starter.
"""
from __future__ import annotations

import gc
import logging
import threading
from dataclasses import asdict
from typing import Any

from flask import Flask, current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

import matcher
from matcher import Matcher, Role, Skill, Taxonomy

from .db import get_db
from .models import Setting, TaxonomyOccupation, TaxonomySkill

log = logging.getLogger(__name__)
_VERSION_KEY = "taxonomy_version"


def _settle() -> None:
    """Move what is alive now (the taxonomy and its index: up to millions of long-lived objects)
    out of the collector's reach, so requests that allocate heavily, like ranking, do not pay
    for rescanning them."""
    gc.collect()
    gc.freeze()


class SkillService:
    """A taxonomy and its matcher, rebuilt when another process imports a new taxonomy."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._version: str | None = None
        self._taxonomy: Taxonomy | None = None
        self._matcher: Matcher | None = None

    def _current_version(self) -> str:
        if isinstance(self.app.config.get("TAXONOMY"), Taxonomy):
            return "config"
        with get_db(self.app).session() as session:
            setting = session.get(Setting, _VERSION_KEY)
            return setting.value if setting is not None else "bundled"

    def taxonomy(self) -> Taxonomy:
        version = self._current_version()
        with self._lock:
            if self._taxonomy is None or version != self._version:
                self._taxonomy = self._load(version)
                self._matcher = None
                _settle()
                self._version = version
            return self._taxonomy

    def matcher(self) -> Matcher:
        taxonomy = self.taxonomy()
        with self._lock:
            if self._matcher is None:
                self._matcher = Matcher(taxonomy)
                _settle()
            return self._matcher

    def _load(self, version: str) -> Taxonomy:
        configured = self.app.config.get("TAXONOMY")
        if isinstance(configured, Taxonomy):
            return configured
        if version != "bundled":
            with get_db(self.app).session() as session:
                return taxonomy_from_db(session)
        try:
            return matcher.load_taxonomy(self.app.config.get("TAXONOMY_PATH"))
        except NotImplementedError:
            log.warning("no taxonomy available: import one with `flask import-taxonomy PATH`")
            return Taxonomy([], [], name="empty")

    def map_report(self, report: dict[str, Any]) -> list[dict[str, Any]]:
        """The skills a verification report's credential evidences, one entry per skill (best first)."""
        return map_credential(self.matcher(), report.get("credential") or {})


def init_app(app: Flask) -> None:
    app.extensions["skillproof.skills"] = SkillService(app)


def service(app: Flask | None = None) -> SkillService:
    return (app or current_app).extensions["skillproof.skills"]


# -- mapping ----------------------------------------------------------------------------------


def map_credential(m: Matcher, summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The skills a credential summary evidences, one entry per skill, best first."""
    best: dict[str, dict[str, Any]] = {}
    for item in map(_evidence_dict, m.map_signals(matcher.extract(summary))):
        if not item["skill_uri"]:
            continue
        current = best.get(item["skill_uri"])
        if current is None or item["confidence"] > current["confidence"]:
            best[item["skill_uri"]] = item
    return sorted(best.values(), key=lambda e: (-e["confidence"], e["skill_uri"]))


def _evidence_dict(evidence: matcher.Evidence) -> dict[str, Any]:
    return {"skill_uri": evidence.skill_uri, "skill_label": evidence.label, "confidence": float(evidence.confidence),
            "reason": evidence.reason, "signal_field": evidence.signal.field, "signal_text": evidence.signal.text,
            "hierarchy": evidence.hierarchy, "via": evidence.via}


# -- import into the database ----------------------------------------------------------------


def store_taxonomy(session: Session, taxonomy: Taxonomy, version: str) -> None:
    """Replace the imported taxonomy (one transaction: the caller commits)."""
    session.execute(delete(TaxonomySkill))
    session.execute(delete(TaxonomyOccupation))
    session.flush()
    skill_rows = [{"uri": s.uri, "label": s.label[:500], "data": _skill_data(s)} for s in taxonomy.skills.values()]
    role_rows = [{"uri": r.uri, "label": r.label[:500], "data": _role_data(r)} for r in taxonomy.roles.values()]
    for rows, model in ((skill_rows, TaxonomySkill), (role_rows, TaxonomyOccupation)):
        for start in range(0, len(rows), 2000):
            session.execute(model.__table__.insert(), rows[start:start + 2000])
    setting = session.get(Setting, _VERSION_KEY)
    if setting is None:
        session.add(Setting(key=_VERSION_KEY, value=version))
    else:
        setting.value = version
    name = session.get(Setting, "taxonomy_name")
    if name is None:
        session.add(Setting(key="taxonomy_name", value=taxonomy.name or ""))
    else:
        name.value = taxonomy.name or ""


def _skill_data(skill: Skill) -> dict[str, Any]:
    data = asdict(skill)
    data.pop("uri")
    data.pop("label")
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items() if v}


def _role_data(role: Role) -> dict[str, Any]:
    return {"alt_labels": list(role.alt_labels), "description": role.description, "source": role.source,
            "requirements": [[r.skill_uri, r.weight, r.essential] for r in role.requirements]}


def taxonomy_from_db(session: Session) -> Taxonomy:
    skills = []
    for uri, label, data in session.execute(select(TaxonomySkill.uri, TaxonomySkill.label, TaxonomySkill.data)):
        skills.append(Skill(uri=uri, label=label, alt_labels=tuple(data.get("alt_labels", ())),
                            hidden_labels=tuple(data.get("hidden_labels", ())),
                            description=data.get("description", ""), kind=data.get("kind", ""),
                            broader=tuple(data.get("broader", ())), related=tuple(data.get("related", ()))))
    roles = []
    for uri, label, data in session.execute(select(TaxonomyOccupation.uri, TaxonomyOccupation.label,
                                                   TaxonomyOccupation.data)):
        roles.append(Role(uri=uri, label=label, alt_labels=tuple(data.get("alt_labels", ())),
                          description=data.get("description", ""), source=data.get("source", ""),
                          requirements=tuple(matcher.Requirement(u, float(w), bool(e))
                                             for u, w, e in data.get("requirements", ()))))
    name = session.get(Setting, "taxonomy_name")
    return Taxonomy(skills, roles, name=name.value if name else "", source="database")


def descendants(taxonomy: Taxonomy, uri: str, depth: int = 3) -> set[str]:
    found: set[str] = set()
    frontier = [uri]
    for _ in range(depth):
        nxt = []
        for current in frontier:
            for child in taxonomy.narrower(current):
                if child not in found and child != uri:
                    found.add(child)
                    nxt.append(child)
        frontier = nxt
    return found
