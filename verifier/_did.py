"""Resolve a proof's verification method to a public key and its controller.

Methods: did:key (Ed25519, P-256), did:jwk, did:web (``did.json`` through the
fetcher), and https verification-method or controller documents (Multikey,
Ed25519VerificationKey2020/2018, JsonWebKey2020, EcdsaSecp256r1VerificationKey2019).

Convention (1EdTech): a method ``<issuer id>#<multikey>`` whose document part is
the issuer id and whose fragment is a multibase public key is taken as that key
when the issuer publishes no controller document listing its keys; the binding
then rests on the naming convention alone, which the result records.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urldefrag

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from ._errors import FetchError, InputError
from ._multibase import b58decode, b64url_decode, decode_multikey, is_multikey

ED25519 = "Ed25519"
RELATIONSHIPS = ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation",
                 "keyAgreement")
_CURVES = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1}


@dataclass(frozen=True)
class VerificationKey:
    """A resolved public key.

    ``binding`` says how the key is tied to ``controller``: "document" (a DID or
    controller document lists it), "did" (the DID is the key), "convention"
    (issuer-id#multikey), or "self-asserted" (a JOSE header jwk).
    ``purposes`` lists the relationships the controller document gives the key,
    or None when every purpose is implied (did:key, did:jwk).
    """

    id: str
    controller: str | None
    public_key: Any
    kind: str
    how: str
    binding: str = "document"
    purposes: frozenset[str] | None = None


class KeyResolutionError(Exception):
    def __init__(self, message: str, reason: str = "key_unresolved", *, indeterminate: bool = False) -> None:
        super().__init__(message)
        self.reason = reason
        self.indeterminate = indeterminate


def key_from_multikey(value: str) -> tuple[str, Any]:
    kind, raw = decode_multikey(value)
    if kind == ED25519:
        return kind, ed25519.Ed25519PublicKey.from_public_bytes(raw)
    return kind, ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[kind](), raw)


def key_from_jwk(jwk: Any) -> tuple[str, Any]:
    if not isinstance(jwk, dict):
        raise InputError("the JWK is not an object", "bad_key")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    try:
        if kty == "OKP" and crv == "Ed25519":
            return ED25519, ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(str(jwk["x"])))
        if kty == "EC" and crv in _CURVES:
            x, y = (int.from_bytes(b64url_decode(str(jwk[c])), "big") for c in ("x", "y"))
            return crv, ec.EllipticCurvePublicNumbers(x, y, _CURVES[crv]()).public_key()
        if kty == "RSA":
            n, e = (int.from_bytes(b64url_decode(str(jwk[c])), "big") for c in ("n", "e"))
            if n.bit_length() < 2048:
                raise InputError(f"an RSA key of {n.bit_length()} bits is too weak", "bad_key")
            return "RSA", rsa.RSAPublicNumbers(e, n).public_key()
    except (KeyError, ValueError) as exc:
        raise InputError(f"the JWK is malformed ({exc})", "bad_key") from None
    raise InputError(f"unsupported JWK key type {kty}/{crv}", "unsupported_key")


def key_from_method(method: dict[str, Any]) -> tuple[str, Any]:
    """The public key a verification method object carries."""
    if isinstance(method.get("publicKeyMultibase"), str):
        value = method["publicKeyMultibase"]
        if method.get("type") == "Ed25519VerificationKey2020" and not value.startswith("z6Mk"):
            raise InputError("an Ed25519VerificationKey2020 key must be a multicodec Ed25519 key", "bad_key")
        return key_from_multikey(value)
    if isinstance(method.get("publicKeyJwk"), dict):
        return key_from_jwk(method["publicKeyJwk"])
    if isinstance(method.get("publicKeyBase58"), str) and method.get("type") == "Ed25519VerificationKey2018":
        return ED25519, ed25519.Ed25519PublicKey.from_public_bytes(b58decode(method["publicKeyBase58"]))
    raise InputError(f"verification method {method.get('id')} carries no supported public key", "unsupported_key")


@lru_cache(maxsize=4096)
def _did_key(did: str) -> tuple[str, Any]:
    return key_from_multikey(did[len("did:key:"):])


def _resolve_did_key(vm_id: str) -> VerificationKey:
    did, fragment = urldefrag(vm_id)
    identifier = did[len("did:key:"):]
    if fragment and fragment != identifier:
        raise KeyResolutionError(f"{vm_id}: a did:key method's fragment must repeat the key", "bad_key")
    kind, key = _did_key(did)
    return VerificationKey(f"{did}#{identifier}", did, key, kind, "did:key", "did")


def _resolve_did_jwk(vm_id: str) -> VerificationKey:
    did, _ = urldefrag(vm_id)
    try:
        jwk = json.loads(b64url_decode(did[len("did:jwk:"):]))
    except (ValueError, InputError):
        raise KeyResolutionError(f"{did} does not encode a JSON JWK", "bad_key") from None
    kind, key = key_from_jwk(jwk)
    return VerificationKey(f"{did}#0", did, key, kind, "did:jwk", "did")


def did_web_url(did: str) -> str:
    parts = did[len("did:web:"):].split(":")
    if not parts[0]:
        raise KeyResolutionError(f"{did} names no host", "bad_key")
    host = unquote(parts[0])
    if "/" in host or "@" in host:
        raise KeyResolutionError(f"{did} has an invalid host", "bad_key")
    path = "/".join(unquote(p) for p in parts[1:]) if len(parts) > 1 else ".well-known"
    return f"https://{host}/{path}/did.json"


def _fetch(fetcher: Any, url: str) -> Any:
    try:
        return fetcher.get_json(url)
    except FetchError as exc:
        raise KeyResolutionError(f"could not fetch {url}: {exc.reason}", "key_unresolved",
                                 indeterminate=exc.kind != "bad_document") from None


def _absolute(ref: str, base: str) -> str:
    return base + ref if ref.startswith("#") else ref


def _methods(document: dict[str, Any], base: str) -> dict[str, tuple[dict[str, Any], set[str]]]:
    """Verification methods a controller document defines, by absolute id, with
    the relationships that reference them."""
    found: dict[str, tuple[dict[str, Any], set[str]]] = {}
    for item in document.get("verificationMethod") or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            found.setdefault(_absolute(item["id"], base), (item, set()))
    for relationship in RELATIONSHIPS:
        for item in document.get(relationship) or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                method_id = _absolute(item["id"], base)
                found.setdefault(method_id, (item, set()))[1].add(relationship)
            elif isinstance(item, str):
                found.setdefault(_absolute(item, base), ({}, set()))[1].add(relationship)
    return found


def _from_controller_document(vm_id: str, document: Any, base: str, how: str) -> VerificationKey | None:
    if not isinstance(document, dict):
        raise KeyResolutionError(f"{base} is not a JSON object", "key_unresolved")
    methods = _methods(document, base)
    if vm_id not in methods or not methods[vm_id][0]:
        if document.get("id") == vm_id or (not methods and "publicKeyMultibase" in document):
            return _from_method_document(vm_id, document, how)
        return None
    method, purposes = methods[vm_id]
    kind, key = key_from_method(method)
    controller = method.get("controller") or document.get("id") or base
    return VerificationKey(vm_id, controller, key, kind, how, "document", frozenset(purposes))


def _from_method_document(vm_id: str, method: dict[str, Any], how: str) -> VerificationKey:
    kind, key = key_from_method(method)
    controller = method.get("controller")
    return VerificationKey(vm_id, controller if isinstance(controller, str) else None, key, kind, how,
                           "document", None)


def _resolve_did_web(vm_id: str, fetcher: Any) -> VerificationKey:
    did, _ = urldefrag(vm_id)
    url = did_web_url(did)
    document = _fetch(fetcher, url)
    if isinstance(document, dict) and document.get("id") not in (None, did):
        raise KeyResolutionError(f"{url} describes {document.get('id')}, not {did}", "key_unresolved")
    key = _from_controller_document(vm_id, document, did, "did:web")
    if key is None:
        raise KeyResolutionError(f"{did}'s DID document has no verification method {vm_id}", "key_unresolved")
    if key.controller != did:
        raise KeyResolutionError(f"{vm_id} is controlled by {key.controller}, not {did}", "issuer_key_binding")
    return key


def _backlinked(key: VerificationKey, fetcher: Any) -> VerificationKey:
    """A method fetched from its own document must be listed by its controller."""
    if not key.controller:
        raise KeyResolutionError(f"verification method {key.id} names no controller", "issuer_key_binding")
    controller_doc = _fetch(fetcher, urldefrag(key.controller)[0])
    listed = _methods(controller_doc, key.controller) if isinstance(controller_doc, dict) else {}
    if key.id not in listed:
        raise KeyResolutionError(f"{key.controller} does not list the verification method {key.id}",
                                 "issuer_key_binding")
    return VerificationKey(key.id, key.controller, key.public_key, key.kind, key.how, "document",
                           frozenset(listed[key.id][1]) or None)


def _convention(vm_id: str, issuer: str | None) -> VerificationKey | None:
    base, fragment = urldefrag(vm_id)
    if issuer and base == issuer and is_multikey(fragment):
        kind, key = key_from_multikey(fragment)
        return VerificationKey(vm_id, issuer, key, kind, "issuer-id#multikey", "convention")
    return None


def _resolve_https(vm_id: str, fetcher: Any, issuer: str | None) -> VerificationKey:
    base = urldefrag(vm_id)[0]
    try:
        document = _fetch(fetcher, base)
    except KeyResolutionError:
        fallback = _convention(vm_id, issuer)
        if fallback is None:
            raise
        return fallback
    key = _from_controller_document(vm_id, document, base, "https document")
    if key is None:
        lists_keys = isinstance(document, dict) and bool(_methods(document, base))
        fallback = None if lists_keys else _convention(vm_id, issuer)
        if fallback is None:
            raise KeyResolutionError(f"{base} does not define the verification method {vm_id}", "key_unresolved")
        return fallback
    if key.controller and urldefrag(key.controller)[0] != base:
        return _backlinked(key, fetcher)
    return key


def resolve_key(vm_id: Any, fetcher: Any, *, issuer: str | None = None) -> VerificationKey:
    """Resolve a verification method id to its key, or raise KeyResolutionError."""
    if not isinstance(vm_id, str) or not vm_id:
        raise KeyResolutionError("the proof names no verificationMethod", "key_unresolved")
    try:
        if vm_id.startswith("did:key:"):
            return _resolve_did_key(vm_id)
        if vm_id.startswith("did:jwk:"):
            return _resolve_did_jwk(vm_id)
        if vm_id.startswith("did:web:"):
            return _resolve_did_web(vm_id, fetcher)
        if vm_id.startswith(("https://", "http://")):
            return _resolve_https(vm_id, fetcher, issuer)
    except InputError as exc:
        raise KeyResolutionError(f"{vm_id}: {exc}", exc.kind) from None
    except ValueError as exc:
        raise KeyResolutionError(f"{vm_id}: not a valid public key ({exc})", "bad_key") from None
    method = vm_id.split(":", 2)[1] if vm_id.startswith("did:") else vm_id.split(":", 1)[0]
    raise KeyResolutionError(f"verification method {vm_id}: the method {method!r} is not supported",
                             "unsupported_key")


def same_entity(controller: str | None, issuer: str | None) -> bool:
    """Whether a key controller is the issuer (a DID and its document, ignoring fragments)."""
    if not controller or not issuer:
        return False
    return urldefrag(controller)[0] == urldefrag(issuer)[0]


__all__ = ["KeyResolutionError", "VerificationKey", "did_web_url", "key_from_jwk", "key_from_method",
           "key_from_multikey", "resolve_key", "same_entity"]
