"""Reading a misspelt word as the known word it most likely is."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rapidfuzz.distance import DamerauLevenshtein


class Speller:
    """Known words (with how often each is used), and the likeliest of them one slip away
    from an unknown word: one edit, or two letters swapped."""

    def __init__(self, counts: Mapping[str, int], min_length: int = 1) -> None:
        self.counts = counts
        self._deletions = _deletion_index(w for w in counts if len(w) >= min_length)
        self._by_letters: dict[str, list[str]] = {}
        for word in counts:
            if len(word) >= min_length:
                self._by_letters.setdefault("".join(sorted(word)), []).append(word)

    def closest(self, word: str, forms: Iterable[str] | None = None) -> str | None:
        """The known word one slip from `word` (or from one of its `forms`) with the same
        first letter: the likeliest slip first, then the commonest word."""
        found = self.nearest(word, forms)
        return found[0] if found else None

    def nearest(self, word: str, forms: Iterable[str] | None = None) -> tuple[str, int] | None:
        """`closest`, with the rank of its slip (see `_slip_rank`)."""
        written = tuple(forms) if forms is not None else (word,)
        options: set[str] = set()
        for form in written:
            for variant in (form, *_deletions_of(form)):
                options.update(self._deletions.get(variant, ()))
        close: dict[str, int] = {}
        for known in options:
            # Typos rarely hit the first letter; requiring it avoids "docker" -> "locker".
            if known[0] != word[0] or known == word or not known.isalpha():
                continue
            ranks = [_slip_rank(form, known) for form in written
                     if DamerauLevenshtein.distance(form, known, score_cutoff=1) <= 1]
            if ranks:
                close[known] = min(ranks)
        for form in written:
            # Two letters swapped across another ("costumer": customer, "lunix": linux).
            for known in self._by_letters.get("".join(sorted(form)), ()):
                if (known[0] == word[0] and known != word
                        and sum(a != b for a, b in zip(form, known)) == 2):
                    close[known] = min(close.get(known, 1), 1)
        if not close:
            return None
        best = min(close, key=lambda w: (close[w], -self.counts[w], w))
        return best, close[best]


# Where keys sit on a QWERTY keyboard: rows and their offsets.
_KEY_POSITIONS = {key: (row, column + offset)
                  for row, (keys, offset) in enumerate((("qwertyuiop", 0.0), ("asdfghjkl", 0.5),
                                                        ("zxcvbnm", 1.0)))
                  for column, key in enumerate(keys)}


_VOWELS = frozenset("aeiouy")


def _next_keys(a: str, b: str) -> bool:
    if a not in _KEY_POSITIONS or b not in _KEY_POSITIONS:
        return False
    (row_a, column_a), (row_b, column_b) = _KEY_POSITIONS[a], _KEY_POSITIONS[b]
    return abs(row_a - row_b) <= 1 and abs(column_a - column_b) <= 1


def _slip_rank(typed: str, known: str) -> int:
    """How likely a typing slip turns `known` into `typed`, one edit apart: a letter left
    out (0, the commonest), letters swapped or a letter doubled (1), a neighbouring key
    or another vowel (2), anything else (3)."""
    if len(known) == len(typed) + 1:
        return 0
    at = next((i for i, (a, b) in enumerate(zip(typed, known)) if a != b), len(known))
    if len(known) == len(typed):
        if sorted(known) == sorted(typed):
            return 1
        if _next_keys(typed[at], known[at]) or {typed[at], known[at]} <= _VOWELS:
            return 2  # a neighbouring key, or a vowel heard as another ("illustrater")
        return 3
    extra = typed[at]  # one letter too many
    neighbours = typed[at - 1:at] + typed[at + 1:at + 2]
    if extra in neighbours:
        return 1
    # A letter struck with its neighbour; seldom at the end ("illustrate", "illustrater").
    if at < len(known) and any(_next_keys(extra, n) for n in neighbours):
        return 2
    return 3


def _deletions_of(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _deletion_index(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for word in words:
        for variant in (word, *_deletions_of(word)):
            index.setdefault(variant, []).append(word)
    return {variant: tuple(found) for variant, found in index.items()}
