"""Importer for the O*NET database, text (tab-separated) or Excel edition.

Skills are the Skills and Knowledge elements, the Technology Skills commodity classes and,
under each class, the technology examples. Occupations require elements by importance
(IM, 1..5; essential from 3.5) and level (LV, 0..7), and their technologies optionally.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._errors import TaxonomyFormatError
from ._model import Requirement, Role, Skill, Taxonomy
from ._normalise import slug
from ._tables import column, read_table

_OCCUPATIONS = "Occupation Data"
_CODE = "O*NET-SOC Code"
_ELEMENT_COLUMNS = (_CODE, "Element ID", "Element Name", "Scale ID", "Data Value")
_TECHNOLOGY_COLUMNS = (_CODE, "Example", "Commodity Code", "Commodity Title")
_MIN_IMPORTANCE = 2.5
_ESSENTIAL_IMPORTANCE = 3.5
_HOT_TECHNOLOGY_WEIGHT = 0.5
_TECHNOLOGY_WEIGHT = 0.3


def is_onet_folder(folder: Path) -> bool:
    return _find(folder, _OCCUPATIONS) is not None


def load_onet(folder: Path) -> Taxonomy:
    occupations = read_table(_require(folder, _OCCUPATIONS), (_CODE, "Title"), "\t")
    skills: dict[str, Skill] = {}
    requirements: dict[str, dict[str, Requirement]] = {}
    for stem, kind in (("Skills", "skill/competence"), ("Knowledge", "knowledge")):
        path = _find(folder, stem)
        if path is not None:
            _add_elements(read_table(path, _ELEMENT_COLUMNS, "\t"), kind, skills,
                          requirements)
    path = _find(folder, "Technology Skills")
    if path is not None:
        _add_technologies(read_table(path, _TECHNOLOGY_COLUMNS, "\t"), skills,
                          requirements)
    alternate_titles = _alternate_titles(folder)
    descriptions = column(occupations, "Description")
    roles = [
        Role(uri=occupation_uri(code), label=title,
             alt_labels=alternate_titles.get(code, ()), description=description,
             requirements=tuple(requirements.get(code, {}).values()), source="onet")
        for code, title, description in zip(occupations[_CODE].tolist(),
                                            occupations["Title"].tolist(), descriptions)
        if code
    ]
    return Taxonomy(skills.values(), roles, name="O*NET", source=str(folder))


def occupation_uri(code: str) -> str:
    return f"urn:onet:occupation:{code}"


def element_uri(element_id: str) -> str:
    return f"urn:onet:element:{element_id}"


def _add_elements(frame: pd.DataFrame, kind: str, skills: dict[str, Skill],
                  requirements: dict[str, dict[str, Requirement]]) -> None:
    importance: dict[tuple[str, str], float] = {}
    level: dict[tuple[str, str], float] = {}
    suppressed = column(frame, "Recommend Suppress")
    for code, element_id, name, scale, value, suppress in zip(
            frame[_CODE].tolist(), frame["Element ID"].tolist(), frame["Element Name"].tolist(),
            frame["Scale ID"].tolist(), frame["Data Value"].tolist(), suppressed):
        uri = element_uri(element_id)
        if uri not in skills:
            skills[uri] = Skill(uri=uri, label=name, kind=kind)
        if suppress == "Y":
            continue
        try:
            number = float(value)
        except ValueError:
            continue
        if scale == "IM":
            importance[(code, uri)] = number
        elif scale == "LV":
            level[(code, uri)] = number
    for (code, uri), value in importance.items():
        if value >= _MIN_IMPORTANCE:
            requirements.setdefault(code, {})[uri] = Requirement(
                uri, round(value / 5, 3), value >= _ESSENTIAL_IMPORTANCE,
                level=round(level[(code, uri)] / 7, 3) if (code, uri) in level else None)


def _add_technologies(frame: pd.DataFrame, skills: dict[str, Skill],
                      requirements: dict[str, dict[str, Requirement]]) -> None:
    hot = column(frame, "Hot Technology")
    for code, example, commodity_code, commodity, is_hot in zip(
            frame[_CODE].tolist(), frame["Example"].tolist(), frame["Commodity Code"].tolist(),
            frame["Commodity Title"].tolist(), hot):
        class_uri = f"urn:onet:commodity:{commodity_code}"
        if class_uri not in skills:
            skills[class_uri] = Skill(uri=class_uri, label=commodity, kind="technology class")
        uri = f"urn:onet:technology:{slug(example)}"
        if uri not in skills:
            skills[uri] = Skill(uri=uri, label=example, kind="technology", broader=(class_uri,))
        weight = _HOT_TECHNOLOGY_WEIGHT if is_hot == "Y" else _TECHNOLOGY_WEIGHT
        requirements.setdefault(code, {}).setdefault(uri, Requirement(uri, weight, False))


def _alternate_titles(folder: Path) -> dict[str, tuple[str, ...]]:
    path = _find(folder, "Alternate Titles")
    if path is None:
        return {}
    frame = read_table(path, (_CODE, "Alternate Title"), "\t")
    grouped: dict[str, list[str]] = {}
    for code, title in zip(frame[_CODE].tolist(), frame["Alternate Title"].tolist()):
        if title:
            grouped.setdefault(code, []).append(title)
    return {code: tuple(dict.fromkeys(titles)) for code, titles in grouped.items()}


def _find(folder: Path, stem: str) -> Path | None:
    for suffix in (".txt", ".xlsx"):
        candidate = folder / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def _require(folder: Path, stem: str) -> Path:
    found = _find(folder, stem)
    if found is None:
        raise TaxonomyFormatError(folder, f"no '{stem}.txt' or '{stem}.xlsx' in the O*NET folder")
    return found

