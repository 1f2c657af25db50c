"""`load_taxonomy`: the embedded starter, or a folder or file recognised by its content."""

from __future__ import annotations

from pathlib import Path

from ._errors import TaxonomyFormatError
from ._esco import is_esco_folder, load_esco
from ._model import Taxonomy


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The taxonomy at `path`: an ESCO or O*NET folder, or a roles file over the starter."""
    if path is None:
        raise NotImplementedError
    folder = Path(path)
    if folder.is_dir() and is_esco_folder(folder):
        return load_esco(folder)
    raise TaxonomyFormatError(folder, "not an ESCO folder, an O*NET folder or a roles file")
