"""Signals to evidence: the skills a credential proves, with the signal and the reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._extract import ID, TEXT, Signal

if TYPE_CHECKING:
    from ._matcher import Match, Matcher

# A skill evidences its broader skills at this factor per level (SQL -> query languages).
HIERARCHY_FACTOR = 0.8
HIERARCHY_DEPTH = 2
MIN_EVIDENCE = 0.3
_MATCHES_PER_PHRASE = 3


@dataclass(frozen=True, slots=True)
class Evidence:
    """A skill a credential evidences. `hierarchy` marks credit passed up from `via`."""

    skill_uri: str
    label: str
    confidence: float
    reason: str
    signal: Signal
    hierarchy: bool = False
    via: str = ""


def map_signals(matcher: Matcher, signals: Iterable[Signal]) -> list[Evidence]:
    """The best evidence for each skill, direct evidence before hierarchy credit, best first."""
    best: dict[str, Evidence] = {}
    for signal in signals:
        for evidence in _evidence_of(matcher, signal):
            current = best.get(evidence.skill_uri)
            if current is None or _rank(evidence) > _rank(current):
                best[evidence.skill_uri] = evidence
    return sorted(best.values(), key=lambda e: (-e.confidence, e.hierarchy, e.label))


def _rank(evidence: Evidence) -> tuple[float, bool]:
    return evidence.confidence, not evidence.hierarchy


def _evidence_of(matcher: Matcher, signal: Signal) -> list[Evidence]:
    direct = [Evidence(m.uri, m.label, round(m.confidence * signal.weight, 3),
                       f"{signal.field} '{_short(signal.text)}': {m.reason}", signal)
              for m in _matches(matcher, signal)]
    direct = [e for e in direct if e.confidence >= MIN_EVIDENCE]
    credited = []
    for evidence in direct:
        for parent, depth in matcher.taxonomy.ancestors(evidence.skill_uri, HIERARCHY_DEPTH):
            confidence = round(evidence.confidence * HIERARCHY_FACTOR ** depth, 3)
            if confidence >= MIN_EVIDENCE:
                credited.append(Evidence(
                    parent, matcher.taxonomy.skills[parent].label, confidence,
                    f"broader than '{evidence.label}' (hierarchy credit)", signal,
                    hierarchy=True, via=evidence.skill_uri))
    return direct + credited


def _matches(matcher: Matcher, signal: Signal) -> list[Match]:
    if signal.kind == ID:
        return matcher.match_id(signal.text)
    if signal.kind == TEXT:
        return matcher.spot(signal.text)
    return matcher.match(signal.text, limit=_MATCHES_PER_PHRASE)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
