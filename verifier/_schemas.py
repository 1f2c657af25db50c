"""JSON Schema validation of badge documents against schemas shipped in data/schemas."""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from ._paths import DATA_DIR


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    """``name`` is a path below data/schemas without the .json suffix, e.g. "ob2/assertion"."""
    schema = json.loads((DATA_DIR / "schemas" / f"{name}.json").read_text())
    return Draft202012Validator(schema)


def schema_errors(name: str, document: Any) -> list[str]:
    """Human sentences for what the document lacks, best first; empty when it conforms."""
    checker = validator(name)
    if checker.is_valid(document):
        return []
    errors = sorted(checker.iter_errors(document), key=lambda e: (len(e.path), e.message))
    out = []
    for error in errors[:3]:
        where = "/".join(str(p) for p in error.absolute_path)
        out.append(f"{where or 'the document'}: {error.message}")
    return out
