"""The employer's issuer trust. One verifier ``TrustPolicy`` decides both what a credential's
``issuer`` check says and how much its evidence weighs in a shortlist.

Configured by ``TRUST_POLICY`` (a policy file: allow/deny lists and known-issuer registries, see
``python -m verifier --trust``), ``TRUSTED_ISSUERS`` / ``DISTRUSTED_ISSUERS`` (issuer ids, DIDs or
domains added to its allow and deny lists), or ``VERIFIER_TRUST`` (a ready policy object)."""
from __future__ import annotations

import dataclasses
import threading
from functools import lru_cache

from flask import Flask

from verifier import TrustPolicy

_lock = threading.Lock()


def policy(app: Flask) -> TrustPolicy | None:
    configured = app.config.get("VERIFIER_TRUST")
    if configured is not None:
        return configured
    with _lock:
        if "skillproof.trust_policy" not in app.extensions:
            app.extensions["skillproof.trust_policy"] = _build_policy(app)
        return app.extensions["skillproof.trust_policy"]


def _build_policy(app: Flask) -> TrustPolicy | None:
    path = app.config.get("TRUST_POLICY")
    allow = frozenset(app.config.get("TRUSTED_ISSUERS") or ())
    deny = frozenset(app.config.get("DISTRUSTED_ISSUERS") or ())
    if not (path or allow or deny):
        return None
    from .ingestion import fetcher  # registries named by URL load through the app's fetcher
    base = TrustPolicy.from_file(path, fetcher=fetcher(app)) if path else TrustPolicy()
    return dataclasses.replace(base, allow=base.allow | allow, deny=base.deny | deny)


class IssuerTrust:
    """The weight of an issuer's evidence: 1 when the policy vouches for it, 0 when it denies
    it, ``UNKNOWN_ISSUER_TRUST`` otherwise."""

    def __init__(self, trust_policy: TrustPolicy | None, unknown: float) -> None:
        self.policy = trust_policy
        self.unknown = max(0.0, min(1.0, float(unknown)))
        self.assess = lru_cache(maxsize=65536)(self._assess)

    @property
    def configured(self) -> bool:
        return self.policy is not None

    def _assess(self, issuer_id: str | None) -> tuple[float, bool, str]:
        """(trust factor, trusted, label)."""
        if self.policy is None or not issuer_id:
            return self.unknown, False, "unknown"
        outcome = self.policy.check(issuer_id).outcome
        if outcome == "failed":
            return 0.0, False, "distrusted"
        if outcome == "passed":
            return 1.0, True, "trusted"
        return self.unknown, False, "unknown"


def issuer_trust(app: Flask) -> IssuerTrust:
    return IssuerTrust(policy(app), app.config.get("UNKNOWN_ISSUER_TRUST", 0.8))
