"""Detect what a candidate handed over and decode it into an Envelope.

Ingest never touches the network; a bare URL or id-only assertion comes back
as a ``reference`` envelope, which ``verify`` resolves through its fetcher.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from ._bake import PNG_SIGNATURE, unbake_png, unbake_svg
from ._errors import InputError
from ._safejson import parse_json

MAX_INPUT_BYTES = 10 * 1024 * 1024
_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")
_URL = re.compile(r"^https?://\S+$")

VC_CONTEXTS = ("https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2")
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB1_CONTEXT = "https://w3id.org/openbadges/v1"


@dataclass
class Envelope:
    """A decoded input.

    ``family`` is "ob2", "vc", "legacy" or "reference"; ``format`` the report's
    format name; ``jws`` the compact token when the credential came signed
    that way; ``container`` says what it was baked into ("png", "svg") if anything.
    """

    family: str
    format: str
    credential: Any
    raw: bytes
    source: str | None = None
    jws: str | None = None
    container: str | None = None
    jws_header: dict[str, Any] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def as_list(value: Any) -> list[Any]:
    """JSON-LD lets one value stand for a one-element list; this undoes that."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _b64url(segment: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise InputError("the JWS has a segment that is not base64url", "malformed") from None


def decode_jws(token: str) -> tuple[dict[str, Any], Any]:
    """(header, payload) of a compact JWS, without checking the signature."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise InputError("the JWS does not have three dot-separated parts", "malformed")
    header = parse_json(_b64url(parts[0]), what="JWS header")
    if not isinstance(header, dict) or "alg" not in header:
        raise InputError("the JWS header is not a JSON object with an 'alg'", "malformed")
    payload = parse_json(_b64url(parts[1]), what="JWS payload")
    return header, payload


def _contexts(document: dict[str, Any]) -> list[Any]:
    return as_list(document.get("@context"))


def types_of(document: dict[str, Any]) -> list[str]:
    return [t for t in as_list(document.get("type")) if isinstance(t, str)]


def _vc_format(credential: dict[str, Any], *, jwt: bool) -> str:
    types = types_of(credential)
    if "VerifiablePresentation" in types:
        return "vp-jwt" if jwt else "vp"
    if "ClrCredential" in types:
        return "clr2-vc-jwt" if jwt else "clr2"
    if jwt:
        return "ob3-vc-jwt"
    proofs = as_list(credential.get("proof"))
    if proofs and all(isinstance(p, dict) and p.get("type") == "Ed25519Signature2020" for p in proofs):
        return "ob3-ed25519-2020"
    return "ob3-data-integrity"


def _is_vc(document: dict[str, Any]) -> bool:
    types = types_of(document)
    return (any(c in VC_CONTEXTS for c in _contexts(document))
            or "VerifiableCredential" in types or "VerifiablePresentation" in types)


def _classify_json(document: Any, raw: bytes, source: str | None, container: str | None) -> Envelope:
    if isinstance(document, str):
        return _classify_text(document.strip(), raw, source, container)
    if not isinstance(document, dict):
        raise InputError("the JSON is not an object, so it is not a badge", "not_a_badge")
    if _is_vc(document):
        return Envelope("vc", _vc_format(document, jwt=False), document, raw, source, container=container)
    if set(document) <= {"id", "@context", "type"} and isinstance(document.get("id"), str) \
            and _URL.match(document["id"]):
        return Envelope("reference", "reference", document["id"], raw, source, container=container)
    contexts = _contexts(document)
    types = types_of(document)
    verification = document.get("verification")
    if OB1_CONTEXT in contexts and OB2_CONTEXT not in contexts:  # 1.1 assertions are typed "Assertion" too
        return Envelope("legacy", "ob1", document, raw, source, container=container)
    if "Assertion" in types or (not types and "badge" in document and isinstance(verification, dict)) \
            or (OB2_CONTEXT in contexts and not types and "recipient" in document):
        kind = verification.get("type") if isinstance(verification, dict) else None
        signed = isinstance(kind, str) and kind.lower() in ("signed", "signedbadge")
        return Envelope("ob2", "ob2-signed" if signed else "ob2-hosted", document, raw, source,
                        container=container)
    if OB2_CONTEXT in contexts:
        named = types[0] if types else "document"
        raise InputError(f"this is an Open Badges {named}, not an assertion", "not_a_badge")
    if OB1_CONTEXT in contexts or isinstance(document.get("verify"), dict):
        return Envelope("legacy", "ob1", document, raw, source, container=container)
    if isinstance(document.get("recipient"), str) and isinstance(document.get("badge"), dict):
        return Envelope("legacy", "ob0.5", document, raw, source, container=container)
    raise InputError("the JSON is not an Open Badge or a Verifiable Credential", "not_a_badge")


def _classify_jws(token: str, raw: bytes, source: str | None, container: str | None) -> Envelope:
    header, payload = decode_jws(token)
    if not isinstance(payload, dict):
        raise InputError("the JWS payload is not a JSON object", "not_a_badge")
    if isinstance(payload.get("vc"), dict) or isinstance(payload.get("vp"), dict) or _is_vc(payload):
        credential = payload.get("vc") or payload.get("vp") or payload
        if not isinstance(credential, dict):
            raise InputError("the JWT's vc claim is not an object", "not_a_badge")
        return Envelope("vc", _vc_format(credential, jwt=True), credential, raw, source, jws=token,
                        container=container, jws_header=header)
    envelope = _classify_json(payload, raw, source, container)
    if envelope.family not in ("ob2", "legacy"):
        raise InputError("the JWS payload is not an Open Badges assertion", "not_a_badge")
    envelope.format = "ob2-signed" if envelope.family == "ob2" else envelope.format
    envelope.jws, envelope.jws_header = token, header
    return envelope


def _classify_text(text: str, raw: bytes, source: str | None, container: str | None) -> Envelope:
    if not text:
        raise InputError("the input is empty", "empty")
    if text[0] in "{[\"":
        return _classify_json(parse_json(text, what="input"), raw, source, container)
    if _URL.match(text):
        return Envelope("reference", "reference", text, raw, source, container=container)
    if _JWS.match(text):
        return _classify_jws(text, raw, source, container)
    raise InputError("the input is not JSON, a JWS, a URL, a PNG or an SVG badge", "not_a_badge")


def ingest(data: bytes | str | dict[str, Any], source: str | None = None) -> Envelope:
    """Decode one input (bytes of a file, text, or an already-parsed JSON object)."""
    if isinstance(data, dict):
        raw = repr(data).encode()  # only for the hash; callers with bytes should pass bytes
        return _classify_json(data, raw, source, None)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(f"the input is {len(raw)} bytes, over the {MAX_INPUT_BYTES}-byte limit", "too_large")
    if raw.startswith(PNG_SIGNATURE):
        _, payload = unbake_png(raw)
        return _classify_text(payload, raw, source, "png")
    head = raw[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        _, payload = unbake_svg(raw)
        return _classify_text(payload, raw, source, "svg")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("the input is neither text nor a PNG or SVG image", "not_a_badge") from None
    return _classify_text(text.strip(), raw, source, None)
