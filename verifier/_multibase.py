"""Multibase strings and multicodec-prefixed public keys (did:key, Multikey)."""
from __future__ import annotations

import base64
import binascii

from ._errors import InputError

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
MAX_MULTIBASE_CHARS = 16 * 1024

# multicodec varint prefix -> (key kind, raw key length)
ED25519_PUB = b"\xed\x01"
P256_PUB = b"\x80\x24"
P384_PUB = b"\x81\x24"
ED25519_PRIV = b"\x80\x26"
KEY_CODECS = {ED25519_PUB: ("Ed25519", 32), P256_PUB: ("P-256", 33), P384_PUB: ("P-384", 49)}


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(_B58[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        digit = _B58_INDEX.get(char)
        if digit is None:
            raise InputError(f"{char!r} is not a base58btc character", "bad_multibase")
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InputError("not base64url", "bad_multibase") from None


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def multibase_decode(value: str) -> bytes:
    """Decode a multibase string: 'z' base58btc, 'u' base64url, 'm' base64, 'f' hex."""
    if not isinstance(value, str) or len(value) < 2:
        raise InputError("not a multibase string", "bad_multibase")
    if len(value) > MAX_MULTIBASE_CHARS:
        raise InputError("multibase value too long", "bad_multibase")
    prefix, body = value[0], value[1:]
    if prefix == "z":
        return b58decode(body)
    if prefix == "u":
        return b64url_decode(body)
    if prefix == "m":
        try:
            return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise InputError("not base64", "bad_multibase") from None
    if prefix == "f":
        try:
            return bytes.fromhex(body)
        except ValueError:
            raise InputError("not hex", "bad_multibase") from None
    raise InputError(f"unsupported multibase prefix {prefix!r}", "bad_multibase")


def multibase_encode_b58(data: bytes) -> str:
    return "z" + b58encode(data)


def decode_multikey(value: str) -> tuple[str, bytes]:
    """(kind, raw public key bytes) of a multibase multicodec public key ("z6Mk...")."""
    data = multibase_decode(value)
    for prefix, (kind, length) in KEY_CODECS.items():
        if data.startswith(prefix):
            raw = data[len(prefix):]
            if len(raw) != length:
                raise InputError(f"a {kind} key must be {length} bytes, not {len(raw)}", "bad_key")
            return kind, raw
    raise InputError(f"unsupported multicodec key prefix {data[:2].hex()}", "unsupported_key")


def encode_multikey(kind: str, raw: bytes) -> str:
    prefix = next(p for p, (k, _) in KEY_CODECS.items() if k == kind)
    return multibase_encode_b58(prefix + raw)


def is_multikey(value: str) -> bool:
    try:
        decode_multikey(value)
    except InputError:
        return False
    return True


__all__ = ["b58decode", "b58encode", "b64url_decode", "b64url_encode", "decode_multikey", "encode_multikey",
           "is_multikey", "multibase_decode", "multibase_encode_b58"]
