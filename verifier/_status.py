"""The ``status`` check: BitstringStatusList, StatusList2021 and 1EdTech revocation lists.

A status list credential is verified like any credential (proof, key, dates)
before its bits are read. A list that cannot be fetched, read or verified
makes the check indeterminate: it never reads as "not revoked".
"""
from __future__ import annotations

import base64
import binascii
import threading
import time
import weakref
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from ._errors import FetchError, InputError
from ._inflate import inflate_capped
from ._ingest import as_list, ingest
from ._report import Check, Report, failed, passed, skipped

MAX_LIST_BYTES = 16 * 1024 * 1024  # 128 Mbit: far above the 16 KB minimum lists
MAX_INDEX = MAX_LIST_BYTES * 8
BITSTRING_TYPES = ("BitstringStatusListEntry", "StatusList2021Entry")
ONEEDTECH_TYPES = ("1EdTechRevocationList",)
_FAILURE = {"revocation": "revoked", "suspension": "suspended"}

VerifyNested = Callable[[Any], Report]


@dataclass(frozen=True)
class _List:
    purposes: tuple[str, ...]
    bits: bytes
    note: str


class StatusError(Exception):
    def __init__(self, message: str, reason: str = "status_unavailable") -> None:
        super().__init__(message)
        self.reason = reason


# Status lists change, and a list may be megabytes: keep few, briefly, and only for verifications
# judged at nearly the same instant.
CACHE_SECONDS = 300.0
CACHE_ENTRIES = 64
SAME_INSTANT = timedelta(seconds=60)


@dataclass(frozen=True)
class _Cached:
    loaded: float
    at: datetime
    result: "_List | StatusError"


_cache: "weakref.WeakKeyDictionary[Any, OrderedDict[str, _Cached]]" = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def decode_bitstring(encoded: Any) -> bytes:
    """GZIP-compressed bits, multibase base64url ('u' prefix, Bitstring Status List)
    or plain base64/base64url (StatusList2021)."""
    if not isinstance(encoded, str) or not encoded:
        raise StatusError("the status list has no encodedList", "status_unreadable")
    text = encoded[1:] if encoded.startswith("u") else encoded
    try:
        compressed = base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise StatusError("the encodedList is not base64url", "status_unreadable") from None
    try:
        bits = inflate_capped(compressed, MAX_LIST_BYTES, 16 + zlib.MAX_WBITS)
    except zlib.error:
        raise StatusError("the encodedList is not GZIP data", "status_unreadable") from None
    if bits is None:
        raise StatusError(f"the status list inflates beyond {MAX_LIST_BYTES} bytes", "status_unreadable")
    return bits


def bit_at(bits: bytes, index: int, size: int = 1) -> int:
    """The status value at ``index`` (first bit = most significant bit of byte 0)."""
    value = 0
    for offset in range(index * size, index * size + size):
        if offset // 8 >= len(bits):
            raise StatusError(f"status index {index} is beyond the list's {len(bits) * 8} entries",
                              "status_unreadable")
        value = (value << 1) | ((bits[offset // 8] >> (7 - offset % 8)) & 1)
    return value


def _load_bitstring_list(url: str, ctx: Any, verify_nested: VerifyNested) -> _List:
    try:
        response = ctx.fetcher.get(url)
        envelope = ingest(response.content, source=url)
    except FetchError as exc:
        raise StatusError(f"the status list {url} could not be fetched: {exc.reason}") from None
    except InputError as exc:
        raise StatusError(f"the status list {url} is not a credential: {exc}") from None
    report = verify_nested(envelope)
    if not report.verified:
        bad = "; ".join(f"{c.id}: {c.detail}" for c in report.failing()) or report.verdict
        raise StatusError(f"the status list credential {url} did not verify ({bad})", "status_unverified")
    credential = envelope.credential if isinstance(envelope.credential, dict) else {}
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if not isinstance(subject, dict):
        raise StatusError(f"the status list {url} has no credentialSubject", "status_unreadable")
    purposes = tuple(p for p in as_list(subject.get("statusPurpose")) if isinstance(p, str))
    return _List(purposes, decode_bitstring(subject.get("encodedList")), f"list verified ({report.verdict})")


def _cached(ctx: Any, url: str, load: Callable[[], _List]) -> _List:
    try:
        with _cache_lock:
            per_fetcher = _cache.setdefault(ctx.fetcher, OrderedDict())
    except TypeError:  # a fetcher that cannot be weakly referenced is not cached
        per_fetcher = OrderedDict()
    now = time.monotonic()
    with _cache_lock:
        hit = per_fetcher.get(url)
        fresh = hit is not None and now - hit.loaded < CACHE_SECONDS and abs(hit.at - ctx.at) <= SAME_INSTANT
    if not fresh:
        try:
            result: _List | StatusError = load()
        except StatusError as exc:
            result = exc
        hit = _Cached(now, ctx.at, result)
        with _cache_lock:
            per_fetcher[url] = hit
            per_fetcher.move_to_end(url)
            while len(per_fetcher) > CACHE_ENTRIES:
                per_fetcher.popitem(last=False)
    if isinstance(hit.result, StatusError):
        raise hit.result
    return hit.result


def _index(entry: dict[str, Any]) -> int:
    raw = entry.get("statusListIndex")
    try:
        index = int(raw)  # a string of digits in both specifications
    except (TypeError, ValueError):
        raise StatusError(f"statusListIndex {raw!r} is not an integer", "status_unreadable") from None
    if not 0 <= index < MAX_INDEX:
        raise StatusError(f"statusListIndex {index} is out of range", "status_unreadable")
    return index


def _bitstring_check(entry: dict[str, Any], ctx: Any, verify_nested: VerifyNested) -> Check:
    url = entry.get("statusListCredential")
    if not isinstance(url, str):
        raise StatusError(f"the {entry.get('type')} names no statusListCredential", "status_unreadable")
    purpose = entry.get("statusPurpose") or "revocation"
    index = _index(entry)
    try:
        size = int(entry.get("statusSize") or 1)
    except (TypeError, ValueError):
        size = 1
    status_list = _cached(ctx, url, lambda: _load_bitstring_list(url, ctx, verify_nested))
    if status_list.purposes and purpose not in status_list.purposes:
        raise StatusError(f"the entry's purpose {purpose!r} is not the list's {list(status_list.purposes)}",
                          "status_unreadable")
    value = bit_at(status_list.bits, index, max(1, min(size, 8)))
    where = f"{url} index {index}"
    if purpose in _FAILURE:
        if value:
            return failed("status", f"{_FAILURE[purpose]}: bit set in {where} ({purpose})", _FAILURE[purpose])
        return passed("status", f"not {_FAILURE[purpose]}: {where} is clear; {status_list.note}")
    return passed("status", f"{purpose} status at {where} is {value} (informational)")


def _oneedtech_check(entry: dict[str, Any], credential: dict[str, Any], ctx: Any) -> Check:
    url = entry.get("id")
    if not isinstance(url, str):
        raise StatusError("the 1EdTechRevocationList entry names no list", "status_unreadable")
    try:
        document = ctx.fetcher.get_json(url)
    except FetchError as exc:
        raise StatusError(f"the revocation list {url} could not be fetched: {exc.reason}") from None
    revoked = document.get("revokedCredentials") if isinstance(document, dict) else None
    if not isinstance(revoked, list):
        raise StatusError(f"{url} is not a revocation list (no revokedCredentials)", "status_unreadable")
    own_id = credential.get("id")
    for item in revoked:
        item_id = item.get("id") if isinstance(item, dict) else item
        if own_id and item_id == own_id:
            why = item.get("revocationReason") if isinstance(item, dict) else None
            return failed("status", f"revoked: listed in {url}" + (f" ({why})" if why else ""), "revoked")
    return passed("status", f"not revoked: absent from {url}")


def status_checks(credential: dict[str, Any], ctx: Any, verify_nested: VerifyNested) -> list[Check]:
    entries = as_list(credential.get("credentialStatus"))
    if not entries:
        return [skipped("status", "the credential declares no status entry")]
    checks = []
    for entry in entries:
        if not isinstance(entry, dict):
            checks.append(failed("status", "a credentialStatus entry is not an object", "status_unreadable",
                                 indeterminate=True))
            continue
        kind = entry.get("type")
        try:
            if kind in BITSTRING_TYPES:
                checks.append(_bitstring_check(entry, ctx, verify_nested))
            elif kind in ONEEDTECH_TYPES:
                checks.append(_oneedtech_check(entry, credential, ctx))
            else:
                checks.append(failed("status", f"status type {kind!r} is not supported: revocation could not "
                                     "be checked", "status_unsupported", indeterminate=True))
        except StatusError as exc:
            checks.append(failed("status", str(exc), exc.reason, indeterminate=True))
    return checks


__all__ = ["bit_at", "decode_bitstring", "status_checks", "StatusError"]
