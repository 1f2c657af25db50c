"""JSON parsing with limits on size and nesting depth.

Badges are attacker-controlled; the standard parser recurses without bound and
accepts NaN, so both are guarded here before anything else reads the data.
"""
from __future__ import annotations

import json
import re
from typing import Any

from ._errors import InputError

MAX_JSON_BYTES = 5 * 1024 * 1024
MAX_JSON_DEPTH = 64
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def _reject_constant(name: str) -> Any:
    raise InputError(f"JSON contains the non-standard constant {name}", "malformed")


def _nesting_depth(text: str) -> int:
    """Deepest bracket nesting outside strings."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub('""', text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def parse_json(data: bytes | str, *, what: str = "input", max_bytes: int = MAX_JSON_BYTES,
               max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON text, raising InputError for anything malformed or over a limit."""
    if isinstance(data, bytes):
        if len(data) > max_bytes:
            raise InputError(f"{what} is {len(data)} bytes, over the {max_bytes}-byte JSON limit", "too_large")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"{what} is not UTF-8 text ({exc.reason} at byte {exc.start})", "malformed") from None
    else:
        text = data
        if len(text) > max_bytes:
            raise InputError(f"{what} is over the {max_bytes}-byte JSON limit", "too_large")
    # Cheap pre-check: only texts with many brackets can be too deep.
    if text.count("[") + text.count("{") > max_depth and _nesting_depth(text) > max_depth:
        raise InputError(f"{what} nests JSON deeper than {max_depth} levels", "too_deep")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{what} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                         "malformed") from None
    except ValueError:  # int() refuses numbers of more than 4300 digits
        raise InputError(f"{what} contains a number too long to read", "malformed") from None
