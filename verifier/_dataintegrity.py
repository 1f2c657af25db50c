"""Data Integrity proofs over RDF-canonicalized JSON-LD: verify and sign.

Suites: DataIntegrityProof with eddsa-rdfc-2022 (and its earlier name
eddsa-2022) or ecdsa-rdfc-2019 (P-256/SHA-256, P-384/SHA-384), and
Ed25519Signature2020. The data signed is hash(canonical proof options) followed
by hash(canonical document without its proof). When a context URL has several
published variants, each combination is tried before a signature is declared
invalid, and the one that verified is reported.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from ._did import ED25519, VerificationKey
from ._errors import InputError
from ._jsonld import LdError, Selection, canonize, selections
from ._multibase import encode_multikey, multibase_decode, multibase_encode_b58

EDDSA_SUITES = ("eddsa-rdfc-2022", "eddsa-2022")
ECDSA_SUITES = ("ecdsa-rdfc-2019",)
_EC_HASH = {"P-256": hashlib.sha256, "P-384": hashlib.sha384}
_EC_ALG = {"P-256": hashes.SHA256, "P-384": hashes.SHA384}


@dataclass
class ProofResult:
    """What verifying one proof found. ``reason`` is None when it verified;
    ``ld_error`` is set when the document could not be processed safely."""

    suite: str
    reason: str | None
    detail: str
    variants: dict[str, str] = field(default_factory=dict)
    ld_error: LdError | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


def suite_of(proof: dict[str, Any]) -> str:
    kind = proof.get("type")
    if kind == "DataIntegrityProof":
        return str(proof.get("cryptosuite") or "DataIntegrityProof without cryptosuite")
    return str(kind)


def is_supported(proof: dict[str, Any]) -> bool:
    kind, suite = proof.get("type"), proof.get("cryptosuite")
    return kind == "Ed25519Signature2020" or (kind == "DataIntegrityProof" and suite in EDDSA_SUITES + ECDSA_SUITES)


def proof_options(document: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any]:
    """The proof without its value, under the document's contexts unless it names its own."""
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" not in options and "@context" in document:
        options["@context"] = document["@context"]
    return options


def unsecured(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "proof"}


def _hash(suite: str, key_kind: str) -> Any:
    return _EC_HASH[key_kind] if suite in ECDSA_SUITES else hashlib.sha256


class _Canonicalizer:
    """Canonical forms of one document under each selection, computed once."""

    def __init__(self, document: dict[str, Any], fetcher: Any) -> None:
        self.document = document
        self.fetcher = fetcher
        self._memo: dict[tuple, str] = {}

    def get(self, selection: Selection) -> str:
        key = selection.cache_key
        if key not in self._memo:
            self._memo[key] = canonize(self.document, selection, self.fetcher)
        return self._memo[key]


def hash_data(document: Any, options: dict[str, Any], selection: Selection, fetcher: Any = None,
              hasher: Any = hashlib.sha256) -> bytes:
    """hash(canonical proof options) || hash(canonical document)."""
    canon = document if isinstance(document, _Canonicalizer) else _Canonicalizer(document, fetcher)
    return (hasher(canonize(options, selection, fetcher).encode()).digest()
            + hasher(canon.get(selection).encode()).digest())


def _check_signature(suite: str, key: VerificationKey, signature: bytes, data: bytes) -> bool:
    try:
        if suite in ECDSA_SUITES:
            half = len(signature) // 2
            der = encode_dss_signature(int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big"))
            key.public_key.verify(der, data, ec.ECDSA(_EC_ALG[key.kind]()))
        else:
            key.public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def _key_fits(suite: str, key: VerificationKey) -> bool:
    if suite in ECDSA_SUITES:
        return key.kind in _EC_HASH
    return key.kind == ED25519


def verify_proof(document: dict[str, Any], proof: dict[str, Any], key: VerificationKey, fetcher: Any = None,
                 canonicalizer: _Canonicalizer | None = None) -> ProofResult:
    """Verify one proof of ``document`` (which may still carry its proofs) with ``key``."""
    suite = suite_of(proof)
    if not is_supported(proof):
        return ProofResult(suite, "unsupported_proof", f"the proof suite {suite} is not supported")
    if not _key_fits(suite, key):
        return ProofResult(suite, "signature", f"a {key.kind} key cannot verify a {suite} proof")
    try:
        signature = multibase_decode(str(proof.get("proofValue") or ""))
    except InputError:
        return ProofResult(suite, "signature", "the proofValue is not a multibase value")
    if proof.get("type") == "Ed25519Signature2020" and not str(proof.get("proofValue", "")).startswith("z"):
        return ProofResult(suite, "signature", "an Ed25519Signature2020 proofValue must be base58btc")
    if len(signature) != (64 if key.kind in (ED25519, "P-256") else 96):
        return ProofResult(suite, "signature", f"the signature is {len(signature)} bytes long")
    body = unsecured(document)
    options = proof_options(body, proof)
    canon = canonicalizer or _Canonicalizer(body, fetcher)
    hasher = _hash(suite, key.kind)
    last_error: LdError | None = None
    tried = 0
    try:
        candidates = selections([body, options], fetcher)
    except LdError as exc:
        return ProofResult(suite, exc.kind, str(exc), ld_error=exc)
    for selection in candidates:
        try:
            data = hash_data(canon, options, selection, fetcher, hasher)
        except LdError as exc:
            last_error = exc
            continue
        tried += 1
        if _check_signature(suite, key, signature, data):
            return ProofResult(suite, None, f"{suite} signature verified", selection.names())
    if tried == 0 and last_error is not None:
        return ProofResult(suite, last_error.kind, str(last_error), ld_error=last_error)
    variants = f" under each of {tried} published context variants" if tried > 1 else ""
    return ProofResult(suite, "signature", f"the {suite} signature does not match the credential{variants}")


def canonicalizer(document: dict[str, Any], fetcher: Any = None) -> _Canonicalizer:
    """A memo of the document's canonical forms, to share between its proofs."""
    return _Canonicalizer(unsecured(document), fetcher)


def sign(document: dict[str, Any], private_key: Any, verification_method: str, *,
         suite: str = "eddsa-rdfc-2022", purpose: str = "assertionMethod", created: datetime | None = None,
         fetcher: Any = None) -> dict[str, Any]:
    """A copy of ``document`` with one more proof (Ed25519 or P-256 private key)."""
    stamp = (created or datetime.now(timezone.utc)).replace(microsecond=0)
    if suite == "Ed25519Signature2020":
        proof: dict[str, Any] = {"type": "Ed25519Signature2020"}
    else:
        proof = {"type": "DataIntegrityProof", "cryptosuite": suite}
    proof.update({"created": stamp.isoformat().replace("+00:00", "Z"), "verificationMethod": verification_method,
                  "proofPurpose": purpose})
    body = unsecured(document)
    options = proof_options(body, proof)
    selection = selections([body, options], fetcher)[0]
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        signature = private_key.sign(hash_data(body, options, selection, fetcher))
    else:
        kind = {256: "P-256", 384: "P-384"}[private_key.curve.key_size]
        der = private_key.sign(hash_data(body, options, selection, fetcher, _EC_HASH[kind]),
                               ec.ECDSA(_EC_ALG[kind]()))
        r, s = decode_dss_signature(der)
        size = private_key.curve.key_size // 8
        signature = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    proof["proofValue"] = multibase_encode_b58(signature)
    existing = document.get("proof")
    proofs = ([] if existing is None else existing if isinstance(existing, list) else [existing]) + [proof]
    return {**document, "proof": proofs[0] if len(proofs) == 1 else proofs}



@dataclass(frozen=True)
class DidKeyIssuer:
    """An Ed25519 private key used as a did:key issuer: its DID, its verification method
    (``did:key:<multikey>#<multikey>``) and Data Integrity proofs by it."""

    key: ed25519.Ed25519PrivateKey

    @property
    def multikey(self) -> str:
        return encode_multikey(ED25519, self.key.public_key().public_bytes_raw())

    @property
    def did(self) -> str:
        return f"did:key:{self.multikey}"

    @property
    def vm(self) -> str:
        return f"{self.did}#{self.multikey}"

    def sign(self, document: dict[str, Any], *, suite: str = "eddsa-rdfc-2022",
             created: datetime | None = None) -> dict[str, Any]:
        """A copy of ``document`` with one more proof by this issuer."""
        return sign(document, self.key, self.vm, suite=suite, created=created)


__all__ = ["DidKeyIssuer", "ProofResult", "canonicalizer", "hash_data", "is_supported", "proof_options", "sign",
           "suite_of", "unsecured", "verify_proof"]
