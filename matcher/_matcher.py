"""The mapping pipeline: a phrase to the taxonomy skills it names, each with a confidence and a reason.

Steps, strictest first; the first step that finds something answers:
1. the phrase is a taxonomy id (URI or code): 1.0;
2. for each reading of the phrase (as written, without its qualifier, without filler
   words, without a version number, with spelling corrected): the normalised label,
   the synonyms table, the label without its qualifier, the label without spaces,
   the same words in another order or grammatical form;
3. the parts of a list ("UNIX/Linux") read the same way;
4. labels and synonyms spotted inside a longer phrase, weighted by how much of it they explain;
5. fuzzy matching over the labels that share a rare stem with the phrase.
Below `threshold`, the answer is no match.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from ._descriptions import DescriptionIndex
from ._evidence import Evidence, map_signals
from ._extract import Signal
from ._index import (ALTERNATIVE, FUNCTION_WORDS, HIDDEN, KIND_RANK, PREFERRED,
                     LabelIndex, bag_of_stems)
from ._model import Taxonomy
from ._normalise import compact, normalise, spelling_key, stem, tokens
from ._phrases import (WORD_ABBREVIATIONS, Reading, Variant, content_words, is_credential_title,
                       names_a_subject, names_no_skill, read_phrase, written_names)
from ._spelling import Speller
from ._synonyms import Synonym, Synonyms, load_synonyms, term_key

DEFAULT_THRESHOLD = 0.59

_LABEL_CONFIDENCE = {PREFERRED: 1.0, ALTERNATIVE: 0.97, HIDDEN: 0.95}
# A synonym is a curator's statement, trusted above alternative and hidden labels.
_SYNONYM_CONFIDENCE = {"same": 0.98, "broader": 0.9}
_UNQUALIFIED_CONFIDENCE = 0.95
_COMPACT_CONFIDENCE = 0.95
_SAME_WORDS_CONFIDENCE = 0.9
_EXACT_TIER = 1
_ONE_STEM_SURFACE = 65
# When a label and a synonym both match a phrase but only one of them as it is spelt
# ("Canva" is the synonym, "Canvas" the label), the other ranks below it.
_RESPELT_FACTOR = 0.9
# A label that is a verb plus a "broader" synonym's term ("follow up" + "accounts
# receivable") names the term more closely than the table's broader target.
_NARROWER_LABEL_CONFIDENCE = 0.92
# Verbs that turn a term into another activity about it ("supervise data entry").
_ROLE_VERBS = frozenset("""supervise oversee manage monitor coordinate lead direct teach train
instruct educate advise consult assess evaluate review inspect audit understand interpret
discern comprehend promote sell research study regulate enforce design""".split())
_PARTICLES = frozenset("up down off over about".split())
_SPELLING_FACTOR = 0.93
_SHORT_NAME = 4
# Names of this many letters or more, written as one word, are respelt as a whole.
_MIN_RESPELT_NAME = 6
_MAX_NAME_WORDS = 3
# Two words are read as one when labels write them as one (its stem) this often.
_JOINED_WORD_LABELS = 1
# "Computer Proficiency" without its filler is one common word; an alt or hidden label
# that is that word alone ("computer" for computer equipment) is weak evidence.
_GENERIC_REMAINDER_FACTOR = 0.6
_PART_FACTOR = 0.9
_FUZZY_CEILING = 0.85
_OVERLAP_SHARE = 0.7
# A name found in one or two skill descriptions, and in no label.
_MENTIONED_CONFIDENCE = 0.68
_MENTIONED_WORD_CONFIDENCE = 0.65
_ONE_WORD_IN_LONGER_LABEL = 0.88
_MAX_SPAN = 6
# A term spotted in a phrase scores from this (explaining none of it) to 0.95 (all of it).
_SPOT_BASE = 0.45
_UNKNOWN_WORD_SHARE = 0.5
_CREDENTIAL_SPOT_COVERAGE = 0.5
_FUZZY_SHORTLIST = 30
# Names that say what they are by their ending: "Backbone.js", "SystemJS" are JavaScript
# libraries, most often frameworks.
_JAVASCRIPT_NAME = re.compile(r"[a-z0-9]\.?js$", re.IGNORECASE)
_JAVASCRIPT_LIBRARY_SKILLS = ("JavaScript Framework", "JavaScript")
_NAME_ENDING_CONFIDENCE = 0.7
# A single word spotted in a longer phrase must be rarer than this among labels.
_DISTINCTIVE_WORD_LABELS = 40


@dataclass(frozen=True, slots=True)
class Match:
    """A taxonomy skill a phrase names."""

    uri: str
    label: str
    confidence: float
    reason: str


@dataclass(frozen=True, slots=True)
class _Hit:
    uri: str
    confidence: float
    reason: str
    kind_rank: int = 0
    cover: int = 0  # _SPOTTED_IN_PART or _HOLDS_EVERY_WORD, or neither


# How much of the phrase a hit explains: a term spotted in part of it, or a label holding
# every word of it, which outranks the first.
_SPOTTED_IN_PART = 1
_HOLDS_EVERY_WORD = 2
_JUST_BELOW = 0.99

# Stands for a synonyms-table term that names no skill; it ends the search with no match.
_NOT_A_SKILL = _Hit("", 0.0, "known to name no skill")


class Matcher:
    """Maps phrases onto the skills of one taxonomy."""

    def __init__(self, taxonomy: Taxonomy, synonyms: Synonyms | None = None, *,
                 threshold: float = DEFAULT_THRESHOLD) -> None:
        self.taxonomy = taxonomy
        self.synonyms = synonyms if synonyms is not None else load_synonyms()
        self.threshold = threshold
        self.index = LabelIndex(taxonomy, {word for entry in self.synonyms.entries()
                                           for word in tokens(entry.term)})
        self._ids = _id_index(taxonomy)
        self.descriptions = DescriptionIndex(taxonomy.skills.values())
        self._synonym_hits: dict[str, tuple[_Hit, ...]] = {}
        self._synonym_spellings: dict[str, set[str]] = {}
        # Synonyms by their bag of stems.
        self._synonym_bags: dict[frozenset[str], list[tuple[_Hit, ...]]] = {}
        verbs = self.index.verbs - _ROLE_VERBS
        for key in self.synonyms.keys():
            # Keyed without spaces: "InfoSec" reads as "info sec", "TensorFlow" as "tensor flow".
            entries = self.synonyms.lookup(key)
            hits = self._resolve_synonym(key)
            if hits and all(e.relation == "broader" for e in entries):
                hits = self._narrower_labels(normalise(entries[0].term), verbs) + hits
            self._synonym_hits[key] = hits
            self._synonym_spellings[key] = {spelling_key(entry.term) for entry in entries}
            self._synonym_bags.setdefault(bag_of_stems(tokens(entries[0].term)), []).append(hits)
        # Names as one word ("servicenow", "powerbi"): what a misspelt name may be read as.
        names = dict.fromkeys(self._synonym_hits, 0)
        for entry in self.index.entries:
            if len(entry.key.split()) <= _MAX_NAME_WORDS and written_names(entry.text):
                names.setdefault(compact(entry.key), 0)
        self._name_speller = Speller(names, _MIN_RESPELT_NAME - 1)

    def with_taxonomy(self, taxonomy: Taxonomy) -> Matcher:
        """This matcher over `taxonomy`, which has the same skills (and other roles, say):
        its index and synonyms are shared, not rebuilt."""
        if taxonomy.skills.keys() != self.taxonomy.skills.keys():
            raise ValueError("with_taxonomy needs a taxonomy with the same skills")
        other = copy.copy(self)
        other.taxonomy = taxonomy
        return other

    # -- public -----------------------------------------------------------------------------

    def match(self, phrase: str, limit: int = 5) -> list[Match]:
        """The skills `phrase` names, best first; empty when nothing clears the threshold."""
        phrase = phrase.strip()
        if not phrase:
            return []
        by_id = self.match_id(phrase)
        if by_id:
            return by_id
        if names_no_skill(phrase):
            return []
        reading = read_phrase(phrase)
        if not reading.variants:  # punctuation only
            return []
        hits, as_written = self._read_exactly(reading)
        if _NOT_A_SKILL in hits:
            return []
        if hits and not as_written:
            # A reading that dropped or corrected words may have missed a longer known term.
            hits += self._spot_in_phrase(reading, self._as_written_and_corrected(reading))
        if not hits:
            hits = self._read_parts(reading)
            if not self._clears(hits):
                if _NOT_A_SKILL in hits:
                    # A list with a part known to name no skill ("B.Tech/B.E. in Computer
                    # Science") and no part that names one is no skill either.
                    return []
                # Spotted terms that explain only part of the phrase compete with labels
                # that resemble all of it.
                written = self._as_written_and_corrected(reading)
                hits = _prefer_whole(hits + self._spot_in_phrase(reading, written)
                                     + self._fuzzy(reading, written))
                if not self._clears(hits):
                    hits += self._mentioned(reading) or self._by_name_ending(reading)
        return self._best(hits, limit)

    def _clears(self, hits: list[_Hit]) -> bool:
        return any(h.confidence >= self.threshold for h in hits)

    def map_signals(self, signals: Iterable[Signal]) -> list[Evidence]:
        """The skills a credential's signals evidence, hierarchy credit included."""
        return map_signals(self, signals)

    def unresolved_synonyms(self) -> list[Synonym]:
        """Synonyms whose target is not a label or id of this taxonomy (so they do nothing)."""
        return [entry for entry in self.synonyms.entries()
                if entry.relation != "none" and not self._synonym_targets(entry, depth=0)]

    def match_id(self, text: str) -> list[Match]:
        """The skill `text` (a URI or a code) identifies, at confidence 1.0; else empty."""
        uri = self.lookup_id(text)
        return [self._match(_Hit(uri, 1.0, f"taxonomy id '{text}'"))] if uri else []

    def lookup_id(self, text: str) -> str | None:
        """The skill URI that `text` (a URI or a code) identifies, if any."""
        return self._ids.get(_id_key(text))

    def spot(self, text: str, factor: float = 0.7) -> list[Match]:
        """Labels and synonyms named in free text, on word boundaries, at reduced confidence."""
        words = tokens(text)
        hits = [_Hit(h.uri, h.confidence * factor, f"{h.reason}, found in text", h.kind_rank)
                for h, _start, _end in self._spans(words) if h is not _NOT_A_SKILL]
        return self._best(hits, limit=None)

    # -- readings ---------------------------------------------------------------------------

    def _read_exactly(self, reading: Reading) -> tuple[list[_Hit], bool]:
        """Hits of the readings of the phrase, spelling-corrected ones included, up to the
        first reading that names a label or synonym exactly; and whether that reading is
        the phrase as written."""
        qualifier = frozenset(reading.qualifier)
        hits: list[_Hit] = []
        as_spelt = spelling_key(reading.phrase)
        for variant in reading.variants:
            for candidate in (variant, self._corrected(variant, reading)):
                if candidate is None:
                    continue
                spelt = as_spelt if candidate is reading.variants[0] else None
                tier, found = self._exact_tiers(candidate, qualifier, spelt, reading.acronyms)
                hits += found
                if tier == _EXACT_TIER:
                    return hits, candidate is reading.variants[0]
        if not hits:
            respelt = self._respelt_name(reading)
            if respelt:
                hits = self._exact_tiers(respelt, qualifier)[1]
        return hits, False

    def _respelt_name(self, reading: Reading) -> Variant | None:
        """A phrase of one written word ("ServceNow", "Dokerization") read as the known
        name one slip away."""
        words = reading.variants[0].words
        if not set(range(len(words) - 1)) <= reading.glued:
            return None
        written = "".join(words)
        if len(written) < _MIN_RESPELT_NAME or not written.isalpha():
            return None
        found = self._name_speller.closest(written)
        if not found:
            return None
        return Variant((found,), _SPELLING_FACTOR, f"'{reading.phrase}' read as '{found}'")

    def _read_parts(self, reading: Reading) -> list[_Hit]:
        hits: list[_Hit] = []
        credential = is_credential_title(reading.variants[0].words)
        for part in reading.parts:
            part_reading = read_phrase(part)
            if not part_reading.variants:
                continue
            words = part_reading.variants[0].words
            if len(words) == 1 and not self._distinctive(words[0]):
                continue
            if credential and not names_a_subject(words):
                continue  # "Oracle Certified Professional: Java SE 11 Developer"
            for hit in self._read_exactly(part_reading)[0]:
                if hit is _NOT_A_SKILL:
                    hits.append(hit)
                    continue
                hits.append(_Hit(hit.uri, hit.confidence * _PART_FACTOR,
                                 f"{hit.reason}, in part '{part.strip()}'", hit.kind_rank))
        return hits

    def _exact_tiers(self, variant: Variant, qualifier: frozenset[str],
                     spelt: str | None = None, acronyms: frozenset[str] = frozenset(),
                     ) -> tuple[int, list[_Hit]]:
        """The first tier with hits and its hits: exact label or synonym, label without
        qualifier, label without spaces, same words, label less a generic last word. `spelt`
        is the phrase as spelt, when `variant` is the phrase as written; `acronyms` are the
        phrase's words written in capitals."""
        key = variant.key
        label_positions = self.index.exact(key)
        label_hits = self._label_hits(label_positions, key, 1.0)
        synonym_hits = list(self._synonym_hits.get(compact(key), ()))
        if _NOT_A_SKILL in synonym_hits and not (
                spelt and label_hits and self._spelt_differently(spelt, key, label_positions)):
            return _EXACT_TIER, [_NOT_A_SKILL]
        if label_hits and synonym_hits:
            label_hits, synonym_hits = self._prefer_as_spelt(spelt, key, label_positions,
                                                             label_hits, synonym_hits)
        hits = label_hits + synonym_hits
        tier = _EXACT_TIER
        if not hits:
            tier += 1
            hits = self._label_hits(self.index.unqualified(key), key, _UNQUALIFIED_CONFIDENCE,
                                    "label without qualifier")
            hits = self._prefer_qualified(hits, qualifier)
        if not hits:
            tier += 1
            hits = self._label_hits(self.index.compact(key), key, _COMPACT_CONFIDENCE,
                                    "label without spaces")
        if not hits:
            tier += 1
            bag = bag_of_stems(variant.words)
            if bag:
                positions = self.index.same_words(bag)
                if len(bag) == 1:
                    # One stem is shared by unrelated words ("loggly" and "logic" both give
                    # "log"): a single word must also look like the label's word.
                    alike = _one_stem_surface(key, acronyms)
                    positions = [p for p in positions
                                 if _content_key(self.index.entries[p].key) == key
                                 or _surface(key, self.index.entries[p].key) >= alike]
                hits = (self._label_hits(positions, key, _SAME_WORDS_CONFIDENCE, "same words")
                        or self._synonyms_in_other_words(bag, key))
        if not hits and not variant.reduced:  # not "learning" of "LinkedIn Learning"
            tier += 1
            hits = self._label_hits(self.index.without_tail(key), key, _SAME_WORDS_CONFIDENCE,
                                    "label less its generic last word")
        if not hits:
            return tier, []
        note = f", {variant.note}" if variant.note else ""
        factor = variant.factor
        generic = (variant.reduced and len(variant.words) == 1
                   and not self._distinctive(variant.words[0]))
        return tier, [_Hit(h.uri, h.confidence * factor
                           * (_GENERIC_REMAINDER_FACTOR if generic and h.kind_rank else 1.0),
                           h.reason + note, h.kind_rank)
                      for h in hits]

    def _spelt_differently(self, spelt: str, key: str, positions: list[int]) -> bool:
        """Whether the synonym is spelt otherwise than the phrase and a label as the phrase."""
        return (spelt not in self._synonym_spellings.get(compact(key), ())
                and any(spelling_key(self.index.entries[p].text) == spelt for p in positions))

    def _prefer_as_spelt(self, spelt: str | None, key: str, positions: list[int],
                         label_hits: list[_Hit], synonym_hits: list[_Hit],
                         ) -> tuple[list[_Hit], list[_Hit]]:
        """Labels and synonyms that match the phrase only once normalised rank below those
        spelt as the phrase is. A respelt phrase (`spelt` None) is no spelling to go by:
        the table's reading of the term comes first."""
        if spelt is None:
            below = max(h.confidence for h in synonym_hits)
            meant = {h.uri for h in synonym_hits}
            return [h if h.uri in meant else _demote(h, below) for h in label_hits], synonym_hits
        synonym_spelt = spelt in self._synonym_spellings.get(compact(key), ())
        label_spelt = [spelling_key(self.index.entries[p].text) == spelt for p in positions]
        if synonym_spelt and not any(label_spelt):
            below = max(h.confidence for h in synonym_hits)
            label_hits = [_demote(h, below) for h in label_hits]
        elif any(label_spelt) and not synonym_spelt:
            below = max(h.confidence for h in label_hits)
            # A "none" entry spelt otherwise does not veto a label spelt as the phrase.
            synonym_hits = [_demote(h, below) for h in synonym_hits if h is not _NOT_A_SKILL]
        return label_hits, synonym_hits

    def _label_hits(self, positions: list[int], key: str, tier_confidence: float,
                    how: str = "") -> list[_Hit]:
        hits = []
        for position in positions:
            entry = self.index.entries[position]
            value = tier_confidence * _LABEL_CONFIDENCE[entry.kind]
            if how:
                reason = f"{entry.kind} '{entry.text}' = '{key}' ({how})"
            else:
                reason = f"{entry.kind} '{entry.text}'"
            hits.append(_Hit(entry.uri, value, reason, KIND_RANK[entry.kind]))
        return hits

    def _prefer_qualified(self, hits: list[_Hit], qualifier: frozenset[str]) -> list[_Hit]:
        """With "Puppet (Configuration Management Tool)", prefer the skill the qualifier describes."""
        if not qualifier or len({h.uri for h in hits}) < 2:
            return hits
        wanted = bag_of_stems(qualifier)
        scored = [(len(wanted & self._description_bag(h.uri)), h) for h in hits]
        best = max(score for score, _ in scored)
        return [h for score, h in scored if score == best]

    def _description_bag(self, uri: str) -> frozenset[str]:
        skill = self.taxonomy.skill(uri)
        if skill is None:
            return frozenset()
        return bag_of_stems(tokens(f"{skill.label} {skill.description}"))

    def _corrected(self, variant: Variant, reading: Reading) -> Variant | None:
        """`variant` with misspelt words corrected, shortened words written out and a word
        written in two ("Proof Reading", "Data Base") joined."""
        # Words in capitals or camel case ("DevOps", "OAuth") are names: never written out,
        # and respelt only as names ("MongDB" as "mongodb").
        fixes = {w: (self._as_name(w) if w in reading.acronyms
                     else WORD_ABBREVIATIONS.get(w) or self.index.correct(w))
                 for w in variant.words}
        fixes = {w: c for w, c in fixes.items() if c and w not in self.synonyms}
        words = [fixes.get(w, w) for w in variant.words]
        notes = [f"'{w}' read as '{c}'" for w, c in fixes.items()]
        # A hyphenated word read as one ("Proof-reading") is no misspelling.
        hyphens = reading.hyphens if variant is reading.variants[0] else frozenset()
        respelt = bool(notes)
        for i in range(len(words) - 2, -1, -1):
            joined = words[i] + words[i + 1]
            if (len(words[i]) >= 3 and len(words[i + 1]) >= 3 and joined.isalpha()
                    and self.index.label_count(stem(joined)) >= _JOINED_WORD_LABELS):
                notes.append(f"'{words[i]} {words[i + 1]}' read as '{joined}'")
                words[i:i + 2] = [joined]
                respelt = respelt or i not in hyphens
        if not notes:
            return None
        note = ", ".join(notes)
        if variant.note:
            note = f"{variant.note}, {note}"
        factor = variant.factor * (_SPELLING_FACTOR if respelt else 1.0)
        return Variant(tuple(words), factor, note, variant.reduced)

    def _as_name(self, word: str) -> str | None:
        corrected = self.index.correct(word)
        if corrected not in self.index.names:
            return None
        # A short name may be another name one letter away ("gRPC", "GPC"), but seldom
        # its letters swapped ("HMTL").
        if len(word) <= _SHORT_NAME and sorted(word) != sorted(corrected):
            return None
        return corrected

    # -- synonyms ---------------------------------------------------------------------------

    def _resolve_synonym(self, key: str, depth: int = 0) -> tuple[_Hit, ...]:
        hits: list[_Hit] = []
        for entry in self.synonyms.lookup(key):
            if entry.relation == "none":
                return (_NOT_A_SKILL,)
            confidence = _SYNONYM_CONFIDENCE[entry.relation]
            for uri, label in self._synonym_targets(entry, depth):
                relation = " (broader)" if entry.relation == "broader" else ""
                hits.append(_Hit(uri, confidence,
                                 f"synonym '{entry.term}' \u2192 '{label}'{relation}", 0))
        return tuple(hits)

    def _synonym_targets(self, entry: Synonym, depth: int) -> list[tuple[str, str]]:
        uri = self.lookup_id(entry.target)
        if uri:
            return [(uri, self.taxonomy.skills[uri].label)]
        key = normalise(entry.target)
        positions = self.index.exact(key) or self.index.unqualified(key)
        if positions:
            best = min(positions, key=lambda p: KIND_RANK[self.index.entries[p].kind])
            found = self.index.entries[best]
            return [(found.uri, self.taxonomy.skills[found.uri].label)]
        if depth == 0 and key in self.synonyms and compact(key) != term_key(entry.term):
            return [(h.uri, self.taxonomy.skills[h.uri].label)
                    for h in self._resolve_synonym(key, depth + 1)]
        return []

    def _synonyms_in_other_words(self, bag: frozenset[str], key: str) -> list[_Hit]:
        """Synonyms of two words or more with the same stems as the phrase ("Training &
        Development" for "training and development")."""
        if len(bag) < 2:
            return []
        return [_Hit(h.uri, h.confidence * _SAME_WORDS_CONFIDENCE,
                     f"{h.reason}, as '{key}' (same words)", h.kind_rank)
                for hits in self._synonym_bags.get(bag, ()) for h in hits if h is not _NOT_A_SKILL]

    def _narrower_labels(self, key: str, verbs: frozenset[str]) -> tuple[_Hit, ...]:
        """Labels that are a verb (and particles), or a generic verb and one word, followed
        by the words of the term `key`, which the table only maps to a broader skill:
        "follow up accounts receivables" for "accounts receivable"."""
        words = [w for w in content_words(tuple(key.split())) if w not in FUNCTION_WORDS]
        if len(words) < 2:
            return ()
        size = len(words)
        hits = []
        for position in self.index.postings(stem(words[-1])):
            entry = self.index.entries[position]
            if entry.kind == HIDDEN or not entry.key.endswith(words[-1]):
                continue
            label_words = [w for w in entry.key.split() if w not in FUNCTION_WORDS]
            if len(label_words) <= size or label_words[-size:] != words:
                continue
            verb, *rest = label_words[:-size]
            # "follow up" + the term, or "perform" + one word + the term ("perform software
            # unit testing" for "unit testing").
            if ((verb in verbs and all(w in _PARTICLES for w in rest))
                    or (not rest and entry.key.split(" ", 1)[0] in FUNCTION_WORDS)):
                hits.append(_Hit(entry.uri, _NARROWER_LABEL_CONFIDENCE,
                                 f"{entry.kind} '{entry.text}' names '{key}' more closely than "
                                 "the synonyms table's broader skill", KIND_RANK[entry.kind]))
        return tuple(hits)

    # -- spotting and fuzzy -----------------------------------------------------------------

    def _spans(self, words: tuple[str, ...], glued: frozenset[int] = frozenset(),
               ) -> Iterable[tuple[_Hit, int, int]]:
        """Label and synonym hits for word spans, longest first, never overlapping, never
        part of a written word (`glued` holds the positions whose next word is the same
        written word). A span known to name no skill gives `_NOT_A_SKILL`."""
        taken = [False] * len(words)
        for size in range(min(_MAX_SPAN, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if (any(taken[start:start + size]) or start - 1 in glued
                        or start + size - 1 in glued):
                    continue
                span = words[start:start + size]
                key = " ".join(span)
                hits = list(self._synonym_hits.get(compact(key), ()))
                if not hits and (size > 1 or self._distinctive(span[0])):
                    hits = (self._label_hits(self.index.exact(key), key, 1.0)
                            or self._label_hits(self.index.unqualified(key), key,
                                                _UNQUALIFIED_CONFIDENCE, "label without qualifier"))
                if hits:
                    taken[start:start + size] = [True] * size
                    for hit in hits:
                        yield hit, start, start + size

    def _distinctive(self, word: str) -> bool:
        return ((len(word) >= 3 or word[-1] in "+#") and not word.isdigit()
                and word not in FUNCTION_WORDS
                and self.index.label_count(stem(word)) <= _DISTINCTIVE_WORD_LABELS)

    def _as_written_and_corrected(self, reading: Reading) -> list[Variant]:
        """The phrase as written and, if a word is misspelt, corrected."""
        corrected = self._corrected(reading.variants[0], reading)
        return [reading.variants[0], corrected] if corrected else [reading.variants[0]]

    def _spot_in_phrase(self, reading: Reading, written: list[Variant]) -> list[_Hit]:
        """Terms spotted in a longer phrase (`written`: as written and corrected), weighted
        by the share of its meaningful words they explain (filler and vendor names explain
        nothing and need no explaining)."""
        as_written = len(reading.variants[0].words)
        # Where a correction joined words ("Java Script"), the written words' positions moved.
        return [hit for variant in written
                for hit in self._spot_in_words(
                    variant, reading.glued if len(variant.words) == as_written else frozenset())]

    def _spot_in_words(self, variant: Variant, glued: frozenset[int]) -> list[_Hit]:
        words = variant.words
        if len(words) < 2:
            return []
        meaningful = set(content_words(words))
        weights = [self._explaining_weight(w) if w in meaningful and w not in FUNCTION_WORDS
                   else 0.0 for w in words]
        for position in sorted(glued):
            # One written word ("SysOps") weighs as one word, however many tokens it gave.
            weights[position + 1] = max(weights[position], weights[position + 1])
            weights[position] = 0.0
        total = sum(weights)
        if total <= 0:
            return []
        positions_by_uri: dict[str, set[int]] = {}
        spans = list(self._spans(words, glued))
        for hit, start, end in spans:
            positions_by_uri.setdefault(hit.uri, set()).update(range(start, end))
        coverages = {uri: sum(weights[i] for i in positions) / total
                     for uri, positions in positions_by_uri.items()}
        # A phrase mostly about what names no skill ("Spark SQL") evidences no skill in it.
        unskilled = coverages.pop("", 0.0)
        if is_credential_title(words) and coverages:
            # A credential's title names its product or subject beside the track or role it
            # confers ("Salesforce Certified Platform App Builder"): the term explaining most
            # of it is what the credential is about.
            uri, most = max(coverages.items(), key=lambda item: item[1])
            if most > 0:
                coverages[uri] = max(most, _CREDENTIAL_SPOT_COVERAGE)
        hits = []
        for hit, _start, _end in spans:
            if hit is _NOT_A_SKILL:
                continue
            coverage = coverages[hit.uri]
            if unskilled >= 0.5 and coverage < unskilled:
                continue
            note = f", {variant.note}" if variant.note else ""
            share = _SPOT_BASE + (0.95 - _SPOT_BASE) * coverage
            hits.append(_Hit(hit.uri, hit.confidence * variant.factor * share,
                             f"{hit.reason}, spotted in the phrase ({coverage:.0%} of it){note}",
                             hit.kind_rank, _SPOTTED_IN_PART if coverage < 0.999 else 0))
        return hits

    def _explaining_weight(self, word: str) -> float:
        """How much of a phrase a word is: its rarity among labels; a word no label or
        synonym has ("SysOps", "CKAD") is most often a product or exam name beside the
        term, so it counts as a word of middling rarity."""
        if word in self.index.vocabulary:
            return self.index.weight(stem(word))
        return _UNKNOWN_WORD_SHARE * self.index.weight(stem(word))

    def _fuzzy(self, reading: Reading, written: list[Variant]) -> list[_Hit]:
        """Labels sharing the rarer stems of the phrase (`written`: as written and
        corrected), scored by weighted overlap and by rapidfuzz's similarity of the whole
        strings."""
        hits: list[_Hit] = []
        # The overlap below which no label can clear the threshold, however alike it looks.
        minimum = ((self.threshold / _FUZZY_CEILING - (1 - _OVERLAP_SHARE))
                   / _OVERLAP_SHARE)
        for variant in written:
            words = content_words(variant.words)
            query_bag = bag_of_stems(words)
            if not query_bag:
                continue
            query_key = " ".join(words)
            for position, overlap in self.index.overlap(query_bag, _FUZZY_SHORTLIST, minimum):
                entry = self.index.entries[position]
                if _NOT_A_SKILL in self._synonym_hits.get(compact(entry.key), ()):
                    # A label spelt like a term that names no skill is its false friend
                    # ("SPARK" the language for Apache Spark): no phrase resembles it.
                    continue
                scale = _FUZZY_CEILING * _LABEL_CONFIDENCE[entry.kind] * variant.factor
                if scale * _fuzzy_likeness(overlap, 100) < self.threshold:
                    continue  # below the threshold however alike the strings look
                surface = _surface(query_key, entry.key)
                if len(query_bag) == 1 and surface < _one_stem_surface(query_key,
                                                                       reading.acronyms):
                    continue
                score = scale * _fuzzy_likeness(overlap, surface)
                if (len(query_bag) == 1 and len(entry.bag) > 1
                        and not self._names_the_act(query_key, entry.key)):
                    # One word found inside a longer label ("airflow" in "airflow analysis")
                    # is weak evidence.
                    score *= _ONE_WORD_IN_LONGER_LABEL
                if score >= self.threshold:
                    note = f"; {variant.note}" if variant.note else ""
                    whole = self._holds_lightly(query_bag, entry.bag)
                    hits.append(_Hit(entry.uri, score,
                                     f"{entry.kind} '{entry.text}' \u2248 '{reading.phrase}' "
                                     f"(fuzzy {surface:.0f}{note})", KIND_RANK[entry.kind],
                                     _HOLDS_EVERY_WORD if whole else 0))
        return hits

    def _holds_lightly(self, query_bag: frozenset[str], label_bag: frozenset[str]) -> bool:
        """Whether a label has every stem of a phrase of several, and otherwise only stems
        commoner than any of the phrase's."""
        if len(query_bag) < 2 or not query_bag <= label_bag:
            return False
        lightest = min(self.index.weight(s) for s in query_bag)
        return all(self.index.weight(s) <= lightest for s in label_bag - query_bag)

    def _names_the_act(self, word: str, key: str) -> bool:
        """Whether a one-word phrase is another form of the first word (the verb) of a
        label, and of no other skill's label ("Proofreading": "proofread text")."""
        first = key.split(" ", 1)[0]
        word_stem = stem(word)
        if first == word or stem(first) != word_stem:
            return False
        led = {self.index.entries[p].uri for p in self.index.postings(word_stem)
               if stem(self.index.entries[p].key.split(" ", 1)[0]) == word_stem}
        return len(led) == 1

    def _mentioned(self, reading: Reading) -> list[_Hit]:
        """Skills whose description names the phrase, or the one word of it that no label
        has ("Xen" in "Xen Servers"), when only one or two descriptions do."""
        words = content_words(reading.variants[-1].words)
        unknown = [w for w in words if w not in self.index.vocabulary and len(w) >= 3]
        for sought, confidence in ((words, _MENTIONED_CONFIDENCE),
                                   (tuple(unknown[:1]) if len(unknown) == 1 else (),
                                    _MENTIONED_WORD_CONFIDENCE)):
            uris = self.descriptions.mentioning(sought)
            if uris:
                text = " ".join(sought)
                return [_Hit(uri, confidence, f"the description of "
                             f"'{self.taxonomy.skills[uri].label}' names '{text}'", 3)
                        for uri in uris]
        return []

    def _by_name_ending(self, reading: Reading) -> list[_Hit]:
        """The skills a name's ending says it belongs to ("Backbone.js"), best first."""
        words = reading.phrase.split()
        if len(words) != 1 or not _JAVASCRIPT_NAME.search(words[0]):
            return []
        return [_Hit(self.index.entries[p].uri, _NAME_ENDING_CONFIDENCE - 0.01 * rank,
                     f"'{words[0]}' is named as a JavaScript library")
                for rank, label in enumerate(_JAVASCRIPT_LIBRARY_SKILLS)
                for p in self.index.exact(normalise(label))[:1]]

    # -- results ----------------------------------------------------------------------------

    def _best(self, hits: list[_Hit], limit: int | None) -> list[Match]:
        best: dict[str, _Hit] = {}
        for hit in hits:
            current = best.get(hit.uri)
            if current is None or (hit.confidence, -hit.kind_rank) > (current.confidence,
                                                                      -current.kind_rank):
                best[hit.uri] = hit
        ranked = sorted(
            (h for h in best.values() if h.confidence >= self.threshold),
            key=lambda h: (-round(h.confidence, 3), h.kind_rank,
                           -self.taxonomy.demand(h.uri), self.taxonomy.skills[h.uri].label))
        return [self._match(h) for h in ranked[:limit]]

    def _match(self, hit: _Hit) -> Match:
        label = self.taxonomy.skills[hit.uri].label
        return Match(hit.uri, label, round(min(hit.confidence, 1.0), 3), hit.reason)


def _prefer_whole(hits: list[_Hit]) -> list[_Hit]:
    """`hits` with terms spotted in part of the phrase ranked below the best label that
    holds every word of it."""
    whole = max((h.confidence for h in hits if h.cover == _HOLDS_EVERY_WORD), default=0.0)
    if not whole:
        return hits
    return [_Hit(h.uri, min(h.confidence, whole * _JUST_BELOW), h.reason, h.kind_rank)
            if h.cover == _SPOTTED_IN_PART else h for h in hits]


def _fuzzy_likeness(overlap: float, surface: float) -> float:
    """Weighted overlap of stems, and surface similarity (0..100) of the whole strings."""
    return _OVERLAP_SHARE * overlap + (1 - _OVERLAP_SHARE) * surface / 100


def _surface(query: str, label: str) -> float:
    """How alike two keys look, whatever the order of their words."""
    return max(fuzz.ratio(query, label), fuzz.token_sort_ratio(query, label))


def _one_stem_surface(key: str, acronyms: frozenset[str]) -> float:
    """How alike a label must look to a phrase of one stem: an acronym ("RAG") is another
    word's form ("Rage") only if spelt the same."""
    return 100 if key in acronyms else _ONE_STEM_SURFACE


def _content_key(key: str) -> str:
    """A key without its function words ("haccp" for "apply haccp")."""
    return " ".join(w for w in key.split() if w not in FUNCTION_WORDS)


def _demote(hit: _Hit, below: float) -> _Hit:
    """`hit` ranked below a rival of confidence `below`."""
    return _Hit(hit.uri, min(hit.confidence, below) * _RESPELT_FACTOR,
                f"{hit.reason}, spelt otherwise than the phrase", hit.kind_rank)


def _id_key(text: str) -> str:
    key = text.strip().lower().rstrip("/")
    for scheme in ("https://", "http://"):
        if key.startswith(scheme):
            return key[len(scheme):]
    return key


_HAS_DIGIT = re.compile(r"\d")


def _id_index(taxonomy: Taxonomy) -> dict[str, str]:
    """URIs without scheme, and the last segment of each URI when it is unique and id-like."""
    ids: dict[str, str] = {}
    codes: dict[str, list[str]] = {}
    for uri in taxonomy.skills:
        ids[_id_key(uri)] = uri
        code = _id_key(uri).rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        if len(code) >= 4 and _HAS_DIGIT.search(code):
            codes.setdefault(code, []).append(uri)
    for code, uris in codes.items():
        if len(uris) == 1:
            ids.setdefault(code, uris[0])
    return ids
