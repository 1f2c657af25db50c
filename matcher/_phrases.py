"""How a badge phrase is read before matching: its variants and the words that add nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ._normalise import split_parenthetical, strip_version, tokens


def _normalised(words: str) -> frozenset[str]:
    """Words as phrases' tokens are normalised ("hands" is read as "hand")."""
    return frozenset(t for word in words.split() for t in tokens(word))


# Words that qualify a skill without naming one: levels, credential words, filler.
FILLER_WORDS = _normalised("""
skill knowledge basic advanced advance fundamental foundation foundational concept
certified certification certificate professional introduction intro essential expert expertise
experience experienced proficiency proficient working good strong excellent level
course training specialization associate practitioner beginner intermediate
awareness overview understanding ability familiarity familiar sound solid
bootcamp masterclass nanodegree badge credential exam
hands exp exposure like etc applied practical
edition enterprise premium
plus preferred desirable nice added advantage mastering mastery
""")

# Words that mark a phrase as a credential's title rather than a skill.
CREDENTIAL_MARKERS = _normalised("certified certification certificate credential exam")
# In a credential's title, the level or job title it confers names no skill of its own
# ("AWS Certified Solutions Architect - Associate", "Google Cloud Digital Leader").
TITLE_WORDS = _normalised("""
architect leader specialist administrator practitioner associate professional expert
fundamental foundation essential solution master developer engineer tester analyst
scientist consultant technician
""")

# Names of vendors and course platforms that prefix course and credential titles.
VENDOR_WORDS = _normalised("""
google microsoft meta ibm apache adobe oracle cisco coursera udemy edx linkedin simplilearn
upgrad nptel great infosys springboard hubspot academy skillsoft pluralsight datacamp
credly acclaim accredible badgr comptia isaca pmi axelos hashicorp autodesk
""")

# Shortened words of job posts and profiles ("Project Mgmt", "Cyber Sec", "Cust. Support"),
# read as the word they shorten; only where that word is the one a skill phrase means.
WORD_ABBREVIATIONS = {
    abbreviation: tokens(word)[0]
    for word, abbreviations in (
        ("management", "mgmt mgt mngmt mgmnt"), ("administration", "admin"),
        ("development", "dev devt devp"), ("security", "sec"), ("customer", "cust"),
        ("engineering", "engg engr"), ("service", "svc svcs"),
        ("accounting", "acct accts acctg acctng"),
        ("marketing", "mktg mkt"), ("communication", "comm comms commn"),
        ("infrastructure", "infra"), ("environment", "env"), ("configuration", "config"),
        ("authentication", "auth"), ("programming", "prog"), ("manager", "mgr"),
        ("executive", "exec"), ("government", "govt"), ("department", "dept"),
        ("organization", "org"), ("international", "intl"),
        ("software", "sw"), ("hardware", "hw"), ("documentation", "docs"),
        ("requirement", "req reqs"), ("specification", "spec specs"), ("business", "biz"),
        ("manufacturing", "mfg"), ("quality", "qlty"), ("assistant", "asst"),
        ("coordination", "coord"), ("equipment", "eqpt equip"), ("maintenance", "maint"),
        ("project", "proj"), ("financial", "fin"), ("algorithm", "algo algos"),
    )
    for abbreviation in abbreviations.split()
}

# Runs of letters and digits (with "+", "#" and "."), as in "ZoomInfo", "C++" or "Node.js".
_WRITTEN_WORD = re.compile(r"[A-Za-z0-9+#.\u00c0-\uffff]+|&")
# Words in capitals ("SHRM") or with a capital inside ("gRPC", "iOS", "OAuth").
_CAPITALS = re.compile(r"\b(?:[A-Z][A-Z0-9]+|[A-Za-z]*[a-z][A-Z][A-Za-z0-9]*"
                       r"|[A-Z]{2,}(?!s\b)[a-z][A-Za-z0-9]*)\b")  # not plurals ("APIs")
_PART_SEPARATORS = re.compile(r"\s*(?:[/,;|:]|\s-\s|\s–\s)\s*")


@dataclass(frozen=True, slots=True)
class Variant:
    """One reading of a phrase, with the confidence factor and note it costs."""

    words: tuple[str, ...]
    factor: float
    note: str = ""
    # Whether words of the phrase were set aside (filler, vendor or title words).
    reduced: bool = False

    @property
    def key(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True, slots=True)
class Reading:
    """A phrase read for matching: its readings, its qualifier and its parts."""

    phrase: str
    variants: tuple[Variant, ...]
    qualifier: tuple[str, ...]
    parts: tuple[str, ...]
    # Words written in capitals or with a capital inside ("SHRM", "gRPC"): acronyms and
    # names, never misspellings of other words.
    acronyms: frozenset[str] = frozenset()
    # Positions i of the phrase's words where word i + 1 is the same written word
    # ("Zoom" and "Info" in "ZoomInfo"): no term is spotted in part of a written word.
    glued: frozenset[int] = frozenset()
    # Positions i of the phrase's words joined to word i + 1 by a hyphen ("Proof-reading").
    hyphens: frozenset[int] = frozenset()


# Job-post requirements that name no skill: years of experience ("2-4 years of experience
# in B2B sales", "5+ yrs").
_REQUIREMENT = re.compile(r"\b\d+\s*(?:\+|(?:-|to)\s*\d+\s*\+?)?\s*(?:years?|yrs?)\b",
                          re.IGNORECASE)
# A web address's ending adds nothing to a name ("Salesforce.com").
_DOMAIN_ENDING = re.compile(r"(?<=[A-Za-z0-9])\.com\b", re.IGNORECASE)


def names_no_skill(phrase: str) -> bool:
    """Whether the phrase is a job post's requirement rather than a skill."""
    return _REQUIREMENT.search(phrase) is not None


def read_phrase(phrase: str) -> Reading:
    phrase = _DOMAIN_ENDING.sub("", phrase)
    head, qualifier = split_parenthetical(phrase)
    full, glued, hyphens = _written_words(phrase)
    variants: list[Variant] = [Variant(full, 1.0)]
    head_words = _written_words(head)[0] if qualifier else full
    if qualifier and head_words:
        variants.append(Variant(head_words, 0.97, f"without '({qualifier})'"))
    _add_reduced(variants, head_words)
    parts = tuple(p for p in _PART_SEPARATORS.split(head) if p.strip())
    acronyms = written_names(phrase)
    return Reading(phrase, tuple(_unique(variants)), tokens(qualifier),
                   parts if len(parts) > 1 else (), acronyms, glued, hyphens)


def written_names(text: str) -> frozenset[str]:
    """The tokens of words written in capitals or with a capital inside ("SHRM", "gRPC")."""
    return frozenset(t for word in _CAPITALS.findall(text) for t in tokens(word))


def _written_words(phrase: str) -> tuple[tuple[str, ...], frozenset[int], frozenset[int]]:
    """The phrase's tokens, where one written word gave several, and where a hyphen joins
    a word to the next ("Proof-reading"). A vendor's name written as one word ("HubSpot")
    stays one token."""
    words: list[str] = []
    glued: set[int] = set()
    hyphens: set[int] = set()
    # "&" is read as "and", as labels are ("R&D": "r and d").
    text = phrase.replace("&", " & ")
    end = None
    for written in _WRITTEN_WORD.finditer(text):
        found = _word_tokens(written.group())
        if words and found and text[end:written.start()] == "-":
            hyphens.add(len(words) - 1)
        glued.update(range(len(words), len(words) + len(found) - 1))
        words.extend(found)
        end = written.end()
    return tuple(words), frozenset(glued), frozenset(hyphens)


@lru_cache(maxsize=65536)
def _word_tokens(written: str) -> tuple[str, ...]:
    found = tokens(written)
    if len(found) > 1 and "".join(found) in VENDOR_WORDS:
        return ("".join(found),)
    return found


def content_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words of a phrase without filler and vendor names, and without title words in
    a credential's title (all of them, if nothing is left)."""
    kept = tuple(w for w in words if w not in FILLER_WORDS and w not in VENDOR_WORDS
                 and not w.isdigit())
    if kept and is_credential_title(words):
        kept = tuple(w for w in kept if w not in TITLE_WORDS) or kept
    return kept or words


def names_a_subject(words: tuple[str, ...]) -> bool:
    """Whether a part of a credential's title says more than who certifies and at what
    level ("Oracle Certified Professional" does not)."""
    return any(w not in FILLER_WORDS and w not in VENDOR_WORDS and w not in TITLE_WORDS
               for w in words)


def is_credential_title(words: tuple[str, ...]) -> bool:
    """Marked as one, or ending in the title it confers ("Tableau Desktop Specialist")."""
    return (any(w in CREDENTIAL_MARKERS or w in VENDOR_WORDS for w in words)
            or (len(words) >= 3 and words[-1] in TITLE_WORDS))


def _add_reduced(variants: list[Variant], words: tuple[str, ...]) -> None:
    # First keeping vendor names, which may be part of a known term ("Google Analytics").
    with_vendor = tuple(w for w in words if w not in FILLER_WORDS and not w.isdigit())
    if with_vendor and with_vendor != words and any(w in VENDOR_WORDS for w in with_vendor):
        dropped = [w for w in words if w not in with_vendor]
        variants.append(Variant(with_vendor, 0.95, f"ignoring '{' '.join(dropped)}'", True))
    without_filler = content_words(words)
    if is_credential_title(words):
        # Title words go last: "Certified Scrum Master" may name "scrum master".
        with_title = tuple(w for w in words if w not in FILLER_WORDS and w not in VENDOR_WORDS
                           and not w.isdigit())
        if with_title and with_title not in (words, without_filler):
            dropped = [w for w in words if w not in with_title]
            variants.append(Variant(with_title, 0.95, f"ignoring '{' '.join(dropped)}'", True))
    if without_filler != words:
        dropped = [w for w in words if w not in without_filler]
        variants.append(Variant(without_filler, 0.95, f"ignoring '{' '.join(dropped)}'", True))
    unversioned = tuple(strip_version(w) for w in without_filler)
    if unversioned != without_filler:
        variants.append(Variant(unversioned, 0.95, "ignoring the version",
                                without_filler != words))


def _unique(variants: list[Variant]) -> list[Variant]:
    seen: set[tuple[str, ...]] = set()
    kept = []
    for variant in variants:
        if variant.words and variant.words not in seen:
            seen.add(variant.words)
            kept.append(variant)
    return kept
