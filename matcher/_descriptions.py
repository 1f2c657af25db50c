"""Names mentioned in skill descriptions: the last resort for a product or method no label
names. ESCO's descriptions list examples ("... such as Xen, VMware and Docker"), so a
phrase found word for word in one or two descriptions, and in no label, is evidence of
those skills."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ._model import Skill
from ._normalise import tokens

# A phrase found in more descriptions than this is a common word, not a named example.
MAX_DESCRIPTIONS = 2
MAX_WORDS = 3


_SENTENCES = re.compile(r"[.!?;:]\s+|\n")


class DescriptionIndex:
    """The names each description mentions (words written with a capital inside a
    sentence: "Xen", "Kubernetes"), and each description as words."""

    def __init__(self, skills: Iterable[Skill]) -> None:
        self._words: dict[str, tuple[str, ...]] = {}
        by_name: dict[str, list[str]] = {}
        for skill in skills:
            names = _names(skill.description)
            if not names:
                continue
            self._words[skill.uri] = tokens(skill.description)
            for name in names:
                by_name.setdefault(name, []).append(skill.uri)
        self._by_name = {name: tuple(uris) for name, uris in by_name.items()}

    def mentioning(self, words: tuple[str, ...]) -> list[str]:
        """The skills whose description names `words` (a name, then its other words in a
        row), if they are few."""
        if not words or len(words) > MAX_WORDS:
            return []
        candidates = self._by_name.get(words[0], ())
        found = [uri for uri in candidates if _contains(self._words[uri], words)]
        return found if len(found) <= MAX_DESCRIPTIONS else []


def _names(description: str) -> set[str]:
    names: set[str] = set()
    for sentence in _SENTENCES.split(description):
        for word in sentence.split()[1:]:
            if word[:1].isupper() or any(ch.isupper() for ch in word[1:]):
                names.update(tokens(word))
    return names


def _contains(text: tuple[str, ...], words: tuple[str, ...]) -> bool:
    size = len(words)
    first = words[0]
    return any(text[i:i + size] == words for i, word in enumerate(text) if word == first)
