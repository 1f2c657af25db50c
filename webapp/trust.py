"""The employer's issuer trust lists (``TRUSTED_ISSUERS``, ``DISTRUSTED_ISSUERS``).

An entry matches an issuer id exactly, as a prefix when it ends with ``*``, or by host when it is
a bare host name (``badges.example.edu``)."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable
from urllib.parse import urlsplit


class IssuerTrust:
    def __init__(self, trusted: Iterable[str], distrusted: Iterable[str], unknown: float) -> None:
        self.trusted = tuple(trusted)
        self.distrusted = tuple(distrusted)
        self.unknown = max(0.0, min(1.0, float(unknown)))
        self.assess = lru_cache(maxsize=65536)(self._assess)

    @staticmethod
    def _matches(issuer_id: str, entries: tuple[str, ...]) -> bool:
        if not issuer_id:
            return False
        host = (urlsplit(issuer_id).hostname or "").lower() if "://" in issuer_id else ""
        for entry in entries:
            if entry.endswith("*"):
                if issuer_id.startswith(entry[:-1]):
                    return True
            elif entry == issuer_id or ("/" not in entry and ":" not in entry and host == entry.lower()):
                return True
        return False

    def _assess(self, issuer_id: str | None) -> tuple[float, bool, str]:
        """(trust factor, trusted, label)."""
        issuer_id = issuer_id or ""
        if self._matches(issuer_id, self.distrusted):
            return 0.0, False, "distrusted"
        if self._matches(issuer_id, self.trusted):
            return 1.0, True, "trusted"
        return self.unknown, False, "unknown"


def from_config(config) -> IssuerTrust:
    return IssuerTrust(config.get("TRUSTED_ISSUERS") or (), config.get("DISTRUSTED_ISSUERS") or (),
                       config.get("UNKNOWN_ISSUER_TRUST", 0.8))
