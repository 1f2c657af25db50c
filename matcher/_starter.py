"""The project's own taxonomy format: a folder with `skills.csv` and `roles.csv`.

The embedded starter in `data/taxonomy/starter` is written in it.
"""

from __future__ import annotations

from pathlib import Path

from ._model import Skill, Taxonomy
from ._roles import load_roles_file
from ._tables import column, read_table

STARTER_PATH = Path(__file__).resolve().parents[1] / "data" / "taxonomy" / "starter"
_SKILL_COLUMNS = ("uri", "label")


def is_starter_folder(folder: Path) -> bool:
    return (folder / "skills.csv").is_file()


def load_starter(folder: Path = STARTER_PATH) -> Taxonomy:
    """Skills from `skills.csv`; roles, if any, from `roles.csv` resolved against them."""
    frame = read_table(folder / "skills.csv", _SKILL_COLUMNS)

    skills = [
        Skill(uri=uri.strip(), label=label.strip(), alt_labels=_split(alt),
              hidden_labels=_split(hidden), description=description, kind=kind,
              broader=_split(broader))
        for uri, label, alt, hidden, description, kind, broader in zip(
            column(frame, "uri"), column(frame, "label"), column(frame, "alt_labels"),
            column(frame, "hidden_labels"), column(frame, "description"), column(frame, "type"),
            column(frame, "broader"))
        if uri.strip()
    ]
    name = "starter" if folder == STARTER_PATH else folder.name
    taxonomy = Taxonomy(skills, name=name, source=str(folder))
    roles_path = folder / "roles.csv"
    if roles_path.is_file():
        taxonomy = taxonomy.with_roles(load_roles_file(roles_path, taxonomy))
    return taxonomy


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(" | ") if part.strip())
