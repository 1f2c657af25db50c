"""Rank candidates for a role: the weighted coverage of its requirements by each candidate's
best evidence, with the reasons.

A piece of evidence (a credential mapped onto a skill) has a strength

    confidence of the match x hierarchy credit x verification standing x recency x issuer trust

- standing: valid 1.0, valid with warnings 0.8, indeterminate (unverifiable) 0.5, invalid 0;
- recency: 1.0 for credentials issued in the last two years, then halving every three years
  down to 0.25; 0.9 when undated; 0 once expired;
- hierarchy credit: evidence of a narrower skill (SQL) covers a requirement for a broader one
  (query languages) at 0.8 per level of the taxonomy's broader links, as the matcher does;
- issuer trust: given by the caller (an employer's trust lists), 0..1.

A requirement is covered by the strongest evidence the role's verification policy accepts; the
score is the weighted mean of those strengths (0..1). A candidate missing a must-have is either
excluded or ranked below everyone who has them all, as the role says. Ties are broken by the
candidate's id, so the order is the same on every call.

Nothing here touches a database or the network: the caller hands over the evidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ._evidence import HIERARCHY_DEPTH, HIERARCHY_FACTOR

STANDING = {"valid": 1.0, "valid-with-warnings": 0.8, "indeterminate": 0.5, "invalid": 0.0}
_STANDING_ORDER = {"invalid": 0, "indeterminate": 1, "valid-with-warnings": 2, "valid": 3}
VERIFIED = frozenset({"valid", "valid-with-warnings"})
RECENT_YEARS = 2.0
HALF_LIFE_YEARS = 3.0
RECENCY_FLOOR = 0.25
UNDATED_RECENCY = 0.9
MUST_HAVE_POLICIES = ("exclude", "rank_below")
_YEAR = 365.25 * 86400


@dataclass(frozen=True, slots=True)
class RequirementSpec:
    """A skill a role asks for. ``weight`` is relative to the role's other requirements."""

    skill_uri: str
    label: str = ""
    weight: float = 1.0
    must_have: bool = False


@dataclass(frozen=True, slots=True)
class AcceptRule:
    """Which evidence counts: at least ``min_standing``, and from a trusted issuer if asked."""

    min_standing: str = "indeterminate"
    trusted_issuer: bool = False

    def __post_init__(self) -> None:
        if self.min_standing not in _STANDING_ORDER or self.min_standing == "invalid":
            raise ValueError("min_standing must be valid, valid-with-warnings or indeterminate")

    def refusal(self, verdict: str, issuer_trusted: bool) -> tuple[str, str] | None:
        """Why this rule refuses evidence of that standing, as (gap kind, detail): "unverified"
        or "untrusted"; None when it accepts it."""
        if verdict == "invalid" or verdict not in _STANDING_ORDER:
            return "unverified", "the credential did not verify"
        if _STANDING_ORDER[verdict] < _STANDING_ORDER[self.min_standing]:
            return "unverified", f"the policy needs a {self.min_standing} credential, this one is {verdict}"
        if self.trusted_issuer and not issuer_trusted:
            return "untrusted", "the policy needs a trusted issuer"
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"min_standing": self.min_standing, "trusted_issuer": self.trusted_issuer}


@dataclass(frozen=True, slots=True)
class VerificationPolicy:
    """The evidence a role accepts for its must-haves and for its other requirements."""

    must_have: AcceptRule = AcceptRule()
    nice_to_have: AcceptRule = AcceptRule()

    def rule(self, must_have: bool) -> AcceptRule:
        return self.must_have if must_have else self.nice_to_have

    def to_dict(self) -> dict[str, Any]:
        return {"must_have": self.must_have.to_dict(), "nice_to_have": self.nice_to_have.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> VerificationPolicy:
        data = data or {}
        rules = {}
        for key in ("must_have", "nice_to_have"):
            part = data.get(key) or {}
            if not isinstance(part, Mapping):
                raise ValueError(f"policy.{key} must be an object")
            unknown = set(part) - {"min_standing", "trusted_issuer"}
            if unknown:
                raise ValueError(f"policy.{key} has unknown fields: {', '.join(sorted(unknown))}")
            trusted = part.get("trusted_issuer", False)
            if not isinstance(trusted, bool):
                raise ValueError(f"policy.{key}.trusted_issuer must be true or false")
            rules[key] = AcceptRule(str(part.get("min_standing", "indeterminate")), trusted)
        return cls(**rules)


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """A skill one credential evidences, with what ranking needs to weigh it."""

    candidate_id: Hashable
    credential_id: Hashable
    skill_uri: str
    confidence: float
    verdict: str
    issued: datetime | float | None = None       # a datetime, or seconds since 1970 (UTC)
    valid_until: datetime | float | None = None
    issuer_trust: float = 1.0
    issuer_trusted: bool = False
    evidence_id: Hashable | None = None


@dataclass(frozen=True, slots=True)
class Coverage:
    """How one requirement is met for one candidate."""

    requirement: RequirementSpec
    strength: float
    contribution: float
    evidence: EvidenceItem | None = None
    standing: float = 0.0
    recency: float = 0.0
    hierarchy_depth: int = 0

    @property
    def covered(self) -> bool:
        return self.strength > 0


@dataclass(frozen=True, slots=True)
class Gap:
    """A requirement without accepted evidence: ``kind`` is missing, unverified, expired or untrusted."""

    requirement: RequirementSpec
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class MoveUp:
    """The fewest requirements whose verified evidence would bring a candidate into the top N."""

    target_rank: int
    target_score: float
    requirements: tuple[RequirementSpec, ...]
    score_after: float
    reachable: bool


@dataclass(slots=True)
class RankedRow:
    candidate_id: Hashable
    rank: int
    score: float
    must_haves_met: bool
    _best: dict[int, tuple[float, EvidenceItem, int]] = field(repr=False, default_factory=dict)


@dataclass(frozen=True, slots=True)
class Explanation:
    coverage: tuple[Coverage, ...]
    gaps: tuple[Gap, ...]
    move_up: MoveUp | None


def recency(issued: datetime | float | None, valid_until: datetime | float | None, now: datetime) -> float:
    """1.0 when recent, fading with age, 0 once expired (naive datetimes are read as UTC)."""
    return _recency(issued, valid_until, _aware(now).timestamp())


def _timestamp(value: datetime | float) -> float:
    return value if isinstance(value, (int, float)) else _aware(value).timestamp()


def _recency(issued: datetime | float | None, valid_until: datetime | float | None, now: float) -> float:
    if valid_until is not None and _timestamp(valid_until) <= now:
        return 0.0
    if issued is None:
        return UNDATED_RECENCY
    age = (now - _timestamp(issued)) / _YEAR
    if age <= RECENT_YEARS:
        return 1.0
    return max(RECENCY_FLOOR, 0.5 ** ((age - RECENT_YEARS) / HALF_LIFE_YEARS))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class Ranking:
    """The ordered rows of one ranking, with lazy per-row explanations."""

    def __init__(self, requirements: tuple[RequirementSpec, ...], rows: list[RankedRow],
                 excluded: list[Hashable], evidence: dict[Hashable, list[EvidenceItem]],
                 context: _Context, top_n: int, all_rows: list[RankedRow]) -> None:
        self.requirements = requirements
        self.rows = rows
        self.excluded = excluded
        self.top_n = top_n
        self._evidence = evidence
        self._ctx = context
        self._all = all_rows

    @property
    def policy(self) -> VerificationPolicy:
        return self._ctx.policy

    @property
    def cutoff(self) -> RankedRow | None:
        """The row at rank N, which a candidate must beat to enter the top N."""
        if self.top_n <= 0 or len(self._all) < self.top_n:
            return None
        return self._all[self.top_n - 1]

    def explain(self, row: RankedRow) -> Explanation:
        ctx = self._ctx
        coverage = []
        for index, requirement in enumerate(self.requirements):
            best = row._best.get(index)
            if best is None:
                coverage.append(Coverage(requirement, 0.0, 0.0))
                continue
            strength, item, depth = best
            coverage.append(Coverage(requirement, round(strength, 6),
                                     round(requirement.weight * strength / ctx.total_weight, 6), item,
                                     STANDING.get(item.verdict, 0.0), ctx.recency_of(item), depth))
        gaps = tuple(self._gap(row, index, requirement) for index, requirement in enumerate(self.requirements)
                     if index not in row._best)
        return Explanation(tuple(coverage), gaps, self._move_up(row, coverage))

    def _gap(self, row: RankedRow, index: int, requirement: RequirementSpec) -> Gap:
        ctx = self._ctx
        refusals: list[tuple[str, str]] = []
        for item in self._evidence.get(row.candidate_id, ()):
            if not any(i == index for i, _ in ctx.covers(item.skill_uri)):
                continue
            refusals.append(ctx.refusal(item, requirement))
        if not refusals:
            return Gap(requirement, "missing", "no credential evidences this skill")
        order = ("untrusted", "unverified", "expired", "weak")
        kind, detail = min(refusals, key=lambda r: order.index(r[0]) if r[0] in order else len(order))
        return Gap(requirement, kind, detail)

    def _move_up(self, row: RankedRow, coverage: list[Coverage]) -> MoveUp | None:
        cutoff = self.cutoff
        if cutoff is None or row.rank <= self.top_n:
            return None
        total = self._ctx.total_weight
        gains = []
        for index, item in enumerate(coverage):
            if item.evidence is not None and item.evidence.verdict == "valid":
                continue  # covered by a fully verified credential: not a gap verification would close
            gain = item.requirement.weight * (1.0 - item.strength) / total
            gains.append((index, gain, item.requirement))
        needed_musts = [g for g in gains if g[2].must_have and g[0] not in row._best]
        if cutoff.must_haves_met and not row.must_haves_met:
            chosen = list(needed_musts)
        else:
            chosen = []
        rest = sorted((g for g in gains if g not in chosen), key=lambda g: (-g[1], g[0]))
        score = row.score + sum(g[1] for g in chosen)

        def beats(value: float) -> bool:
            value = round(value, 9)
            return value > cutoff.score or (value == cutoff.score and row.candidate_id < cutoff.candidate_id)

        for gain in rest:
            if beats(score) and chosen:
                break
            chosen.append(gain)
            score += gain[1]
        reachable = beats(score)
        chosen.sort(key=lambda g: g[0])
        return MoveUp(self.top_n, cutoff.score, tuple(g[2] for g in chosen), round(min(score, 1.0), 6),
                      reachable)


class _Context:
    def __init__(self, requirements: tuple[RequirementSpec, ...], policy: VerificationPolicy,
                 verified_only: bool, now: datetime,
                 ancestors: Callable[[str], Iterable[tuple[str, int]]] | None) -> None:
        self.policy = policy
        self.verified_only = verified_only
        self._now_ts = now.timestamp()
        self.total_weight = sum(r.weight for r in requirements) or 1.0
        self._ancestors = ancestors
        self._index: dict[str, list[int]] = {}
        for i, requirement in enumerate(requirements):
            self._index.setdefault(requirement.skill_uri, []).append(i)
        self._covers: dict[str, tuple[tuple[int, int], ...]] = {}
        self._recency: dict[tuple[Any, Any], float] = {}

    def covers(self, skill_uri: str) -> tuple[tuple[int, int], ...]:
        """(requirement index, hierarchy depth) for each requirement evidence of this skill meets."""
        found = self._covers.get(skill_uri)
        if found is None:
            pairs = [(i, 0) for i in self._index.get(skill_uri, ())]
            if self._ancestors is not None:
                for broader, depth in self._ancestors(skill_uri):
                    if depth <= HIERARCHY_DEPTH:
                        pairs.extend((i, depth) for i in self._index.get(broader, ()))
            best: dict[int, int] = {}
            for i, depth in pairs:
                best[i] = min(depth, best.get(i, depth))
            found = self._covers[skill_uri] = tuple(sorted(best.items()))
        return found

    def recency_of(self, item: EvidenceItem) -> float:
        key = (item.issued, item.valid_until)
        value = self._recency.get(key)
        if value is None:
            value = self._recency[key] = _recency(item.issued, item.valid_until, self._now_ts)
        return value

    def policy_refusal(self, must_have: bool, verdict: str, issuer_trusted: bool) -> tuple[str, str] | None:
        """Why evidence of that standing is refused for a requirement, or None when it is accepted."""
        if self.verified_only and verdict not in VERIFIED:
            return "unverified", "only verified credentials count in this shortlist"
        return self.policy.rule(must_have).refusal(verdict, issuer_trusted)

    def refusal(self, item: EvidenceItem, requirement: RequirementSpec) -> tuple[str, str]:
        """Why accepted or not, this evidence does not cover the requirement."""
        refused = self.policy_refusal(requirement.must_have, item.verdict, item.issuer_trusted)
        if refused:
            return refused
        if self.recency_of(item) == 0.0:
            return "expired", "the credential has expired"
        if item.issuer_trust <= 0:
            return "untrusted", "the issuer is distrusted"
        return "weak", "the evidence carries no weight"


def rank(requirements: Sequence[RequirementSpec], evidence: Iterable[EvidenceItem], *,
         candidates: Iterable[Hashable] | None = None,
         policy: VerificationPolicy | None = None,
         must_have_policy: str = "rank_below",
         verified_only: bool = False,
         min_score: float = 0.0,
         top_n: int = 10,
         now: datetime | None = None,
         ancestors: Callable[[str], Iterable[tuple[str, int]]] | None = None) -> Ranking:
    """Rank every candidate in ``candidates`` (default: those with evidence) for the requirements.

    ``ancestors(skill_uri)`` yields (broader skill URI, distance) pairs, as
    ``Taxonomy.ancestors`` does; without it, only exact skills count.
    """
    if must_have_policy not in MUST_HAVE_POLICIES:
        raise ValueError(f"must_have_policy must be one of {', '.join(MUST_HAVE_POLICIES)}")
    requirements = tuple(requirements)
    if any(r.weight < 0 or not math.isfinite(r.weight) for r in requirements):
        raise ValueError("requirement weights must be finite and not negative")
    ctx = _Context(requirements, policy or VerificationPolicy(), verified_only,
                   _aware(now) if now else datetime.now(timezone.utc), ancestors)
    by_candidate: dict[Hashable, list[EvidenceItem]] = {}
    best: dict[Hashable, dict[int, tuple[float, EvidenceItem, int]]] = {}
    # The loop below is the hot path (one pass per evidence item): the policy is turned into a
    # lookup table and the per-item factors are computed once, before the requirements it covers.
    accepts: dict[tuple[bool, str, bool], bool] = {}
    must = [r.must_have for r in requirements]
    hierarchy = [HIERARCHY_FACTOR ** d for d in range(HIERARCHY_DEPTH + 1)]
    covers_of = ctx.covers
    recency_of = ctx.recency_of
    policy_refusal = ctx.policy_refusal
    for item in evidence:
        cid = item.candidate_id
        mine_items = by_candidate.get(cid)
        if mine_items is None:
            by_candidate[cid] = [item]
        else:
            mine_items.append(item)
        covers = covers_of(item.skill_uri)
        if not covers:
            continue
        verdict = item.verdict
        trusted = item.issuer_trusted
        accepted = []
        for index, depth in covers:
            key = (must[index], verdict, trusted)
            ok = accepts.get(key)
            if ok is None:
                ok = accepts[key] = policy_refusal(*key) is None
            if ok:
                accepted.append((index, depth))
        if not accepted:
            continue
        standing = STANDING.get(verdict, 0.0)
        if standing <= 0:
            continue
        confidence = min(max(item.confidence, 0.0), 1.0)
        trust = min(max(item.issuer_trust, 0.0), 1.0)
        base = confidence * standing * trust
        if base <= 0:
            continue
        base *= recency_of(item)
        if base <= 0:
            continue
        mine = best.get(cid)
        if mine is None:
            mine = best[cid] = {}
        for index, depth in accepted:
            strength = base * hierarchy[depth]
            current = mine.get(index)
            if current is None or strength > current[0] or (
                    strength == current[0] and _item_key(item) < _item_key(current[1])):
                mine[index] = (strength, item, depth)
    ids = list(dict.fromkeys(candidates)) if candidates is not None else list(by_candidate)
    must_indexes = [i for i, r in enumerate(requirements) if r.must_have]
    rows: list[RankedRow] = []
    excluded: list[Hashable] = []
    total = ctx.total_weight
    weights = [r.weight for r in requirements]
    for cid in ids:
        mine = best.get(cid) or {}
        score = 0.0
        for i, found in mine.items():
            score += weights[i] * found[0]
        score /= total
        met = True
        for i in must_indexes:
            if i not in mine:
                met = False
                break
        if not met and must_have_policy == "exclude":
            excluded.append(cid)
            continue
        rows.append(RankedRow(cid, 0, round(score, 9), met, mine))
    rows.sort(key=lambda r: (not r.must_haves_met, -r.score, r.candidate_id))
    for position, row in enumerate(rows, 1):
        row.rank = position
    shown = [r for r in rows if r.score >= min_score] if min_score > 0 else rows
    return Ranking(requirements, shown, excluded, by_candidate, ctx, top_n, rows)


def _item_key(item: EvidenceItem) -> tuple[str, str]:
    return (str(item.credential_id), str(item.evidence_id))


__all__ = ["AcceptRule", "Coverage", "EvidenceItem", "Explanation", "Gap", "MoveUp", "RankedRow",
           "Ranking", "RequirementSpec", "VerificationPolicy", "STANDING", "rank", "recency"]
