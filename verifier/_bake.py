"""Read the credential baked into a PNG (iTXt/tEXt chunk) or an SVG element."""
from __future__ import annotations

import re
import zlib

import png
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from ._errors import InputError
from ._inflate import inflate_capped

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_TEXT_CHUNK = 1024 * 1024
PNG_KEYWORDS = (b"openbadges", b"openbadgecredential")
OB_NAMESPACES = ("http://openbadges.org", "https://purl.imsglobal.org/ob/v3p0")
SVG_ELEMENTS = ("assertion", "credential")
_EVENT_ATTRIBUTE = re.compile(r"^on[a-z]+$")


def _inflate(data: bytes) -> bytes:
    try:
        text = inflate_capped(data, MAX_TEXT_CHUNK)
    except zlib.error:
        raise InputError("a compressed PNG text chunk is corrupt", "malformed") from None
    if text is None:
        raise InputError(f"a compressed PNG text chunk inflates past {MAX_TEXT_CHUNK} bytes", "too_large")
    return text


def _text_chunk(kind: bytes, data: bytes) -> tuple[bytes, bytes]:
    """(keyword, text) of a tEXt or iTXt chunk."""
    keyword, sep, rest = data.partition(b"\0")
    if not sep:
        raise InputError("a PNG text chunk has no keyword separator", "malformed")
    if kind == b"tEXt":
        return keyword, rest
    if len(rest) < 2:
        raise InputError("a PNG iTXt chunk is truncated", "malformed")
    compressed, rest = rest[0], rest[2:]
    _language, _, rest = rest.partition(b"\0")
    _translated, _, text = rest.partition(b"\0")
    return keyword, _inflate(text) if compressed else text


def unbake_png(data: bytes) -> tuple[str, str]:
    """(keyword, payload) from a baked PNG; InputError if it is corrupt or carries no badge."""
    found: tuple[str, str] | None = None
    try:
        for kind, chunk in png.Reader(bytes=data).chunks():
            if kind in (b"iTXt", b"tEXt") and found is None:
                if len(chunk) > MAX_TEXT_CHUNK:
                    raise InputError(f"a PNG text chunk of {len(chunk)} bytes is over the limit", "too_large")
                keyword, text = _text_chunk(kind, chunk)
                if keyword in PNG_KEYWORDS:
                    found = (keyword.decode(), text.decode("utf-8", errors="strict").strip())
    except (png.Error, EOFError, ValueError) as exc:
        raise InputError(f"the PNG is corrupt or truncated ({exc})", "malformed") from None
    except UnicodeDecodeError:
        raise InputError("the PNG's badge chunk is not UTF-8 text", "malformed") from None
    if found is None:
        raise InputError("the PNG carries no baked badge (no 'openbadges' or 'openbadgecredential' chunk)",
                         "not_a_badge")
    return found


def _refuse_active_content(root) -> None:
    for element in root.iter():
        local = str(element.tag).rsplit("}", 1)[-1].lower()
        if local in ("script", "foreignobject"):
            raise InputError(f"the SVG contains a <{local}> element; active content is refused", "hostile")
        if any(_EVENT_ATTRIBUTE.match(str(name).rsplit("}", 1)[-1].lower()) for name in element.attrib):
            raise InputError("the SVG carries event-handler attributes; active content is refused", "hostile")


def unbake_svg(data: bytes) -> tuple[str, str]:
    """(element name, payload) from a baked SVG: the ``verify`` attribute or the element's text."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InputError("the SVG declares entities or external references, which are refused", "hostile") from None
    except SafeET.ParseError as exc:
        raise InputError(f"the SVG is not well-formed XML ({exc})", "malformed") from None
    if str(root.tag).rsplit("}", 1)[-1] != "svg":
        raise InputError("the XML document is not an SVG image", "not_a_badge")
    _refuse_active_content(root)
    for name in SVG_ELEMENTS:
        element = next((found for ns in OB_NAMESPACES if (found := root.find(f".//{{{ns}}}{name}")) is not None),
                       None)
        if element is not None:
            # The baking spec: a body is the assertion itself; only a bodiless element's
            # verify attribute carries the payload (a JWS, or for hosted badges the URL).
            payload = (element.text or "").strip() or element.get("verify", "").strip()
            if not payload:
                raise InputError(f"the SVG's openbadges:{name} element is empty", "not_a_badge")
            return name, payload
    raise InputError("the SVG carries no baked badge (no openbadges:assertion or openbadges:credential element)",
                     "not_a_badge")
