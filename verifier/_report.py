"""The verification report: small per-check results composed into a verdict."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Literal

Outcome = Literal["passed", "failed", "warning", "skipped"]

CHECK_IDS = ("input", "schema", "context", "proof", "key", "hosted", "issuer", "status",
             "validity", "recipient", "endorsement")
PROBLEM_BASE = "https://skillproof.dev/problems/"


@dataclass(frozen=True)
class Check:
    """One check's outcome.

    ``reason`` is a fine-grained stable slug ("expired", "revoked", "signature",
    ...) carried as the problem type; ``indeterminate`` marks a failure that
    means "could not be decided" (a key or list that could not be fetched)
    rather than "proved bad".
    """

    id: str
    outcome: Outcome
    detail: str
    fatal: bool = False
    reason: str | None = None
    indeterminate: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "outcome": self.outcome, "fatal": self.fatal, "detail": self.detail}
        if self.outcome in ("failed", "warning"):
            slug = self.reason or self.id
            out["problem"] = {"type": PROBLEM_BASE + slug, "title": slug.replace("_", " "), "detail": self.detail}
            if self.indeterminate:
                out["indeterminate"] = True
        return out


def passed(check_id: str, detail: str) -> Check:
    return Check(check_id, "passed", detail)


def failed(check_id: str, detail: str, reason: str | None = None, *, fatal: bool = True,
           indeterminate: bool = False) -> Check:
    return Check(check_id, "failed", detail, fatal=fatal, reason=reason, indeterminate=indeterminate)


def warning(check_id: str, detail: str, reason: str | None = None) -> Check:
    return Check(check_id, "warning", detail, reason=reason)


def skipped(check_id: str, detail: str) -> Check:
    return Check(check_id, "skipped", detail)


MAX_ENDORSEMENT_DEPTH = 2


def endorsement_rollup(items: list[Any], verify_one: Callable[[Any], "Report"],
                       depth: int) -> tuple[list[Check], list["Report"]]:
    """One nested report per endorsement and one ``endorsement`` check each, never fatal:
    passed when it verified, a warning otherwise."""
    if not items:
        return [], []
    if depth >= MAX_ENDORSEMENT_DEPTH:
        return [skipped("endorsement", "endorsements nested this deep are not followed")], []
    checks, reports = [], []
    for item in items:
        report = verify_one(item)
        reports.append(report)
        issuer = report.credential.get("issuer") or {}
        label = issuer.get("name") or issuer.get("id") or "an endorser"
        if report.verified:
            checks.append(passed("endorsement", f"endorsement by {label} verified"))
        else:
            checks.append(warning("endorsement", f"endorsement by {label} is {report.verdict}", "endorsement"))
    return checks, reports


def verdict_of(checks: list[Check]) -> str:
    fatal_failures = [c for c in checks if c.outcome == "failed" and c.fatal]
    if any(not c.indeterminate for c in fatal_failures):
        return "invalid"
    if fatal_failures:
        return "indeterminate"
    if any(c.outcome in ("warning", "failed") for c in checks):
        return "valid-with-warnings"
    return "valid"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Report:
    format: str
    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] = field(default_factory=dict)
    nested: list["Report"] = field(default_factory=list)
    input_sha256: str = ""
    checked_at: datetime = field(default_factory=utc_now)
    source: str | None = None

    @property
    def verdict(self) -> str:
        return verdict_of(self.checks)

    @property
    def verified(self) -> bool:
        return self.verdict in ("valid", "valid-with-warnings")

    def check(self, check_id: str) -> list[Check]:
        return [c for c in self.checks if c.id == check_id]

    def failing(self) -> list[Check]:
        return [c for c in self.checks if c.outcome == "failed"]

    def to_dict(self) -> dict[str, Any]:
        out = {
            "verdict": self.verdict,
            "verified": self.verified,
            "format": self.format,
            "checks": [c.to_dict() for c in self.checks],
            "credential": self.credential,
            "nested": [n.to_dict() for n in self.nested],
            "checked_at": self.checked_at.isoformat().replace("+00:00", "Z"),
            "input_sha256": self.input_sha256,
        }
        if self.source:
            out["source"] = self.source
        return out
