"""Does the credential belong to the candidate? Compare a claimed identity
with a plain or salted-hash identity object (OB 2.0 recipient, OB 3.0 identifier)."""
from __future__ import annotations

import hashlib
import hmac
from typing import Any

_HASHES = {"sha256": hashlib.sha256, "md5": hashlib.md5}
_TYPE_PREFIXES = {"email": "mailto:", "url": "", "telephone": "tel:"}


def normalise_identity(identity_type: str, value: str) -> str:
    value = value.strip()
    kind = identity_type.lower().rsplit(":", 1)[-1]
    if kind in ("email", "emailaddress"):
        value = value.removeprefix("mailto:").lower()
    elif kind in ("telephone", "phone", "phonenumber"):
        value = value.removeprefix("tel:").replace(" ", "").replace("-", "")
    return value


def identity_matches(identity_object: dict[str, Any], claimed: str) -> tuple[bool, str]:
    """(matched, how) for one identity object against a claimed identity string."""
    identity = identity_object.get("identity") or identity_object.get("identityHash")
    if not isinstance(identity, str):
        return False, "the identity object has no identity value"
    # OB 3.0 names the kind in identityType (its "type" is "IdentityObject"); OB 2.0 in type.
    kind = str(identity_object.get("identityType") or identity_object.get("type") or "email")
    candidates = dict.fromkeys((normalise_identity(kind, claimed), claimed.strip()))
    hashed = identity_object.get("hashed")
    if hashed is True or str(hashed).lower() == "true":
        algorithm, sep, digest = identity.partition("$")
        if not sep or algorithm.lower() not in _HASHES:
            return False, f"unsupported identity hash {identity[:16]!r}"
        salt = identity_object.get("salt") or ""
        expected = digest.lower().encode("utf-8")  # bytes: compare_digest refuses non-ASCII str
        same = any(hmac.compare_digest(_HASHES[algorithm.lower()]((c + str(salt)).encode("utf-8")).hexdigest()
                                       .encode(), expected) for c in candidates)
        return same, f"{algorithm.lower()} hash of the {kind} {'matches' if same else 'does not match'}"
    same = normalise_identity(kind, identity) in candidates
    return same, f"plain {kind} {'matches' if same else 'does not match'}"
