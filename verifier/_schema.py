"""The ``schema`` check: the project's JSON Schemas for VC, OB 3.0, CLR 2.0 and
endorsements, chosen by credential type, and the credential's own
``credentialSchema`` entries when the schema is available."""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import SchemaError
from referencing import Registry
from referencing.exceptions import Unresolvable

from ._errors import FetchError
from ._ingest import as_list
from ._report import Check, failed, passed, warning
from ._safejson import parse_json

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"
MAX_ERRORS = 3
MAX_FETCHED_SCHEMAS = 64
JSON_SCHEMA_TYPES = ("JsonSchema", "JsonSchemaValidator2018", "1EdTechJsonSchemaValidator2019")
# Schemas a credential names, fetched through (and kept per) the fetcher it was verified with.
_fetched: "weakref.WeakKeyDictionary[Any, OrderedDict[str, Any]]" = weakref.WeakKeyDictionary()
_fetched_lock = threading.Lock()
_REGEX_KEYWORDS = ("pattern", "patternProperties")


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, str]]:
    return parse_json((SCHEMAS / "index.json").read_bytes(), what="schema index")


@lru_cache(maxsize=32)
def _validator_for_file(name: str) -> Any:
    schema = parse_json((SCHEMAS / name).read_bytes(), what=f"schema {name}")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _uses_regex(schema: Any) -> bool:
    if isinstance(schema, dict):
        return any(k in _REGEX_KEYWORDS for k in schema) or any(_uses_regex(v) for v in schema.values())
    return isinstance(schema, list) and any(_uses_regex(v) for v in schema)


def _validator_for_document(schema: Any) -> Any:
    """A validator for a schema from outside the project: it resolves no references (an empty
    registry) and is refused when it uses regular expressions, which Python's engine could
    take unbounded time over on the credential's own strings."""
    if _uses_regex(schema):
        raise SchemaError("it uses regular-expression constraints, which are not run on fetched schemas")
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    cls.check_schema(schema)
    return cls(schema, registry=Registry())


def _problems(validator: Any, credential: Any) -> list[str]:
    if validator.is_valid(credential):  # much cheaper than collecting errors
        return []
    errors = sorted(validator.iter_errors(credential), key=lambda e: list(e.absolute_path))
    out = []
    for error in errors[:MAX_ERRORS]:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        out.append(f"{where}: {error.message[:200]}")
    return out


def _by_type(credential: dict[str, Any]) -> list[str]:
    types = [t for t in as_list(credential.get("type")) if isinstance(t, str)]
    table = _index()["by_type"]
    names = ["vc.json"]
    for kind in types:
        if kind in table and table[kind] not in names:
            names.append(table[kind])
    return names


def _declared_schema(entry: dict[str, Any], fetcher: Any) -> tuple[Any, str] | None:
    """(validator, label) for a credentialSchema entry, or None when unavailable."""
    schema_id = entry.get("id")
    if not isinstance(schema_id, str):
        return None
    bundled = _index()["by_id"].get(schema_id)
    if bundled:
        return _validator_for_file(bundled), f"{schema_id} (project copy of its required members)"
    try:
        with _fetched_lock:
            kept = _fetched.setdefault(fetcher, OrderedDict())
    except TypeError:  # a fetcher that cannot be weakly referenced is not cached
        kept = OrderedDict()
    with _fetched_lock:
        document = kept.get(schema_id)
    if document is None:
        try:
            document = fetcher.get_json(schema_id)
        except FetchError:
            return None
        with _fetched_lock:
            kept[schema_id] = document
            while len(kept) > MAX_FETCHED_SCHEMAS:  # credentials name schema URLs; bound the cache
                kept.popitem(last=False)
    if isinstance(document, dict) and isinstance(document.get("credentialSubject"), dict) \
            and "jsonSchema" in document["credentialSubject"]:  # a JsonSchemaCredential
        document = document["credentialSubject"]["jsonSchema"]
    try:
        return _validator_for_document(document), schema_id
    except (SchemaError, TypeError):
        return None


def schema_checks(credential: dict[str, Any], fetcher: Any) -> list[Check]:
    problems: list[str] = []
    used = []
    for name in _by_type(credential):
        found = _problems(_validator_for_file(name), credential)
        problems.extend(f"{name}: {p}" for p in found)
        used.append(name)
    checks: list[Check] = []
    for entry in as_list(credential.get("credentialSchema")):
        if not isinstance(entry, dict):
            continue
        if entry.get("type") not in JSON_SCHEMA_TYPES + ("JsonSchemaCredential",):
            checks.append(warning("schema", f"credentialSchema type {entry.get('type')!r} is not supported",
                                  "schema_unsupported"))
            continue
        declared = _declared_schema(entry, fetcher)
        if declared is None:
            checks.append(warning("schema", f"the credential's schema {entry.get('id')} is not available",
                                  "schema_unavailable"))
            continue
        validator, label = declared
        try:
            problems.extend(f"{label}: {p}" for p in _problems(validator, credential))
        except (Unresolvable, RecursionError) as exc:
            checks.append(warning("schema", f"the credential's schema {label} could not be applied "
                                  f"({type(exc).__name__})", "schema_unavailable"))
            continue
        used.append(label)
    if problems:
        return [failed("schema", "; ".join(problems[:MAX_ERRORS]), "schema")] + checks
    return [passed("schema", "conforms to " + ", ".join(used))] + checks


def schema_errors(name: str, document: Any) -> list[str]:
    """What ``document`` lacks against the shipped schema ``name`` (a path below
    data/schemas without ".json", e.g. "ob2/assertion"); empty when it conforms."""
    return _problems(_validator_for_file(f"{name}.json"), document)


__all__ = ["schema_checks", "schema_errors"]
