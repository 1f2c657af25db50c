"""A test issuer of our own: did:key Ed25519 keys, OB 3.0 credentials signed with
eddsa-rdfc-2022 or Ed25519Signature2020, status lists, VC-JWTs, and an offline
document map for everything it publishes."""
from __future__ import annotations

import base64
import copy
import gzip
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519
from joserfc import jws
from joserfc.jwk import OKPKey

from verifier import DocumentMap
from verifier._dataintegrity import DidKeyIssuer, sign

V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CREATED = datetime(2025, 1, 1, tzinfo=timezone.utc)


class Issuer(DidKeyIssuer):
    """A did:key issuer whose key is made from ``seed``, so each seed is the same issuer every run."""

    def __init__(self, seed: int = 1) -> None:
        super().__init__(ed25519.Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32))

    def sign(self, document: dict[str, Any], *, suite: str = "eddsa-rdfc-2022", vm: str | None = None,
             key: ed25519.Ed25519PrivateKey | None = None) -> dict[str, Any]:
        return sign(document, key or self.key, vm or self.vm, suite=suite, created=CREATED)

    def jwt(self, document: dict[str, Any], header: dict[str, Any] | None = None) -> str:
        header = header or {"alg": "EdDSA", "kid": self.vm}
        payload = json.dumps(document).encode()
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return jws.serialize_compact(header, payload, OKPKey.import_key(self.key), algorithms=[header["alg"]])


def badge(issuer: str, **extra: Any) -> dict[str, Any]:
    document = {
        "@context": [V2, OB3],
        "id": "urn:uuid:6f1b5a3e-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Teamwork",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Test University"},
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": False,
                            "identityHash": "ada@example.org"}],
            "achievement": {"id": "https://example.org/achievements/1", "type": ["Achievement"],
                            "name": "Teamwork", "description": "Works in a team.",
                            "criteria": {"narrative": "Did teamwork."}},
        },
    }
    document.update(copy.deepcopy(extra))
    return document


def encoded_list(revoked: set[int], size_bits: int = 131072) -> str:
    bits = bytearray(size_bits // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")


def status_list(issuer: Issuer, url: str, revoked: set[int], purpose: str = "revocation",
                **extra: Any) -> dict[str, Any]:
    document = {
        "@context": [V2], "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did, "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": purpose,
                              "encodedList": encoded_list(revoked)},
    }
    document.update(extra)
    return issuer.sign(document)


def status_entry(url: str, index: int, purpose: str = "revocation") -> dict[str, Any]:
    return {"id": f"{url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": url}


def offline(tmp_path: Path, documents: dict[str, Any]) -> DocumentMap:
    """A DocumentMap serving the given {url: JSON document} from files."""
    mapping = {}
    for number, (url, document) in enumerate(documents.items()):
        path = tmp_path / f"doc{number}.json"
        path.write_text(json.dumps(document))
        mapping[url] = path.name
    return DocumentMap(mapping, tmp_path)
