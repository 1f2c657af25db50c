"""Entry point: ingest one input, verify it with the checks of its family, report."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Callable

from ._errors import FetchError, InputError
from ._fetch import DocumentMap, Fetcher, HttpFetcher
from ._ingest import Envelope, ingest
from ._report import Report, failed, passed, utc_now

MAX_NESTING = 4


@dataclass
class Context:
    """What every check may consult: the fetcher, the instant judged, and the
    candidate's claimed identity. ``depth`` bounds nested verification."""

    fetcher: Fetcher
    at: datetime
    recipient: str | None = None
    trust: Any = None
    depth: int = 0
    now: datetime = field(default_factory=utc_now)

    def nested(self) -> "Context":
        return replace(self, depth=self.depth + 1, recipient=None)


def _handlers() -> dict[str, Callable[[Envelope, Context], Report]]:
    # Imported here because _vc imports this module.
    from ._ob2 import verify_legacy, verify_ob2
    from ._vc import verify_vc
    return {"ob2": verify_ob2, "legacy": verify_legacy, "vc": verify_vc}


UNDECIDED_INPUT = ("unsupported_version", "unreachable")


def input_failure(exc: InputError, raw: bytes, source: str | None, fmt: str = "unknown") -> Report:
    """A report for input that could not be read; "unsupported" and "unreachable"
    leave the badge undecided rather than proven bad."""
    return Report(format=fmt, checks=[failed("input", str(exc), exc.kind, indeterminate=exc.kind in UNDECIDED_INPUT)],
                  input_sha256=hashlib.sha256(raw).hexdigest(), source=source)


def _withdrawn(url: str, raw: bytes, source: str | None) -> Report:
    return Report(format="reference", input_sha256=hashlib.sha256(raw).hexdigest(), source=source or url,
                  checks=[passed("input", f"fetched {url}"),
                          failed("status", f"the issuer withdrew it: {url} answers 410 Gone", "revoked")])


def _resolve_reference(envelope: Envelope, ctx: Context) -> Envelope:
    url = envelope.credential
    try:
        response = ctx.fetcher.get(url)
    except FetchError as exc:
        if exc.status == 410:
            raise
        kind = exc.kind if exc.kind in ("ssrf_refused", "bad_url", "too_large") else \
            "not_found" if exc.status == 404 else "unreachable"
        raise InputError(f"could not fetch the badge at {url}: {exc.reason}", kind) from None
    resolved = ingest(response.content, source=envelope.source or url)
    if resolved.family == "reference":
        raise InputError(f"{url} points to another reference, not a badge", "not_a_badge")
    return resolved


def verify_envelope(envelope: Envelope, ctx: Context) -> Report:
    handler = _handlers().get(envelope.family)
    if handler is None:
        return input_failure(InputError(f"{envelope.format} credentials are not supported yet",
                                        "unsupported_format"), envelope.raw, envelope.source, envelope.format)
    report = handler(envelope, ctx)
    report.input_sha256 = report.input_sha256 or envelope.sha256
    report.source = report.source or envelope.source
    return report


def verify(data: bytes | str | dict[str, Any], *, fetcher: Fetcher | None = None, at: datetime | None = None,
           recipient: str | None = None, source: str | None = None, trust: Any = None) -> Report:
    """Verify one credential given as file bytes, text (JSON, JWS, URL) or a parsed JSON object."""
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)  # badge dates are aware; a naive instant is taken as UTC
    ctx = Context(fetcher or HttpFetcher(), at or utc_now(), recipient, trust)
    raw = data if isinstance(data, bytes) else str(data).encode()
    try:
        envelope = ingest(data, source=source)
        if envelope.family == "reference":
            envelope = _resolve_reference(envelope, ctx)
    except InputError as exc:
        return input_failure(exc, raw, source)
    except FetchError as exc:  # only 410 Gone reaches here
        return _withdrawn(exc.url, raw, source)
    report = verify_envelope(envelope, ctx)
    if not report.check("input"):
        report.checks.insert(0, passed("input", f"read a credential in {envelope.format} format"
                                       + (f" baked in a {envelope.container.upper()}" if envelope.container else "")))
    return report


__all__ = ["Context", "verify", "verify_envelope", "DocumentMap", "HttpFetcher"]
