"""VC-JWT / VC-JOSE compact tokens: find the key, verify the JWS through joserfc,
and compare the registered claims with the credential they carry."""
from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urldefrag

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey

from ._did import KeyResolutionError, VerificationKey, key_from_jwk, resolve_key
from ._errors import InputError

ALGORITHMS = {"EdDSA": "Ed25519", "Ed25519": "Ed25519", "ES256": "P-256", "ES384": "P-384",
              "RS256": "RSA", "RS384": "RSA", "RS512": "RSA", "PS256": "RSA", "PS384": "RSA", "PS512": "RSA"}
_JOSE_KEYS = {"Ed25519": OKPKey, "P-256": ECKey, "P-384": ECKey, "RSA": RSAKey}


class _Registry(jws.JWSRegistry):
    # joserfc's default 512-byte header limit is below a header carrying an RSA jwk
    max_header_length = 16 * 1024
    max_payload_length = 4 * 1024 * 1024


@dataclass
class JwtResult:
    key: VerificationKey | None
    key_error: KeyResolutionError | None
    reason: str | None  # None: the signature verified
    detail: str
    claims: dict[str, Any]


def _key_for(header: dict[str, Any], issuer: str | None, fetcher: Any) -> VerificationKey:
    kid = header.get("kid")
    if isinstance(kid, str) and kid:
        if kid.startswith("#") and issuer:
            kid = issuer + kid
        if kid.startswith(("did:", "https://", "http://")):
            return resolve_key(kid, fetcher, issuer=issuer)
    if isinstance(header.get("jwk"), dict):
        try:
            kind, key = key_from_jwk(header["jwk"])
        except InputError as exc:
            raise KeyResolutionError(f"the JOSE header jwk: {exc}", exc.kind) from None
        return VerificationKey("(JOSE header jwk)", None, key, kind, "JOSE header jwk", "self-asserted")
    if issuer and issuer.startswith(("did:key:", "did:jwk:")):
        return resolve_key(issuer, fetcher, issuer=issuer)
    raise KeyResolutionError("the JWS header names no kid or jwk, and the issuer is not a key DID",
                             "key_unresolved")


def verify_jwt(token: str, header: dict[str, Any], issuer: str | None, fetcher: Any) -> JwtResult:
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        return JwtResult(None, None, "unsupported_proof", f"JWS algorithm {alg!r} is not supported", {})
    try:
        key = _key_for(header, issuer, fetcher)
    except KeyResolutionError as exc:
        return JwtResult(None, exc, "key_unresolved", f"no key to check the {alg} signature with", {})
    if key.kind != ALGORITHMS[alg]:
        return JwtResult(key, None, "signature", f"a {key.kind} key cannot verify a JWS signed with {alg}", {})
    jose_key = _JOSE_KEYS[key.kind].import_key(key.public_key)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # joserfc flags "EdDSA" as deprecated in favour of "Ed25519"
            obj = jws.deserialize_compact(token, jose_key, registry=_Registry(algorithms=[alg], strict_check_header=False))
    except JoseError as exc:
        return JwtResult(key, None, "signature", f"the {alg} JWS signature does not verify ({exc.error})", {})
    except ValueError as exc:
        return JwtResult(key, None, "signature", f"the JWS is malformed ({exc})", {})

    try:
        claims = json.loads(obj.payload)
    except ValueError:
        claims = {}
    return JwtResult(key, None, None, f"{alg} JWS signature verified", claims if isinstance(claims, dict) else {})


def claim_mismatches(claims: dict[str, Any], credential: dict[str, Any], issuer: str | None) -> list[str]:
    """Registered claims that contradict the credential (VC-JWT 1.1 mapping)."""
    problems = []
    iss = claims.get("iss")
    if isinstance(iss, str) and issuer and urldefrag(iss)[0] != urldefrag(issuer)[0]:
        problems.append(f"iss {iss} is not the issuer {issuer}")
    jti = claims.get("jti")
    if isinstance(jti, str) and isinstance(credential.get("id"), str) and jti != credential["id"]:
        problems.append(f"jti {jti} is not the credential id {credential['id']}")
    sub = claims.get("sub")
    subject = credential.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, dict) else None
    if isinstance(sub, str) and isinstance(subject_id, str) and sub != subject_id:
        problems.append(f"sub {sub} is not the subject {subject_id}")
    return problems


def claim_date(claims: dict[str, Any], name: str) -> str | None:
    value = claims.get(name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, timezone.utc).isoformat().replace("+00:00", "Z")
        except (OverflowError, OSError, ValueError):
            return str(value)
    return None


__all__ = ["JwtResult", "claim_date", "claim_mismatches", "verify_jwt"]
