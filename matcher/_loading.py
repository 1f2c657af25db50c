"""`load_taxonomy`: the embedded starter, or a folder or file recognised by its content."""

from __future__ import annotations

from pathlib import Path

from ._errors import TaxonomyFormatError
from ._esco import is_esco_folder, load_esco
from ._model import Taxonomy
from ._onet import is_onet_folder, load_onet
from ._roles import apply_roles, is_roles_file
from ._starter import STARTER_PATH, is_starter_folder, load_starter


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The taxonomy at `path`.

    None: the embedded starter. A folder: an ESCO CSV export, an O*NET database (text or
    Excel) or a folder in the starter's own format. A CSV or JSON roles file: the
    employer's roles over the starter's skills.
    """
    if path is None:
        return load_starter(STARTER_PATH)
    target = Path(path)
    if target.is_dir():
        if is_esco_folder(target):
            return load_esco(target)
        if is_onet_folder(target):
            return load_onet(target)
        if is_starter_folder(target):
            return load_starter(target)
        raise TaxonomyFormatError(target, "not an ESCO export, an O*NET database or a "
                                          "skills.csv folder")
    if not target.exists():
        raise TaxonomyFormatError(target, "no such file or folder")
    if is_roles_file(target):
        return apply_roles(load_starter(STARTER_PATH), target)
    raise TaxonomyFormatError(target, "not a taxonomy folder or a CSV or JSON roles file")
