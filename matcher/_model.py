"""The taxonomy model: skills, roles and their requirements, held immutably and indexed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from rapidfuzz import fuzz, process

from ._normalise import normalise


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill or knowledge concept of a taxonomy."""

    uri: str
    label: str
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    description: str = ""
    kind: str = ""
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Requirement:
    """One skill a role asks for, with its weight (0..1), whether it is essential and,
    where the taxonomy says, the level it is needed at (0..1)."""

    skill_uri: str
    weight: float = 1.0
    essential: bool = True
    level: float | None = None


@dataclass(frozen=True, slots=True)
class Role:
    """An occupation of a taxonomy or an employer's own role."""

    uri: str
    label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    requirements: tuple[Requirement, ...] = ()
    source: str = ""

    @property
    def essential(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.essential)

    @property
    def optional(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if not r.essential)


@dataclass(frozen=True, slots=True)
class OccupationHit:
    """A role found by `Taxonomy.search_occupations`."""

    role: Role
    score: float
    matched_label: str


class Taxonomy:
    """Skills and roles, immutable once built, with the lookups the matcher and ranking need."""

    __slots__ = ("name", "source", "_skills", "_roles", "_narrower", "_role_keys",
                 "_role_key_owner", "_demand")

    def __init__(self, skills: Iterable[Skill], roles: Iterable[Role] = (), *,
                 name: str = "", source: str = "") -> None:
        self.name = name
        self.source = source
        skill_map = {s.uri: s for s in skills}
        # Broader links to concepts outside the taxonomy (skill groups, say) are dropped.
        skill_map = {uri: _keep_known_links(s, skill_map) for uri, s in skill_map.items()}
        self._skills: Mapping[str, Skill] = MappingProxyType(skill_map)
        self._roles: Mapping[str, Role] = MappingProxyType({r.uri: r for r in roles})
        narrower: dict[str, list[str]] = {}
        for skill in skill_map.values():
            for parent in skill.broader:
                narrower.setdefault(parent, []).append(skill.uri)
        self._narrower = {uri: tuple(children) for uri, children in narrower.items()}
        demand: dict[str, int] = {}
        for role in self._roles.values():
            for requirement in role.requirements:
                demand[requirement.skill_uri] = demand.get(requirement.skill_uri, 0) + 1
        self._demand = demand
        self._role_keys: list[str] | None = None
        self._role_key_owner: list[str] = []

    def __repr__(self) -> str:
        return (f"Taxonomy(name={self.name!r}, skills={len(self._skills)}, "
                f"roles={len(self._roles)})")

    @property
    def skills(self) -> Mapping[str, Skill]:
        return self._skills

    @property
    def roles(self) -> Mapping[str, Role]:
        return self._roles

    def skill(self, uri: str) -> Skill | None:
        return self._skills.get(uri)

    def role(self, uri: str) -> Role | None:
        return self._roles.get(uri)

    def broader(self, uri: str) -> tuple[str, ...]:
        skill = self._skills.get(uri)
        return skill.broader if skill else ()

    def narrower(self, uri: str) -> tuple[str, ...]:
        return self._narrower.get(uri, ())

    def ancestors(self, uri: str, max_depth: int = 3) -> Iterator[tuple[str, int]]:
        """Broader skills of `uri` with their distance, nearest first, each once."""
        seen = {uri}
        frontier = [uri]
        for depth in range(1, max_depth + 1):
            next_frontier = []
            for current in frontier:
                for parent in self.broader(current):
                    if parent not in seen:
                        seen.add(parent)
                        next_frontier.append(parent)
                        yield parent, depth
            frontier = next_frontier

    def demand(self, uri: str) -> int:
        """How many roles ask for a skill: a prior for telling look-alike concepts apart."""
        return self._demand.get(uri, 0)

    def search_occupations(self, text: str, limit: int = 10) -> list[OccupationHit]:
        """Roles whose label or alternative title resembles `text`, best first."""
        key = normalise(text)
        role_keys = self._searchable_role_labels()
        if not key or not role_keys:
            return []
        hits: dict[str, OccupationHit] = {}
        found = process.extract(key, role_keys, scorer=fuzz.WRatio,
                                limit=limit * 4, score_cutoff=60)
        for matched, score, index in found:
            uri = self._role_key_owner[index]
            if uri not in hits or hits[uri].score < score / 100:
                hits[uri] = OccupationHit(self._roles[uri], score / 100, matched)
        return sorted(hits.values(), key=lambda h: (-h.score, h.role.label))[:limit]

    def _searchable_role_labels(self) -> list[str]:
        # Built on first use: most callers never search roles by name.
        if self._role_keys is None:
            owners = []
            keys = []
            for role in self._roles.values():
                for label in (role.label, *role.alt_labels):
                    keys.append(normalise(label))
                    owners.append(role.uri)
            self._role_key_owner = owners
            self._role_keys = keys
        return self._role_keys

    def with_roles(self, roles: Iterable[Role]) -> Taxonomy:
        """A new taxonomy with `roles` added, replacing roles of the same URI."""
        merged = dict(self._roles)
        merged.update((r.uri, r) for r in roles)
        return Taxonomy(self._skills.values(), merged.values(), name=self.name,
                        source=self.source)


def _keep_known_links(skill: Skill, known: Mapping[str, Skill]) -> Skill:
    broader = tuple(u for u in skill.broader if u in known and u != skill.uri)
    related = tuple(u for u in skill.related if u in known and u != skill.uri)
    if broader == skill.broader and related == skill.related:
        return skill
    return replace(skill, broader=broader, related=related)

