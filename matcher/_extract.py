"""Skill signals from a credential: what each field says, with the field it came from.

Accepts an OB 2.0 Assertion (with an embedded BadgeClass) or a bare BadgeClass, an OB 3.0
credential or Achievement, a CLR 2.0 ClrCredential, and the verifier's report summary.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# How much a field says about the skills a credential evidences.
_FIELD_WEIGHTS = {
    "alignment.targetUrl": 1.0, "alignment.targetCode": 1.0, "alignment.targetName": 1.0,
    "association": 1.0, "tag": 0.9, "fieldOfStudy": 0.8, "specialization": 0.8,
    "name": 0.8, "alignment.targetDescription": 0.6, "resultDescription": 0.5,
    "description": 0.5, "criteria.narrative": 0.5,
}
ID, PHRASE, TEXT = "id", "phrase", "text"
_MAX_TEXT = 5000


@dataclass(frozen=True, slots=True)
class Signal:
    """A piece of a credential that may name a skill.

    `kind` says how to read it: "id" (a URI or code), "phrase" (a skill name) or "text"
    (free text, where labels are spotted). `weight` is how much the field says.
    """

    field: str
    text: str
    weight: float
    kind: str = PHRASE
    achievement: str = ""


def extract(credential: dict[str, Any]) -> list[Signal]:
    """The skill signals of a credential, each once, alignments first."""
    if not isinstance(credential, dict):
        return []
    found: dict[tuple[str, str], Signal] = {}
    for signal in _from_document(credential, depth=0):
        found.setdefault((signal.field, signal.text), signal)
    return sorted(found.values(), key=lambda s: -s.weight)


def _from_document(document: dict[str, Any], depth: int) -> Iterator[Signal]:
    if depth > 4:
        return
    if isinstance(document.get("credential"), dict):  # a verifier report
        yield from _from_document(document["credential"], depth + 1)
    badge = document.get("badge")
    if isinstance(badge, dict):  # an OB 2.0 Assertion with its BadgeClass embedded
        yield from _from_achievement(badge)
    for subject in _as_list(document.get("credentialSubject")):
        if isinstance(subject, dict):
            yield from _from_subject(subject, depth)
    if isinstance(document.get("achievement"), (dict, list)) and "credentialSubject" not in document:
        for achievement in _as_list(document["achievement"]):
            if isinstance(achievement, dict):
                yield from _from_achievement(achievement)
    if _looks_like_achievement(document):
        yield from _from_achievement(document)


def _from_subject(subject: dict[str, Any], depth: int) -> Iterator[Signal]:
    for achievement in _as_list(subject.get("achievement")):
        if isinstance(achievement, dict):
            yield from _from_achievement(achievement)
    for nested in _as_list(subject.get("verifiableCredential")):
        if isinstance(nested, dict):
            yield from _from_document(nested, depth + 1)
    for association in _as_list(subject.get("association")):
        if isinstance(association, dict):
            for key in ("targetId", "sourceId"):
                value = association.get(key)
                if isinstance(value, str) and value.strip():
                    yield _signal("association", value, ID)


def _looks_like_achievement(document: dict[str, Any]) -> bool:
    types = {t for t in _as_list(document.get("type")) if isinstance(t, str)}
    if types & {"BadgeClass", "Achievement"}:
        return True
    has_content = any(k in document for k in ("alignment", "alignments", "tags", "tag"))
    return has_content and "badge" not in document and "credentialSubject" not in document


def _from_achievement(achievement: dict[str, Any]) -> Iterator[Signal]:
    name = _text(achievement.get("name"))
    for alignment in _as_list(achievement.get("alignment")) + _as_list(achievement.get("alignments")):
        if not isinstance(alignment, dict):
            continue
        for key in ("targetUrl", "targetCode"):
            if _text(alignment.get(key)):
                yield _signal(f"alignment.{key}", alignment[key], ID, name)
        if _text(alignment.get("targetName")):
            yield _signal("alignment.targetName", alignment["targetName"], PHRASE, name)
        if _text(alignment.get("targetDescription")):
            yield _signal("alignment.targetDescription", alignment["targetDescription"], TEXT, name)
    for key in ("tags", "tag"):
        for tag in _as_list(achievement.get(key)):
            if _text(tag):
                yield _signal("tag", tag, PHRASE, name)
    for key in ("fieldOfStudy", "specialization"):
        if _text(achievement.get(key)):
            yield _signal(key, achievement[key], PHRASE, name)
    if name:
        yield _signal("name", name, PHRASE, name)
    if _text(achievement.get("description")):
        yield _signal("description", achievement["description"], TEXT, name)
    criteria = achievement.get("criteria")
    narrative = criteria.get("narrative") if isinstance(criteria, dict) else None
    if _text(narrative):
        yield _signal("criteria.narrative", narrative, TEXT, name)
    elif _text(criteria) and not str(criteria).startswith(("http://", "https://", "urn:")):
        yield _signal("criteria.narrative", criteria, TEXT, name)
    for result in _as_list(achievement.get("resultDescription")):
        if isinstance(result, dict) and _text(result.get("name")):
            yield _signal("resultDescription", result["name"], PHRASE, name)


def _signal(field: str, text: Any, kind: str, achievement: str = "") -> Signal:
    return Signal(field, str(text).strip()[:_MAX_TEXT], _FIELD_WEIGHTS[field], kind, achievement)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
