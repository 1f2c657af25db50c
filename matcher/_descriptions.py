"""Names mentioned in skill descriptions: the last resort for a product or method no label
names. ESCO's descriptions list examples ("... such as Xen, VMware and Docker"), so a
phrase found word for word in one or two descriptions, and in no label, is evidence of
those skills."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

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
        common: set[str] = set()
        for skill in skills:
            names, lower = _names(skill.description)
            common |= lower
            if not names:
                continue
            self._words[skill.uri] = tokens(skill.description)
            for name in names:
                by_name.setdefault(name, []).append(skill.uri)
        # A word also written in lower case ("beam") is a common word, not a name.
        self._by_name = {name: tuple(uris) for name, uris in by_name.items()
                         if name not in common}

    def mentioning(self, words: tuple[str, ...]) -> list[str]:
        """The skills whose description names `words` (a name, then its other words in a
        row), if they are few."""
        if not words or len(words) > MAX_WORDS:
            return []
        candidates = self._by_name.get(words[0], ())
        found = [uri for uri in candidates if _contains(self._words[uri], words)]
        return found if len(found) <= MAX_DESCRIPTIONS else []


def _names(description: str) -> tuple[set[str], set[str]]:
    """The words of a description written as names inside a sentence, and those
    written in lower case."""
    names: set[str] = set()
    lower: set[str] = set()
    for sentence in _SENTENCES.split(description):
        for position, word in enumerate(sentence.split()):
            if word.islower():
                lower.update(_word_tokens(word))
            elif position and (word[:1].isupper() or any(ch.isupper() for ch in word[1:])):
                names.update(_word_tokens(word))
    return names, lower


# Descriptions repeat their words: each is read once.
_word_tokens = lru_cache(maxsize=65536)(tokens)


def _contains(text: tuple[str, ...], words: tuple[str, ...]) -> bool:
    size = len(words)
    first = words[0]
    return any(text[i:i + size] == words for i, word in enumerate(text) if word == first)
