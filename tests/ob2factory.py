"""Builds Open Badges 2.0 documents for tests: an issuer site (profile, BadgeClass,
signing key, revocation list, image), hosted and signed assertions, endorsements,
and baked PNG/SVG images. Signing uses one RSA test key made once per process."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import png
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jws
from joserfc.jwk import RSAKey

from verifier import DocumentMap

OB2 = "https://w3id.org/openbadges/v2"
OB1 = "https://w3id.org/openbadges/v1"
ISSUED = "2024-03-01T12:00:00Z"
EMAIL = "jo.candidate@example.org"


@dataclass(frozen=True)
class TestKey:
    private_pem: bytes
    public_pem: str

    def signer(self) -> RSAKey:
        return RSAKey.import_key(self.private_pem)


@lru_cache(maxsize=None)
def rsa_key(name: str = "issuer") -> TestKey:
    """An RSA key pair, generated once per process for each name."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return TestKey(private_pem, public_pem)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def canonical(document: Any) -> bytes:
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


def sign(payload: dict[str, Any], key: TestKey | None = None, header: dict[str, Any] | None = None) -> str:
    """A compact RS256 JWS of the payload."""
    key = key or rsa_key()
    token = jws.serialize_compact(header or {"alg": "RS256"}, canonical(payload), key.signer())
    return token.decode() if isinstance(token, bytes) else token


def unsigned_token(payload: dict[str, Any]) -> str:
    """An ``alg: none`` token: header and payload, empty signature."""
    return f"{b64url(canonical({'alg': 'none'}))}.{b64url(canonical(payload))}."


def hs256_token(payload: dict[str, Any], secret: bytes) -> str:
    """An HS256 token whose HMAC secret is, say, the issuer's public key PEM."""
    signing_input = f"{b64url(canonical({'alg': 'HS256'}))}.{b64url(canonical(payload))}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def tamper(token: str, **changes: Any) -> str:
    """The token with its payload changed and the original signature kept."""
    header, payload, signature = token.split(".")
    document = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    document.update(changes)
    return f"{header}.{b64url(canonical(document))}.{signature}"


def hashed_identity(email: str, salt: str | None = "pepper", algorithm: str = "sha256") -> dict[str, Any]:
    digest = hashlib.new(algorithm, (email + (salt or "")).encode()).hexdigest()
    identity = {"type": "email", "hashed": True, "identity": f"{algorithm}${digest}"}
    if salt is not None:
        identity["salt"] = salt
    return identity


# A 1x1 grey PNG, built once.
def _plain_png() -> bytes:
    import io
    out = io.BytesIO()
    png.Writer(1, 1, greyscale=True).write(out, [[128]])
    return out.getvalue()


PLAIN_PNG = _plain_png()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def insert_chunk(image: bytes, chunk: bytes) -> bytes:
    """The PNG with ``chunk`` placed right after IHDR."""
    ihdr_end = 8 + 4 + 4 + 13 + 4
    return image[:ihdr_end] + chunk + image[ihdr_end:]


def itxt(text: bytes, keyword: bytes = b"openbadges", compressed: bool = False) -> bytes:
    body = zlib.compress(text) if compressed else text
    return png_chunk(b"iTXt", keyword + b"\0" + (b"\1" if compressed else b"\0") + b"\0" + b"\0" + b"\0" + body)


def bake_png(payload: str, *, chunk: str = "iTXt", compressed: bool = False,
             keyword: bytes = b"openbadges") -> bytes:
    if chunk == "tEXt":
        return insert_chunk(PLAIN_PNG, png_chunk(b"tEXt", keyword + b"\0" + payload.encode("latin-1")))
    return insert_chunk(PLAIN_PNG, itxt(payload.encode(), keyword, compressed))


def bake_svg(*, verify: str | None = None, body: str | None = None) -> bytes:
    attribute = f' verify="{verify}"' if verify is not None else ""
    inner = f"<![CDATA[{body}]]>" if body is not None else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" '
            f'viewBox="0 0 10 10">\n  <openbadges:assertion{attribute}>{inner}</openbadges:assertion>\n'
            f'  <circle cx="5" cy="5" r="4"/>\n</svg>\n').encode()


@dataclass
class Site:
    """One issuer's published documents under ``base``; ``served`` maps URL to a
    JSON-able document or bytes; ``statuses`` overrides the HTTP status of a URL."""

    base: str = "https://issuer.example"
    name: str = "Example Maker Society"
    key: TestKey = field(default_factory=rsa_key)
    served: dict[str, Any] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.base = self.base.rstrip("/")
        self.issuer_id = f"{self.base}/issuer.json"
        self.badge_id = f"{self.base}/badges/robotics.json"
        self.key_id = f"{self.base}/keys/1.json"
        self.image_id = f"{self.base}/badges/robotics.png"
        self.revocation_id = f"{self.base}/revocations.json"
        self.issuer = {"@context": OB2, "id": self.issuer_id, "type": "Issuer", "name": self.name,
                       "url": self.base + "/", "email": "badges@issuer.example", "publicKey": self.key_id,
                       "revocationList": self.revocation_id}
        self.badge = {"@context": OB2, "id": self.badge_id, "type": "BadgeClass", "name": "Robotics Level 1",
                      "description": "Builds and programs a line-following robot.", "image": self.image_id,
                      "criteria": {"narrative": "Pass the robotics practical."}, "issuer": self.issuer_id,
                      "tags": ["robotics"]}
        self.cryptographic_key = {"@context": OB2, "id": self.key_id, "type": "CryptographicKey",
                                  "owner": self.issuer_id, "publicKeyPem": self.key.public_pem}
        self.revocations = {"@context": OB2, "id": self.revocation_id, "type": "RevocationList",
                            "issuer": self.issuer_id, "revokedAssertions": []}
        self.publish()

    def publish(self) -> None:
        """(Re)publish the linked documents as they now stand."""
        self.served.update({self.issuer_id: self.issuer, self.badge_id: self.badge,
                            self.key_id: self.cryptographic_key, self.revocation_id: self.revocations,
                            self.image_id: PLAIN_PNG})

    def assertion(self, slug: str = "1", *, signed: bool = False, recipient: dict[str, Any] | None = None,
                  publish: bool = True, **extra: Any) -> dict[str, Any]:
        """A hosted assertion (published at its id unless ``publish`` is False) or a signed one."""
        document = {"@context": OB2, "type": "Assertion",
                    "id": f"urn:uuid:00000000-0000-4000-8000-{int(slug):012d}" if signed and slug.isdigit()
                    else f"{self.base}/assertions/{slug}",
                    "recipient": recipient or hashed_identity(EMAIL), "badge": self.badge_id,
                    "issuedOn": ISSUED,
                    "verification": {"type": "SignedBadge", "creator": self.key_id} if signed
                    else {"type": "HostedBadge"}}
        document.update(extra)
        document = {k: v for k, v in document.items() if v is not None}
        if publish and not signed:
            self.served[document["id"]] = document
        return document

    def signed(self, slug: str = "1", key: TestKey | None = None, **extra: Any) -> str:
        return sign(self.assertion(slug, signed=True, **extra), key or self.key)

    def endorsement(self, endorser: "Site", slug: str = "1", **extra: Any) -> dict[str, Any]:
        """A hosted endorsement of this site's BadgeClass, published on the endorser's site."""
        document = {"@context": OB2, "type": "Endorsement", "id": f"{endorser.base}/endorsements/{slug}",
                    "claim": {"id": self.badge_id, "endorsementComment": "Rigorous assessment."},
                    "issuer": endorser.issuer_id, "issuedOn": ISSUED, "verification": {"type": "HostedBadge"}}
        document.update(extra)
        endorser.served[document["id"]] = document
        return document

    def content(self, url: str) -> bytes:
        value = self.served[url]
        return value if isinstance(value, bytes) else json.dumps(value, indent=1).encode()

    def write_map(self, directory: Path, *others: "Site") -> Path:
        """Write every served document (this site's and ``others``') as files beside a
        document map with relative paths; return the map file's path."""
        directory.mkdir(parents=True, exist_ok=True)
        files = directory / "files"
        files.mkdir(exist_ok=True)
        mapping: dict[str, Any] = {}
        for site in (self, *others):
            for index, url in enumerate(list(site.served)):
                name = f"{hashlib.sha256(url.encode()).hexdigest()[:16]}-{index}"
                (files / name).write_bytes(site.content(url))
                status = site.statuses.get(url)
                mapping[url] = {"path": f"files/{name}", "status": status} if status else f"files/{name}"
        map_file = directory / "documents.json"
        map_file.write_text(json.dumps(mapping, indent=1))
        return map_file

    def documents(self, directory: Path, *others: "Site") -> DocumentMap:
        return DocumentMap.from_file(self.write_map(directory, *others))
