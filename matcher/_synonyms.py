"""The table of acronyms and synonyms: phrases badges use, and the taxonomy labels they mean."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from ._errors import TaxonomyFormatError
from ._normalise import compact, normalise
from ._tables import cell_error, column, read_table

DEFAULT_SYNONYMS_PATH = Path(__file__).resolve().parents[1] / "data" / "taxonomy" / "synonyms.csv"
# "none": the term is known to name no skill of the taxonomy (a product it lacks, a job
# benefit, a degree); the matcher answers "no match" instead of guessing.
RELATIONS = ("same", "broader", "none")


@dataclass(frozen=True, slots=True)
class Synonym:
    """`term` means `target` (a label or URI); "broader" when the target only covers it;
    "none" (and no target) when the term names no skill of the taxonomy."""

    term: str
    target: str
    relation: str = "same"


class Synonyms:
    """Synonyms keyed by normalised term without spaces (the matcher reads "power bi" and
    "powerbi" alike); later tables override earlier ones term by term."""

    __slots__ = ("_by_key",)

    def __init__(self, entries: Iterable[Synonym] = ()) -> None:
        by_key: dict[str, list[Synonym]] = {}
        for entry in entries:
            by_key.setdefault(term_key(entry.term), []).append(entry)
        self._by_key: Mapping[str, tuple[Synonym, ...]] = MappingProxyType(
            {key: tuple(items) for key, items in by_key.items() if key})

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and compact(key) in self._by_key

    def lookup(self, key: str) -> tuple[Synonym, ...]:
        """The entries of a normalised term (with or without its spaces), or none."""
        return self._by_key.get(compact(key), ())

    def keys(self) -> Iterable[str]:
        """The terms' keys: normalised, without spaces."""
        return self._by_key.keys()

    def entries(self) -> Iterable[Synonym]:
        for items in self._by_key.values():
            yield from items

    def extended(self, other: Synonyms) -> Synonyms:
        """This table with `other`'s terms added; a term in both takes `other`'s meaning."""
        merged = {key: items for key, items in self._by_key.items() if key not in other}
        merged.update((key, other.lookup(key)) for key in other.keys())
        combined = Synonyms()
        combined._by_key = MappingProxyType(merged)
        return combined

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str], relation: str = "same") -> Synonyms:
        return cls(Synonym(term, target, relation) for term, target in mapping.items())


def term_key(text: str) -> str:
    """The key a term is filed and looked up under: normalised, without spaces."""
    return compact(normalise(text))


def load_synonyms(path: str | Path | None = None, *, extend_default: bool = True) -> Synonyms:
    """A synonyms CSV (`term,means[,relation]`); by default it extends the project's table.

    `means` may list several targets separated by " | ", best first.
    """
    if path is None:
        return _default()
    table = _read(Path(path))
    return _default().extended(table) if extend_default else table


@lru_cache(maxsize=1)
def _default() -> Synonyms:
    """The project's table, read once: `Synonyms` is immutable, so every matcher can share it."""
    return _read(DEFAULT_SYNONYMS_PATH)


def _read(path: Path) -> Synonyms:
    frame = read_table(path, ("term", "means"))
    relations = column(frame, "relation")
    entries = []
    for row, (term, means, relation) in enumerate(zip(frame["term"].tolist(),
                                                       frame["means"].tolist(), relations)):
        relation = relation.strip().lower() or "same"
        if relation not in RELATIONS:
            raise cell_error(path, frame, row, "relation",
                             f"{relation!r} is not one of {', '.join(RELATIONS)}")
        if not normalise(term):
            raise cell_error(path, frame, row, "term", "empty term")
        targets = [t.strip() for t in means.split(" | ") if t.strip()]
        if relation == "none":
            targets = [""]
        elif not targets:
            raise cell_error(path, frame, row, "means", "no target label or URI")
        entries.extend(Synonym(term.strip(), target, relation) for target in targets)
    if not entries:
        raise TaxonomyFormatError(path, "no synonyms in the table", line=1)
    return Synonyms(entries)
