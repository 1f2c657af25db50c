"""Parsing badge dates and judging a validity window at a given instant."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ._report import Check, failed, passed


def parse_datetime(value: Any) -> datetime | None:
    """An aware UTC datetime from ISO 8601 text (date-only allowed) or a Unix timestamp
    (legacy badges); None when the value is not a date."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value, timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.isdigit() and len(text) != 8:  # eight digits is an ISO 8601 basic date (20250101)
        try:
            return parse_datetime(int(text))
        except ValueError:  # more digits than int() converts
            return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def validity_checks(at: datetime, *, issued: Any = None, valid_from: Any = None, valid_until: Any = None,
                    issued_field: str = "issuedOn", from_field: str = "validFrom",
                    until_field: str = "expires", issued_required: bool = True) -> list[Check]:
    """The ``validity`` check: issued not in the future, not before validFrom,
    not after the expiry, and an expiry that does not precede issuance."""
    problems: list[Check] = []
    issued_at = parse_datetime(issued)
    starts = parse_datetime(valid_from)
    ends = parse_datetime(valid_until)
    for field_name, raw, parsed in ((issued_field, issued, issued_at), (from_field, valid_from, starts),
                                    (until_field, valid_until, ends)):
        if raw is not None and parsed is None:
            problems.append(failed("validity", f"{field_name} {raw!r} is not a valid date", "bad_date"))
    if issued_required and issued is None and valid_from is None:
        problems.append(failed("validity", f"the credential has no {issued_field}", "bad_date"))
    if problems:
        return problems
    stamp = at.isoformat().replace("+00:00", "Z")
    if issued_at and issued_at > at:
        return [failed("validity", f"{issued_field} {iso(issued_at)} is in the future of {stamp}", "not_yet_valid")]
    if starts and starts > at:
        return [failed("validity", f"{from_field} {iso(starts)} is after {stamp}: not yet valid", "not_yet_valid")]
    begins = starts or issued_at
    if ends and begins and ends < begins:
        return [failed("validity", f"{until_field} {iso(ends)} is before {iso(begins)}", "expires_before_issued")]
    if ends and ends <= at:
        return [failed("validity", f"expired on {iso(ends)} ({until_field}), before {stamp}", "expired")]
    window = f"issued {iso(begins)}" if begins else "no issue date"
    return [passed("validity", f"{window}; " + (f"valid until {iso(ends)}" if ends else "no expiry")
                   + f"; judged at {stamp}")]
