"""The label index: every label of every skill under several keys, built once per taxonomy.

Keys, from strict to loose:
- the normalised label ("python computer programming");
- the label without its parenthetical qualifier ("python"), and a name without its
  type word ("SAS language" also answers to "sas");
- the label without spaces ("teamwork");
- the bag of stems without function words and generic verbs, so that
  "Change Management" meets "apply change management";
- an inverted index from stem to labels, the blocking step of fuzzy matching;
- a spelling index (SymSpell-style deletions) over the label vocabulary.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ._model import Taxonomy
from ._normalise import compact, normalise, split_parenthetical, stem, tokens
from ._phrases import VENDOR_WORDS, written_names
from ._spelling import Speller

PREFERRED = "preferred label"
ALTERNATIVE = "alt label"
HIDDEN = "hidden label"
KIND_RANK = {PREFERRED: 0, ALTERNATIVE: 1, HIDDEN: 2}

# Words that carry no meaning of their own in a skill label.
FUNCTION_WORDS = frozenset(
    "a an the of and or in on for to with by at from as into within using via its their "
    "use apply perform carry out conduct utilize employ undertake demonstrate show make "
    "do be have".split())

# Words naming the kind of thing a product is: "SAS language", "HVAC systems", "Ajax Framework"
# are also written as the bare name.
TYPE_WORDS = frozenset("language software tool system framework platform".split())
# A science or field named by one word is its general or human branch ("Physiology").
GENERIC_HEADS = frozenset("human general medical clinical".split())
GENERIC_TAILS = frozenset(
    "technique principle method methodology activity practice theory process technology".split())

# Stems seen in more labels than this are too common to block on.
_BLOCKING_LIMIT = 4000
# A verb starts at least this many skill labels and is rarely found later in a label.
_MIN_VERB_LABELS = 5
_LEADING_VERB_SHARE = 0.3
_MIN_CORRECTABLE_LENGTH = 4
# A product's name without its vendor's is a name when its words are in this few skills' labels.
_BARE_NAME_SKILLS = 3
# A known word found in this few labels, beside a neighbour this many times as frequent,
# is more likely a misspelling of the neighbour than meant.
_RARE_WORD_LABELS = 20
_DOMINANCE = 20
_MIN_RARE_CORRECTABLE_LENGTH = 5
_MAX_REMEMBERED_CORRECTIONS = 65536
_UNLIKELY_SLIP = 3


@dataclass(frozen=True, slots=True)
class LabelEntry:
    """One label of one skill."""

    uri: str
    text: str
    kind: str
    key: str
    bag: frozenset[str]


def bag_of_stems(words: Iterable[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words if w not in FUNCTION_WORDS)


class LabelIndex:
    """All labels of a taxonomy's skills, indexed for the matcher."""

    def __init__(self, taxonomy: Taxonomy, known_words: Iterable[str] = ()) -> None:
        """`known_words` (the synonyms table's, say) are also spelling targets."""
        self.entries: list[LabelEntry] = []
        self._exact: dict[str, list[int]] = {}
        self._unqualified: dict[str, list[int]] = {}
        self._without_tail: dict[str, list[int]] = {}
        self._compact: dict[str, list[int]] = {}
        self._bags: dict[frozenset[str], list[int]] = {}
        postings: dict[str, list[int]] = {}
        self._postings = postings
        vocabulary: Counter[str] = Counter()
        seen: set[tuple[str, str]] = set()
        names: set[str] = set()
        for skill in taxonomy.skills.values():
            for kind, labels in ((PREFERRED, (skill.label,)), (ALTERNATIVE, skill.alt_labels),
                                 (HIDDEN, skill.hidden_labels)):
                for text in labels:
                    words = tokens(text)
                    key = " ".join(words)
                    if not key or (skill.uri, key) in seen:
                        continue
                    seen.add((skill.uri, key))
                    vocabulary.update(words)
                    names.update(written_names(text))
                    self._add(LabelEntry(skill.uri, text, kind, key, bag_of_stems(words)))
        self._add_names_without_vendor()
        total = max(len(self.entries), 1)
        self._weights = {s: math.log(1 + total / len(ids)) for s, ids in postings.items()}
        self._default_weight = math.log(1 + total)
        self._posting_arrays = {s: np.array(ids, dtype=np.int32) for s, ids in postings.items()}
        self.verbs = _label_verbs(taxonomy)
        # A label's leading verb counts for less unless the phrase has it too: phrases name
        # the object ("Computer Animation") more often than the act ("develop animations").
        leading = [self._leading_verb(entry) for entry in self.entries]
        led: dict[str, list[int]] = {}
        for position, verb in enumerate(leading):
            if verb:
                led.setdefault(verb, []).append(position)
        self._led_by = {s: np.array(ids, dtype=np.int32) for s, ids in led.items()}
        self._bag_weights = np.array([
            sum(self._weights[s] for s in entry.bag) - self._verb_discount(verb)
            for entry, verb in zip(self.entries, leading)])
        self._shared = np.zeros(len(self.entries))
        self._restored = np.zeros(len(self.entries))
        known_words = set(known_words)
        # Words written as names in labels, or known only from outside them (the table's
        # "mongodb"): what a misspelt name ("MongDB", "HMTL") may be read as.
        self.names = frozenset(names | (known_words - vocabulary.keys()))
        vocabulary.update(dict.fromkeys(known_words, 0))  # known, though in no label
        self.vocabulary = vocabulary
        self._corrections: dict[str, str | None] = {}
        self._speller = Speller(vocabulary, _MIN_CORRECTABLE_LENGTH - 1)

    def _add(self, entry: LabelEntry) -> None:
        position = len(self.entries)
        self.entries.append(entry)
        self._exact.setdefault(entry.key, []).append(position)
        head, qualifier = split_parenthetical(entry.text)
        if qualifier:
            self._unqualified.setdefault(normalise(head), []).append(position)
        elif entry.text[:1].isupper() and entry.kind != HIDDEN:
            # A name ("SAS") followed by its type word ("language") also answers to the name.
            words = entry.key.split()
            if len(words) >= 2 and words[-1] in TYPE_WORDS:
                self._unqualified.setdefault(" ".join(words[:-1]), []).append(position)
        words = entry.key.split()
        if len(words) >= 2 and words[-1] in GENERIC_TAILS:
            self._without_tail.setdefault(" ".join(words[:-1]), []).append(position)
        elif len(words) == 2 and words[0] in GENERIC_HEADS:
            self._without_tail.setdefault(words[1], []).append(position)
        self._compact.setdefault(compact(entry.key), []).append(position)
        if entry.bag:
            self._bags.setdefault(entry.bag, []).append(position)
        for stem_ in entry.bag:
            self._postings.setdefault(stem_, []).append(position)

    def _add_names_without_vendor(self) -> None:
        """A product's name after its vendor's ("Adobe Photoshop", "Apache Tomcat") also
        answers to the bare name, where every word of it is found in few skills' labels (not
        "Google Sheets" for "sheets")."""
        for position, entry in enumerate(self.entries):
            if entry.key.split(" ", 1)[0] not in VENDOR_WORDS:
                continue
            _vendor, *name = entry.key.split()
            if (name and entry.kind != HIDDEN
                    and entry.text[:1].isupper()
                    and all(len({self.entries[p].uri for p in self._postings.get(stem(w), ())})
                            <= _BARE_NAME_SKILLS for w in name)):
                self._unqualified.setdefault(" ".join(name), []).append(position)

    def _leading_verb(self, entry: LabelEntry) -> str | None:
        """The stem of the verb a label starts with, if it does."""
        first = entry.key.split(" ", 1)[0]
        return stem(first) if first in self.verbs and stem(first) in entry.bag else None

    def _verb_discount(self, verb: str | None) -> float:
        return (1 - _LEADING_VERB_SHARE) * self._weights[verb] if verb else 0.0

    def exact(self, key: str) -> list[int]:
        return self._exact.get(key, [])

    def unqualified(self, key: str) -> list[int]:
        return self._unqualified.get(key, [])

    def without_tail(self, key: str) -> list[int]:
        """Labels that are `key` followed by a generic word ("merchandising techniques")."""
        return self._without_tail.get(key, [])

    def compact(self, key: str) -> list[int]:
        return self._compact.get(compact(key), [])

    def same_words(self, bag: frozenset[str]) -> list[int]:
        return self._bags.get(bag, [])

    def weight(self, stem_: str) -> float:
        """Inverse document frequency of a stem among the labels."""
        return self._weights.get(stem_, self._default_weight)

    def postings(self, stem_: str) -> list[int]:
        """The labels whose bag holds `stem_`."""
        return self._postings.get(stem_, [])

    def label_count(self, stem_: str) -> int:
        return len(self._postings.get(stem_, ()))

    def overlap(self, bag: frozenset[str], limit: int,
                minimum: float = 0.0) -> list[tuple[int, float]]:
        """The `limit` labels with the highest weighted Dice overlap with `bag`, of those
        that may reach `minimum`.

        Only labels sharing a stem that is not too common are considered (the blocking
        step); the overlap is accumulated in one reusable array, so no label is scanned
        that shares nothing with the phrase. Labels that share only common stems, whose
        weights cannot add up to `minimum`, are not gathered at all.
        """
        query_weight = sum(self.weight(s) for s in bag)
        usable = sorted((s for s in bag if 0 < self.label_count(s) <= _BLOCKING_LIMIT),
                        key=self.label_count)
        if not usable:
            return []
        # Gather the labels of the rarest stems, until a label sharing only the commoner
        # ones (all of them, and nothing else) could not reach `minimum`.
        commoner = sum(self._weights[s] for s in usable)
        gathered = 0
        while gathered < len(usable):
            commoner -= self._weights[usable[gathered]]
            gathered += 1
            if 2 * commoner / (query_weight + commoner) < minimum:
                break
        shared = self._shared
        restored = self._restored
        for stem_ in usable:
            shared[self._posting_arrays[stem_]] += self._weights[stem_]
            led = self._led_by.get(stem_)
            if led is not None:
                # The phrase names the act too ("Release Management"): the verb counts fully.
                restored[led] += self._verb_discount(stem_)
        if gathered == 1:
            found = self._posting_arrays[usable[0]]
        else:
            found = np.unique(np.concatenate([self._posting_arrays[s]
                                              for s in usable[:gathered]]))
        scores = 2 * shared[found] / (query_weight + self._bag_weights[found] + restored[found])
        for stem_ in usable:
            shared[self._posting_arrays[stem_]] = 0.0
            led = self._led_by.get(stem_)
            if led is not None:
                restored[led] = 0.0
        if len(found) > limit:
            best = np.argpartition(-scores, limit)[:limit]
            found, scores = found[best], scores[best]
        return [(int(p), float(score)) for p, score in zip(found, scores)]

    def correct(self, word: str) -> str | None:
        """The singular of a known word, or else the likeliest vocabulary word one slip
        away from an unknown `word`, if any. A rare known word is read as a neighbour that
        is far more frequent ("planing" as "planning", "assesment" as "assessment")."""
        try:
            return self._corrections[word]
        except KeyError:
            if len(self._corrections) >= _MAX_REMEMBERED_CORRECTIONS:
                self._corrections.clear()  # phrases are untrusted: the memory stays bounded
            found = self._corrections[word] = self._correction(word)
            return found

    def _correction(self, word: str) -> str | None:
        if len(word) < _MIN_CORRECTABLE_LENGTH or not word.isalpha():
            return None
        count = self.vocabulary.get(word)
        if count is not None:
            if count > _RARE_WORD_LABELS or len(word) < _MIN_RARE_CORRECTABLE_LENGTH:
                return None
            slip = self._nearest(word)
            return slip[0] if slip and self.vocabulary[slip[0]] >= _DOMINANCE * count else None
        if word.endswith("s") and word[:-1] in self.vocabulary:
            # The plural of a known word ("apis", "kpis"), never a typo of another ("axis").
            return word[:-1]
        slip = self._nearest(word)
        found = slip[0] if slip else None
        if slip and self.vocabulary[found] == 1 and slip[1] >= _UNLIKELY_SLIP:
            found = None  # a word of one label, a stray letter away: a name ("Flink")
        if not found and word.endswith("ss") and word[:-2] in self.vocabulary:
            found = word[:-2]  # a plural with its "s" doubled ("accountss")
        return found or self._respelt(word)

    def _respelt(self, word: str) -> str | None:
        """A known word an unknown `word` sounds like: "ph" written "f" ("fotography",
        "grafic")."""
        for i in range(len(word)):
            if word[i] == "f":
                form = f"{word[:i]}ph{word[i + 1:]}"
                if form in self.vocabulary:
                    return form
        return None

    def _nearest(self, word: str) -> tuple[str, int] | None:
        # A misspelt word ending in "s" lost it to the singular ("busines" gave "busine"),
        # and a misspelt British word kept its "s" ("optimisaton": "optimization").
        forms = {word, word + "s"} | {f"{word[:i]}iz{word[i + 2:]}" for i in range(len(word) - 1)
                                      if word.startswith("is", i)}
        return self._speller.nearest(word, sorted(forms))


def _label_verbs(taxonomy: Taxonomy) -> frozenset[str]:
    """Words that start many skill labels and are seldom found later in one: the verbs
    ("follow", "issue", "prepare"), not nouns ("aircraft")."""
    first: Counter[str] = Counter()
    later: Counter[str] = Counter()
    for skill in taxonomy.skills.values():
        words = tokens(skill.label)
        if not words:
            continue
        if skill.kind != "knowledge":
            first[words[0]] += 1
        later.update(words[1:])
    return frozenset(w for w, count in first.items()
                     if count >= _MIN_VERB_LABELS and later[w] * 4 < count)
