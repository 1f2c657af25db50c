"""Employer roles from CSV or JSON: role, skill (label or URI), weight, essential yes/no.

CSV columns: `role`, `skill`, and optionally `role_uri`, `weight` (0..1, default 1),
`essential` (yes/no, default yes). JSON: a list of such rows, or
`{"roles": [{"role" or "name", "uri", "description", "skills": [{"skill", "weight",
"essential"} or "label"]}]}`. Skill labels resolve through the matcher.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import TaxonomyFormatError
from ._model import Requirement, Role, Taxonomy
from ._normalise import slug
from ._tables import column, read_table

_TRUE = {"yes", "y", "true", "1", "essential", "required", "must"}
_FALSE = {"no", "n", "false", "0", "optional", "nice to have"}
_CSV_COLUMNS = ("role", "skill")


@dataclass(frozen=True, slots=True)
class _Row:
    role: str
    role_uri: str
    description: str
    skill: str
    weight: Any
    essential: Any
    line: int | None
    columns: dict[str, int | str]


def is_roles_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in (".csv", ".json")


def apply_roles(taxonomy: Taxonomy, path: str | Path, matcher: Any = None) -> Taxonomy:
    """`taxonomy` with the roles of an employer's roles file added."""
    return taxonomy.with_roles(load_roles_file(Path(path), taxonomy, matcher))


def load_roles_file(path: Path, taxonomy: Taxonomy, matcher: Any = None) -> list[Role]:
    """Roles of a CSV or JSON roles file, their skills resolved against `taxonomy`."""
    rows = list(_json_rows(path) if path.suffix.lower() == ".json" else _csv_rows(path))
    resolver = _Resolver(taxonomy, matcher)
    grouped: dict[str, tuple[str, str, list[Requirement]]] = {}
    for row in rows:
        uri = row.role_uri or f"urn:role:{slug(row.role) or 'role'}"
        requirement = Requirement(resolver.resolve(path, row), _weight(path, row),
                                  _essential(path, row))
        _label, _description, requirements = grouped.setdefault(
            uri, (row.role, row.description, []))
        if all(r.skill_uri != requirement.skill_uri for r in requirements):
            requirements.append(requirement)
    if not grouped:
        raise TaxonomyFormatError(path, "no roles in the file", line=1)
    return [Role(uri=uri, label=label, description=description,
                 requirements=tuple(requirements), source="employer")
            for uri, (label, description, requirements) in grouped.items()]


class _Resolver:
    """Skill URIs for the labels and URIs a roles file uses."""

    def __init__(self, taxonomy: Taxonomy, matcher: Any) -> None:
        self._taxonomy = taxonomy
        self._matcher = matcher

    def resolve(self, path: Path, row: _Row) -> str:
        text = row.skill.strip()
        if not text:
            raise _row_error(path, row, "skill", "empty skill")
        if text in self._taxonomy.skills:
            return text
        matcher = self._get_matcher()
        uri = matcher.lookup_id(text)
        if uri:
            return uri
        found = matcher.match(text, limit=1)
        if not found:
            raise _row_error(path, row, "skill", f"no skill of the taxonomy matches {text!r}")
        return found[0].uri

    def _get_matcher(self) -> Any:
        if self._matcher is None:
            from ._matcher import Matcher  # built only when a label needs resolving
            self._matcher = Matcher(self._taxonomy)
        return self._matcher


def _csv_rows(path: Path) -> Iterator[_Row]:
    frame = read_table(path, _CSV_COLUMNS)
    columns = {name: index + 1 for index, name in enumerate(frame.columns)}

    for index, (role, role_uri, description, skill, weight, essential) in enumerate(zip(
            column(frame, "role"), column(frame, "role_uri"), column(frame, "role_description"),
            column(frame, "skill"), column(frame, "weight"), column(frame, "essential"))):
        row = _Row(role.strip(), role_uri.strip(), description, skill, weight, essential,
                   index + 2, columns)
        if not row.role:
            raise _row_error(path, row, "role", "empty role")
        yield row


def _json_rows(path: Path) -> Iterator[_Row]:
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text)
    except FileNotFoundError:
        raise TaxonomyFormatError(path, "file not found") from None
    except UnicodeDecodeError:
        raise TaxonomyFormatError(path, "not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise TaxonomyFormatError(path, f"invalid JSON ({error.msg})", error.lineno,
                                  error.colno) from None
    lines = _LineFinder(text)
    if isinstance(data, list):
        for item in data:
            _expect_object(path, item, "each row")
            yield _json_row(path, item, item, lines)
        return
    if not isinstance(data, dict) or not isinstance(data.get("roles"), list):
        raise TaxonomyFormatError(path, 'expected a list of rows or {"roles": [...]}', line=1)
    for role in data["roles"]:
        _expect_object(path, role, "each role")
        skills = role.get("skills")
        if not isinstance(skills, list):
            raise TaxonomyFormatError(path, f"role {role.get('role') or role.get('name')!r} "
                                            "needs a list of skills",
                                      lines.find(role.get("role") or role.get("name")))
        for skill in skills:
            item = {"skill": skill} if isinstance(skill, str) else skill
            _expect_object(path, item, "each skill")
            yield _json_row(path, role, item, lines)


def _json_row(path: Path, role: dict[str, Any], item: dict[str, Any],
              lines: _LineFinder) -> _Row:
    name = str(role.get("role") or role.get("name") or "").strip()
    skill = item.get("skill") or item.get("uri") or item.get("label") or ""
    row = _Row(name, str(role.get("role_uri") or role.get("uri") or ""),
               str(role.get("description") or role.get("role_description") or ""),
               str(skill), item.get("weight", ""), item.get("essential", ""),
               lines.find(skill or name), {})
    if not name:
        raise _row_error(path, row, "role", "a role without a name")
    return row


class _LineFinder:
    """Line numbers of values in a JSON text, for messages about well-formed but wrong data."""

    def __init__(self, text: str) -> None:
        self._text = text

    def find(self, value: Any) -> int | None:
        if not isinstance(value, str) or not value:
            return None
        found = re.search(re.escape(json.dumps(value)), self._text)
        return self._text.count("\n", 0, found.start()) + 1 if found else None


def _expect_object(path: Path, item: Any, what: str) -> None:
    if not isinstance(item, dict):
        raise TaxonomyFormatError(path, f"{what} must be an object, not {type(item).__name__}")


def _weight(path: Path, row: _Row) -> float:
    if row.weight in ("", None):
        return 1.0
    try:
        weight = float(row.weight)
    except (TypeError, ValueError):
        raise _row_error(path, row, "weight", f"{row.weight!r} is not a number") from None
    if not 0.0 <= weight <= 1.0:
        raise _row_error(path, row, "weight", f"{weight} is not between 0 and 1")
    return weight


def _essential(path: Path, row: _Row) -> bool:
    if row.essential in ("", None):
        return True
    if isinstance(row.essential, bool):
        return row.essential
    value = str(row.essential).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _row_error(path, row, "essential", f"{row.essential!r} is not yes or no")


def _row_error(path: Path, row: _Row, column: str, message: str) -> TaxonomyFormatError:
    return TaxonomyFormatError(path, f"{column}: {message}", row.line, row.columns.get(column))

