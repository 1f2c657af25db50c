"""Importer for the official ESCO CSV export (v1.1 and later, relation files with or without `_en`)."""

from __future__ import annotations

from pathlib import Path

from ._errors import TaxonomyFormatError
from ._model import Requirement, Role, Skill, Taxonomy
from ._tables import column, read_table

_SKILL_COLUMNS = ("conceptUri", "preferredLabel")
ESSENTIAL_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.5


def is_esco_folder(folder: Path) -> bool:
    return _find(folder, "skills") is not None and _find(folder, "occupations") is not None


def load_esco(folder: Path) -> Taxonomy:
    """Skills, occupations, their relations and the skill hierarchy of an ESCO CSV export."""
    skills_path = _require(folder, "skills")
    occupations_path = _require(folder, "occupations")
    skills = read_table(skills_path, _SKILL_COLUMNS)
    broader = _links(folder, "broaderRelationsSkillPillar", "conceptUri", "broaderUri")
    related = _links(folder, "skillSkillRelations", "originalSkillUri", "relatedSkillUri")
    skill_objects = [
        Skill(uri=uri, label=label.strip(), alt_labels=_labels(alt), hidden_labels=_labels(hidden),
              description=description, kind=kind,
              broader=broader.get(uri, ()), related=related.get(uri, ()))
        for uri, label, alt, hidden, description, kind in zip(
            column(skills, "conceptUri"), column(skills, "preferredLabel"),
            column(skills, "altLabels"),
            column(skills, "hiddenLabels"), column(skills, "description"),
            column(skills, "skillType"))
        if uri
    ]
    occupations = read_table(occupations_path, _SKILL_COLUMNS)
    requirements = _requirements(folder)
    roles = [
        Role(uri=uri, label=label.strip(), alt_labels=_labels(alt), description=description,
             requirements=requirements.get(uri, ()), source="esco")
        for uri, label, alt, description in zip(
            column(occupations, "conceptUri"), column(occupations, "preferredLabel"),
            column(occupations, "altLabels"), column(occupations, "description"))
        if uri
    ]
    return Taxonomy(skill_objects, roles, name="ESCO", source=str(folder))


def _requirements(folder: Path) -> dict[str, tuple[Requirement, ...]]:
    path = _find(folder, "occupationSkillRelations")
    if path is None:
        return {}
    relations = read_table(path, ("occupationUri", "relationType", "skillUri"))
    relations = relations[relations["relationType"].isin(("essential", "optional"))]
    grouped: dict[str, list[Requirement]] = {}
    for occupation, kind, skill in zip(relations["occupationUri"].tolist(),
                                       relations["relationType"].tolist(),
                                       relations["skillUri"].tolist()):
        essential = kind == "essential"
        grouped.setdefault(occupation, []).append(
            Requirement(skill, ESSENTIAL_WEIGHT if essential else OPTIONAL_WEIGHT, essential))
    return {uri: tuple(items) for uri, items in grouped.items()}


def _links(folder: Path, stem: str, source: str, target: str) -> dict[str, tuple[str, ...]]:
    path = _find(folder, stem)
    if path is None:
        return {}
    frame = read_table(path, (source, target))
    grouped: dict[str, list[str]] = {}
    for child, parent in zip(frame[source].tolist(), frame[target].tolist()):
        grouped.setdefault(child, []).append(parent)
    return {uri: tuple(parents) for uri, parents in grouped.items()}


def _labels(cell: str) -> tuple[str, ...]:
    # ESCO separates labels by newlines; the collections use " | ".
    parts = cell.replace(" | ", "\n").split("\n")
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _find(folder: Path, stem: str) -> Path | None:
    for name in (f"{stem}_en.csv", f"{stem}.csv"):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def _require(folder: Path, stem: str) -> Path:
    found = _find(folder, stem)
    if found is None:
        raise TaxonomyFormatError(folder, f"no {stem}_en.csv or {stem}.csv in the ESCO folder")
    return found
