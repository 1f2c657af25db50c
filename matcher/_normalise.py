"""Text normalisation shared by the index (labels) and the queries (phrases).

Both sides go through the same function, so the rules only need to be
consistent, not linguistically perfect: "modelling" and "modeling" both become
"modeling", "databases" and "database" both become "database".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Tokens keep a trailing "+" or "#" so that C++, C# and F# survive.
_TOKEN = re.compile(r"[a-z0-9]+[+#]*")
# "ProblemSolving" and "PowerShell" are two words; "iOS" and "ObjC" stay one.
_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_DOTTED_ACRONYM = re.compile(r"(?<![\w.])((?:[A-Za-z]\.){2,}[A-Za-z]?)\.?(?![\w.])")
_SHORT_WORDS = frozenset("a an as at be by do go he if in is it me no of on or so to up us we".split())
_PARENTHETICAL = re.compile(r"\(([^()]*)\)")
_DOTNET = re.compile(r"(?<![a-z0-9])\.net\b")
_VERSION_SUFFIX = re.compile(r"^([a-z][a-z+#]*?)(\d+(?:\.\d+)?)$")

# British and American spellings meet in one form.
_SPELLING_WORDS = {
    "defence": "defense",
    "licence": "license",
    "offence": "offense",
    "practise": "practice",
    "programme": "program",
    "programmes": "program",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "analogue": "analog",
    "grey": "gray",
    "ageing": "aging",
    "enrolment": "enrollment",
    "fulfilment": "fulfillment",
    "judgement": "judgment",
    "orientated": "oriented",
    # Plurals of "-is" nouns, which would otherwise be read as verbs ("analyse").
    "analyses": "analysis",
    "diagnoses": "diagnosis",
    "hypotheses": "hypothesis",
    "syntheses": "synthesis",
}
_SPELLING_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("isations", "izations"),
    ("isation", "ization"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("iser", "izer"),
    ("isers", "izers"),
    ("ises", "izes"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("ysing", "yzing"),
    ("elling", "eling"),
    ("elled", "eled"),
    ("eller", "eler"),
    ("ellers", "elers"),
)


@lru_cache(maxsize=65536)
def normalise_token(token: str) -> str:
    """One token in its canonical spelling and singular form."""
    token = _SPELLING_WORDS.get(token, token)
    for british, american in _SPELLING_SUFFIXES:
        if token.endswith(british) and len(token) > len(british) + 2:
            token = token[: -len(british)] + american
            break
    if token.endswith("our") and len(token) >= 6:
        token = token[:-3] + "or"
    elif token.endswith("tre") and len(token) >= 5:
        token = token[:-3] + "ter"
    return _singular(token)


def _singular(token: str) -> str:
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    # "reactjs" and "nodejs" are names, not plurals.
    if token.endswith("s") and not token.endswith(("ss", "us", "is", "ics", "js", "xs", "zs")):
        return token[:-1]
    return token


def fold(text: str) -> str:
    """Lower case, accents removed, ampersands spelt out, ".NET" kept as a word."""
    text = _CAMEL_CASE.sub(" ", text)
    if text.isascii():
        ascii_text = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    ascii_text = ascii_text.replace("&", " and ")
    return _DOTNET.sub(" dotnet", ascii_text)


def _without_dots(match: re.Match[str]) -> str:
    joined = match.group(1).replace(".", "")
    # Not where the letters spell a word of their own ("B.E.", "U.S.").
    return match.group() if joined.lower() in _SHORT_WORDS else joined


def tokens(text: str) -> tuple[str, ...]:
    """The normalised tokens of a text, in order. An acronym written with dots ("D.B.M.S",
    "B.E.") is one token."""
    text = _DOTTED_ACRONYM.sub(_without_dots, text)
    return tuple(normalise_token(t) for t in _TOKEN.findall(fold(text)))


def spelling_key(text: str) -> str:
    """The text as written, folded but neither singularised nor respelt, without spaces:
    "Canva" and "Canvas" share a normalised key but not this one."""
    return "".join(_TOKEN.findall(fold(text)))


def normalise(text: str) -> str:
    """The normalised key of a label or a phrase: its tokens joined by single spaces."""
    return " ".join(tokens(text))


def compact(key: str) -> str:
    """A key with the spaces removed, so that "team work" meets "teamwork"."""
    return key.replace(" ", "")


def split_parenthetical(text: str) -> tuple[str, str]:
    """("Puppet", "Configuration Management Tool") for "Puppet (Configuration Management Tool)"."""
    qualifiers = " ".join(m.group(1) for m in _PARENTHETICAL.finditer(text))
    head = _PARENTHETICAL.sub(" ", text).strip()
    return head, qualifiers.strip()


def strip_version(token: str) -> str:
    """"css3" -> "css", "html5" -> "html"; other tokens unchanged."""
    match = _VERSION_SUFFIX.match(token)
    return match.group(1) if match and len(match.group(1)) >= 2 else token


# Suffixes removed by `stem`, longest first, so that "management", "manage" and
# "manager" meet in "manag", and "coaching" meets "coach".
_STEM_SUFFIXES = ("izations", "ization", "izing", "izers", "izer", "ized", "izes", "ations",
                  "ation", "ition", "ements", "ement",
                  "ments", "ment", "ness", "ically", "ical", "ings", "ing", "ity",
                  "ive", "ize", "ion", "ate", "ers", "er", "ed", "ics", "ic", "ly", "es", "e")
_IRREGULAR_STEMS = {"analysis": "analyt", "analyze": "analyt", "analyzing": "analyt",
                    "analyzed": "analyt", "analyzer": "analyt", "analytic": "analyt",
                    "analytical": "analyt", "analytically": "analyt", "analytics": "analyt",
                    "financial": "financ", "financially": "financ"}


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """A crude stem of a normalised token; only consistency matters."""
    irregular = _IRREGULAR_STEMS.get(token)
    if irregular:
        return irregular
    if len(token) <= 3 or not token.isalpha():
        return token
    for suffix in _STEM_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            token = token[: -len(suffix)]
            break
    else:
        # "strategy" meets "strategic", "geography" "geographic", "economy" "economic".
        if token.endswith(("gy", "my", "phy")) and len(token) >= 6:
            token = token[:-1]
    if len(token) > 3 and token[-1] == token[-2] and token[-1] in "bdgmnprt":
        token = token[:-1]
    return token


_SLUG_SIGNS = {"+": " plus ", "#": " sharp "}


def slug(text: str) -> str:
    """An id segment for `text`: lower-case words joined by hyphens, "+" and "#" spelt out,
    so that "C", "C#" and "C++" stay apart."""
    spelt = re.sub(r"[+#]", lambda m: _SLUG_SIGNS[m.group()], text.lower())
    return re.sub(r"[^a-z0-9]+", "-", spelt).strip("-")
